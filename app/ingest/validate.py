"""Checking a batch of annotation files against each other and the database, into a Plan.

Nothing here writes. Every problem found is collected with its file, line and field, so that a
person fixes a file in one pass.
"""

import datetime as dt
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from app.documents.dates import DateRefused, date_row, day_and_time, reporting_date
from app.documents.spans import Document, NotPlaced
from app.ingest import existing
from app.ingest.parse import AnnotatedFile, Located
from app.ingest.plan import Origins, Plan, PlannedAppearance, PlannedStatement, Row, as_row
from app.ingest.problems import InvalidAnnotations, Problem
from app.ingest.spec import (
    AnnotationFile,
    AppearanceRef,
    ContradictionSpec,
    DocumentSpec,
    SourceFields,
    StatementSpec,
)
from app.ingest.yamlfile import Path as YPath
from app.ingest.yamlfile import line_of
from app.models import alias_key
from app.models.enums import ActorKind, ContradictionKind, ReviewStatus

# The end of the problem for a stored object that the files declare otherwise.
STORED_DIFFERS = "the loader never overwrites (edit it through the API)"

Progress = Callable[[str], None]
Text = TypeVar("Text", str, str | None)


@dataclass(slots=True)
class Declared:
    """Where a slug is declared in the batch, and what later checks need of it."""

    where: Located
    at: YPath
    spec: Any  # an actor's ActorSpec, a statement's claim slug, else None


# (where, at, check, slug): a reference to resolve once every file is in ("actor", "claim",
# "source", "statement": it must exist; "outlet": an actor of kind outlet), or a problem.
Check = tuple[Located, YPath, str, str]
# An appearance's place in its file: file number << 40 | statement index << 20 | index.
FILE_SHIFT, STATEMENT_SHIFT = 40, 20


class BatchValidator:
    """Collects the declarations of a batch, resolves references, places spans, and plans.

    Files are taken one at a time (`add`) and not kept: each is planned as it comes, with
    every span placed in its document, and only what the checks across files need is held
    (slugs, references, where each value stands). A large load's files are taken in runs by
    validators in other processes, and what each found is taken in here (`merge`, see
    app/ingest/check.py). `finish` then checks the references and the database, and returns
    the plan or raises with every problem.
    """

    def __init__(self, status: ReviewStatus = ReviewStatus.confirmed) -> None:
        # The review status of what the batch adds, where a file does not say.
        self.status = status
        self.problems: list[Problem] = []
        self.plan = Plan()
        self.actors: dict[str, Declared] = {}
        self.claims: dict[str, Declared] = {}
        self.sources: dict[str, Declared] = {}
        self.statements: dict[str, Declared] = {}
        self._checks: list[Check] = []
        self._referred: dict[str, set[str]] = {
            "actor": set(),
            "claim": set(),
            "source": set(),
            "statement": set(),
        }
        self._located: list[Located] = []
        self._copies: dict[Any, Any] = {}  # each text is its own key
        self._appearance_at = array("q")  # per planned appearance, its place (FILE_SHIFT)
        self._planning: list[Problem] = []  # spans that cannot be placed
        self._contradictions: list[tuple[Located, list[ContradictionSpec]]] = []
        # (statement, source, quote) -> span starts, built when a misreport needs it.
        self._worded: dict[tuple[str, str, str], set[int]] | None = None

    def __getstate__(self) -> dict[str, Any]:
        """What another process is sent (see merge): all but the copies of recurring texts,
        which each process keeps for itself."""
        return {**self.__dict__, "_copies": {}}

    def add(self, f: AnnotatedFile) -> None:
        """Take in one parsed file: declare its slugs, note its references, plan its rows."""
        where = f.located()
        self._located.append(where)
        self._declare(where, f.spec)
        self._note_references(where, f.spec)
        self._plan_file(len(self._located) - 1, f)
        if f.spec.contradictions:
            self._contradictions.append((where, f.spec.contradictions))

    def merge(self, part: "BatchValidator") -> None:
        """Take in what PART found in the files that follow this validator's (each problem it
        found is kept; a slug both declare is reported as declared twice)."""
        offset = len(self._located)
        self._located += part._located
        self.problems += part.problems
        declared, theirs = self._declared(), part._declared()
        for what, mine in declared.items():
            for slug, d in theirs[what].items():
                if (first := mine.setdefault(slug, d)) is not d:
                    self.problems.append(_declared_twice(what, slug, first, d.where, d.at))
        # PART kept the references it could not resolve itself: those to this one's slugs hold.
        for check in part._checks:
            _where, _at, what, slug = check
            if what in declared and slug in declared[what]:
                continue
            self._checks.append(check)
            if what:
                self._referred["actor" if what == "outlet" else what].add(slug)
        self.plan.add(part.plan)
        shift = offset << FILE_SHIFT
        self._appearance_at.extend(place + shift for place in part._appearance_at)
        self._planning += part._planning
        self._contradictions += part._contradictions

    def finish(self, session: Session, *, writing: bool = True) -> Plan:
        """Check the batch as a whole and against the database: the plan, or every problem.
        Not WRITING (a comparison with the database, app/ingest/seed.py), the objects that
        were deleted are planned as missing rather than refused for their reserved slugs."""
        self._load_existing(session)
        self._check_references()
        self._check_affiliation_cycles()
        if self.problems:
            raise InvalidAnnotations(self.problems)
        self.problems = self._planning
        # Only once every appearance is planned does a statement's lack of one mean anything.
        planned = not self.problems
        self._leave_out_stored()
        if writing:
            self._check_reserved(session)
        if planned:
            self._check_shown_with_a_report()
        self._plan_contradictions()
        if self.problems:
            raise InvalidAnnotations(self.problems)
        self.plan.origins = self._origins()
        return self.plan

    def _origins(self) -> Origins:
        """Which file each new object of the plan comes from (a load's history names it)."""
        number = {id(where): n for n, where in enumerate(self._located)}
        plan = self.plan
        named = {
            what: {slug: number[id(declared[slug].where)] for slug in planned}
            for what, planned, declared in (
                ("actor", plan.actors, self.actors),
                ("claim", plan.claims, self.claims),
                ("source", plan.sources, self.sources),
            )
        }
        return Origins(
            files=[file_name(where.path) for where in self._located],
            named=named,
            statements=array(
                "i", (number[id(self.statements[slug].where)] for slug in plan.statements)
            ),
            appearances=array("i", (place >> FILE_SHIFT for place in self._appearance_at)),
        )

    # -- declarations -----------------------------------------------------------------------

    def _declare(self, where: Located, spec: AnnotationFile) -> None:
        self._declare_one(self.sources, "source", where, ("source",), spec.source.slug, None)
        for i, source in enumerate(spec.sources):
            self._declare_one(self.sources, "source", where, ("sources", i), source.slug, None)
        for i, actor in enumerate(spec.actors):
            self._declare_one(self.actors, "actor", where, ("actors", i), actor.slug, actor)
        for i, claim in enumerate(spec.claims):
            self._declare_one(self.claims, "claim", where, ("claims", i), claim.slug, None)
        statements = self.statements
        for i, statement in enumerate(spec.statements):
            slug = statement.slug
            if slug is not None and slug not in statements:  # the usual case, at load speed
                statements[slug] = Declared(where, ("statements", i), statement.claim)
            elif slug is not None:
                self._declare_one(
                    statements, "statement", where, ("statements", i), slug, statement.claim
                )

    def _declare_one(
        self,
        table: dict[str, Declared],
        what: str,
        where: Located,
        at: YPath,
        slug: str,
        spec: Any,
    ) -> None:
        first = table.get(slug)
        if first is not None:
            self.problems.append(_declared_twice(what, slug, first, where, at))
            return
        table[slug] = Declared(where, at, spec)

    # -- references ---------------------------------------------------------------------------

    def _note_references(self, where: Located, spec: AnnotationFile) -> None:
        """Note what the file refers to, to be checked once every file is declared.

        A reference to a slug the batch has declared already holds whatever comes later: only
        the others are kept, and only they need fetching from the database.
        """
        checks = self._checks
        declared = self._declared()

        def refer(at: YPath, what: str, slug: str | None) -> None:
            if slug is not None and slug not in declared[what]:
                checks.append((where, at, what, slug))
                self._referred[what].add(slug)

        introduced: list[tuple[YPath, SourceFields]] = [(("source",), spec.source)]
        introduced += [(("sources", i), s) for i, s in enumerate(spec.sources)]
        for source_at, source in introduced:
            if source.outlet:  # its kind is checked too, once every actor is known
                checks.append((where, (*source_at, "outlet"), "outlet", source.outlet))
                self._referred["actor"].add(source.outlet)
        for i, cite in enumerate(spec.source.cites):
            refer(("source", "cites", i, "source"), "source", cite.source)
            if cite.source == spec.source.slug:
                checks.append(
                    (where, ("source", "cites", i, "source"), "", "a source cannot cite itself")
                )
        for i, actor in enumerate(spec.actors):
            if actor.affiliation:
                refer(("actors", i, "affiliation"), "actor", actor.affiliation)
        actors, claims, statements = self.actors, self.claims, self.statements
        for i, s in enumerate(spec.statements):
            # Tested here first, at load speed: most references are to what came before.
            if s.ref is not None:
                if s.ref not in statements:
                    refer(("statements", i, "ref"), "statement", s.ref)
                continue
            if s.speaker not in actors:
                refer(("statements", i, "speaker"), "actor", s.speaker)
            if s.claim not in claims:
                refer(("statements", i, "claim"), "claim", s.claim)
            if s.recipient is not None and s.recipient not in actors:
                refer(("statements", i, "recipient"), "actor", s.recipient)
        for i, c in enumerate(spec.contradictions):
            at: YPath = ("contradictions", i)
            if c.statement is not None:
                refer((*at, "statement"), "statement", c.statement)
            for side in ("a", "b"):
                value = getattr(c, side)
                if isinstance(value, str):
                    refer((*at, side), "statement", value)
                else:
                    refer((*at, side, "source"), "source", value.source)

    def _declared(self) -> dict[str, dict[str, Declared]]:
        return {
            "actor": self.actors,
            "claim": self.claims,
            "source": self.sources,
            "statement": self.statements,
        }

    def _exists(self, what: str, slug: str) -> bool:
        declared, stored = {
            "actor": (self.actors, self.db_actors),
            "claim": (self.claims, self.db_claims),
            "source": (self.sources, self.db_sources),
            "statement": (self.statements, self.db_statements),
        }[what]
        return slug in declared or slug in stored

    def actor_kind(self, slug: str) -> ActorKind:
        if slug in self.actors:
            kind: ActorKind = self.actors[slug].spec.kind
            return kind
        return ActorKind(self.db_actors[slug]["kind"])

    def _check_references(self) -> None:
        for where, at, what, slug in self._checks:
            if not what:
                self.problems.append(where.problem(at, slug))
                continue
            kind_of = "actor" if what == "outlet" else what
            if not self._exists(kind_of, slug):
                self.problems.append(
                    where.problem(
                        at, f"unknown {kind_of} '{slug}': declare it in this load or load it first"
                    )
                )
            elif what == "outlet" and (kind := self.actor_kind(slug)) != ActorKind.outlet:
                self.problems.append(where.problem(at, f"'{slug}' is a {kind}, not an outlet"))
        self._checks = []

    def _check_affiliation_cycles(self) -> None:
        parent = {slug: d.spec.affiliation for slug, d in self.actors.items()}
        for slug, declared in self.actors.items():
            seen, at = {slug}, parent.get(slug)
            while at is not None and at in parent:
                if at in seen:
                    self.problems.append(
                        declared.where.problem(
                            (*declared.at, "affiliation"),
                            f"affiliations form a cycle through '{slug}'",
                        )
                    )
                    break
                seen.add(at)
                at = parent[at]

    # -- the database -----------------------------------------------------------------------

    def _load_existing(self, session: Session) -> None:
        """Fetch what the database has of every slug the batch declares or uses."""
        referred = self._referred
        self.db_actors = existing.actors(session, referred["actor"] | set(self.actors))
        self.db_claims = existing.claims(session, referred["claim"] | set(self.claims))
        self.db_sources = existing.sources(session, referred["source"] | set(self.sources))
        self.db_statements = existing.statements(
            session, referred["statement"] | set(self.statements)
        )
        statement_ids = [row["id"] for row in self.db_statements.values()]
        self.db_appearances = existing.appearances(session, statement_ids)
        self.db_contradictions = existing.contradictions(session, statement_ids)

    def _conflict(
        self, where: Located, at: YPath, what: str, slug: str, new: Row, old: Row
    ) -> bool:
        """Report a declaration that differs from the stored one; True when they differ."""
        differ = sorted(k for k in new if k in old and _norm(new[k]) != _norm(old[k]))
        if differ:
            self.problems.append(
                where.problem(
                    at,
                    f"{what} '{slug}' is already in the database with other {', '.join(differ)}; "
                    + STORED_DIFFERS,
                )
            )
        return bool(differ)

    def _leave_out_stored(self) -> None:
        """Take what the database holds already out of the plan, reporting any difference."""
        plan = self.plan
        for what, planned, declared, stored in (
            ("actor", plan.actors, self.actors, self.db_actors),
            ("claim", plan.claims, self.claims, self.db_claims),
        ):
            for slug in [s for s in planned if s in stored]:
                d = declared[slug]
                self._conflict(d.where, d.at, what, slug, planned.pop(slug), stored[slug])
        stored_sources = {s for s in plan.sources if s in self.db_sources}
        if stored_sources:
            parts = _source_parts(plan, stored_sources)
            for slug in [s for s in plan.sources if s in stored_sources]:
                d = self.sources[slug]
                row = {**plan.sources.pop(slug), **parts[slug]}
                self._conflict(d.where, d.at, "source", slug, row, self.db_sources[slug])
            plan.source_dates = [r for r in plan.source_dates if r["source"] in plan.sources]
            plan.citations = [r for r in plan.citations if r["source"] in plan.sources]
            plan.furniture = [r for r in plan.furniture if r["source"] in plan.sources]
        for slug in [s for s in plan.statements if s in self.db_statements]:
            d = self.statements[slug]
            row = as_row(plan.statements.pop(slug))
            self._conflict(d.where, d.at, "statement", slug, row, self.db_statements[slug])
        if self.db_appearances:
            new: list[PlannedAppearance] = []
            places = array("q")
            for a, place in zip(plan.appearances, self._appearance_at, strict=True):
                old = self.db_appearances.get((a.statement, a.source, a.span_start))
                if old is None:
                    new.append(a)
                    places.append(place)
                    continue
                at: YPath = (
                    "statements",
                    (place >> STATEMENT_SHIFT) & ((1 << (FILE_SHIFT - STATEMENT_SHIFT)) - 1),
                    "appearances",
                    place & ((1 << STATEMENT_SHIFT) - 1),
                )
                where = self._located[place >> FILE_SHIFT]
                self._conflict(where, at, "appearance of", a.statement, as_row(a), old)
            plan.appearances = new
            self._appearance_at = places

    def _check_reserved(self, session: Session) -> None:
        """A new object may not take the slug of a deleted one: it stays reserved, so that a
        restore finds it free, until an admin purges the deletion."""
        plan = self.plan
        for what, planned in (
            ("actor", plan.actors),
            ("claim", plan.claims),
            ("source", plan.sources),
            ("statement", plan.statements),
        ):
            if not planned:
                continue
            declared = self._declared()[what]
            for slug in sorted(existing.deleted(session, what, planned)):
                d = declared[slug]
                self.problems.append(
                    d.where.problem(
                        (*d.at, "slug"),
                        f"the slug '{slug}' belongs to a deleted {what}: it stays reserved so "
                        f"that the {what} can be restored; an admin can restore it, or purge it "
                        f"(POST /{what}s/{slug}/purge) to free the slug",
                    )
                )

    def _check_shown_with_a_report(self) -> None:
        """A new confirmed statement needs a confirmed appearance: reads show a confirmed
        statement with its confirmed appearances, and a statement stays traceable to a source
        (the API keeps to the same rule)."""
        confirmed = ReviewStatus.confirmed
        # Each has an appearance planned: only one with an unconfirmed one may lack the other
        # kind (2.15 million appearances are looked through in 0.08 s).
        doubtful = {a.statement for a in self.plan.appearances if a.status != confirmed}
        if not doubtful:
            return
        reported = {
            a.statement
            for a in self.plan.appearances
            if a.status == confirmed and a.statement in doubtful
        }
        for slug in sorted(doubtful - reported):
            statement = self.plan.statements.get(slug)
            if statement is not None and statement.status == confirmed:
                d = self.statements[slug]
                self.problems.append(
                    d.where.problem(
                        (*d.at, "status"),
                        f"statement '{slug}' is confirmed but none of its appearances is: "
                        "confirm one of them, or propose the statement",
                    )
                )

    # -- planning each file -------------------------------------------------------------------

    def _plan_file(self, file_no: int, f: AnnotatedFile) -> None:
        where = self._located[file_no]
        for a in f.spec.actors:
            self.plan.actors[a.slug] = {
                "slug": a.slug,
                "name": a.name,
                "kind": a.kind,
                "description": a.description,
                "affiliation": a.affiliation,
                "group_size": a.group_size,
                "knowledge": a.knowledge,
                "aliases": _unique_aliases(a.name, a.aliases),
            }
        for c in f.spec.claims:
            self.plan.claims[c.slug] = {"slug": c.slug, "text": c.text, "note": c.note}
        for cited in f.spec.sources:
            self.plan.sources[cited.slug] = _source_row(
                cited, reported_on=cited.reported_on, basis=cited.reported_on_basis
            )
        assert f.document is not None
        self._plan_document(where, f.spec.source, f.document, f.sha256)
        self._plan_statements(file_no, f.spec.statements, f.document, f.spec.source.slug)

    def _plan_document(
        self, where: Located, spec: DocumentSpec, doc: Document, sha256: str
    ) -> None:
        furniture: set[Any] = set()
        for i, item in enumerate(spec.furniture):
            at: YPath = ("source", "furniture", i, "text")
            try:
                if item.occurrence == "all":
                    spans = [(s, s + len(item.text)) for s in doc.occurrences(item.text)]
                    if not spans:
                        raise NotPlaced(f"{item.text!r} is not in the document")
                else:
                    spans = [doc.place(item.text, occurrence=item.occurrence, article_only=False)]
            except NotPlaced as exc:
                self._planning.append(where.problem(at, str(exc)))
                continue
            furniture.update((item.kind, s, e) for s, e in spans)
        doc.furniture = sorted((s, e) for _, s, e in furniture)
        dates: set[Any] = set()
        for i, d in enumerate(spec.dates):
            try:
                start, end = doc.place(d.printed, occurrence=d.occurrence, article_only=False)
            except NotPlaced as exc:
                self._planning.append(where.problem(("source", "dates", i, "printed"), str(exc)))
                continue
            day, at_time = day_and_time(d.value)
            dates.add((d.kind, d.printed, day, at_time, start, end, d.note))
        citations: set[Any] = set()
        for i, c in enumerate(spec.cites):
            span: tuple[int | None, int | None] = (None, None)
            if c.evidence is not None:
                try:
                    span = doc.place(c.evidence, occurrence=c.occurrence, article_only=False)
                except NotPlaced as exc:
                    self._planning.append(
                        where.problem(("source", "cites", i, "evidence"), str(exc))
                    )
                    continue
            citations.add((c.source, c.evidence, *span))
        try:
            reported_on, basis = reporting_date(dates, spec.reported_on, spec.reported_on_basis)
        except DateRefused as exc:
            self._planning.append(where.problem(("source", exc.field), str(exc)))
            reported_on, basis = None, None
        row = _source_row(spec, reported_on=reported_on, basis=basis)
        row.update(text=doc.text, sha256=sha256)
        self.plan.sources[spec.slug] = row
        self.plan.source_dates += [date_row(spec.slug, d) for d in sorted(dates, key=str)]
        self.plan.citations += [
            {
                "source": spec.slug,
                "cited": c[0],
                "evidence": c[1],
                "span_start": c[2],
                "span_end": c[3],
            }
            for c in sorted(citations, key=str)
        ]
        self.plan.furniture += [
            {"source": spec.slug, "kind": k, "span_start": s, "span_end": e}
            for k, s, e in sorted(furniture, key=lambda x: x[1])
        ]

    def _one_copy(self, text: Text) -> Text:
        """TEXT as first seen in this load (equal texts: one object)."""
        copy: Text = self._copies.setdefault(text, text)
        return copy

    def _plan_statements(
        self, file_no: int, statements: list[StatementSpec], doc: Document, source: str
    ) -> None:
        """Plan a file's statements and place their appearances: the hot loop of a load."""
        where, default = self._located[file_no], self.status
        planned, appearances, places = (
            self.plan.statements,
            self.plan.appearances,
            self._appearance_at,
        )
        # Words that recur across a load's files (slugs referred to, attributions, hedges) are
        # kept once each: every file's JSON brings its own copy.
        one = self._one_copy
        for i, s in enumerate(statements):
            if s.ref is None:
                # StatementSpec has made sure a statement without a ref declares these.
                assert s.slug and s.speaker and s.claim and s.stance
                planned[s.slug] = PlannedStatement(
                    s.slug,
                    one(s.speaker),
                    one(s.claim),
                    s.stance,
                    s.said_on,
                    s.context,
                    one(s.recipient),
                    s.via,
                    s.note,
                    s.status or default,
                    s.status_reason,
                )
            key, seen = one(s.key), set()
            place = (file_no << FILE_SHIFT) + (i << STATEMENT_SHIFT)
            # A report of a statement declared here, not confirmed, is proposed unless it says.
            reports = default
            if s.ref is None and (s.status or default) != ReviewStatus.confirmed:
                reports = ReviewStatus.proposed
            for j, a in enumerate(s.appearances):
                at: YPath = ("statements", i, "appearances", j)
                try:
                    start, end = doc.place(a.quote, occurrence=a.occurrence, after=a.after)
                except NotPlaced as exc:
                    self._planning.append(where.problem((*at, "quote"), str(exc)))
                    continue
                attribution = hedge = None
                if a.attribution:
                    try:
                        attribution = doc.nearest(a.attribution, (start, end))
                    except NotPlaced as exc:
                        self._planning.append(where.problem((*at, "attribution"), str(exc)))
                if a.hedge:
                    try:
                        hedge = doc.nearest(a.hedge, (start, end))
                    except NotPlaced as exc:
                        self._planning.append(where.problem((*at, "hedge"), str(exc)))
                if start in seen:
                    self._planning.append(
                        where.problem((*at, "quote"), "the same appearance is given twice")
                    )
                    continue
                seen.add(start)
                appearances.append(
                    PlannedAppearance(
                        key,
                        source,
                        a.quote,
                        a.mode,
                        start,
                        end,
                        one(a.attribution),
                        attribution[0] if attribution else None,
                        attribution[1] if attribution else None,
                        one(a.hedge),
                        hedge[0] if hedge else None,
                        hedge[1] if hedge else None,
                        a.note,
                        a.status or reports,
                        a.status_reason,
                    )
                )
                places.append(place + j)

    # -- contradictions -------------------------------------------------------------------------

    def _claim_of(self, statement: str) -> str:
        if statement in self.statements:
            claim: str = self.statements[statement].spec
            return claim
        return str(self.db_statements[statement]["claim"])

    def _find_appearance(self, statement: str, ref: AppearanceRef) -> int | str:
        """The span start of STATEMENT's appearance in REF.source worded REF.quote, or why not."""
        if self._worded is None:
            self._worded = defaultdict(set)
            for a in self.plan.appearances:
                self._worded[(a.statement, a.source, a.quote)].add(a.span_start)
            for row in self.db_appearances.values():
                key = (row["statement"], row["source"], row["quote"])
                self._worded[key].add(row["span_start"])
        matches = set(self._worded.get((statement, ref.source, ref.quote), ()))
        if len(matches) == 1:
            return matches.pop()
        if not matches:
            return f"'{statement}' has no appearance in '{ref.source}' quoted {ref.quote!r}"
        return f"'{statement}' appears in '{ref.source}' more than once with that quote"

    def _plan_contradictions(self) -> None:
        number = {id(where): n for n, where in enumerate(self._located)}
        for where, contradictions in self._contradictions:
            for i, c in enumerate(contradictions):
                at: YPath = ("contradictions", i)
                places: list[tuple[str, int] | None] = [None, None]
                if isinstance(c.a, AppearanceRef) and isinstance(c.b, AppearanceRef):
                    assert c.statement is not None
                    a_slug = b_slug = c.statement
                    for k, (side, ref) in enumerate((("a", c.a), ("b", c.b))):
                        found = self._find_appearance(c.statement, ref)
                        if isinstance(found, str):
                            self.problems.append(where.problem((*at, side, "quote"), found))
                        else:
                            places[k] = (ref.source, found)
                else:
                    assert isinstance(c.a, str) and isinstance(c.b, str)
                    a_slug, b_slug = c.a, c.b
                    inconsistency = c.kind == ContradictionKind.inconsistency
                    if inconsistency and self._claim_of(a_slug) == self._claim_of(b_slug):
                        self.problems.append(
                            where.problem(
                                at,
                                "both statements are about the same claim: that is not an "
                                "inconsistency (a denial is found from the stances)",
                            )
                        )
                        continue
                key = (c.kind, a_slug, b_slug, places[0], places[1])
                if key not in self.db_contradictions:
                    self.plan.contradictions.append(
                        {
                            "key": key,
                            "rationale": c.rationale,
                            **c.review(self.status),
                            "origin": number[id(where)],
                        }
                    )
                    continue
                # A denial's rationale when none is stored is said when read: any will do.
                stored = self.db_contradictions[key]
                if stored is not None and c.rationale is not None and stored != c.rationale:
                    self.problems.append(
                        where.problem(
                            (*at, "rationale"),
                            "this contradiction is already in the database with another rationale",
                        )
                    )


def file_name(path: Path) -> str:
    """A loaded file as its history names it: from the working folder where it is under it
    (seed_data/annotations/...), else by its name alone."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return path.name


def _declared_twice(what: str, slug: str, first: Declared, where: Located, at: YPath) -> Problem:
    line = line_of(first.where.lines, first.at)
    return where.problem(
        (*at, "slug"), f"{what} '{slug}' is declared twice (also {first.where.path}:{line})"
    )


def _source_parts(plan: Plan, slugs: set[str]) -> dict[str, dict[str, set[Any]]]:
    """The dates, citations and furniture planned for SLUGS, as existing.sources gives them."""
    parts: dict[str, dict[str, set[Any]]] = {
        s: {"dates": set(), "citations": set(), "furniture": set()} for s in slugs
    }
    for d in plan.source_dates:
        if d["source"] in parts:
            parts[d["source"]]["dates"].add(
                (
                    d["kind"],
                    d["printed"],
                    d["day"],
                    d["at"],
                    d["span_start"],
                    d["span_end"],
                    d["note"],
                )
            )
    for c in plan.citations:
        if c["source"] in parts:
            parts[c["source"]]["citations"].add(
                (c["cited"], c["evidence"], c["span_start"], c["span_end"])
            )
    for f in plan.furniture:
        if f["source"] in parts:
            parts[f["source"]]["furniture"].add((f["kind"], f["span_start"], f["span_end"]))
    return parts


def _unique_aliases(name: str, aliases: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for alias in (name, *aliases):
        if alias_key(alias) not in seen:
            seen.add(alias_key(alias))
            out.append(alias)
    return out


def _source_row(spec: SourceFields, *, reported_on: dt.date | None, basis: str | None) -> Row:
    return {
        "slug": spec.slug,
        "title": spec.title,
        "outlet": spec.outlet,
        "url": spec.url,
        "byline": spec.byline,
        "language": spec.language,
        "description": spec.description,
        "text": None,
        "sha256": None,
        "reported_on": reported_on,
        "reported_on_basis": basis,
    }


def _norm(value: Any) -> Any:
    """Compare aliases as sets and datetimes by instant, whatever order or zone they come in."""
    if isinstance(value, list):
        return sorted(value)
    if isinstance(value, set):
        return {_norm_item(v) for v in value}
    return value


def _norm_item(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(
            v.astimezone(dt.UTC) if isinstance(v, dt.datetime) and v.tzinfo else v for v in value
        )
    return value


def validate(
    session: Session, files: Iterable[AnnotatedFile], status: ReviewStatus = ReviewStatus.confirmed
) -> Plan:
    """The plan for a batch of parsed files, or InvalidAnnotations with every problem; what it
    adds is STATUS where a file does not say."""
    validator = BatchValidator(status)
    for f in files:
        validator.add(f)
    return validator.finish(session)

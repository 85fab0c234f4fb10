"""Checking a batch of annotation files against each other and the database, into a Plan.

Nothing here writes. Every problem found is collected with its file, line and field, so that a
person fixes a file in one pass.
"""

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.ingest import existing
from app.ingest.parse import AnnotatedFile
from app.ingest.plan import Plan, Row
from app.ingest.problems import InvalidAnnotations, Problem
from app.ingest.spans import NotPlaced
from app.ingest.spec import (
    ActorSpec,
    AppearanceRef,
    ClaimSpec,
    SourceFields,
    StatementSpec,
)
from app.ingest.yamlfile import Path as YPath
from app.ingest.yamlfile import line_of
from app.models import alias_key
from app.models.enums import ActorKind, DateKind, ReviewStatus

Progress = Callable[[str], None]


@dataclass
class Declared:
    """Where a slug is declared in the batch, and its spec."""

    file: AnnotatedFile
    at: YPath
    spec: Any


class BatchValidator:
    """Collects the declarations of a batch, resolves references, places spans, and plans."""

    def __init__(
        self,
        session: Session,
        files: list[AnnotatedFile],
        status: ReviewStatus = ReviewStatus.confirmed,
    ) -> None:
        self.session = session
        self.files = files
        # The review status of what the batch adds, where a file does not say.
        self.status = status
        self.problems: list[Problem] = []
        self.plan = Plan()
        self.actors: dict[str, Declared] = {}
        self.claims: dict[str, Declared] = {}
        self.sources: dict[str, Declared] = {}
        self.statements: dict[str, Declared] = {}
        # (statement, source, quote) -> span starts, built when a misreport needs it.
        self._worded: dict[tuple[str, str, str], set[int]] | None = None

    def run(self) -> Plan:
        for f in self.files:
            self._declare(f)
        self._load_existing()
        for f in self.files:
            self._check_references(f)
        self._check_affiliation_cycles()
        if self.problems:
            raise InvalidAnnotations(self.problems)
        for f in self.files:
            self._plan_file(f)
        self._plan_contradictions()
        if self.problems:
            raise InvalidAnnotations(self.problems)
        return self.plan

    # -- declarations -----------------------------------------------------------------------

    def _declare(self, f: AnnotatedFile) -> None:
        spec = f.spec
        self._declare_one(self.sources, "source", f, ("source",), spec.source)
        for i, source in enumerate(spec.sources):
            self._declare_one(self.sources, "source", f, ("sources", i), source)
        for i, actor in enumerate(spec.actors):
            self._declare_one(self.actors, "actor", f, ("actors", i), actor)
        for i, claim in enumerate(spec.claims):
            self._declare_one(self.claims, "claim", f, ("claims", i), claim)
        for i, statement in enumerate(spec.statements):
            if statement.slug is not None:
                self._declare_one(self.statements, "statement", f, ("statements", i), statement)

    def _declare_one(
        self, table: dict[str, Declared], what: str, f: AnnotatedFile, at: YPath, spec: Any
    ) -> None:
        first = table.get(spec.slug)
        if first is not None:
            where = f"{first.file.path}:{line_of(first.file.lines, first.at)}"
            self.problems.append(
                f.problem((*at, "slug"), f"{what} '{spec.slug}' is declared twice (also {where})")
            )
            return
        table[spec.slug] = Declared(f, at, spec)

    # -- the database -----------------------------------------------------------------------

    def _load_existing(self) -> None:
        """Fetch what the database has of every slug the batch declares or uses."""
        actor_slugs, claim_slugs, source_slugs, statement_slugs = (
            set(self.actors),
            set(self.claims),
            set(self.sources),
            set(self.statements),
        )
        for f in self.files:
            spec = f.spec
            actor_slugs.update(a.affiliation for a in spec.actors if a.affiliation)
            actor_slugs.update(s.outlet for s in (spec.source, *spec.sources) if s.outlet)
            source_slugs.update(c.source for c in spec.source.cites)
            for s in spec.statements:
                actor_slugs.update(x for x in (s.speaker, s.recipient) if x)
                claim_slugs.update([s.claim] if s.claim else [])
                statement_slugs.add(s.key)
            for c in spec.contradictions:
                statement_slugs.update(x for x in (c.statement, c.a, c.b) if isinstance(x, str))
                source_slugs.update(x.source for x in (c.a, c.b) if isinstance(x, AppearanceRef))
        self.db_actors = existing.actors(self.session, actor_slugs)
        self.db_claims = existing.claims(self.session, claim_slugs)
        self.db_sources = existing.sources(self.session, source_slugs)
        self.db_statements = existing.statements(self.session, statement_slugs)
        statement_ids = [row["id"] for row in self.db_statements.values()]
        self.db_appearances = existing.appearances(self.session, statement_ids)
        self.db_contradictions = existing.contradictions(self.session, statement_ids)

    # -- references ---------------------------------------------------------------------------

    def _exists(self, what: str, slug: str) -> bool:
        declared, stored = {
            "actor": (self.actors, self.db_actors),
            "claim": (self.claims, self.db_claims),
            "source": (self.sources, self.db_sources),
            "statement": (self.statements, self.db_statements),
        }[what]
        return slug in declared or slug in stored

    def _require(self, f: AnnotatedFile, at: YPath, what: str, slug: str | None) -> None:
        if slug is not None and not self._exists(what, slug):
            self.problems.append(
                f.problem(at, f"unknown {what} '{slug}': declare it in this load or load it first")
            )

    def actor_kind(self, slug: str) -> ActorKind:
        if slug in self.actors:
            kind: ActorKind = self.actors[slug].spec.kind
            return kind
        return ActorKind(self.db_actors[slug]["kind"])

    def _check_references(self, f: AnnotatedFile) -> None:
        spec = f.spec
        introduced: list[tuple[YPath, SourceFields]] = [(("source",), spec.source)]
        introduced += [(("sources", i), s) for i, s in enumerate(spec.sources)]
        for source_at, source in introduced:
            self._require(f, (*source_at, "outlet"), "actor", source.outlet)
            if source.outlet and self._exists("actor", source.outlet):
                kind = self.actor_kind(source.outlet)
                if kind != ActorKind.outlet:
                    self.problems.append(
                        f.problem(
                            (*source_at, "outlet"), f"'{source.outlet}' is a {kind}, not an outlet"
                        )
                    )
        for i, cite in enumerate(spec.source.cites):
            self._require(f, ("source", "cites", i, "source"), "source", cite.source)
            if cite.source == spec.source.slug:
                self.problems.append(
                    f.problem(("source", "cites", i, "source"), "a source cannot cite itself")
                )
        for i, actor in enumerate(spec.actors):
            self._require(f, ("actors", i, "affiliation"), "actor", actor.affiliation)
        for i, s in enumerate(spec.statements):
            at: YPath = ("statements", i)
            if s.ref is not None:
                self._require(f, (*at, "ref"), "statement", s.ref)
                continue
            self._require(f, (*at, "speaker"), "actor", s.speaker)
            self._require(f, (*at, "claim"), "claim", s.claim)
            self._require(f, (*at, "recipient"), "actor", s.recipient)
        for i, c in enumerate(spec.contradictions):
            at = ("contradictions", i)
            self._require(f, (*at, "statement"), "statement", c.statement)
            for side in ("a", "b"):
                value = getattr(c, side)
                if isinstance(value, str):
                    self._require(f, (*at, side), "statement", value)
                else:
                    self._require(f, (*at, side, "source"), "source", value.source)

    def _check_affiliation_cycles(self) -> None:
        parent = {slug: d.spec.affiliation for slug, d in self.actors.items()}
        for slug, declared in self.actors.items():
            seen, at = {slug}, parent.get(slug)
            while at is not None and at in parent:
                if at in seen:
                    self.problems.append(
                        declared.file.problem(
                            (*declared.at, "affiliation"),
                            f"affiliations form a cycle through '{slug}'",
                        )
                    )
                    break
                seen.add(at)
                at = parent[at]

    # -- planning each file -------------------------------------------------------------------

    def _plan_file(self, f: AnnotatedFile) -> None:
        for i, actor in enumerate(f.spec.actors):
            self._plan_actor(f, ("actors", i), actor)
        for i, claim in enumerate(f.spec.claims):
            self._plan_claim(f, ("claims", i), claim)
        for i, cited in enumerate(f.spec.sources):
            row = _source_row(cited, reported_on=cited.reported_on)
            self._plan_source(
                f, ("sources", i), row, {"dates": set(), "citations": set(), "furniture": set()}
            )
        self._plan_document(f)
        for i, statement in enumerate(f.spec.statements):
            self._plan_statement(f, ("statements", i), statement)

    def _conflict(
        self, f: AnnotatedFile, at: YPath, what: str, slug: str, new: Row, old: Row
    ) -> bool:
        """Report a declaration that differs from the stored one; True when they differ."""
        differ = sorted(k for k in new if k in old and _norm(new[k]) != _norm(old[k]))
        if differ:
            self.problems.append(
                f.problem(
                    at,
                    f"{what} '{slug}' is already in the database with other {', '.join(differ)}; "
                    "the loader never overwrites (edit it through the API)",
                )
            )
        return bool(differ)

    def _plan_actor(self, f: AnnotatedFile, at: YPath, a: ActorSpec) -> None:
        row = {
            "slug": a.slug,
            "name": a.name,
            "kind": a.kind,
            "description": a.description,
            "affiliation": a.affiliation,
            "group_size": a.group_size,
            "knowledge": a.knowledge,
            "aliases": _unique_aliases(a.name, a.aliases),
        }
        if a.slug in self.db_actors:
            self._conflict(f, at, "actor", a.slug, row, self.db_actors[a.slug])
        else:
            self.plan.actors[a.slug] = row

    def _plan_claim(self, f: AnnotatedFile, at: YPath, c: ClaimSpec) -> None:
        row = {"slug": c.slug, "text": c.text, "note": c.note}
        if c.slug in self.db_claims:
            self._conflict(f, at, "claim", c.slug, row, self.db_claims[c.slug])
        else:
            self.plan.claims[c.slug] = row

    def _plan_source(
        self, f: AnnotatedFile, at: YPath, row: Row, parts: dict[str, set[Any]]
    ) -> bool:
        """Plan a source and its dates, citations and furniture; False if it is stored already."""
        slug = row["slug"]
        if slug in self.db_sources:
            self._conflict(f, at, "source", slug, {**row, **parts}, self.db_sources[slug])
            return False
        self.plan.sources[slug] = row
        return True

    def _plan_document(self, f: AnnotatedFile) -> None:
        spec, doc = f.spec.source, f.document
        assert doc is not None
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
                self.problems.append(f.problem(at, str(exc)))
                continue
            furniture.update((item.kind, s, e) for s, e in spans)
        doc.furniture = sorted((s, e) for _, s, e in furniture)
        dates: set[Any] = set()
        for i, d in enumerate(spec.dates):
            try:
                start, end = doc.place(d.printed, occurrence=d.occurrence, article_only=False)
            except NotPlaced as exc:
                self.problems.append(f.problem(("source", "dates", i, "printed"), str(exc)))
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
                    self.problems.append(f.problem(("source", "cites", i, "evidence"), str(exc)))
                    continue
            citations.add((c.source, c.evidence, *span))
        row = _source_row(spec, reported_on=reported_on_of(dates))
        row.update(text=doc.text, sha256=hashlib.sha256(doc.text.encode()).hexdigest())
        parts = {"dates": dates, "citations": citations, "furniture": furniture}
        if self._plan_source(f, ("source",), row, parts):
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

    def _plan_statement(self, f: AnnotatedFile, at: YPath, s: StatementSpec) -> None:
        if s.ref is None:
            row: Row = {
                "slug": s.slug,
                "speaker": s.speaker,
                "claim": s.claim,
                "stance": s.stance,
                "said_on": s.said_on,
                "context": s.context,
                "recipient": s.recipient,
                "via": s.via,
                "note": s.note,
            }
            assert s.slug is not None
            if s.slug in self.db_statements:
                # Review status is curation's to change: a reload does not compare it.
                self._conflict(f, at, "statement", s.slug, row, self.db_statements[s.slug])
            else:
                self.plan.statements[s.slug] = {**row, **s.review(self.status)}
        doc, source = f.document, f.spec.source.slug
        assert doc is not None
        seen: set[int] = set()
        for j, a in enumerate(s.appearances):
            where: YPath = (*at, "appearances", j)
            try:
                start, end = doc.place(a.quote, occurrence=a.occurrence, after=a.after)
            except NotPlaced as exc:
                self.problems.append(f.problem((*where, "quote"), str(exc)))
                continue
            near: dict[str, tuple[int, int] | None] = {"attribution": None, "hedge": None}
            for field in near:
                words = getattr(a, field)
                try:
                    near[field] = doc.nearest(words, (start, end)) if words else None
                except NotPlaced as exc:
                    self.problems.append(f.problem((*where, field), str(exc)))
            attribution, hedge = near["attribution"], near["hedge"]
            if start in seen:
                self.problems.append(
                    f.problem((*where, "quote"), "the same appearance is given twice")
                )
                continue
            seen.add(start)
            row = {
                "statement": s.key,
                "source": source,
                "quote": a.quote,
                "mode": a.mode,
                "span_start": start,
                "span_end": end,
                "attribution": a.attribution,
                "attribution_start": attribution[0] if attribution else None,
                "attribution_end": attribution[1] if attribution else None,
                "hedge": a.hedge,
                "hedge_start": hedge[0] if hedge else None,
                "hedge_end": hedge[1] if hedge else None,
                "note": a.note,
            }
            stored = self.db_appearances.get((s.key, source, start))
            if stored is None:
                self.plan.appearances.append({**row, **a.review(self.status)})
            else:
                self._conflict(f, where, "appearance of", s.key, row, stored)

    # -- contradictions -------------------------------------------------------------------------

    def _claim_of(self, statement: str) -> str:
        if statement in self.statements:
            claim: str = self.statements[statement].spec.claim
            return claim
        return str(self.db_statements[statement]["claim"])

    def _find_appearance(self, statement: str, ref: AppearanceRef) -> int | str:
        """The span start of STATEMENT's appearance in REF.source worded REF.quote, or why not."""
        if self._worded is None:
            self._worded = defaultdict(set)
            for row in [*self.plan.appearances, *self.db_appearances.values()]:
                key = (row["statement"], row["source"], row["quote"])
                self._worded[key].add(row["span_start"])
        matches = set(self._worded.get((statement, ref.source, ref.quote), ()))
        if len(matches) == 1:
            return matches.pop()
        if not matches:
            return f"'{statement}' has no appearance in '{ref.source}' quoted {ref.quote!r}"
        return f"'{statement}' appears in '{ref.source}' more than once with that quote"

    def _plan_contradictions(self) -> None:
        for f in self.files:
            for i, c in enumerate(f.spec.contradictions):
                at: YPath = ("contradictions", i)
                places: list[tuple[str, int] | None] = [None, None]
                if isinstance(c.a, AppearanceRef) and isinstance(c.b, AppearanceRef):
                    assert c.statement is not None
                    a_slug = b_slug = c.statement
                    for k, (side, ref) in enumerate((("a", c.a), ("b", c.b))):
                        found = self._find_appearance(c.statement, ref)
                        if isinstance(found, str):
                            self.problems.append(f.problem((*at, side, "quote"), found))
                        else:
                            places[k] = (ref.source, found)
                else:
                    assert isinstance(c.a, str) and isinstance(c.b, str)
                    a_slug, b_slug = c.a, c.b
                    if self._claim_of(a_slug) == self._claim_of(b_slug):
                        self.problems.append(
                            f.problem(
                                at,
                                "both statements are about the same claim: that is not an "
                                "inconsistency (a denial is found from the stances)",
                            )
                        )
                        continue
                key = (c.kind, a_slug, b_slug, places[0], places[1])
                stored = self.db_contradictions.get(key)
                if stored is None:
                    self.plan.contradictions.append(
                        {"key": key, "rationale": c.rationale, **c.review(self.status)}
                    )
                elif stored != c.rationale:
                    self.problems.append(
                        f.problem(
                            (*at, "rationale"),
                            "this contradiction is already in the database with another rationale",
                        )
                    )


def _unique_aliases(name: str, aliases: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for alias in (name, *aliases):
        if alias_key(alias) not in seen:
            seen.add(alias_key(alias))
            out.append(alias)
    return out


def _source_row(spec: SourceFields, *, reported_on: dt.date | None) -> Row:
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
    }


def day_and_time(value: dt.date | dt.datetime) -> tuple[dt.date, dt.datetime | None]:
    if isinstance(value, dt.datetime):
        return value.date(), value
    return value, None


def reported_on_of(dates: set[Any]) -> dt.date | None:
    for kind in (DateKind.published, DateKind.updated, DateKind.page):
        days: list[dt.date] = sorted(d[2] for d in dates if d[0] == kind)
        if days:
            return days[0]
    return None


def date_row(source: str, d: tuple[Any, ...]) -> Row:
    kind, printed, day, at, start, end, note = d
    return {
        "source": source,
        "kind": kind,
        "printed": printed,
        "day": day,
        "at": at,
        "span_start": start,
        "span_end": end,
        "note": note,
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
    session: Session, files: list[AnnotatedFile], status: ReviewStatus = ReviewStatus.confirmed
) -> Plan:
    """The plan for a batch of parsed files, or InvalidAnnotations with every problem; what it
    adds is STATUS where a file does not say."""
    return BatchValidator(session, files, status).run()

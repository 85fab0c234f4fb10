"""`sayso export`: the whole database written as annotation files (`sayso/1`, YAML) that
`sayso load` restores to the same rows.

DIR/documents/<slug>.txt is each source's text byte for byte, and
DIR/annotations/<reporting date>_<slug>.yaml its annotations, so that the files sort (and load) in
the order of the reports. A statement is declared in the file of its earliest report and the later
reports add a `ref`; an actor, a claim or a source without text is declared in the first file that
needs it (an actor's affiliation with it, before it: SQLite checks the reference as each row is
inserted); what no document needs goes in the last file (the format has no file without a
document). Every span is written as its exact text, with the `occurrence` the loader needs to find
that very place, and is checked by placing it again as the loader will. What the loader derives is
not written (denials, alias keys, a document's reporting date), but checked to be what it derives;
a denial a person rejected is written, as a rejected `denial`, so that the review is kept.
"""

import datetime as dt
import hashlib
import os
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import DefaultClause, Engine, Select, String, cast, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.documents.spans import Document
from app.ingest.dump_document import DocumentWriter, DumpedFile, Entry, compact, review
from app.ingest.existing import CHUNK
from app.models import (
    Actor,
    ActorAlias,
    Appearance,
    Base,
    Claim,
    Contradiction,
    Source,
    SourceCitation,
    SourceDate,
    SourceFurniture,
    Statement,
)
from app.models.enums import ContradictionKind, ReviewStatus

Progress = Callable[[str], None]
COUNTED = (
    "documents",
    "sources without text",
    "actors",
    "claims",
    "statements",
    "appearances",
    "contradictions",
)
BATCH = 200  # documents read per round of queries: bounds the memory whatever the database size
# Every column of the tables the format holds, as the loader fills it: said in the files, or
# derived by the loader from what they say (ids, alias and name keys, a document's reporting date).
# A column added since is checked at export: a value that a restore would not give back is refused.
CARRIED = {
    table: set(columns.split())
    for table, columns in {
        "actors": "slug name name_key kind description affiliation_id group_size knowledge",
        "actor_aliases": "actor_id alias alias_key",
        "claims": "slug text note",
        "sources": "slug title outlet_id url byline language description text sha256 reported_on "
        "reported_on_basis",
        "source_dates": "source_id kind printed day at span_start span_end note",
        "source_citations": "source_id cited_source_id evidence span_start span_end",
        "source_furniture": "source_id kind span_start span_end",
        "statements": "slug speaker_id claim_id stance said_on dated_on context recipient_id via "
        "note status status_reason",
        "appearances": "statement_id source_id quote mode span_start span_end attribution "
        "attribution_start attribution_end hedge hedge_start hedge_end note status status_reason",
        "contradictions": "kind statement_a_id statement_b_id appearance_a_id appearance_b_id "
        "rationale status status_reason",
    }.items()
}
# Not data, and started afresh by a restore: an edit counter (it names a row's ETag).
RESTARTED = ("id", "version")
Outlet = aliased(Actor, name="outlet")
Affiliation = aliased(Actor, name="affiliation")
Cited = aliased(Source, name="cited")
Speaker, Recipient = aliased(Actor, name="speaker"), aliased(Actor, name="recipient")
SideA, SideB = aliased(Statement, name="side_a"), aliased(Statement, name="side_b")
SameWording = aliased(Appearance, name="same_wording")


class NotExportable(Exception):
    """The database holds something the annotation format cannot say; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s); nothing was exported:\n{shown}{more}")


@contextmanager
def snapshot_session(engine: Engine) -> Iterator[Session]:
    """A read-only session whose every query sees the database as it was at the first one."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with Session(engine) as session, session.begin():
        conn = session.connection()
        driver = conn.connection.dbapi_connection
        if engine.dialect.name == "sqlite" and not getattr(driver, "in_transaction", True):
            # pysqlite opens no transaction for a SELECT (unless the engine begins its own, as
            # app.db.engine's does): each would see the latest commit.
            conn.exec_driver_sql("BEGIN")
        yield session


def export(
    session: Session, directory: Path, progress: Progress = lambda _: None
) -> dict[str, int]:
    """Write the database into DIRECTORY (new or empty); returns how many of each were written.

    The files are written beside it first and moved in place at the end, so that a failed
    export (NotExportable) leaves nothing that `sayso load` could take for a whole dump.
    """
    directory = directory.resolve()  # "." has no name to put the work beside
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise FileExistsError(f"{directory} exists and is not an empty folder")
    directory.parent.mkdir(parents=True, exist_ok=True)
    work = directory.with_name(f".{directory.name}.partial-{os.getpid()}")
    work.mkdir()
    try:
        counts = _Exporter(session, work, progress).run()
    except BaseException:
        shutil.rmtree(work)
        raise
    if directory.exists():  # empty: filled, not replaced (it may be someone's working folder)
        for part in ("documents", "annotations"):  # the documents first: annotations need them
            (work / part).rename(directory / part)
        work.rmdir()
    else:
        work.rename(directory)
    return counts


def _chunks(items: Iterable[int]) -> Iterator[list[int]]:
    batch = sorted(items)
    for i in range(0, len(batch), CHUNK):
        yield batch[i : i + CHUNK]


class _Exporter:
    """Reads the database a batch of documents at a time and writes one file per document."""

    def __init__(self, session: Session, root: Path, progress: Progress) -> None:
        self.session = session
        self.root = root
        self.progress = progress
        self.problems: list[str] = []
        self.writer = DocumentWriter(self.problems)
        self.counts: Counter[str] = Counter()
        # What earlier files declared (ids): each is declared once, in the first file needing it.
        self.declared: dict[str, set[int]] = {"actors": set(), "claims": set(), "sources": set()}
        self.rank: dict[int, int] = {}  # document id -> its place in the export order

    def run(self) -> dict[str, int]:
        self._check_sayable()
        order = self._documents_in_order()
        self.rank = {id_: i for i, id_ in enumerate(order)}
        (self.root / "annotations").mkdir()
        (self.root / "documents").mkdir()
        last: DumpedFile | None = None
        for i in range(0, len(order), BATCH):
            for f in self._files(order[i : i + BATCH]):
                if last is not None:
                    self._write(last)
                last = f  # the last one also takes what no document needs
            self.progress(f"[{min(i + BATCH, len(order))}/{len(order)}] documents exported")
        actors, sources, claims = self._leftovers()
        if last is not None:
            last.actors += actors
            last.sources += sources
            last.claims += claims
            self._write(last)
        elif actors or sources or claims:
            self.problems.append("no source has a text, and every annotation file needs one")
        if self.problems:
            raise NotExportable(self.problems)
        return {k: self.counts[k] for k in COUNTED}

    def _write(self, f: DumpedFile) -> None:
        (self.root / "documents" / f"{f.slug}.txt").write_bytes(f.raw)
        (self.root / "annotations" / f"{f.name}.yaml").write_text(f.render(), encoding="utf-8")
        self.counts["documents"] += 1

    # -- what cannot be said at all -----------------------------------------------------------

    def _check_columns(self) -> None:
        """Values of columns the format does not carry: refused unless they are what a restore
        writes (the column's default, or NULL); tables it does not hold are named, not written."""
        for table in Base.metadata.sorted_tables:
            if table.name not in CARRIED:
                n = self.session.scalar(select(func.count()).select_from(table))
                if n:
                    self.progress(f"not exported: {n} {table.name} (the format has no place)")
                continue
            for column in table.c:
                if column.name in CARRIED[table.name] or column.name in RESTARTED:
                    continue
                default = column.server_default
                lost = (
                    cast(column, String) != str(default.arg)
                    if isinstance(default, DefaultClause) and isinstance(default.arg, str)
                    else column.is_not(None)
                )
                n = self.session.scalar(select(func.count()).select_from(table).where(lost))
                if n:
                    self.problems.append(
                        f"{n} {table.name} have a {column.name} that the format cannot say"
                    )

    def _check_sayable(self) -> None:
        """Rows the format has no place for (the loader never writes them): refused up front."""
        self._check_columns()
        textless = select(Source.id).where(Source.text.is_(None))
        checks: list[tuple[str, Select[Any]]] = [
            (
                "statements reported by no source",
                select(Statement.slug).where(
                    ~exists().where(Appearance.statement_id == Statement.id)
                ),
            ),
            (
                "appearances in a source without text (of statements)",
                select(Statement.slug)
                .join(Appearance, Appearance.statement_id == Statement.id)
                .where(Appearance.source_id.in_(textless)),
            ),
        ]
        for what, part in (
            ("dates", SourceDate),
            ("citations", SourceCitation),
            ("furniture", SourceFurniture),
        ):
            query = select(Source.slug).where(
                Source.id.in_(textless), exists().where(part.source_id == Source.id)
            )
            checks.append((f"{what} of a source without text (sources)", query))
        for what, query in checks:
            found = self.session.scalars(query.order_by(None).limit(5)).all()
            if found:
                self.problems.append(f"{what}: {', '.join(found)}")
        if self.problems:
            raise NotExportable(self.problems)

    def _documents_in_order(self) -> list[int]:
        """Sources with a text, in the order of their files' names: by reporting date (undated
        last), then slug. Sorted here, as Python sorts the names: database collations differ."""
        rows = list(
            self.session.execute(
                select(Source.id, Source.slug, Source.reported_on).where(Source.text.is_not(None))
            )
        )
        rows.sort(key=lambda r: (r.reported_on is None, r.reported_on or dt.date.min, r.slug))
        return [r.id for r in rows]

    # -- one batch of documents ---------------------------------------------------------------

    def _by_source(self, query: Select[Any]) -> dict[int, list[Any]]:
        found: dict[int, list[Any]] = defaultdict(list)
        for row in self.session.execute(query):
            found[row.source_id].append(row)
        return found

    def _files(self, ids: list[int]) -> Iterator[DumpedFile]:
        sources = self.session.execute(
            select(*Source.__table__.c, Outlet.slug.label("outlet"))
            .outerjoin(Outlet, Outlet.id == Source.outlet_id)
            .where(Source.id.in_(ids))
        ).all()
        by_id = {s.id: s for s in sources}
        dates = self._by_source(
            select(*SourceDate.__table__.c).where(SourceDate.source_id.in_(ids))
        )
        cites = self._by_source(
            select(*SourceCitation.__table__.c, Cited.slug.label("cited"), Cited.sha256)
            .join(Cited, Cited.id == SourceCitation.cited_source_id)
            .where(SourceCitation.source_id.in_(ids))
        )
        furniture = self._by_source(
            select(*SourceFurniture.__table__.c).where(SourceFurniture.source_id.in_(ids))
        )
        appearances = self._by_source(
            select(*Appearance.__table__.c, Statement.slug.label("statement"))
            .join(Statement, Statement.id == Appearance.statement_id)
            .where(Appearance.source_id.in_(ids))
        )
        home = self._homes({a.statement_id for rows in appearances.values() for a in rows})
        statements = self._statements({s for s, src in home.items() if src in by_id})
        contradictions = self._contradictions(statements)

        # Declared in this batch's files, each in the first one that needs it.
        new_sources = [
            self._new("sources", [c.cited_source_id for c in cites[i] if c.sha256 is None])
            for i in ids
        ]
        cited = self._cited_sources([s for group in new_sources for s in group])
        declared_in: dict[int, list[Any]] = defaultdict(list)
        for s in statements.values():
            declared_in[home[s.id]].append(s)
        file_statements = [declared_in[i] for i in ids]
        actors = self._actors(
            [
                [
                    by_id[i].outlet_id,
                    *(cited[s]["outlet_id"] for s in new_sources[k]),
                    *(x for s in file_statements[k] for x in (s.speaker_id, s.recipient_id)),
                ]
                for k, i in enumerate(ids)
            ]
        )
        new_claims = [self._new("claims", [s.claim_id for s in group]) for group in file_statements]
        claims = self._claims([c for group in new_claims for c in group])

        for k, i in enumerate(ids):
            src = by_id[i]
            doc = Document(src.text, [(f.span_start, f.span_end) for f in furniture[i]])
            f = DumpedFile(
                slug=src.slug,
                name=f"{src.reported_on or 'undated'}_{src.slug}",
                raw=src.text.encode("utf-8"),
                source=self.writer.source(src, doc, dates[i], cites[i], furniture[i]),
                statements=self.writer.statements(src.slug, doc, appearances[i], statements, home),
                actors=actors[k],
                sources=[cited[s]["entry"] for s in new_sources[k]],
                claims=[claims[c] for c in new_claims[k]],
                contradictions=[e for s in file_statements[k] for e in contradictions[s.id]],
            )
            self.counts["appearances"] += len(appearances[i])
            if hashlib.sha256(f.raw).hexdigest() != src.sha256:
                self.problems.append(f"source '{src.slug}': its text does not match its sha256")
            yield f

    def _new(self, what: str, ids: Iterable[int | None]) -> list[int]:
        """Those of IDS not declared yet, in order, now declared."""
        new: list[int] = []
        for id_ in ids:
            if id_ is not None and id_ not in self.declared[what]:
                self.declared[what].add(id_)
                new.append(id_)
        return new

    def _homes(self, statement_ids: set[int]) -> dict[int, int]:
        """Statement id -> the document of its earliest report (in export order)."""
        home: dict[int, int] = {}
        for chunk in _chunks(statement_ids):
            for sid, src in self.session.execute(
                select(Appearance.statement_id, Appearance.source_id).where(
                    Appearance.statement_id.in_(chunk)
                )
            ):
                if sid not in home or self.rank[src] < self.rank[home[sid]]:
                    home[sid] = src
        return home

    def _statements(self, ids: set[int]) -> dict[int, Any]:
        found: dict[int, Any] = {}
        for chunk in _chunks(ids):
            for row in self.session.execute(
                select(
                    *Statement.__table__.c,
                    Speaker.slug.label("speaker"),
                    Claim.slug.label("claim"),
                    Recipient.slug.label("recipient"),
                )
                .join(Speaker, Speaker.id == Statement.speaker_id)
                .join(Claim, Claim.id == Statement.claim_id)
                .outerjoin(Recipient, Recipient.id == Statement.recipient_id)
                .where(Statement.id.in_(chunk))
            ):
                found[row.id] = row
        self.counts["statements"] += len(found)
        return found

    # -- declarations ---------------------------------------------------------------------------

    def _actors(self, needs: list[list[int | None]]) -> list[list[Entry]]:
        """The actors each file declares: those it needs that no earlier file declared, each
        with the affiliations it needs that are not declared yet (in the same file, which loads
        before any file that could otherwise declare them)."""
        rows, aliases = self._actor_rows({a for ids in needs for a in ids if a is not None})
        entries: list[list[Entry]] = [[] for _ in needs]
        for k, ids in enumerate(needs):
            for at in ids:
                while at is not None and at not in self.declared["actors"]:
                    self.declared["actors"].add(at)
                    entries[k].append(self._actor(rows[at], aliases[at]))
                    at = rows[at].affiliation_id
        return entries

    def _actor_rows(self, ids: set[int]) -> tuple[dict[int, Any], dict[int, list[str]]]:
        """The undeclared actors of IDS and their undeclared affiliations, and their aliases."""
        rows: dict[int, Any] = {}
        aliases: dict[int, list[str]] = defaultdict(list)
        wanted = ids - self.declared["actors"]
        while wanted:
            for chunk in _chunks(wanted):
                for row in self.session.execute(
                    select(*Actor.__table__.c, Affiliation.slug.label("affiliation"))
                    .outerjoin(Affiliation, Affiliation.id == Actor.affiliation_id)
                    .where(Actor.id.in_(chunk))
                ):
                    rows[row.id] = row
                for actor_id, alias in self.session.execute(
                    select(ActorAlias.actor_id, ActorAlias.alias)
                    .where(ActorAlias.actor_id.in_(chunk))
                    .order_by(ActorAlias.id)
                ):
                    aliases[actor_id].append(alias)
            parents = {r.affiliation_id for r in rows.values() if r.affiliation_id is not None}
            wanted = parents - self.declared["actors"] - rows.keys()
        return rows, aliases

    def _actor(self, a: Any, aliases: list[str]) -> Entry:
        self.counts["actors"] += 1
        if not aliases or aliases[0] != a.name:
            # The loader makes an actor's name its first alias, always.
            self.problems.append(f"actor '{a.slug}': its first alias is not its name {a.name!r}")
        return compact(
            slug=a.slug,
            name=a.name,
            kind=a.kind.value,
            description=a.description,
            affiliation=a.affiliation,
            aliases=aliases[1:],
            group_size=a.group_size,
            knowledge=a.knowledge,
        )

    def _claims(self, ids: list[int]) -> dict[int, Entry]:
        found: dict[int, Entry] = {}
        for chunk in _chunks(ids):
            for c in self.session.execute(select(*Claim.__table__.c).where(Claim.id.in_(chunk))):
                found[c.id] = compact(slug=c.slug, text=c.text, note=c.note)
        self.counts["claims"] += len(found)
        return found

    def _cited_sources(self, ids: list[int]) -> dict[int, Entry]:
        """Sources without text: source id -> its entry and its outlet's id."""
        found: dict[int, Entry] = {}
        for chunk in _chunks(ids):
            for s in self.session.execute(
                select(*Source.__table__.c, Outlet.slug.label("outlet"))
                .outerjoin(Outlet, Outlet.id == Source.outlet_id)
                .where(Source.id.in_(chunk))
            ):
                entry = compact(
                    slug=s.slug,
                    title=s.title,
                    outlet=s.outlet,
                    url=s.url,
                    byline=s.byline,
                    language=s.language,
                    description=s.description,
                    reported_on=s.reported_on,
                    reported_on_basis=s.reported_on_basis,
                )
                found[s.id] = {"entry": entry, "outlet_id": s.outlet_id}
        self.counts["sources without text"] += len(found)
        return found

    def _leftovers(self) -> tuple[list[Entry], list[Entry], list[Entry]]:
        """What no document needs: its actors, sources without text, and claims."""
        textless = select(Source.id).where(Source.text.is_(None))
        sources = self._cited_sources(self._new("sources", self.session.scalars(textless)))
        actors = self._actors([list(self.session.scalars(select(Actor.id)))])[0]
        claims = self._claims(self._new("claims", self.session.scalars(select(Claim.id))))
        return actors, [s["entry"] for s in sources.values()], list(claims.values())

    # -- contradictions -------------------------------------------------------------------------

    def _contradictions(self, statements: dict[int, Any]) -> dict[int, list[Entry]]:
        """Curated contradictions, by their `a` statement; of the denials (sayso derives them),
        only those a person rejected, so that a restore keeps the review."""
        rows: list[Any] = []
        for chunk in _chunks(statements):
            rows += self.session.execute(
                select(*Contradiction.__table__.c, SideA.slug.label("a"), SideB.slug.label("b"))
                .join(SideA, SideA.id == Contradiction.statement_a_id)
                .join(SideB, SideB.id == Contradiction.statement_b_id)
                .where(
                    or_(
                        Contradiction.kind != ContradictionKind.denial,
                        Contradiction.status == ReviewStatus.rejected,
                    ),
                    Contradiction.statement_a_id.in_(chunk),
                )
            ).all()
        places = self._appearance_refs(
            [x for c in rows for x in (c.appearance_a_id, c.appearance_b_id) if x is not None]
        )
        found: dict[int, list[Entry]] = defaultdict(list)
        for c in rows:
            self.counts["contradictions"] += 1
            if c.kind != ContradictionKind.misreport:
                entry = {"kind": c.kind.value, "a": c.a, "b": c.b}
                if c.rationale is not None:  # a denial sayso found has none stored
                    entry["rationale"] = c.rationale
            else:
                sides = [places[c.appearance_a_id], places[c.appearance_b_id]]
                for source, quote, same in sides:
                    if same > 1:  # the format names an appearance by its source and its words
                        self.problems.append(
                            f"misreport of '{c.a}': it appears {same} times in '{source}' "
                            f"quoted {quote!r}, and the format cannot say which one is meant"
                        )
                a, b = ({"source": s, "quote": q} for s, q, _ in sides)
                entry = {"kind": c.kind.value, "statement": c.a, "a": a, "b": b}
                entry["rationale"] = c.rationale
            found[c.statement_a_id].append({**entry, **review(c)})
        return found

    def _appearance_refs(self, ids: Sequence[int]) -> dict[int, tuple[str, str, int]]:
        """Appearance id -> (source slug, quote, how many of its statement's appearances in that
        source have that quote)."""
        same = (
            select(func.count())
            .where(
                SameWording.statement_id == Appearance.statement_id,
                SameWording.source_id == Appearance.source_id,
                SameWording.quote == Appearance.quote,
            )
            .scalar_subquery()
        )
        found: dict[int, tuple[str, str, int]] = {}
        for chunk in _chunks(ids):
            for id_, source, quote, n in self.session.execute(
                select(Appearance.id, Source.slug, Appearance.quote, same)
                .join(Source, Source.id == Appearance.source_id)
                .where(Appearance.id.in_(chunk))
            ):
                found[id_] = (source, quote, n)
        return found

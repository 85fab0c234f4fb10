"""Writing a validated Plan: bulk inserts in dependency order, inside the caller's transaction.

The rows go straight to the driver (SQLite's executemany, PostgreSQL's COPY) with their ids
given: the tables are locked against other writers first, ids are taken after the largest one,
and PostgreSQL's sequences are moved past them at the end. This skips SQLAlchemy's per-row work,
which cost more than the inserts.
"""

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from enum import Enum
from operator import itemgetter
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from app.contradictions.derive import refresh_denials
from app.db.ids import first_free
from app.db.reads import release_freed_memory
from app.ingest.existing import CHUNK
from app.ingest.plan import Plan, PlannedAppearance, PlannedStatement, Row
from app.models import (
    Actor,
    ActorAlias,
    Appearance,
    Change,
    Claim,
    Contradiction,
    Source,
    SourceCitation,
    SourceDate,
    SourceFurniture,
    Statement,
    alias_key,
)
from app.models.enums import ChangeAction, ReviewStatus
from app.models.types import UTCDateTime
from app.search import index as search_index
from app.shared.dating import redate

Progress = Callable[[str], None]
# The most page cache a load gives its SQLite connection (KiB): about what 1M statements use.
SQLITE_CACHE_KIB = 512 * 1024
# FTS5's in-memory index before it writes a segment: its default, and a bulk load's.
SQLITE_FTS5_HASHSIZE, SQLITE_FTS5_BULK_HASHSIZE = 1024 * 1024, 16 * 1024 * 1024
TABLES: list[Table] = [
    m.__table__  # type: ignore[misc]
    for m in (
        Actor,
        ActorAlias,
        Claim,
        Source,
        SourceDate,
        SourceCitation,
        SourceFurniture,
        Statement,
        Appearance,
        Contradiction,
        Change,
    )
]


class BulkWriter:
    """Inserts rows with the driver's executemany, giving each row its id."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.next_ids: dict[str, int] = {}
        self.ids: dict[str, dict[str, int]] = {}  # table -> slug -> id

    def lock(self) -> None:
        """Keep other writers out until the transaction ends, so that the ids stay ours."""
        if self.sqlite:
            # Any write statement takes SQLite's write lock for the rest of the transaction.
            self.conn.exec_driver_sql("UPDATE actors SET id = id WHERE 0")
        else:
            names = ", ".join(t.name for t in TABLES)
            self.conn.exec_driver_sql(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")
        for table in TABLES:
            self.next_ids[table.name] = first_free(self.conn, table)
        # The first ids of the load, and of the batch being written (LoadWriter.write).
        self.load_first_ids = dict(self.next_ids)
        self.first_ids = dict(self.next_ids)

    def insert(self, table: Table, rows: list[Row], **computed: Callable[[Row], Any]) -> list[int]:
        """Insert ROWS with their ids: each row's values for the table's columns, taken from
        COMPUTED (column -> function of the row) or else from the row itself."""
        if not rows:
            return []
        first = self.take_ids(table, len(rows))
        ids = list(range(first, first + len(rows)))
        # Values a row holds as they are, fetched in one step; then the computed or converted.
        plain = [
            c.key
            for c in table.columns
            if c.key in rows[0] and c.key not in computed and self.converter(c.type) is None
        ]
        derived = [
            (c.key, _derive(c.key, computed.get(c.key), self.converter(c.type)))
            for c in table.columns
            if c.key != "id" and c.key not in plain and (c.key in computed or c.key in rows[0])
        ]
        names = ["id", *plain, *(key for key, _ in derived)]
        fetch = itemgetter(*plain) if len(plain) > 1 else (lambda r: (r[plain[0]],))
        makers = [make for _, make in derived]
        values = [
            (id_, *(fetch(row) if plain else ()), *(make(row) for make in makers))
            for id_, row in zip(ids, rows, strict=True)
        ]
        self.send(table, names, values)
        return ids

    def take_ids(self, table: Table, count: int) -> int:
        """The first of COUNT consecutive ids for new rows of TABLE."""
        first = self.next_ids[table.name]
        self.next_ids[table.name] = first + count
        return first

    def send(self, table: Table, names: Iterable[str], values: Iterable[tuple[Any, ...]]) -> None:
        """Insert VALUES (tuples of the columns NAMES, ready for the driver), as they come."""
        names = list(names)
        columns = ", ".join(table.c[name].name for name in names)
        if self.sqlite:
            marks = ", ".join("?" for _ in names)
            raw = self.conn.connection.dbapi_connection
            cursor = cast(sqlite3.Cursor, raw.cursor())  # type: ignore[union-attr]
            # The driver's own executemany takes an iterator: the rows are never all in a list.
            cursor.executemany(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", values)
            cursor.close()
        else:
            # COPY: PostgreSQL's bulk path, one stream instead of a round trip per row.
            pg = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            with pg.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)

    def converter(self, type_: Any) -> Callable[[Any], Any] | None:
        """How a value of a column type is handed to the driver, when it needs converting."""
        if isinstance(type_, sa.Enum):
            return _enum_value
        if self.sqlite and isinstance(type_, UTCDateTime):
            return _sqlite_instant
        if self.sqlite and isinstance(type_, sa.Date):
            return _iso_date
        return None

    def insert_named(self, table: Table, rows: list[Row], **computed: Callable[[Row], Any]) -> None:
        """Insert rows that have a slug, remembering slug -> id."""
        ids = self.insert(table, rows, **computed)
        self.ids.setdefault(table.name, {}).update(
            {row["slug"]: id_ for row, id_ in zip(rows, ids, strict=True)}
        )

    def id_of(self, table: Table, slugs: Iterable[str | None]) -> dict[str, int]:
        """Slug -> id for SLUGS, from this load or from the database."""
        known = self.ids.setdefault(table.name, {})
        missing = sorted({s for s in slugs if s is not None and s not in known})
        for i in range(0, len(missing), CHUNK):
            rows = self.conn.execute(
                select(table.c.slug, table.c.id).where(table.c.slug.in_(missing[i : i + CHUNK]))
            )
            known.update({slug: id_ for slug, id_ in rows})
        return known

    @contextmanager
    def tuned(self, expected_rows: int) -> Iterator[None]:
        """On SQLite, give this connection a page cache in proportion to the load while it
        writes (SQLite's default, 2 MB, makes every insert into a large index read and write
        pages again), and set it back after: the connection may serve other work."""
        if not self.sqlite:
            yield
            return
        cache_kib = min(max(expected_rows // 2, 2_048), SQLITE_CACHE_KIB)
        old = self.conn.exec_driver_sql("PRAGMA cache_size").scalar()
        self.conn.exec_driver_sql(f"PRAGMA cache_size=-{cache_kib}")
        try:
            yield
        finally:
            self.conn.exec_driver_sql(f"PRAGMA cache_size={old}")

    @contextmanager
    def indexes_deferred(self, tables: Iterable[Table]) -> Iterator[None]:
        """On SQLite, build the secondary indexes of TABLES that are empty after their rows are
        in, rather than row by row: one sorted pass instead of a random insert per row.

        Like the search triggers, they are dropped and made again inside this transaction, from
        their definitions as stored: other connections never see them missing, and a crash
        rolls both back. Unique constraints stay (they cannot be dropped, and they guard).
        """
        indexes: list[tuple[str, str]] = []
        if self.sqlite:
            for table in tables:
                if self.conn.exec_driver_sql(f"SELECT 1 FROM {table.name} LIMIT 1").first():
                    continue  # a table with rows keeps its indexes: rebuilding costs more
                indexes += [
                    (str(name), str(sql))
                    for name, sql in self.conn.exec_driver_sql(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                        "AND tbl_name = ? AND sql IS NOT NULL",
                        (table.name,),
                    )
                ]
            for name, _sql in indexes:
                self.conn.exec_driver_sql(f"DROP INDEX {name}")
        yield
        for _name, sql in indexes:
            self.conn.exec_driver_sql(sql)

    @contextmanager
    def search_index_deferred(self) -> Iterator[None]:
        """Index the new rows for search in one statement per table, not row by row.

        Both engines are many times faster fed in bulk than through per-row triggers. On SQLite
        the triggers are set aside inside this transaction only (their definitions are read back
        from the database, so they come back exactly as the migrations made them; no other
        connection sees them missing); on PostgreSQL they skip their work while this transaction
        sets `sayso.bulk_load` (see the search_bulk_load migration). The rows this load added
        are indexed at the end.
        """
        first = dict(self.next_ids)
        triggers: list[tuple[str, str]] = []
        if self.sqlite:
            triggers = [
                (str(name), str(sql))
                for name, sql in self.conn.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                    "AND name LIKE 'search\\_%\\_insert' ESCAPE '\\'"
                )
            ]
            for name, _sql in triggers:
                self.conn.exec_driver_sql(f"DROP TRIGGER {name}")
        else:
            self.conn.exec_driver_sql("SET LOCAL sayso.bulk_load = 'on'")
        yield
        row_id = "rowid" if self.sqlite else "id"  # FTS5 keys its rows by rowid
        # The rows and keys the search_index migrations' triggers write (tests/ingest check),
        # in key order: PostgreSQL's searches take the first matches as stored.
        rows = " UNION ALL ".join(
            f"SELECT {search_index.row_key(column, 'id', code)}, {column}, {code}, id "
            f"FROM {table} WHERE id >= {first[table]}"
            for table, code, column in search_index.SOURCES
        )
        if self.sqlite:  # FTS5 then writes its index in fewer, larger pieces (~13% faster)
            self._fts5_hashsize(SQLITE_FTS5_BULK_HASHSIZE)
        self.conn.exec_driver_sql(
            f"INSERT INTO search_index ({row_id}, body, kind, ref_id) {rows} ORDER BY 1"
        )
        if self.sqlite:
            self._fts5_hashsize(SQLITE_FTS5_HASHSIZE)
            # The new sources' texts (PostgreSQL's index on them is kept by PostgreSQL).
            self.conn.exec_driver_sql(search_index.index_source_texts(first["sources"]))
        for _name, sql in triggers:
            self.conn.exec_driver_sql(sql)
        if not self.sqlite:
            self.conn.exec_driver_sql("SET LOCAL sayso.bulk_load = 'off'")

    def _fts5_hashsize(self, size: int) -> None:
        """How much of the index FTS5 gathers in memory before writing it out (a setting it
        stores in the table: written inside this transaction like the rest)."""
        self.conn.exec_driver_sql(
            "INSERT INTO search_index (search_index, rank) VALUES ('hashsize', ?)", (size,)
        )

    def finish(self) -> None:
        """On PostgreSQL, move each id sequence past the ids given here (never back: an id a
        deletion retired is not to be given again)."""
        if self.sqlite:
            return
        for table in TABLES:
            sequence = f"pg_get_serial_sequence('{table.name}', 'id')"
            self.conn.exec_driver_sql(
                f"SELECT setval({sequence}, GREATEST({self.next_ids[table.name] - 1}, 1, "
                f"COALESCE(pg_sequence_last_value({sequence}::regclass), 1)))"
            )

    def analyze_grown(self, denials: int) -> None:
        """On PostgreSQL, gather the planner's statistics of every table this load grew by a
        tenth or more (DENIALS: the rows refresh_denials added), as autovacuum would later on
        (its default threshold): the first queries after a large load are then planned from
        the rows as they are. SQLite's queries are planned without statistics (their hints
        say which index to use), so nothing is gathered there."""
        if self.sqlite:
            return
        added = {t.name: self.next_ids[t.name] - self.load_first_ids[t.name] for t in TABLES}
        added["contradictions"] += denials
        added["search_index"] = sum(added[table] for table, _code, _column in search_index.SOURCES)
        estimates: dict[str, float] = dict(
            self.conn.exec_driver_sql(
                "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' "
                "AND relnamespace = current_schema()::regnamespace AND relname = ANY(%(names)s)",
                {"names": list(added)},
            ).all()
        )
        grown = [
            name
            for name, rows in added.items()
            if rows and (estimates.get(name, -1) < 0 or rows >= estimates[name] / 10)
        ]
        if grown:
            self.conn.exec_driver_sql(f"ANALYZE {', '.join(grown)}")


def _derive(
    key: str, source: Callable[[Row], Any] | None, convert: Callable[[Any], Any] | None
) -> Callable[[Row], Any]:
    """A row's value for column KEY: computed by SOURCE or read from the row, then converted."""
    if source is None:
        assert convert is not None  # a plain value that needs no conversion is fetched directly
        return lambda row: None if (v := row[key]) is None else convert(v)
    if convert is None:
        return source
    return lambda row: None if (v := source(row)) is None else convert(v)


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _sqlite_instant(value: dt.datetime) -> str:
    """SQLAlchemy's stored form of an instant on SQLite (UTCDateTime keeps UTC)."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _iso_date(value: dt.date) -> str:
    return value.isoformat()


def _same(value: Any) -> Any:
    return value


def write_plan(
    session: Session,
    plan: Plan,
    progress: Progress = lambda _: None,
    loaded_by: str | None = None,
) -> dict[str, int]:
    """Write every row of PLAN, emptying it as it goes; returns how many of each were added
    (denials included). LOADED_BY: who the history says loaded them (one "created by the load
    of file X" entry an object), or None for a caller that records them itself."""
    with LoadWriter(session, progress, loaded_by) as writer:
        writer.write(plan)
    return writer.counts


class LoadWriter:
    """Writes the plans of one load, one after another, inside the caller's transaction: a
    large load is checked and written in batches of files (app/ingest/loader.py), each batch's
    rows let go once written, so that a load holds one batch's rows at a time.

    The work that is cheaper done once for the whole load is done once, around every batch:
    the tables are locked and their ids taken from the first plan with rows on; SQLite's
    secondary indexes of empty tables are made again, the new rows indexed for search, the
    denials found and the statistics gathered when the writer is closed (leaving the `with`
    block without an error). An error leaves all of it undone, for the caller's rollback.
    """

    def __init__(
        self,
        session: Session,
        progress: Progress = lambda _: None,
        loaded_by: str | None = None,
        expected_rows: int | None = None,
    ) -> None:
        self.session = session
        self.progress = progress
        self.loaded_by = loaded_by
        # Rows the whole load is expected to write (SQLite's page cache is sized for them);
        # by default, the first plan's.
        self.expected_rows = expected_rows
        self.counts: dict[str, int] = dict.fromkeys(Plan().counts(), 0)
        self.bulk: BulkWriter | None = None
        self._tuned = ExitStack()  # around everything, the denials included
        self._deferred = ExitStack()  # around the batches' writes

    def __enter__(self) -> "LoadWriter":
        return self

    def write(self, plan: Plan) -> None:
        """Write PLAN's rows, emptying it."""
        for what, n in plan.counts().items():
            self.counts[what] += n
        if plan.is_empty():
            return
        bulk = self.bulk
        if bulk is None:
            bulk = self.bulk = BulkWriter(self.session.connection())
            bulk.lock()
            rows = self.expected_rows or len(plan.appearances) + len(plan.statements)
            big = [_t(m) for m in (SourceDate, SourceFurniture, Statement, Appearance, Change)]
            self._tuned.enter_context(bulk.tuned(rows))
            self._deferred.enter_context(bulk.search_index_deferred())
            self._deferred.enter_context(bulk.indexes_deferred(big))
        bulk.first_ids = dict(bulk.next_ids)
        progress = self.progress
        _write_actors(bulk, plan)
        bulk.insert_named(_t(Claim), list(plan.claims.values()))
        progress(f"wrote {len(plan.actors)} actors, {len(plan.claims)} claims")
        _write_sources(bulk, plan)
        progress(f"wrote {len(plan.sources)} sources")
        _write_statements(bulk, plan, progress)
        _write_contradictions(bulk, plan)
        if self.loaded_by is not None:
            _record_load(bulk, plan, self.loaded_by)
        # The indexes and the denials are SQLite's (or PostgreSQL's) work, yet with the written
        # rows still held (~5 GB of Python objects at a million statements) SQLite's own
        # allocations made them ~2x slower. So the rows are let go first.
        plan.clear()
        bulk.ids.clear()
        release_freed_memory()

    def between_batches(self) -> None:
        """Before the next batch is checked against the database: on PostgreSQL, gather the
        statistics of the columns its checks and writes look rows up by. Without them the
        tables this load filled look empty to the planner, which then read them whole for each
        chunk of slugs looked up (a batch of 20,000 files at 2M statements took minutes, not
        seconds, and more with every batch); the table-wide statistics are gathered at the end
        (analyze_grown), as for a load of one batch."""
        if self.bulk is None or self.bulk.sqlite:
            return
        self.bulk.conn.exec_driver_sql(
            "ANALYZE actors (slug), claims (slug), sources (slug), statements (slug), "
            "appearances (statement_id)"
        )

    def __exit__(self, *exc_info: Any) -> None:
        if exc_info[0] is not None:  # undone: the caller rolls the transaction back
            try:
                self._deferred.__exit__(*exc_info)
            finally:
                self._tuned.__exit__(*exc_info)
            return
        with self._tuned:
            if self.bulk is not None:
                self._deferred.close()
                self.progress("indexed the new rows for search")
                self.bulk.finish()
            added, removed = refresh_denials(self.session)
            if self.bulk is not None:
                self.progress(f"found {added} new denials ({removed} no longer follow)")
                self.bulk.analyze_grown(added)
        self.counts["contradictions"] += added


def _t(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _affiliations_first(actors: dict[str, Row]) -> list[Row]:
    """ACTORS, each after the actor of this batch it is affiliated with: SQLite checks a foreign
    key row by row, so a member inserted before its group would be refused. (Validation has
    refused cycles.)"""
    ordered: dict[str, Row] = {}

    def place(slug: str) -> None:
        chain: list[str] = []
        while slug in actors and slug not in ordered and slug not in chain:
            chain.append(slug)
            slug = actors[slug]["affiliation"]
        for member in reversed(chain):
            ordered[member] = actors[member]

    for slug in actors:
        place(slug)
    return list(ordered.values())


def _write_actors(bulk: BulkWriter, plan: Plan) -> None:
    actors = _affiliations_first(plan.actors)
    # Affiliations may point at actors of this load: known once every slug has its id.
    first = bulk.next_ids["actors"]
    planned = {a["slug"]: first + i for i, a in enumerate(actors)}
    stored = bulk.id_of(_t(Actor), [a["affiliation"] for a in actors])

    def affiliation_id(a: Row) -> int | None:
        slug = a["affiliation"]
        return None if slug is None else planned.get(slug) or stored[slug]

    bulk.insert_named(
        _t(Actor), actors, affiliation_id=affiliation_id, name_key=lambda a: alias_key(a["name"])
    )
    aliases = [
        {"actor_id": planned[a["slug"]], "alias": alias, "alias_key": alias_key(alias)}
        for a in actors
        for alias in a["aliases"]
    ]
    bulk.insert(_t(ActorAlias), aliases)


def _write_sources(bulk: BulkWriter, plan: Plan) -> None:
    sources = list(plan.sources.values())
    outlets = bulk.id_of(_t(Actor), [s["outlet"] for s in sources])
    bulk.insert_named(_t(Source), sources, outlet_id=lambda s: outlets.get(s["outlet"]))
    known = bulk.id_of(_t(Source), [c["cited"] for c in plan.citations])
    source_id = {"source_id": lambda r: known[r["source"]]}
    bulk.insert(_t(SourceDate), plan.source_dates, **source_id)
    bulk.insert(
        _t(SourceCitation),
        plan.citations,
        cited_source_id=lambda c: known[c["cited"]],
        **source_id,
    )
    bulk.insert(_t(SourceFurniture), plan.furniture, **source_id)


def _write_statements(bulk: BulkWriter, plan: Plan, progress: Progress) -> None:
    statements = plan.statements.values()
    actors = bulk.id_of(_t(Actor), [a for s in statements for a in (s.speaker, s.recipient)])
    claims = bulk.id_of(_t(Claim), [s.claim for s in statements])
    first = bulk.take_ids(_t(Statement), len(statements))
    ids = {slug: first + n for n, slug in enumerate(plan.statements)}
    day = bulk.converter(_t(Statement).c.said_on.type) or _same
    fields = PlannedStatement._fields
    reported = _first_reported(bulk, plan)
    bulk.send(
        _t(Statement),
        (
            "id",
            "slug",
            "speaker_id",
            "claim_id",
            *fields[3:6],
            "recipient_id",
            *fields[7:],
            "dated_on",
        ),
        (
            (
                ids[s.slug],
                s.slug,
                actors[s.speaker],
                claims[s.claim],
                s.stance.value,
                None if s.said_on is None else day(s.said_on),
                s.context,
                None if s.recipient is None else actors[s.recipient],
                s.via,
                s.note,
                s.status.value,
                s.status_reason,
                _day(day, s.said_on or reported.get(s.slug)),
            )
            for s in statements
        ),
    )
    ids.update(bulk.ids.get("statements", {}))  # one dict of a million slugs, not two
    bulk.ids["statements"] = ids
    known = bulk.id_of(_t(Statement), [a.statement for a in plan.appearances])
    sources = bulk.id_of(_t(Source), [a.source for a in plan.appearances])
    first = bulk.take_ids(_t(Appearance), len(plan.appearances))
    bulk.send(
        _t(Appearance),
        ("id", "statement_id", "source_id", *PlannedAppearance._fields[2:]),
        (
            (
                first + n,
                known[a.statement],
                sources[a.source],
                a.quote,
                a.mode.value,
                *a[4:13],  # spans, attribution, hedge and note, as planned
                a.status.value,
                a.status_reason,
            )
            for n, a in enumerate(plan.appearances)
        ),
    )
    # Statements stored before, reported by this load too, may be dated by it.
    redate(
        bulk.conn,
        {known[a.statement] for a in plan.appearances if a.statement not in plan.statements},
    )
    progress(f"wrote {len(statements)} statements, {len(plan.appearances)} appearances")


def _day(convert: Callable[[Any], Any], value: dt.date | None) -> Any:
    return None if value is None else convert(value)


def _first_reported(bulk: BulkWriter, plan: Plan) -> dict[str, dt.date]:
    """The day each statement of PLAN is first reported by its appearances of this load
    (rejected ones aside), as app/shared/dating.py dates a statement said on an unknown day:
    worked out here, so that a load writes each statement once."""
    reported: dict[str, dt.date | None] = {
        slug: row["reported_on"] for slug, row in plan.sources.items()
    }
    stored = sorted({a.source for a in plan.appearances} - reported.keys())
    for i in range(0, len(stored), CHUNK):
        reported.update(
            bulk.conn.execute(
                select(Source.slug, Source.reported_on).where(
                    Source.slug.in_(stored[i : i + CHUNK])
                )
            ).tuples()
        )
    said = {s.slug for s in plan.statements.values() if s.said_on is not None}
    first: dict[str, dt.date] = {}
    rejected = ReviewStatus.rejected
    for a in plan.appearances:
        day = reported[a.source]
        if day is None or a.status == rejected or a.statement in said:
            continue
        if a.statement not in first or day < first[a.statement]:
            first[a.statement] = day
    return first


def _record_load(bulk: BulkWriter, plan: Plan, who: str) -> None:
    """The history's first entry of each object the load created: "created by the load of file
    X", one row an object, written in bulk as the objects were (the rows themselves are not
    copied into the history: they are what the load wrote)."""
    origins = plan.origins
    if origins is None:
        return
    notes = [f"created by the load of file {name}" for name in origins.files]

    def created() -> Iterator[tuple[str, int, str | None, str]]:
        for kind, table, planned in (
            ("actor", "actors", plan.actors),
            ("claim", "claims", plan.claims),
            ("source", "sources", plan.sources),
        ):
            ids, files = bulk.ids[table] if planned else {}, origins.named[kind]
            for slug in planned:
                yield kind, ids[slug], slug, notes[files[slug]]
        first = bulk.first_ids["statements"]
        for n, (slug, file) in enumerate(zip(plan.statements, origins.statements, strict=True)):
            yield "statement", first + n, slug, notes[file]
        first = bulk.first_ids["appearances"]
        for n, file in enumerate(origins.appearances):
            yield "appearance", first + n, None, notes[file]
        first = bulk.first_ids["contradictions"]
        for n, c in enumerate(plan.contradictions):
            yield "contradiction", first + n, None, notes[c["origin"]]

    count = sum(len(x) for x in (plan.actors, plan.claims, plan.sources, plan.statements))
    count += len(origins.appearances) + len(plan.contradictions)
    first = bulk.take_ids(_t(Change), count)
    at = (bulk.converter(_t(Change).c.at.type) or _same)(dt.datetime.now(dt.UTC))
    create = ChangeAction.create.value
    bulk.send(
        _t(Change),
        ("id", "at", "who", "object_type", "object_id", "object_slug", "action", "note"),
        (
            (first + n, at, who, kind, object_id, slug, create, note)
            for n, (kind, object_id, slug, note) in enumerate(created())
        ),
    )


def _write_contradictions(bulk: BulkWriter, plan: Plan) -> None:
    if not plan.contradictions:
        return
    statements = bulk.id_of(
        _t(Statement), [s for c in plan.contradictions for s in (c["key"][1], c["key"][2])]
    )
    sources = bulk.id_of(
        _t(Source), [p[0] for c in plan.contradictions for p in c["key"][3:] if p is not None]
    )

    # The appearances a misreport names, by (statement, source, span start).
    named = {statements[c["key"][1]] for c in plan.contradictions if c["key"][3] is not None}
    places: dict[tuple[int, int, int], int] = {}
    for i in range(0, len(named), CHUNK):
        found = bulk.conn.execute(
            select(
                Appearance.id, Appearance.statement_id, Appearance.source_id, Appearance.span_start
            ).where(Appearance.statement_id.in_(sorted(named)[i : i + CHUNK]))
        )
        places.update({(s, src, start): id_ for id_, s, src, start in found})

    def appearance_id(statement_id: int, place: tuple[str, int] | None) -> int | None:
        return None if place is None else places[(statement_id, sources[place[0]], place[1])]

    rows = []
    for c in plan.contradictions:
        kind, a, b, place_a, place_b = c["key"]
        rows.append(
            {
                "kind": kind,
                "statement_a_id": statements[a],
                "statement_b_id": statements[b],
                "appearance_a_id": appearance_id(statements[a], place_a),
                "appearance_b_id": appearance_id(statements[b], place_b),
                "rationale": c["rationale"],
                "status": c["status"],
                "status_reason": c["status_reason"],
            }
        )
    bulk.insert(_t(Contradiction), rows)

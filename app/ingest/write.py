"""Writing a validated Plan: bulk inserts in dependency order, inside the caller's transaction.

The rows go to the driver's executemany with their ids given: the tables are locked against
other writers first, ids are taken after the largest one, and PostgreSQL's sequences are moved
past them at the end. This skips SQLAlchemy's per-row work, which cost more than the inserts.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.orm import Session

from app.contradictions.service import refresh_denials
from app.ingest.existing import CHUNK
from app.ingest.plan import Plan, Row
from app.models import (
    Actor,
    ActorAlias,
    Appearance,
    Claim,
    Contradiction,
    Source,
    SourceCitation,
    SourceDate,
    SourceFurniture,
    Statement,
    alias_key,
)

Progress = Callable[[str], None]
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
            top = self.conn.execute(select(func.max(table.c.id))).scalar()
            self.next_ids[table.name] = (top or 0) + 1

    def insert(self, table: Table, rows: list[Row]) -> list[int]:
        """Insert ROWS (dicts of column values, all with the same keys); returns their ids."""
        if not rows:
            return []
        first = self.next_ids[table.name]
        ids = list(range(first, first + len(rows)))
        self.next_ids[table.name] = first + len(rows)
        columns = ["id", *rows[0]]
        compiled = insert(table).compile(dialect=self.conn.dialect, column_keys=columns)
        names = list(compiled.positiontup or columns)
        values = [
            tuple(_db_value(id_ if name == "id" else row[name], self.sqlite) for name in names)
            if compiled.positional
            else {
                name: _db_value(id_ if name == "id" else row[name], self.sqlite) for name in names
            }
            for id_, row in zip(ids, rows, strict=True)
        ]
        self.conn.exec_driver_sql(str(compiled), values)
        return ids

    def insert_named(self, table: Table, rows: list[Row]) -> None:
        """Insert rows that have a slug, remembering slug -> id."""
        ids = self.insert(table, rows)
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

    def finish(self) -> None:
        """On PostgreSQL, move each id sequence past the ids given here."""
        if self.sqlite:
            return
        for table in TABLES:
            self.conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"GREATEST((SELECT MAX(id) FROM {table.name}), 1))"
            )


def _db_value(value: Any, sqlite: bool) -> Any:
    """A value as the driver takes it; on SQLite, dates in SQLAlchemy's stored form."""
    if isinstance(value, Enum):
        return value.value
    if sqlite and isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if sqlite and isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_plan(session: Session, plan: Plan, progress: Progress = lambda _: None) -> dict[str, int]:
    """Write every row of PLAN; returns how many of each were added (denials included)."""
    counts = plan.counts()
    if plan.is_empty():
        added, removed = refresh_denials(session)
        counts["contradictions"] += added
        return counts
    bulk = BulkWriter(session.connection())
    bulk.lock()
    _write_actors(bulk, plan)
    bulk.insert_named(_t(Claim), list(plan.claims.values()))
    progress(f"wrote {len(plan.actors)} actors, {len(plan.claims)} claims")
    _write_sources(bulk, plan)
    progress(f"wrote {len(plan.sources)} sources")
    _write_statements(bulk, plan, progress)
    _write_contradictions(bulk, plan)
    bulk.finish()
    added, removed = refresh_denials(session)
    progress(f"found {added} new denials ({removed} no longer follow)")
    counts["contradictions"] += added
    return counts


def _t(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _write_actors(bulk: BulkWriter, plan: Plan) -> None:
    actors = list(plan.actors.values())
    # Affiliations may point at actors of this load: known once every slug has its id.
    first = bulk.next_ids["actors"]
    planned = {a["slug"]: first + i for i, a in enumerate(actors)}
    stored = bulk.id_of(
        _t(Actor), [a["affiliation"] for a in actors if a["affiliation"] not in planned]
    )
    bulk.insert_named(
        _t(Actor),
        [
            {
                **_without(a, "affiliation", "aliases"),
                "affiliation_id": planned.get(a["affiliation"]) or stored.get(a["affiliation"])
                if a["affiliation"]
                else None,
            }
            for a in actors
        ],
    )
    bulk.insert(
        _t(ActorAlias),
        [
            {"actor_id": planned[a["slug"]], "alias": alias, "alias_key": alias_key(alias)}
            for a in actors
            for alias in a["aliases"]
        ],
    )


def _write_sources(bulk: BulkWriter, plan: Plan) -> None:
    sources = list(plan.sources.values())
    outlets = bulk.id_of(_t(Actor), [s["outlet"] for s in sources])
    bulk.insert_named(
        _t(Source),
        [{**_without(s, "outlet"), "outlet_id": outlets.get(s["outlet"])} for s in sources],
    )
    known = bulk.id_of(_t(Source), [c["cited"] for c in plan.citations])
    bulk.insert(
        _t(SourceDate),
        [{**_without(d, "source"), "source_id": known[d["source"]]} for d in plan.source_dates],
    )
    bulk.insert(
        _t(SourceCitation),
        [
            {
                **_without(c, "source", "cited"),
                "source_id": known[c["source"]],
                "cited_source_id": known[c["cited"]],
            }
            for c in plan.citations
        ],
    )
    bulk.insert(
        _t(SourceFurniture),
        [{**_without(f, "source"), "source_id": known[f["source"]]} for f in plan.furniture],
    )


def _write_statements(bulk: BulkWriter, plan: Plan, progress: Progress) -> None:
    statements = list(plan.statements.values())
    actors = bulk.id_of(_t(Actor), [s[k] for s in statements for k in ("speaker", "recipient")])
    claims = bulk.id_of(_t(Claim), [s["claim"] for s in statements])
    step = 100_000
    for i in range(0, len(statements), step):
        bulk.insert_named(
            _t(Statement),
            [
                {
                    **_without(s, "speaker", "claim", "recipient"),
                    "speaker_id": actors[s["speaker"]],
                    "claim_id": claims[s["claim"]],
                    "recipient_id": actors[s["recipient"]] if s["recipient"] else None,
                }
                for s in statements[i : i + step]
            ],
        )
        if len(statements) > step:
            progress(f"wrote {min(i + step, len(statements))}/{len(statements)} statements")
    known = bulk.id_of(_t(Statement), [a["statement"] for a in plan.appearances])
    sources = bulk.id_of(_t(Source), [a["source"] for a in plan.appearances])
    for i in range(0, len(plan.appearances), step):
        bulk.insert(
            _t(Appearance),
            [
                {
                    **_without(a, "statement", "source"),
                    "statement_id": known[a["statement"]],
                    "source_id": sources[a["source"]],
                }
                for a in plan.appearances[i : i + step]
            ],
        )
    progress(f"wrote {len(statements)} statements, {len(plan.appearances)} appearances")


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
            }
        )
    bulk.insert(_t(Contradiction), rows)


def _without(row: Row, *keys: str) -> Row:
    return {k: v for k, v in row.items() if k not in keys}

"""Writing a validated Plan: bulk inserts in dependency order, inside the caller's transaction."""

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
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


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


class Ids:
    """Slug -> id for each kind, filled from the database on demand and by our inserts."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[Any, dict[str, int]] = {}

    def fetch(self, model: Any, slugs: Iterable[str]) -> dict[str, int]:
        known = self.known.setdefault(model, {})
        missing = sorted({s for s in slugs if s is not None and s not in known})
        for i in range(0, len(missing), CHUNK):
            rows = self.session.execute(
                select(model.slug, model.id).where(model.slug.in_(missing[i : i + CHUNK]))
            )
            known.update({slug: id_ for slug, id_ in rows})
        return known

    def insert(self, model: Any, rows: list[Row]) -> None:
        """Insert ROWS and remember the id each got."""
        if not rows:
            return
        result = self.session.execute(
            insert(_table(model)).returning(
                _table(model).c.slug, _table(model).c.id, sort_by_parameter_order=True
            ),
            rows,
        )
        self.known.setdefault(model, {}).update({slug: id_ for slug, id_ in result})


def write_plan(session: Session, plan: Plan, progress: Progress = lambda _: None) -> dict[str, int]:
    """Write every row of PLAN; returns how many of each were added (denials included)."""
    ids = Ids(session)
    _write_actors(session, ids, plan)
    progress(f"wrote {len(plan.actors)} actors")
    ids.insert(Claim, list(plan.claims.values()))
    _write_sources(session, ids, plan)
    progress(f"wrote {len(plan.claims)} claims, {len(plan.sources)} sources")
    _write_statements(session, ids, plan, progress)
    _write_contradictions(session, ids, plan)
    added, removed = refresh_denials(session)
    progress(f"found {added} new denials ({removed} no longer follow)")
    counts = plan.counts()
    counts["contradictions"] += added
    return counts


def _write_actors(session: Session, ids: Ids, plan: Plan) -> None:
    actors = list(plan.actors.values())
    ids.insert(
        Actor,
        [{k: v for k, v in a.items() if k not in ("affiliation", "aliases")} for a in actors],
    )
    known = ids.fetch(Actor, [a["affiliation"] for a in actors])
    # Affiliations may point at actors of the same batch, so they are set once all exist.
    affiliated = [
        {"actor_id": known[a["slug"]], "affiliation_id": known[a["affiliation"]]}
        for a in actors
        if a["affiliation"]
    ]
    if affiliated:
        session.execute(
            update(_table(Actor))
            .where(_table(Actor).c.id == bindparam("actor_id"))
            .values(affiliation_id=bindparam("affiliation_id")),
            affiliated,
        )
    aliases = [
        {"actor_id": known[a["slug"]], "alias": alias, "alias_key": alias_key(alias)}
        for a in actors
        for alias in a["aliases"]
    ]
    if aliases:
        session.execute(insert(_table(ActorAlias)), aliases)


def _write_sources(session: Session, ids: Ids, plan: Plan) -> None:
    sources = list(plan.sources.values())
    outlets = ids.fetch(Actor, [s["outlet"] for s in sources])
    ids.insert(
        Source,
        [
            {**{k: v for k, v in s.items() if k != "outlet"}, "outlet_id": outlets.get(s["outlet"])}
            for s in sources
        ],
    )
    known = ids.fetch(Source, [c["cited"] for c in plan.citations])
    if plan.source_dates:
        session.execute(
            insert(_table(SourceDate)),
            [{**_without(d, "source"), "source_id": known[d["source"]]} for d in plan.source_dates],
        )
    if plan.citations:
        session.execute(
            insert(_table(SourceCitation)),
            [
                {
                    **_without(c, "source", "cited"),
                    "source_id": known[c["source"]],
                    "cited_source_id": known[c["cited"]],
                }
                for c in plan.citations
            ],
        )
    if plan.furniture:
        session.execute(
            insert(_table(SourceFurniture)),
            [{**_without(f, "source"), "source_id": known[f["source"]]} for f in plan.furniture],
        )


def _write_statements(session: Session, ids: Ids, plan: Plan, progress: Progress) -> None:
    statements = list(plan.statements.values())
    actors = ids.fetch(Actor, [s[k] for s in statements for k in ("speaker", "recipient")])
    claims = ids.fetch(Claim, [s["claim"] for s in statements])
    rows = [
        {
            **_without(s, "speaker", "claim", "recipient"),
            "speaker_id": actors[s["speaker"]],
            "claim_id": claims[s["claim"]],
            "recipient_id": actors.get(s["recipient"]) if s["recipient"] else None,
        }
        for s in statements
    ]
    step = 50_000
    for i in range(0, len(rows), step):
        ids.insert(Statement, rows[i : i + step])
        if len(rows) > step:
            progress(f"wrote {min(i + step, len(rows))}/{len(rows)} statements")
    known = ids.fetch(Statement, [a["statement"] for a in plan.appearances])
    sources = ids.fetch(Source, [a["source"] for a in plan.appearances])
    appearances = [
        {
            **_without(a, "statement", "source"),
            "statement_id": known[a["statement"]],
            "source_id": sources[a["source"]],
        }
        for a in plan.appearances
    ]
    for i in range(0, len(appearances), step):
        session.execute(insert(_table(Appearance)), appearances[i : i + step])
    progress(f"wrote {len(statements)} statements, {len(appearances)} appearances")


def _write_contradictions(session: Session, ids: Ids, plan: Plan) -> None:
    if not plan.contradictions:
        return
    statements = ids.fetch(
        Statement, [s for c in plan.contradictions for s in (c["key"][1], c["key"][2])]
    )
    sources = ids.fetch(
        Source, [p[0] for c in plan.contradictions for p in c["key"][3:] if p is not None]
    )

    def appearance_id(statement_id: int, place: tuple[str, int] | None) -> int | None:
        if place is None:
            return None
        found = session.execute(
            select(Appearance.id).where(
                Appearance.statement_id == statement_id,
                Appearance.source_id == sources[place[0]],
                Appearance.span_start == place[1],
            )
        ).scalar_one()
        return int(found)

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
    session.execute(insert(_table(Contradiction)), rows)


def _without(row: Row, *keys: str) -> Row:
    return {k: v for k, v in row.items() if k not in keys}

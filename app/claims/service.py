"""Claim queries: lists, one claim, and the positions taken on one claim or several."""

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Subquery,
    bindparam,
    case,
    distinct,
    func,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from app.claims.schemas import (
    ClaimPositions,
    ClaimRead,
    ContestedClaim,
    Position,
    PositionsOfClaims,
)
from app.db.reads import SQL, AnySelect, ReadDB, Row, count, count_of
from app.db.review import confirmed
from app.models import Actor, Appearance, Claim, SourceCitation, Statement
from app.models.enums import POSITIVE_STANCES, Stance
from app.shared.briefs import ClaimBrief
from app.shared.lookups import contains_pattern, id_of
from app.web.errors import NotFound
from app.web.pagination import Page, PageParams, page

# Counts and positions are of confirmed statements (and reports) only.
CONFIRMED = confirmed(Statement.status)


def _matching(query: AnySelect, q: bool) -> AnySelect:
    if q:
        query = query.where(
            func.lower(Claim.text).like(bindparam("q"), escape="\\")
            | Claim.slug.like(bindparam("q"), escape="\\")
        )
    return query


@cache
def _list_query(q: bool, after: bool) -> SQL:
    query = _matching(select(Claim.id, Claim.slug, Claim.text), q)
    if after:
        query = query.where(Claim.id > bindparam("after"))
    return SQL(query.order_by(Claim.id).limit(bindparam("limit")))


@cache
def _count_query(q: bool) -> SQL:
    return count_of(_matching(select(Claim.id), q))


def list_claims(db: ReadDB, params: PageParams, *, q: str | None = None) -> Page[ClaimBrief]:
    """A page of claims in id order; q matches any part of the claim's text or slug."""
    after = params.after()
    values = {
        "q": contains_pattern(q.lower()) if q is not None else None,
        "after": after[0] if after else None,
        "limit": params.limit + 1,
    }
    rows = db.all(_list_query(q is not None, after is not None), values)
    kept, next_cursor = page(rows, params, lambda r: (r["id"],))
    found: Page[ClaimBrief] = {
        "items": [{"slug": r["slug"], "text": r["text"]} for r in kept],
        "next_cursor": next_cursor,
    }
    if params.count:
        found["total"] = count(db, _count_query(q is not None), values)
    return found


_ONE = SQL(
    select(Claim.id, Claim.slug, Claim.text, Claim.note, Claim.version).where(
        Claim.slug == bindparam("slug")
    )
)
_STANCE_COUNTS = SQL(
    select(Statement.stance, func.count().label("n"))
    .where(Statement.claim_id == bindparam("id"), CONFIRMED)
    .group_by(Statement.stance)
    # In one order whatever the plan: the answer (and its ETag) must not change with it.
    .order_by(Statement.stance)
)


def get_claim(db: ReadDB, slug: str) -> ClaimRead:
    """One claim with how many statements take each stance on it."""
    row = db.one(_ONE, {"slug": slug})
    if row is None:
        raise NotFound.slug_of("claim", slug)
    counts = {c["stance"]: c["n"] for c in db.all(_STANCE_COUNTS, {"id": row["id"]})}
    return {
        "slug": row["slug"],
        "text": row["text"],
        "note": row["note"],
        "statement_count": sum(counts.values()),
        "stance_counts": counts,
        "version": row["version"],
    }


Speaker = aliased(Actor, name="speaker")
_SPEAKER_COLUMNS = (
    Statement.stance,
    Speaker.slug,
    Speaker.name,
    Speaker.kind,
    func.count().label("statements"),
)
_SPEAKER_GROUPS = (Statement.stance, Speaker.id, Speaker.slug, Speaker.name, Speaker.kind)
_SPEAKERS_BY_STANCE = SQL(
    select(
        *_SPEAKER_COLUMNS,
        # The claim's text, looked up once beside the counts (no round trip of its own).
        select(Claim.text).where(Claim.slug == bindparam("slug")).scalar_subquery().label("text"),
    )
    .join(Speaker, Speaker.id == Statement.speaker_id)
    .where(Statement.claim_id == id_of("claim", "slug"), CONFIRMED)
    .group_by(*_SPEAKER_GROUPS)
    .order_by(Statement.stance, func.count().desc(), Speaker.slug)
)


def _reports(claim: ColumnElement[bool], by_claim: bool = False) -> Subquery:
    """The confirmed reports of the confirmed statements CLAIM picks (BY_CLAIM: with their
    claim's id), with their origin: what the source cites (a wire story), or the source itself
    when it cites nothing (ten outlets re-printing one Reuters report are one origin)."""
    claim_id = [Statement.claim_id] if by_claim else []
    return (
        select(
            *claim_id,
            Statement.stance,
            Appearance.source_id,
            func.coalesce(SourceCitation.cited_source_id, Appearance.source_id).label("origin_id"),
        )
        .join(Appearance, Appearance.statement_id == Statement.id)
        .outerjoin(SourceCitation, SourceCitation.source_id == Appearance.source_id)
        .where(claim, CONFIRMED, confirmed(Appearance.status))
        .subquery("reports")
    )


def _reach(reports: Subquery, *by: ColumnElement[Any]) -> SQL:
    return SQL(
        select(
            *by,
            reports.c.stance,
            func.count(distinct(reports.c.source_id)).label("sources"),
            func.count(distinct(reports.c.origin_id)).label("origins"),
        ).group_by(*by, reports.c.stance)
    )


_ONE_CLAIMS_REPORTS = _reports(Statement.claim_id == id_of("claim", "slug"))
_REACH_BY_STANCE = _reach(_ONE_CLAIMS_REPORTS)
_BRIEF = SQL(select(Claim.slug, Claim.text).where(Claim.slug == bindparam("slug")))


def _positions(speakers: Iterable[Row], reach: Iterable[Row]) -> list[Position]:
    """Positions from a claim's speakers by stance and its reach by stance."""
    positions: dict[str, Position] = {}
    for row in speakers:
        position = positions.setdefault(
            row["stance"],
            {"stance": row["stance"], "statements": 0, "sources": 0, "origins": 0, "actors": []},
        )
        position["statements"] += row["statements"]
        position["actors"].append(
            {
                "slug": row["slug"],
                "name": row["name"],
                "kind": row["kind"],
                "statements": row["statements"],
            }
        )
    for row in reach:
        position = positions[row["stance"]]
        position["sources"] = row["sources"]
        position["origins"] = row["origins"]
    return list(positions.values())


def claim_positions(db: ReadDB, slug: str) -> ClaimPositions:
    """Who takes which stance on a claim: actors, statements, sources and independent origins."""
    speakers = db.all(_SPEAKERS_BY_STANCE, {"slug": slug})
    if not speakers:
        found = db.one(_BRIEF, {"slug": slug})
        if found is None:
            raise NotFound.slug_of("claim", slug)
        return {"claim": {"slug": found["slug"], "text": found["text"]}, "positions": []}
    reach = db.all(_REACH_BY_STANCE, {"slug": slug})
    return {
        "claim": {"slug": slug, "text": speakers[0]["text"]},
        "positions": _positions(speakers, reach),
    }


@cache
def _many_queries(n: int) -> tuple[SQL, SQL, SQL]:
    """For N claims named by :c0 ... :cN-1: the claims, their speakers and their reach, each
    by claim (the same indexes as one claim's positions, in one query for them all)."""
    slugs: list[BindParameter[str]] = [bindparam(f"c{i}") for i in range(n)]
    ids = select(Claim.id).where(Claim.slug.in_(slugs))
    claims = SQL(select(Claim.id, Claim.slug, Claim.text).where(Claim.slug.in_(slugs)))
    speakers = SQL(
        select(Statement.claim_id, *_SPEAKER_COLUMNS)
        .join(Speaker, Speaker.id == Statement.speaker_id)
        .where(Statement.claim_id.in_(ids), CONFIRMED)
        .group_by(Statement.claim_id, *_SPEAKER_GROUPS)
        .order_by(Statement.claim_id, Statement.stance, func.count().desc(), Speaker.slug)
    )
    reports = _reports(Statement.claim_id.in_(ids), by_claim=True)
    return claims, speakers, _reach(reports, reports.c.claim_id)


def positions_of_claims(db: ReadDB, slugs: Sequence[str]) -> PositionsOfClaims:
    """The positions of each of several claims (each named once, in the order first named)."""
    wanted = list(dict.fromkeys(slugs))
    claims_sql, speakers_sql, reach_sql = _many_queries(len(wanted))
    values = {f"c{i}": slug for i, slug in enumerate(wanted)}
    claims = {row["slug"]: row for row in db.all(claims_sql, values)}
    for slug in wanted:
        if slug not in claims:
            raise NotFound.slug_of("claim", slug)
    speakers: dict[int, list[Row]] = {}
    for row in db.all(speakers_sql, values):
        speakers.setdefault(row["claim_id"], []).append(row)
    reach: dict[int, list[Row]] = {}
    for row in db.all(reach_sql, values):
        reach.setdefault(row["claim_id"], []).append(row)
    return {
        "claims": [
            {
                "claim": {"slug": slug, "text": claims[slug]["text"]},
                "positions": _positions(
                    speakers.get(claims[slug]["id"], []), reach.get(claims[slug]["id"], [])
                ),
            }
            for slug in wanted
        ]
    }


# Each stance a plain comparison: an IN list would be an expanding parameter, which the read
# driver's precompiled SQL does not take.
_POSITIVE = or_(*(Statement.stance == stance for stance in POSITIVE_STANCES))
_AGAINST = or_(Statement.stance == Stance.denies, Statement.stance == Stance.questions)
_CONTESTED = SQL(
    select(
        Claim.slug,
        Claim.text,
        func.sum(case((_POSITIVE, 1), else_=0)).label("for_it"),
        func.sum(case((_AGAINST, 1), else_=0)).label("against_it"),
        func.count().label("statements"),
    )
    .join(Statement, Statement.claim_id == Claim.id)
    .where(CONFIRMED)
    .group_by(Claim.id, Claim.slug, Claim.text)
    .having(func.sum(case((_POSITIVE, 1), else_=0)) > 0)
    .having(func.sum(case((_AGAINST, 1), else_=0)) > 0)
    .order_by(func.sum(case((_AGAINST, 1), else_=0)).desc(), func.count().desc(), Claim.slug)
    .limit(bindparam("limit"))
)


def contested_claims(db: ReadDB, limit: int) -> list[ContestedClaim]:
    """The claims most disputed: held true by someone (asserted, confirmed, suggested) and denied
    or questioned by others, the most denials and questions first."""
    return [
        {
            "slug": r["slug"],
            "text": r["text"],
            "for_it": int(r["for_it"]),
            "against_it": int(r["against_it"]),
            "statements": r["statements"],
        }
        for r in db.all(_CONTESTED, {"limit": limit})
    ]

"""Claim queries: lists, one claim, and the positions taken on it."""

from functools import cache

from sqlalchemy import bindparam, case, distinct, func, or_, select
from sqlalchemy.orm import aliased

from app.claims.schemas import ClaimPositions, ClaimRead, ContestedClaim, Position
from app.db.reads import SQL, AnySelect, ReadDB
from app.db.review import confirmed
from app.models import Actor, Appearance, Claim, SourceCitation, Statement
from app.models.enums import POSITIVE_STANCES, Stance
from app.shared.briefs import ClaimBrief
from app.shared.lookups import contains_pattern, id_for_slug, id_of
from app.web.errors import NotFound
from app.web.pagination import Page, PageParams, page

# Counts and positions are of confirmed statements (and reports) only.
CONFIRMED = confirmed(Statement.status)


@cache
def _list_query(q: bool, after: bool) -> SQL:
    query: AnySelect = select(Claim.id, Claim.slug, Claim.text)
    if q:
        query = query.where(
            func.lower(Claim.text).like(bindparam("q"), escape="\\")
            | Claim.slug.like(bindparam("q"), escape="\\")
        )
    if after:
        query = query.where(Claim.id > bindparam("after"))
    return SQL(query.order_by(Claim.id).limit(bindparam("limit")))


def list_claims(db: ReadDB, params: PageParams, *, q: str | None = None) -> Page[ClaimBrief]:
    """A page of claims in id order; q matches any part of the claim's text or slug."""
    after = params.after()
    rows = db.all(
        _list_query(q is not None, after is not None),
        {
            "q": contains_pattern(q.lower()) if q is not None else None,
            "after": after[0] if after else None,
            "limit": params.limit + 1,
        },
    )
    kept, next_cursor = page(rows, params, lambda r: (r["id"],))
    return {
        "items": [{"slug": r["slug"], "text": r["text"]} for r in kept],
        "next_cursor": next_cursor,
    }


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
_SPEAKERS_BY_STANCE = SQL(
    select(
        Statement.stance,
        Speaker.slug,
        Speaker.name,
        Speaker.kind,
        func.count().label("statements"),
    )
    .join(Speaker, Speaker.id == Statement.speaker_id)
    .where(Statement.claim_id == id_of("claim", "slug"), CONFIRMED)
    .group_by(Statement.stance, Speaker.id, Speaker.slug, Speaker.name, Speaker.kind)
    .order_by(Statement.stance, func.count().desc(), Speaker.slug)
)
# A source's origin is what it cites (a wire story), or the source itself when it cites nothing:
# ten outlets re-printing one Reuters report are one origin.
_reports = (
    select(
        Statement.stance,
        Appearance.source_id,
        func.coalesce(SourceCitation.cited_source_id, Appearance.source_id).label("origin_id"),
    )
    .join(Appearance, Appearance.statement_id == Statement.id)
    .outerjoin(SourceCitation, SourceCitation.source_id == Appearance.source_id)
    .where(
        Statement.claim_id == id_of("claim", "slug"),
        CONFIRMED,
        confirmed(Appearance.status),
    )
    .subquery("reports")
)
_REACH_BY_STANCE = SQL(
    select(
        _reports.c.stance,
        func.count(distinct(_reports.c.source_id)).label("sources"),
        func.count(distinct(_reports.c.origin_id)).label("origins"),
    ).group_by(_reports.c.stance)
)


def claim_positions(db: ReadDB, slug: str) -> ClaimPositions:
    """Who takes which stance on a claim: actors, statements, sources and independent origins."""
    positions: dict[str, Position] = {}
    speakers = db.all(_SPEAKERS_BY_STANCE, {"slug": slug})
    if not speakers:
        id_for_slug(db, "claim", slug)  # a 404 if there is no such claim
        return {"claim": slug, "positions": []}
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
    for row in db.all(_REACH_BY_STANCE, {"slug": slug}):
        position = positions[row["stance"]]
        position["sources"] = row["sources"]
        position["origins"] = row["origins"]
    return {"claim": slug, "positions": list(positions.values())}


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

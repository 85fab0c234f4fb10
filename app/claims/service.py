"""Claim queries."""

from typing import Any

from sqlalchemy import Connection, func, select

from app.errors import NotFound
from app.lookups import contains_pattern
from app.models import Claim, Statement
from app.pagination import PageParams, page


def list_claims(conn: Connection, params: PageParams, *, q: str | None = None) -> dict[str, Any]:
    """A page of claims in id order; q matches any part of the claim's text or slug."""
    query = select(Claim.id, Claim.slug, Claim.text)
    if q is not None:
        pattern = contains_pattern(q.lower())
        query = query.where(
            func.lower(Claim.text).like(pattern, escape="\\")
            | Claim.slug.like(pattern, escape="\\")
        )
    after = params.after()
    if after is not None:
        query = query.where(Claim.id > after[0])
    rows = conn.execute(query.order_by(Claim.id).limit(params.limit + 1)).all()
    kept, next_cursor = page(rows, params, lambda r: (r.id,))
    return {
        "items": [{"slug": r.slug, "text": r.text} for r in kept],
        "next_cursor": next_cursor,
    }


def get_claim(conn: Connection, slug: str) -> dict[str, Any]:
    """One claim with how many statements take each stance on it."""
    row = conn.execute(
        select(Claim.id, Claim.slug, Claim.text, Claim.note).where(Claim.slug == slug)
    ).first()
    if row is None:
        raise NotFound(f"No claim with slug '{slug}'.")
    counts = conn.execute(
        select(Statement.stance, func.count())
        .where(Statement.claim_id == row.id)
        .group_by(Statement.stance)
    )
    stance_counts = {str(stance): n for stance, n in counts}
    return {
        "slug": row.slug,
        "text": row.text,
        "note": row.note,
        "statement_count": sum(stance_counts.values()),
        "stance_counts": stance_counts,
    }

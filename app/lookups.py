"""Resolving the slugs in URLs and filters to row ids, with a 404 that names what was missing."""

from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import InstrumentedAttribute

from app.errors import NotFound
from app.models import Actor, Claim, Source, Statement

_KINDS: dict[str, tuple[InstrumentedAttribute[Any], InstrumentedAttribute[Any]]] = {
    "actor": (Actor.id, Actor.slug),
    "claim": (Claim.id, Claim.slug),
    "source": (Source.id, Source.slug),
    "statement": (Statement.id, Statement.slug),
}


def id_for_slug(conn: Connection, kind: str, slug: str) -> int:
    """The id of the KIND whose slug is SLUG, or NotFound."""
    id_col, slug_col = _KINDS[kind]
    found = conn.execute(select(id_col).where(slug_col == slug)).scalar()
    if found is None:
        raise NotFound(f"No {kind} with slug '{slug}'.")
    return int(found)


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character '\\') matching any value that contains TEXT."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

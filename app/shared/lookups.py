"""Resolving the slugs in URLs and filters, with a 404 that names what was missing."""

from typing import Any

from sqlalchemy import ScalarSelect, bindparam, select
from sqlalchemy.orm import InstrumentedAttribute

from app.db.reads import SQL, ReadDB
from app.models import Actor, Claim, Source, Statement
from app.web.errors import NotFound

_KINDS: dict[str, tuple[InstrumentedAttribute[Any], InstrumentedAttribute[Any]]] = {
    "actor": (Actor.id, Actor.slug),
    "claim": (Claim.id, Claim.slug),
    "source": (Source.id, Source.slug),
    "statement": (Statement.id, Statement.slug),
}
_ID_OF = {
    kind: SQL(select(id_col).where(slug_col == bindparam("slug")))
    for kind, (id_col, slug_col) in _KINDS.items()
}


def id_of(kind: str, param: str) -> ScalarSelect[Any]:
    """A subquery for the id of the KIND whose slug is bound as PARAM."""
    id_col, slug_col = _KINDS[kind]
    return select(id_col).where(slug_col == bindparam(param)).scalar_subquery()


def id_for_slug(db: ReadDB, kind: str, slug: str) -> int:
    """The id of the KIND whose slug is SLUG, or NotFound."""
    found = db.one(_ID_OF[kind], {"slug": slug})
    if found is None:
        raise NotFound.slug_of(kind, slug)
    return int(next(iter(found.values())))


def require(db: ReadDB, *pairs: tuple[str, str | None]) -> None:
    """NotFound for the first (kind, slug) pair whose slug is given but names nothing."""
    for kind, slug in pairs:
        if slug is not None:
            id_for_slug(db, kind, slug)


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character '\\') matching any value that contains TEXT."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

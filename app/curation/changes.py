"""Reading the history: an object's changes, oldest first, a page at a time. A deleted object
keeps its history (read it by its old slug); a claim's history includes the claims merged into
it. It is read with an API key, or by anyone when the `public_history` setting says so: then
without the names of the keys that made the changes (app/web/auth.py, history_names)."""

from functools import cache
from typing import Annotated, Any

import orjson
from pydantic import Field
from sqlalchemy import Table, bindparam, select, union_all
from typing_extensions import TypedDict

from app.curation.history import table_of
from app.db.reads import SQL, AnySelect, ReadDB, iso_instant
from app.models import (
    Actor,
    ApiKey,
    Appearance,
    Change,
    Claim,
    ClaimRedirect,
    Contradiction,
    Source,
    Statement,
    Tombstone,
)
from app.models.enums import ChangeAction
from app.web.errors import NotFound
from app.web.pagination import Page, PageParams, page

HISTORY_ACCESS = (
    "Read with an API key (401 without one), unless the server makes the history public: then "
    "each change names the role of the key that made it (`an editor`, `an admin`) rather than "
    "its name."
)

TABLES: dict[str, Table] = {
    "actor": table_of(Actor),
    "source": table_of(Source),
    "claim": table_of(Claim),
    "statement": table_of(Statement),
    "appearance": table_of(Appearance),
    "contradiction": table_of(Contradiction),
}


# A change as the history shows it (a TypedDict, as app/shared/briefs.py says why).
class ChangeRead(TypedDict):
    id: int
    at: Annotated[str, Field(description="When (UTC).", examples=["2026-11-23T15:00:00+00:00"])]
    who: Annotated[
        str,
        Field(
            description="The name of the API key that made it (`command line` for a load); "
            "read without a key from a public history, its role: `an editor` or `an admin`.",
            examples=["newsroom"],
        ),
    ]
    action: ChangeAction
    object_type: Annotated[str, Field(examples=["claim"])]
    object_slug: Annotated[
        str | None, Field(description="Its slug (appearances and contradictions: null).")
    ]
    object_id: int
    before: Annotated[
        Any, Field(description="The object before (a deletion: every row it removed).")
    ]
    after: Annotated[Any, Field(description="The object after.")]


def _ids(kind: str, by_slug: bool) -> AnySelect:
    """The ids whose history is asked for: the object's, live or deleted (a purged one's too,
    beside a new object that took its slug)."""
    table = TABLES[kind]
    if not by_slug:
        return select(bindparam("id"))
    live = select(table.c.id).where(table.c.slug == bindparam("slug"))
    deleted = select(Tombstone.object_id).where(
        Tombstone.object_type == kind, Tombstone.slug == bindparam("slug")
    )
    # A deletion an admin purged has no tombstone left: its changes are found by the slug the
    # deletion was recorded under. (The history is read rarely; changes has no index by slug.)
    purged = select(Change.object_id).where(
        Change.object_type == kind,
        Change.object_slug == bindparam("slug"),
        Change.action == ChangeAction.delete,
    )
    parts = [live, deleted, purged]
    if kind == "claim":
        merged_in = select(ClaimRedirect.old_id).where(
            ClaimRedirect.claim_id.in_(select(table.c.id).where(table.c.slug == bindparam("slug")))
        )
        parts.append(merged_in)
    return select(union_all(*parts).subquery().c[0])


def _slugs(kind: str) -> AnySelect:
    """The slugs the history asked for by slug is under: its own, and for a claim those of the
    claims merged into it. (SQLite may give a new row the id of a deleted one: the slug keeps
    two objects' histories apart.)"""
    asked: AnySelect = select(bindparam("slug"))
    if kind != "claim":
        return asked
    table = TABLES[kind]
    merged_in = select(ClaimRedirect.old_slug).where(
        ClaimRedirect.claim_id.in_(select(table.c.id).where(table.c.slug == bindparam("slug")))
    )
    return select(union_all(asked, merged_in).subquery().c[0])


@cache
def _query(kind: str, by_slug: bool, after: bool) -> SQL:
    query = (
        select(Change, ApiKey.role)
        .outerjoin(ApiKey, ApiKey.id == Change.key_id)
        .where(Change.object_type == kind, Change.object_id.in_(_ids(kind, by_slug)))
    )
    if by_slug:
        query = query.where(Change.object_slug.in_(_slugs(kind)))
    if after:
        query = query.where(Change.id > bindparam("after"))
    return SQL(query.order_by(Change.id).limit(bindparam("limit")))


def history(
    db: ReadDB,
    kind: str,
    params: PageParams,
    *,
    slug: str | None = None,
    id: int | None = None,
    names: bool = False,
) -> Page[ChangeRead]:
    """A page of the changes made to one object, oldest first; each says who made it by its
    key's name with NAMES, else by the key's role."""
    after = params.after()
    rows = db.all(
        _query(kind, slug is not None, after is not None),
        {"slug": slug, "id": id, "after": after[0] if after else None, "limit": params.limit + 1},
    )
    if not rows and after is None:
        table = TABLES[kind]
        key = table.c.slug == slug if slug is not None else table.c.id == id
        if db.one(SQL(select(table.c.id).where(key)), {}) is None:
            raise NotFound.slug_of(kind, slug) if slug else NotFound(f"No {kind} {id}.")
    kept, next_cursor = page(rows, params, lambda r: (r["id"],))
    items: list[ChangeRead] = [
        {
            "id": r["id"],
            "at": iso_instant(r["at"]),
            "who": r["who"] if names else _role(r["role"]),
            "action": r["action"],
            "object_type": r["object_type"],
            "object_slug": r["object_slug"],
            "object_id": r["object_id"],
            "before": _json(r["before"]),
            "after": _json(r["after"]),
        }
        for r in kept
    ]
    return {"items": items, "next_cursor": next_cursor}


def _role(role: str | None) -> str:
    """Who made a change, said without the key's name: its role (no key: a load)."""
    return "command line" if role is None else f"an {role}"


def _json(value: Any) -> Any:
    # SQLite hands JSON columns back as text; psycopg as Python values.
    if isinstance(value, str):
        return orjson.loads(value)
    return value

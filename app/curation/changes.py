"""Reading the history: an object's changes, oldest first, a page at a time. A deleted object
keeps its history (read it by its old slug); a claim's history includes the claims merged into
it. It is read with an API key, or by anyone when the `public_history` setting says so: then
without the names of the keys that made the changes (app/web/auth.py, history_names)."""

from functools import cache
from typing import Annotated, Any

import orjson
from pydantic import Field
from sqlalchemy import Table, bindparam, null, select, union_all
from typing_extensions import TypedDict

from app.curation.history import table_of
from app.db.reads import SQL, AnySelect, ReadDB, Row, iso_instant
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


class Reference(TypedDict):
    id: int
    slug: Annotated[str | None, Field(examples=["vladimir-putin"])]
    name: Annotated[
        str | None,
        Field(
            description="An actor's name, a claim's text, a source's title, an appearance's "
            "quote (null for a statement, or for an object since deleted).",
            examples=["Vladimir Putin"],
        ),
    ]


class FieldChange(TypedDict):
    field: Annotated[
        str,
        Field(
            description="The field; one that names another object is named without `_id` "
            "(`speaker`, `claim`, `outlet`) and its values are that object, by id, slug and "
            "name.",
            examples=["stance"],
        ),
    ]
    before: Annotated[Any, Field(description="Its value before (null: none, or not there).")]
    after: Annotated[Any, Field(description="Its value after (null: none, or gone).")]


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
    note: Annotated[
        str | None,
        Field(
            description="What the change was where its fields do not say: a load's "
            '"created by the load of file X".',
            examples=["created by the load of file 000_64284ed50041f30a.yaml"],
        ),
    ]
    fields: Annotated[
        list[FieldChange],
        Field(
            description="Each field it set, with its value before and after: a creation, "
            "deletion or restore lists every field, an edit those it changed."
        ),
    ]
    also: Annotated[
        dict[str, list[Reference]],
        Field(
            description="A deletion or a restore: the rows of other tables that went or came "
            "back with the object (its reports, the denials it was a side of, an actor's "
            "aliases, ...), by table.",
            examples=[{"appearances": [{"id": 22, "slug": None, "name": "No. It is not true"}]}],
        ),
    ]


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
    items: list[ChangeRead] = []
    named = _References(db)
    for r in kept:
        table = TABLES[r["object_type"]]
        old, new, also = _own_rows(
            table, r["action"], r["object_id"], _json(r["before"]), _json(r["after"])
        )
        items.append(
            {
                "id": r["id"],
                "at": iso_instant(r["at"]),
                "who": r["who"] if names else _role(r["role"]),
                "action": r["action"],
                "object_type": r["object_type"],
                "object_slug": r["object_slug"],
                "object_id": r["object_id"],
                "note": r["note"],
                "fields": _fields(table, r["action"], old, new, named),
                "also": also,
            }
        )
    return {"items": items, "next_cursor": next_cursor}


def _role(role: str | None) -> str:
    """Who made a change, said without the key's name: its role (no key: a load)."""
    return "command line" if role is None else f"an {role}"


# Derived or bookkeeping columns: not what a person changed.
_UNSHOWN = {"id", "version", "dated_on", "name_key", "alias_key"}
# The column that names each referenced table's object, beside its slug.
_LABELS = {
    "actors": "name",
    "actor_aliases": "alias",
    "claims": "text",
    "sources": "title",
    "appearances": "quote",
}


def _own_rows(
    table: Table, action: str, object_id: int, before: Any, after: Any
) -> tuple[Row, Row, dict[str, list[Reference]]]:
    """The object's own row before and after (a deletion holds every row it removed, a restore
    every row it put back), and the rows of other tables that went or came with it."""

    def split(rows: dict[str, list[Row]]) -> tuple[Row, dict[str, list[Reference]]]:
        own = next((x for x in rows.get(table.name, []) if x.get("id") == object_id), {})
        also: dict[str, list[Reference]] = {}
        for name, found in rows.items():
            label = _LABELS.get(name)
            others: list[Reference] = [
                {"id": x["id"], "slug": x.get("slug"), "name": x.get(label) if label else None}
                for x in found
                if x is not own
            ]
            if others:
                also[name] = others
        return own, also

    if action == ChangeAction.delete and isinstance(before, dict) and "rows" in before:
        own, also = split(before["rows"])
        return own, {}, also
    if action == ChangeAction.restore and isinstance(after, dict):
        own, also = split(after)
        return {}, own, also
    return (
        (before if isinstance(before, dict) else {}),
        (after if isinstance(after, dict) else {}),
        {},
    )


def _fields(
    table: Table, action: str, before: Row, after: Row, named: "_References"
) -> list[FieldChange]:
    """Each field set, in the table's column order (then any other), before and after."""
    keys = [c.key for c in table.columns if c.key in before or c.key in after]
    keys += [k for k in (*before, *after) if k not in keys and k not in table.c]
    keys = list(dict.fromkeys(keys))
    found: list[FieldChange] = []
    for key in keys:
        if key in _UNSHOWN:
            continue
        old, new = before.get(key), after.get(key)
        if action == ChangeAction.update and old == new:
            continue
        target = _referenced(table, key)
        if target is None:
            found.append({"field": key, "before": old, "after": new})
        else:
            found.append(
                {
                    "field": key.removesuffix("_id"),
                    "before": named.of(target, old),
                    "after": named.of(target, new),
                }
            )
    return found


def _referenced(table: Table, key: str) -> Table | None:
    """The table the column KEY of TABLE refers to, if it is a reference."""
    if key not in table.c:
        return None
    for fk in table.c[key].foreign_keys:
        referred = fk.column.table
        assert isinstance(referred, Table)
        return referred
    return None


@cache
def _label_query(table: Table) -> SQL:
    label = _LABELS.get(table.name)
    slug = table.c.slug if "slug" in table.c else null()
    name = table.c[label] if label else null()
    return SQL(
        select(table.c.id, slug.label("slug"), name.label("name")).where(
            table.c.id == bindparam("id")
        )
    )


class _References:
    """The objects a page of changes refers to, each looked up once."""

    def __init__(self, db: ReadDB) -> None:
        self.db = db
        self.found: dict[tuple[str, int], Reference] = {}

    def of(self, table: Table, value: Any) -> Reference | None:
        if not isinstance(value, int):
            return None
        key = (table.name, value)
        if key not in self.found:
            row = self.db.one(_label_query(table), {"id": value})
            self.found[key] = {
                "id": value,
                "slug": row["slug"] if row else None,
                "name": row["name"] if row else None,
            }
        return self.found[key]


def _json(value: Any) -> Any:
    # SQLite hands JSON columns back as text; psycopg as Python values.
    if isinstance(value, str):
        return orjson.loads(value)
    return value

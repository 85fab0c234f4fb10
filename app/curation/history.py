"""The change history: every write through the API records who, when, what, before and after.

A deletion records every row it removes (the object and what the database removes with it),
so that a restore can put them all back, ids and all; until then a tombstone answers for the
object's address, and keeps its slug for it: no new object takes the slug of a deleted one
until an admin purges the deletion (which then can no longer be undone).
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from app.curation.addresses import Deletion, gone, went_with
from app.db.ids import retire
from app.models import Base, Change, Tombstone
from app.models.enums import ChangeAction
from app.web.auth import Editor
from app.web.errors import Conflict, NotFound

# Tables whose rows have addresses of their own (/{kind}s/...), by the object type they are.
ADDRESSED = {
    "actors": "actor",
    "claims": "claim",
    "sources": "source",
    "statements": "statement",
    "appearances": "appearance",
    "contradictions": "contradiction",
}

Row = dict[str, Any]
# Where a session keeps its changes for the log, until its transaction commits.
LOGGED = "changes_to_log"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _db_value(column: Column[Any], value: Any) -> Any:
    """A JSON value back as the column's Python value (dates and instants were ISO text)."""
    if value is None:
        return None
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return value
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    return value


def table_of(model: type[Base]) -> Table:
    """The Table of a mapped class."""
    return Base.metadata.tables[model.__tablename__]


def row_of(table: Table, row_id: int, session: Session) -> Row | None:
    """One row of TABLE as JSON-ready values, or None."""
    found = session.execute(select(table).where(table.c.id == row_id)).mappings().one_or_none()
    return None if found is None else {k: _json_value(v) for k, v in found.items()}


def record(
    session: Session,
    editor: Editor,
    action: ChangeAction,
    object_type: str,
    object_id: int,
    slug: str | None,
    before: Any = None,
    after: Any = None,
    note: str | None = None,
) -> Change:
    """Add one change to the history (flushed, so that it has its id). It is logged once the
    transaction commits (app/curation/editing.py in_transaction), by the key's name."""
    session.info.setdefault(LOGGED, []).append(
        (editor.name, editor.role.value, action.value, object_type, object_id, slug)
    )
    change = Change(
        at=now(),
        key_id=editor.key_id,
        who=editor.name,
        object_type=object_type,
        object_id=object_id,
        object_slug=slug,
        action=action,
        before=before,
        after=after,
        note=note,
    )
    session.add(change)
    session.flush()
    return change


def update_object(
    session: Session,
    editor: Editor,
    obj: Any,
    object_type: str,
    slug: str | None,
    values: Mapping[str, Any],
) -> None:
    """Set VALUES on OBJ (a mapped row: the ORM checks and bumps its version on the UPDATE)
    and record the update, with the row before and after."""
    table = table_of(type(obj))
    before = row_of(table, obj.id, session)
    for name, value in values.items():
        setattr(obj, name, value)
    session.flush()
    after = row_of(table, obj.id, session)
    record(session, editor, ChangeAction.update, object_type, obj.id, slug, before, after)


# -- deletion and restore ------------------------------------------------------------------------


def _referring(table: Table) -> list[tuple[Table, Column[Any], str]]:
    """(table, column, ondelete) for every foreign key that points at TABLE."""
    found = []
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table:
                found.append((other, fk.parent, (fk.ondelete or "NO ACTION").upper()))
    return found


def removal(
    session: Session, table: Table, row_id: int, also: Sequence[tuple[Table, int]] = ()
) -> Row:
    """What deleting the row (and the rows ALSO names) would remove: {"rows": {table: [rows]},
    "unlinked": [[table, column, id, value]]}. A Conflict if anything refuses (a RESTRICT
    foreign key)."""
    rows: dict[str, list[Row]] = {}
    unlinked: list[list[Any]] = []
    pending = [(table, row_id), *also]
    seen: set[tuple[str, int]] = set()
    while pending:
        t, rid = pending.pop()
        if (t.name, rid) in seen:
            continue
        seen.add((t.name, rid))
        row = row_of(t, rid, session)
        if row is None:
            continue
        rows.setdefault(t.name, []).append(row)
        for other, column, ondelete in _referring(t):
            ids = list(session.scalars(select(other.c.id).where(column == rid)))
            if not ids:
                continue
            if ondelete == "CASCADE":
                pending += [(other, i) for i in ids]
            elif ondelete == "SET NULL":
                unlinked += [[other.name, column.name, i, rid] for i in ids]
            else:
                raise Conflict(
                    f"{len(ids)} row(s) of {other.name} refer to this by {column.name}: "
                    "change or delete them first."
                )
    # Rows that go with the object may also have pointed elsewhere by SET NULL: not ours.
    unlinked = [u for u in unlinked if (u[0], u[2]) not in seen]
    return {"rows": rows, "unlinked": unlinked}


def delete_object(
    session: Session,
    editor: Editor,
    table: Table,
    object_type: str,
    row_id: int,
    slug: str | None,
    version: int,
    also: Sequence[tuple[Table, int]] = (),
) -> Change:
    """Delete a row at VERSION and what goes with it (ALSO: rows no foreign key takes along,
    as (table, id)); record the deletion and a tombstone."""
    removed = removal(session, table, row_id, also)
    retire(session.connection(), removed["rows"])
    for other, other_id in also:
        session.execute(delete(other).where(other.c.id == other_id))
    gone = session.execute(
        delete(table).where(table.c.id == row_id, table.c.version == version)
    ).rowcount  # type: ignore[attr-defined]
    if not gone:
        raise Conflict("It changed while being deleted; fetch it again.")
    change = record(session, editor, ChangeAction.delete, object_type, row_id, slug, removed)
    # The object, and every object with an address of its own that went with it (a statement's
    # appearances, the denials it was a side of): each answers 410 until the deletion is undone.
    graves = [(object_type, row_id, slug)] + [
        (ADDRESSED[name], row["id"], row.get("slug"))
        for name, found in removed["rows"].items()
        if name in ADDRESSED
        for row in found
        if (name, row["id"]) != (table.name, row_id)
    ]
    session.add_all(
        Tombstone(
            object_type=kind, object_id=id_, slug=slug_, change_id=change.id, deleted_at=change.at
        )
        for kind, id_, slug_ in graves
    )
    session.flush()
    return change


def tombstone(
    session: Session, object_type: str, slug: str | None = None, object_id: int | None = None
) -> Tombstone | None:
    """The tombstone of a deleted object, by slug or by id."""
    query = select(Tombstone).where(Tombstone.object_type == object_type)
    query = (
        query.where(Tombstone.slug == slug)
        if slug is not None
        else query.where(Tombstone.object_id == object_id)
    )
    return session.scalars(query.order_by(Tombstone.id.desc()).limit(1)).first()


def restore_object(session: Session, editor: Editor, grave: Tombstone) -> Change:
    """Put back every row a deletion removed, ids and all; record the restore."""
    deletion = session.get(Change, grave.change_id)
    assert deletion is not None and deletion.before is not None
    whole = went_with(grave.object_type, grave.object_id, _deletion(deletion))
    if whole is not None:
        raise Conflict(
            f"The {grave.object_type} {grave.slug or grave.object_id} went with {whole} when"
            " that was deleted: restore that."
        )
    removed = deletion.before
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    for table in Base.metadata.sorted_tables:
        for row in removed["rows"].get(table.name, []):
            if session.execute(select(table.c.id).where(table.c.id == row["id"])).first():
                raise Conflict(f"{table.name} {row['id']} exists again; it cannot be restored.")
            values = {k: _db_value(table.c[k], v) for k, v in row.items() if k in table.c}
            for unique in ("slug",):
                if (
                    unique in values
                    and session.execute(
                        select(table.c.id).where(table.c[unique] == values[unique])
                    ).first()
                ):
                    raise Conflict(
                        f"The slug '{values[unique]}' is taken by another {grave.object_type} now."
                    )
            session.execute(insert(table).values(values))
    for table_name, column, row_id, value in removed["unlinked"]:
        table = tables[table_name]
        session.execute(
            update(table)
            .where(table.c.id == row_id, table.c[column].is_(None))
            .values({column: value})
        )
    session.execute(delete(Tombstone).where(Tombstone.change_id == deletion.id))
    return record(
        session,
        editor,
        ChangeAction.restore,
        deletion.object_type,
        deletion.object_id,
        deletion.object_slug,
        after=removed["rows"],
    )


def reserved(session: Session, object_type: str, slug: str) -> None:
    """Conflict if SLUG is a deleted OBJECT_TYPE's: it keeps it until the deletion is purged,
    so that a restore always finds its slug free."""
    if tombstone(session, object_type, slug) is not None:
        raise Conflict(
            f"The slug '{slug}' belongs to a deleted {object_type}: it stays reserved so that "
            f"the {object_type} can be restored. An admin can restore it, or purge it "
            f"(POST /{object_type}s/{slug}/purge) to free the slug."
        )


def purge_object(session: Session, editor: Editor, object_type: str, slug: str) -> Change:
    """Make the deletion of the OBJECT_TYPE SLUG final: its tombstones go (with those of what
    went with it), so that it can no longer be restored and its slugs are free again. The
    history keeps the deletion, and records the purge as a second deletion whose `after`
    names the deletion it made final."""
    grave = tombstone(session, object_type, slug)
    if grave is None:
        table = Base.metadata.tables[f"{object_type}s"]
        if session.execute(select(table.c.id).where(table.c.slug == slug)).first():
            raise Conflict(f"The {object_type} '{slug}' is not deleted: delete it first.")
        raise NotFound.slug_of(object_type, slug)
    deletion = session.get(Change, grave.change_id)
    assert deletion is not None
    whole = went_with(object_type, grave.object_id, _deletion(deletion))
    if whole is not None:
        raise Conflict(
            f"The {object_type} '{slug}' went with {whole} when that was deleted: purge that."
        )
    session.execute(delete(Tombstone).where(Tombstone.change_id == deletion.id))
    return record(
        session,
        editor,
        ChangeAction.delete,
        object_type,
        grave.object_id,
        slug,
        after={"purged": deletion.id},
    )


def require_alive(
    session: Session, object_type: str, slug: str | None = None, object_id: int | None = None
) -> None:
    """Gone if the object was deleted (and not restored), naming what it went with, if it did."""
    grave = tombstone(session, object_type, slug, object_id)
    if grave is not None:
        deletion = session.get(Change, grave.change_id)
        assert deletion is not None
        name = f"'{slug}'" if slug is not None else str(object_id)
        raise gone(object_type, grave.object_id, name, _deletion(deletion))


def _deletion(change: Change) -> Deletion:
    return change.object_type, change.object_id, change.object_slug

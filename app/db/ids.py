"""Ids that are never given twice, on SQLite too.

PostgreSQL's sequences never hand out an id twice. SQLite gives a new row the largest id plus
one, which is a deleted row's id when the newest row was deleted: the history would then mix two
objects under one id, and the deleted one could not be restored under its own. So a deletion
records the highest id it removed from each table (retired_ids), and every way of adding rows
starts above it: the ORM (a hook below, on SQLite), the bulk loader, and the denials found in
SQL.
"""

from typing import Any

from sqlalchemy import Connection, Table, event, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapper, Session, object_session

from app.models import Base, RetiredId


def retire(conn: Connection, removed: dict[str, list[dict[str, Any]]]) -> None:
    """Record the highest id of the rows REMOVED ({table: rows}) from each table."""
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    for table, rows in removed.items():
        top = max(row["id"] for row in rows)
        statement = insert(RetiredId).values(table_name=table, max_id=top)
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=["table_name"],
                set_={"max_id": func.max(RetiredId.max_id, top)}
                if conn.dialect.name == "sqlite"
                else {"max_id": func.greatest(RetiredId.max_id, top)},
            )
        )


def first_free(conn: Connection, table: Table) -> int:
    """The lowest id above every id TABLE holds or ever held."""
    return max(_held_and_retired(conn, table)) + 1


def first_not_reused(conn: Connection, table: Table) -> int | None:
    """first_free, when it is not what SQLite would give next (the largest id held plus one):
    a deletion retired an id above every one TABLE holds. None when SQLite's own ids are safe."""
    held, retired = _held_and_retired(conn, table)
    return retired + 1 if retired > held else None


def _held_and_retired(conn: Connection, table: Table) -> tuple[int, int]:
    """The largest id TABLE holds, and the largest a deletion retired from it (0 for none)."""
    held = conn.execute(select(func.max(table.c.id))).scalar() or 0
    retired = conn.execute(
        select(RetiredId.max_id).where(RetiredId.table_name == table.name)
    ).scalar()
    return held, retired or 0


@event.listens_for(Base, "before_insert", propagate=True)
def _fresh_id(_mapper: Mapper[Any], conn: Connection, target: Any) -> None:
    """On SQLite, give a new ORM row an id above every retired one."""
    table = target.__table__
    # A table keyed otherwise than by an id (desk_sessions) has none to give.
    if conn.dialect.name != "sqlite" or "id" not in table.c or target.id is not None:
        return
    session = object_session(target)
    assert session is not None
    # Rows of one flush may be inserted in one statement: hand out consecutive ids.
    handed: dict[str, int] = session.info.setdefault("next_ids", {})
    if table.name not in handed:
        handed[table.name] = first_free(conn, table)
    target.id = handed[table.name]
    handed[table.name] += 1


@event.listens_for(Session, "after_flush")
def _forget_ids(session: Session, _context: Any) -> None:
    session.info.pop("next_ids", None)

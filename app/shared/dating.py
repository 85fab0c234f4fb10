"""A statement's date (`statements.dated_on`): the day it was said where the text says, else the
day it was first reported (the earliest `reported_on` of the sources of its appearances, rejected
ones aside). Statement lists filter on it (`said_from`, `said_to`) and timelines order by it, so
it is stored and indexed, not worked out per query: the writes and loads that can move it (a
said date, an appearance, a source's reporting date) call `redate` on what they touched."""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Connection, func, select, update
from sqlalchemy.orm import Session

from app.curation.history import table_of
from app.models import Appearance, Source, Statement
from app.models.enums import ReviewStatus

STATEMENTS = table_of(Statement)
_CHUNK = 500

# The earliest report of the statement row being updated.
_FIRST_REPORTED = (
    select(func.min(Source.reported_on))
    .select_from(Appearance)
    .join(Source, Source.id == Appearance.source_id)
    .where(
        Appearance.statement_id == STATEMENTS.c.id,
        Appearance.status != ReviewStatus.rejected,
    )
    .scalar_subquery()
)
DATED_ON: ColumnElement[object] = func.coalesce(STATEMENTS.c.said_on, _FIRST_REPORTED)


def redate(db: Session | Connection, statement_ids: Iterable[int]) -> None:
    """Work out again the date of each statement named (after a session's pending changes).
    Derived, it is not an edit: no version moves and the history records nothing of it."""
    if isinstance(db, Session):
        db.flush()
    ids = sorted(set(statement_ids))
    for i in range(0, len(ids), _CHUNK):
        db.execute(
            update(STATEMENTS)
            .where(STATEMENTS.c.id.in_(ids[i : i + _CHUNK]))
            .values(dated_on=DATED_ON)
        )


def reported_by(session: Session, source_id: int) -> list[int]:
    """The statements the source reports (any of their appearances is in it)."""
    return list(
        session.scalars(
            select(Appearance.statement_id).where(Appearance.source_id == source_id).distinct()
        )
    )

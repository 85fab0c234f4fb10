"""A claim's timeline: its statements in time order, dated by when they were said where the text
says, else by when they were first reported (by any of their sources, whichever the filters
show: the statement's own date, as the filters and every answer give it)."""

import datetime as dt
from functools import cache

from sqlalchemy import String, bindparam, case, func, select

from app.db.reads import SQL, AnySelect, ReadDB
from app.models import Statement
from app.shared.statement_rows import (
    STATEMENT_ROWS,
    Speaker,
    appearances_of,
    group_appearances,
    statement_brief,
)
from app.statements.filters import StatementFilter
from app.statements.schemas import TimelineEntry
from app.statements.service import (
    count_statements,
    filtered,
    require_named,
    shown_appearances,
)
from app.web.pagination import DAY, ID, Page, PageParams, page

# Undated statements (said on an unknown day, reported by sources without a date) come last.
UNDATED = dt.date(9999, 12, 31)


@cache
def _queries(shape: tuple[str, ...], after: bool) -> tuple[SQL, SQL]:
    """The page of statements for a filter shape, in time order, and the appearances of that
    page."""
    # Each statement's date (app/shared/dating.py), as ISO text on both databases, so that a
    # cursor compares the same way.
    day = func.coalesce(func.cast(Statement.dated_on, String), UNDATED.isoformat())

    def ordered(query: AnySelect) -> AnySelect:
        query = filtered(shape, query)
        if after:
            query = query.where(
                (day > bindparam("after_day"))
                | ((day == bindparam("after_day")) & (Statement.id > bindparam("after")))
            )
        return query.order_by(day, Statement.id).limit(bindparam("limit"))

    rows = ordered(
        STATEMENT_ROWS.add_columns(
            day.label("day"),
            case((Statement.said_on.is_not(None), "said"), else_="reported").label("dated_by"),
        )
    )
    ids = ordered(select(Statement.id).join(Speaker, Speaker.id == Statement.speaker_id))
    return SQL(rows), appearances_of(ids, shown_appearances(shape))


def timeline(db: ReadDB, f: StatementFilter, params: PageParams) -> Page[TimelineEntry]:
    """A page of a claim's statements in time order (then by id), each with its appearances
    from the earliest report on."""
    after = params.after(DAY, ID)
    rows_sql, appearances_sql = _queries(f.shape(), after is not None)
    values = {
        **f.params(),
        "limit": params.limit + 1,
        "after_day": dt.date.fromordinal(after[0]).isoformat() if after else None,
        "after": after[1] if after else None,
    }
    rows = db.all(rows_sql, values)
    kept, next_cursor = page(
        rows, params, lambda r: (dt.date.fromisoformat(r["day"]).toordinal(), r["id"])
    )
    if not rows:
        require_named(db, f)
    appearances = group_appearances(db.all(appearances_sql, values)) if kept else {}
    items: list[TimelineEntry] = []
    for r in kept:
        dated = r["day"] != UNDATED.isoformat()
        items.append(
            {
                "on": r["day"] if dated else None,
                "dated_by": r["dated_by"] if dated else None,
                **statement_brief(r),
                "appearances": appearances.get(r["id"], []),
            }
        )
    found: Page[TimelineEntry] = {"items": items, "next_cursor": next_cursor}
    if params.count:
        found["total"] = count_statements(db, f)
    return found

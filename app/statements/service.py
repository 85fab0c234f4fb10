"""Statement queries: one statement in full, and filtered, keyset-paged lists of them."""

import datetime as dt
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, select, tuple_
from sqlalchemy.orm import aliased

from app.db.reads import SQL, AnySelect, ReadDB, count, count_of
from app.db.review import Review, confirmed
from app.models import Appearance, Source, Statement
from app.models.enums import ActorKind, ReviewStatus
from app.shared.briefs import StatementRead
from app.shared.lookups import id_of, require
from app.shared.statement_rows import (
    STATEMENT_ROWS,
    Speaker,
    affiliates,
    appearances_of,
    group_appearances,
    reports_shown,
    statement_brief,
)
from app.statements.filters import StatementFilter
from app.web.errors import NotFound
from app.web.pagination import DAY, ID, Page, PageParams, page

_BY_SLUG = Statement.slug == bindparam("slug")
# By whether drafts are shown: every statement and report, or the confirmed ones alone.
_ONE = {
    True: SQL(STATEMENT_ROWS.where(_BY_SLUG)),
    False: SQL(STATEMENT_ROWS.where(_BY_SLUG, confirmed(Statement.status))),
}
_ONE_APPEARANCES = {
    True: appearances_of(select(Statement.id).where(_BY_SLUG)),
    False: appearances_of(select(Statement.id).where(_BY_SLUG), [confirmed(Appearance.status)]),
}


def get_statement(db: ReadDB, slug: str, *, drafts: bool = False) -> StatementRead:
    """One statement with its speaker, claim and every appearance; with DRAFTS, whatever its
    review status and theirs, else a confirmed one with its confirmed appearances (a draft is
    not found)."""
    row = db.one(_ONE[drafts], {"slug": slug})
    if row is None:
        raise NotFound.slug_of("statement", slug)
    appearances = group_appearances(db.all(_ONE_APPEARANCES[drafts], {"slug": slug}))
    return {**statement_brief(row), "appearances": appearances.get(row["id"], [])}


def _day(value: Any) -> dt.date:
    # SQLite hands a date back as ISO text, psycopg as a date.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def require_named(db: ReadDB, f: StatementFilter) -> None:
    """NotFound when a filter names a claim, actor or source that does not exist."""
    require(db, *f.slugs())


def _review(shape: tuple[str, ...]) -> Review:
    found = next((x for x in shape if x.startswith("review=")), "review=confirmed")
    return Review(found.removeprefix("review="))


def statement_review(review: Review) -> ColumnElement[bool] | None:
    """Which statements a list shows in REVIEW: confirmed ones unless asked for the rest (those
    proposed or rejected, or with a report that is)."""
    if review is Review.all:
        return None
    if review is Review.confirmed:
        return confirmed(Statement.status)
    status = ReviewStatus(review.value)
    # An alias of its own: the query this goes into may join appearances already.
    report = aliased(Appearance)
    reported = select(report.id).where(report.statement_id == Statement.id, report.status == status)
    return (Statement.status == status) | reported.exists()


def shown_appearances(shape: tuple[str, ...]) -> list[ColumnElement[bool]]:
    """The conditions on the appearances a list shows: its filters and its review."""
    return [*appearance_conditions(shape), *reports_shown(_review(shape))]


def appearance_conditions(shape: tuple[str, ...]) -> list[ColumnElement[bool]]:
    """The conditions on an appearance (joined to its source) that SHAPE's filters set."""
    on = set(shape)
    conditions: list[ColumnElement[bool]] = []
    if "source" in on:
        conditions.append(Appearance.source_id == id_of("source", "source"))
    if "outlet" in on:
        conditions.append(Source.outlet_id == id_of("actor", "outlet"))
    if "language" in on:
        # The tag or any of its sub-tags ('en', 'en-gb'), as two index ranges: '.' follows '-'.
        conditions.append(
            (Source.language == bindparam("language"))
            | (
                (Source.language > bindparam("language_sub_from"))
                & (Source.language < bindparam("language_sub_to"))
            )
        )
    if "mode" in on:
        conditions.append(Appearance.mode == bindparam("mode"))
    if "hedged=True" in on:
        conditions.append(Appearance.hedge.is_not(None))
    if "hedged=False" in on:
        conditions.append(Appearance.hedge.is_(None))
    if "reported_from" in on:
        conditions.append(Source.reported_on >= bindparam("reported_from"))
    if "reported_to" in on:
        conditions.append(Source.reported_on <= bindparam("reported_to"))
    return conditions


# Filters that pick few sources: the matching appearances are found from them through indexes.
# The others (language, mode, hedged) match most appearances: those are checked statement by
# statement, in the page's order, so that a page stops after LIMIT matches.
_SELECTIVE = {"source", "outlet", "reported_from", "reported_to"}


def filtered(shape: tuple[str, ...], query: AnySelect) -> AnySelect:
    """QUERY (over statements joined to their speaker) narrowed by the filters SHAPE turns on."""
    on = set(shape)
    if "claim" in on:
        query = query.where(Statement.claim_id == id_of("claim", "claim"))
    if "speaker" in on:
        condition = Statement.speaker_id == id_of("actor", "speaker")
        if "include_affiliated=True" in on:
            condition = condition | Statement.speaker_id.in_(affiliates("speaker"))
        query = query.where(condition)
    if "affiliated_with" in on:
        query = query.where(Statement.speaker_id.in_(affiliates("affiliated_with")))
    if "stance" in on:
        query = query.where(Statement.stance == bindparam("stance"))
    if "unnamed=True" in on or "unnamed=False" in on:
        is_unnamed = Speaker.kind == ActorKind.unnamed
        query = query.where(is_unnamed if "unnamed=True" in on else ~is_unnamed)
    # A statement's date: said, else first reported (app/shared/dating.py).
    if "said_from" in on:
        query = query.where(Statement.dated_on >= bindparam("said_from"))
    if "said_to" in on:
        query = query.where(Statement.dated_on <= bindparam("said_to"))
    reviewed = statement_review(_review(shape))
    if reviewed is not None:
        query = query.where(reviewed)
    conditions = appearance_conditions(shape)
    if conditions:
        # At least one report that meets every appearance filter, and is shown.
        conditions = shown_appearances(shape)
        matching = select(Appearance.statement_id).join(Source, Source.id == Appearance.source_id)
        if on & _SELECTIVE:
            query = query.where(Statement.id.in_(matching.where(*conditions)))
        else:
            query = query.where(
                matching.where(Appearance.statement_id == Statement.id, *conditions).exists()
            )
    return query


def _dated(shape: tuple[str, ...]) -> bool:
    """Whether the list is narrowed to a period: it is then in date order."""
    return "said_from" in shape or "said_to" in shape


@cache
def _list_queries(shape: tuple[str, ...], after: bool) -> tuple[SQL, SQL]:
    """The page of statements for a filter shape, and the appearances of that page: by id, or
    narrowed to a period, by date then id. (In id order, a period's statements would be read
    from the date index and sorted, all of them, for each page: 12 ms a page at 100k for a
    month; in date order a page is read from the index in order.)"""
    ids = filtered(shape, select(Statement.id).join(Speaker, Speaker.id == Statement.speaker_id))
    rows = filtered(shape, STATEMENT_ROWS)
    if _dated(shape):
        order: tuple[Any, ...] = (Statement.dated_on, Statement.id)
        later = tuple_(*order) > tuple_(bindparam("after_day"), bindparam("after"))
    else:
        order, later = (Statement.id,), Statement.id > bindparam("after")
    if after:
        ids, rows = ids.where(later), rows.where(later)
    ids = ids.order_by(*order).limit(bindparam("limit"))
    rows = rows.order_by(*order).limit(bindparam("limit"))
    return SQL(rows), appearances_of(ids, shown_appearances(shape))


@cache
def _count_query(shape: tuple[str, ...]) -> SQL:
    return count_of(
        filtered(shape, select(Statement.id).join(Speaker, Speaker.id == Statement.speaker_id))
    )


def count_statements(db: ReadDB, f: StatementFilter) -> int:
    """How many statements match F (over all pages)."""
    return count(db, _count_query(f.shape()), f.params())


def list_statements(db: ReadDB, f: StatementFilter, params: PageParams) -> Page[StatementRead]:
    """A page of statements matching F, each with its appearances: in id order, or narrowed to
    a period (said_from, said_to), in date order (then id)."""
    shape = f.shape()
    dated = _dated(shape)
    after = params.after(DAY, ID) if dated else params.after()
    rows_sql, appearances_sql = _list_queries(shape, after is not None)
    values = {
        **f.params(),
        "limit": params.limit + 1,
        "after": after[-1] if after else None,
        "after_day": dt.date.fromordinal(after[0]).isoformat() if after and dated else None,
    }
    rows = db.all(rows_sql, values)
    if dated:
        kept, next_cursor = page(rows, params, lambda r: (_day(r["dated_on"]).toordinal(), r["id"]))
    else:
        kept, next_cursor = page(rows, params, lambda r: (r["id"],))
    if not rows:
        require_named(db, f)
    appearances = group_appearances(db.all(appearances_sql, values)) if kept else {}
    items: list[StatementRead] = [
        {**statement_brief(r), "appearances": appearances.get(r["id"], [])} for r in kept
    ]
    found: Page[StatementRead] = {"items": items, "next_cursor": next_cursor}
    if params.count:
        found["total"] = count_statements(db, f)
    return found

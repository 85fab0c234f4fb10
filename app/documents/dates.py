"""A page's dates: which day a source was reported on, and a date as the database stores it."""

import datetime as dt
from typing import Any

from app.models.enums import DateKind

Row = dict[str, Any]
# The widest UTC offset PostgreSQL's timestamptz takes (a clock's run from -12:00 to +14:00).
MAX_OFFSET = dt.timedelta(hours=15, minutes=59, seconds=59)


def storable_instant(value: dt.datetime) -> dt.datetime:
    """VALUE, if both databases can store it (they keep it in UTC); else a ValueError saying
    why."""
    offset = value.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        raise ValueError(f"its UTC offset is {value:%z}: no clock is set more than 15:59 apart")
    try:
        value.astimezone(dt.UTC)
    except OverflowError as exc:
        raise ValueError("out of range once in UTC") from exc
    return value


def day_and_time(value: dt.date | dt.datetime) -> tuple[dt.date, dt.datetime | None]:
    if isinstance(value, dt.datetime):
        return value.date(), value
    return value, None


def reported_on_of(dates: set[Any]) -> dt.date | None:
    for kind in (DateKind.published, DateKind.updated, DateKind.page):
        days: list[dt.date] = sorted(d[2] for d in dates if d[0] == kind)
        if days:
            return days[0]
    return None


def date_row(source: str, d: tuple[Any, ...]) -> Row:
    kind, printed, day, at, start, end, note = d
    return {
        "source": source,
        "kind": kind,
        "printed": printed,
        "day": day,
        "at": at,
        "span_start": start,
        "span_end": end,
        "note": note,
    }

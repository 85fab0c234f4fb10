"""A page's dates: which day a source was reported on, and a date as the database stores it."""

import datetime as dt
from typing import Any

from app.models.enums import DateKind

Row = dict[str, Any]


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

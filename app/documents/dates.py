"""A page's dates: which day a source was reported on (and on what basis), and a date as the
database stores it."""

import datetime as dt
from collections.abc import Iterable
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


# Why a source is dated by another date than the publication date it prints (it prints none).
UPDATED_BASIS = (
    "The page prints no publication date: dated by the date it says it was updated ({})."
)
PAGE_BASIS = (
    "The page prints no publication date: dated by the date it shows without a label ({}), "
    "which may be when the page was rendered or archived rather than published."
)


class DateRefused(ValueError):
    """A reporting date (or its basis) that the source's dates do not allow; FIELD names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def day_and_time(value: dt.date | dt.datetime) -> tuple[dt.date, dt.datetime | None]:
    if isinstance(value, dt.datetime):
        return value.date(), value
    return value, None


def reporting_date(
    dates: Iterable[tuple[Any, ...]], given: dt.date | None = None, basis: str | None = None
) -> tuple[dt.date | None, str | None]:
    """A source's `reported_on` and `reported_on_basis`, from its DATES ((kind, printed, day,
    ...) as the page prints them) and what its annotation or body says (GIVEN, BASIS).

    Its publication date where the page prints one (the earliest), which nothing may override.
    Else the day given, with the reason (needed where the page prints other dates, which it
    sets aside); else the updated date, else the page's unlabelled date, each with a basis that
    says so; else none."""
    dates = sorted(dates, key=lambda d: (d[2], d[1]))
    published = [d for d in dates if d[0] == DateKind.published]
    if given is None:
        if basis is not None:
            raise DateRefused("reported_on_basis", "give the reported_on it explains")
        if published:
            return published[0][2], None
        for kind, template in ((DateKind.updated, UPDATED_BASIS), (DateKind.page, PAGE_BASIS)):
            found = [d for d in dates if d[0] == kind]
            if found:
                return found[0][2], template.format(found[0][1])
        return None, None
    if published:
        raise DateRefused(
            "reported_on",
            f"the page prints its publication date ({published[0][1]!r}): that is its "
            "reporting date",
        )
    if dates and basis is None:
        raise DateRefused(
            "reported_on_basis",
            "the page prints no publication date, and the dates it prints are set aside: "
            "say why the source is dated so",
        )
    return given, basis


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

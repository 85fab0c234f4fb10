"""Keyset pages: a cursor names the last row of the previous page, never an offset."""

import base64
import binascii
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, NotRequired, TypeVar

import orjson
from pydantic import Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from typing_extensions import TypedDict

from app.web.errors import InvalidParameter

R = TypeVar("R")


def encode_cursor(key: tuple[Any, ...]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(key))).decode().rstrip("=")


@dataclass(frozen=True)
class Key:
    """One column of a list's sort key, as a cursor carries it: an integer within what the
    column can hold (a value outside it is no cursor of this API, and a database would refuse
    it: SQLite's integers end at 2^63, PostgreSQL's at 2^31)."""

    what: str
    low: int
    high: int


# A row id, within what both databases' integer columns hold (RowId, app/shared/fields.py).
ID = Key("a row id", 1, 2_147_483_647)
# A character offset in a source's text (appearances.span_start).
OFFSET = Key("an offset in a text", 0, 2_147_483_647)
# A day, as its proleptic Gregorian ordinal (datetime.date.toordinal).
DAY = Key("a day", 1, dt.date.max.toordinal())


def decode_cursor(cursor: str, keys: Sequence[Key] = (ID,)) -> tuple[int, ...]:
    """The sort key a cursor carries, one integer for each of KEYS; a cursor that was not made
    by this API for this list is refused."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = orjson.loads(raw)
    except (binascii.Error, ValueError, orjson.JSONDecodeError) as exc:
        raise _refused(cursor, "is not a cursor from this API") from exc
    # bool is an int to Python, but not to a database.
    if not isinstance(key, list) or len(key) != len(keys) or any(type(k) is not int for k in key):
        raise _refused(cursor, "is not a cursor for this list")
    for value, column in zip(key, keys, strict=True):
        if not column.low <= value <= column.high:
            raise _refused(
                cursor,
                f"is not a cursor for this list: {value} is out of range for {column.what} "
                f"({column.low}..{column.high})",
            )
    return tuple(key)


def _refused(cursor: str, why: str) -> InvalidParameter:
    message = f"'{cursor}' {why}"
    return InvalidParameter(
        f"query 'cursor': {message}",
        errors=[{"location": "query", "field": "cursor", "message": message}],
    )


@dataclass(frozen=True)
class PageParams:
    limit: int
    cursor: str | None
    # Whether the answer gives the whole list's `total` (lists that can: app.web.params.Counted).
    count: bool = False

    def after(self, *keys: Key) -> tuple[int, ...] | None:
        """The sort key of the last row of the previous page, if any: one value for each of
        KEYS (by default, the list is in id order: the row's id)."""
        return decode_cursor(self.cursor, keys or (ID,)) if self.cursor else None


def page(
    rows: Sequence[R], params: PageParams, key: Callable[[R], tuple[Any, ...]]
) -> tuple[list[R], str | None]:
    """The rows of a page, from up to limit+1 rows, and the next page's cursor if there is more."""
    more = len(rows) > params.limit
    kept = list(rows[: params.limit])
    return kept, (encode_cursor(key(kept[-1])) if more and kept else None)


T = TypeVar("T")


# A page as a read service builds it; the route adds `next` (app.web.params.read_page).
class Page(TypedDict, Generic[T]):
    items: list[T]
    next_cursor: Annotated[
        str | None,
        Field(description="Pass as `cursor` to get the next page; null on the last page."),
    ]
    next: NotRequired[
        Annotated[str | None, Field(description="The URL of the next page; null on the last page.")]
    ]
    total: NotRequired[
        Annotated[
            int,
            Field(
                description="With `count=true` (on the lists that take it): how many rows the "
                "whole list has, over all its pages."
            ),
        ]
    ]


def _titled(core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
    """A page's schema titled `Page[Item]`, as Pydantic titles a generic model's (it titles a
    generic TypedDict by its class name alone: every page would be `Page`), with `next`
    required, as it is in every answer."""
    json_schema = handler(core_schema)
    schema = handler.resolve_ref_schema(json_schema)
    # The service leaves `next` out; every route adds it (app.web.responses.read_page).
    schema["required"] = [*schema.get("required", []), "next"]
    item = handler.resolve_ref_schema(schema["properties"]["items"]["items"])
    if "title" in item:
        schema["title"] = f"Page[{item['title']}]"
    return json_schema


# Pydantic asks the origin class of Page[Item] for it; a TypedDict's body holds fields alone.
Page.__get_pydantic_json_schema__ = _titled  # type: ignore[attr-defined]

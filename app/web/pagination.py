"""Keyset pages: a cursor names the last row of the previous page, never an offset."""

import base64
import binascii
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


def decode_cursor(cursor: str, arity: int) -> tuple[Any, ...]:
    """The sort key a cursor carries; a cursor that was not made by this API is refused."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = orjson.loads(raw)
    except (binascii.Error, ValueError, orjson.JSONDecodeError) as exc:
        raise InvalidParameter(f"query 'cursor': '{cursor}' is not a cursor from this API") from exc
    if not isinstance(key, list) or len(key) != arity or not all(isinstance(k, int) for k in key):
        raise InvalidParameter(f"query 'cursor': '{cursor}' is not a cursor for this list")
    return tuple(key)


@dataclass(frozen=True)
class PageParams:
    limit: int
    cursor: str | None

    def after(self, arity: int = 1) -> tuple[Any, ...] | None:
        return decode_cursor(self.cursor, arity) if self.cursor else None


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


def _titled(core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
    """A page's schema titled `Page[Item]`, as Pydantic titles a generic model's (it titles a
    generic TypedDict by its class name alone: every page would be `Page`)."""
    json_schema = handler(core_schema)
    schema = handler.resolve_ref_schema(json_schema)
    item = handler.resolve_ref_schema(schema["properties"]["items"]["items"])
    if "title" in item:
        schema["title"] = f"Page[{item['title']}]"
    return json_schema


# Pydantic asks the origin class of Page[Item] for it; a TypedDict's body holds fields alone.
Page.__get_pydantic_json_schema__ = _titled  # type: ignore[attr-defined]

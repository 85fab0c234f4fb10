"""Keyset pages: a cursor names the last row of the previous page, never an offset."""

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel, Field

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


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )
    next: str | None = Field(None, description="The URL of the next page; null on the last page.")

"""Parameter types shared by the routers, so that every slug and text is checked the same way."""

from collections.abc import Callable
from typing import Annotated, Any, Concatenate, ParamSpec, TypeVar

import orjson
from fastapi import Path, Query, Request
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.db import run_read

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# NUL cannot be stored or compared in PostgreSQL text; refuse it up front on both databases.
TEXT_PATTERN = r"^[^\x00]*$"

P = ParamSpec("P")
T = TypeVar("T")


def slug_path(what: str, example: str) -> Any:
    return Path(
        pattern=SLUG_PATTERN,
        max_length=160,
        description=f"The {what}'s slug.",
        openapi_examples={"seed data": {"value": example}},
    )


def slug_query(what: str, example: str, description: str | None = None) -> Any:
    return Query(
        pattern=SLUG_PATTERN,
        max_length=160,
        description=description or f"Only those of this {what} (its slug).",
        openapi_examples={"seed data": {"value": example}},
    )


SearchText = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=200,
        pattern=TEXT_PATTERN,
        description="Case-insensitive text to look for.",
    ),
]


async def read(
    request: Request,
    fn: Callable[Concatenate[Connection, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """Run a read query function in the thread pool, on the app's database."""
    engine: Engine = request.app.state.engine
    return await run_in_threadpool(lambda: run_read(engine, fn, *args, **kwargs))


async def read_json(
    request: Request,
    fn: Callable[Concatenate[Connection, P], Any],
    *args: P.args,
    **kwargs: P.kwargs,
) -> Response:
    """Run a read query and send its result as JSON."""
    data = await read(request, fn, *args, **kwargs)
    return Response(orjson.dumps(data), media_type="application/json")


async def read_page(
    request: Request,
    fn: Callable[Concatenate[Connection, P], dict[str, Any]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> Response:
    """Like read_json, for a page: adds the URL of the next page."""
    data = await read(request, fn, *args, **kwargs)
    cursor = data["next_cursor"]
    data["next"] = str(request.url.include_query_params(cursor=cursor)) if cursor else None
    return Response(orjson.dumps(data), media_type="application/json")

"""A read endpoint's answer: the service's result as JSON, an editable object with its ETag, or a
page with the URL of the next one. The services run inline, on the event loop, on purpose: see
app/web/direct_reads.py."""

from collections.abc import Callable, Mapping
from typing import Any, Concatenate, ParamSpec

import orjson
from fastapi import Request
from starlette.responses import Response

from app.db.reads import ReadDB
from app.web.caching import object_response
from app.web.pagination import Page

P = ParamSpec("P")


def read_json(
    request: Request,
    fn: Callable[Concatenate[ReadDB, P], Any],
    *args: P.args,
    **kwargs: P.kwargs,
) -> Response:
    """Run a read query on the app's database and send its result as JSON."""
    data = fn(request.app.state.reads, *args, **kwargs)
    return Response(orjson.dumps(data), media_type="application/json")


def read_object(
    request: Request,
    fn: Callable[Concatenate[ReadDB, P], Mapping[str, Any]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> Response:
    """Like read_json, for an editable object: its ETag names its version (for If-Match)."""
    return object_response(fn(request.app.state.reads, *args, **kwargs))


def read_page(
    request: Request,
    fn: Callable[Concatenate[ReadDB, P], Page[Any]],
    *args: P.args,
    **kwargs: P.kwargs,
) -> Response:
    """Like read_json, for a page: adds the URL of the next page."""
    data = fn(request.app.state.reads, *args, **kwargs)
    cursor = data["next_cursor"]
    data["next"] = str(request.url.include_query_params(cursor=cursor)) if cursor else None
    return Response(orjson.dumps(data), media_type="application/json")

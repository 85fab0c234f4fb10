"""GET requests for the read endpoints, handed straight to their handlers.

Every read endpoint takes the request alone and parses its own parameters (app/web/params.py), so
FastAPI's routing and request handling (matching each route in turn, solving an empty set of
dependencies, the layers around them) do nothing for it but cost about a tenth of a millisecond
a request: as much as the queries of a page of denials. This middleware, the innermost, finds
the read endpoint by the path's first segment and calls it, and turns what it raises into
responses with the app's own exception handlers, as FastAPI would. A HEAD comes here as the
GET it stands for (app/web/methods.py drops the body outside). Everything else (writes, the
docs, a path no read route matches, an error with no handler of its own: a 500) goes on to
FastAPI unchanged. The middlewares outside this one (HTTP caching, keys, methods, CORS) see
every request as before. tests/api/test_direct_reads.py checks both paths give the same answers.

The read services are plain functions that block, and the read endpoints (async) call them
inline, on the event loop, on purpose: this API's reads are indexed lookups of a millisecond or
less, run on one connection per process (app/db/reads.py), and a hop to a worker thread and back
costs more than the query. The price is that a slow read holds its worker's loop: serve with
several workers (`sayso serve --workers N`). Writes, exports and extraction do block for long,
so they leave the loop: writes and exports in worker threads (app/curation/editing.py,
app/web/streaming.py), extraction in a process of its own (app/extract/runner.py).
"""

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fastapi.routing import APIRoute, APIRouter
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

Handler = Callable[[Request, Exception], Any]


def is_direct(route: APIRoute) -> bool:
    """A GET endpoint that takes the request and nothing else."""
    d = route.dependant
    return (
        route.methods == {"GET"}
        and d.request_param_name is not None
        and not (d.dependencies or d.path_params or d.query_params or d.header_params)
        and not (d.cookie_params or d.body_params)
    )


def _segment(path: str) -> str:
    """The path's first segment: '/claims/x/statements' -> 'claims'."""
    return path[1:].partition("/")[0]


class DirectReads:
    """The ASGI middleware: APP is the rest of the stack (FastAPI's routing)."""

    def __init__(
        self,
        app: ASGIApp,
        routers: Iterable[APIRouter],
        handlers: Mapping[Any, Handler],
    ) -> None:
        self.app = app
        self.handlers = handlers
        self.routes: dict[str, list[APIRoute]] = {}
        for router in routers:
            for route in router.routes:
                if isinstance(route, APIRoute) and is_direct(route):
                    self.routes.setdefault(_segment(route.path), []).append(route)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            # In declaration order, as FastAPI matches them (a read route comes first there
            # too: no other route answers a GET).
            for route in self.routes.get(_segment(scope["path"]), ()):
                match, child = route.matches(scope)
                if match is Match.FULL:
                    scope.update(child)
                    scope["route"] = route
                    await self._call(route, scope, receive, send)
                    return
        await self.app(scope, receive, send)

    async def _call(self, route: APIRoute, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        try:
            response: Response = await route.endpoint(request)
        except Exception as exc:
            handler = self._handler(exc)
            if handler is None:
                raise  # FastAPI's outermost layer answers it (500) and logs it
            answer = handler(request, exc)
            response = await answer if inspect.isawaitable(answer) else answer
        await response(scope, receive, send)

    def _handler(self, exc: Exception) -> Handler | None:
        """The app's handler for EXC, looked up as Starlette's ExceptionMiddleware does (by
        status code for HTTP errors, else by class), short of the catch-all for Exception."""
        if isinstance(exc, HTTPException) and exc.status_code in self.handlers:
            return self.handlers[exc.status_code]
        for cls in type(exc).__mro__:
            if cls is Exception:
                return None
            if cls in self.handlers:
                return self.handlers[cls]
        return None

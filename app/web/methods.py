"""The methods a path takes, as HTTP means them: HEAD is a GET without its body, OPTIONS says
which methods a path takes, and a 405 says the same in `Allow`.

FastAPI's routes answer the methods they declare and nothing else: a HEAD is a 405, and the 405
of a path with several routes (GET and POST on /claims) names the methods of the first route
alone. So the outermost of the app's own layers (inside CORS, whose preflights it leaves alone)
answers HEAD as the GET it stands for, through every layer a GET goes through (ETag, 304, gzip,
the direct reads), and drops the body on the way out; and lists a path's methods from every
route that matches it, for OPTIONS and for the 405's `Allow`.
"""

from collections.abc import Iterable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.errors import problem

# Allow lists them in this order, as a reader of the API meets them.
ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class PathMethods:
    """The methods each path takes, from every route that can answer it."""

    def __init__(self) -> None:
        self.routes: list[BaseRoute] = []

    def add(self, routes: Iterable[BaseRoute]) -> None:
        """Routes with methods (a router's own routes, not FastAPI's handle on the router)."""
        self.routes += [r for r in routes if getattr(r, "methods", None)]

    def allowed(self, scope: Scope) -> list[str]:
        """The methods the path of SCOPE takes: those of every route whose path matches it,
        HEAD where GET is, and OPTIONS (answered here); none if no route's path matches."""
        methods: set[str] = set()
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is not Match.NONE:
                methods |= getattr(route, "methods", set())
        if not methods:
            return []
        if "GET" in methods:
            methods.add("HEAD")
        methods.add("OPTIONS")
        return sorted(methods, key=lambda m: ORDER.index(m) if m in ORDER else len(ORDER))

    async def method_not_allowed(self, request: Request, exc: Exception) -> Response:
        """The app's handler for a 405: `Allow` names every method the path takes."""
        allowed = self.allowed(request.scope)
        detail = (
            f"{request.method} is not a method of {request.url.path}: "
            f"it takes {', '.join(allowed)}."
        )
        headers = {"Allow": ", ".join(allowed)}
        return problem(405, "Method not allowed", detail, request.url.path, headers=headers)


class Methods:
    """ASGI middleware: HEAD answered as GET without the body; OPTIONS answered with Allow."""

    def __init__(self, app: ASGIApp, paths: PathMethods) -> None:
        self.app = app
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "HEAD":
            await self._head(scope, receive, send)
        elif method == "OPTIONS":
            await self._options(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _head(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A copy: the server keeps its own scope, and with it the knowledge that no body goes
        # out (uvicorn then keeps the Content-Length a GET would have had).
        as_get = dict(scope, method="GET")
        started = False

        async def headers_only(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                await send(message)
            elif message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                elif started:
                    # A streamed answer (an export): its headers are out, and nobody reads the
                    # rest; stop making it.
                    started = False
                    await send({"type": "http.response.body", "body": b""})
                    raise _Enough
            else:
                await send(message)

        try:
            await self.app(as_get, receive, headers_only)
        except _Enough:
            pass
        except BaseExceptionGroup as group:
            _, rest = group.split(_Enough)
            if rest is not None:
                raise rest from None
        finally:
            # The route it matched, for the layers outside (app/web/metrics.py's label).
            if "route" in as_get:
                scope["route"] = as_get["route"]

    async def _options(self, scope: Scope, receive: Receive, send: Send) -> None:
        allowed = self.paths.allowed(scope)
        if not allowed:
            await self.app(scope, receive, send)  # no such path: the app's own 404
            return
        response = Response(status_code=204, headers={"Allow": ", ".join(allowed)})
        await response(scope, receive, send)


class _Enough(Exception):
    """Raised through a streamed answer to a HEAD once its headers are out."""

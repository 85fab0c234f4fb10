"""CORS, on when the settings name origins: Starlette's middleware, with a refused preflight
answered in the one error shape (Starlette answers it in plain text)."""

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from app.web.errors import problem

METHODS = ("GET", "HEAD", "POST", "PATCH", "DELETE")
# X-Sayso-LSN: a write's WAL position, sent back to read it (app/web/read_routing.py).
HEADERS = (
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "X-Request-ID",
    "X-Sayso-LSN",
)
EXPOSED = ("ETag", "Location", "X-Request-ID", "X-Sayso-LSN")


class CORS(CORSMiddleware):
    """CORS for ORIGINS: the API's methods and headers, its ETag, Location, X-Request-ID and
    X-Sayso-LSN readable."""

    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        super().__init__(
            app,
            allow_origins=origins,
            allow_methods=METHODS,
            allow_headers=HEADERS,
            expose_headers=EXPOSED,
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            headers = Headers(scope=scope)
            if "origin" in headers and "access-control-request-method" in headers:
                answer = self.preflight_response(request_headers=headers)
                if answer.status_code != 200:
                    answer = problem(
                        answer.status_code,
                        "CORS request refused",
                        self._refusal(headers),
                        scope["path"],
                        headers={
                            k: v
                            for k, v in answer.headers.items()
                            if k.lower() not in ("content-type", "content-length")
                        },
                    )
                await answer(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    def _refusal(self, headers: Headers) -> str:
        """What the preflight asked for that is not allowed, in a sentence."""
        why = []
        origin = headers["origin"]
        if not self.is_allowed_origin(origin=origin):
            why.append(f"the origin '{origin}' is not allowed")
        method = headers["access-control-request-method"]
        if method not in self.allow_methods:
            why.append(f"the method '{method}' is not allowed (only {', '.join(METHODS)})")
        asked = headers.get("access-control-request-headers")
        if asked and not self.allow_all_headers:
            refused = [
                h.strip() for h in asked.split(",") if h.strip().lower() not in self.allow_headers
            ]
            if refused:
                why.append(
                    f"the headers {', '.join(refused)} are not allowed (only {', '.join(HEADERS)})"
                )
        if "access-control-request-private-network" in headers and not self.allow_private_network:
            why.append("private network access is not allowed")
        return "This cross-origin request is refused: " + "; ".join(why) + "."

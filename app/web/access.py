"""The access log: one line per request, with its id; and the last word on unhandled errors.

The outermost of the app's own middlewares, so that it sees every request as the client does:
the direct reads (app/web/direct_reads.py), which never reach FastAPI's routing, as well as
the rest; a HEAD's empty body, a 304, a gzipped answer, a CORS refusal. It takes the request's
id from `X-Request-ID` when the client sent a sane one (1 to 128 letters, digits and
`._:+/=-`), else makes one, holds it in the context for every log line of the request
(app/web/logs.py), and returns it in `X-Request-ID`.

The line, on the logger `sayso.access` at INFO: method, path (with the query), status, time
from the request's arrival until its last byte was handed to the server (ms), body bytes sent,
the client's address. In JSON each is a member of its own.

An exception no handler took is logged here, once, with its traceback, and answered 500 in the
problem shape with the request's id (`request_id`): it goes no further, so neither Starlette's
outermost layer nor uvicorn logs it again. If the answer had begun (a stream cut by an error),
nothing more can be sent: the connection is left unfinished, and the client sees a cut answer.

With metrics on, this middleware also hands each request to them as it begins and ends
(RequestCounter; app/web/prometheus.py): it times the request and sees its status already, and a
middleware of the metrics' own, around it, did the same again for a quarter of what they cost
a cheap read (docs/operating.md#metrics).
"""

import logging
import re
import time
import uuid
from typing import Any, Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.errors import server_error
from app.web.logs import REQUEST_ID

log = logging.getLogger("sayso.access")
HEADER = b"x-request-id"
_SANE = re.compile(rb"[A-Za-z0-9._:+/=-]{1,128}")
_INFO = logging.INFO


def request_id(scope: Scope) -> str:
    """The id the client sent, if sane; else a new one (32 hex digits)."""
    for name, value in scope["headers"]:
        if name == HEADER:
            if _SANE.fullmatch(value):
                return str(value.decode("ascii"))
            break
    return uuid.uuid4().hex


class RequestCounter(Protocol):
    """What counts every request beside the access line: the metrics, when they are on."""

    def began(self) -> Any:
        """A request has arrived; what it returns is given back to `ended`."""

    def ended(self, began: Any, scope: Scope, status: int, seconds: float) -> None:
        """It has ended: its STATUS (0: no answer began), SECONDS from its arrival to its
        answer's last byte."""


class AccessLog:
    """ASGI middleware: the request id, the access line, and unhandled errors answered; each
    request handed to METRICS when they are on."""

    def __init__(self, app: ASGIApp, metrics: RequestCounter | None = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        rid = request_id(scope)
        token = REQUEST_ID.set(rid)
        header = (HEADER, rid.encode("ascii"))
        status = 0
        sent = 0

        async def send_logged(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), header]}
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        metrics = self.metrics
        began = None if metrics is None else metrics.began()
        try:
            await self.app(scope, receive, send_logged)
        except Exception as exc:
            if status:
                log.error("the answer failed after it had begun", exc_info=exc)
            else:
                await server_error(scope["path"], exc)(scope, receive, send_logged)
        finally:
            if metrics is not None:
                metrics.ended(began, scope, status, time.perf_counter() - start)
            if log.isEnabledFor(_INFO):
                self._line(scope, status, sent, time.perf_counter() - start)
            REQUEST_ID.reset(token)

    @staticmethod
    def _line(scope: Scope, status: int, sent: int, seconds: float) -> None:
        # As the client sent it (percent-encoded: no line breaks in a text log).
        raw = scope.get("raw_path")
        path = raw.decode("latin-1") if raw else scope["path"]
        query = scope["query_string"]
        if query:
            path = f"{path}?{query.decode('latin-1')}"
        client = scope.get("client")
        ms = round(seconds * 1000, 2)
        # Made and handled directly: Logger.info would also look up the caller's frame.
        record = log.makeRecord(
            log.name,
            _INFO,
            __file__,
            0,
            "%s %s %d %.2f ms %d B",
            (scope["method"], path, status, ms, sent),
            None,
        )
        record.__dict__.update(
            method=scope["method"],
            path=path,
            status=status,
            duration_ms=ms,
            bytes=sent,
            client=client[0] if client else None,
        )
        log.handle(record)

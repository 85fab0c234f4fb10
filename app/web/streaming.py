"""Long answers streamed from the database (the exports), held to bounds: at most so many at once
in a worker (503 beyond), and whatever one holds given back the moment its client leaves or
stops reading for longer than the send timeout.

A stream's chunks come from a generator that blocks (it reads the database), run a step at a
time in a worker thread. Left to Starlette's StreamingResponse, a client that went away left the
generator suspended, its database connection open (and, as the exports were, a transaction with
it) until the cycle collector happened to reach it; a client that stopped reading held it for
ever, its send waiting on a full socket. Here the generator is closed in a `finally`, on the
event loop's way out whatever the way: the end, the client's `http.disconnect`, a send that
fails, or a send still waiting after the timeout (the connection is then left unfinished: the
client sees a cut answer, never a short one that looks whole).
"""

import logging
import math
from collections.abc import Generator
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.web.errors import SaysoError

log = logging.getLogger(__name__)
Chunks = Generator[str, None, None] | Generator[bytes, None, None]


class Unavailable(SaysoError):
    """503: the server will not do this now; `Retry-After` says when to try again."""

    status = 503
    title = "Service unavailable"


class Streams:
    """The streams under way in one worker (one app: each worker process builds its own), at
    most LIMIT. Used on the event loop only."""

    def __init__(self, limit: int, retry_after: float) -> None:
        self.limit = limit
        self.retry_after = retry_after
        self.running = 0

    def take(self, what: str) -> None:
        """One stream more, or Unavailable when LIMIT are under way."""
        if self.running >= self.limit:
            raise Unavailable(
                f"This server worker is already streaming {self.limit} {what}, its cap "
                "(setting export_max_concurrent). Try again later.",
                headers={"Retry-After": str(max(1, math.ceil(self.retry_after)))},
            )
        self.running += 1

    def release(self) -> None:
        self.running -= 1


def _next(chunks: Chunks) -> str | bytes | None:
    """The next chunk, or None at the end."""
    return next(chunks, None)


async def bounded_stream(
    request: Request,
    chunks: Chunks,
    what: str,
    *,
    media_type: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """CHUNKS (a generator that has not started) as the answer to REQUEST, within the bounds of
    the app's state (`streams`, and the `send_timeout` of its settings).

    Its first chunk is made before the answer begins (in a worker thread), so that what fails
    there (no database connection to be had: 503) is answered as an error, not as a 200 cut
    short; the generator is closed whatever happens after.
    """
    streams: Streams = request.app.state.streams
    streams.take(what)
    try:
        first = await anyio.to_thread.run_sync(_next, chunks)
    except BaseException:
        streams.release()
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(chunks.close)
        raise
    timeout = request.app.state.settings.send_timeout
    return BoundedStream(first, chunks, streams, timeout, media_type=media_type, headers=headers)


class BoundedStream(Response):
    """FIRST and the rest of CHUNKS, streamed; CHUNKS closed and its slot of STREAMS given back
    when the stream ends, whichever way."""

    def __init__(
        self,
        first: str | bytes | None,
        chunks: Chunks,
        streams: Streams,
        send_timeout: float,
        *,
        media_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.first = first
        self.chunks = chunks
        self.streams = streams
        self.send_timeout = send_timeout
        self.status_code = 200
        self.media_type = media_type
        self.background = None
        self.init_headers(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(self._watch, receive, tasks.cancel_scope)
                await self._stream(scope, send)
                tasks.cancel_scope.cancel()
        finally:
            # Shielded: reached by a cancellation too, and the connection must still be closed.
            # (A chunk being made in a thread was waited for: the generator is not running.)
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(self.chunks.close)
            self.streams.release()

    async def _watch(self, receive: Receive, stream: anyio.CancelScope) -> None:
        """Ends the stream when the client goes (ASGI servers before spec 2.4 say so here only;
        uvicorn's sends to a closed connection return as if sent)."""
        while (await receive())["type"] != "http.disconnect":
            pass
        log.info("a stream's client left: stopped")
        stream.cancel()

    async def _stream(self, scope: Scope, send: Send) -> None:
        start = {"type": "http.response.start", "status": 200, "headers": self.raw_headers}
        if not await self._send(scope, send, start):
            return
        chunk = self.first
        while chunk is not None:
            body = chunk.encode(self.charset) if isinstance(chunk, str) else chunk
            message = {"type": "http.response.body", "body": body, "more_body": True}
            if not await self._send(scope, send, message):
                return
            chunk = await anyio.to_thread.run_sync(_next, self.chunks)
        await self._send(scope, send, {"type": "http.response.body", "body": b""})

    async def _send(self, scope: Scope, send: Send, message: dict[str, Any]) -> bool:
        """Whether MESSAGE went: False when the client is gone (a send that fails, as servers of
        ASGI spec 2.4 make it) or has not taken it within the send timeout."""
        try:
            with anyio.move_on_after(self.send_timeout) as waited:
                await send(message)
        except OSError:
            log.info("%s: the client left during the answer: stopped", scope["path"])
            return False
        if waited.cancelled_caught:
            log.info(
                "%s: the client read nothing for %g s (setting send_timeout): stopped",
                scope["path"],
                self.send_timeout,
            )
            return False
        return True

"""HTTP connections held to limits: how large a request's head may be, how long a client may
take to send it, how long it may pause in the middle of a body, and how long it may leave an
answer unread.

uvicorn's HTTP implementation is httptools (what uvicorn[standard] picks): it takes a head of
any size (eight 40 MB headers cost a worker 320 MB) and, like uvicorn's h11 implementation,
waits for ever for a request that never ends; its keep-alive timeout only runs between two
requests. h11 has a head limit of its own (h11_max_incomplete_event_size), but serves ~40%
fewer small requests a second here (docs/http-limits.md). So the limits are kept around
httptools' parser instead: it is fed a head no larger than the limit, and a timer runs while a
request is incomplete, and another while the answer's bytes wait for the client to read.
"""

import asyncio
from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


def limited_http(
    max_head_bytes: int, head_timeout: float, body_timeout: float, send_timeout: float
) -> type[Any]:
    """uvicorn's httptools protocol, holding each connection to these limits:

    MAX_HEAD_BYTES: a request's head (request line and headers) larger than this is answered
    431 and the connection closed;
    HEAD_TIMEOUT: a connection must send a request's whole head within this many seconds of
    opening (or of the request's first byte, on a connection kept alive), else it is closed (a
    head begun is answered 408 first);
    BODY_TIMEOUT: a body that stops coming for this many seconds is abandoned: the connection
    is closed (the app sees the client leave);
    SEND_TIMEOUT: an answer the client stops reading for this many seconds (the server's
    buffer for it full, and not emptying) is abandoned: the connection is dropped at once, its
    unsent bytes with it (the app sees the client leave: an export gives back its database
    connection, app/web/streaming.py).
    """

    class LimitedHttpTools(HttpToolsProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.in_head = True  # waiting for (the rest of) a request's head
            self.head_bytes = 0  # of the head being read
            self.body_came = 0.0  # when a piece of the body being read last came
            self.limit_timer: asyncio.TimerHandle | None = None
            self.send_timer: asyncio.TimerHandle | None = None

        # The connection and its bytes.

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm(head_timeout, self._head_timed_out)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            self._disarm_send()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            while data and not self.transport.is_closing():
                if self.in_head:
                    room = max_head_bytes - self.head_bytes
                    if room <= 0:
                        self._refuse(431, "Request header fields too large", self._too_large())
                        return
                    # The parser is never given more of a head than the limit allows.
                    piece, data = data[:room], data[room:]
                    self.head_bytes += len(piece)
                else:
                    piece, data = data, b""
                super().data_received(piece)
            if self.transport.is_closing():
                return
            # What is still to come is timed (a request that came whole needs no timer).
            if not self.in_head:
                self.body_came = self.loop.time()
                if self.limit_timer is None:
                    self._arm(body_timeout, self._body_timed_out)
            elif self.head_bytes and self.limit_timer is None:
                # A head begun on a connection kept alive (a new connection's head is timed
                # from its opening).
                self._arm(head_timeout, self._head_timed_out)

        # The parser's news of the request.

        def on_headers_complete(self) -> None:
            self.in_head = False
            self._disarm()
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._disarm()  # the app's turn, then the keep-alive timeout's
            self.in_head, self.head_bytes = True, 0
            super().on_message_complete()

        # The client reading the answer, or not: the transport's buffer went over its high
        # water mark (and sends wait), or back under its low one.

        def pause_writing(self) -> None:
            super().pause_writing()
            if self.send_timer is None:
                self.send_timer = self.loop.call_later(send_timeout, self._send_timed_out)

        def resume_writing(self) -> None:
            super().resume_writing()
            self._disarm_send()

        def _disarm_send(self) -> None:
            if self.send_timer is not None:
                self.send_timer.cancel()
                self.send_timer = None

        def _send_timed_out(self) -> None:
            self.send_timer = None
            # Not close(): it would wait to send the buffer to a client that does not read.
            self.transport.abort()

        # Timers.

        def _arm(self, seconds: float, then: Any) -> None:
            self._disarm()
            self.limit_timer = self.loop.call_later(seconds, then)

        def _disarm(self) -> None:
            if self.limit_timer is not None:
                self.limit_timer.cancel()
                self.limit_timer = None

        def _head_timed_out(self) -> None:
            self.limit_timer = None
            if self.flow.read_paused:  # the server is behind, not the client
                self._arm(head_timeout, self._head_timed_out)
            elif self.head_bytes:
                detail = f"The request's head did not arrive within {head_timeout:g} s."
                self._refuse(408, "Request timeout", detail)
            else:  # an idle connection: nothing to answer
                self.transport.close()

        def _body_timed_out(self) -> None:
            self.limit_timer = None
            silent = self.loop.time() - self.body_came
            if self.flow.read_paused:  # the app has not read what came: not the client's doing
                self._arm(body_timeout, self._body_timed_out)
            elif silent < body_timeout:
                self._arm(body_timeout - silent, self._body_timed_out)
            else:
                self.transport.close()

        # Refusals, before there is a request for the app.

        def _too_large(self) -> str:
            return f"The request's head (its line and headers) is over {max_head_bytes} bytes."

        def _refuse(self, status: int, title: str, detail: str) -> None:
            self._disarm()
            if self.cycle is None or self.cycle.response_complete:
                body = orjson.dumps(
                    {"type": "about:blank", "title": title, "status": status, "detail": detail}
                )
                self.transport.write(
                    f"HTTP/1.1 {status} {title}\r\n".encode()
                    + b"content-type: application/problem+json\r\n"
                    + f"content-length: {len(body)}\r\n".encode()
                    + b"connection: close\r\n\r\n"
                    + body
                )
            self.transport.close()

    return LimitedHttpTools

"""HTTP for front ends and caches: an ETag on every GET answer, 304 when the client has it
already, gzip for large answers (whole or streamed).

One pure ASGI middleware does the three, because they meet on the same bytes: the ETag names the
answer's identity bytes, its gzipped form gets a tag of its own (a strong ETag names one exact
representation), and If-None-Match matches either.
"""

import hashlib
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMPRESSIBLE = ("application/json", "application/problem+json", "application/x-ndjson", "text/")
GZIP_SUFFIX = "-gzip"


def body_etag(body: bytes) -> str:
    """A strong ETag for BODY: 128 bits of BLAKE2b, quoted."""
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def object_etag(data: Mapping[str, Any], body: bytes) -> str:
    """The ETag of an editable object: `"<version>.<hash>"`. The version names the object's own
    state (bumped by every edit; If-Match compares it), the hash the whole representation
    (which also moves when, say, a new statement changes a claim's counts)."""
    return f'"{data["version"]}.{body_etag(body).strip(chr(34))}"'


def object_response(
    data: Mapping[str, Any], status: int = 200, location: str | None = None
) -> Response:
    """An editable object as JSON, with its ETag (and Location, for a new one)."""
    body = orjson.dumps(data)
    headers = {"ETag": object_etag(data, body)}
    if location:
        headers["Location"] = location
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def etag_matches(header: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names ETAG (weak comparison, either encoding)."""
    if header is None:
        return False
    wanted = {etag, etag[:-1] + GZIP_SUFFIX + '"'}
    return any(
        tag == "*" or tag.removeprefix("W/") in wanted
        for tag in (t.strip() for t in header.split(","))
    )


def _gzip_etag(etag: str) -> str:
    return etag[:-1] + GZIP_SUFFIX + '"' if etag.endswith('"') else etag


class HTTPCaching:
    """ETag, conditional GET and gzip around an ASGI app. Every GET answer says it varies with
    `Authorization`: a key may show drafts, the history, or reads that need a key, so a cache
    must never hand an answer made for one key to a reader with another, or with none."""

    def __init__(self, app: ASGIApp, minimum_size: int = 1024, level: int = 5) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.level = level

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        answer = _Answer(
            send,
            if_none_match=request_headers.get("if-none-match"),
            gzip_ok="gzip" in request_headers.get("accept-encoding", ""),
            minimum_size=self.minimum_size,
            level=self.level,
        )
        await self.app(scope, receive, answer.send)


class _Answer:
    """One response on its way out: held until its first body part says whether it is whole."""

    def __init__(
        self, send: Send, *, if_none_match: str | None, gzip_ok: bool, minimum_size: int, level: int
    ) -> None:
        self._send = send
        self.if_none_match = if_none_match
        self.gzip_ok = gzip_ok
        self.minimum_size = minimum_size
        self.level = level
        self.start: Message | None = None
        self.compressor: zlib._Compress | None = None
        self.streaming = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self._send(message)
            return
        if self.streaming:
            await self._stream(message)
            return
        if message.get("more_body", False):
            self.streaming = True
            await self._begin_stream()
            await self._stream(message)
            return
        await self._whole(message.get("body", b""))

    def _compressible(self, headers: MutableHeaders) -> bool:
        kind = headers.get("content-type", "")
        return "content-encoding" not in headers and kind.startswith(COMPRESSIBLE)

    async def _whole(self, body: bytes) -> None:
        assert self.start is not None
        headers = MutableHeaders(raw=self.start["headers"])
        status = self.start["status"]
        compressible = self._compressible(headers)
        if compressible:
            headers.add_vary_header("Accept-Encoding")
        headers.add_vary_header("Authorization")
        if status == 200:
            etag = headers.get("etag") or body_etag(body)
            compress = compressible and self.gzip_ok and len(body) >= self.minimum_size
            headers["etag"] = _gzip_etag(etag) if compress else etag
            if etag_matches(self.if_none_match, etag):
                await self._not_modified(headers)
                return
            if compress:
                body = gzip(body, self.level)
                headers["content-encoding"] = "gzip"
                headers["content-length"] = str(len(body))
        await self._send(self.start)
        await self._send({"type": "http.response.body", "body": body})

    async def _not_modified(self, headers: MutableHeaders) -> None:
        assert self.start is not None
        kept = _keep(headers.raw, (b"etag", b"cache-control", b"vary", b"content-location"))
        await self._send({"type": "http.response.start", "status": 304, "headers": kept})
        await self._send({"type": "http.response.body", "body": b""})

    async def _begin_stream(self) -> None:
        # A streamed answer (an export) is not held to be hashed: it has no ETag, only gzip.
        assert self.start is not None
        headers = MutableHeaders(raw=self.start["headers"])
        headers.add_vary_header("Authorization")
        if self._compressible(headers):
            headers.add_vary_header("Accept-Encoding")
            if self.gzip_ok and self.start["status"] == 200:
                headers["content-encoding"] = "gzip"
                del headers["content-length"]
                self.compressor = zlib.compressobj(self.level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        await self._send(self.start)

    async def _stream(self, message: Message) -> None:
        if self.compressor is None:
            await self._send(message)
            return
        body = self.compressor.compress(message.get("body", b""))
        more = message.get("more_body", False)
        if not more:
            body += self.compressor.flush()
        elif body:
            # Flush each part so that a reader sees rows as they come, not when zlib's buffer fills.
            body += self.compressor.flush(zlib.Z_SYNC_FLUSH)
        else:
            body = self.compressor.flush(zlib.Z_SYNC_FLUSH)
        await self._send({"type": "http.response.body", "body": body, "more_body": more})


def gzip(body: bytes, level: int) -> bytes:
    """BODY as a gzip member."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(body) + compressor.flush()


def _keep(
    raw: Iterable[tuple[bytes, bytes]], names: tuple[bytes, ...]
) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in raw if k.lower() in names]

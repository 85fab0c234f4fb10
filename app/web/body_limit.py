"""Request bodies at the door: the largest accepted (413, before it is read when its
Content-Length says so, else as it comes), and for JSON the deepest nesting (422)."""

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.errors import InvalidParameter, SaysoError, TooLarge, problem_response
from app.web.nesting import MAX_DEPTH, line_and_column, too_deep


class BodyLimit:
    """ASGI middleware: 413 for a body over LIMIT bytes, by its Content-Length or as it comes;
    422 for a JSON body nested more than DEPTH levels.

    A refusal found while the app reads the body is raised from the app's `receive`: whatever
    the app makes of that (FastAPI answers 400 to any failure to read a body it parses), the
    client gets the refusal itself.
    """

    def __init__(self, app: ASGIApp, limit: int, depth: int = MAX_DEPTH) -> None:
        self.app = app
        self.limit = limit
        self.depth = depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        too_large = TooLarge(f"The request body is over {self.limit} bytes.")
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await problem_response(too_large, scope["path"])(scope, receive, send)
            return
        json_body = _parsed_as_json(headers.get("content-type"))
        received = 0
        pieces: list[bytes] = []
        refused: SaysoError | None = None
        answered = False

        async def checked() -> Message:
            nonlocal received, refused
            if refused is not None:
                raise refused
            message = await receive()
            if message["type"] != "http.request":
                return message
            body = message.get("body", b"")
            received += len(body)
            if received > self.limit:
                refused = too_large
            elif json_body:
                pieces.append(body)
                if not message.get("more_body", False):
                    refused = self._too_deep(b"".join(pieces))
                    pieces.clear()
            if refused is not None:
                raise refused
            return message

        async def sent(message: Message) -> None:
            nonlocal answered
            if refused is not None:
                return  # the app's answer to a body it could not read: the refusal is sent
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, checked, sent)
        except Exception:
            if refused is None or answered:
                raise
        if refused is not None and not answered:
            await problem_response(refused, scope["path"])(scope, receive, send)

    def _too_deep(self, raw: bytes) -> InvalidParameter | None:
        at = too_deep(raw, self.depth)
        if at is None:
            return None
        line, column = line_and_column(raw, at)
        message = f"nested deeper than {self.depth} levels (line {line}, column {column})"
        return InvalidParameter(
            f"The request body is {message}: no request nests that deep.",
            errors=[{"location": "body", "field": "", "message": message}],
        )


def _parsed_as_json(content_type: str | None) -> bool:
    """Whether a body of CONTENT_TYPE is read as JSON: application/json or application/*+json
    (as FastAPI reads them), or no type (POST /ingest reads its body as JSON then)."""
    if content_type is None:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )

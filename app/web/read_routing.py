"""Which database answers a request, when reads are spread over replicas
(SAYSO_READ_DATABASE_URLS; app/db/replicas.py, docs/scaling.md).

- A `GET` (a `HEAD` is one here: app/web/methods.py) reads on a replica in use, in turn; one
  that sends `X-Sayso-LSN` (a write's answer's) on a replica that has replayed that position,
  waited for up to `replica_wait` seconds, else on the primary.
- `/ready` (its schema check), the review desk (its session table, and an editor's pages after
  the editor's own writes) and every other method read on the primary.
- A write's answer carries `X-Sayso-LSN`: where the primary's WAL was once it had committed;
  so does a `412` (a version older than the primary's named in `If-Match`): where the primary
  is, so that a read with it finds the version to edit.

On only when replicas are set: a server without them runs none of this.
"""

import anyio
from sqlalchemy import Engine
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db.replicas import ReplicatedReads, reading_on
from app.db.wal import format_lsn, parse_lsn, primary_position, reporting_commits
from app.web.errors import InvalidParameter, problem_response

LSN_HEADER = "X-Sayso-LSN"
# Paths whose reads are the primary's whatever the method.
ON_PRIMARY = ("/ready", "/desk")


class ReadRouting:
    """The ASGI middleware: APP is the rest of the stack, READS the replicated read database,
    ENGINE the primary's write engine."""

    def __init__(self, app: ASGIApp, reads: ReplicatedReads, engine: Engine) -> None:
        self.app = app
        self.reads = reads
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "GET" and not scope["path"].startswith(ON_PRIMARY):
            given = Headers(scope=scope).get(LSN_HEADER)
            try:
                written = None if given is None else parse_lsn(given)
            except ValueError as exc:
                error = {"location": "header", "field": LSN_HEADER, "message": str(exc)}
                refused = InvalidParameter(f"{LSN_HEADER}: {exc}.", errors=[error])
                await problem_response(refused, scope["path"])(scope, receive, send)
                return
            with reading_on(await self.reads.choose(written)):
                await self.app(scope, receive, send)
            return

        with reporting_commits() as commits:

            async def send_position(message: Message) -> None:
                if message["type"] == "http.response.start":
                    if not commits and message["status"] == 412:
                        # Refused for an older version than the primary's: where the primary
                        # is, so that the client's next read sees the version it holds.
                        found = await anyio.to_thread.run_sync(primary_position, self.engine)
                        commits.extend([found] if found is not None else [])
                    if commits:
                        header = (LSN_HEADER.lower().encode(), format_lsn(max(commits)).encode())
                        message = {**message, "headers": [*message.get("headers", ()), header]}
                await send(message)

            await self.app(scope, receive, send_position)

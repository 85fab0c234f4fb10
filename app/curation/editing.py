"""How a write request runs: one transaction on the write engine, in a worker thread; the
version an If-Match names; and the answer, the object as a GET would show it.

If-Match compares the version part of an editable object's ETag (app.web.caching.object_etag):
an edit is refused only when the object itself changed since the client read it.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.db.engine import session_scope
from app.web.caching import object_response
from app.web.errors import Conflict, InvalidParameter, PreconditionFailed, PreconditionRequired

T = TypeVar("T")
_TAG = re.compile(r'^"(\d+)\.[0-9a-f]+(?:-gzip)?"$')


def expected_version(request: Request) -> int:
    """The version the request's If-Match names: 428 without one, 412 for one not of ours."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        raise PreconditionRequired(
            "Updates and deletions need 'If-Match' with the object's ETag (from a GET)."
        )
    found = _TAG.match(header.strip())
    if found is None:
        raise PreconditionFailed(f"If-Match {header} is not an ETag of this object.")
    return int(found.group(1))


def check_version(what: str, current: int, expected: int) -> None:
    """PreconditionFailed if the object moved on from the version the client read."""
    if current != expected:
        raise PreconditionFailed(
            f"{what} changed since it was read (version {expected}, now {current}): fetch it "
            "again, and apply the change to what is there now."
        )


async def in_transaction(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """FN(session, *ARGS) in one transaction of the write engine, run in a worker thread: all
    of it is committed, or none of it."""

    def run() -> T:
        try:
            with session_scope(request.app.state.engine) as session:
                return fn(session, *args, **kwargs)
        except StaleDataError as exc:
            # Another request changed the row between our read and our write.
            raise PreconditionFailed(
                "It changed while this request was being made: fetch it again."
            ) from exc
        except IntegrityError as exc:
            raise Conflict(f"The database refused the change: {exc.orig}") from exc
        except DataError as exc:
            # A value the checks above should have refused (too long for its column, ...).
            message = f"a value does not fit: {exc.orig}"
            raise InvalidParameter(
                f"body: {message}", errors=[{"location": "body", "field": "", "message": message}]
            ) from exc

    return await run_in_threadpool(run)


def answer(
    request: Request,
    read: Callable[..., Mapping[str, Any]],
    *args: Any,
    status: int = 200,
    location: str | None = None,
    **kwargs: Any,
) -> Response:
    """The object after a write, as its GET shows it (with its new ETag); KWARGS go to READ
    (a write's answer shows drafts: the writer has a key)."""
    data = read(request.app.state.reads, *args, **kwargs)
    return object_response(data, status, location)

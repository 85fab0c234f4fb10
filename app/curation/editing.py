"""How a write request runs: one transaction on the write engine, in a worker thread; the
version an If-Match names; and the answer, the object as a GET would show it.

If-Match compares the version part of an editable object's ETag (app.web.caching.object_etag):
an edit is refused only when the object itself changed since the client read it.
"""

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.curation.history import LOGGED
from app.db.engine import session_scope
from app.db.wal import note_commit
from app.web.caching import object_response
from app.web.errors import Conflict, InvalidParameter, PreconditionFailed, PreconditionRequired

T = TypeVar("T")
log = logging.getLogger("sayso.writes")
# The changes a write's log line names in its message (all are in its JSON `changes`).
NAMED = 5
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
                done = fn(session, *args, **kwargs)
            # Where the primary's WAL is, for the answer, when reads go to replicas.
            note_commit(request.app.state.engine)
            # Committed: who changed what (app/curation/history.py record).
            _log_changes(session.info.get(LOGGED, ()))
            return done
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


def _log_changes(changes: Sequence[tuple[str, str, str, str, int, str | None]]) -> None:
    """One line for a committed write: the key by its name and role (never the key itself),
    and each change: action, kind of object, its slug or id."""
    if not changes or not log.isEnabledFor(logging.INFO):
        return
    name, role = changes[0][0], changes[0][1]
    named = [f"{action} {kind} {slug or f'#{id_}'}" for _, _, action, kind, id_, slug in changes]
    what = ", ".join(named[:NAMED])
    if len(named) > NAMED:
        what += f" and {len(named) - NAMED} more"
    fields = [
        {"action": action, "type": kind, "id": id_, "slug": slug}
        for _, _, action, kind, id_, slug in changes
    ]
    log.info(
        "key %r (%s): %s",
        name,
        role,
        what,
        extra={"key_name": name, "key_role": role, "changes": fields},
    )


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

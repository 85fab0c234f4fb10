"""Errors as exception classes carrying their HTTP status, rendered by one handler (RFC 9457)."""

import logging
import sqlite3
from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from app.db.engine import OutOfConnections, out_of_connections
from app.db.reads import StatementTimeout
from app.web.logs import current_request_id

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    location: str = Field(description="Where: path, query, header, or body.", examples=["query"])
    field: str = Field(examples=["stance"])
    message: str


class ProblemDetail(BaseModel):
    """The one error shape (RFC 9457 problem details)."""

    type: str = Field(examples=["about:blank"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No claim with slug 'no-such-claim'."])
    instance: str = Field(description="The path that was asked for.", examples=["/claims/x"])
    errors: list[FieldError] | None = Field(
        None, description="For an invalid request: each parameter that is wrong."
    )
    request_id: str | None = Field(
        None,
        description="For a server error (500): the request's id, as in its `X-Request-ID` "
        "header and in each line the server logged about it.",
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error statuses, all in the problem+json shape."""
    described = {
        308: "A merged claim's old slug: `Location` is the claim it went into.",
        401: "No API key where one is needed, or a key that is not valid (unknown, revoked, "
        "or not sent as a bearer token).",
        403: "The key's role may not do this.",
        404: "No such resource (the detail names what was not found).",
        405: "Method not allowed.",
        409: "Conflicts with what is stored (the detail says what).",
        410: "Deleted: it can be restored (see its history).",
        412: "If-Match names an older version: someone changed it since; fetch it again.",
        413: "The request body is too large.",
        422: "A parameter is invalid (`errors` lists each one).",
        428: "Updates and deletions need If-Match with the object's ETag.",
        503: "The server is at a limit, the database is busy, or a query ran past the statement "
        "time limit (the detail says which): try again after `Retry-After`.",
    }
    ref = {"$ref": "#/components/schemas/ProblemDetail"}
    return {
        status: {"description": described[status], "content": {PROBLEM_MEDIA_TYPE: {"schema": ref}}}
        for status in statuses
    }


log = logging.getLogger(__name__)


class SaysoError(Exception):
    """An error the API reports to the client."""

    status = 400
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers


class NotFound(SaysoError):
    status = 404
    title = "Not found"

    def __init__(self, detail: str, *, kind: str | None = None, slug: str | None = None) -> None:
        super().__init__(detail)
        # What was asked for by its slug: it may have been deleted, or merged into another.
        self.kind = kind
        self.slug = slug

    @classmethod
    def slug_of(cls, kind: str, slug: str) -> "NotFound":
        return cls(f"No {kind} with slug '{slug}'.", kind=kind, slug=slug)


class InvalidParameter(SaysoError):
    """A 422: a parameter or a body that cannot be taken as it is (`errors` says where). Every
    422 has this title, whatever found it."""

    status = 422
    title = "Invalid request"


class Unauthorized(SaysoError):
    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="sayso"'})


class Forbidden(SaysoError):
    status = 403
    title = "Forbidden"


class Conflict(SaysoError):
    status = 409
    title = "Conflict"


class Gone(SaysoError):
    status = 410
    title = "Gone"


class PreconditionFailed(SaysoError):
    status = 412
    title = "Precondition failed"


class TooLarge(SaysoError):
    status = 413
    title = "Request body too large"


class PreconditionRequired(SaysoError):
    status = 428
    title = "Precondition required"


class Moved(SaysoError):
    """Not an error: a merged claim's old address, answered with a permanent redirect."""

    status = 308
    title = "Moved"

    def __init__(self, detail: str, location: str) -> None:
        super().__init__(detail, headers={"Location": location})


def problem_response(exc: SaysoError, instance: str) -> Response:
    """EXC in the one error shape."""
    return problem(exc.status, exc.title, exc.detail, instance, exc.errors, exc.headers)


def problem(
    status: int,
    title: str,
    detail: str,
    instance: str,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The one error shape: application/problem+json."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    return Response(
        orjson.dumps(body), status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            # FastAPI puts the offset of the JSON error where a field's name goes.
            errors.append(_json_error(err, exc.body))
            continue
        loc = [str(part) for part in err.get("loc", ())]
        errors.append(
            {
                "location": loc[0] if loc else "request",
                "field": ".".join(loc[1:]),
                "message": err.get("msg", "invalid"),
            }
        )
    return errors


def _json_error(err: Mapping[str, Any], body: Any) -> dict[str, Any]:
    """A body that is not JSON: what its parser said, and where (line and column)."""
    loc = err.get("loc", ())
    offset = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
    reason = str(err.get("ctx", {}).get("error", "not valid JSON"))
    where = ""
    if offset is not None and isinstance(body, str):
        line = body.count("\n", 0, offset) + 1
        column = offset - (body.rfind("\n", 0, offset) + 1) + 1
        where = f" (line {line}, column {column})"
    return {"location": "body", "field": "", "message": f"not valid JSON: {reason}{where}"}


async def _sayso_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SaysoError)
    return problem_response(exc, request.url.path)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    detail = "; ".join(
        f"{e['location']} '{e['field']}': {e['message']}"
        if e["field"]
        else f"{e['location']}: {e['message']}"
        for e in errors
    )
    return problem(422, InvalidParameter.title, detail, request.url.path, errors)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No endpoint at {request.url.path}; see /docs for the API."
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
    return problem(exc.status_code, title, detail, request.url.path, headers=exc.headers)


def server_error(instance: str, exc: BaseException) -> Response:
    """EXC, which nothing else took, logged once with its traceback and answered 500, with the
    request's id (app/web/logs.py) in the answer as in the log."""
    log.error("unhandled error on %s", instance, exc_info=exc)
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": "Internal server error",
        "status": 500,
        "detail": "The server failed; it is logged.",
        "instance": instance,
    }
    rid = current_request_id()
    if rid is not None:
        body["request_id"] = rid
    return Response(orjson.dumps(body), status_code=500, media_type=PROBLEM_MEDIA_TYPE)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    return server_error(request.url.path, exc)


# Seconds a client is told to wait before it tries again when no database connection was free.
RETRY_CONNECTIONS_S = 5
# PostgreSQL's codes for a write that waited its bound for a lock (lock_timeout), or was chosen
# to end a deadlock: either is answered 503, to be tried again.
PG_BUSY = {"55P03": "lock_not_available", "40P01": "deadlock_detected"}
# Seconds a client told the database is busy is asked to wait before it tries again.
RETRY_AFTER_BUSY = 10


def _is_busy(exc: Exception) -> bool:
    """Whether EXC is the database being busy: a lock another transaction held was waited for
    as long as the request may wait (SQLite's busy timeout, PostgreSQL's lock_timeout)."""
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(cause, sqlite3.OperationalError):
        return cause.sqlite_errorname == "SQLITE_BUSY"
    return getattr(cause, "sqlstate", None) in PG_BUSY


async def _database_error(request: Request, exc: Exception) -> Response:
    """The database still locked after the request's wait (a load writing it, or a long write:
    app/db/engine.py make_engine, load_session) is a 503 to retry; any other database error is
    unexpected. So is a database that gave no connection (out_of_connections)."""
    if out_of_connections(exc):
        log.warning("%s: no database connection to be had: %s", request.url.path, exc)
        detail = (
            "The database's connections are all in use (settings db_pool_size and "
            "export_max_concurrent, and the server's max_connections). Try again shortly."
        )
        headers = {"Retry-After": str(RETRY_CONNECTIONS_S)}
        return problem(503, "Service unavailable", detail, request.url.path, headers=headers)
    if _is_busy(exc):
        detail = (
            "The database is busy: a load is writing it, or another write holds what this "
            "request needs. Try again when it has ended."
        )
        headers = {"Retry-After": str(RETRY_AFTER_BUSY)}
        return problem(503, "Busy", detail, request.url.path, headers=headers)
    return await _unexpected_error(request, exc)


# Seconds a client whose read was cut at the statement time limit is asked to wait.
RETRY_AFTER_SLOW = 10


async def _statement_timeout(request: Request, exc: Exception) -> Response:
    """A read query cut at the statement time limit (app/db/reads.py): 503, not a worker held."""
    assert isinstance(exc, StatementTimeout)
    log.warning("%s: %s", request.url.path, exc)
    detail = (
        f"The database took longer than the statement time limit ({exc.limit:g} s, setting "
        "statement_timeout) on this request, and it was stopped. Try again later, or ask for "
        "less (a narrower filter, a smaller limit)."
    )
    headers = {"Retry-After": str(RETRY_AFTER_SLOW)}
    return problem(503, "Service unavailable", detail, request.url.path, headers=headers)


async def _client_gone(request: Request, exc: Exception) -> Response:
    """The client left before its body had come (or was let go: a body that stopped coming,
    docs/http-limits.md): nobody to answer, and no server error to log."""
    log.info("%s: the client left before its request's body had come", request.url.path)
    return Response(status_code=400)


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through the one problem+json shape."""
    app.add_exception_handler(SaysoError, _sayso_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ClientDisconnect, _client_gone)
    app.add_exception_handler(sqlite3.OperationalError, _database_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(OutOfConnections, _database_error)
    app.add_exception_handler(PoolTimeout, _database_error)
    app.add_exception_handler(StatementTimeout, _statement_timeout)
    app.add_exception_handler(Exception, _unexpected_error)

"""Errors as exception classes carrying their HTTP status, rendered by one handler (RFC 9457)."""

import logging
from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

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


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error statuses, all in the problem+json shape."""
    described = {
        404: "No such resource (the detail names what was not found).",
        405: "Method not allowed.",
        422: "A parameter is invalid (`errors` lists each one).",
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

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class NotFound(SaysoError):
    status = 404
    title = "Not found"


class InvalidParameter(SaysoError):
    status = 422
    title = "Invalid parameter"


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
        loc = [str(part) for part in err.get("loc", ())]
        errors.append(
            {
                "location": loc[0] if loc else "request",
                "field": ".".join(loc[1:]),
                "message": err.get("msg", "invalid"),
            }
        )
    return errors


async def _sayso_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SaysoError)
    return problem(exc.status, exc.title, exc.detail, request.url.path, exc.errors)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    detail = "; ".join(f"{e['location']} '{e['field']}': {e['message']}" for e in errors)
    return problem(422, "Invalid request", detail, request.url.path, errors)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No endpoint at {request.url.path}; see /docs for the API."
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
    return problem(exc.status_code, title, detail, request.url.path, headers=exc.headers)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return problem(
        500, "Internal server error", "The server failed; it is logged.", request.url.path
    )


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through the one problem+json shape."""
    app.add_exception_handler(SaysoError, _sayso_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)

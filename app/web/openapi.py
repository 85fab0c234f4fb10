"""The OpenAPI document: FastAPI's, with every error response in the one problem+json shape,
the statuses each kind of path can answer, If-Match declared on every edit, ETag, If-None-Match
and 304 on every read, X-Sayso-LSN on every read and every write's answer, an example body for
every write, and operation ids a person (or a
client generator) can use."""

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.web.errors import ProblemDetail, problem_responses
from app.web.params import SLUG_PATTERN

# Checked by app.curation.editing.expected_version; declared here for every edit at once.
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "schema": {"type": "string", "pattern": r'^"[0-9]+\.[0-9a-f]+(-gzip)?"$'},
    "description": "The object's ETag from a GET: the edit is made only if the object is still "
    "that version (else 412). `*` is refused (428): an edit names the version it was made on.",
}

# app/web/caching.py tags every whole 200 answer to a GET, and answers 304 to its tag.
ETAG = {
    "description": 'A hash of the answer (`"<version>.<hash>"` for an editable object); '
    "its gzipped form has a tag of its own, ending in `-gzip`.",
    "schema": {"type": "string"},
}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "ETags of answers the client holds: if the answer is still one of them, it "
    "is a 304 with no body.",
}
NOT_MODIFIED = {
    "description": "Not modified: the answer is still the one `If-None-Match` names (no body).",
    "headers": {"ETag": ETAG},
}
# app/web/read_routing.py, on a server with read replicas (SAYSO_READ_DATABASE_URLS): a write's
# answer says where the primary's WAL was once it committed, and a read that sends it back sees
# that write. Without replicas the header is neither sent nor read.
LSN_PATTERN = r"^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$"
LSN_PARAMETER = {
    "name": "X-Sayso-LSN",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "pattern": LSN_PATTERN},
    "description": "A write's `X-Sayso-LSN`, sent back to read that write: on a server with "
    "read replicas, the answer comes from a replica that has replayed it (or from the primary). "
    "Ignored by a server without replicas.",
}
LSN_ANSWER = {
    "description": "On a server with read replicas: the position in the primary's WAL once "
    "this write committed (on a 412, where the primary is). Send it back with your reads to "
    "read this write.",
    "schema": {"type": "string", "pattern": LSN_PATTERN},
}
# Streamed answers are not held to be hashed: they have no ETag.
STREAMED = ("text/csv", "application/x-ndjson")


def operation_id(route: APIRoute) -> str:
    """An operation's id: its endpoint's name in camelCase (`list_claim_statements` is
    `listClaimStatements`). The endpoints are named verb first: list, get, create, update,
    delete, restore, ..."""
    first, *rest = route.name.split("_")
    return first + "".join(word.capitalize() for word in rest)


def openapi_document(app: FastAPI, formats: Mapping[str, type[BaseModel]]) -> dict[str, Any]:
    """The OpenAPI document, with every error response in the one problem+json shape."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        # Models the routes name by reference: the error shape, and the FORMATS (by the prefix
        # their parts' names take).
        models: dict[str, type[BaseModel]] = {"": ProblemDetail, **formats}
        for prefix, model in models.items():
            model_schema = model.model_json_schema(
                ref_template="#/components/schemas/" + prefix + "{model}"
            )
            for name, part in model_schema.pop("$defs", {}).items():
                components[prefix + name] = part
            components[model.__name__] = model_schema
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                parameters = operation.get("parameters", [])
                statuses = [422] if parameters or "requestBody" in operation else []
                # A slug that names nothing, in the path or in a filter, is a 404.
                if "{" in path or any(_names_a_slug(p["schema"]) for p in parameters):
                    statuses.append(404)
                    # ... and one that names a deleted object (or what went with it), a 410.
                    if method == "get":
                        statuses.append(410)
                # A write waits for a load's lock a bounded time (docs/durability.md).
                if method != "get" and "503" not in operation["responses"]:
                    statuses.append(503)
                if method in ("patch", "delete") or path.endswith("/merge"):
                    parameters.append(IF_MATCH)
                    operation["parameters"] = parameters
                operation["responses"].pop("422", None)
                operation["responses"].update(
                    {str(k): v for k, v in problem_responses(*statuses).items()}
                )
                if method == "get":
                    _conditional(operation)
                    operation.setdefault("parameters", []).append(LSN_PARAMETER)
                else:
                    _tagged_objects(operation, components)
                    _positioned(operation)
                _body_example(operation, components)
        app.openapi_schema = schema
    return app.openapi_schema


def _conditional(operation: dict[str, Any]) -> None:
    """A read's ETag, If-None-Match and 304 (for a whole answer, not a stream)."""
    ok = operation["responses"].get("200", {})
    if any(kind in ok.get("content", {}) for kind in STREAMED):
        return
    ok["headers"] = {"ETag": {**ETAG, "required": True}}
    operation.setdefault("parameters", []).append(IF_NONE_MATCH)
    operation["responses"]["304"] = NOT_MODIFIED


def _tagged_objects(operation: dict[str, Any], components: dict[str, Any]) -> None:
    """A write that answers an editable object (one with a `version`) answers its ETag too."""
    for status in ("200", "201"):
        answer = operation["responses"].get(status, {})
        schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
        if "version" in _resolved(schema, components).get("properties", {}):
            answer["headers"] = {"ETag": {**ETAG, "required": True}}


def _positioned(operation: dict[str, Any]) -> None:
    """A write's answers that say where the primary's WAL is: its successes and its 412."""
    for status, answer in operation["responses"].items():
        if status.startswith("2") or status == "412":
            answer["headers"] = {**answer.get("headers", {}), "X-Sayso-LSN": LSN_ANSWER}


def _body_example(operation: dict[str, Any], components: dict[str, Any]) -> None:
    """A write's body example, shown by /docs and taken by a client generator: the first of
    the examples its model declares, unless the route gives one of its own."""
    for media in operation.get("requestBody", {}).get("content", {}).values():
        if "example" not in media and "examples" not in media:
            examples = _resolved(media.get("schema", {}), components).get("examples")
            if examples:
                media["example"] = examples[0]


def _resolved(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    found: dict[str, Any] = components.get(ref.rsplit("/", 1)[-1], {}) if ref else schema
    return found


def _names_a_slug(schema: dict[str, Any]) -> bool:
    """Whether a parameter of SCHEMA is a slug, or a list of them."""
    schema = schema.get("anyOf", [schema])[0]
    return bool(schema.get("items", schema).get("pattern") == SLUG_PATTERN)

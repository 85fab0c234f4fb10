"""The OpenAPI document: FastAPI's, with every error response in the one problem+json shape,
the statuses each kind of path can answer, and If-Match declared on every edit."""

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from app.web.errors import ProblemDetail, problem_responses
from app.web.params import SLUG_PATTERN

# Checked by app.curation.editing.expected_version; declared here for every edit at once.
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "schema": {"type": "string"},
    "description": "The object's ETag from a GET: the edit is made only if the object is still "
    "that version (else 412).",
}


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
                if "{" in path or any(
                    p["schema"].get("anyOf", [p["schema"]])[0].get("pattern") == SLUG_PATTERN
                    for p in parameters
                ):
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
        app.openapi_schema = schema
    return app.openapi_schema

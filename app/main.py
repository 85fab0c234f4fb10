"""The application: routers, error handlers and the API's description."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from starlette.responses import Response

from app.actors.router import router as actors
from app.appearances.router import router as appearances
from app.claims.router import router as claims
from app.config import Settings, get_settings
from app.contradictions.router import router as contradictions
from app.curation.addresses import not_found
from app.db.engine import make_engine
from app.db.reads import reads_for, release_freed_memory
from app.extract.router import router as extract
from app.ingest.router import router as ingest
from app.ingest.spec import AnnotationFile
from app.search.router import router as search
from app.sources.router import router as sources
from app.statements.router import router as statements
from app.web.auth import ReadsNeedKey
from app.web.body_limit import BodyLimit
from app.web.caching import HTTPCaching
from app.web.direct_reads import DirectReads
from app.web.errors import NotFound, ProblemDetail, install_error_handlers, problem_responses
from app.web.params import SLUG_PATTERN

DESCRIPTION = """
**sayso** is a sourced-statement database: *who said what, where it was reported, and who
contradicts whom*.

Claims, actors, sources and statements are addressed by their slugs. Lists page with a cursor:
pass a page's `next_cursor` as `cursor` (or follow `next`). Every error is
`application/problem+json` (RFC 9457).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API on the database the settings name."""
    settings = settings or get_settings()
    reads = reads_for(settings.database_url)
    # Writes (the editing API) go through SQLAlchemy sessions on an engine of their own.
    engine = make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        reads.open()
        # What start-up built lives as long as the process: keep the cycle collector from
        # rescanning it on every full collection (those scans were the slow requests' p99).
        gc.collect()
        gc.freeze()
        release_freed_memory()
        yield
        reads.close()
        engine.dispose()

    app = FastAPI(title="sayso", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.reads = reads
    app.state.engine = engine
    app.state.settings = settings
    install_error_handlers(app)
    app.add_exception_handler(NotFound, not_found)
    routers = (search, claims, actors, statements, appearances, sources, contradictions)
    # Middlewares, innermost first: reads skip FastAPI's routing (app/web/direct_reads.py).
    app.add_middleware(DirectReads, routers=routers, handlers=app.exception_handlers)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(HTTPCaching)
    if settings.reads_need_key:
        app.add_middleware(ReadsNeedKey, reads=reads)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match"],
            expose_headers=["ETag", "Location"],
            max_age=600,
        )
    for router in (*routers, ingest, extract):
        app.include_router(router)

    @app.get("/health", tags=["meta"], summary="Liveness")
    async def health() -> Response:
        """Always `{"status": "ok"}` while the server runs."""
        return Response(b'{"status":"ok"}', media_type="application/json")

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


# Checked by app.curation.editing.expected_version; declared here for every edit at once.
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "schema": {"type": "string"},
    "description": "The object's ETag from a GET: the edit is made only if the object is still "
    "that version (else 412).",
}


def _openapi(app: FastAPI) -> dict[str, Any]:
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
        # Models the routes name by reference: the error shape, and the annotation format
        # (the body of POST /ingest).
        # The format's parts take a prefix: their names (AppearanceRef, ...) are the API's too.
        for model, prefix in ((ProblemDetail, ""), (AnnotationFile, "Annotation")):
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
                if method in ("patch", "delete") or path.endswith("/merge"):
                    parameters.append(IF_MATCH)
                    operation["parameters"] = parameters
                operation["responses"].pop("422", None)
                operation["responses"].update(
                    {str(k): v for k, v in problem_responses(*statuses).items()}
                )
        app.openapi_schema = schema
    return app.openapi_schema


app = create_app()

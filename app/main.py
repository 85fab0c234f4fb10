"""The application: routers, error handlers and the API's description."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.responses import Response

from app.actors.router import router as actors
from app.claims.router import router as claims
from app.config import Settings, get_settings
from app.contradictions.router import router as contradictions
from app.db import make_engine
from app.errors import install_error_handlers
from app.sources.router import router as sources
from app.statements.router import router as statements

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
    engine = make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(title="sayso", version="0.1.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.engine = engine
    app.state.settings = settings
    install_error_handlers(app)
    for router in (claims, actors, statements, sources, contradictions):
        app.include_router(router)

    @app.get("/health", tags=["meta"], summary="Liveness")
    async def health() -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    return app


app = create_app()

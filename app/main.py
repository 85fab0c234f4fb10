"""The application: routers, error handlers and the API's description."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.actors.router import router as actors
from app.appearances.router import router as appearances
from app.claims.router import positions
from app.claims.router import router as claims
from app.config import Settings, get_settings
from app.contradictions.router import router as contradictions
from app.curation.addresses import not_found
from app.db.engine import make_engine
from app.db.replicas import ReplicatedReads, read_databases
from app.db.schema import migrations
from app.extract.router import router as extract
from app.ingest.router import router as ingest
from app.ingest.seed import seed_sources
from app.ingest.spec import AnnotationFile
from app.pages.site import install as install_pages
from app.search.router import router as search
from app.sources.router import router as sources
from app.statements.router import router as statements
from app.web.access import AccessLog
from app.web.auth import ReadsNeedKey
from app.web.body_limit import BodyLimit
from app.web.caching import HTTPCaching
from app.web.cors import CORS
from app.web.direct_reads import DirectReads
from app.web.errors import NotFound, install_error_handlers
from app.web.health import router as health
from app.web.methods import Methods, PathMethods
from app.web.metrics import add_route as add_metrics_route
from app.web.metrics import install as install_metrics
from app.web.openapi import openapi_document, operation_id
from app.web.read_routing import ReadRouting
from app.web.streaming import Streams

# Seconds a client is told to wait before trying an export again when a worker's are all taken.
EXPORT_RETRY_AFTER_S = 10

DESCRIPTION = """
**sayso** is a sourced-statement database: *who said what, where it was reported, and who
contradicts whom*.

Claims, actors, sources and statements are addressed by their slugs. Lists page with a cursor:
pass a page's `next_cursor` as `cursor` (or follow `next`); some also count (`count=true`).
Every `GET` path answers `HEAD` too, and every answer to a `GET` but a streamed export has an
`ETag` (send it back in `If-None-Match`: a `304` if it has not changed). Every error is
`application/problem+json` (RFC 9457).
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API on the database the settings name."""
    settings = settings or get_settings()
    # On the primary alone, or spread over its replicas (app/db/replicas.py).
    reads = read_databases(
        settings.database_url,
        settings.read_database_urls,
        idle_in_transaction_timeout=settings.db_idle_in_transaction_timeout,
        statement_timeout=settings.statement_timeout,
        max_lag=settings.replica_max_lag,
        check_interval=settings.replica_check_interval,
        wait=settings.replica_wait,
    )
    # Writes (the editing API) go through SQLAlchemy sessions on an engine of their own.
    engine = make_engine(
        settings.database_url,
        lock_wait=settings.write_wait,
        synchronous=settings.sqlite_synchronous,
        pool_size=settings.db_pool_size,
        pool_timeout=settings.db_pool_timeout,
        idle_in_transaction_timeout=settings.db_idle_in_transaction_timeout,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        reads.open()
        yield
        reads.close()
        engine.dispose()

    # /docs and /redoc are pages of app/pages/docs.py: served with their code, no CDN.
    app = FastAPI(
        title="sayso",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=operation_id,
    )
    app.state.reads = reads
    app.state.engine = engine
    app.state.settings = settings
    # Where the migrations end, read once: /ready compares the database's schema with it.
    app.state.migrations = migrations()
    # The seed's sources, read once, when /ready needs them (SAYSO_READY_REQUIRES=seed).
    seed_dir = settings.seed_dir / "annotations"
    app.state.seed_sources = seed_sources(seed_dir) if settings.ready_requires == "seed" else ()
    # The exports streaming in this worker (app/web/streaming.py).
    app.state.streams = Streams(settings.export_max_concurrent, EXPORT_RETRY_AFTER_S)
    install_error_handlers(app)
    app.add_exception_handler(NotFound, not_found)
    # Every route's methods, for OPTIONS and a 405's Allow (filled once the routes are in).
    paths = PathMethods()
    app.add_exception_handler(405, paths.method_not_allowed)
    routers = (search, claims, positions, actors, statements, appearances, sources, contradictions)
    # Middlewares, innermost first: reads skip FastAPI's routing (app/web/direct_reads.py).
    app.add_middleware(DirectReads, routers=routers, handlers=app.exception_handlers)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(HTTPCaching)
    if settings.reads_need_key:
        app.add_middleware(ReadsNeedKey, reads=reads)
    # Writes over a rate (docs/operating.md#rate-limits): refused before a key is looked up.
    if settings.rate_limit_per_key or settings.rate_limit_per_address:
        from app.web.rate_limit import RateLimit  # imported only when on

        per_key, per_address = settings.rate_limit_per_key, settings.rate_limit_per_address
        app.add_middleware(RateLimit, per_key=per_key, per_address=per_address)
    if isinstance(reads, ReplicatedReads):
        # Which database a request reads, outside the key check (its key is looked up there).
        app.add_middleware(ReadRouting, reads=reads, engine=engine)
    # HEAD and OPTIONS (app/web/methods.py), outside all but CORS and the access log: a HEAD
    # is a GET to them.
    app.add_middleware(Methods, paths=paths)
    if settings.cors_origins:
        app.add_middleware(CORS, origins=settings.cors_origins)
    # The outermost: every request's id and access line, the 500 of an error nothing took, and
    # with Prometheus metrics on (docs/operating.md#metrics), each request counted.
    metrics = install_metrics(app, settings.metrics_token) if settings.metrics else None
    app.add_middleware(AccessLog, metrics=metrics)
    for router in (*routers, ingest, extract, health):
        app.include_router(router)
    # The HTML pages for readers (/, /browse/...), the docs, and their static files.
    install_pages(app)
    # The metrics' route after the others (no route is matched against it first).
    if metrics is not None:
        add_metrics_route(app)

    paths.add(
        [*app.routes, *(route for r in (*routers, ingest, extract, health) for route in r.routes)]
    )

    # The annotation format is POST /ingest's body: its parts take a prefix, as their names
    # (AppearanceRef, ...) are the API's too.
    formats = {"Annotation": AnnotationFile}
    app.openapi = lambda: openapi_document(app, formats)  # type: ignore[method-assign]
    return app


app = create_app()

"""Health: `/health` says the server runs (liveness), `/ready` that it can serve (readiness):
its database answers, the database's schema is where this sayso's migrations end, and it holds
the data SAYSO_READY_REQUIRES asks for (`data`: a source; `seed`: the seed's sources). With
read replicas, the primary is asked (app/web/read_routing.py), and the answer lists the replicas
as this worker last found them; a replica skipped does not make the server unready.

Both are open whatever the settings (app/web/auth.py ReadsNeedKey lets them through), and
neither is cached. `/ready` asks the database on the worker's read connection, inline as every
read (app/web/direct_reads.py): one row of Alembic's `alembic_version`.
"""

import logging
from typing import Any, Literal

import orjson
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from app.db.reads import StatementTimeout
from app.db.replicas import ReplicatedReads
from app.db.schema import Migrations, database_revisions, has_sources, missing_sources
from app.web.errors import PROBLEM_MEDIA_TYPE, problem

log = logging.getLogger(__name__)
router = APIRouter(tags=["meta"])
NO_STORE = {"Cache-Control": "no-store"}
# PostgreSQL's code for a table that is not there.
UNDEFINED_TABLE = "42P01"


class ReplicaState(BaseModel):
    name: str = Field(description="Its place in SAYSO_READ_DATABASE_URLS.", examples=["replica 1"])
    in_use: bool = Field(description="Whether this worker sends reads to it.")
    lag_seconds: float | None = Field(
        description="How far behind the primary its last check found it (none: no answer)."
    )
    detail: str | None = Field(None, description="Why it is skipped.")


class Readiness(BaseModel):
    status: Literal["ready"]
    database: str = Field(description="The database's kind.", examples=["postgresql"])
    revision: str = Field(
        description="The schema's revision: the migrations' head.", examples=["f4b8d2a6c9e1"]
    )
    replicas: list[ReplicaState] | None = Field(
        None,
        description="Where reads are spread over replicas (SAYSO_READ_DATABASE_URLS): each, and "
        "whether it is in use. A replica skipped leaves the server ready: the primary reads.",
    )


@router.get("/health", summary="Liveness")
async def get_health() -> Response:
    """Always `{"status": "ok"}` while the server runs: it asks nothing of the database."""
    return Response(b'{"status":"ok"}', media_type="application/json")


READY_RESPONSES: dict[int | str, dict[str, Any]] = {
    503: {
        "description": "Not ready: the database does not answer, its schema is not at the "
        "migrations' head, or it lacks the data the server requires (the detail says which).",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}},
    }
}


@router.get("/ready", summary="Readiness", response_model=Readiness, responses=READY_RESPONSES)
async def get_ready(request: Request) -> Response:
    """`{"status": "ready", ...}` when the database answers, its schema is at the migrations'
    head, and it holds the data the server is set to require (setting `ready_requires`); else
    a 503 problem that says what is wrong."""
    path = request.url.path
    reads = request.app.state.reads
    expected: Migrations = request.app.state.migrations
    try:
        found = database_revisions(reads)
    except StatementTimeout as exc:
        return _not_ready(f"The database did not answer in time: {exc}.", path)
    except Exception as exc:  # whatever it is, the database is not there to serve
        if _no_schema(exc):
            return _not_ready(
                "The database has no schema (no alembic_version table): run `sayso migrate`.",
                path,
            )
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return _not_ready(f"The database does not answer: {type(exc).__name__}: {reason}", path)
    if found != expected.heads:
        at = ", ".join(found) or "none"
        head = ", ".join(expected.heads)
        if set(found) <= expected.known:
            why = f"run `sayso migrate` to bring it to the migrations' head, {head}."
        else:
            why = f"this sayso's migrations end at {head} and do not know it (a newer sayso's?)."
        return _not_ready(f"The database's schema is at revision {at}: {why}", path)
    try:
        lacking = _lacking(request)
    except StatementTimeout as exc:
        return _not_ready(f"The database did not answer in time: {exc}.", path)
    if lacking is not None:
        return _not_ready(lacking, path)
    body: dict[str, Any] = {
        "status": "ready",
        "database": reads.dialect,
        "revision": ", ".join(found),
    }
    if isinstance(reads, ReplicatedReads):
        body["replicas"] = reads.report()
    return Response(orjson.dumps(body), media_type="application/json", headers=NO_STORE)


def _lacking(request: Request) -> str | None:
    """What the database lacks of the data SAYSO_READY_REQUIRES asks for; None if nothing."""
    requires = request.app.state.settings.ready_requires
    reads = request.app.state.reads
    if requires == "data" and not has_sources(reads):
        return (
            "The database holds no source yet (SAYSO_READY_REQUIRES=data): load some with "
            "`sayso load` or POST /ingest."
        )
    if requires == "seed":
        seed: tuple[str, ...] = request.app.state.seed_sources
        if not seed:
            folder = request.app.state.settings.seed_dir / "annotations"
            return f"SAYSO_READY_REQUIRES=seed, but {folder} names no source."
        missing = missing_sources(reads, seed)
        if missing:
            return (
                f"{len(missing)} of the seed's {len(seed)} sources are not in the database "
                f"(SAYSO_READY_REQUIRES=seed): {', '.join(missing)}; `sayso serve --load-seed` "
                "or `sayso load` loads them."
            )
    return None


def _no_schema(exc: Exception) -> bool:
    """Whether EXC says the database has no alembic_version table (SQLite's words, or
    PostgreSQL's code)."""
    return getattr(exc, "sqlstate", None) == UNDEFINED_TABLE or "no such table" in str(exc)


def _not_ready(detail: str, path: str) -> Response:
    log.warning("not ready: %s", detail)
    return problem(503, "Not ready", detail, path, headers=NO_STORE)

"""POST /ingest: one annotated document in one request, through the loader's own path (the
same format, the same validation, one transaction), recorded in the history."""

import time
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query, Request
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.curation.editing import in_transaction
from app.curation.history import record, row_of, table_of
from app.ingest.loader import load_parsed, log_loaded, log_refused
from app.ingest.parse import parse_bytes
from app.ingest.problems import InvalidAnnotations, Problem
from app.models import Actor, ActorAlias, Appearance, Claim, Contradiction, Source, Statement
from app.models.enums import ChangeAction, ReviewStatus
from app.web.auth import Editor
from app.web.errors import InvalidParameter, SaysoError, problem_responses
from app.web.metrics import count_ingest
from app.web.routing import EditorKey

router = APIRouter(tags=["ingest"])
BODY = FilePath("request body")
# What an ingest adds, by table, as the history names it (aliases show under their actor).
RECORDED: list[tuple[str, Table]] = [
    ("actor", table_of(Actor)),
    ("claim", table_of(Claim)),
    ("source", table_of(Source)),
    ("statement", table_of(Statement)),
    ("appearance", table_of(Appearance)),
    ("contradiction", table_of(Contradiction)),
]


def _refuse(problems: list[Problem], raw: bytes = b"") -> InvalidParameter:
    """A 422 naming every problem's field (and its line, in a body of several lines)."""
    lined = raw.count(b"\n") > 1
    errors = [
        {
            "location": "body",
            "field": p.field,
            "message": f"line {p.line}: {p.message}" if p.line and lined else p.message,
        }
        for p in problems
    ]
    detail = "; ".join(f"{p.field or 'body'}: {p.message}" for p in problems[:5]) + (
        f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    )
    return InvalidParameter(f"The annotation is not valid: {detail}", errors=errors)


def ingest_document(
    session: Session, who: Editor, raw: bytes, status: ReviewStatus
) -> dict[str, Any]:
    """Validate and write one annotation (JSON, the document's text inline); the history gets
    a 'create' for every object it adds."""
    started = time.perf_counter()
    parsed = parse_bytes(raw, BODY, is_json=True, files=False)
    if isinstance(parsed, list):
        log_refused(parsed, time.perf_counter() - started)
        raise _refuse(parsed, raw)
    # The loader gives new rows the next ids, under a lock: what it adds is above these.
    last = {t.name: session.scalar(select(func.max(t.c.id))) or 0 for _, t in RECORDED}
    aliases_before = session.scalar(select(func.max(ActorAlias.id))) or 0
    try:
        added = load_parsed(session, [parsed], status)
    except InvalidAnnotations as exc:
        log_refused(exc.problems, time.perf_counter() - started, source=parsed.spec.source.slug)
        raise _refuse(exc.problems, raw) from exc
    for kind, table in RECORDED:
        for row_id in session.scalars(
            select(table.c.id).where(table.c.id > last[table.name]).order_by(table.c.id)
        ):
            row = row_of(table, row_id, session)
            assert row is not None
            if kind == "actor":
                row["aliases"] = list(
                    session.scalars(
                        select(ActorAlias.alias)
                        .where(ActorAlias.actor_id == row_id, ActorAlias.id > aliases_before)
                        .order_by(ActorAlias.id)
                    )
                )
            record(
                session,
                who,
                ChangeAction.create,
                kind,
                row_id,
                row.get("slug"),
                after=row,
                note=f"created by POST /ingest of the source '{parsed.spec.source.slug}'",
            )
    return {"source": parsed.spec.source.slug, "status": status, "added": added}


# The body's schema is the annotation format's (registered in the OpenAPI document's
# components by app.main).
EXAMPLE_TEXT = (
    "BRUSSELS (Wire) - The bridge would reopen in May, transport minister Ana Silva said on "
    'Monday. "We are on schedule," she told reporters.\n'
)
INGEST_EXAMPLE = {
    "format": "sayso/1",
    "source": {
        "slug": "wire-bridge-reopens",
        "title": "Bridge to reopen",
        "language": "en",
        "text": EXAMPLE_TEXT,
    },
    "actors": [{"slug": "ana-silva", "name": "Ana Silva", "kind": "person", "aliases": ["Silva"]}],
    "claims": [{"slug": "bridge-reopens-in-may", "text": "The bridge reopens in May."}],
    "statements": [
        {
            "slug": "silva-bridge-reopens-in-may",
            "speaker": "ana-silva",
            "claim": "bridge-reopens-in-may",
            "stance": "asserts",
            "appearances": [
                {
                    "quote": "The bridge would reopen in May",
                    "mode": "indirect",
                    "attribution": "transport minister Ana Silva said",
                }
            ],
        }
    ],
}
INGEST_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {"$ref": "#/components/schemas/AnnotationFile"},
            "example": INGEST_EXAMPLE,
        }
    },
}


@router.post(
    "/ingest",
    status_code=201,
    summary="Ingest one annotated document",
    responses={
        201: {"description": "What was added (counts by kind), and the source's slug."},
        200: {"description": "All of it was there already: nothing was added."},
        **problem_responses(401, 403, 409, 413, 422),
    },
    openapi_extra={"requestBody": INGEST_BODY},
)
async def ingest_annotation(
    request: Request,
    who: EditorKey,
    # Not `rejected`: a rejection needs its reason, row by row (the annotation may say both).
    status: Annotated[
        Literal[ReviewStatus.proposed, ReviewStatus.confirmed],
        Query(
            description="The review status of what it adds, where the annotation does not say: "
            "`proposed` lands it for review (e.g. a machine's draft)."
        ),
    ] = ReviewStatus.confirmed,
) -> Response:
    """One document and its annotations, in the annotation format (docs/annotation-format.md)
    as JSON, with the document's text inline as `source.text`: validated exactly as `sayso
    load` validates files, and written in one transaction, or not at all (422 with every
    problem and where it is). Loading what is already there adds nothing."""
    raw = await request.body()
    started = time.perf_counter()
    try:
        result = await in_transaction(request, ingest_document, who, raw, status)
    except SaysoError as exc:
        if exc.status < 500:  # invalid, or in conflict with what is stored
            count_ingest(request, None)
        raise
    count_ingest(request, result["added"])
    # Once committed (a refusal is logged where it is found: app/ingest/loader.py).
    source = result["source"]
    log_loaded(f"source {source}", result["added"], time.perf_counter() - started, source=source)
    return Response(
        orjson.dumps(result),
        status_code=201 if any(result["added"].values()) else 200,
        media_type="application/json",
        headers={"Location": f"/sources/{result['source']}"},
    )

"""POST /extract: an article in, a draft annotation out (nothing is written)."""

from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.curation.editing import in_transaction
from app.extract.article import ArticleMeta
from app.extract.known_db import known_from_db
from app.extract.pipeline import Extraction, extract
from app.ingest.router import ingest_document
from app.ingest.spec import AnnotationFile
from app.models.enums import ReviewStatus
from app.web.auth import editor
from app.web.errors import problem_responses

router = APIRouter(prefix="/extract", tags=["extract"])

# A megabyte of text is about 170,000 words: far more than any article.
MAX_TEXT = 2_000_000


class ExtractRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(max_length=MAX_TEXT)] = Field(
        description="The article's text exactly as it will be stored (the draft has its SHA-256).",
        examples=['Kremlin spokesman Dmitry Peskov said: "No. It is not true."'],
    )
    meta: ArticleMeta = Field(
        default_factory=ArticleMeta, description="What is known of the article besides its text."
    )

    @field_validator("text")
    @classmethod
    def _unicode(cls, value: str) -> str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("the text must be Unicode that UTF-8 can store") from exc
        return value


class ExtractResponse(BaseModel):
    draft: AnnotationFile = Field(description="The draft annotation, in the sayso/1 format.")
    reason: str | None = Field(
        None, description="Why the draft has no statements (empty text, not English, ...)."
    )
    warnings: list[str] = Field(default_factory=list)
    statements: int = Field(description="How many statements the draft proposes.")
    ingested: dict[str, int] | None = Field(
        None,
        description="With `ingest=true`: what the draft added, as proposed data (counts by "
        "kind); null otherwise.",
    )


@router.post(
    "",
    response_model=ExtractResponse,
    summary="Draft an annotation from an article",
    responses=problem_responses(401, 403, 409, 413, 422),
)
async def draft_annotation(
    body: ExtractRequest,
    request: Request,
    ingest: Annotated[
        bool,
        Query(
            description="Also write the draft, as *proposed* data for review (needs an editor "
            "key): it goes through POST /ingest's path, and shows in reads with "
            "`review=proposed`."
        ),
    ] = False,
) -> ExtractResponse:
    """Find the attributed statements of an article and propose them as a draft annotation in
    the `sayso/1` format (the one `sayso load` reads): speakers resolved against the known actors
    and their aliases, statements matched to known claims (and to known statements when the text
    reports the same act of saying), new actors and claims proposed where nothing matches.

    Without `ingest`, this reads the database and writes nothing: review the draft, then load
    it (`sayso load`, `POST /ingest`). With `ingest=true`, the draft is written at once as
    proposed data, for a person to confirm or reject.
    """
    engine = request.app.state.engine
    # Drafting is CPU work and reads the database: it runs in a worker thread, as writes do.
    who = await run_in_threadpool(editor, request, None) if ingest else None
    result = await run_in_threadpool(_draft, engine, body)
    ingested = None
    if who is not None:
        # The text goes inline, as POST /ingest takes it: no file is named. The same
        # transaction and error mapping as every other write (in_transaction).
        source = {k: v for k, v in result.draft["source"].items() if k != "document"}
        posted = orjson.dumps({**result.draft, "source": {**source, "text": body.text}})
        added = await in_transaction(request, ingest_document, who, posted, ReviewStatus.proposed)
        ingested = added["added"]
    return ExtractResponse(
        draft=AnnotationFile.model_validate(result.draft),
        reason=result.reason,
        warnings=result.warnings,
        statements=result.statements,
        ingested=ingested,
    )


def _draft(engine: Engine, body: ExtractRequest) -> Extraction:
    """The draft of BODY's article, against the actors and claims the database knows; it
    writes nothing."""
    with Session(engine) as session:
        outlet = body.meta.outlet
        return extract(body.text, body.meta, lookup=lambda a: known_from_db(session, a, outlet))

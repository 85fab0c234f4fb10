"""POST /extract: an article in, a draft annotation out (nothing is written, unless asked).

Its price (docs/extract-limits.md): a text's length is bounded, more tightly without a key; the
extraction runs in a process of its own, bounded in CPU time and memory, and a server worker
runs at most `extract_concurrency` of them at once (app/extract/runner.py)."""

import logging
import time
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.concurrency import run_in_threadpool

from app.config import Settings
from app.curation.editing import in_transaction
from app.extract.article import ArticleMeta
from app.extract.runner import Unavailable, extractors, lifespan
from app.ingest.router import ingest_document
from app.ingest.spec import AnnotationFile
from app.models.enums import ReviewStatus
from app.web.auth import Editor, editor
from app.web.errors import PROBLEM_MEDIA_TYPE, TooLarge, problem_responses
from app.web.metrics import count_extraction, count_ingest

log = logging.getLogger("sayso.extract")
router = APIRouter(prefix="/extract", tags=["extract"], lifespan=lifespan)

_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {
        "description": "The extraction passed its CPU-time or memory bound and was stopped, or "
        "the server worker's extractions are all taken (then with `Retry-After`).",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}},
    }
}


class ExtractRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "The bridge would reopen in May, transport minister Ana Silva said "
                    'on Monday. "We are on schedule," she told reporters.\n',
                    "meta": {"title": "Bridge to reopen in May", "language": "en"},
                }
            ]
        },
    )

    text: str = Field(
        description="The article's text exactly as it will be stored (the draft has its SHA-256). "
        "Without an API key, up to `extract_anonymous_chars` characters (50,000 by default); "
        "with one, up to `extract_max_chars` (500,000).",
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
    responses={**problem_responses(401, 403, 409, 413, 422), **_UNAVAILABLE},
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

    A key is needed for `ingest=true` and for a text longer than `extract_anonymous_chars`; a
    key that is sent is checked either way. A text longer than the caller's limit is refused
    (413); an extraction that passes its CPU-time or memory bound is stopped (503), and when
    the server's extractions are all taken the answer is 503 with `Retry-After`.
    """
    settings: Settings = request.app.state.settings
    length = len(body.text)
    started = time.perf_counter()
    if length > settings.extract_max_chars:
        _log_extraction(length, started, "too_large")
        count_extraction(request, "too_large")
        raise TooLarge(
            f"The text has {length:,} characters: POST /extract drafts texts of up to "
            f"{settings.extract_max_chars:,} (setting extract_max_chars). Send a part of it."
        )
    who: Editor | None = None
    if ingest or "authorization" in request.headers:
        who = await run_in_threadpool(editor, request, None)
    if who is None and length > settings.extract_anonymous_chars:
        _log_extraction(length, started, "too_large")
        count_extraction(request, "too_large")
        raise TooLarge(
            f"The text has {length:,} characters: without an API key, POST /extract drafts "
            f"texts of up to {settings.extract_anonymous_chars:,} (setting "
            f"extract_anonymous_chars); with an editor's key, up to "
            f"{settings.extract_max_chars:,}."
        )
    # Drafting is CPU work: it runs in a process of its own, within its bounds.
    try:
        result = await extractors(request.app).draft(body.text, body.meta)
    except Unavailable as exc:
        _log_extraction(length, started, exc.outcome)
        count_extraction(request, exc.outcome)
        raise
    count_extraction(request, "drafted")
    ingested = None
    if ingest and who is not None:
        # The text goes inline, as POST /ingest takes it: no file is named. The same
        # transaction and error mapping as every other write (in_transaction).
        source = {k: v for k, v in result.draft["source"].items() if k != "document"}
        posted = orjson.dumps({**result.draft, "source": {**source, "text": body.text}})
        added = await in_transaction(request, ingest_document, who, posted, ReviewStatus.proposed)
        ingested = added["added"]
        count_ingest(request, ingested)
    _log_extraction(length, started, "drafted", result.statements, ingested)
    return ExtractResponse(
        draft=AnnotationFile.model_validate(result.draft),
        reason=result.reason,
        warnings=result.warnings,
        statements=result.statements,
        ingested=ingested,
    )


def _log_extraction(
    chars: int,
    started: float,
    outcome: str,
    statements: int | None = None,
    ingested: dict[str, int] | None = None,
) -> None:
    """The log's line for an extraction (logger `sayso.extract`): the text's characters, the
    statements drafted, how long it took, and its OUTCOME: drafted, or why not (too_large,
    busy, cpu, memory, timeout, stopping, failed)."""
    ms = round((time.perf_counter() - started) * 1000, 1)
    fields: dict[str, Any] = {"chars": chars, "duration_ms": ms, "outcome": outcome}
    if outcome == "drafted":
        fields["statements"] = statements
        if ingested is not None:
            fields["ingested"] = ingested
        log.info(
            "drafted %s statement(s) from %d characters in %.0f ms",
            statements,
            chars,
            ms,
            extra=fields,
        )
    else:
        log.warning(
            "extraction refused (%s): %d characters, %.0f ms", outcome, chars, ms, extra=fields
        )

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from app.appearances import service as appearances
from app.appearances.schemas import AppearanceCreate, AppearanceDetail
from app.curation import changes
from app.curation.changes import HISTORY_ACCESS, ChangeRead
from app.curation.editing import answer, expected_version, in_transaction
from app.curation.history import purge_object
from app.shared.briefs import StatementRead
from app.statements import chains, export, service, writes
from app.statements.filters import NARROWING_DOC, allowed
from app.statements.schemas import (
    StatementChains,
    StatementCreate,
    StatementFilters,
    StatementHistoryParams,
    StatementPath,
    StatementUpdate,
)
from app.web.auth import history_names, sees_drafts
from app.web.errors import problem_responses
from app.web.pagination import Page
from app.web.responses import read_json, read_object, read_page
from app.web.routing import AdminKey, EditorKey, SlugPath
from app.web.streaming import bounded_stream

router = APIRouter(prefix="/statements", tags=["statements"])


@router.get(
    "",
    response_model=Page[StatementRead],
    summary="List statements",
    description="Statements matching every filter given, in a stable order (by id), a page at "
    "a time. " + NARROWING_DOC,
    responses=problem_responses(401),
    openapi_extra=StatementFilters.openapi(),
)
async def list_statements(request: Request) -> Response:
    p = StatementFilters.parse(request)
    return read_page(request, service.list_statements, allowed(request, p.to_filter()), p.paging)


EXPORT_DOC = (
    "Statements flattened, one row per appearance (speaker, speaker kind, stance, claim, "
    "wording, mode, source, outlet, URL, dates, span), for any filter `/statements` accepts; "
    "streamed, in constant memory whatever the size. `limit` and `cursor` do not apply. "
    "A server worker streams a few exports at once (`export_max_concurrent`): one more is "
    "answered 503 with `Retry-After`. " + NARROWING_DOC
)


@router.get(
    ".csv",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}}, "description": "CSV with a header row."},
        **problem_responses(401, 503),
    },
    summary="Export statements as CSV",
    description=EXPORT_DOC,
    openapi_extra=StatementFilters.openapi(),
)
async def export_statements_csv(request: Request) -> Response:
    f = allowed(request, StatementFilters.parse(request).to_filter())
    # A 404 before streaming starts, when a filter names something that does not exist.
    service.require_named(request.app.state.reads, f)
    return await bounded_stream(
        request,
        export.csv_lines(request.app.state.reads, f),
        "exports",
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="statements.csv"'},
    )


@router.get(
    ".ndjson",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/x-ndjson": {}}, "description": "One object a line."},
        **problem_responses(401, 503),
    },
    summary="Export statements as NDJSON",
    description=EXPORT_DOC,
    openapi_extra=StatementFilters.openapi(),
)
async def export_statements_ndjson(request: Request) -> Response:
    f = allowed(request, StatementFilters.parse(request).to_filter())
    # A 404 before streaming starts, when a filter names something that does not exist.
    service.require_named(request.app.state.reads, f)
    return await bounded_stream(
        request,
        export.ndjson_lines(request.app.state.reads, f),
        "exports",
        media_type="application/x-ndjson",
    )


@router.get(
    "/{slug}",
    response_model=StatementRead,
    summary="One statement in full",
    responses=problem_responses(401),
    openapi_extra=StatementPath.openapi(),
)
async def get_statement(request: Request) -> Response:
    """The statement with its speaker, its claim, and every source that reports it, each with
    the exact wording used there and its position in the source's text. A statement proposed
    or rejected in review, and such reports, are shown to a read with an API key only (unless
    the server makes drafts public): to others it is not found (404)."""
    slug = StatementPath.parse(request).slug
    return read_object(request, service.get_statement, slug, drafts=sees_drafts(request))


@router.get(
    "/{slug}/chains",
    response_model=StatementChains,
    summary="How a statement reached each reader",
    responses=problem_responses(401),
    openapi_extra=StatementPath.openapi(),
)
async def get_statement_chains(request: Request) -> Response:
    """The statement's attribution chains: for each source that prints it, the path from the
    speaker (through the channel and the person told, where the text says) to that source,
    through the sources it cites, e.g. "a senior Russian source -> told Reuters -> reported by
    Reuters -> re-reported by India TV News"."""
    slug = StatementPath.parse(request).slug
    return read_json(request, chains.attribution_chains, slug, drafts=sees_drafts(request))


# -- writes --------------------------------------------------------------------------------------


@router.post(
    "",
    status_code=201,
    response_model=StatementRead,
    summary="Add a statement",
    responses=problem_responses(401, 403, 409, 413, 422),
)
async def create_statement(request: Request, body: StatementCreate, who: EditorKey) -> Response:
    """A new statement with at least one appearance (editor or admin key): every statement is
    traceable to a source. Each appearance gives the exact wording; the server finds it in the
    source's text as the loader does, and refuses (422, naming the field, e.g.
    `appearances.0.quote`) a quote that is not there, one only in page furniture, or one that
    occurs more than once without `occurrence` or `after`. The denials the new stance makes are
    derived at once. Confirmed unless the body says `status: proposed`. The answer has its ETag
    and Location."""
    slug = await in_transaction(request, writes.create_statement, who, body.model_dump())
    return answer(
        request,
        service.get_statement,
        slug,
        drafts=True,
        status=201,
        location=f"/statements/{slug}",
    )


@router.patch(
    "/{slug}",
    response_model=StatementRead,
    summary="Edit or review a statement",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 413, 422, 428),
)
async def update_statement(
    request: Request, slug: SlugPath, body: StatementUpdate, who: EditorKey
) -> Response:
    """Change the statement's stance, claim, speaker, date, context, recipient, channel or
    note, or review it (`status`: proposed, confirmed, or rejected with a `status_reason`).
    Confirming it confirms its proposed appearances too: a confirmed statement is shown with
    its confirmed appearances (409 if every one was rejected). A new stance or claim re-derives
    the denials around the claims involved. Needs `If-Match` with the ETag from a GET: if the
    statement changed since, the answer is 412 and nothing is written."""
    version = expected_version(request)
    await in_transaction(request, writes.update_statement, who, slug, version, body.changes())
    return answer(request, service.get_statement, slug, drafts=True)


@router.delete(
    "/{slug}",
    status_code=204,
    summary="Delete a statement",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 428),
)
async def delete_statement(request: Request, slug: SlugPath, who: AdminKey) -> Response:
    """Delete a statement with its appearances and the contradictions it is in (admin key,
    `If-Match`). Its slug then answers 410 until it is restored, with all of them; its history
    stays."""
    version = expected_version(request)
    await in_transaction(request, writes.delete_statement, who, slug, version)
    return Response(status_code=204)


@router.post(
    "/{slug}/restore",
    response_model=StatementRead,
    summary="Restore a deleted statement",
    responses=problem_responses(401, 403, 404, 409),
)
async def restore_statement(request: Request, slug: SlugPath, who: AdminKey) -> Response:
    """Bring a deleted statement back as it was, with the appearances and contradictions
    deleted with it (admin key). Refused (409) while something it refers to is gone."""
    await in_transaction(request, writes.restore_statement, who, slug)
    return answer(request, service.get_statement, slug, drafts=True)


@router.post(
    "/{slug}/purge",
    status_code=204,
    summary="Purge a deleted statement",
    responses=problem_responses(401, 403, 404, 409),
)
async def purge_statement(request: Request, slug: SlugPath, who: AdminKey) -> Response:
    """Make the statement's deletion final (admin key): it can no longer be restored, and its
    slug (with those of what went with it) is free for a new statement. Until then a deleted
    statement's slug is reserved (creating one with it is a 409). Its history stays, with the
    purge. Refused (409) for a statement that is not deleted, or that went with another's
    deletion (purge that)."""
    await in_transaction(request, purge_object, who, "statement", slug)
    return Response(status_code=204)


@router.post(
    "/{slug}/appearances",
    status_code=201,
    response_model=AppearanceDetail,
    summary="Add an appearance of a statement",
    responses=problem_responses(401, 403, 404, 409, 410, 413, 422),
)
async def create_appearance(
    request: Request, slug: SlugPath, body: AppearanceCreate, who: EditorKey
) -> Response:
    """Another source's report of the statement (editor or admin key), given by its exact
    wording, which the server finds in the source's text as the loader does (422 naming the
    field when it cannot). The answer is the new appearance, with its Location."""
    found = await in_transaction(request, writes.add_appearance, who, slug, body.model_dump())
    return answer(
        request,
        appearances.get_appearance,
        found,
        drafts=True,
        status=201,
        location=f"/appearances/{found}",
    )


@router.get(
    "/{slug}/history",
    response_model=Page[ChangeRead],
    summary="A statement's history",
    description="Every change made to the statement through the API, oldest first (who, when, "
    "before and after). A deleted statement's history stays readable; its appearances' changes "
    "are at /appearances/{id}/history. " + HISTORY_ACCESS,
    responses=problem_responses(401),
    openapi_extra=StatementHistoryParams.openapi(),
)
async def list_statement_history(request: Request) -> Response:
    p = StatementHistoryParams.parse(request)
    names = history_names(request)
    return read_page(request, changes.history, "statement", p.paging, slug=p.slug, names=names)

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from app.pagination import Page
from app.params import read_json, read_object, read_page
from app.statements import chains, export, service
from app.statements.filters import NARROWING_DOC
from app.statements.schemas import (
    StatementChains,
    StatementFilters,
    StatementPath,
    StatementRead,
)

router = APIRouter(prefix="/statements", tags=["statements"])


@router.get(
    "",
    response_model=Page[StatementRead],
    summary="List statements",
    description="Statements matching every filter given, in a stable order (by id), a page at "
    "a time. " + NARROWING_DOC,
    openapi_extra=StatementFilters.openapi(),
)
async def list_statements(request: Request) -> Response:
    p = StatementFilters.parse(request)
    return await read_page(request, service.list_statements, p.to_filter(), p.paging)


EXPORT_DOC = (
    "Statements flattened, one row per appearance (speaker, speaker kind, stance, claim, "
    "wording, mode, source, outlet, URL, dates, span), for any filter `/statements` accepts; "
    "streamed, in constant memory whatever the size. `limit` and `cursor` do not apply. "
    + NARROWING_DOC
)


@router.get(
    ".csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "CSV with a header row."}},
    summary="Export statements as CSV",
    description=EXPORT_DOC,
    openapi_extra=StatementFilters.openapi(),
)
async def export_csv(request: Request) -> StreamingResponse:
    f = StatementFilters.parse(request).to_filter()
    # A 404 before streaming starts, when a filter names something that does not exist.
    await service.require_named(request.app.state.reads, f)
    return StreamingResponse(
        export.csv_lines(request.app.state.reads, f),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="statements.csv"'},
    )


@router.get(
    ".ndjson",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {}}, "description": "One object a line."}},
    summary="Export statements as NDJSON",
    description=EXPORT_DOC,
    openapi_extra=StatementFilters.openapi(),
)
async def export_ndjson(request: Request) -> StreamingResponse:
    f = StatementFilters.parse(request).to_filter()
    # A 404 before streaming starts, when a filter names something that does not exist.
    await service.require_named(request.app.state.reads, f)
    return StreamingResponse(
        export.ndjson_lines(request.app.state.reads, f), media_type="application/x-ndjson"
    )


@router.get(
    "/{slug}",
    response_model=StatementRead,
    summary="One statement in full",
    openapi_extra=StatementPath.openapi(),
)
async def get_statement(request: Request) -> Response:
    """The statement with its speaker, its claim, and every source that reports it, each with
    the exact wording used there and its position in the source's text."""
    return await read_object(request, service.get_statement, StatementPath.parse(request).slug)


@router.get(
    "/{slug}/chains",
    response_model=StatementChains,
    summary="How a statement reached each reader",
    openapi_extra=StatementPath.openapi(),
)
async def statement_chains(request: Request) -> Response:
    """The statement's attribution chains: for each source that prints it, the path from the
    speaker (through the channel and the person told, where the text says) to that source,
    through the sources it cites, e.g. "a senior Russian source -> told Reuters -> reported by
    Reuters -> re-reported by India TV News"."""
    slug = StatementPath.parse(request).slug
    return await read_json(request, chains.attribution_chains, slug)

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from app.pagination import Page
from app.params import read_json, read_page
from app.statements import export, service
from app.statements.schemas import StatementFilters, StatementPath, StatementRead

router = APIRouter(prefix="/statements", tags=["statements"])


@router.get(
    "",
    response_model=Page[StatementRead],
    summary="List statements",
    openapi_extra=StatementFilters.openapi(),
)
async def list_statements(request: Request) -> Response:
    """Statements matching every filter given, in a stable order, a page at a time."""
    p = StatementFilters.parse(request)
    return await read_page(request, service.list_statements, _filters(p), p.paging)


def _filters(p: StatementFilters) -> service.StatementFilter:
    return service.StatementFilter(
        claim=p.claim,
        speaker=p.speaker,
        include_affiliated=p.include_affiliated,
        affiliated_with=p.affiliated_with,
        stance=p.stance,
        unnamed=p.unnamed,
        source=p.source,
    )


EXPORT_DOC = (
    "Statements flattened, one row per appearance (speaker, speaker kind, stance, claim, "
    "wording, mode, source, outlet, URL, dates, span), for any filter `/statements` accepts; "
    "streamed, in constant memory whatever the size. `limit` and `cursor` do not apply."
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
    f = _filters(StatementFilters.parse(request))
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
    f = _filters(StatementFilters.parse(request))
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
    return await read_json(request, service.get_statement, StatementPath.parse(request).slug)

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.pagination import Page
from app.params import read_json, read_page
from app.statements import service
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
    filters = service.StatementFilter(
        claim=p.claim,
        speaker=p.speaker,
        include_affiliated=p.include_affiliated,
        affiliated_with=p.affiliated_with,
        stance=p.stance,
        unnamed=p.unnamed,
        source=p.source,
    )
    return await read_page(request, service.list_statements, filters, p.paging)


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

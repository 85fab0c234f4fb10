from fastapi import APIRouter, Request
from starlette.responses import Response

from app.search import service
from app.search.schemas import SearchHit, SearchParams, SourceHit, SourceSearchParams
from app.statements.filters import StatementFilter
from app.web.auth import sees_drafts
from app.web.errors import problem_responses
from app.web.pagination import Page
from app.web.responses import read_page

router = APIRouter(prefix="/search", tags=["search"])

ORDER_DOC = (
    "The first 100 matches in the index's order (shortest texts first) come ranked, best "
    "first; any further matches follow, shortest text first. Each object is one hit: an actor "
    "found by its name and several aliases comes once. A page at a time, with a cursor."
)


@router.get(
    "",
    response_model=Page[SearchHit],
    summary="Full-text search",
    description="Search quotes (as printed in every source), claim texts, and actor names and "
    "aliases; each hit with a highlighted snippet and what it belongs to. " + ORDER_DOC + " "
    "Quotes of statements or reports proposed or rejected in review are found with an API key "
    "only (unless the server makes drafts public).",
    responses=problem_responses(401, 404, 422),
    openapi_extra=SearchParams.openapi(),
)
async def search(request: Request) -> Response:
    p = SearchParams.parse(request)
    f = service.SearchFilter.of(p, drafts=sees_drafts(request))
    return read_page(request, service.search, p.q, f, p.paging)


@router.get(
    "/sources",
    response_model=Page[SourceHit],
    summary="Search the sources' full texts",
    description="The sources whose stored text matches, in the order they were added, each "
    "with the span of every match in its text (`text[start:end]`) and a snippet.",
    responses=problem_responses(404, 422),
    openapi_extra=SourceSearchParams.openapi(),
)
async def search_sources(request: Request) -> Response:
    p = SourceSearchParams.parse(request)
    f = StatementFilter(outlet=p.outlet, reported_from=p.reported_from, reported_to=p.reported_to)
    return read_page(request, service.search_sources, p.q, f, p.paging)

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.search import service
from app.search.schemas import SearchParams, SearchResults
from app.web.auth import sees_drafts
from app.web.errors import problem_responses
from app.web.responses import read_json

router = APIRouter(prefix="/search", tags=["search"])


@router.get(
    "",
    response_model=SearchResults,
    summary="Full-text search",
    responses=problem_responses(401),
    openapi_extra=SearchParams.openapi(),
)
async def search(request: Request) -> Response:
    """Search quotes (as printed in every source), claim texts, and actor names and aliases,
    ranked, each hit with a highlighted snippet and what it belongs to. Quotes of statements
    or reports proposed or rejected in review are found with an API key only (unless the
    server makes drafts public)."""
    p = SearchParams.parse(request)
    return read_json(request, service.search, p.q, p.limit, drafts=sees_drafts(request))

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.contradictions import service
from app.contradictions.schemas import ContradictionList, ContradictionRead
from app.pagination import Page
from app.params import read_page

router = APIRouter(prefix="/contradictions", tags=["contradictions"])


@router.get(
    "",
    response_model=Page[ContradictionRead],
    summary="List contradictions",
    openapi_extra=ContradictionList.openapi(),
)
async def list_contradictions(request: Request) -> Response:
    """Contradictions, each with both sides in full: speaker, stance, wording, sources."""
    p = ContradictionList.parse(request)
    return await read_page(
        request, service.list_contradictions, p.paging, claim=p.claim, actor=p.actor, kind=p.kind
    )

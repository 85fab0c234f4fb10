from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.contradictions import service
from app.contradictions.schemas import ContradictionRead
from app.models.enums import ContradictionKind
from app.pagination import Page, Paging
from app.params import read_page, slug_query

router = APIRouter(prefix="/contradictions", tags=["contradictions"])

KindQuery = Annotated[
    ContradictionKind | None, Query(description="Only contradictions of this kind.")
]


@router.get("", response_model=Page[ContradictionRead], summary="List contradictions")
async def list_contradictions(
    request: Request,
    paging: Paging,
    claim: Annotated[str | None, slug_query("claim", "putin-signalled-ceasefire-2023")] = None,
    actor: Annotated[
        str | None,
        slug_query(
            "actor", "dmitry-peskov", "Only those in which this actor speaks on either side."
        ),
    ] = None,
    kind: KindQuery = None,
) -> Response:
    """Contradictions, each with both sides in full: speaker, stance, wording, sources."""
    return await read_page(
        request, service.list_contradictions, paging, claim=claim, actor=actor, kind=kind
    )

from typing import Annotated

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.claims import service
from app.claims.schemas import ClaimBrief, ClaimRead
from app.contradictions import service as contradictions
from app.contradictions.router import KindQuery
from app.contradictions.schemas import ContradictionRead
from app.pagination import Page, Paging
from app.params import SearchText, read_json, read_page, slug_path, slug_query
from app.statements import service as statements
from app.statements.router import StanceQuery, UnnamedQuery
from app.statements.schemas import StatementRead

router = APIRouter(prefix="/claims", tags=["claims"])
ClaimSlug = Annotated[str, slug_path("claim", "putin-signalled-ceasefire-2023")]


@router.get("", response_model=Page[ClaimBrief], summary="List claims")
async def list_claims(
    request: Request,
    paging: Paging,
    q: SearchText = None,
) -> Response:
    """Claims in a stable order; `q` finds those whose text or slug contains the words given."""
    return await read_page(request, service.list_claims, paging, q=q)


@router.get("/{slug}", response_model=ClaimRead, summary="One claim")
async def get_claim(request: Request, slug: ClaimSlug) -> Response:
    """The claim with how many statements take each stance on it."""
    return await read_json(request, service.get_claim, slug)


@router.get(
    "/{slug}/statements", response_model=Page[StatementRead], summary="Statements on a claim"
)
async def claim_statements(
    request: Request,
    paging: Paging,
    slug: ClaimSlug,
    stance: StanceQuery = None,
    speaker: Annotated[str | None, slug_query("speaker", "dmitry-peskov")] = None,
    unnamed: UnnamedQuery = None,
) -> Response:
    """Every statement on the claim: `?stance=denies` gives all its denials."""
    filters = statements.StatementFilter(
        claim=slug, stance=stance, speaker=speaker, unnamed=unnamed
    )
    return await read_page(request, statements.list_statements, filters, paging)


@router.get(
    "/{slug}/contradictions",
    response_model=Page[ContradictionRead],
    summary="Contradictions around a claim",
)
async def claim_contradictions(
    request: Request,
    paging: Paging,
    slug: ClaimSlug,
    kind: KindQuery = None,
) -> Response:
    """Contradictions in which either side is a statement on the claim, both sides in full."""
    return await read_page(
        request, contradictions.list_contradictions, paging, claim=slug, kind=kind
    )

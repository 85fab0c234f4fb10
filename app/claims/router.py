from fastapi import APIRouter, Request
from starlette.responses import Response

from app.claims import service
from app.claims.schemas import (
    ClaimBrief,
    ClaimContradictionsParams,
    ClaimList,
    ClaimPath,
    ClaimPositions,
    ClaimRead,
    ClaimStatementsParams,
)
from app.contradictions import service as contradictions
from app.contradictions.schemas import ContradictionRead
from app.pagination import Page
from app.params import read_json, read_page
from app.statements import service as statements
from app.statements import timeline
from app.statements.filters import NARROWING_DOC
from app.statements.schemas import StatementRead, TimelineEntry

router = APIRouter(prefix="/claims", tags=["claims"])


@router.get(
    "", response_model=Page[ClaimBrief], summary="List claims", openapi_extra=ClaimList.openapi()
)
async def list_claims(request: Request) -> Response:
    """Claims in a stable order; `q` finds those whose text or slug contains the words given."""
    p = ClaimList.parse(request)
    return await read_page(request, service.list_claims, p.paging, q=p.q)


@router.get(
    "/{slug}", response_model=ClaimRead, summary="One claim", openapi_extra=ClaimPath.openapi()
)
async def get_claim(request: Request) -> Response:
    """The claim with how many statements take each stance on it."""
    return await read_json(request, service.get_claim, ClaimPath.parse(request).slug)


@router.get(
    "/{slug}/positions",
    response_model=ClaimPositions,
    summary="Who stands where on a claim",
    openapi_extra=ClaimPath.openapi(),
)
async def claim_positions(request: Request) -> Response:
    """For each stance taken on the claim: which actors, how many statements, how many sources
    report them, and from how many independent origins."""
    return await read_json(request, service.claim_positions, ClaimPath.parse(request).slug)


@router.get(
    "/{slug}/statements",
    response_model=Page[StatementRead],
    summary="Statements on a claim",
    openapi_extra=ClaimStatementsParams.openapi(),
)
async def claim_statements(request: Request) -> Response:
    """Every statement on the claim: `?stance=denies` gives all its denials. Takes every filter
    of `/statements`."""
    p = ClaimStatementsParams.parse(request)
    return await read_page(request, statements.list_statements, p.to_filter(), p.paging)


@router.get(
    "/{slug}/timeline",
    response_model=Page[TimelineEntry],
    summary="A claim's timeline",
    description="The claim's statements in time order: by the day each was said where the "
    "text says, else by the day it was first reported; then by id. Each comes with its "
    "appearances, earliest report first, so that a front end can draw who said what when and "
    "who re-reported it. " + NARROWING_DOC,
    openapi_extra=ClaimStatementsParams.openapi(),
)
async def claim_timeline(request: Request) -> Response:
    p = ClaimStatementsParams.parse(request)
    return await read_page(request, timeline.timeline, p.to_filter(), p.paging)


@router.get(
    "/{slug}/contradictions",
    response_model=Page[ContradictionRead],
    summary="Contradictions around a claim",
    openapi_extra=ClaimContradictionsParams.openapi(),
)
async def claim_contradictions(request: Request) -> Response:
    """Contradictions in which either side is a statement on the claim, both sides in full."""
    p = ClaimContradictionsParams.parse(request)
    return await read_page(
        request, contradictions.list_contradictions, p.paging, claim=p.slug, kind=p.kind
    )

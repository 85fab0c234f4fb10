from fastapi import APIRouter, Request
from starlette.responses import Response

from app.claims import service, writes
from app.claims.schemas import (
    ClaimContradictionsParams,
    ClaimCreate,
    ClaimHistoryParams,
    ClaimList,
    ClaimMerge,
    ClaimPath,
    ClaimPositions,
    ClaimRead,
    ClaimStatementsParams,
    ClaimUpdate,
    PositionsOfClaims,
    PositionsParams,
)
from app.contradictions import service as contradictions
from app.contradictions.schemas import ContradictionRead
from app.curation import changes
from app.curation.changes import HISTORY_ACCESS, ChangeRead
from app.curation.editing import answer, expected_version, in_transaction
from app.curation.history import purge_object
from app.shared.briefs import ClaimBrief, StatementRead
from app.statements import service as statements
from app.statements import timeline
from app.statements.filters import NARROWING_DOC, allowed
from app.statements.schemas import TimelineEntry
from app.web.auth import history_names, review_allowed
from app.web.errors import problem_responses
from app.web.pagination import Page
from app.web.responses import read_json, read_object, read_page
from app.web.routing import AdminKey, EditorKey, SlugPath

router = APIRouter(prefix="/claims", tags=["claims"])
# Positions across claims: a path of its own, beside the claims.
positions = APIRouter(prefix="/positions", tags=["claims"])


@router.get(
    "", response_model=Page[ClaimBrief], summary="List claims", openapi_extra=ClaimList.openapi()
)
async def list_claims(request: Request) -> Response:
    """Claims in a stable order; `q` finds those whose text or slug contains the words given."""
    p = ClaimList.parse(request)
    return read_page(request, service.list_claims, p.paging, q=p.q)


@router.get(
    "/{slug}", response_model=ClaimRead, summary="One claim", openapi_extra=ClaimPath.openapi()
)
async def get_claim(request: Request) -> Response:
    """The claim with how many statements take each stance on it."""
    return read_object(request, service.get_claim, ClaimPath.parse(request).slug)


@router.get(
    "/{slug}/positions",
    response_model=ClaimPositions,
    summary="Who stands where on a claim",
    openapi_extra=ClaimPath.openapi(),
)
async def get_claim_positions(request: Request) -> Response:
    """For each stance taken on the claim: which actors, how many statements, how many sources
    report them, and from how many independent origins. `/positions` answers for several
    claims at once."""
    return read_json(request, service.claim_positions, ClaimPath.parse(request).slug)


@positions.get(
    "",
    response_model=PositionsOfClaims,
    summary="Who stands where on several claims",
    openapi_extra=PositionsParams.openapi(),
)
async def list_positions(request: Request) -> Response:
    """The positions of each claim named (`?claim=a&claim=b`, up to 100), as
    `/claims/{slug}/positions` gives them for one, in one call: e.g. who stands where on every
    claim of a story. A claim named twice is answered once; one that does not exist is a 404."""
    return read_json(request, service.positions_of_claims, PositionsParams.parse(request).claim)


@router.get(
    "/{slug}/statements",
    response_model=Page[StatementRead],
    summary="Statements on a claim",
    responses=problem_responses(401),
    openapi_extra=ClaimStatementsParams.openapi(),
)
async def list_claim_statements(request: Request) -> Response:
    """Every statement on the claim: `?stance=denies` gives all its denials. Takes every filter
    of `/statements`."""
    p = ClaimStatementsParams.parse(request)
    f = allowed(request, p.to_filter())
    return read_page(request, statements.list_statements, f, p.paging)


@router.get(
    "/{slug}/timeline",
    response_model=Page[TimelineEntry],
    summary="A claim's timeline",
    description="The claim's statements in time order: by the day each was said where the "
    "text says, else by the day it was first reported; then by id. Each comes with its "
    "appearances, earliest report first, so that a front end can draw who said what when and "
    "who re-reported it. " + NARROWING_DOC,
    responses=problem_responses(401),
    openapi_extra=ClaimStatementsParams.openapi(),
)
async def get_claim_timeline(request: Request) -> Response:
    p = ClaimStatementsParams.parse(request)
    return read_page(request, timeline.timeline, allowed(request, p.to_filter()), p.paging)


@router.get(
    "/{slug}/contradictions",
    response_model=Page[ContradictionRead],
    summary="Contradictions around a claim",
    responses=problem_responses(401),
    openapi_extra=ClaimContradictionsParams.openapi(),
)
async def list_claim_contradictions(request: Request) -> Response:
    """Contradictions in which either side is a statement on the claim, both sides in full."""
    p = ClaimContradictionsParams.parse(request)
    return read_page(
        request,
        contradictions.list_contradictions,
        p.paging,
        claim=p.slug,
        kind=p.kind,
        review=review_allowed(request, p.review),
    )


# -- writes --------------------------------------------------------------------------------------


@router.post(
    "",
    status_code=201,
    response_model=ClaimRead,
    summary="Add a claim",
    responses=problem_responses(401, 403, 409, 413, 422),
)
async def create_claim(request: Request, body: ClaimCreate, who: EditorKey) -> Response:
    """A new claim (editor or admin key). The answer has its ETag and Location."""
    slug = await in_transaction(request, writes.create_claim, who, body.model_dump())
    return answer(request, service.get_claim, slug, status=201, location=f"/claims/{slug}")


@router.patch(
    "/{slug}",
    response_model=ClaimRead,
    summary="Edit a claim",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 413, 422, 428),
)
async def update_claim(
    request: Request, slug: SlugPath, body: ClaimUpdate, who: EditorKey
) -> Response:
    """Change the claim's text or note. Needs `If-Match` with the ETag from a GET: if the
    claim changed since, the answer is 412 and nothing is written."""
    version = expected_version(request)
    await in_transaction(request, writes.update_claim, who, slug, version, body.changes())
    return answer(request, service.get_claim, slug)


@router.delete(
    "/{slug}",
    status_code=204,
    summary="Delete a claim",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 428),
)
async def delete_claim(request: Request, slug: SlugPath, who: AdminKey) -> Response:
    """Delete a claim no statement is about (admin key, `If-Match`). Its slug then answers 410
    until it is restored; its history stays."""
    version = expected_version(request)
    await in_transaction(request, writes.delete_claim, who, slug, version)
    return Response(status_code=204)


@router.post(
    "/{slug}/restore",
    response_model=ClaimRead,
    summary="Restore a deleted claim",
    responses=problem_responses(401, 403, 404, 409),
)
async def restore_claim(request: Request, slug: SlugPath, who: AdminKey) -> Response:
    """Bring a deleted claim back as it was (admin key)."""
    await in_transaction(request, writes.restore_claim, who, slug)
    return answer(request, service.get_claim, slug)


@router.post(
    "/{slug}/purge",
    status_code=204,
    summary="Purge a deleted claim",
    responses=problem_responses(401, 403, 404, 409),
)
async def purge_claim(request: Request, slug: SlugPath, who: AdminKey) -> Response:
    """Make the claim's deletion final (admin key): it can no longer be restored, and its
    slug (with those of what went with it) is free for a new claim. Until then a deleted
    claim's slug is reserved (creating one with it is a 409). Its history stays, with the
    purge. Refused (409) for a claim that is not deleted, or that went with another's
    deletion (purge that)."""
    await in_transaction(request, purge_object, who, "claim", slug)
    return Response(status_code=204)


@router.post(
    "/{slug}/merge",
    response_model=ClaimRead,
    summary="Merge a claim into another",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 422, 428),
)
async def merge_claim(
    request: Request, slug: SlugPath, body: ClaimMerge, who: AdminKey
) -> Response:
    """Move every statement on this claim to `into`, and delete this claim; its slug keeps
    resolving (a 308 redirect to `into`), and its history shows under `into`'s. Admin key and
    `If-Match`. Merging a claim into one merged into it is refused (422)."""
    version = expected_version(request)
    into = await in_transaction(request, writes.merge_claim, who, slug, version, body.into)
    return answer(request, service.get_claim, into)


@router.get(
    "/{slug}/history",
    response_model=Page[ChangeRead],
    summary="A claim's history",
    description="Every change made to the claim through the API, oldest first (who, when, before "
    "and after), and to the claims merged into it. A deleted claim's history stays "
    "readable. " + HISTORY_ACCESS,
    responses=problem_responses(401),
    openapi_extra=ClaimHistoryParams.openapi(),
)
async def list_claim_history(request: Request) -> Response:
    p = ClaimHistoryParams.parse(request)
    names = history_names(request)
    return read_page(request, changes.history, "claim", p.paging, slug=p.slug, names=names)

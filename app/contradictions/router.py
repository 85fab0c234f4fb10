from fastapi import APIRouter, Request
from starlette.responses import Response

from app.contradictions import service, writes
from app.contradictions.schemas import (
    ContradictionCreate,
    ContradictionHistoryParams,
    ContradictionList,
    ContradictionPath,
    ContradictionRead,
    ContradictionUpdate,
)
from app.curation import changes
from app.curation.changes import HISTORY_ACCESS, ChangeRead
from app.curation.editing import answer, expected_version, in_transaction
from app.web.auth import history_names, review_allowed, sees_drafts
from app.web.errors import problem_responses
from app.web.pagination import Page
from app.web.responses import read_object, read_page
from app.web.routing import AdminKey, EditorKey, IdPath

router = APIRouter(prefix="/contradictions", tags=["contradictions"])


@router.get(
    "",
    response_model=Page[ContradictionRead],
    summary="List contradictions",
    responses=problem_responses(401),
    openapi_extra=ContradictionList.openapi(),
)
async def list_contradictions(request: Request) -> Response:
    """Contradictions, each with both sides in full: speaker, stance, wording, sources."""
    p = ContradictionList.parse(request)
    return read_page(
        request,
        service.list_contradictions,
        p.paging,
        claim=p.claim,
        actor=p.actor,
        kind=p.kind,
        review=review_allowed(request, p.review),
    )


@router.get(
    "/{id}",
    response_model=ContradictionRead,
    summary="One contradiction",
    responses=problem_responses(401),
    openapi_extra=ContradictionPath.openapi(),
)
async def get_contradiction(request: Request) -> Response:
    """The contradiction with both sides in full. Its ETag names its version, for `If-Match`.
    With an API key (or when the server makes drafts public) it is shown whatever its review
    status, its sides with every report; without, as lists show it: a contradiction proposed
    or rejected in review, or between statements or reports that are, is not found (404), and
    its sides show their confirmed reports."""
    id = ContradictionPath.parse(request).id
    return read_object(request, service.get_contradiction, id, drafts=sees_drafts(request))


# -- writes --------------------------------------------------------------------------------------


@router.post(
    "",
    status_code=201,
    response_model=ContradictionRead,
    summary="Add a contradiction",
    responses=problem_responses(401, 403, 409, 413, 422),
)
async def create_contradiction(
    request: Request, body: ContradictionCreate, who: EditorKey
) -> Response:
    """A curated contradiction (editor or admin key): an `inconsistency` between two
    statements on different claims, or a `misreport` of one statement by two of its
    appearances. A statement (or an appearance) cannot contradict itself (422). Denials are
    not written (422): sayso derives them from the stances. Confirmed unless the body says
    `status: proposed`. The answer has its ETag and Location."""
    found = await in_transaction(request, writes.create_contradiction, who, body.model_dump())
    return answer(
        request,
        service.get_contradiction,
        found,
        drafts=True,
        status=201,
        location=f"/contradictions/{found}",
    )


@router.patch(
    "/{id}",
    response_model=ContradictionRead,
    summary="Edit or review a contradiction",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 413, 422, 428),
)
async def update_contradiction(
    request: Request, id: IdPath, body: ContradictionUpdate, who: EditorKey
) -> Response:
    """Change the rationale, or review it (`status`: proposed, confirmed, or rejected with a
    `status_reason`; a denial that does not hold is rejected, not deleted). Needs `If-Match`
    with the ETag from a GET: if it changed since, the answer is 412 and nothing is written."""
    version = expected_version(request)
    await in_transaction(request, writes.update_contradiction, who, id, version, body.changes())
    return answer(request, service.get_contradiction, id, drafts=True)


@router.delete(
    "/{id}",
    status_code=204,
    summary="Delete a contradiction",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 428),
)
async def delete_contradiction(request: Request, id: IdPath, who: AdminKey) -> Response:
    """Delete a curated contradiction (admin key, `If-Match`); a denial is refused (409), as
    it follows from the stances. It answers 410 until it is restored; its history stays."""
    version = expected_version(request)
    await in_transaction(request, writes.delete_contradiction, who, id, version)
    return Response(status_code=204)


@router.post(
    "/{id}/restore",
    response_model=ContradictionRead,
    summary="Restore a deleted contradiction",
    responses=problem_responses(401, 403, 404, 409),
)
async def restore_contradiction(request: Request, id: IdPath, who: AdminKey) -> Response:
    """Bring a deleted contradiction back as it was (admin key). Refused (409) while one of
    its sides is deleted."""
    await in_transaction(request, writes.restore_contradiction, who, id)
    return answer(request, service.get_contradiction, id, drafts=True)


@router.get(
    "/{id}/history",
    response_model=Page[ChangeRead],
    summary="A contradiction's history",
    description="Every change made to the contradiction, oldest first (who, when, before and "
    "after), a denial's derivation included: found, or dropped when a stance moved. "
    + HISTORY_ACCESS,
    responses=problem_responses(401),
    openapi_extra=ContradictionHistoryParams.openapi(),
)
async def list_contradiction_history(request: Request) -> Response:
    p = ContradictionHistoryParams.parse(request)
    names = history_names(request)
    return read_page(request, changes.history, "contradiction", p.paging, id=p.id, names=names)

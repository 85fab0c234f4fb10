from fastapi import APIRouter, Request
from starlette.responses import Response

from app.appearances import service, writes
from app.appearances.schemas import (
    AppearanceDetail,
    AppearanceHistoryParams,
    AppearancePath,
    AppearanceUpdate,
)
from app.curation import changes
from app.curation.changes import HISTORY_ACCESS, ChangeRead
from app.curation.editing import answer, expected_version, in_transaction
from app.web.auth import history_names, sees_drafts
from app.web.errors import problem_responses
from app.web.pagination import Page
from app.web.responses import read_object, read_page
from app.web.routing import AdminKey, EditorKey, IdPath

router = APIRouter(prefix="/appearances", tags=["appearances"])


@router.get(
    "/{id}",
    response_model=AppearanceDetail,
    summary="One appearance",
    responses=problem_responses(401),
    openapi_extra=AppearancePath.openapi(),
)
async def get_appearance(request: Request) -> Response:
    """Where a source reports a statement: the exact wording, its span in the source's text,
    the attribution and hedge, the source, and the statement it reports. Its ETag names its
    version, for `If-Match`. An appearance proposed or rejected in review, or of a statement
    that is, is shown to a read with an API key only (unless the server makes drafts public):
    to others it is not found (404)."""
    id = AppearancePath.parse(request).id
    return read_object(request, service.get_appearance, id, drafts=sees_drafts(request))


# -- writes --------------------------------------------------------------------------------------


@router.patch(
    "/{id}",
    response_model=AppearanceDetail,
    summary="Edit or review an appearance",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 413, 422, 428),
)
async def update_appearance(
    request: Request, id: IdPath, body: AppearanceUpdate, who: EditorKey
) -> Response:
    """Change the appearance's mode, note, attribution or hedge, or review it (`status`:
    proposed, confirmed, or rejected with a `status_reason`; 409 for the only confirmed
    appearance of a confirmed statement, which would be shown with none). A new `quote` (or
    `occurrence`, or `after`) is found again in the source's text, as the loader does: 422
    naming the field when it is not there. Needs `If-Match` with the ETag from a GET: if the
    appearance changed since, the answer is 412 and nothing is written."""
    version = expected_version(request)
    await in_transaction(request, writes.update_appearance, who, id, version, body.changes())
    return answer(request, service.get_appearance, id, drafts=True)


@router.delete(
    "/{id}",
    status_code=204,
    summary="Delete an appearance",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 428),
)
async def delete_appearance(request: Request, id: IdPath, who: AdminKey) -> Response:
    """Delete an appearance and the misreports that name it (admin key, `If-Match`); refused
    (409) for a statement's last appearance, or a confirmed statement's last confirmed one: a
    statement stays traceable to a source. It answers 410 until it is restored; its history
    stays."""
    version = expected_version(request)
    await in_transaction(request, writes.delete_appearance, who, id, version)
    return Response(status_code=204)


@router.post(
    "/{id}/restore",
    response_model=AppearanceDetail,
    summary="Restore a deleted appearance",
    responses=problem_responses(401, 403, 404, 409),
)
async def restore_appearance(request: Request, id: IdPath, who: AdminKey) -> Response:
    """Bring a deleted appearance back as it was, with the misreports deleted with it (admin
    key). Refused (409) while its statement is deleted."""
    await in_transaction(request, writes.restore_appearance, who, id)
    return answer(request, service.get_appearance, id, drafts=True)


@router.get(
    "/{id}/history",
    response_model=Page[ChangeRead],
    summary="An appearance's history",
    description="Every change made to the appearance through the API, oldest first (who, when, "
    "before and after). A deleted appearance's history stays readable. " + HISTORY_ACCESS,
    responses=problem_responses(401),
    openapi_extra=AppearanceHistoryParams.openapi(),
)
async def list_appearance_history(request: Request) -> Response:
    p = AppearanceHistoryParams.parse(request)
    names = history_names(request)
    return read_page(request, changes.history, "appearance", p.paging, id=p.id, names=names)

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.actors import service, writes
from app.actors.schemas import (
    ActorContradictionsParams,
    ActorCreate,
    ActorDetail,
    ActorHistoryParams,
    ActorList,
    ActorPath,
    ActorRead,
    ActorStatementsParams,
    ActorUpdate,
)
from app.contradictions import service as contradictions
from app.contradictions.schemas import ContradictionRead
from app.curation import changes
from app.curation.changes import HISTORY_ACCESS, ChangeRead
from app.curation.editing import answer, expected_version, in_transaction
from app.curation.history import purge_object
from app.shared.briefs import StatementRead
from app.statements import service as statements
from app.statements.filters import allowed
from app.web.auth import history_names, review_allowed
from app.web.errors import problem_responses
from app.web.pagination import Page
from app.web.responses import read_object, read_page
from app.web.routing import AdminKey, EditorKey, SlugPath

router = APIRouter(prefix="/actors", tags=["actors"])


@router.get(
    "",
    response_model=Page[ActorRead],
    summary="List and find actors",
    openapi_extra=ActorList.openapi(),
)
async def list_actors(request: Request) -> Response:
    """Actors in a stable order. `q=Peskov` finds every actor whose name or any alias contains
    the words; `kind=unnamed` lists the unnamed sources."""
    p = ActorList.parse(request)
    return read_page(request, service.list_actors, p.paging, q=p.q, alias=p.alias, kind=p.kind)


@router.get(
    "/{slug}", response_model=ActorDetail, summary="One actor", openapi_extra=ActorPath.openapi()
)
async def get_actor(request: Request) -> Response:
    """The actor with aliases, affiliation, members, and statement counts by stance."""
    return read_object(request, service.get_actor, ActorPath.parse(request).slug)


@router.get(
    "/{slug}/statements",
    response_model=Page[StatementRead],
    summary="Everything an actor said",
    responses=problem_responses(401),
    openapi_extra=ActorStatementsParams.openapi(),
)
async def list_actor_statements(request: Request) -> Response:
    """Every statement by the actor (with `include_affiliated`, by its members too)."""
    p = ActorStatementsParams.parse(request)
    f = allowed(request, p.to_filter())
    return read_page(request, statements.list_statements, f, p.paging)


@router.get(
    "/{slug}/contradictions",
    response_model=Page[ContradictionRead],
    summary="Contradictions an actor is part of",
    responses=problem_responses(401),
    openapi_extra=ActorContradictionsParams.openapi(),
)
async def list_actor_contradictions(request: Request) -> Response:
    """Contradictions in which the actor speaks on either side, both sides in full."""
    p = ActorContradictionsParams.parse(request)
    return read_page(
        request,
        contradictions.list_contradictions,
        p.paging,
        actor=p.slug,
        include_affiliated=p.include_affiliated,
        kind=p.kind,
        review=review_allowed(request, p.review),
    )


# -- writes --------------------------------------------------------------------------------------


@router.post(
    "",
    status_code=201,
    response_model=ActorDetail,
    summary="Add an actor",
    responses=problem_responses(401, 403, 409, 413, 422),
)
async def create_actor(request: Request, body: ActorCreate, who: EditorKey) -> Response:
    """A new actor with its aliases (editor or admin key); its name is stored as its first
    alias. An unknown `affiliation` is 422, a taken slug 409. The answer has its ETag and
    Location."""
    slug = await in_transaction(request, writes.create_actor, who, body.model_dump())
    return answer(request, service.get_actor, slug, status=201, location=f"/actors/{slug}")


@router.patch(
    "/{slug}",
    response_model=ActorDetail,
    summary="Edit an actor",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 413, 422, 428),
)
async def update_actor(
    request: Request, slug: SlugPath, body: ActorUpdate, who: EditorKey
) -> Response:
    """Change any field but the slug; `aliases` replaces the whole list. An affiliation that
    would put the actor in itself (directly or through others) is 422; making an outlet that
    sources name into another kind is 409. Needs `If-Match` with the ETag from a GET: if the
    actor changed since, the answer is 412 and nothing is written."""
    version = expected_version(request)
    await in_transaction(request, writes.update_actor, who, slug, version, body.changes())
    return answer(request, service.get_actor, slug)


@router.delete(
    "/{slug}",
    status_code=204,
    summary="Delete an actor",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 428),
)
async def delete_actor(request: Request, slug: SlugPath, who: AdminKey) -> Response:
    """Delete an actor that is no statement's speaker (admin key, `If-Match`; else 409). The
    statements addressed to it, the sources it is the outlet of and its members lose the link
    until it is restored; its slug answers 410 meanwhile, and its history stays."""
    version = expected_version(request)
    await in_transaction(request, writes.delete_actor, who, slug, version)
    return Response(status_code=204)


@router.post(
    "/{slug}/restore",
    response_model=ActorDetail,
    summary="Restore a deleted actor",
    responses=problem_responses(401, 403, 404, 409),
)
async def restore_actor(request: Request, slug: SlugPath, who: AdminKey) -> Response:
    """Bring a deleted actor back as it was, with its aliases and the links its deletion undid
    (admin key)."""
    await in_transaction(request, writes.restore_actor, who, slug)
    return answer(request, service.get_actor, slug)


@router.post(
    "/{slug}/purge",
    status_code=204,
    summary="Purge a deleted actor",
    responses=problem_responses(401, 403, 404, 409),
)
async def purge_actor(request: Request, slug: SlugPath, who: AdminKey) -> Response:
    """Make the actor's deletion final (admin key): it can no longer be restored, and its
    slug (with those of what went with it) is free for a new actor. Until then a deleted
    actor's slug is reserved (creating one with it is a 409). Its history stays, with the
    purge. Refused (409) for an actor that is not deleted, or that went with another's
    deletion (purge that)."""
    await in_transaction(request, purge_object, who, "actor", slug)
    return Response(status_code=204)


@router.get(
    "/{slug}/history",
    response_model=Page[ChangeRead],
    summary="An actor's history",
    description="Every change made to the actor through the API, oldest first (who, when, before "
    "and after, each with its aliases). A deleted actor's history stays readable. "
    + HISTORY_ACCESS,
    responses=problem_responses(401),
    openapi_extra=ActorHistoryParams.openapi(),
)
async def list_actor_history(request: Request) -> Response:
    p = ActorHistoryParams.parse(request)
    names = history_names(request)
    return read_page(request, changes.history, "actor", p.paging, slug=p.slug, names=names)

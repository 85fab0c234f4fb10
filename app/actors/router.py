from fastapi import APIRouter, Request
from starlette.responses import Response

from app.actors import service
from app.actors.schemas import (
    ActorContradictionsParams,
    ActorDetail,
    ActorList,
    ActorPath,
    ActorRead,
    ActorStatementsParams,
)
from app.contradictions import service as contradictions
from app.contradictions.schemas import ContradictionRead
from app.pagination import Page
from app.params import read_object, read_page
from app.statements import service as statements
from app.statements.schemas import StatementRead

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
    return await read_page(
        request, service.list_actors, p.paging, q=p.q, alias=p.alias, kind=p.kind
    )


@router.get(
    "/{slug}", response_model=ActorDetail, summary="One actor", openapi_extra=ActorPath.openapi()
)
async def get_actor(request: Request) -> Response:
    """The actor with aliases, affiliation, members, and statement counts by stance."""
    return await read_object(request, service.get_actor, ActorPath.parse(request).slug)


@router.get(
    "/{slug}/statements",
    response_model=Page[StatementRead],
    summary="Everything an actor said",
    openapi_extra=ActorStatementsParams.openapi(),
)
async def actor_statements(request: Request) -> Response:
    """Every statement by the actor (with `include_affiliated`, by its members too)."""
    p = ActorStatementsParams.parse(request)
    return await read_page(request, statements.list_statements, p.to_filter(), p.paging)


@router.get(
    "/{slug}/contradictions",
    response_model=Page[ContradictionRead],
    summary="Contradictions an actor is part of",
    openapi_extra=ActorContradictionsParams.openapi(),
)
async def actor_contradictions(request: Request) -> Response:
    """Contradictions in which the actor speaks on either side, both sides in full."""
    p = ActorContradictionsParams.parse(request)
    return await read_page(
        request,
        contradictions.list_contradictions,
        p.paging,
        actor=p.slug,
        include_affiliated=p.include_affiliated,
        kind=p.kind,
    )

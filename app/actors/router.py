from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.actors import service
from app.actors.schemas import ActorDetail, ActorRead
from app.contradictions import service as contradictions
from app.contradictions.router import KindQuery
from app.contradictions.schemas import ContradictionRead
from app.models.enums import ActorKind
from app.pagination import Page, Paging
from app.params import TEXT_PATTERN, SearchText, read_json, read_page, slug_path, slug_query
from app.statements import service as statements
from app.statements.router import IncludeAffiliated, StanceQuery
from app.statements.schemas import StatementRead

router = APIRouter(prefix="/actors", tags=["actors"])
ActorSlug = Annotated[str, slug_path("actor", "dmitry-peskov")]


@router.get("", response_model=Page[ActorRead], summary="List and find actors")
async def list_actors(
    request: Request,
    paging: Paging,
    q: SearchText = None,
    alias: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=300,
            pattern=TEXT_PATTERN,
            description="Only the actor(s) going by exactly this name or alias (any case).",
            openapi_examples={"seed data": {"value": "Kremlin spokesman Dmitry Peskov"}},
        ),
    ] = None,
    kind: Annotated[ActorKind | None, Query(description="Only actors of this kind.")] = None,
) -> Response:
    """Actors in a stable order. `q=Peskov` finds every actor whose name or any alias contains
    the words; `kind=unnamed` lists the unnamed sources."""
    return await read_page(request, service.list_actors, paging, q=q, alias=alias, kind=kind)


@router.get("/{slug}", response_model=ActorDetail, summary="One actor")
async def get_actor(request: Request, slug: ActorSlug) -> Response:
    """The actor with aliases, affiliation, members, and statement counts by stance."""
    return await read_json(request, service.get_actor, slug)


@router.get(
    "/{slug}/statements", response_model=Page[StatementRead], summary="Everything an actor said"
)
async def actor_statements(
    request: Request,
    paging: Paging,
    slug: ActorSlug,
    stance: StanceQuery = None,
    claim: Annotated[str | None, slug_query("claim", "putin-signalled-ceasefire-2023")] = None,
    include_affiliated: IncludeAffiliated = False,
) -> Response:
    """Every statement by the actor (with `include_affiliated`, by its members too)."""
    filters = statements.StatementFilter(
        speaker=slug, include_affiliated=include_affiliated, stance=stance, claim=claim
    )
    return await read_page(request, statements.list_statements, filters, paging)


@router.get(
    "/{slug}/contradictions",
    response_model=Page[ContradictionRead],
    summary="Contradictions an actor is part of",
)
async def actor_contradictions(
    request: Request,
    paging: Paging,
    slug: ActorSlug,
    kind: KindQuery = None,
    include_affiliated: IncludeAffiliated = False,
) -> Response:
    """Contradictions in which the actor speaks on either side, both sides in full."""
    return await read_page(
        request,
        contradictions.list_contradictions,
        paging,
        actor=slug,
        include_affiliated=include_affiliated,
        kind=kind,
    )

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.models.enums import Stance
from app.pagination import Page, Paging
from app.params import read_json, read_page, slug_path, slug_query
from app.statements import service
from app.statements.schemas import StatementRead

router = APIRouter(prefix="/statements", tags=["statements"])

StanceQuery = Annotated[Stance | None, Query(description="Only statements with this stance.")]
UnnamedQuery = Annotated[
    bool | None,
    Query(description="true: only statements by unnamed sources; false: only by named actors."),
]
IncludeAffiliated = Annotated[
    bool,
    Query(description="With `speaker`: also statements by actors affiliated with the speaker."),
]


@router.get("", response_model=Page[StatementRead], summary="List statements")
async def list_statements(
    request: Request,
    paging: Paging,
    claim: Annotated[str | None, slug_query("claim", "us-rejected-putin-ceasefire")] = None,
    speaker: Annotated[str | None, slug_query("speaker", "dmitry-peskov")] = None,
    include_affiliated: IncludeAffiliated = False,
    affiliated_with: Annotated[
        str | None,
        slug_query(
            "actor",
            "kremlin",
            "Only statements by actors affiliated with this actor, directly or through others "
            "(e.g. everyone who speaks for the Kremlin).",
        ),
    ] = None,
    stance: StanceQuery = None,
    unnamed: UnnamedQuery = None,
    source: Annotated[
        str | None, slug_query("source", "dantri-2024-putin-ceasefire-revealed")
    ] = None,
) -> Response:
    """Statements matching every filter given, in a stable order, a page at a time."""
    filters = service.StatementFilter(
        claim=claim,
        speaker=speaker,
        include_affiliated=include_affiliated,
        affiliated_with=affiliated_with,
        stance=stance,
        unnamed=unnamed,
        source=source,
    )
    return await read_page(request, service.list_statements, filters, paging)


@router.get("/{slug}", response_model=StatementRead, summary="One statement in full")
async def get_statement(
    request: Request,
    slug: Annotated[str, slug_path("statement", "peskov-denies-peace-proposals")],
) -> Response:
    """The statement with its speaker, its claim, and every source that reports it, each with
    the exact wording used there and its position in the source's text."""
    return await read_json(request, service.get_statement, slug)

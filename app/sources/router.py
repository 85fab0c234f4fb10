from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.pagination import Page, Paging
from app.params import read, read_json, read_page, slug_path, slug_query
from app.sources import service
from app.sources.schemas import SourceDetail, SourceRead
from app.statements.schemas import SourceAppearance

router = APIRouter(prefix="/sources", tags=["sources"])
SourceSlug = Annotated[str, slug_path("source", "indiatv-2024-02-14-putin-ceasefire-rejected")]


@router.get("", response_model=Page[SourceRead], summary="List sources")
async def list_sources(
    request: Request,
    paging: Paging,
    outlet: Annotated[str | None, slug_query("outlet", "dan-tri")] = None,
    language: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$",
            max_length=35,
            description="Only sources in this language (BCP 47 tag).",
            openapi_examples={"seed data": {"value": "en"}},
        ),
    ] = None,
) -> Response:
    """Sources (documents, and cited reports whose text is not held) in a stable order."""
    return await read_page(request, service.list_sources, paging, outlet=outlet, language=language)


@router.get("/{slug}", response_model=SourceDetail, summary="One source in full")
async def get_source(request: Request, slug: SourceSlug) -> Response:
    """The document with its full text, every date its page prints (and which is which), what it
    cites and what cites it, and the spans of page furniture."""
    return await read_json(request, service.get_source, slug)


@router.get(
    "/{slug}/text",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "The document's bytes."}},
    summary="A source's text, byte for byte",
)
async def get_source_text(request: Request, slug: SourceSlug) -> Response:
    """The stored document exactly as loaded; its SHA-256 is the source's `sha256`."""
    text = await read(request, service.get_source_text, slug)
    return Response(text.encode(), media_type="text/plain; charset=utf-8")


@router.get(
    "/{slug}/statements",
    response_model=Page[SourceAppearance],
    summary="Everything a source reports",
)
async def source_statements(request: Request, slug: SourceSlug, paging: Paging) -> Response:
    """Each report of a statement in the source, in text order, with the span of its wording
    (and of its attribution and hedge) so that a front end can highlight it."""
    return await read_page(request, service.source_appearances, slug, paging)

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.errors import NotFound
from app.pagination import Page
from app.params import read_object, read_page
from app.sources import service
from app.sources.schemas import (
    SourceDetail,
    SourceList,
    SourcePath,
    SourceRead,
    SourceStatementsParams,
    SourceTextParams,
)
from app.statements.schemas import SourceAppearance

router = APIRouter(prefix="/sources", tags=["sources"])


@router.get(
    "", response_model=Page[SourceRead], summary="List sources", openapi_extra=SourceList.openapi()
)
async def list_sources(request: Request) -> Response:
    """Sources (documents, and cited reports whose text is not held) in a stable order."""
    p = SourceList.parse(request)
    return await read_page(
        request, service.list_sources, p.paging, outlet=p.outlet, language=p.language
    )


@router.get(
    "/{slug}",
    response_model=SourceDetail,
    summary="One source in full",
    openapi_extra=SourcePath.openapi(),
)
async def get_source(request: Request) -> Response:
    """The document with its full text, every date its page prints (and which is which), what it
    cites and what cites it, and the spans of page furniture."""
    return await read_object(request, service.get_source, SourcePath.parse(request).slug)


# A text pinned by its hash never changes: caches may keep it for good. Unpinned, the same
# slug could name a corrected text one day: caches keep it but ask again (a 304 by its ETag).
PINNED = "public, max-age=31536000, immutable"
UNPINNED = "public, no-cache"


@router.get(
    "/{slug}/text",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "The document's bytes."}},
    summary="A source's text, byte for byte",
    openapi_extra=SourceTextParams.openapi(),
)
async def get_source_text(request: Request) -> Response:
    """The stored document exactly as loaded. Its ETag is its SHA-256 (the source's `sha256`);
    with `?sha256=` the answer is immutable (`Cache-Control: immutable`, for a year)."""
    p = SourceTextParams.parse(request)
    text, sha256 = await service.get_source_text(request.app.state.reads, p.slug)
    if p.sha256 is not None and p.sha256 != sha256:
        raise NotFound(
            f"Source '{p.slug}' has no text with sha256 {p.sha256}; its text's is {sha256}."
        )
    return Response(
        text.encode(),
        media_type="text/plain; charset=utf-8",
        headers={"ETag": f'"{sha256}"', "Cache-Control": PINNED if p.sha256 else UNPINNED},
    )


@router.get(
    "/{slug}/statements",
    response_model=Page[SourceAppearance],
    summary="Everything a source reports",
    openapi_extra=SourceStatementsParams.openapi(),
)
async def source_statements(request: Request) -> Response:
    """Each report of a statement in the source, in text order, with the span of its wording
    (and of its attribution and hedge) so that a front end can highlight it."""
    p = SourceStatementsParams.parse(request)
    return await read_page(request, service.source_appearances, p.slug, p.paging)

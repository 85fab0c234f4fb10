from fastapi import APIRouter, Request
from starlette.responses import Response

from app.curation import changes
from app.curation.changes import HISTORY_ACCESS, ChangeRead
from app.curation.editing import answer, expected_version, in_transaction
from app.curation.history import purge_object
from app.sources import service, writes
from app.sources.schemas import (
    SourceCreate,
    SourceDetail,
    SourceHistoryParams,
    SourceList,
    SourcePath,
    SourceRead,
    SourceStatementsParams,
    SourceTextParams,
    SourceUpdate,
)
from app.statements.schemas import SourceAppearance
from app.web.auth import history_names
from app.web.errors import NotFound, problem_responses
from app.web.pagination import Page
from app.web.responses import read_object, read_page
from app.web.routing import AdminKey, EditorKey, SlugPath

router = APIRouter(prefix="/sources", tags=["sources"])


@router.get(
    "", response_model=Page[SourceRead], summary="List sources", openapi_extra=SourceList.openapi()
)
async def list_sources(request: Request) -> Response:
    """Sources (documents, and cited reports whose text is not held) in a stable order."""
    p = SourceList.parse(request)
    return read_page(request, service.list_sources, p.paging, outlet=p.outlet, language=p.language)


@router.get(
    "/{slug}",
    response_model=SourceDetail,
    summary="One source in full",
    openapi_extra=SourcePath.openapi(),
)
async def get_source(request: Request) -> Response:
    """The document with its full text, every date its page prints (and which is which), what it
    cites and what cites it, and the spans of page furniture."""
    return read_object(request, service.get_source, SourcePath.parse(request).slug)


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
    text, sha256 = service.get_source_text(request.app.state.reads, p.slug)
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
async def list_source_statements(request: Request) -> Response:
    """Each report of a statement in the source, in text order, with the span of its wording
    (and of its attribution and hedge) so that a front end can highlight it."""
    p = SourceStatementsParams.parse(request)
    return read_page(request, service.source_appearances, p.slug, p.paging)


# -- writes --------------------------------------------------------------------------------------


@router.post(
    "",
    status_code=201,
    response_model=SourceDetail,
    summary="Add a source",
    responses=problem_responses(401, 403, 409, 413, 422),
)
async def create_source(request: Request, body: SourceCreate, who: EditorKey) -> Response:
    """A new source (editor or admin key): a document with its full text (its `sha256` is
    worked out from it), or a cited report without one. Its dates and the evidence of its
    citations are found in the text (422 naming the field when they are not there), and
    `reported_on` is worked out from the dates. An `outlet` that is not an actor of kind outlet
    is 422, a taken slug 409. The answer has its ETag and Location."""
    slug = await in_transaction(request, writes.create_source, who, body.model_dump())
    return answer(request, service.get_source, slug, status=201, location=f"/sources/{slug}")


@router.patch(
    "/{slug}",
    response_model=SourceDetail,
    summary="Edit a source",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 413, 422, 428),
)
async def update_source(
    request: Request, slug: SlugPath, body: SourceUpdate, who: EditorKey
) -> Response:
    """Change any field but the slug; `dates` and `cites` replace the lists. A new `text` is
    refused (409) once appearances or page furniture point into the old one; otherwise its
    `sha256` is worked out again, and its dates and citations are found again in it. Needs
    `If-Match` with the ETag from a GET: if the source changed since, the answer is 412 and
    nothing is written."""
    version = expected_version(request)
    await in_transaction(request, writes.update_source, who, slug, version, body.changes())
    return answer(request, service.get_source, slug)


@router.delete(
    "/{slug}",
    status_code=204,
    summary="Delete a source",
    responses=problem_responses(401, 403, 404, 409, 410, 412, 428),
)
async def delete_source(request: Request, slug: SlugPath, who: AdminKey) -> Response:
    """Delete a source with what goes with it: its appearances (and the contradictions on
    them), its dates, furniture and citations both ways, and the statements no other source
    reports, which would otherwise be traceable to none (admin key, `If-Match`). Its slug, and
    theirs, then answer 410 until it is restored, which puts all of it back; its history
    stays."""
    version = expected_version(request)
    await in_transaction(request, writes.delete_source, who, slug, version)
    return Response(status_code=204)


@router.post(
    "/{slug}/restore",
    response_model=SourceDetail,
    summary="Restore a deleted source",
    responses=problem_responses(401, 403, 404, 409),
)
async def restore_source(request: Request, slug: SlugPath, who: AdminKey) -> Response:
    """Bring a deleted source back as it was, with every appearance, contradiction, date,
    citation and furniture span its deletion removed (admin key)."""
    await in_transaction(request, writes.restore_source, who, slug)
    return answer(request, service.get_source, slug)


@router.post(
    "/{slug}/purge",
    status_code=204,
    summary="Purge a deleted source",
    responses=problem_responses(401, 403, 404, 409),
)
async def purge_source(request: Request, slug: SlugPath, who: AdminKey) -> Response:
    """Make the source's deletion final (admin key): it can no longer be restored, and its
    slug (with those of what went with it) is free for a new source. Until then a deleted
    source's slug is reserved (creating one with it is a 409). Its history stays, with the
    purge. Refused (409) for a source that is not deleted, or that went with another's
    deletion (purge that)."""
    await in_transaction(request, purge_object, who, "source", slug)
    return Response(status_code=204)


@router.get(
    "/{slug}/history",
    response_model=Page[ChangeRead],
    summary="A source's history",
    description="Every change made to the source through the API, oldest first (who, when, before "
    "and after, each with its dates and citations). A deleted source's history stays "
    "readable. " + HISTORY_ACCESS,
    responses=problem_responses(401),
    openapi_extra=SourceHistoryParams.openapi(),
)
async def list_source_history(request: Request) -> Response:
    p = SourceHistoryParams.parse(request)
    names = history_names(request)
    return read_page(request, changes.history, "source", p.paging, slug=p.slug, names=names)

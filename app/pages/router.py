"""The pages for readers: HTML over the same read services as the JSON answers.

Each page lives under /browse/ at the path of its JSON twin (/claims/{slug} is the JSON,
/browse/claims/{slug} the page) and links to it. The pages go through FastAPI's routing: the
direct-read middleware (app/web/direct_reads.py) never sees them, so the JSON reads' hot path is
untouched. Like the JSON reads, they show confirmed data and need no key (unless every read
does: SAYSO_READS_NEED_KEY)."""

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.actors import service as actors
from app.claims import service as claims
from app.contradictions import service as contradictions
from app.contradictions.schemas import ContradictionList
from app.db.reads import ReadDB
from app.models.enums import Stance
from app.pages.render import page, render
from app.pages.text import around, marked_words, marks_of, pieces, query_words
from app.search import service as search
from app.search.schemas import SearchParams
from app.shared.briefs import StatementRead
from app.shared.counts import counts
from app.sources import service as sources
from app.statements import service as statements
from app.statements import timeline
from app.statements.filters import StatementFilter
from app.statements.schemas import SourceAppearance
from app.web.auth import sees_drafts
from app.web.errors import NotFound
from app.web.pagination import PageParams

router = APIRouter(include_in_schema=False)

# How many statements, contradictions or timeline entries a page shows before its "next" link.
PAGE = 50
# A source's reports are all highlighted at once, read in pages of this many.
REPORTS_PAGE = 500


def _db(request: Request) -> ReadDB:
    db: ReadDB = request.app.state.reads
    return db


def _paging(request: Request, limit: int = PAGE) -> PageParams:
    return PageParams(limit, request.query_params.get("cursor") or None)


def _next(request: Request, cursor: str | None) -> str | None:
    """The URL of the next page of this page's list, if there is one."""
    return str(request.url.include_query_params(cursor=cursor)) if cursor else None


class Texts:
    """Sources' stored texts, each read once for a page that shows several quotes in context."""

    def __init__(self, db: ReadDB) -> None:
        self.db = db
        self.held: dict[str, str | None] = {}

    def of(self, slug: str) -> str | None:
        if slug not in self.held:
            try:
                self.held[slug] = sources.get_source_text(self.db, slug)[0]
            except NotFound:
                self.held[slug] = None
        return self.held[slug]

    def context(self, appearance: Mapping[str, Any] | None) -> tuple[str, str, str] | None:
        """The words around an appearance's quote in its source, or None without the text."""
        if not appearance:
            return None
        text = self.of(appearance["source"]["slug"])
        span = appearance.get("span") or {}
        if text is None or not 0 <= span.get("start", -1) <= span.get("end", -1) <= len(text):
            return None
        return around(text, span["start"], span["end"])


# The home page's figures are kept this many seconds: the most contested claims and the counts
# read every statement (12 ms at 10k statements on SQLite, so about a second at 1M), too much
# for each visit to the front page.
HOME_KEPT = 60.0


@router.get("/")
async def home(request: Request) -> Response:
    state = request.app.state
    kept: tuple[float, dict[str, Any]] | None = getattr(state, "home_page", None)
    now = time.monotonic()
    if kept is None or now - kept[0] > HOME_KEPT:
        db = _db(request)
        figures = {
            "counts": counts(db),
            "contested": claims.contested_claims(db, 10),
            "latest": sources.latest_sources(db, 10),
        }
        kept = state.home_page = (now, figures)
    return render("home.html", kept[1])


@router.get("/browse/claims/{slug}")
async def claim(request: Request, slug: str) -> Response:
    def build() -> Response:
        db = _db(request)
        about = StatementFilter(claim=slug)
        found = claims.get_claim(db, slug)
        said = statements.list_statements(db, about, _paging(request))
        texts = Texts(db)
        against = contradictions.list_contradictions(db, PageParams(PAGE, None), claim=slug)
        return render(
            "claim.html",
            {
                "claim": found,
                "positions": claims.claim_positions(db, slug)["positions"],
                "statements": said["items"],
                "next": _next(request, said["next_cursor"]),
                "contradictions": against["items"],
                "more_contradictions": against["next_cursor"] is not None,
                "timeline": timeline.timeline(db, about, PageParams(PAGE, None)),
                "texts": texts,
                "twin": f"/claims/{slug}",
            },
        )

    return await page(request, build)


def _by_stance(items: Iterable[StatementRead]) -> list[tuple[str, list[StatementRead]]]:
    """Statements grouped by stance, the stances in their usual order."""
    grouped: dict[str, list[StatementRead]] = defaultdict(list)
    for s in items:
        grouped[str(s["stance"])].append(s)
    order = [str(s) for s in Stance]
    return sorted(grouped.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)


@router.get("/browse/actors/{slug}")
async def actor(request: Request, slug: str) -> Response:
    def build() -> Response:
        db = _db(request)
        found = actors.get_actor(db, slug)
        said = statements.list_statements(db, StatementFilter(speaker=slug), _paging(request))
        return render(
            "actor.html",
            {
                "actor": found,
                "by_stance": _by_stance(said["items"]),
                "next": _next(request, said["next_cursor"]),
                "twin": f"/actors/{slug}",
            },
        )

    return await page(request, build)


@router.get("/browse/sources/{slug}")
async def source(request: Request, slug: str) -> Response:
    def build() -> Response:
        db = _db(request)
        found = sources.get_source(db, slug)
        reports: list[SourceAppearance] = []
        paging = PageParams(REPORTS_PAGE, None)
        while True:
            found_page = sources.source_appearances(db, slug, paging)
            reports += found_page["items"]
            if found_page["next_cursor"] is None:
                break
            paging = PageParams(REPORTS_PAGE, found_page["next_cursor"])
        text = found.get("text")
        cut = pieces(text, marks_of(reports, found.get("furniture", []))) if text else []
        return render(
            "source.html",
            {
                "source": found,
                "pieces": cut,
                "reports": reports,
                "twin": f"/sources/{slug}",
            },
        )

    return await page(request, build)


@router.get("/browse/statements/{slug}")
async def statement(request: Request, slug: str) -> Response:
    def build() -> Response:
        db = _db(request)
        return render(
            "statement.html",
            {
                "statement": statements.get_statement(db, slug),
                "texts": Texts(db),
                "twin": f"/statements/{slug}",
            },
        )

    return await page(request, build)


@router.get("/browse/contradictions")
async def contradictions_page(request: Request) -> Response:
    def build() -> Response:
        db = _db(request)
        p = ContradictionList.parse(request)
        found = contradictions.list_contradictions(
            db, PageParams(p.limit or PAGE, p.cursor), claim=p.claim, actor=p.actor, kind=p.kind
        )
        twin = "/contradictions" + (f"?{request.url.query}" if request.url.query else "")
        return render(
            "contradictions.html",
            {
                "contradictions": found["items"],
                "next": _next(request, found["next_cursor"]),
                "kind": p.kind,
                "texts": Texts(db),
                "twin": twin,
            },
        )

    return await page(request, build)


@router.get("/browse/search")
async def search_page(request: Request) -> Response:
    def build() -> Response:
        q = request.query_params.get("q", "")
        if not q.strip():
            return render("search.html", {"q": "", "hits": None, "twin": "/search?q=ceasefire"})
        p = SearchParams.parse(request)
        db = _db(request)
        f = search.SearchFilter.of(p, drafts=sees_drafts(request))
        found = search.search(db, p.q, f, p.paging)
        more = found["next_cursor"]
        return render(
            "search.html",
            {
                "q": p.q,
                "hits": found["items"],
                "next": str(request.url.include_query_params(cursor=more)) if more else None,
                "terms": query_words(p.q),
                "marked": marked_words,
                "texts": Texts(db),
                "twin": f"/search?{request.url.query}",
            },
        )

    return await page(request, build)

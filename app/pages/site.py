"""The HTML pages mounted on an app: for readers over the read services (router.py), the review
desk for editors (desk.py; a new article drafted on it, articles.py), the API's documentation
served without a CDN (docs.py), and the files they load (/static/)."""

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.pages.articles import router as articles
from app.pages.desk import router as desk
from app.pages.docs import ASSETS
from app.pages.docs import router as docs
from app.pages.render import STATIC
from app.pages.router import router as pages


def install(app: FastAPI) -> None:
    """The pages, the documentation, and the files they load (/static/)."""
    app.include_router(pages)
    app.include_router(desk)
    app.include_router(articles)
    app.include_router(docs)
    # The more specific mount first: Starlette tries mounts in order.
    app.mount("/static/docs", StaticFiles(directory=ASSETS), name="docs-assets")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

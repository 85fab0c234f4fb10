"""The API's documentation pages, Swagger UI at /docs and ReDoc at /redoc, with their code served
by sayso from the fastapi-offline package (no CDN: they work on a machine without internet), and
started by a script file of ours rather than an inline one (the pages' CSP forbids inline script).
"""

from functools import cache
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from starlette.responses import Response

from app.pages.render import DOCS_CSP, render

# Swagger UI's bundle and CSS and ReDoc's standalone script, as fastapi-offline ships them.
ASSETS = Path(str(files("fastapi_offline") / "static"))

router = APIRouter(include_in_schema=False)

# ReDoc's side menu shows Redocly's logo, fetched from their CDN whatever its options: its
# script is served with that one address replaced by an empty image, so /redoc asks nothing of
# anywhere else (its link to Redocly stays).
REDOCLY_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_IMAGE = b"data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E"


@cache
def _redoc_script() -> bytes:
    # Should a new ReDoc move the logo, the browser test sees the request to the CDN.
    return (ASSETS / "redoc.standalone.js").read_bytes().replace(REDOCLY_LOGO, EMPTY_IMAGE)


@router.get("/static/docs/redoc.standalone.js")
async def redoc_script() -> Response:
    return Response(
        _redoc_script(),
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/docs")
async def swagger_ui() -> Response:
    return render("swagger.html", {"openapi": "/openapi.json"}, csp=DOCS_CSP)


@router.get("/redoc")
async def redoc() -> Response:
    return render("redoc.html", {"openapi": "/openapi.json"}, csp=DOCS_CSP)

"""Rendering a page: the Jinja2 environment (every value escaped), the page's security headers,
and an error as a page rather than problem+json."""

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import orjson
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.curation.addresses import not_found
from app.web.errors import NotFound, SaysoError

HERE = Path(__file__).parent
STATIC = HERE / "static"

# No script but sayso's own files, no inline script or style, nothing fetched from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI and ReDoc (served by sayso too) set styles inline and run ReDoc's search in a
# worker made from a blob: still no script from anywhere else.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def _words(value: object) -> str:
    """An enumerated value as words: 'declines_to_comment' -> 'declines to comment'."""
    return str(value).replace("_", " ")


environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    # Every value is escaped, whatever the template's name; markup is built in templates only.
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    # The templates are read once per process: not looked at again on every page (a stat of
    # each file a page extends or imports). A server started again reads changed ones.
    auto_reload=False,
)
environment.filters["words"] = _words


def render(
    template: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
    csp: str = CSP,
) -> Response:
    """TEMPLATE filled with CONTEXT, as an HTML answer with the page's security headers."""
    body = environment.get_template(template).render(context)
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    return HTMLResponse(body, status_code=status, headers=headers)


def error_page(exc: Exception) -> Response:
    """What went wrong, as a page: a 404 for what does not exist, a 422 for a bad parameter."""
    if isinstance(exc, RequestValidationError):
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', 'invalid')}"
            for e in exc.errors()
        ]
        return render("error.html", {"status": 422, "problems": problems}, status=422)
    assert isinstance(exc, SaysoError)
    return render("error.html", {"status": exc.status, "problems": [exc.detail]}, status=exc.status)


async def page(request: Request, build: Callable[[], Response]) -> Response:
    """BUILD's page, or the page of the error it raised (a missing slug, a bad cursor). A slug
    is looked up as the JSON's 404 does: a claim merged into another redirects to that one's
    page (308), an object deleted is gone (410)."""
    try:
        return build()
    except NotFound as exc:
        answer = await not_found(request, exc)
        if answer.status_code == 308:
            return RedirectResponse(answer.headers["location"], status_code=308)
        detail = str(orjson.loads(answer.body)["detail"])
        status = answer.status_code
        return render("error.html", {"status": status, "problems": [detail]}, status=status)
    except (SaysoError, RequestValidationError) as exc:
        return error_page(exc)

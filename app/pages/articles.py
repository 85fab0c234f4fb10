"""A new article on the review desk: an editor pastes its text (or uploads a .txt file) with
what is known of it, sayso drafts it, and the draft lands in the review queue of its source.

The draft is made as POST /extract makes it: the same extraction processes and their bounds
(app/extract/runner.py: CPU time, memory, how many at once), the same longest text for a key
(setting extract_max_chars). It is written as POST /extract?ingest=true and POST /ingest write
one, through the loader's own path as *proposed* data, in the request's one transaction
(app.curation.editing.in_transaction), each object created in the history under the key's name.
An empty draft (a text that is not English, or names no one saying anything) is shown with the
extractor's reason and nothing is stored, unless the editor asks for the source alone."""

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.responses import RedirectResponse, Response

from app.actors import service as actors
from app.config import Settings
from app.curation.editing import in_transaction
from app.extract.article import ArticleMeta, slugify
from app.extract.runner import extractors
from app.ingest.router import ingest_document
from app.models.enums import ActorKind, ReviewStatus
from app.pages.desk import CHOICES, Refused, checked_session, reads_of, refused_page, render
from app.pages.sessions import SignedIn, signed_in
from app.web.errors import SaysoError
from app.web.pagination import PageParams

router = APIRouter(include_in_schema=False)

# The form's fields besides the text and its file.
FIELDS = ("title", "outlet", "outlet_name", "url", "byline", "language", "published")
# What the history says of a draft's source when the editor gave its publication date.
DATE_BASIS = "the publication date given by the editor on the review desk"
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _form_page(
    request: Request,
    who: SignedIn,
    values: dict[str, str],
    *,
    status: int = 200,
    problem: Refused | None = None,
    empty: str | None = None,
) -> Response:
    """The new-article form, filled with VALUES; with PROBLEM if it was refused, or with
    EMPTY, the reason the draft came out empty."""
    db = reads_of(request)
    outlets = actors.list_actors(db, PageParams(CHOICES, None), kind=ActorKind.outlet)["items"]
    return render(
        "desk_article.html",
        {
            "who": who,
            "csrf": who.csrf,
            "values": values,
            "outlets": outlets,
            "problem": problem,
            "empty": empty,
            "max_chars": _settings(request).extract_max_chars,
        },
        status=status,
    )


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/desk/articles/new")
async def new_article(request: Request) -> Response:
    who = signed_in(request)
    if who is None:
        return RedirectResponse("/desk/sign-in", status_code=303)
    return _form_page(request, who, {})


async def _posted(request: Request) -> tuple[dict[str, str], str | None]:
    """The posted form's fields, and the uploaded file's text if one was chosen (refused if it
    is not UTF-8). The body's size is bounded by the app's BodyLimit; a field, by the longest
    text the extractor takes (4 bytes a character at most in UTF-8)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in FORMS:
        raise Refused(415, f"The desk takes HTML forms ({FORMS[0]}), not {kind or 'this body'}.")
    limit = 4 * _settings(request).extract_max_chars + 1024
    try:
        posted = await request.form(max_files=1, max_fields=20, max_part_size=limit)
    except (HTTPException, MultiPartException) as exc:  # a malformed body, or too many parts
        detail = exc.detail if isinstance(exc, HTTPException) else exc.message
        raise Refused(400, f"The form could not be read: {detail}") from exc
    fields = {k: v for k, v in posted.multi_items() if isinstance(v, str)}
    upload = posted.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return fields, None
    raw = await upload.read()
    try:
        return fields, raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise Refused(
            422,
            f"The file '{upload.filename}' is not UTF-8 text (byte {exc.start}): save it as "
            "UTF-8, or paste its text.",
        ) from exc


def _text(request: Request, fields: dict[str, str], uploaded: str | None) -> str:
    """The article's text, from the box or the file (not both), within the extractor's bound."""
    pasted = fields.get("text", "")
    if uploaded is not None and pasted.strip():
        raise Refused(422, "Paste the article's text or choose its file, not both.")
    # A browser sends a text box's line ends as CR LF: line ends are kept as LF, so that a
    # text sent again from the box (after an empty draft) is the same text.
    text = (uploaded if uploaded is not None else pasted).replace("\r\n", "\n")
    if not text.strip():
        raise Refused(422, "The article's text is missing: paste it in the box, or choose a file.")
    limit = _settings(request).extract_max_chars
    if len(text) > limit:
        raise Refused(
            413,
            f"The text has {len(text):,} characters: sayso drafts texts of up to {limit:,} "
            "(setting extract_max_chars), as POST /extract does. Draft a part of it.",
        )
    return text


def _meta(fields: dict[str, str]) -> tuple[ArticleMeta, dt.date | None]:
    """What the form says of the article, as the extractor takes it, and its publication date."""
    given = {k: fields.get(k, "").strip() for k in FIELDS}
    problems = []
    outlet, outlet_name = given["outlet"] or None, given["outlet_name"] or None
    if outlet and outlet_name:
        problems.append("outlet: choose a stored outlet or name a new one, not both")
    elif outlet_name:
        outlet = slugify(outlet_name)
    published = None
    if given["published"]:
        try:
            published = dt.date.fromisoformat(given["published"])
        except ValueError:
            problems.append(f"published: '{given['published']}' is not a day (YYYY-MM-DD)")
    meta: dict[str, Any] = {
        "title": given["title"] or None,
        "outlet": outlet,
        "outlet_name": outlet_name,
        "url": given["url"] or None,
        "byline": given["byline"] or None,
        "language": given["language"] or None,
    }
    if published is not None:
        # The extractor dates "said on Monday" from the publication day; the date goes in the
        # draft only where the text prints it (app/extract/draft.py), else as reported_on.
        meta["dates"] = [
            {"kind": "published", "printed": published.isoformat(), "value": published}
        ]
    try:
        found = ArticleMeta.model_validate({k: v for k, v in meta.items() if v is not None})
    except ValidationError as exc:
        problems += [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    if problems:
        raise Refused(422, "What the form says of the article cannot be used as it is.", problems)
    return found, published


@router.post("/desk/articles")
async def draft_article(request: Request) -> Response:
    """Draft a pasted or uploaded article, write the draft as proposed data, and show its
    source's review queue (POST-redirect-GET)."""
    try:
        fields, uploaded = await _posted(request)
        who = checked_session(request, fields)
    except Refused as exc:
        return refused_page(signed_in(request), exc)
    values = {k: fields.get(k, "") for k in (*FIELDS, "text")}
    try:
        text = _text(request, fields, uploaded)
        values["text"] = text  # an uploaded file's too: the form may be sent again as it is
        meta, published = _meta(fields)
        # CPU work, in the extraction processes, within their bounds (503 past them).
        result = await extractors(request.app).draft(text, meta)
        if result.statements == 0 and not fields.get("store_empty"):
            reason = result.reason or "no attributed statements were found"
            return _form_page(request, who, values, empty=reason)
        source = {k: v for k, v in result.draft["source"].items() if k != "document"}
        if published is not None and not source.get("dates"):
            source.update(reported_on=published.isoformat(), reported_on_basis=DATE_BASIS)
        # The text goes inline, as POST /ingest takes it; what the draft does not settle is
        # proposed, for review.
        posted = orjson.dumps({**result.draft, "source": {**source, "text": text}})
        added = await in_transaction(
            request, ingest_document, who.editor, posted, ReviewStatus.proposed
        )
    except Refused as exc:
        return _form_page(request, who, values, status=exc.status, problem=exc)
    except SaysoError as exc:
        problems = [
            f"{e.get('field') or e.get('location')}: {e['message']}" for e in exc.errors or []
        ]
        refused = Refused(exc.status, exc.detail, problems)
        return _form_page(request, who, values, status=exc.status, problem=refused)
    what = f"{result.statements} statement(s) from '{added['source']}'"
    query = {"source": added["source"], "done": "drafted", "what": what}
    return RedirectResponse(f"/desk?{urlencode(query)}#queue", status_code=303)

"""The review desk: editors sign in with an API key and review what is proposed - statements,
their appearances and contradictions, oldest first or one source at a time - each shown in its
source's words; an admin may also merge a claim into another.

Every action is a plain HTML form posted with the session's CSRF token and the version of the
object it was loaded at, then redirected back (POST-redirect-GET); nothing changes on a GET.
The actions call the same write functions as the API's routes, in the same transaction
(app.curation.editing.in_transaction): the same checks, the same If-Match refusal when the
object changed since the form was loaded, the same history under the key's name."""

import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from app.actors import service as actors
from app.appearances import writes as appearance_writes
from app.appearances.schemas import AppearanceUpdate
from app.claims import service as claims
from app.claims import writes as claim_writes
from app.claims.schemas import ClaimMerge
from app.contradictions import service as contradictions
from app.contradictions import writes as contradiction_writes
from app.contradictions.schemas import ContradictionUpdate
from app.curation import changes
from app.curation.editing import in_transaction
from app.db.reads import ReadDB
from app.db.review import Review
from app.models.enums import KeyRole, ReviewStatus, Stance
from app.pages.render import render as render_page
from app.pages.router import Texts
from app.pages.sessions import (
    COOKIE,
    SIGN_IN_COOKIE,
    SignedIn,
    clear_cookie,
    end_session,
    same_token,
    set_cookie,
    signed_in,
    start_session,
)
from app.sources import service as sources
from app.statements import service as statements
from app.statements import writes as statement_writes
from app.statements.filters import StatementFilter
from app.statements.schemas import StatementUpdate
from app.web.auth import Editor, authenticate, needs
from app.web.errors import NotFound, PreconditionFailed, SaysoError, Unauthorized
from app.web.pagination import PageParams

router = APIRouter(include_in_schema=False)

# Statements a page of the queue shows.
QUEUE_PAGE = 20
# The choosers offer this many actors and claims (a datalist: any slug may be typed).
CHOICES = 2000
FORM = "application/x-www-form-urlencoded"
STALE = (
    "It changed since you loaded it: nothing was written. The queue below shows it as it is "
    "now; review it again."
)
DONE = {
    "confirm": "confirmed",
    "reject": "rejected",
    "correct": "corrected",
    "merge": "merged",
    "confirm-all": "confirmed",
}
# How many sources the queue by source lists, and how many objects one "confirm all" may name.
SOURCES = 200
CONFIRM_ALL = 500


class Refused(Exception):
    """A desk form refused before anything is written: the status and what to say."""

    def __init__(self, status: int, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems or []


def render(template: str, context: dict[str, Any], *, status: int = 200) -> Response:
    """A desk page: as every page, and kept by no cache (it is one editor's, with the CSRF
    token of their session)."""
    response = render_page(template, context, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def reads_of(request: Request) -> ReadDB:
    db: ReadDB = request.app.state.reads
    return db


async def _form(request: Request) -> dict[str, str]:
    """The posted form's fields (the first value of each); a body that is not a plain HTML
    form is refused. (The body's size is bounded by the app's BodyLimit.)"""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != FORM:
        raise Refused(415, f"The desk takes HTML forms ({FORM}), not {kind or 'this body'}.")
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def refused_page(who: SignedIn | None, exc: Refused) -> Response:
    return render(
        "desk_refused.html",
        {"status": exc.status, "message": exc.message, "problems": exc.problems, "who": who},
        status=exc.status,
    )


def checked_session(request: Request, form: dict[str, str]) -> SignedIn:
    """The session that posted FORM, once its CSRF token is the session's."""
    who = signed_in(request)
    if who is None:
        raise Refused(401, "Sign in first: this form's session has ended or never began.")
    if not same_token(form.get("csrf"), who.csrf):
        raise Refused(
            403,
            "This form does not carry this session's CSRF token: nothing was written. Reload "
            "the desk and try again.",
        )
    return who


def _version(form: dict[str, str]) -> int:
    try:
        return int(form.get("version", ""))
    except ValueError:
        raise Refused(
            422, "The form does not say which version of the object it was loaded at."
        ) from None


def _validated(model: type[BaseModel], fields: dict[str, Any]) -> dict[str, Any]:
    """FIELDS checked as the API's PATCH body is: the changes to make."""
    try:
        found = model.model_validate(fields)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise Refused(422, "The change cannot be made as it is.", problems) from exc
    made: dict[str, Any] = found.model_dump(exclude_unset=True)
    return made


def _review(action: str, reason: str) -> dict[str, Any]:
    if action == "confirm":
        return {"status": "confirmed"}
    if action == "reject":
        if not reason.strip():
            raise Refused(422, "A rejection needs a reason: say why in the box beside Reject.")
        return {"status": "rejected", "status_reason": reason.strip()}
    raise Refused(422, f"Unknown action '{action}': confirm, reject or correct.")


def _back(form: dict[str, str], done: str, what: str) -> Response:
    query = {"done": done, "what": what}
    if form.get("source"):
        query["source"] = form["source"]
    return RedirectResponse(f"/desk?{urlencode(query)}#queue", status_code=303)


# -- signing in and out -------------------------------------------------------------------------


def _sign_in_page(request: Request, status: int = 200, problem: str | None = None) -> Response:
    token = request.cookies.get(SIGN_IN_COOKIE) or _new_token()
    response = render("desk_sign_in.html", {"token": token, "problem": problem}, status=status)
    set_cookie(request, response, SIGN_IN_COOKIE, token)
    return response


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@router.get("/desk/sign-in")
async def sign_in_form(request: Request) -> Response:
    return _sign_in_page(request)


@router.post("/desk/sign-in")
async def sign_in(request: Request) -> Response:
    try:
        form = await _form(request)
    except Refused as exc:
        return refused_page(None, exc)
    if not same_token(form.get("token"), request.cookies.get(SIGN_IN_COOKIE) or "\0"):
        return _sign_in_page(
            request, 403, "The sign-in form had expired or came from elsewhere: try again."
        )
    key = form.get("key", "").strip()
    try:
        editor = await run_in_threadpool(authenticate, request.app.state.engine, f"Bearer {key}")
    except Unauthorized:
        return _sign_in_page(request, 401, "This API key is not valid: it is unknown or revoked.")
    assert editor.key_id is not None
    sid = await in_transaction(request, start_session, editor.key_id)
    response = RedirectResponse("/desk", status_code=303)
    set_cookie(request, response, COOKIE, sid)
    clear_cookie(request, response, SIGN_IN_COOKIE)
    return response


@router.post("/desk/sign-out")
async def sign_out(request: Request) -> Response:
    try:
        who = checked_session(request, await _form(request))
    except Refused as exc:
        return refused_page(signed_in(request), exc)
    await in_transaction(request, end_session, who.sid)
    response = RedirectResponse("/desk/sign-in", status_code=303)
    clear_cookie(request, response, COOKIE)
    return response


# -- the queue ----------------------------------------------------------------------------------


def _choices(db: ReadDB) -> dict[str, Any]:
    return {
        "actors": actors.list_actors(db, PageParams(CHOICES, None))["items"],
        "claims": claims.list_claims(db, PageParams(CHOICES, None))["items"],
        "stances": [str(s) for s in Stance],
    }


def _queue(
    request: Request,
    who: SignedIn,
    *,
    status: int = 200,
    problem: Refused | None = None,
    source: str | None = None,
) -> Response:
    """The queue (of one SOURCE, or of the one the address names), with PROBLEM if a form
    was refused."""
    db = reads_of(request)
    source = source or request.query_params.get("source") or None
    cursor = request.query_params.get("cursor") or None
    message = None
    done = request.query_params.get("done")
    what = request.query_params.get("what", "")
    if done == "drafted":
        message = f"Drafted {what}: review them below."
    elif done in DONE.values():
        message = f"{what}: {done}."
    by_source = request.query_params.get("by") == "source" and source is None
    wanted = StatementFilter(source=source, review=Review.proposed)
    try:
        statements.require_named(db, wanted)
        found = statements.list_statements(db, wanted, PageParams(QUEUE_PAGE, cursor))
    except SaysoError as exc:
        return refused_page(who, Refused(exc.status, exc.detail))
    more = found["next_cursor"]
    # Contradictions proposed for review themselves (those merely between drafts are reviewed
    # with their statements), on the queue's first page.
    against = (
        []
        if cursor
        else [
            c
            for c in contradictions.list_contradictions(
                db, PageParams(QUEUE_PAGE, None), review=Review.proposed
            )["items"]
            if c["status"] == "proposed"
        ]
    )
    # An admin may merge a statement's claim into another: the form carries the claim's version.
    merging = who.editor.role is KeyRole.admin
    claim_versions = (
        {
            s["claim"]["slug"]: claims.get_claim(db, s["claim"]["slug"])["version"]
            for s in found["items"]
        }
        if merging
        else {}
    )
    return render(
        "desk.html",
        {
            "who": who,
            "csrf": who.csrf,
            # A rejected statement leaves the queue, though its reports keep their own status
            # (rejecting a statement leaves them as they are, as the API does).
            "items": [s for s in found["items"] if s["status"] != "rejected"],
            "source": source,
            "next": str(request.url.include_query_params(cursor=more)) if more else None,
            "texts": Texts(db),
            "message": message,
            "problem": problem,
            "claim_versions": claim_versions,
            "contradictions": against,
            "by_source": sources.sources_under_review(db, SOURCES) if by_source else None,
            **_choices(db),
        },
        status=status,
    )


@router.get("/desk")
async def queue(request: Request) -> Response:
    who = signed_in(request)
    if who is None:
        return RedirectResponse("/desk/sign-in", status_code=303)
    return _queue(request, who)


Write = Callable[[dict[str, str], SignedIn], Awaitable[Response]]


async def _act(request: Request, write: Write) -> Response:
    """Run WRITE(form, who) for a posted desk form; its refusals, and the write's own
    (a stale version, a missing reason, a slug that names nothing), as the queue with what
    went wrong, nothing written."""
    try:
        form = await _form(request)
        who = checked_session(request, form)
    except Refused as exc:
        return refused_page(signed_in(request), exc)
    source = form.get("source") or None
    try:
        return await write(form, who)
    except Refused as exc:
        return _queue(request, who, status=exc.status, problem=exc, source=source)
    except PreconditionFailed:
        return _queue(request, who, status=412, problem=Refused(412, STALE), source=source)
    except SaysoError as exc:
        problems = [
            f"{e.get('field') or e.get('location')}: {e['message']}" for e in exc.errors or []
        ]
        refused = Refused(exc.status, exc.detail, problems)
        return _queue(request, who, status=exc.status, problem=refused, source=source)


def _statement_change(
    request: Request, form: dict[str, str], slug: str
) -> tuple[int, dict[str, Any], str]:
    """What a form asks of the statement SLUG: the version it was loaded at, the changes (as
    the API's PATCH body gives them), and what is done."""
    version = _version(form)
    action = form.get("action", "")
    fields: dict[str, Any]
    if action == "correct":
        fields = {
            k: form[k].strip() for k in ("speaker", "stance", "claim") if form.get(k, "").strip()
        }
        current = statements.get_statement(reads_of(request), slug, drafts=True)
        was = {
            "speaker": current["speaker"]["slug"],
            "stance": str(current["stance"]),
            "claim": current["claim"]["slug"],
        }
        fields = {k: v for k, v in fields.items() if v != was[k]}
        if not fields:
            raise Refused(
                422, "Nothing to correct: the speaker, stance and claim are as they were."
            )
    else:
        fields = _review(action, form.get("reason", ""))
    return version, _validated(StatementUpdate, fields), DONE[action]


@router.post("/desk/statements/{slug}")
async def review_statement(request: Request, slug: str) -> Response:
    """Confirm, reject or correct a statement, as PATCH /statements/{slug} does."""

    async def write(form: dict[str, str], who: SignedIn) -> Response:
        version, made, done = _statement_change(request, form, slug)
        await in_transaction(
            request, statement_writes.update_statement, who.editor, slug, version, made
        )
        return _back(form, done, slug)

    return await _act(request, write)


def _confirm_all(
    session: Session,
    editor: Editor,
    statement_versions: list[tuple[str, int]],
    appearance_versions: list[tuple[int, int]],
) -> None:
    """Confirm each statement and report at the version the form was loaded at, as PATCH
    does, one after the other in one transaction: a stale one and none is confirmed."""
    for slug, version in statement_versions:
        statement_writes.update_statement(
            session, editor, slug, version, {"status": ReviewStatus.confirmed}
        )
    for appearance_id, version in appearance_versions:
        appearance_writes.update_appearance(
            session, editor, appearance_id, version, {"status": ReviewStatus.confirmed}
        )


def _named_versions(form: dict[str, str]) -> tuple[list[tuple[str, int]], list[tuple[int, int]]]:
    """The statements (s:SLUG) and reports (a:ID) a confirm-all form names, with their versions."""
    named: tuple[list[tuple[str, int]], list[tuple[int, int]]] = ([], [])
    for field, value in form.items():
        kind, _, key = field.partition(":")
        if kind not in ("s", "a") or not key:
            continue
        if not value.isascii() or not value.isdigit():
            raise Refused(422, f"The form names {field} without its version.")
        if kind == "s":
            named[0].append((key, int(value)))
        elif key.isascii() and key.isdigit():
            named[1].append((int(key), int(value)))
        else:
            raise NotFound(f"No appearance {key}.")
    if not named[0] and not named[1]:
        raise Refused(422, "Nothing to confirm: the form names no statement and no report.")
    if len(named[0]) + len(named[1]) > CONFIRM_ALL:
        raise Refused(413, f"One form confirms at most {CONFIRM_ALL} statements and reports.")
    return named


@router.post("/desk/sources/{slug}/confirm")
async def confirm_source(request: Request, slug: str) -> Response:
    """Confirm at once every statement and report the queue of the source SLUG showed, each
    at its version, through the write functions of PATCH /statements and /appearances."""

    async def write(form: dict[str, str], who: SignedIn) -> Response:
        named_statements, named_reports = _named_versions(form)
        await in_transaction(request, _confirm_all, who.editor, named_statements, named_reports)
        count = len(named_statements) + len(named_reports)
        return _back(form, DONE["confirm-all"], f"{count} from {slug}")

    return await _act(request, write)


@router.post("/desk/appearances/{id}")
async def review_appearance(request: Request, id: str) -> Response:
    """Confirm or reject a report, as PATCH /appearances/{id} does."""

    async def write(form: dict[str, str], who: SignedIn) -> Response:
        if not (id.isascii() and id.isdigit()):
            raise NotFound(f"No appearance {id}.")
        action = form.get("action", "")
        made = _validated(AppearanceUpdate, _review(action, form.get("reason", "")))
        version = _version(form)
        await in_transaction(
            request, appearance_writes.update_appearance, who.editor, int(id), version, made
        )
        return _back(form, DONE[action], f"appearance {id}")

    return await _act(request, write)


@router.post("/desk/contradictions/{id}")
async def review_contradiction(request: Request, id: str) -> Response:
    """Confirm or reject a contradiction, as PATCH /contradictions/{id} does."""

    async def write(form: dict[str, str], who: SignedIn) -> Response:
        if not (id.isascii() and id.isdigit()):
            raise NotFound(f"No contradiction {id}.")
        action = form.get("action", "")
        made = _validated(ContradictionUpdate, _review(action, form.get("reason", "")))
        version = _version(form)
        await in_transaction(
            request, contradiction_writes.update_contradiction, who.editor, int(id), version, made
        )
        return _back(form, DONE[action], f"contradiction {id}")

    return await _act(request, write)


@router.post("/desk/claims/{slug}/merge")
async def merge_claim(request: Request, slug: str) -> Response:
    """Merge a claim into another (an admin's key), as POST /claims/{slug}/merge does."""

    async def write(form: dict[str, str], who: SignedIn) -> Response:
        needs(KeyRole.admin, who.editor, "merge claims")
        version = _version(form)
        into = _validated(ClaimMerge, {"into": form.get("into", "").strip()})["into"]
        await in_transaction(request, claim_writes.merge_claim, who.editor, slug, version, into)
        return _back(form, DONE["merge"], f"{slug} into {into}")

    return await _act(request, write)


@router.get("/desk/statements/{slug}")
async def statement_history(request: Request, slug: str) -> Response:
    """A statement as the desk sees it (drafts too), with its history, each change under the
    name of the key that made it."""
    who = signed_in(request)
    if who is None:
        return RedirectResponse("/desk/sign-in", status_code=303)
    db = reads_of(request)
    try:
        found = statements.get_statement(db, slug, drafts=True)
        history = changes.history(db, "statement", PageParams(500, None), slug=slug, names=True)
    except SaysoError as exc:
        return refused_page(who, Refused(exc.status, exc.detail))
    appearance_histories = {
        a["id"]: changes.history(db, "appearance", PageParams(500, None), id=a["id"], names=True)[
            "items"
        ]
        for a in found["appearances"]
    }
    return render(
        "desk_statement.html",
        {
            "who": who,
            "csrf": who.csrf,
            "statement": found,
            "history": history["items"],
            "appearance_histories": appearance_histories,
            "texts": Texts(db),
        },
    )

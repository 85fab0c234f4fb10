"""API keys: made by `sayso keys`, shown once, kept only as a SHA-256; a key's role says what it
may write. Reads are public unless the `reads_need_key` setting says otherwise; drafts and the
history are shown to a read with a key, unless the `public_drafts` and `public_history`
settings say otherwise.

Every key that is not valid (unknown, revoked, or not sent as a bearer token) gets one and the
same 401, and an unknown key and a revoked one are looked up by the same query: the answer
says nothing of which keys exist."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, bindparam, select, update
from sqlalchemy.orm import Session
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.db.reads import SQL, ReadDB
from app.db.review import Review
from app.models import ApiKey
from app.models.enums import KeyRole
from app.web.errors import Forbidden, SaysoError, Unauthorized, problem_response

PREFIX = "sayso_"


@dataclass(frozen=True)
class Editor:
    """Who is writing: the key's id and name, and its role."""

    key_id: int | None
    name: str
    role: KeyRole


# Who writes from the command line (a load): no key, the machine's own hand.
COMMAND_LINE = Editor(None, "command line", KeyRole.admin)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(session: Session, name: str, role: KeyRole) -> str:
    """A new key for NAME with ROLE; the key itself is returned once and never stored."""
    if session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise ValueError(f"a key named '{name}' exists already")
    key = PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiKey(
            name=name,
            role=role,
            key_hash=hash_key(key),
            prefix=key[: len(PREFIX) + 4],
            created_at=dt.datetime.now(dt.UTC),
        )
    )
    session.flush()
    return key


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def revoke_key(session: Session, name: str) -> bool:
    """Revoke the key named NAME; False if there is no such key still in use."""
    revoked = session.execute(
        update(ApiKey)
        .where(ApiKey.name == name, ApiKey.revoked_at.is_(None))
        .values(revoked_at=dt.datetime.now(dt.UTC))
    )
    return bool(revoked.rowcount)  # type: ignore[attr-defined]


NO_KEY = "This needs an API key: send 'Authorization: Bearer <key>'."
# The one answer to every key that is not valid, whatever is wrong with it.
BAD_KEY = (
    "This API key is not valid: it is unknown or revoked, or not sent as "
    "'Authorization: Bearer <key>'."
)


def _bearer(header: str | None) -> str:
    if not header:
        raise Unauthorized(NO_KEY)
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized(BAD_KEY)
    return key.strip()


# A key in use, by its hash: an unknown key and a revoked one both find nothing.
_IN_USE = select(ApiKey.id, ApiKey.name, ApiKey.role).where(
    ApiKey.key_hash == bindparam("key_hash"), ApiKey.revoked_at.is_(None)
)
_KEY_IN_USE = SQL(_IN_USE)


def authenticate(engine: Engine, header: str | None) -> Editor:
    """The editor an Authorization header names; Unauthorized if missing or not valid."""
    key_hash = hash_key(_bearer(header))
    with Session(engine) as session:
        found = session.execute(_IN_USE, {"key_hash": key_hash}).one_or_none()
    if found is None:
        raise Unauthorized(BAD_KEY)
    return Editor(found.id, found.name, KeyRole(found.role))


def reader(request: Request) -> Editor | None:
    """The editor behind a read's key, or None for a read without one; Unauthorized for a key
    that is not valid. (Looked up on the read connection, once per request: the ReadsNeedKey
    middleware leaves the editor it found in the request's state.)"""
    state = request.scope.get("state")
    if state is not None and "reader" in state:
        found: Editor = state["reader"]
        return found
    header = request.headers.get("authorization")
    if header is None:
        return None
    return _reader(request.app.state.reads, header)


def _reader(reads: ReadDB, header: str) -> Editor:
    found = reads.one(_KEY_IN_USE, {"key_hash": hash_key(_bearer(header))})
    if found is None:
        raise Unauthorized(BAD_KEY)
    return Editor(found["id"], found["name"], KeyRole(found["role"]))


def sees_drafts(request: Request) -> bool:
    """Whether a read shows drafts (what is proposed or rejected in review): to every reader
    when the `public_drafts` setting says so, else to a read with a key. A read without an
    Authorization header is answered without a query."""
    if request.app.state.settings.public_drafts:
        return True
    return reader(request) is not None


def needs_drafts(request: Request, asked: str) -> None:
    """Unauthorized unless the read may show drafts, for a read that ASKED for them."""
    if not sees_drafts(request):
        raise Unauthorized(
            f"{asked} shows what is proposed or rejected in review, which needs an API key "
            "(an editor's or an admin's): send 'Authorization: Bearer <key>'."
        )


def review_allowed(request: Request, review: Review) -> Review:
    """REVIEW, once the reader may see what it asks for: other than confirmed, it shows drafts,
    which need a key (or the public_drafts setting); Unauthorized otherwise."""
    if review is not Review.confirmed:
        needs_drafts(request, f"review={review.value}")
    return review


def history_names(request: Request) -> bool:
    """Whether a read of the history may be answered, and with the names of the keys that
    made the changes: True with a key; False (their roles only) without one when the
    `public_history` setting says so; else Unauthorized."""
    if reader(request) is not None:
        return True
    if request.app.state.settings.public_history:
        return False
    raise Unauthorized(
        "The history needs an API key (an editor's or an admin's): send "
        "'Authorization: Bearer <key>'."
    )


def needs(role: KeyRole, editor: Editor, doing: str) -> None:
    """Forbidden unless EDITOR's role may do what ROLE may."""
    if role is KeyRole.admin and editor.role is not KeyRole.admin:
        raise Forbidden(f"Only an admin key may {doing}; '{editor.name}' is an {editor.role} key.")


# Declares the scheme in the OpenAPI document; the key is checked by `editor` below.
bearer = HTTPBearer(auto_error=False, description="An API key from `sayso keys create`.")


def editor(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Editor:
    """FastAPI dependency: the editor behind the request's key (any role may write)."""
    return authenticate(request.app.state.engine, request.headers.get("authorization"))


def admin(who: Annotated[Editor, Depends(editor)]) -> Editor:
    """FastAPI dependency: an editor whose key is an admin's."""
    needs(KeyRole.admin, who, "delete, restore, merge or purge")
    return who


class ReadsNeedKey:
    """ASGI middleware, on when the `reads_need_key` setting is: every request needs a key
    (the documentation pages, the files pages load, /health and /ready, /metrics, which has its
    own token, and the review desk, whose sessions begin with a key, excepted)."""

    OPEN = (
        "/docs",
        "/redoc",
        "/openapi.json",
        "/health",
        "/ready",
        "/metrics",
        "/static/",
        "/desk",
    )

    def __init__(self, app: ASGIApp, reads: ReadDB) -> None:
        self.app = app
        self.reads = reads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.OPEN):
            await self.app(scope, receive, send)
            return
        header = Headers(scope=scope).get("authorization")
        try:
            editor = _reader(self.reads, header or "")
        except SaysoError as exc:
            await problem_response(exc, scope["path"])(scope, receive, send)
            return
        # The reads that show drafts or the history ask who reads: the answer is found already.
        scope.setdefault("state", {})["reader"] = editor
        await self.app(scope, receive, send)

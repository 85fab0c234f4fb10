"""API keys: made by `sayso keys`, shown once, kept only as a SHA-256; a key's role says what it
may write. Reads are public unless the `reads_need_key` setting says otherwise."""

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


def _bearer(header: str | None) -> str:
    if not header:
        raise Unauthorized("This needs an API key: send 'Authorization: Bearer <key>'.")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized("The Authorization header must be 'Bearer <key>'.")
    return key.strip()


def authenticate(engine: Engine, header: str | None) -> Editor:
    """The editor an Authorization header names; Unauthorized if missing, unknown or revoked."""
    key_hash = hash_key(_bearer(header))
    with Session(engine) as session:
        found = session.execute(
            select(ApiKey.id, ApiKey.name, ApiKey.role, ApiKey.revoked_at).where(
                ApiKey.key_hash == key_hash
            )
        ).one_or_none()
    if found is None:
        raise Unauthorized("This API key is not known.")
    if found.revoked_at is not None:
        raise Unauthorized("This API key was revoked.")
    return Editor(found.id, found.name, KeyRole(found.role))


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
    needs(KeyRole.admin, who, "delete, restore or merge")
    return who


_KNOWN_KEY = SQL(
    select(ApiKey.id).where(ApiKey.key_hash == bindparam("key_hash"), ApiKey.revoked_at.is_(None))
)


class ReadsNeedKey:
    """ASGI middleware, on when the `reads_need_key` setting is: every request needs a key
    (the documentation pages, the files pages load, and /health excepted)."""

    OPEN = ("/docs", "/redoc", "/openapi.json", "/health", "/static/")

    def __init__(self, app: ASGIApp, reads: ReadDB) -> None:
        self.app = app
        self.reads = reads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.OPEN):
            await self.app(scope, receive, send)
            return
        header = Headers(scope=scope).get("authorization")
        try:
            key_hash = hash_key(_bearer(header))
            if self.reads.one(_KNOWN_KEY, {"key_hash": key_hash}) is None:
                raise Unauthorized("This API key is not known, or was revoked.")
        except SaysoError as exc:
            await problem_response(exc, scope["path"])(scope, receive, send)
            return
        await self.app(scope, receive, send)

"""The review desk's sessions: signing in with an API key gives a random session id, sent back
as a cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) and mapped, on the server, to the
key's id and a CSRF token that every form of the session carries.

The sessions are kept in the database (the desk_sessions table; only the id's SHA-256, as for
keys): a session survives a restart and is known to every worker. The key behind a session is
looked up with it on every request, so a key revoked with `sayso keys revoke` stops its
sessions at once."""

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.db.reads import SQL, ReadDB
from app.models import ApiKey, DeskSession
from app.models.enums import KeyRole
from app.web.auth import Editor

COOKIE = "sayso_desk"
# The sign-in form's own token, before there is a session (a form posted from elsewhere cannot
# sign a browser in under another key).
SIGN_IN_COOKIE = "sayso_desk_sign_in"
PATH = "/desk"
# A session ends this long after sign-in, used or not.
LIFETIME = dt.timedelta(hours=12)


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def start_session(session: Session, key_id: int) -> str:
    """A new session for the key KEY_ID: the id its cookie carries (run in the request's
    transaction: app.curation.editing.in_transaction)."""
    sid = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    # Sessions past their lifetime go when a new one begins.
    session.execute(delete(DeskSession).where(DeskSession.started_at < now - LIFETIME))
    session.add(
        DeskSession(
            id_hash=_hash(sid), key_id=key_id, csrf=secrets.token_urlsafe(32), started_at=now
        )
    )
    return sid


def end_session(session: Session, sid: str) -> None:
    session.execute(delete(DeskSession).where(DeskSession.id_hash == _hash(sid)))


# A session and its key, if the key is still in use.
_SESSION = SQL(
    select(DeskSession.csrf, DeskSession.started_at, ApiKey.id, ApiKey.name, ApiKey.role)
    .join(ApiKey, ApiKey.id == DeskSession.key_id)
    .where(DeskSession.id_hash == bindparam("id_hash"), ApiKey.revoked_at.is_(None))
)


def _instant(value: object) -> dt.datetime:
    # SQLite's reads hand a datetime back as its text, psycopg as a datetime.
    found = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return found.replace(tzinfo=dt.UTC) if found.tzinfo is None else found


@dataclass(frozen=True)
class SignedIn:
    sid: str
    csrf: str
    editor: Editor


def signed_in(request: Request) -> SignedIn | None:
    """The request's session and the editor behind it, if its cookie names a session that has
    not ended and whose key is still in use."""
    sid = request.cookies.get(COOKIE)
    if not sid:
        return None
    db: ReadDB = request.app.state.reads
    found = db.one(_SESSION, {"id_hash": _hash(sid)})
    if found is None or dt.datetime.now(dt.UTC) - _instant(found["started_at"]) > LIFETIME:
        return None
    editor = Editor(found["id"], found["name"], KeyRole(found["role"]))
    return SignedIn(sid, found["csrf"], editor)


def same_token(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def set_cookie(request: Request, response: Response, name: str, value: str) -> None:
    """A cookie for the desk's pages only, out of reach of script and of other sites' forms."""
    response.set_cookie(
        name,
        value,
        path=PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def clear_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name, path=PATH, httponly=True, samesite="strict", secure=request.url.scheme == "https"
    )

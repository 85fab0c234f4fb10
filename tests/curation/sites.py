"""Fixtures for the editing API: a fresh seeded database per test (writes change it), served by
a real uvicorn server, and one API key of each kind."""

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from conftest import serving
from seed_facts import SEED_ANNOTATIONS

from app.config import Settings
from app.db.engine import make_engine, session_scope
from app.ingest.loader import load
from app.main import create_app
from app.models.enums import KeyRole
from app.web.auth import create_key, revoke_key


@dataclass
class Site:
    """A served database and a client for each kind of caller."""

    url: str
    db_url: str
    admin: httpx.Client
    editor: httpx.Client
    revoked: httpx.Client
    anonymous: httpx.Client


def seed(db_url: str) -> dict[str, str]:
    """Load the seed into DB_URL and make keys: {role name: key}."""
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            load(session, [SEED_ANNOTATIONS])
            keys = {
                "admin": create_key(session, "the admin", KeyRole.admin),
                "editor": create_key(session, "an editor", KeyRole.editor),
                "revoked": create_key(session, "a former editor", KeyRole.editor),
            }
            revoke_key(session, "a former editor")
    finally:
        engine.dispose()
    return keys


@pytest.fixture
def site(db_url: str) -> Iterator[Site]:
    keys = seed(db_url)
    with serving(create_app(Settings(database_url=db_url))) as url:
        clients = {
            role: httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=30)
            for role, key in keys.items()
        }
        anonymous = httpx.Client(base_url=url, timeout=30)
        try:
            yield Site(url, db_url, anonymous=anonymous, **clients)
        finally:
            for client in [*clients.values(), anonymous]:
                client.close()


def etag(client: httpx.Client, path: str) -> str:
    """The current ETag of the object at PATH."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.headers["etag"]

"""Fixtures for the editing API: a fresh seeded database per test (writes change it), with one
API key of each kind, and the app run in this process (`site`), or served by a real uvicorn
server (`served_site`) for the tests whose subject is the server: many clients at once, a body
refused as it arrives over a socket."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from conftest import Databases, in_process, serving
from db_copies import add_keys

from app.config import Settings
from app.main import create_app


@dataclass
class Site:
    """A served database and a client for each kind of caller."""

    url: str
    db_url: str
    admin: httpx.Client
    editor: httpx.Client
    revoked: httpx.Client
    anonymous: httpx.Client


@contextmanager
def keyed_database(databases: Databases) -> Iterator[tuple[str, dict[str, str]]]:
    """A fresh database with the seed and the keys (a copy of a template made once per backend),
    and its keys."""
    template, keys = databases.template("keyed", add_keys, like=databases.seeded_template())
    db_url = databases.fresh(template)
    try:
        yield db_url, keys
    finally:
        databases.drop(db_url)


@pytest.fixture
def keyed_db(databases: Databases) -> Iterator[tuple[str, dict[str, str]]]:
    with keyed_database(databases) as (db_url, keys):
        yield db_url, keys


@contextmanager
def site_with(databases: Databases, **settings: Any) -> Iterator[Site]:
    """A fresh keyed database served in this process, with SETTINGS besides its URL."""
    with keyed_database(databases) as (db_url, keys):
        app = create_app(Settings(database_url=db_url, **settings))
        with in_process(app) as client:
            clients = {role: client(Authorization=f"Bearer {key}") for role, key in keys.items()}
            yield Site(str(clients["admin"].base_url), db_url, anonymous=client(), **clients)


@pytest.fixture
def site(databases: Databases) -> Iterator[Site]:
    with site_with(databases) as served:
        yield served


@pytest.fixture
def served_site(databases: Databases) -> Iterator[Site]:
    with (
        keyed_database(databases) as (db_url, keys),
        serving(create_app(Settings(database_url=db_url))) as url,
    ):
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


def changed(change: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """A history entry's fields: name -> (before, after)."""
    return {f["field"]: (f["before"], f["after"]) for f in change["fields"]}


def api_changes(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries of a history written through the API (not the seed's load)."""
    return [c for c in history if c["who"] != "sayso load"]

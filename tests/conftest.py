"""Test fixtures: every database test runs twice, on SQLite and on a real PostgreSQL server.

The schema always comes from `alembic upgrade head`. Per backend, template databases are made
once (migrated; migrated and seeded) and each test that writes gets a copy of one (db_copies.py).
The read-only API tests share one seeded database served by a real uvicorn server on a loopback
port; a test that needs an app of its own runs it in this process (`in_process`) unless the real
server is what it tests (`serving`).
"""

import os
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
import pytest
import uvicorn
from alembic import command
from alembic.config import Config
from db_copies import Databases
from pg_server import PgServer, pg_unavailable_reason
from sqlalchemy import Engine
from starlette.testclient import TestClient
from starlette.types import ASGIApp
from typer.testing import CliRunner

from app.cli import alembic_config, cli
from app.config import PROJECT_ROOT, Settings, get_settings
from app.db.engine import make_engine
from app.main import create_app

BACKENDS = ("sqlite", "postgresql")


@cache
def openapi_document() -> dict[str, Any]:
    """The API's OpenAPI document, made once (it takes a second): read it, do not change it."""
    document: dict[str, Any] = create_app().openapi()
    return document


def migration_config(url: str) -> Config:
    """An Alembic config that migrates the database at URL."""
    config = alembic_config()
    config.attributes["url"] = url
    config.attributes["configure_logger"] = False
    return config


def pytest_configure(config: pytest.Config) -> None:
    from backend_summary import Summary

    config.pluginmanager.register(Summary(BACKENDS), "backend_summary")
    if config.pluginmanager.hasplugin("xdist"):
        from backend_groups import Plugin

        config.pluginmanager.register(Plugin(), "backend_groups")


@pytest.fixture(scope="session", autouse=True)
def bytecode_for_child_processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Where PYTHONDONTWRITEBYTECODE is set, each new interpreter the tests start (`sayso serve`
    and its workers, the loader's check workers) compiles every module it imports from source
    again: a second or more of CPU each. Give them a cache of their own, outside the working tree
    (PYTHONPYCACHEPREFIX, shared by xdist's workers). What they run is the same."""
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        yield
        return
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's, above each worker's own
    cache = root / "pycache"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PYTHONDONTWRITEBYTECODE")
        patch.setenv("PYTHONPYCACHEPREFIX", str(cache))
        try:
            cache.mkdir()
        except FileExistsError:  # another worker fills it
            yield
            return
        # Filled at once, beside the first tests: the loader's check workers only read it
        # (multiprocessing starts them with this interpreter's -B).
        modules = "app.cli, app.main, app.web.server, app.ingest.check, uvicorn"
        warm = subprocess.Popen(
            [sys.executable, "-c", f"import {modules}"],
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        yield
        warm.wait()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL server; mandatory under CI, skipped with the reason elsewhere."""
    reason = pg_unavailable_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: {reason}")
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    server = PgServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def databases(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Databases]:
    workdir = tmp_path_factory.mktemp(backend)
    pg: PgServer | None = None
    if backend == "postgresql":
        pg = request.getfixturevalue("pg_server")
        url = pg.create_database("sayso_template")
    else:
        url = f"sqlite:///{workdir / 'template.db'}"
    command.upgrade(migration_config(url), "head")
    made = Databases(backend, url, workdir, pg)
    yield made
    made.close()


@pytest.fixture
def db_url(databases: Databases) -> Iterator[str]:
    """A fresh migrated database of the current backend, for a test that writes."""
    url = databases.fresh()
    yield url
    databases.drop(url)


@pytest.fixture
def seeded_db_url(databases: Databases) -> Iterator[str]:
    """A fresh database of the current backend holding the seed, for a test that writes."""
    url = databases.seeded()
    yield url
    databases.drop(url)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_url(databases: Databases) -> str:
    """One database per backend with the seed data loaded, shared by read-only tests."""
    return databases.seeded()


@pytest.fixture(scope="session")
def seeded_engine(seeded_url: str) -> Iterator[Engine]:
    engine = make_engine(seeded_url)
    yield engine
    engine.dispose()


@dataclass
class Ran:
    """What a command did: its exit status and its output."""

    returncode: int
    stdout: str
    stderr: str


def sayso(db_url: str, *args: str) -> Ran:
    """The `sayso` command with ARGS on the database at DB_URL, run in this process by typer's
    runner (its output captured): the command a user runs, without a new interpreter's start
    (seconds each). test_cli.py runs it as a process of its own, end to end."""
    get_settings.cache_clear()  # the settings are read from the environment once
    try:
        result = CliRunner().invoke(
            cli, list(args), env={"SAYSO_DATABASE_URL": db_url}, prog_name="sayso"
        )
    finally:
        get_settings.cache_clear()
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # What the interpreter would print on the way out.
        stderr += "".join(traceback.format_exception(result.exception))
    return Ran(result.exit_code, result.stdout, stderr)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(app: ASGIApp) -> Iterator[str]:
    """APP served by a real uvicorn server on a loopback port, for as long as the block runs."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def in_process(app: ASGIApp, **headers: str) -> Iterator[Callable[..., httpx.Client]]:
    """APP run in this process, started and stopped as a server does (its lifespan), for as long
    as the block runs; the block gets a maker of clients for it, each with HEADERS and its own.
    No socket, no server thread: a test of what the app answers needs neither."""
    # Redirects are answers to check, as httpx's own client leaves them.
    with TestClient(app, headers=headers, follow_redirects=False) as first:
        made: list[TestClient] = []

        def client(**more: str) -> httpx.Client:
            other = TestClient(app, headers={**headers, **more}, follow_redirects=False)
            # The running app's event loop, where its lifespan opened the database.
            other.portal = first.portal
            made.append(other)
            return other

        try:
            yield client
        finally:
            for other in made:
                other.close()


@pytest.fixture(scope="session")
def server_url(seeded_url: str) -> Iterator[str]:
    """A real uvicorn server on a loopback port, serving the seeded database."""
    with serving(create_app(Settings(database_url=seeded_url))) as url:
        yield url


@pytest.fixture(scope="session")
def http(server_url: str) -> Iterator[httpx.Client]:
    """An HTTP client talking to the test server over the loopback network."""
    with httpx.Client(base_url=server_url, timeout=30) as client:
        yield client

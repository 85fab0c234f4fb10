"""Test fixtures: every database test runs twice, on SQLite and on a real PostgreSQL server.

The schema always comes from `alembic upgrade head`. A migrated template is made once per
backend and copied for each test that writes; the read-only API tests share one seeded database
served by a real uvicorn server on a loopback port.
"""

import itertools
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from alembic import command
from alembic.config import Config
from pg_server import PgServer, pg_unavailable_reason
from seed_facts import SEED_ANNOTATIONS
from sqlalchemy import Engine
from starlette.types import ASGIApp

from app.cli import alembic_config
from app.config import PROJECT_ROOT, Settings
from app.db.engine import make_engine, session_scope
from app.ingest.loader import load
from app.main import create_app

BACKENDS = ("sqlite", "postgresql")
_counter = itertools.count()


def migration_config(url: str) -> Config:
    """An Alembic config that migrates the database at URL."""
    config = alembic_config()
    config.attributes["url"] = url
    config.attributes["configure_logger"] = False
    return config


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


@dataclass
class Databases:
    """Makes fresh, migrated databases of one backend."""

    backend: str
    template: str
    workdir: Path
    pg: PgServer | None = None

    def fresh(self) -> str:
        """The URL of a new database with the schema at head and no rows."""
        name = f"sayso_{next(_counter)}"
        if self.pg is not None:
            return self.pg.create_database(name, template=self.template)
        path = self.workdir / f"{name}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def databases(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Databases:
    workdir = tmp_path_factory.mktemp(backend)
    if backend == "postgresql":
        pg: PgServer = request.getfixturevalue("pg_server")
        url = pg.create_database("sayso_template")
        command.upgrade(migration_config(url), "head")
        return Databases(backend, "sayso_template", workdir, pg)
    template = workdir / "template.db"
    command.upgrade(migration_config(f"sqlite:///{template}"), "head")
    return Databases(backend, str(template), workdir)


@pytest.fixture
def db_url(databases: Databases) -> str:
    """A fresh migrated database of the current backend, for a test that writes."""
    return databases.fresh()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_url(databases: Databases) -> str:
    """One database per backend with the seed data loaded, shared by read-only tests."""
    url = databases.fresh()
    engine = make_engine(url)
    with session_scope(engine) as session:
        load(session, [SEED_ANNOTATIONS])
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def seeded_engine(seeded_url: str) -> Iterator[Engine]:
    engine = make_engine(seeded_url)
    yield engine
    engine.dispose()


def sayso(db_url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The `sayso` command with ARGS on the database at DB_URL, run as a user runs it (its
    output captured)."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env={**os.environ, "SAYSO_DATABASE_URL": db_url},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


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

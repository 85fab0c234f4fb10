"""Fresh databases for the tests, each a copy of a template: an SQLite file copied, or on
PostgreSQL `CREATE DATABASE ... TEMPLATE`. A copy costs a fraction of a migration or of a load of
the seed, so templates are made once per backend and copied for each test that writes."""

import itertools
import shutil
import sqlite3
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pg_server import PgServer
from seed_facts import SEED_ANNOTATIONS
from sqlalchemy import make_url

from app.db.engine import make_engine, session_scope
from app.ingest.loader import load
from app.models.enums import KeyRole
from app.web.auth import create_key, revoke_key

T = TypeVar("T")
AHEAD = 2  # copies of each PostgreSQL template in hand
_counter = itertools.count()


def load_seed(url: str) -> None:
    """Load the seed annotations into the database at URL."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            load(session, [SEED_ANNOTATIONS])
    finally:
        engine.dispose()


def add_keys(db_url: str) -> dict[str, str]:
    """Make keys in DB_URL, one of each kind and one revoked: {role name: key}."""
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            keys = {
                "admin": create_key(session, "the admin", KeyRole.admin),
                "editor": create_key(session, "an editor", KeyRole.editor),
                "revoked": create_key(session, "a former editor", KeyRole.editor),
            }
            revoke_key(session, "a former editor")
    finally:
        engine.dispose()
    return keys


def seed_with_keys(db_url: str) -> dict[str, str]:
    """Load the seed into DB_URL and make its keys (add_keys)."""
    load_seed(db_url)
    return add_keys(db_url)


@dataclass
class Databases:
    """Makes fresh databases of one backend, each a copy of a template."""

    backend: str
    empty: str  # the URL of a template with the schema at head and no rows
    workdir: Path
    pg: PgServer | None = None
    _templates: dict[str, tuple[str, Any]] = field(default_factory=dict)
    # PostgreSQL takes a fifth of a second or more to copy a database and a tenth to drop one,
    # longer than many tests run: threads keep two copies of each template in hand, and drop the
    # used ones, while the tests run.
    _ahead: dict[str, deque[Future[str]]] = field(default_factory=lambda: defaultdict(deque))
    _copier: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(2))
    _dropper: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1))

    def fresh(self, like: str | None = None) -> str:
        """The URL of a new database: a copy of the one at LIKE, else of an empty one with the
        schema at head. Nothing may be connected to LIKE (PostgreSQL copies idle ones only)."""
        source = make_url(like or self.empty).database
        assert source is not None
        if self.pg is None:
            path = self.workdir / f"sayso_{next(_counter)}.db"
            shutil.copyfile(source, path)
            return f"sqlite:///{path}"
        ahead = self._ahead[source]
        while len(ahead) < AHEAD + 1:
            ahead.append(self._copier.submit(self._copy, source))
        return ahead.popleft().result()

    def _copy(self, template: str) -> str:
        assert self.pg is not None
        return self.pg.create_database(f"sayso_{next(_counter)}", template=template)

    def drop(self, url: str) -> None:
        """Remove a database made by fresh(), soon (a PostgreSQL database takes ~8 MB of disk,
        and a session makes hundreds)."""
        if self.pg is not None:
            name = make_url(url).database
            assert name is not None
            self._dropper.submit(self.pg.drop_database, name)

    def close(self) -> None:
        """Wait for the work in hand to end (the server stops after)."""
        self._copier.shutdown()
        self._dropper.shutdown()

    def template(
        self, name: str, make: Callable[[str], T], like: str | None = None
    ) -> tuple[str, T]:
        """Template NAME, made on first use: a copy of LIKE (as in fresh()) that MAKE fills in,
        given its URL. Its URL, and what MAKE returned. MAKE must leave no connection open."""
        if name not in self._templates:
            url = self.fresh(like)
            made = make(url)
            if self.pg is None:
                # Whatever is still in the WAL written back into the file: a copy of the file
                # is then the whole database.
                with closing(sqlite3.connect(make_url(url).database or "")) as conn:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._templates[name] = (url, made)
        url, made = self._templates[name]
        return url, made

    def seeded_template(self) -> str:
        """The URL of a template holding the seed data."""
        return self.template("seeded", load_seed)[0]

    def seeded(self) -> str:
        """The URL of a new database holding the seed data."""
        return self.fresh(self.seeded_template())

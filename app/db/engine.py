"""The SQLAlchemy engine and sessions, for writes and migrations (reads: app/db/reads.py)."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, cast

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session

# How long a connection waits for another's lock before it gives up (ms).
SQLITE_BUSY_TIMEOUT_MS = 5000


def make_engine(url: str) -> Engine:
    """An engine for URL, with SQLite set up to enforce foreign keys and allow concurrent reads."""
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets readers run while a load writes; NORMAL sync is safe under WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()
    # SQLAlchemy opens transactions itself (below), not the driver.
    dbapi_connection.isolation_level = None


def _sqlite_begin(conn: Connection) -> None:
    # Take the write lock when the transaction starts: a transaction that read first and wrote
    # later would fail outright if another writer committed in between (SQLite cannot move its
    # snapshot), where waiting for the lock at BEGIN just queues writers behind each other.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed once at the end, or rolled back on any error."""
    with Session(engine) as session, session.begin():
        yield session


@contextmanager
def load_session(engine: Engine) -> Iterator[Session]:
    """A session for a bulk load, committed once at the end or rolled back (as session_scope).

    On SQLite, when no other connection has the file open, the load writes the database file
    itself, with a rollback journal, instead of into the WAL: the WAL's pages are all copied
    into the file again when the commit checkpoints it, twice the writes (2.2 GB at a million
    statements: that load took 110 s instead of 137 s here, bench/README.md). The file is back
    in WAL mode after, committed or not. The cost: a connection opened during such a load
    cannot read beside it, as it can beside a load made while it had the file open; it waits
    up to the busy timeout (then the API answers 503: app/web/errors.py).
    The session's info["rollback_journal"] says which way it writes.
    """
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        sqlite = cast(sqlite3.Connection, raw) if engine.dialect.name == "sqlite" else None
        alone = sqlite is not None and _rollback_journal(sqlite)
        try:
            session = Session(bind=conn, info={"rollback_journal": alone})
            with session, session.begin():
                yield session
        finally:
            if sqlite is not None and alone:
                _back_to_wal(sqlite)


def _rollback_journal(raw: sqlite3.Connection) -> bool:
    """Switch RAW (outside a transaction) from WAL to a rollback journal, if no other
    connection has the file open; whether it did. Leaving WAL takes the file's exclusive lock:
    a connection that has it open makes that fail at once (it is not waited for)."""
    raw.execute("PRAGMA busy_timeout=0")
    try:
        mode = raw.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError:  # database is locked: not alone
        return False
    finally:
        raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    if mode != "delete":
        return False
    # Without the WAL, NORMAL could leave a power cut at the wrong time a corrupt file.
    raw.execute("PRAGMA synchronous=FULL")
    return True


def _back_to_wal(raw: sqlite3.Connection) -> None:
    """RAW back in WAL mode, as every connection sets it (_sqlite_on_connect). If a reader
    holds the file past the busy timeout, the next connection opened sets it instead."""
    with suppress(sqlite3.OperationalError):
        raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")

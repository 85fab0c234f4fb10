"""The SQLAlchemy engine and sessions, for writes and migrations (reads: app/reads.py)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session


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
    cursor.execute("PRAGMA busy_timeout=5000")
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

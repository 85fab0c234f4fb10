"""The SQLAlchemy engine and sessions, for writes and migrations (reads: app/db/reads.py)."""

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, Literal, cast

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy import exc as sqlalchemy_exc
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

# How long a connection waits for another's lock before it gives up (ms), unless told.
SQLITE_BUSY_TIMEOUT_MS = 5000
# How an SQLite commit reaches the disk (docs/durability.md): FULL syncs the WAL at each commit,
# NORMAL only at checkpoints (the last commits may be lost to a power cut, never the file).
Synchronous = Literal["full", "normal"]


def make_engine(
    url: str,
    *,
    lock_wait: float | None = None,
    synchronous: Synchronous = "full",
    pool_size: int | None = None,
    pool_timeout: float | None = None,
    idle_in_transaction_timeout: float = 0,
) -> Engine:
    """An engine for URL, with SQLite set up to enforce foreign keys and allow concurrent reads.

    LOCK_WAIT: the seconds a statement waits for a lock another transaction holds (a load's,
    another write's) before it fails: the API's writes are bounded so (app/web/errors.py answers
    503). Unset, SQLite waits 5 s and PostgreSQL as long as it takes (a load waits for the
    writes before it). SYNCHRONOUS: how SQLite commits reach the disk.

    A server's engine (app/main.py) also bounds its pool: at most POOL_SIZE connections, and a
    write that finds them all in use waits POOL_TIMEOUT seconds for one, then fails (a 503:
    out_of_connections); on PostgreSQL a session left idle inside a transaction for
    IDLE_IN_TRANSACTION_TIMEOUT seconds (0: never) is ended by the server. The command line's
    engines keep SQLAlchemy's pool and no such timeout: a load works in Python for minutes
    between the statements of its one transaction.
    """
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if pool_size is not None and parsed.database not in (None, "", ":memory:"):
        # Every connection counts (no overflow beyond the pool); an in-memory SQLite database
        # has a pool of one connection per thread, which takes none of this.
        kwargs.update(pool_size=pool_size, max_overflow=0)
        if pool_timeout is not None:
            kwargs["pool_timeout"] = pool_timeout
    if parsed.get_backend_name() == "sqlite":
        wait_ms = SQLITE_BUSY_TIMEOUT_MS if lock_wait is None else _ms(lock_wait)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect(wait_ms, synchronous))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs["pool_pre_ping"] = True
    # Set when the connection opens, for the whole session: each lock wait is bounded.
    settings = [] if lock_wait is None else [f"lock_timeout={_ms(lock_wait)}"]
    options = pg_options(url, idle_in_transaction_timeout, *settings)
    if options:
        kwargs["connect_args"] = {"options": options}
    return create_engine(url, **kwargs)


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))  # 0 would mean "no bound" to PostgreSQL


def pg_options(url: str, idle_in_transaction_timeout: float = 0, *settings: str) -> str:
    """The libpq `options` of a server's PostgreSQL connection to URL: those the URL gives, the
    server-side timeout of a session idle in a transaction (seconds; 0: none), and SETTINGS
    (`name=value` each)."""
    given = make_url(url).query.get("options", "")
    # No JIT compilation: sayso's queries are short and LIMITed, but correlated subqueries give
    # some plans costs far above jit_above_cost, and compiling them took ~165 ms a search at
    # 10M statements, for a query that runs in 2-60 ms (bench/RESULTS.md, "Runs made once").
    # Before what the URL gives, which may turn it on again.
    parts = ["-c jit=off"]
    parts += [given] if isinstance(given, str) and given else []
    if idle_in_transaction_timeout:
        parts.append(f"-c idle_in_transaction_session_timeout={_ms(idle_in_transaction_timeout)}")
    parts += [f"-c {setting}" for setting in settings]
    return " ".join(parts)


class OutOfConnections(Exception):
    """The database gave no connection: the server's (or its role's, or the database's) were
    all taken, or the server is starting or stopping. Answered 503 (app/web/errors.py)."""


# What PostgreSQL says when it refuses a connection for want of slots: libpq gives a refused
# connection's message, not its SQLSTATE (53300; 57P03 for a server starting or stopping).
_REFUSALS = (
    "too many clients",
    "too many connections",
    "remaining connection slots are reserved",
    "the database system is starting up",
    "the database system is shutting down",
)


def out_of_connections(exc: BaseException) -> bool:
    """Whether EXC says that no database connection was to be had: the pool's wait timed out,
    the server refused one for want of slots, or OutOfConnections."""
    if isinstance(exc, OutOfConnections | sqlalchemy_exc.TimeoutError):
        return True
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    if getattr(cause, "sqlstate", None) in ("53300", "57P03"):
        return True
    module = type(cause).__module__
    return module.startswith("psycopg") and any(text in str(cause) for text in _REFUSALS)


def _sqlite_on_connect(wait_ms: int, synchronous: Synchronous) -> Callable[[Any, Any], None]:
    """What each new SQLite connection is set up with, before it is used."""

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={wait_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL lets readers run while a load writes. First of all, the file is put back in WAL
        # mode if a load writing it directly (load_session) was killed and left it in rollback
        # mode (after SQLite rolls back what that load had written: the hot journal).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous.upper()}")
        cursor.close()
        # SQLAlchemy opens transactions itself (below), not the driver.
        dbapi_connection.isolation_level = None

    return on_connect


def _sqlite_begin(conn: Connection) -> None:
    # Take the write lock when the transaction starts: a transaction that read first and wrote
    # later would fail outright if another writer committed in between (SQLite cannot move its
    # snapshot), where waiting for the lock at BEGIN just queues writers behind each other.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def restore_wal(raw: sqlite3.Connection) -> None:
    """Put the file RAW has open back in WAL mode, if a load writing it directly was killed and
    left it in rollback mode, without waiting: a load that holds the file now (then RAW reads
    it in rollback mode, as before) sets WAL back itself when it ends."""
    if raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    wait_ms = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute("PRAGMA busy_timeout=0")
    try:
        with suppress(sqlite3.OperationalError):  # locked: a load writes the file directly
            raw.execute("PRAGMA journal_mode=WAL")
    finally:
        raw.execute(f"PRAGMA busy_timeout={wait_ms}")


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
    in WAL mode after, committed or not; if the load is killed, it is in rollback mode until a
    connection of sayso's opens it: each puts it back in WAL mode before anything else
    (make_engine, and the reads: app/db/reads.py). The cost: a connection opened during such a
    load cannot read beside it, as it can beside a load made while it had the file open; it
    waits up to the busy timeout (then the API answers 503: app/web/errors.py).
    The session's info["rollback_journal"] says which way it writes.
    """
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        sqlite = cast(sqlite3.Connection, raw) if engine.dialect.name == "sqlite" else None
        synchronous = sqlite.execute("PRAGMA synchronous").fetchone()[0] if sqlite else 0
        alone = sqlite is not None and _rollback_journal(sqlite)
        try:
            session = Session(bind=conn, info={"rollback_journal": alone})
            with session, session.begin():
                yield session
        finally:
            if sqlite is not None and alone:
                _back_to_wal(sqlite, synchronous)


def _rollback_journal(raw: sqlite3.Connection) -> bool:
    """Switch RAW (outside a transaction) from WAL to a rollback journal, if no other
    connection has the file open; whether it did. Leaving WAL takes the file's exclusive lock:
    a connection that has it open makes that fail at once (it is not waited for)."""
    wait_ms = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute("PRAGMA busy_timeout=0")
    try:
        mode = raw.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError:  # database is locked: not alone
        return False
    finally:
        raw.execute(f"PRAGMA busy_timeout={wait_ms}")
    if mode != "delete":
        return False
    # Without the WAL, NORMAL could leave a power cut at the wrong time a corrupt file.
    raw.execute("PRAGMA synchronous=FULL")
    return True


def _back_to_wal(raw: sqlite3.Connection, synchronous: int) -> None:
    """RAW back in WAL mode, and its commits synced as before. If a reader holds the file past
    the busy timeout, the next connection opened sets it instead."""
    with suppress(sqlite3.OperationalError):
        raw.execute("PRAGMA journal_mode=WAL")
    raw.execute(f"PRAGMA synchronous={synchronous}")

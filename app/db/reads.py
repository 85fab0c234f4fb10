"""The read path: queries written with SQLAlchemy Core, compiled once per database, run on the
plain driver.

SQLAlchemy's per-execution work (cache keys, result processing) costs more than the queries
themselves on this API's indexed lookups, so reads skip it: each Core statement is compiled to
SQL text once, and run inline on one connection per process, with sqlite3 (SQLite works
in-process: a thread hop would cost more than the query) or psycopg (PostgreSQL: a round trip
to a nearby server costs less than an async pool's bookkeeping around it).
Writes (the loader) keep using SQLAlchemy sessions.
"""

import ctypes
import ctypes.util
import datetime as dt
import math
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import closing, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from sqlalchemy import ClauseElement, Select, func, make_url, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from app.db.engine import (
    SQLITE_BUSY_TIMEOUT_MS,
    OutOfConnections,
    out_of_connections,
    pg_options,
    restore_wal,
)

if TYPE_CHECKING:
    import psycopg

Row = dict[str, Any]
# Each SQLite read connection's page cache, in KiB; an export's own connection reads its rows
# once, in index order, and keeps SQLite's default.
PAGE_CACHE_KB = 8192
STREAM_CACHE_KB = 2048
# What pg_stat_activity shows as an export's connection's application_name.
EXPORT_APPLICATION_NAME = "sayso export"
# SQLite calls the statement time limit's check every this many steps of its virtual machine:
# a millisecond or less of work between two checks, and an indexed read makes a handful.
PROGRESS_STEPS = 10_000
# PostgreSQL's code for a statement cancelled (by its statement_timeout, here).
QUERY_CANCELED = "57014"
# Any SELECT, whatever its columns: the services build them up filter by filter.
AnySelect = Select[*tuple[Any, ...]]

DIALECTS: dict[str, Dialect] = {
    "sqlite": sqlite.dialect(paramstyle="named"),
    "postgresql": postgresql.psycopg.dialect(),  # type: ignore[no-untyped-call]
}


class SQL:
    """A Core statement, compiled to each database's SQL text on first use.

    PLAN, on PostgreSQL: "generic" plans it once for any values (a prepared statement's generic
    plan), for a query whose best plan does not depend on them and whose planning is much of
    its cost (a search's details: PostgresReads); "custom" plans it for each call's values,
    never prepared, for a query whose best plan depends on them (a search's candidates);
    None leaves it to psycopg and PostgreSQL (prepared after five runs, plan_cache_mode=auto).
    """

    def __init__(
        self, statement: ClauseElement, *, plan: Literal["generic", "custom"] | None = None
    ) -> None:
        self.statement = statement
        self.plan = plan
        self._compiled: dict[str, tuple[str, dict[str, Any]]] = {}

    def compiled(self, dialect: str) -> tuple[str, dict[str, Any]]:
        """The SQL text and the default values of its bound parameters."""
        found = self._compiled.get(dialect)
        if found is None:
            compiled = self.statement.compile(dialect=DIALECTS[dialect])
            found = self._compiled[dialect] = (str(compiled), dict(compiled.params))
        return found


class ReadDB(Protocol):
    """What a read service needs: rows as dicts, for SQL and bound parameter values. Its calls
    block until the rows are in (the read services, plain functions too, run inline)."""

    dialect: str

    def all(self, query: SQL, params: Mapping[str, Any] | None = None) -> list[Row]: ...

    def one(self, query: SQL, params: Mapping[str, Any] | None = None) -> Row | None: ...

    def apart(self) -> "Apart":
        """A connection of its own, for a long read made of many queries (an export, in a
        worker thread): see Apart."""
        ...

    def open(self) -> None: ...

    def close(self) -> None: ...


class Apart(Protocol):
    """A read connection of one long read's own, opened by ReadDB.apart, used from one worker
    thread at a time. Each query runs as a statement of its own: between two, the connection
    holds no transaction, so nothing of the database is pinned however long the reader takes
    (an SQLite reader's snapshot keeps the WAL from being checkpointed past it; a PostgreSQL
    one keeps vacuum from the rows it can still see). Closing it gives the connection back.
    OutOfConnections when the database gives none."""

    dialect: str

    def rows(
        self, query: SQL, params: Mapping[str, Any] | None = None, chunk: int = 1000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Every row of QUERY as tuples, CHUNK at a time; the query has ended (its transaction
        with it) before the first chunk comes."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> "Apart": ...

    def __exit__(self, *_exc: object) -> None: ...


class StatementTimeout(Exception):
    """A read's query ran past the statement time limit and was stopped (answered 503:
    app/web/errors.py). The limit holds on a server's reads, which run inline in a worker's
    event loop: a slow one would hold the worker. Exports (ReadDB.apart) are not held to it:
    they run in a worker thread, and are bounded by their own cap and send timeout
    (app/web/streaming.py)."""

    def __init__(self, limit: float) -> None:
        super().__init__(f"a read query ran past the statement time limit ({limit:g} s)")
        self.limit = limit


def count_of(query: AnySelect) -> SQL:
    """How many rows QUERY gives, whatever its order and limit (as the column `n`)."""
    rows = query.order_by(None).limit(None).subquery()
    return SQL(select(func.count().label("n")).select_from(rows))


def count(db: ReadDB, query: SQL, params: Mapping[str, Any]) -> int:
    """The count a `count_of` query gives."""
    found = db.one(query, params)
    return int(found["n"]) if found else 0


def _rows(description: Any, rows: list[tuple[Any, ...]]) -> list[Row]:
    names = [d[0] for d in description]
    return [dict(zip(names, row, strict=True)) for row in rows]


def _libc_trim() -> Any:
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


_MALLOC_TRIM = _libc_trim()


def release_freed_memory() -> None:
    """Give the memory the process freed back to the system (glibc keeps it for later).

    Called after start-up (what building the app freed: ~2 MB a worker) and after an export,
    which streams from a worker thread: that thread's arena kept what the export freed, and a
    worker stayed ~17 MB larger after a full export at a million statements (now ~1 MB)."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


class SQLiteReads:
    """Reads on an SQLite file: one read-only connection per process, used inline. A query
    still running STATEMENT_TIMEOUT seconds after it began (0: no limit) is interrupted (its
    connection's progress handler), and StatementTimeout raised."""

    dialect = "sqlite"

    def __init__(self, url: str, statement_timeout: float = 0) -> None:
        self.path = make_url(url).database or ":memory:"
        self.conn: sqlite3.Connection | None = None
        self.statement_timeout = statement_timeout
        # When the query running on the connection must have ended (monotonic clock).
        self.deadline = math.inf

    def _connection(self) -> sqlite3.Connection:
        """This process's connection, opened at its first read: a server started while a load
        holds the file (app/db/engine.py load_session) starts all the same, and its reads are told
        to retry (app/web/errors.py) until the load ends."""
        if self.conn is None:
            self.conn = self._connect()
        return self.conn

    def _connect(self, cache_kb: int = PAGE_CACHE_KB, limited: bool = True) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        if limited and self.statement_timeout:
            conn.set_progress_handler(self._past_deadline, PROGRESS_STEPS)
        try:
            conn.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            restore_wal(conn)  # before query_only, which forbids it
            conn.execute("PRAGMA query_only=ON")
            # 8 MB of pages (SQLite's default is 2 MB): the upper levels of the big tables'
            # indexes and the hot objects stay in the process, which halves a page of
            # appearances' time at a million statements (bench/README.md); it is most of what
            # a worker grows by. (Setting it reads the schema: it waits for a load's lock.)
            conn.execute(f"PRAGMA cache_size=-{cache_kb}")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _params(self, query: SQL, params: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
        sql, defaults = query.compiled(self.dialect)
        return sql, {**defaults, **params} if params else defaults

    def _past_deadline(self) -> bool:
        """SQLite's progress handler: true stops the query (SQLITE_INTERRUPT)."""
        return time.monotonic() > self.deadline

    def all(self, query: SQL, params: Mapping[str, Any] | None = None) -> list[Row]:
        sql, values = self._params(query, params)
        conn = self._connection()
        if self.statement_timeout:
            self.deadline = time.monotonic() + self.statement_timeout
        try:
            cursor = conn.execute(sql, values)
            rows = cursor.fetchall()
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorname == "SQLITE_INTERRUPT":
                raise StatementTimeout(self.statement_timeout) from exc
            raise
        return _rows(cursor.description, rows)

    def one(self, query: SQL, params: Mapping[str, Any] | None = None) -> Row | None:
        found = self.all(query, params)
        return found[0] if found else None

    def apart(self) -> "SQLiteApart":
        return SQLiteApart(self)

    def open(self) -> None:
        """At the server's start, the file back in WAL mode if a killed load left it in
        rollback mode (restore_wal), without waiting for a load that holds it now."""
        if self.path == ":memory:":
            return
        try:  # mode=rw: a file that is not there yet is not made here
            uri = f"{Path(self.path).resolve().as_uri()}?mode=rw"
            conn = sqlite3.connect(uri, uri=True, timeout=0, isolation_level=None)
        except sqlite3.Error:
            return
        with closing(conn), suppress(sqlite3.Error):
            restore_wal(conn)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class SQLiteApart:
    """An SQLite connection of one long read's own (ReadDB.apart). In autocommit, a query's
    read transaction ends with its last row."""

    dialect = "sqlite"

    def __init__(self, db: SQLiteReads) -> None:
        self.db = db
        # Not held to the statement time limit: an export runs in a worker thread.
        self.conn = db._connect(STREAM_CACHE_KB, limited=False)

    def rows(
        self, query: SQL, params: Mapping[str, Any] | None = None, chunk: int = 1000
    ) -> Iterator[list[tuple[Any, ...]]]:
        sql, values = self.db._params(query, params)
        # All fetched first: a statement still stepping would keep its read transaction open.
        rows = self.conn.execute(sql, values).fetchall()
        for start in range(0, len(rows), chunk):
            yield rows[start : start + chunk]

    def close(self) -> None:
        self.conn.close()
        # The rows were made in a worker thread, whose malloc arena keeps what they freed.
        release_freed_memory()

    def __enter__(self) -> "SQLiteApart":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class PostgresReads:
    """Reads on PostgreSQL: one connection per process, used inline, as SQLiteReads does.

    This API's queries are indexed lookups of a millisecond or less: waiting for the server in
    place costs less than an async pool's bookkeeping and the event loop's wake-ups around each
    round trip (measured: about half the plain driver's throughput through the pool). The price
    is that a worker waits for each query, so a slow one holds its worker: run several.
    """

    dialect = "postgresql"

    def __init__(
        self, url: str, idle_in_transaction_timeout: float = 0, statement_timeout: float = 0
    ) -> None:
        self.url = url
        self.conninfo = conninfo(url)
        self.idle_in_transaction_timeout = idle_in_transaction_timeout
        self.statement_timeout = statement_timeout
        # The server stops a statement of the process's read connections past the limit.
        self.time_limit = (
            [f"statement_timeout={max(1, round(statement_timeout * 1000))}"]
            if statement_timeout
            else []
        )
        self.conn: psycopg.Connection[tuple[Any, ...]] | None = None
        self.generic: psycopg.Connection[tuple[Any, ...]] | None = None

    def connect(self, *settings: str, name: str = "sayso") -> "psycopg.Connection[tuple[Any, ...]]":
        """A new connection in autocommit, with the server settings every connection of a
        server has (app/db/engine.py pg_options) and SETTINGS, its application_name NAME (what
        pg_stat_activity shows); OutOfConnections when the server has none to give."""
        driver = _psycopg()
        options = pg_options(self.url, self.idle_in_transaction_timeout, *settings)
        try:
            conn: psycopg.Connection[tuple[Any, ...]] = driver.connect(
                self.conninfo, autocommit=True, options=options, application_name=name
            )
        except driver.OperationalError as exc:
            if out_of_connections(exc):
                raise OutOfConnections(str(exc).strip()) from exc
            raise
        return conn

    def _connection(self) -> "psycopg.Connection[tuple[Any, ...]]":
        """The process's connection, opened again if the server dropped it."""
        if self.conn is None or self.conn.closed:
            self.conn = self.connect(*self.time_limit)
        return self.conn

    def _generic_connection(self) -> "psycopg.Connection[tuple[Any, ...]]":
        """The process's connection for queries planned once (SQL.plan "generic"): they run
        prepared, and its prepared statements keep their generic plan. With PostgreSQL's
        default (plan_cache_mode=auto) a prepared search was still planned for each call's
        words: 1.2 ms of its 2.2 ms at 10k statements; 2.6 -> 1.6 ms at 1M with the same
        answers (bench/README.md)."""
        if self.generic is None or self.generic.closed:
            self.generic = self.connect("plan_cache_mode=force_generic_plan", *self.time_limit)
        return self.generic

    def all(self, query: SQL, params: Mapping[str, Any] | None = None) -> list[Row]:
        sql, defaults = query.compiled(self.dialect)
        values = {**defaults, **params} if params else defaults
        try:
            if query.plan == "generic":
                cursor = self._generic_connection().execute(sql, values, prepare=True)
            else:
                # "custom": never prepared, so planned for these values every time.
                prepare = False if query.plan == "custom" else None
                cursor = self._connection().execute(sql, values, prepare=prepare)
        except Exception as exc:
            if getattr(exc, "sqlstate", None) == QUERY_CANCELED and self.statement_timeout:
                raise StatementTimeout(self.statement_timeout) from exc
            raise
        return _rows(cursor.description, cursor.fetchall())

    def one(self, query: SQL, params: Mapping[str, Any] | None = None) -> Row | None:
        found = self.all(query, params)
        return found[0] if found else None

    def apart(self) -> "PostgresApart":
        return PostgresApart(self)

    def open(self) -> None:
        self._connection()

    def close(self) -> None:
        for conn in (self.conn, self.generic):
            if conn is not None:
                conn.close()


class PostgresApart:
    """A PostgreSQL connection of one long read's own (ReadDB.apart), in autocommit: each
    query is a transaction of its own. pg_stat_activity names it `sayso export`."""

    dialect = "postgresql"

    def __init__(self, db: PostgresReads) -> None:
        self.conn = db.connect(name=EXPORT_APPLICATION_NAME)

    def rows(
        self, query: SQL, params: Mapping[str, Any] | None = None, chunk: int = 1000
    ) -> Iterator[list[tuple[Any, ...]]]:
        sql, defaults = query.compiled("postgresql")
        # The whole result has come (the query and its transaction are over); it is made into
        # Python rows CHUNK at a time, not all at once.
        cursor = self.conn.execute(sql, {**defaults, **params} if params else defaults)
        while rows := cursor.fetchmany(chunk):
            yield rows

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "PostgresApart":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def conninfo(url: str) -> str:
    """A database URL (SQLAlchemy's, any driver) as the libpq connection string psycopg takes."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _psycopg() -> Any:
    """psycopg, imported when PostgreSQL is served: an SQLite server's workers do without its
    ~7 MB each."""
    import psycopg

    return psycopg


def reads_for(
    url: str, idle_in_transaction_timeout: float = 0, statement_timeout: float = 0
) -> ReadDB:
    """The read database for a SQLAlchemy URL; on PostgreSQL, its sessions are ended by the
    server when left idle in a transaction for IDLE_IN_TRANSACTION_TIMEOUT seconds (0: never).
    A read query that runs STATEMENT_TIMEOUT seconds (0: no limit) is stopped: StatementTimeout.
    An export's connection (apart) has no such limit."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return SQLiteReads(url, statement_timeout)
    if backend == "postgresql":
        return PostgresReads(url, idle_in_transaction_timeout, statement_timeout)
    raise ValueError(f"unsupported database: {backend}")


def iso_instant(value: Any) -> str:
    """A stored instant as ISO 8601 in UTC, however the driver returns it."""
    if isinstance(value, str):  # SQLite keeps 'YYYY-MM-DD HH:MM:SS[.ffffff]', in UTC
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return str(value.astimezone(dt.UTC).isoformat())

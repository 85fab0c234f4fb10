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
import sqlite3
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import ClauseElement, Select, func, make_url, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from app.db.engine import SQLITE_BUSY_TIMEOUT_MS

if TYPE_CHECKING:
    import psycopg

Row = dict[str, Any]
# Each SQLite read connection's page cache, in KiB; an export's own connection reads its rows
# once, in index order, and keeps SQLite's default.
PAGE_CACHE_KB = 8192
STREAM_CACHE_KB = 2048
# Any SELECT, whatever its columns: the services build them up filter by filter.
AnySelect = Select[*tuple[Any, ...]]

DIALECTS: dict[str, Dialect] = {
    "sqlite": sqlite.dialect(paramstyle="named"),
    "postgresql": postgresql.psycopg.dialect(),  # type: ignore[no-untyped-call]
}


class SQL:
    """A Core statement, compiled to each database's SQL text on first use.

    GENERIC_PLAN: on PostgreSQL, plan it once for any values (a prepared statement's generic
    plan) rather than for each call's, for a query whose best plan does not depend on them and
    whose planning is much of its cost (search: PostgresReads).
    """

    def __init__(self, statement: ClauseElement, *, generic_plan: bool = False) -> None:
        self.statement = statement
        self.generic_plan = generic_plan
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

    def stream(
        self, query: SQL, params: Mapping[str, Any] | None = None, chunk: int = 1000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Rows a chunk at a time, from a connection of its own (for exports, in a thread)."""
        ...

    def open(self) -> None: ...

    def close(self) -> None: ...


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
    """Reads on an SQLite file: one read-only connection per process, used inline."""

    dialect = "sqlite"

    def __init__(self, url: str) -> None:
        self.path = make_url(url).database or ":memory:"
        self.conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        """This process's connection, opened at its first read: a server started while a load
        holds the file (app/db/engine.py load_session) starts all the same, and its reads are told
        to retry (app/web/errors.py) until the load ends."""
        if self.conn is None:
            self.conn = self._connect()
        return self.conn

    def _connect(self, cache_kb: int = PAGE_CACHE_KB) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA query_only=ON")
            conn.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
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

    def all(self, query: SQL, params: Mapping[str, Any] | None = None) -> list[Row]:
        sql, values = self._params(query, params)
        cursor = self._connection().execute(sql, values)
        return _rows(cursor.description, cursor.fetchall())

    def one(self, query: SQL, params: Mapping[str, Any] | None = None) -> Row | None:
        found = self.all(query, params)
        return found[0] if found else None

    def stream(
        self, query: SQL, params: Mapping[str, Any] | None = None, chunk: int = 1000
    ) -> Iterator[list[tuple[Any, ...]]]:
        sql, values = self._params(query, params)
        conn = self._connect(STREAM_CACHE_KB)
        try:
            cursor = conn.execute(sql, values)
            while rows := cursor.fetchmany(chunk):
                yield rows
        finally:
            conn.close()
            release_freed_memory()

    def open(self) -> None:
        pass

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class PostgresReads:
    """Reads on PostgreSQL: one connection per process, used inline, as SQLiteReads does.

    This API's queries are indexed lookups of a millisecond or less: waiting for the server in
    place costs less than an async pool's bookkeeping and the event loop's wake-ups around each
    round trip (measured: about half the plain driver's throughput through the pool). The price
    is that a worker waits for each query, so a slow one holds its worker: run several.
    """

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        self.conninfo = conninfo(url)
        self.conn: psycopg.Connection[tuple[Any, ...]] | None = None
        self.generic: psycopg.Connection[tuple[Any, ...]] | None = None

    def _connection(self) -> "psycopg.Connection[tuple[Any, ...]]":
        """The process's connection, opened again if the server dropped it."""
        if self.conn is None or self.conn.closed:
            self.conn = _psycopg().connect(self.conninfo, autocommit=True)
        return self.conn

    def _generic_connection(self) -> "psycopg.Connection[tuple[Any, ...]]":
        """The process's connection for queries planned once (SQL.generic_plan): they run
        prepared, and its prepared statements keep their generic plan. With PostgreSQL's
        default (plan_cache_mode=auto) a prepared search was still planned for each call's
        words: 1.2 ms of its 2.2 ms at 10k statements; 2.6 -> 1.6 ms at 1M with the same
        answers (bench/README.md)."""
        if self.generic is None or self.generic.closed:
            self.generic = _psycopg().connect(
                self.conninfo, autocommit=True, options="-c plan_cache_mode=force_generic_plan"
            )
        return self.generic

    def all(self, query: SQL, params: Mapping[str, Any] | None = None) -> list[Row]:
        sql, defaults = query.compiled(self.dialect)
        values = {**defaults, **params} if params else defaults
        if query.generic_plan:
            cursor = self._generic_connection().execute(sql, values, prepare=True)
        else:
            cursor = self._connection().execute(sql, values)
        return _rows(cursor.description, cursor.fetchall())

    def one(self, query: SQL, params: Mapping[str, Any] | None = None) -> Row | None:
        found = self.all(query, params)
        return found[0] if found else None

    def stream(
        self, query: SQL, params: Mapping[str, Any] | None = None, chunk: int = 1000
    ) -> Iterator[list[tuple[Any, ...]]]:
        sql, defaults = query.compiled(self.dialect)
        # A named cursor stays on the server: memory stays flat whatever the size.
        with (
            _psycopg().connect(self.conninfo) as conn,
            conn.transaction(),
            conn.cursor(name="sayso_stream") as cursor,
        ):
            cursor.execute(sql, {**defaults, **params} if params else defaults)
            while rows := cursor.fetchmany(chunk):
                yield rows

    def open(self) -> None:
        self._connection()

    def close(self) -> None:
        for conn in (self.conn, self.generic):
            if conn is not None:
                conn.close()


def conninfo(url: str) -> str:
    """A database URL (SQLAlchemy's, any driver) as the libpq connection string psycopg takes."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _psycopg() -> Any:
    """psycopg, imported when PostgreSQL is served: an SQLite server's workers do without its
    ~7 MB each."""
    import psycopg

    return psycopg


def reads_for(url: str) -> ReadDB:
    """The read database for a SQLAlchemy URL."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return SQLiteReads(url)
    if backend == "postgresql":
        return PostgresReads(url)
    raise ValueError(f"unsupported database: {backend}")


def iso_instant(value: Any) -> str:
    """A stored instant as ISO 8601 in UTC, however the driver returns it."""
    if isinstance(value, str):  # SQLite keeps 'YYYY-MM-DD HH:MM:SS[.ffffff]', in UTC
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return str(value.astimezone(dt.UTC).isoformat())

"""`sayso backup` and `sayso restore`: the whole database in one file, put back exactly.

Every row of every table goes in, with its id: actors and aliases, sources with their texts,
dates, citations and furniture, claims, statements, appearances, contradictions, the change
history, tombstones, claim redirects, retired ids and the hashed API keys. After a restore every
API answer is the same, byte for byte and ETag for ETag (tests/ingest/test_backup.py compares
every route). `sayso export` (app/ingest/dump.py) is another thing: annotation files for people
to read, share and load, which keep what the annotations say but not ids, history, deletions,
merges or keys.

The file is a logical copy, the same for SQLite and PostgreSQL (either restores into either):
gzip'd JSON lines (docs/backup.md says why this and not a file copy or pg_dump).

    {"format": "sayso-backup", "version": 1, "revision": <alembic revision>, "database": ...,
     "made_at": ..., "tables": {table: [column, ...], ...}}        the header
    {"table": "actors", "columns": [...]}                         then its rows, one JSON array a
    [1, "dmitry-peskov", ...]                                     line, in the order the database
    ...                                                           stores them; parents first
    {"sequences": {table: the last id handed out, or null}}      PostgreSQL's id sequences
    {"search_order": true}                                        PostgreSQL: the search index's
    [key, key, ...]                                               keys in storage order
    {"end": {"rows": {table: n}, "search_keys": n, "sha256": ...}}  SHA-256 of every line above

Values are integers, strings and nulls: a date is "YYYY-MM-DD", an instant ISO 8601 in UTC, a
JSON column its stored text (so that JSON null and SQL NULL stay apart). The search index is not
in the file: it is derived from the rows, and rebuilt.

Rows go in the order the database stores them (SQLite: by primary key; PostgreSQL: as its tables
lie, which edits leave out of id order) and are stored again in that order: a few answers
depend on it on PostgreSQL (a search ranks the first matches as stored; a count by stance lists
the stances as the rows come), and come out the same after a restore into PostgreSQL.

A backup reads one snapshot (PostgreSQL: a REPEATABLE READ transaction; SQLite: one read
transaction, which in WAL mode blocks no writer), so a server may keep serving and writing
meanwhile. A restore first reads the whole file (its gzip checksum, its SHA-256, its sections),
then writes it in one transaction into a database migrated to the same revision, which must hold
no rows unless forced (then its rows are replaced): it commits all of it, or nothing.
"""

import datetime as dt
import gzip
import hashlib
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import orjson
import sqlalchemy as sa
from sqlalchemy import Connection, Engine, Table

from app.db.engine import load_session
from app.db.ids import retire
from app.ingest.write import (
    SQLITE_FTS5_BULK_HASHSIZE,
    SQLITE_FTS5_HASHSIZE,
    BulkWriter,
)
from app.models import Base, RetiredId
from app.models.types import UTCDateTime
from app.search import index as search_index

Progress = Callable[[str], None]
FORMAT, VERSION = "sayso-backup", 1
# zlib's level 3: about twice as fast as its default (6) for a file a few percent larger.
COMPRESSION = 3
FETCH = 5_000  # rows read from the database at a time
# Fewer at a time of the tables that hold whole documents (a source's text; a deletion's rows
# in a change): a document may be megabytes.
FETCH_DOCUMENTS, DOCUMENTS = 50, frozenset({"sources", "changes"})
ORDER_CHUNK = 10_000  # search keys per line
END = b'{"end":'  # the last line, not part of the hash it carries


class BackupError(Exception):
    """A backup that cannot be made or restored: the message says what, and where. Nothing was
    written (a restore rolled back; a backup left no file behind)."""


@dataclass(frozen=True)
class _Table:
    """A table as the backup holds it: its columns in order, and how each is stored."""

    table: Table
    columns: tuple[str, ...]
    kinds: tuple[str, ...]  # int | text | date | instant | json, column by column

    @property
    def name(self) -> str:
        return str(self.table.name)  # a plain str: SQLAlchemy's quoted_name is not JSON to orjson

    def select(self, postgresql: bool) -> str:
        """The SQL that reads every row as the file holds it, in the order they are stored:
        SQLite's tables lie in primary-key order; PostgreSQL's are read as they lie (a plain
        scan, on a connection that starts it at the table's first page: _snapshot)."""
        exprs = [
            f'CAST("{c}" AS TEXT)' if postgresql and kind == "json" else f'"{c}"'
            for c, kind in zip(self.columns, self.kinds, strict=True)
        ]
        read = f'SELECT {", ".join(exprs)} FROM "{self.name}"'
        if postgresql:
            return read
        order = ", ".join(f'"{c.name}"' for c in self.table.primary_key.columns)
        return f"{read} ORDER BY {order}"


def _kind(column: sa.Column[Any]) -> str:
    """How a column's values are written in the file; a type not known here is refused (a new
    column type must be taught to the backup before a backup can go wrong with it)."""
    type_ = column.type
    if isinstance(type_, UTCDateTime):
        return "instant"
    if isinstance(type_, sa.JSON):
        return "json"
    if isinstance(type_, sa.Date):
        return "date"
    if isinstance(type_, sa.Integer):
        return "int"
    if isinstance(type_, sa.String):  # Text and the vocabularies (sa.Enum) too
        return "text"
    raise TypeError(f"the backup has no form for {column.table.name}.{column.name} ({type_!r})")


def tables() -> list[_Table]:
    """Every table of the models, each after the tables it refers to."""
    return [
        _Table(t, tuple(str(c.name) for c in t.columns), tuple(_kind(c) for c in t.columns))
        for t in Base.metadata.sorted_tables
    ]


def _serial(table: _Table) -> bool:
    """Whether TABLE's ids come from a sequence on PostgreSQL (an integer primary key `id`)."""
    keys = list(table.table.primary_key.columns)
    return len(keys) == 1 and keys[0].name == "id" and isinstance(keys[0].type, sa.Integer)


# -- backup ---------------------------------------------------------------------------------------


def backup(
    engine: Engine,
    path: Path,
    head: str,
    *,
    replace: bool = False,
    progress: Progress = lambda _: None,
) -> dict[str, int]:
    """Write the database into the backup file PATH; returns the rows written, table by table.

    HEAD: the schema revision this sayso knows (the database must be at it). The file is written
    beside PATH and moved in place once whole: a failed backup leaves no file that looks like one.
    An existing PATH is refused unless REPLACE.
    """
    if path.is_dir():
        raise BackupError(f"{path} is a folder: name the backup file to write")
    if path.exists() and not replace:
        raise BackupError(f"{path} exists already: name a new file, or replace it with --force")
    path.parent.mkdir(parents=True, exist_ok=True)
    work = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        # Readable by its owner alone: it holds everything, unreviewed proposals included.
        fd = os.open(work, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "wb") as raw, _snapshot(engine) as reader:
            revision = reader.revision()
            if revision != head:
                raise BackupError(
                    f"the database is at schema revision {revision}, this sayso's is {head}: "
                    "run `sayso migrate` first (or back it up with the sayso it was made with)"
                )
            with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=COMPRESSION, mtime=0) as gz:
                rows = _write_backup(_Writer(gz), reader, revision, progress)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(work, path)
    except BaseException:
        work.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return rows


def _write_backup(
    out: "_Writer", reader: "_SnapshotReader", revision: str, progress: Progress
) -> dict[str, int]:
    every = tables()
    out.line(
        {
            "format": FORMAT,
            "version": VERSION,
            "revision": revision,
            "database": reader.dialect,
            "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "tables": {t.name: list(t.columns) for t in every},
        }
    )
    rows: dict[str, int] = {}
    for table in every:
        out.line({"table": table.name, "columns": list(table.columns)})
        rows[table.name] = 0
        for batch in reader.rows(table):
            out.rows(batch)
            rows[table.name] += len(batch)
        if rows[table.name]:
            progress(f"backed up {rows[table.name]} rows of {table.name}")
    search_keys = 0
    if reader.dialect == "postgresql":
        out.line({"sequences": reader.sequences([t for t in every if _serial(t)])})
        out.line({"search_order": True})
        for keys in reader.search_order():
            out.line(keys)
            search_keys += len(keys)
    out.end({"rows": rows, "search_keys": search_keys})
    return rows


class _Writer:
    """Lines into the gzip stream, hashed as they go."""

    def __init__(self, stream: gzip.GzipFile) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def _write(self, data: bytes) -> None:
        self.digest.update(data)
        self.stream.write(data)

    def line(self, value: Any) -> None:
        self._write(orjson.dumps(value) + b"\n")

    def rows(self, rows: list[tuple[Any, ...]]) -> None:
        self._write(b"".join(orjson.dumps(row) + b"\n" for row in rows))

    def end(self, summary: dict[str, Any]) -> None:
        self.stream.write(orjson.dumps({"end": {**summary, "sha256": self.digest.hexdigest()}}))
        self.stream.write(b"\n")


class _SnapshotReader:
    """Reads one snapshot of the database through its driver."""

    def __init__(self, dialect: str, driver: Any) -> None:
        self.dialect = dialect
        self.driver = driver

    def _one(self, sql: str) -> Any:
        cursor = self.driver.cursor()
        try:
            cursor.execute(sql)
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else row[0]

    def revision(self) -> str:
        exists = (
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            if self.dialect == "sqlite"
            else "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version' "
            "AND schemaname = current_schema()"
        )
        if not self._one(exists):
            raise BackupError("the database has no schema (no alembic_version): nothing to back up")
        return str(self._one("SELECT version_num FROM alembic_version"))

    def rows(self, table: _Table) -> Iterator[list[tuple[Any, ...]]]:
        """TABLE's rows a batch at a time, their values as the file holds them."""
        postgresql = self.dialect == "postgresql"
        if postgresql:
            # A cursor on the server: memory stays flat whatever the table's size. Dates and
            # instants come as Python values (the session's time zone is UTC), which orjson
            # writes as ISO 8601.
            cursor = self.driver.cursor(name=f"sayso_backup_{table.name}")
            instants = []
        else:
            cursor = self.driver.cursor()
            instants = [i for i, kind in enumerate(table.kinds) if kind == "instant"]
        try:
            cursor.execute(table.select(postgresql))
            size = FETCH_DOCUMENTS if table.name in DOCUMENTS else FETCH
            while batch := cursor.fetchmany(size):
                if instants:
                    batch = [_sqlite_instants_read(row, instants) for row in batch]
                yield batch
        finally:
            cursor.close()

    def sequences(self, serial: list[_Table]) -> dict[str, int | None]:
        """The last id each sequence handed out (None: none yet), PostgreSQL only."""
        return {
            t.name: self._one(
                f"SELECT pg_sequence_last_value(pg_get_serial_sequence('{t.name}', 'id')::regclass)"
            )
            for t in serial
        }

    def search_order(self) -> Iterator[list[int]]:
        """The search index's keys in PostgreSQL's storage order, which its searches depend on
        (they rank the first matches as stored: app/search/service.py)."""
        cursor = self.driver.cursor(name="sayso_backup_search_order")
        try:
            cursor.execute("SELECT id FROM search_index")
            while batch := cursor.fetchmany(ORDER_CHUNK):
                yield [key for (key,) in batch]
        finally:
            cursor.close()


def _sqlite_instants_read(row: tuple[Any, ...], positions: list[int]) -> tuple[Any, ...]:
    """ROW with its instants (SQLite keeps 'YYYY-MM-DD HH:MM:SS.ffffff', in UTC) as datetimes in
    UTC, which orjson writes as PostgreSQL's are written."""
    values = list(row)
    for i in positions:
        if values[i] is not None:
            instant = dt.datetime.fromisoformat(values[i])
            values[i] = (
                instant.replace(tzinfo=dt.UTC)
                if instant.tzinfo is None
                else instant.astimezone(dt.UTC)
            )
    return tuple(values)


@contextmanager
def _snapshot(engine: Engine) -> Iterator[_SnapshotReader]:
    """A read-only view of the database as it was at its first read, for as long as it is used.

    On SQLite a plain (deferred) transaction: in WAL mode it blocks no writer, where the
    engine's own transactions (BEGIN IMMEDIATE, app/db/engine.py) would hold every API write
    back for the whole backup.
    """
    pooled = engine.raw_connection()
    driver: Any = pooled.driver_connection
    try:
        if engine.dialect.name == "sqlite":
            try:
                driver.execute("BEGIN")
                yield _SnapshotReader("sqlite", driver)
            except sqlite3.OperationalError as exc:
                raise BackupError(f"the database could not be read: {exc}") from exc
            finally:
                if driver.in_transaction:
                    driver.execute("ROLLBACK")
        else:
            # The first statement of psycopg's transaction: every query after sees one snapshot.
            driver.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            driver.execute("SET LOCAL TIME ZONE 'UTC'")
            # A table read whole is read from its first page to its last, in the order its rows
            # are stored: not joined midway to another scan of it, nor split among workers.
            driver.execute("SET LOCAL synchronize_seqscans = off")
            driver.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            try:
                yield _SnapshotReader("postgresql", driver)
            finally:
                driver.rollback()
    finally:
        pooled.close()


def _sync_folder(folder: Path) -> None:
    """Make a rename in FOLDER durable (where the system allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- reading a backup file ------------------------------------------------------------------------


@dataclass
class Contents:
    """What a backup file holds, as read through to its last line."""

    path: Path
    revision: str
    database: str
    made_at: str
    tables: dict[str, list[str]]
    rows: dict[str, int] = field(default_factory=dict)
    sequences: dict[str, int | None] = field(default_factory=dict)
    search_keys: int = 0


class _Lines:
    """The lines of a backup file, hashed as they are read; its errors say where."""

    def __init__(self, path: Path, stream: gzip.GzipFile) -> None:
        self.path = path
        self.stream = stream
        self.number = 0
        self.digest = hashlib.sha256()

    def error(self, message: str) -> BackupError:
        where = f"{self.path}, line {self.number}" if self.number else str(self.path)
        return BackupError(f"{where}: {message}")

    def next(self) -> bytes:
        """The next line, or b"" at the end of the file."""
        try:
            data = self.stream.readline()
        except EOFError as exc:  # gzip: the stream stops before its end marker
            raise BackupError(
                f"{self.path} is cut short after line {self.number}: not a whole backup"
            ) from exc
        except (OSError, zlib.error) as exc:  # not gzip, or damaged (CRC, bad data)
            raise BackupError(
                f"{self.path} cannot be read after line {self.number} ({exc}): it is damaged "
                "or not a sayso backup"
            ) from exc
        if not data:
            return data
        self.number += 1
        if not data.endswith(b"\n"):
            raise self.error("the file ends in the middle of this line: it is cut short")
        if not data.startswith(END):
            self.digest.update(data)
        return data

    def parse(self, data: bytes) -> Any:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise self.error(f"not JSON ({exc}): the file is damaged") from exc


@contextmanager
def _open(path: Path) -> Iterator[_Lines]:
    try:
        raw = open(path, "rb")  # noqa: SIM115 (closed below, with the gzip stream)
    except OSError as exc:
        raise BackupError(f"{path} cannot be opened: {exc.strerror or exc}") from exc
    with raw, gzip.GzipFile(fileobj=raw, mode="rb") as gz:
        yield _Lines(path, gz)


Event = tuple[str, Any]


class _Sections:
    """A backup file read section by section, each checked as it comes: the header, then one
    event per line: ("table", columns), ("row", line), ("sequences", {...}), ("keys", [...]),
    and ("end", summary) once the whole file has been read and its SHA-256 found right."""

    def __init__(self, lines: _Lines) -> None:
        self.lines = lines
        self.contents = self._header()
        self.expected = list(self.contents.tables)
        self.table: str | None = None
        self.pending: Event | None = None

    def _header(self) -> Contents:
        lines = self.lines
        first = lines.next()
        if not first:
            raise BackupError(f"{lines.path} is empty: not a sayso backup")
        header = lines.parse(first) if first.startswith(b"{") else None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise lines.error("this is not a sayso backup (its first line is no backup header)")
        if header.get("version") != VERSION:
            raise lines.error(
                f"a backup of format version {header.get('version')}; this sayso reads {VERSION}"
            )
        try:
            found = {str(t): [str(c) for c in cs] for t, cs in header["tables"].items()}
            return Contents(
                lines.path,
                str(header["revision"]),
                str(header["database"]),
                str(header["made_at"]),
                found,
            )
        except (KeyError, AttributeError, TypeError) as exc:
            raise lines.error(f"the header lacks {exc}: the file is damaged") from exc

    def push_back(self, event: Event) -> None:
        self.pending = event

    def __iter__(self) -> "_Sections":
        return self

    def __next__(self) -> Event:
        if self.pending is not None:
            event, self.pending = self.pending, None
            return event
        lines = self.lines
        data = lines.next()
        if not data:
            raise lines.error("the file ends without its last line: it is cut short")
        if data.startswith(b"["):
            if self.table is None:
                raise lines.error("a row outside any table: the file is damaged")
            if self.table == "":  # the search order
                keys = lines.parse(data)
                if not isinstance(keys, list) or not all(type(k) is int for k in keys):
                    raise lines.error("search keys that are not integers: the file is damaged")
                self.contents.search_keys += len(keys)
                return ("keys", keys)
            self.contents.rows[self.table] += 1
            return ("row", data)
        section = lines.parse(data)
        if not isinstance(section, dict) or len(section) not in (1, 2):
            raise lines.error("neither a row nor a section: the file is damaged")
        if "table" in section:
            return self._table(section)
        if self.expected:
            raise lines.error(f"the table {self.expected[0]} is missing: the file is damaged")
        if "sequences" in section:
            self.table = None
            sequences = section["sequences"]
            if not isinstance(sequences, dict):
                raise lines.error("sequences that are not a table's: the file is damaged")
            self.contents.sequences = sequences
            return ("sequences", sequences)
        if "search_order" in section:
            self.table = ""
            return ("search_order", None)
        if "end" in section:
            return ("end", self._end(section["end"]))
        raise lines.error(f"an unknown section {sorted(section)}: the file is damaged")

    def _table(self, section: dict[str, Any]) -> Event:
        name = section["table"]
        if not self.expected or name != self.expected[0]:
            wanted = self.expected[0] if self.expected else "no more tables"
            raise self.lines.error(f"the table {name} where {wanted} was due: damaged")
        if section.get("columns") != self.contents.tables[name]:
            raise self.lines.error(f"the columns of {name} differ from the header's: damaged")
        self.expected.pop(0)
        self.table = name
        self.contents.rows[name] = 0
        return ("table", name)

    def _end(self, summary: Any) -> dict[str, Any]:
        lines = self.lines
        if not isinstance(summary, dict) or summary.get("sha256") != lines.digest.hexdigest():
            raise lines.error("the file's SHA-256 is not the one it was written with: damaged")
        if summary.get("rows") != self.contents.rows:
            raise lines.error("the rows counted differ from those written: the file is damaged")
        if summary.get("search_keys", 0) != self.contents.search_keys:
            raise lines.error("the search keys counted differ from those written: damaged")
        if lines.next():  # reading on to the end also checks gzip's own CRC and length
            raise lines.error("more follows the last line: the file is damaged")
        return summary


def check_file(path: Path) -> Contents:
    """Read the backup file PATH through, checking it whole; what it holds, or BackupError saying
    what is wrong and where. The database is not touched."""
    with _open(path) as lines:
        sections = _Sections(lines)
        for kind, _value in sections:
            if kind == "end":
                return sections.contents
    raise AssertionError("unreachable: the sections end with 'end' or an error")


def check_restorable(contents: Contents, head: str) -> None:
    """Whether this sayso can restore CONTENTS (its schema is HEAD): same revision, same tables
    and columns as the models."""
    if contents.revision != head:
        raise BackupError(
            f"{contents.path} was made at schema revision {contents.revision}; this sayso's is "
            f"{head}. Restore it with the sayso of that revision into a database migrated to it "
            f"(alembic upgrade {contents.revision}), then run `sayso migrate`"
        )
    ours = {t.name: list(t.columns) for t in tables()}
    if contents.tables != ours:
        differ = sorted(
            name
            for name in ours.keys() | contents.tables.keys()
            if ours.get(name) != contents.tables.get(name)
        )
        raise BackupError(
            f"{contents.path}: the tables {', '.join(differ)} are not as this sayso's models "
            f"say at revision {head}, though the revision is the same: the file is damaged"
        )


# -- restore --------------------------------------------------------------------------------------


def restore(
    engine: Engine,
    path: Path,
    head: str,
    *,
    force: bool = False,
    progress: Progress = lambda _: None,
) -> Contents:
    """Put the backup file PATH back into the database, in one transaction; what it held.

    The file is read through and checked first; then the database must be at revision HEAD, as
    the file, and hold no rows unless FORCE (its rows are then replaced). Any error (BackupError)
    leaves the database as it was.
    """
    contents = check_file(path)
    check_restorable(contents, head)
    progress(
        f"{path}: a whole backup of {sum(contents.rows.values())} rows, made {contents.made_at} "
        f"from {contents.database}"
    )
    # The file is read again as the rows go in, and checked again: the transaction commits only
    # once its last line has been read and its SHA-256 found right.
    try:
        with _open(path) as lines, load_session(engine) as session:
            _Restore(session.connection(), contents, lines, progress).run(force, head)
    except sa.exc.DBAPIError as exc:
        raise BackupError(f"the database refused the restore of {path}: {exc.orig}") from exc
    return contents


class _Restore:
    def __init__(
        self, conn: Connection, contents: Contents, lines: _Lines, progress: Progress
    ) -> None:
        self.conn = conn
        self.contents = contents
        self.lines = lines
        self.progress = progress
        self.sqlite = conn.dialect.name == "sqlite"
        self.driver: Any = conn.connection.dbapi_connection
        self.tables = {t.name: t for t in tables()}
        self.ordered = False  # whether the search order was given (PostgreSQL)
        self.next_position = 0

    def run(self, force: bool, head: str) -> None:
        revision = self._revision()
        if revision != head:
            raise BackupError(
                f"the database is at schema revision {revision}, the backup's is {head}: "
                "run `sayso migrate` first"
            )
        self._lock()
        held = self._held()
        if held and not force:
            counts = ", ".join(f"{self._count(name)} rows of {name}" for name in held[:5]) + (
                ", ..." if len(held) > 5 else ""
            )
            raise BackupError(
                f"the database is not empty ({counts}): a restore replaces everything in it "
                "only with --force (or restore into a new database, after `sayso migrate`)"
            )
        if self.sqlite:
            # Rows may refer to rows further on (an actor to its affiliation): SQLite checks
            # every reference at the commit instead of row by row (PostgreSQL checks at the end
            # of each table's COPY, which holds the rows that refer to each other).
            self.conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        bulk = BulkWriter(self.conn)
        with self._search_index_set_aside():
            self._empty(bool(held))
            with (
                bulk.tuned(sum(self.contents.rows.values())),
                bulk.indexes_deferred(t.table for t in self.tables.values()),
            ):
                self._insert_all()
            self._index_for_search()
        self._sequences()
        if self.sqlite:
            self._check_references()
        else:
            # The planner's statistics of the new rows, as autovacuum would gather them later.
            names = ", ".join(f'"{name}"' for name in self.tables)
            self.conn.exec_driver_sql(f"ANALYZE {names}, search_index")

    def _revision(self) -> str:
        if not sa.inspect(self.conn).has_table("alembic_version"):
            raise BackupError("the database has no schema: run `sayso migrate` first")
        return str(self.conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar())

    def _lock(self) -> None:
        """Keep other writers out (SQLite: the engine's BEGIN IMMEDIATE did). On PostgreSQL the
        tables are emptied with TRUNCATE (_empty), which keeps readers out too until the restore
        commits: they wait, then read what was restored."""
        if self.sqlite:
            return
        names = ", ".join(f'"{name}"' for name in self.tables)
        self.conn.exec_driver_sql(f"LOCK TABLE {names}, search_index IN ACCESS EXCLUSIVE MODE")

    def _held(self) -> list[str]:
        """The tables that hold rows."""
        return [
            name
            for name in self.tables
            if self.conn.exec_driver_sql(f'SELECT 1 FROM "{name}" LIMIT 1').first()
        ]

    def _count(self, name: str) -> int:
        return int(self.conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar_one())

    def _check_references(self) -> None:
        """On SQLite, every reference checked before the commit (which would check them too,
        deferred, but could only say that one failed)."""
        broken = self.conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            shown = "; ".join(
                f"{table} row {rowid} names a missing {parent}"
                for table, rowid, parent, _ in broken[:5]
            )
            raise BackupError(
                f"{self.lines.path}: {len(broken)} row(s) refer to rows the backup does not hold "
                f"({shown}): the file is damaged"
            )

    @contextmanager
    def _search_index_set_aside(self) -> Iterator[None]:
        """The search triggers off while the rows go in (the index is rebuilt after): on SQLite
        dropped and made again from their stored definitions inside this transaction; on
        PostgreSQL skipped while the transaction says `sayso.bulk_load` (search_bulk_load
        migration)."""
        triggers: list[tuple[str, str]] = []
        if self.sqlite:
            triggers = [
                (str(name), str(sql))
                for name, sql in self.conn.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                    "AND name LIKE 'search\\_%' ESCAPE '\\'"
                )
            ]
            for name, _sql in triggers:
                self.conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        else:
            self.conn.exec_driver_sql("SET LOCAL sayso.bulk_load = 'on'")
        yield
        for _name, sql in triggers:
            self.conn.exec_driver_sql(sql)
        if not self.sqlite:
            self.conn.exec_driver_sql("SET LOCAL sayso.bulk_load = 'off'")

    def _empty(self, held: bool) -> None:
        """Every row gone (HELD: there were some, and FORCE said so), and the search index
        emptied (empty already, if the tables were: it is derived from them)."""
        if not self.sqlite:
            # A new, empty file for each table, even an empty one (a table emptied by deletions
            # has room in its pages): the rows are then stored in the order they go in.
            names = ", ".join(f'"{name}"' for name in self.tables)
            self.conn.exec_driver_sql(f"TRUNCATE {names}, search_index")
            return
        self.conn.exec_driver_sql("DELETE FROM search_index")
        self.conn.exec_driver_sql(search_index.EMPTY_SOURCE_TEXTS)
        if held:
            for name in reversed(list(self.tables)):
                self.conn.exec_driver_sql(f'DELETE FROM "{name}"')

    def _insert_all(self) -> None:
        sections = _Sections(self.lines)
        for kind, value in sections:
            if kind == "table":
                self._insert(self.tables[value], sections)
            elif kind == "keys":
                self._search_order(value)
            elif kind == "end":
                return

    def _insert(self, table: _Table, sections: _Sections) -> None:
        lines = sections.lines
        width = len(table.columns)
        instants = [i for i, k in enumerate(table.kinds) if k == "instant"] if self.sqlite else []
        count = 0

        def rows() -> Iterator[list[Any]]:
            nonlocal count
            for kind, value in sections:
                if kind != "row":
                    sections.push_back((kind, value))
                    return
                row = lines.parse(value)
                if type(row) is not list or len(row) != width:
                    raise lines.error(f"a row of {table.name} that is not {width} values: damaged")
                for i in instants:
                    if row[i] is not None:
                        row[i] = _sqlite_instant(row[i], lines)
                count += 1
                yield row

        columns = ", ".join(f'"{c}"' for c in table.columns)
        try:
            if self.sqlite:
                marks = ", ".join("?" for _ in table.columns)
                sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
                cast(sqlite3.Connection, self.driver).executemany(sql, rows())
            else:
                copying = f'COPY "{table.name}" ({columns}) FROM STDIN'
                with self.driver.cursor() as cursor, cursor.copy(copying) as copy:
                    for row in rows():
                        copy.write_row(row)
        except self.conn.dialect.loaded_dbapi.Error as exc:
            raise BackupError(
                f"{lines.path}: the rows of {table.name} could not be restored, near line "
                f"{lines.number}: {exc}"
            ) from exc
        if count:
            self.progress(f"restored {count} rows of {table.name}")

    def _search_order(self, keys: list[int]) -> None:
        """Note the search keys' storage order, to store the index in it (PostgreSQL)."""
        if self.sqlite:
            return  # FTS5 hands matches over in key order, whatever the order of writing
        if not self.ordered:
            self.conn.exec_driver_sql(
                "CREATE TEMPORARY TABLE sayso_search_order (key BIGINT, pos BIGINT) ON COMMIT DROP"
            )
            self.ordered = True
        copying = "COPY sayso_search_order (key, pos) FROM STDIN"
        with self.driver.cursor() as cursor, cursor.copy(copying) as copy:
            for key in keys:
                copy.write_row((key, self.next_position))
                self.next_position += 1

    def _index_for_search(self) -> None:
        """Index every row for search, as the triggers would have (app/search/index.py); on
        PostgreSQL in the storage order the backup noted, else in key order (as a load does)."""
        row_id = "rowid" if self.sqlite else "id"
        rows = " UNION ALL ".join(
            f"SELECT {search_index.row_key(column, 'id', code)} AS k, {column} AS body, "
            f"{code} AS kind, id AS ref_id FROM {table}"
            for table, code, column in search_index.SOURCES
        )
        into = f"INSERT INTO search_index ({row_id}, body, kind, ref_id)"
        if self.ordered:
            self.conn.exec_driver_sql(
                f"{into} SELECT r.k, r.body, r.kind, r.ref_id FROM ({rows}) r "
                "LEFT JOIN sayso_search_order o ON o.key = r.k ORDER BY o.pos NULLS LAST, r.k"
            )
        else:
            if self.sqlite:  # FTS5 writes its index in fewer, larger pieces (app/ingest/write.py)
                self._fts5_hashsize(SQLITE_FTS5_BULK_HASHSIZE)
            self.conn.exec_driver_sql(
                f"{into} SELECT k, body, kind, ref_id FROM ({rows}) AS r ORDER BY k"
            )
            if self.sqlite:
                self._fts5_hashsize(SQLITE_FTS5_HASHSIZE)
        if self.sqlite:  # the sources' texts (PostgreSQL's index on them is kept by PostgreSQL)
            self.conn.exec_driver_sql(search_index.index_source_texts(0))
        self.progress("indexed the rows for search")

    def _fts5_hashsize(self, size: int) -> None:
        self.conn.exec_driver_sql(
            "INSERT INTO search_index (search_index, rank) VALUES ('hashsize', ?)", (size,)
        )

    def _sequences(self) -> None:
        """No id handed out before the backup is handed out again: PostgreSQL's sequences are
        set where the backup's were (or past the largest id held or retired); on SQLite, which
        gives the largest id plus one, a sequence that had gone further (ids of rows since
        removed) is kept as a retired id (app/db/ids.py)."""
        for name, table in self.tables.items():
            if not _serial(table):
                continue
            held = self.conn.execute(sa.select(sa.func.max(table.table.c.id))).scalar() or 0
            retired = (
                self.conn.execute(
                    sa.select(RetiredId.max_id).where(RetiredId.table_name == name)
                ).scalar()
                or 0
            )
            handed = self.contents.sequences.get(name) or 0
            if self.sqlite:
                if handed > max(held, retired):
                    retire(self.conn, {name: [{"id": handed}]})
                continue
            top = max(held, retired, handed)
            sequence = f"pg_get_serial_sequence('{name}', 'id')"
            if top:
                self.conn.exec_driver_sql(f"SELECT setval({sequence}, {top}, true)")
            else:
                self.conn.exec_driver_sql(f"SELECT setval({sequence}, 1, false)")


def _sqlite_instant(value: Any, lines: _Lines) -> str:
    """An instant from the file as SQLAlchemy stores it on SQLite (UTCDateTime: UTC, naive)."""
    try:
        instant = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise lines.error(f"{value!r} is not an instant: the file is damaged") from exc
    if instant.tzinfo is None:
        raise lines.error(f"{value!r} has no UTC offset: the file is damaged")
    return instant.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

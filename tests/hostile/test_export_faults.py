"""Exports and database connections under faults (docs/http-limits.md, "Exports and database
connections"), on both databases, against the real server (`python -m app.web.server`, what
`sayso serve` runs) over real sockets, with short bounds set in its settings:

- an export whose client stops reading, and one whose client goes away, hold nothing after the
  bound: their connection is closed (PostgreSQL: no session of the export's left in
  pg_stat_activity, none idle in a transaction; SQLite: the server no longer has the file open
  for it, and a checkpoint empties the WAL);
- one export more than a worker's cap is a 503 with Retry-After;
- no database connection to be had is a 503 with Retry-After, never a 500: on PostgreSQL a role
  whose CONNECTION LIMIT is reached, on SQLite a pool of one connection held by a write.

The database holds the benchmark's generated corpus (bench/generate.py): an export of several
MB, more than the sockets' buffers take, so that a client that does not read holds it up.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from conftest import Databases, serving
from db_copies import add_keys
from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError

from app.config import PROJECT_ROOT, Settings
from app.db.engine import make_engine, session_scope
from app.db.reads import EXPORT_APPLICATION_NAME, SQL, conninfo, reads_for
from app.ingest.loader import load
from app.main import create_app
from bench.generate import generate

STATEMENTS = 6000  # an export of ~6 MB
SEND_TIMEOUT = 2.0
CAP = 2
POOL_TIMEOUT = 0.5
# A timer may fire late on a busy machine, never early.
LATE = 10.0
EXPORT = "/statements.csv"
EMPTY_EXPORT = "/statements.csv?said_from=2100-01-01"  # no row: the header alone


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate(STATEMENTS, out, seed=5, progress=False)
    return out / "annotations"


def _load_corpus(corpus: Path) -> Callable[[str], dict[str, str]]:
    def make(url: str) -> dict[str, str]:
        engine = make_engine(url)
        try:
            with session_scope(engine) as session:
                load(session, [corpus])
        finally:
            engine.dispose()
        return add_keys(url)

    return make


@dataclass
class Server:
    url: str  # the database's
    port: int
    pid: int
    keys: dict[str, str]

    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def export_sessions(self) -> int:
        """PostgreSQL: the sessions the server has open for exports."""
        database = make_url(self.url)
        with psycopg.connect(_superuser(self.url), autocommit=True) as conn:
            found = conn.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = %s AND application_name = %s",
                (database.database, EXPORT_APPLICATION_NAME),
            ).fetchone()
        assert found is not None
        return int(found[0])

    def files_open(self) -> int:
        """How many times the server process has the SQLite file open. (Not how many
        connections: SQLite keeps a closed connection's descriptor open while another
        connection of the process holds a lock on the file, as the read connection does.)"""
        path = os.path.realpath(make_url(self.url).database or "")
        fds = Path(f"/proc/{self.pid}/fd")
        count = 0
        for fd in fds.iterdir():
            with suppress(FileNotFoundError):  # closed meanwhile
                count += os.readlink(fd) == path
        return count

    baseline: int = 0


def _superuser(url: str) -> str:
    """URL's database, as the test server's superuser (whoever the server connects as)."""
    return conninfo(url).replace(f"//{make_url(url).username}@", "//postgres@")


@contextmanager
def running(url: str, keys: dict[str, str], log: Path, **settings: Any) -> Iterator[Server]:
    """The real server on URL with SETTINGS (SAYSO_<NAME>), one worker."""
    port = _free_port()
    env = {
        **os.environ,
        "SAYSO_DATABASE_URL": url,
        **{f"SAYSO_{name.upper()}": str(value) for name, value in settings.items()},
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.web.server", "127.0.0.1", str(port), "1"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # A read: the worker's read connection is open from then on.
                if httpx.get(f"http://127.0.0.1:{port}/claims", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        # The process that serves: the arbiter's one worker (app/web/server.py).
        (worker,) = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        server = Server(url, port, int(worker), keys)
        if make_url(url).get_backend_name() == "sqlite":
            server.baseline = server.files_open()
        yield server
    finally:
        process.terminate()
        process.wait(30)
    # No fault of a client's made a server error.
    assert "Traceback" not in log.read_text(), log.read_text()


@pytest.fixture(scope="module")
def corpus_db(databases: Databases, corpus: Path) -> tuple[str, dict[str, str]]:
    """A template database holding the corpus, and its keys."""
    return databases.template("export-corpus", _load_corpus(corpus))


@pytest.fixture
def served(
    databases: Databases, corpus_db: tuple[str, dict[str, str]], tmp_path: Path
) -> Iterator[Callable[..., Any]]:
    """Starts the server on a fresh copy of the corpus, with the settings given."""
    template, keys = corpus_db
    url = databases.fresh(template)
    with ExitStack() as stack:

        def start(**settings: Any) -> Server:
            return stack.enter_context(running(url, keys, tmp_path / "server.log", **settings))

        yield start
    databases.drop(url)


def _begin_export(server: Server, path: str = EXPORT) -> socket.socket:
    """A connection asking for the export that reads its first bytes, and no more: its receive
    buffer kept small, so that the server's sends soon wait for it."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(LATE + 10)
    sock.connect(("127.0.0.1", server.port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    first = sock.recv(1024)
    assert first.startswith(b"HTTP/1.1 200 "), first
    return sock


def _wait_for(what: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not what():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _nothing_held(server: Server) -> None:
    """The database shows nothing held for an export: no transaction left open, the WAL free."""
    url = server.url
    if make_url(url).get_backend_name() == "postgresql":
        with psycopg.connect(_superuser(url), autocommit=True) as conn:
            idle = conn.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = %s AND state LIKE 'idle in transaction%%'",
                (make_url(url).database,),
            ).fetchone()
        assert idle == (0,)
        return
    # A write, then a checkpoint that must take the whole WAL back into the file: a reader's
    # open snapshot would keep it from going past that reader's place (busy = 1).
    with closing(sqlite3.connect(make_url(url).database or "")) as conn:
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("UPDATE claims SET text = text WHERE id = (SELECT min(id) FROM claims)")
        conn.commit()
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0
    wal = Path(str(make_url(url).database) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # (gone with the last connection)


def _slot_taken(server: Server) -> bool:
    """Whether the server's exports are all under way (its cap reached): an export of no row
    is then refused (503), else answered."""
    status = httpx.get(server.http() + EMPTY_EXPORT, timeout=30).status_code
    assert status in (200, 503)
    return status == 503


def _released(server: Server) -> bool:
    """Whether the server holds nothing for an export any more: its slots free, and on
    PostgreSQL no session of an export's left."""
    if _slot_taken(server):
        return False
    return make_url(server.url).get_backend_name() != "postgresql" or not server.export_sessions()


@pytest.fixture
def in_uvicorn(
    databases: Databases, corpus_db: tuple[str, dict[str, str]]
) -> Iterator[Callable[..., Server]]:
    """Starts the app under plain uvicorn (in this process, `serving`), with the settings given:
    without `sayso serve`'s connection limits, the app's own bound must let the export go."""
    template, keys = corpus_db
    url = databases.fresh(template)
    with ExitStack() as stack:

        def start(**settings: Any) -> Server:
            app = create_app(Settings(database_url=url, **settings))
            address = stack.enter_context(serving(app))
            return Server(url, int(address.rsplit(":", 1)[1]), os.getpid(), keys)

        yield start
    databases.drop(url)


@pytest.mark.parametrize("server_kind", ["sayso serve", "uvicorn"])
def test_an_export_whose_client_stops_reading_holds_nothing_after_the_bound(
    served: Callable[..., Server],
    in_uvicorn: Callable[..., Server],
    backend: str,
    server_kind: str,
) -> None:
    start = served if server_kind == "sayso serve" else in_uvicorn
    server = start(send_timeout=SEND_TIMEOUT, export_max_concurrent=1)
    with _begin_export(server) as sock:
        # The export is under way, held up by its client (not done already, into the buffers).
        assert _slot_taken(server)
        if backend == "postgresql":
            assert server.export_sessions() == 1
        assert _wait_for(lambda: _released(server), SEND_TIMEOUT + LATE)
        _nothing_held(server)
        # The connection was dropped: the client gets an end, not the rest of the export.
        received = 0
        try:
            while chunk := sock.recv(65_536):
                received += len(chunk)
        except ConnectionResetError:
            pass
    whole = httpx.get(server.http() + EXPORT, timeout=60)
    assert whole.status_code == 200
    assert received < len(whole.content)


def test_an_export_whose_client_goes_holds_nothing(
    served: Callable[..., Server], backend: str
) -> None:
    # The send timeout far away: only the client's leaving can end the export.
    server = served(send_timeout=600, export_max_concurrent=1)
    sock = _begin_export(server)
    assert _slot_taken(server)
    if backend == "postgresql":
        assert server.export_sessions() == 1
    sock.close()
    assert _wait_for(lambda: _released(server), LATE)
    _nothing_held(server)


def test_one_export_over_the_cap_is_503_with_retry_after(
    served: Callable[..., Server], backend: str
) -> None:
    server = served(send_timeout=600, export_max_concurrent=CAP)
    held = [_begin_export(server, path) for path in (EXPORT, "/statements.ndjson")]
    try:
        refused = httpx.get(server.http() + EXPORT, timeout=30)
        assert refused.status_code == 503
        assert refused.headers["content-type"] == "application/problem+json"
        assert int(refused.headers["retry-after"]) > 0
        assert "export_max_concurrent" in refused.json()["detail"]
        if backend == "postgresql":  # refused before it took a connection
            assert server.export_sessions() == CAP
    finally:
        for sock in held:
            sock.close()
    # The slots come back with the clients' leaving.
    assert _wait_for(lambda: _released(server), LATE)
    with httpx.stream("GET", server.http() + EXPORT, timeout=60) as response:
        assert response.status_code == 200


def _write(server: Server, slug: str) -> httpx.Response:
    return httpx.post(
        server.http() + "/claims",
        json={"slug": slug, "text": "A claim written while the connections were short."},
        headers={"Authorization": f"Bearer {server.keys['editor']}"},
        timeout=60,
    )


def _assert_out_of_connections(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    assert "connections" in response.json()["detail"]


def test_no_database_connection_to_be_had_is_503_not_500(
    served: Callable[..., Server],
    databases: Databases,
    corpus_db: tuple[str, dict[str, str]],
    tmp_path: Path,
    backend: str,
) -> None:
    if backend == "postgresql":
        _postgresql_connections_exhausted(databases, corpus_db, tmp_path / "server.log")
    else:
        _sqlite_pool_exhausted(served)


def _sqlite_pool_exhausted(served: Callable[..., Server]) -> None:
    server = served(db_pool_size=1, db_pool_timeout=POOL_TIMEOUT)
    lock = sqlite3.connect(make_url(server.url).database or "", isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # the write lock, held: the first write waits for it
    answers: list[httpx.Response] = []
    first = threading.Thread(target=lambda: answers.append(_write(server, "first-write")))
    first.start()
    try:
        # The first write has the pool's one connection (the server has the file open once
        # more), waiting for the lock: the second finds the pool empty.
        assert _wait_for(lambda: server.files_open() > server.baseline, LATE)
        time.sleep(0.2)  # from its key's check to its transaction, on the same connection
        _assert_out_of_connections(_write(server, "second-write"))
    finally:
        lock.execute("ROLLBACK")
        lock.close()
        first.join(60)
    assert [a.status_code for a in answers] == [201]
    assert _write(server, "third-write").status_code == 201


def _postgresql_connections_exhausted(
    databases: Databases, corpus_db: tuple[str, dict[str, str]], log: Path
) -> None:
    # The server connects as a role of its own, allowed 2 connections (a superuser is not held to
    # a CONNECTION LIMIT): the worker's read connection takes one, the test the other.
    assert databases.pg is not None
    template, keys = corpus_db
    url = databases.fresh(template)
    name = str(make_url(url).database)
    role = f"{name}_limited"
    with psycopg.connect(databases.pg.conninfo(name), autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 2')
        admin.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        admin.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
        admin.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    limited = make_url(url).set(username=role).render_as_string(hide_password=False)
    try:
        with running(limited, keys, log) as server:
            filler = psycopg.connect(conninfo(limited))
            try:
                # Every connection of the role taken: a write and an export get none.
                _assert_out_of_connections(_write(server, "second-write"))
                _assert_out_of_connections(httpx.get(server.http() + EXPORT, timeout=30))
                # Reads go on, on the connection the worker has.
                assert httpx.get(server.http() + "/claims", timeout=30).status_code == 200
            finally:
                filler.close()
            assert _wait_for(lambda: _write(server, "third-write").status_code == 201, LATE)
    finally:
        with psycopg.connect(databases.pg.conninfo("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_postgresql_sessions_carry_the_idle_in_transaction_timeout(
    databases: Databases, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("a PostgreSQL setting")
    url = databases.fresh()
    engine = make_engine(url, idle_in_transaction_timeout=0.5)
    reads = reads_for(url, idle_in_transaction_timeout=0.5)
    try:
        with reads.apart() as conn:
            shown = list(conn.rows(SQL(text("SHOW idle_in_transaction_session_timeout"))))
        assert shown == [[("500ms",)]]
        # A session of the write engine left idle in its transaction is ended by the server.
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            time.sleep(0.5 + 2)
            with pytest.raises(DBAPIError, match="idle-in-transaction timeout"):
                conn.execute(text("SELECT 1"))
        with engine.connect() as conn:  # the engine still gives working connections
            assert conn.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
        reads.close()
        databases.drop(url)


def test_postgresql_sessions_compile_no_query_with_jit(databases: Databases, backend: str) -> None:
    # A search at 10M statements spent ~165 ms compiling its plan and 2-60 ms running it
    # (app/db/engine.py pg_options): sayso's sessions, written and read, have JIT off, unless
    # the URL's own options turn it on.
    if backend != "postgresql":
        pytest.skip("a PostgreSQL setting")
    url = databases.fresh()
    on_again = url + ("&" if "?" in url else "?") + "options=-c%20jit%3Don"
    engines = [make_engine(url), make_engine(on_again)]
    reads = reads_for(url)
    try:
        shown = []
        for engine in engines:
            with engine.connect() as conn:
                shown.append(conn.execute(text("SHOW jit")).scalar())
        assert shown == ["off", "on"]
        with reads.apart() as conn:
            assert list(conn.rows(SQL(text("SHOW jit")))) == [[("off",)]]
    finally:
        for engine in engines:
            engine.dispose()
        reads.close()
        databases.drop(url)

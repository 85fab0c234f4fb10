"""How a load writes an SQLite file (app/db/engine.py load_session): with a rollback journal when no
other connection has the file open, into the WAL beside readers, and back in WAL mode after (a
killed one: when sayso next opens the file)."""

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from conftest import in_process, migration_config, sayso
from seed_facts import SEED_ANNOTATIONS
from sqlalchemy import Engine
from test_loader import snapshot

from app.config import PROJECT_ROOT, Settings
from app.db.engine import load_session, make_engine, session_scope
from app.ingest.loader import load
from app.main import create_app


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    path = tmp_path / "sayso.db"
    command.upgrade(migration_config(f"sqlite:///{path}"), "head")
    return path


@pytest.fixture
def sqlite_engine(sqlite_file: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{sqlite_file}")
    yield engine
    engine.dispose()


def journal_files(db: Path) -> set[str]:
    """Which of SQLite's side files of DB exist now: 'journal' (a rollback journal), 'wal'."""
    return {kind for kind in ("journal", "wal") if Path(f"{db}-{kind}").exists()}


def journal_mode(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


def statement_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM statements").fetchone()[0])


def test_a_load_alone_writes_the_file_with_a_rollback_journal(
    sqlite_file: Path, sqlite_engine: Engine
) -> None:
    seen: list[set[str]] = []

    def progress(line: str) -> None:
        if line.startswith("wrote"):
            seen.append(journal_files(sqlite_file))

    with load_session(sqlite_engine) as session:
        counts = load(session, [SEED_ANNOTATIONS], progress)
    assert seen and all(files == {"journal"} for files in seen), seen
    # Committed, and the file is in WAL mode again for the readers to come.
    assert journal_mode(sqlite_file) == "wal"
    reader = sqlite3.connect(sqlite_file)
    assert statement_count(reader) == counts["statements"] > 0
    reader.close()


def test_a_load_beside_an_open_reader_writes_into_the_wal(
    sqlite_file: Path, sqlite_engine: Engine
) -> None:
    reader = sqlite3.connect(sqlite_file, isolation_level=None)
    assert statement_count(reader) == 0  # the reader has the file open, in WAL mode
    seen: list[tuple[set[str], int]] = []

    def progress(line: str) -> None:
        if line.startswith("wrote"):
            seen.append((journal_files(sqlite_file), statement_count(reader)))

    with load_session(sqlite_engine) as session:
        counts = load(session, [SEED_ANNOTATIONS], progress)
    # The reader read beside the load, at once, what was committed before it.
    assert seen and all(files == {"wal"} and n == 0 for files, n in seen), seen
    assert statement_count(reader) == counts["statements"] > 0
    assert journal_mode(sqlite_file) == "wal"
    reader.close()


def test_a_load_alone_that_fails_leaves_the_file_as_it_was(
    sqlite_file: Path, sqlite_engine: Engine
) -> None:
    first, second = sorted(SEED_ANNOTATIONS.glob("*.yaml"))
    with session_scope(sqlite_engine) as session:
        load(session, [first])
    before = snapshot(sqlite_engine)
    sqlite_engine.dispose()  # no connection left open: the next load is alone

    def progress(line: str) -> None:
        if line.startswith("wrote") and "statements" in line:
            assert journal_files(sqlite_file) == {"journal"}
            raise KeyboardInterrupt  # as a user's Ctrl-C, half-way through the writes

    with pytest.raises(KeyboardInterrupt), load_session(sqlite_engine) as session:
        load(session, [second], progress)
    assert journal_mode(sqlite_file) == "wal"
    assert not Path(f"{sqlite_file}-journal").exists()
    assert snapshot(sqlite_engine) == before


def test_sayso_load_says_which_way_it_writes(sqlite_file: Path) -> None:
    url = f"sqlite:///{sqlite_file}"
    first, second = sorted(SEED_ANNOTATIONS.glob("*.yaml"))
    alone = sayso(url, "load", str(first))
    assert alone.returncode == 0, alone.stderr
    assert "writing its file directly" in alone.stderr
    reader = sqlite3.connect(sqlite_file, isolation_level=None)
    assert statement_count(reader) > 0
    beside = sayso(url, "load", str(second))
    assert beside.returncode == 0, beside.stderr
    assert "loaded: " in beside.stderr and "writing its file directly" not in beside.stderr
    reader.close()


def test_a_request_while_a_load_holds_the_file_is_told_to_retry(
    sqlite_file: Path, sqlite_engine: Engine
) -> None:
    with session_scope(sqlite_engine) as session:
        load(session, [SEED_ANNOTATIONS])
    sqlite_engine.dispose()
    # What a large load writing the file directly holds once it writes pages out: the file's
    # exclusive lock, with a rollback journal.
    writer = sqlite3.connect(sqlite_file, isolation_level=None)
    assert writer.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    writer.execute("BEGIN EXCLUSIVE")
    claim = "putin-signalled-ceasefire-2023"
    with in_process(create_app(Settings(database_url=f"sqlite:///{sqlite_file}"))) as clients:
        client = clients()
        read = client.get(f"/claims/{claim}")
        write = client.post(  # the key is looked up in the database, through the ORM
            "/claims",
            json={"slug": "a-claim", "text": "A claim."},
            headers={"Authorization": "Bearer not-a-key"},
        )
        writer.execute("ROLLBACK")
        writer.execute("PRAGMA journal_mode=WAL")
        after = client.get(f"/claims/{claim}")
    writer.close()
    for busy in (read, write):
        assert busy.status_code == 503, busy.text
        assert busy.headers["content-type"] == "application/problem+json"
        assert busy.headers["retry-after"] == "10"
        assert "a load is writing it" in busy.json()["detail"]
    assert after.status_code == 200 and after.json()["slug"] == claim


def test_a_load_killed_as_it_writes_leaves_the_file_as_it_was_and_back_in_wal_mode(
    sqlite_file: Path, sqlite_engine: Engine
) -> None:
    first, second = sorted(SEED_ANNOTATIONS.glob("*.yaml"))
    with session_scope(sqlite_engine) as session:
        load(session, [first])
    before = snapshot(sqlite_engine)
    sqlite_engine.dispose()  # no connection left open: the load is alone, and writes directly
    loading = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "load", "--workers", "1", str(second)],
        env={**os.environ, "SAYSO_DATABASE_URL": f"sqlite:///{sqlite_file}"},
        cwd=PROJECT_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    said: list[str] = []
    reader = None
    try:
        assert loading.stderr is not None
        for line in loading.stderr:
            said.append(line)
            if "writing its file directly" in line:
                # The load holds the file's write lock, in rollback-journal mode, and checks the
                # file before it writes. A reader that takes the shared lock now keeps it from
                # committing: the kill below comes before the commit, whenever it lands. (The
                # load is stopped meanwhile, so that it cannot commit first.)
                loading.send_signal(signal.SIGSTOP)
                reader = sqlite3.connect(sqlite_file, isolation_level=None)
                reader.execute("BEGIN")
                assert statement_count(reader) == len(before["statements"]), "it committed"
                loading.send_signal(signal.SIGCONT)
            if line.startswith("wrote"):
                break
        assert reader is not None and loading.poll() is None, said
        loading.send_signal(signal.SIGKILL)  # half-way through its writes
        loading.wait(30)
    finally:
        if loading.poll() is None:
            loading.kill()
            loading.wait()
        if reader is not None:
            reader.close()
    assert loading.returncode == -signal.SIGKILL
    # What the kill left: the file in rollback-journal mode (bytes 18 and 19 of its header: 1
    # for a rollback journal, 2 for WAL), and the load's journal beside it.
    assert sqlite_file.read_bytes()[18:20] == b"\x01\x01"
    assert journal_files(sqlite_file) == {"journal"}
    # A server started on it puts it back in WAL mode as it starts, and reads as before.
    with in_process(create_app(Settings(database_url=f"sqlite:///{sqlite_file}"))) as clients:
        assert journal_mode(sqlite_file) == "wal"
        assert clients().get("/claims", params={"limit": 1}).status_code == 200
    assert snapshot(sqlite_engine) == before
    assert "journal" not in journal_files(sqlite_file)

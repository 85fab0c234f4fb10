"""The server's worker pool (app/web/server.py, app/web/worker.py), with workers killed, stopped
and blocked for real: a real `python -m app.web.server` with two workers on a free port.

A worker's liveness is its event loop's heartbeat: a file whose time the loop touches every
half SAYSO_WORKER_TIMEOUT (gunicorn's WorkerTmp). A worker is only stopped here once both have
beaten: the arbiter counts the timeout from a worker's first beat, once its app has started.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest
from conftest import _free_port
from db_copies import add_keys
from sqlalchemy import make_url

from app.config import PROJECT_ROOT

WORKER_TIMEOUT = 4  # seconds: SAYSO_WORKER_TIMEOUT in these servers


@dataclass
class Pool:
    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def workers(self) -> set[int]:
        """The server's worker processes (its children, from /proc)."""
        found = set()
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.add(int(entry))
        return found

    def text(self) -> str:
        return self.log.read_text()

    def wait_for(self, condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert self.process.poll() is None, f"the server exited:\n{self.text()}"
            assert time.monotonic() < deadline, f"not within {seconds:.0f} s: {what}\n{self.text()}"
            time.sleep(0.1)

    def answers(self, path: str = "/health") -> bool:
        try:
            return httpx.get(f"{self.base}{path}", timeout=2).status_code == 200
        except httpx.TransportError:
            return False


def has_beaten(pid: int) -> bool:
    """Whether worker PID's event loop has touched its heartbeat file yet (gunicorn sets its
    time from the monotonic clock; until the first beat it has the file's creation time)."""
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                if "wgunicorn-" in os.readlink(f"/proc/{pid}/fd/{fd}"):
                    return os.stat(f"/proc/{pid}/fd/{fd}").st_mtime < time.monotonic() + 60
    return False


@contextlib.contextmanager
def pool(db_url: str, tmp_path: Path, **settings: str) -> Iterator[Pool]:
    """`python -m app.web.server` (what `sayso serve --workers 2` runs) on DB_URL, with the
    SAYSO_ SETTINGS, until both its workers answer and have beaten; stopped at the end."""
    port = _free_port()
    log = tmp_path / "server.log"
    env = {
        **os.environ,
        "SAYSO_DATABASE_URL": db_url,
        "SAYSO_WORKER_TIMEOUT": str(WORKER_TIMEOUT),
        **{f"SAYSO_{name.upper()}": value for name, value in settings.items()},
    }
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.web.server", "127.0.0.1", str(port), "2"],
            env=env,
            cwd=PROJECT_ROOT,
            stderr=sink,
        )
    server = Pool(process, f"http://127.0.0.1:{port}", log)
    try:
        server.wait_for(server.answers, "the server answers")
        server.wait_for(
            lambda: len(server.workers()) == 2 and all(map(has_beaten, server.workers())),
            "two workers beating",
        )
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_dead_worker_and_a_stopped_one_are_replaced(db_url: str, tmp_path: Path) -> None:
    with pool(db_url, tmp_path, log_format="json") as server:
        first, second = sorted(server.workers())

        # Killed: the arbiter starts another at once, and says so.
        os.kill(first, signal.SIGKILL)
        server.wait_for(
            lambda: len(server.workers() - {first, second}) == 1,
            "a worker in place of the killed one",
        )
        (new,) = server.workers() - {first, second}
        server.wait_for(lambda: has_beaten(new), "the new worker beating")

        # Stopped (its loop beats no more, as a loop blocked would): while it is, the new worker
        # alone takes the connections, and serves them.
        os.kill(second, signal.SIGSTOP)
        stopped_at = time.monotonic()
        answers = [httpx.get(f"{server.base}/ready", timeout=10) for _ in range(5)]
        assert [a.status_code for a in answers] == [200] * 5
        server.wait_for(lambda: second not in server.workers(), "the stopped worker ended")
        replaced_after = time.monotonic() - stopped_at
        server.wait_for(lambda: len(server.workers()) == 2, "a worker in place of the stopped one")
        assert replaced_after > WORKER_TIMEOUT - 2  # not before its heartbeat was that old
        server.wait_for(server.answers, "the server answers")

        server.process.send_signal(signal.SIGTERM)
        server.process.wait(30)
    log = server.text()
    assert server.process.returncode == 0, log
    # The supervisor's messages are log records in sayso's format, as the workers' are.
    records = [json.loads(line) for line in log.splitlines()]
    said = {(r["logger"], r["message"]) for r in records}
    assert ("gunicorn.error", f"WORKER TIMEOUT (pid:{second})") in said
    replaced = [r for r in records if r["logger"] == "sayso.server" and r["level"] == "warning"]
    assert [(r["worker_pid"], r["had_started"]) for r in replaced] == [
        (first, True),
        (second, True),
    ]
    assert replaced[0]["message"] == f"worker {first} exited after it had started; starting another"
    assert not [r for r in records if "exception" in r]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_worker_whose_event_loop_is_blocked_is_replaced(db_url: str, tmp_path: Path) -> None:
    """A read waiting on a lock, inline in a worker's event loop (with no statement time limit):
    the loop is stuck, though the process and its threads run. The heartbeat comes from the
    loop, so the worker is replaced; uvicorn's own supervisor, whose workers answer its ping
    from a thread, would keep it."""
    locker = psycopg.connect(make_url(db_url).set(drivername="postgresql").render_as_string(False))
    with pool(db_url, tmp_path, statement_timeout="0") as server:
        workers = server.workers()
        locker.execute("LOCK TABLE claims IN ACCESS EXCLUSIVE MODE")  # reads of it wait
        blocked: list[int | str] = []

        def read() -> None:
            try:
                blocked.append(httpx.get(f"{server.base}/claims", timeout=60).status_code)
            except httpx.TransportError as exc:  # its worker was killed under it
                blocked.append(type(exc).__name__)

        reader = threading.Thread(target=read)
        reader.start()
        # One worker is stuck on the read; the other serves whatever needs no claims.
        server.wait_for(lambda: bool(workers - server.workers()), "the blocked worker ended")
        (gone,) = workers - server.workers()
        assert server.answers("/health")
        locker.rollback()
        reader.join(60)
        server.wait_for(lambda: len(server.workers()) == 2, "a worker in its place")
        server.wait_for(lambda: server.answers("/claims"), "claims answered again")
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(30)
    locker.close()
    log = server.text()
    assert f"WORKER TIMEOUT (pid:{gone})" in log
    assert f"worker {gone} exited after it had started" in log
    assert blocked != [200]  # cut when its worker was ended, not answered from a stuck loop


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_stopping_server_finishes_the_requests_in_flight(db_url: str, tmp_path: Path) -> None:
    """SIGTERM while a write waits on a lock: the server stops taking connections, the write
    goes through once the lock is let go, its answer is sent, and the server exits."""
    keys = add_keys(db_url)
    conninfo = make_url(db_url).set(drivername="postgresql").render_as_string(False)
    locker = psycopg.connect(conninfo)
    with pool(db_url, tmp_path, shutdown_timeout="20", write_wait="30") as server:
        locker.execute("LOCK TABLE claims IN EXCLUSIVE MODE")  # writes of it wait
        answer: list[httpx.Response] = []
        writer = threading.Thread(target=lambda: answer.append(_post_claim(server, keys)))
        writer.start()
        _wait_for_a_lock_wait(locker, server)
        server.process.send_signal(signal.SIGTERM)
        stopped_at = time.monotonic()
        time.sleep(1.5)
        assert server.process.poll() is None  # still there: a request is in flight
        with pytest.raises(httpx.TransportError):  # but taking no new connection
            httpx.get(f"{server.base}/health", timeout=2)
        locker.rollback()  # the lock let go: the write goes through
        writer.join(30)
        server.process.wait(30)
        exited_after = time.monotonic() - stopped_at
    locker.close()
    assert [a.status_code for a in answer] == [201], server.text()
    assert server.process.returncode == 0, server.text()
    assert exited_after < 20
    with psycopg.connect(conninfo) as conn:
        assert conn.execute("SELECT count(*) FROM claims WHERE slug = 'in-flight'").fetchone() == (
            1,
        )


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_stopping_server_exits_within_its_bound(db_url: str, tmp_path: Path) -> None:
    """A request still in flight when SAYSO_SHUTDOWN_TIMEOUT has passed is cut (its write rolled
    back), and the server exits by then."""
    keys = add_keys(db_url)
    conninfo = make_url(db_url).set(drivername="postgresql").render_as_string(False)
    locker = psycopg.connect(conninfo)
    with pool(db_url, tmp_path, shutdown_timeout="3", write_wait="60") as server:
        locker.execute("LOCK TABLE claims IN EXCLUSIVE MODE")
        answer: list[httpx.Response | str] = []

        def write() -> None:
            try:
                answer.append(_post_claim(server, keys))
            except httpx.TransportError as exc:
                answer.append(type(exc).__name__)

        writer = threading.Thread(target=write)
        writer.start()
        _wait_for_a_lock_wait(locker, server)
        server.process.send_signal(signal.SIGTERM)
        stopped_at = time.monotonic()
        server.process.wait(30)
        exited_after = time.monotonic() - stopped_at
        writer.join(30)
        locker.rollback()
    locker.close()
    assert exited_after < 3 + 1 + 2, exited_after  # the bound, the arbiter's second, slack
    assert server.process.returncode == 0, server.text()
    assert not [a for a in answer if isinstance(a, httpx.Response) and a.status_code == 201]
    with psycopg.connect(conninfo) as conn:
        assert conn.execute("SELECT count(*) FROM claims WHERE slug = 'in-flight'").fetchone() == (
            0,
        )


def _post_claim(server: Pool, keys: dict[str, str]) -> httpx.Response:
    return httpx.post(
        f"{server.base}/claims",
        json={"slug": "in-flight", "text": "A claim written while the server stops."},
        headers={"Authorization": f"Bearer {keys['editor']}"},
        timeout=60,
    )


def _wait_for_a_lock_wait(locker: psycopg.Connection[tuple[object, ...]], server: Pool) -> None:
    """Until a session of the server waits for the lock LOCKER holds (the request is in a
    worker, in flight)."""
    with psycopg.connect(locker.info.dsn, autocommit=True) as watcher:
        server.wait_for(
            lambda: (
                watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                ).fetchone()
                == (1,)
            ),
            "a request waiting on the lock",
        )


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_workers_of_a_killed_arbiter_stop(db_url: str, tmp_path: Path) -> None:
    """SIGKILL to the arbiter alone: its workers, orphaned, stop within a heartbeat instead of
    serving on for ever."""
    with pool(db_url, tmp_path) as server:
        workers = server.workers()
        server.process.kill()
        server.process.wait()
        deadline = time.monotonic() + WORKER_TIMEOUT + 30
        while any(os.path.exists(f"/proc/{pid}") for pid in workers):
            assert time.monotonic() < deadline, server.text()
            time.sleep(0.2)
    assert server.text().count("the arbiter") == 2

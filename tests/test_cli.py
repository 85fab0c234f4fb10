"""`sayso serve --load-seed`, as the README's first command runs it: migrate, load, serve."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from conftest import _free_port

from app.config import PROJECT_ROOT


def test_serve_loads_the_seed_and_answers_and_a_second_start_changes_nothing(db_url: str) -> None:
    def start() -> tuple[subprocess.Popen[str], str]:
        port = _free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--load-seed"],
            env={**os.environ, "SAYSO_DATABASE_URL": db_url},
            cwd=PROJECT_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    return process, base
            except httpx.TransportError:
                time.sleep(0.2)
        process.kill()
        raise AssertionError("sayso serve did not answer within 60 s")

    def stop(process: subprocess.Popen[str]) -> str:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        return stderr

    process, base = start()
    denials = httpx.get(
        f"{base}/claims/putin-signalled-ceasefire-2023/statements", params={"stance": "denies"}
    ).json()
    first_log = stop(process)
    assert {s["speaker"]["slug"] for s in denials["items"]} == {"kremlin", "dmitry-peskov"}
    assert "seed: loaded " in first_log and "statements" in first_log

    process, base = start()
    again = httpx.get(
        f"{base}/claims/putin-signalled-ceasefire-2023/statements", params={"stance": "denies"}
    ).json()
    second_log = stop(process)
    assert again == denials
    assert "seed: already in the database" in second_log


def _children(pid: int) -> set[int]:
    """The processes whose parent is PID (from /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()  # noqa: SIM115
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry))
    return found


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:.0f} s: {what}")
        time.sleep(0.2)


def test_serve_with_workers_replaces_a_dead_worker_and_stops_them_all(seeded_url: str) -> None:
    """`sayso serve --workers 2`: two worker processes under one supervisor (app/web/server.py)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
        env={**os.environ, "SAYSO_DATABASE_URL": seeded_url},
        cwd=PROJECT_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        def answers() -> bool:
            try:
                return httpx.get(f"{base}/health", timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        _wait_for(answers, "sayso serve answers")
        _wait_for(lambda: len(_children(process.pid)) == 2, "two workers")
        workers = _children(process.pid)
        # Every connection is answered, whichever worker takes it.
        claims = [httpx.get(f"{base}/claims", params={"limit": 3}) for _ in range(10)]
        assert {r.status_code for r in claims} == {200}
        assert len({r.content for r in claims}) == 1

        killed = min(workers)
        os.kill(killed, signal.SIGKILL)
        _wait_for(
            lambda: len(_children(process.pid)) == 2 and killed not in _children(process.pid),
            "a new worker in place of the killed one",
        )
        _wait_for(answers, "sayso serve answers again")
        workers = _children(process.pid)

        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert f"worker {killed} exited after it had started" in stderr
    for pid in workers:  # stopped and reaped: gone
        assert not os.path.exists(f"/proc/{pid}")


def test_serve_stops_when_the_app_cannot_be_loaded() -> None:
    """An app that cannot even be built (here: a database URL sayso cannot use) stops the server
    at once: gunicorn's boot error, with the reason."""
    process = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(_free_port()), "--workers", "2"],
        env={**os.environ, "SAYSO_DATABASE_URL": "mysql://nobody@127.0.0.1/none"},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 3
    assert "Worker failed to boot" in process.stderr
    assert "unsupported database: mysql" in process.stderr


def test_serve_gives_up_when_the_workers_cannot_start() -> None:
    """A worker whose app fails to start (here: a PostgreSQL server that is not there) is
    replaced a few times, then the server stops with an error instead of forking forever."""
    process = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(_free_port()), "--workers", "2"],
        env={
            **os.environ,
            "SAYSO_DATABASE_URL": f"postgresql+psycopg://nobody@127.0.0.1:{_free_port()}/none",
        },
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert process.returncode == 1
    assert process.stderr.count("before its app had started; starting another") >= 4
    assert "the workers keep failing to start" in process.stderr
    assert "Connection refused" in process.stderr


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("SAYSO_RATE_LIMIT_PER_KEY", "bogus", "SAYSO_RATE_LIMIT_PER_KEY: 'bogus' is not a rate"),
        ("SAYSO_PAGE_SIZE", "0", "SAYSO_PAGE_SIZE: Input should be greater than or equal to 1"),
        (
            "SAYSO_READ_DATABASE_URLS",
            '["postgresql+psycopg://nobody@127.0.0.1/none"]',
            "and SAYSO_DATABASE_URL names sqlite",
        ),
    ],
)
def test_a_wrong_setting_is_said_in_a_line_not_a_traceback(
    tmp_path: Path, setting: str, value: str, said: str
) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(_free_port())],
        env={
            **os.environ,
            "SAYSO_DATABASE_URL": f"sqlite:///{tmp_path / 'sayso.db'}",
            setting: value,
        },
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 2
    assert said in process.stderr
    assert "Traceback" not in process.stderr
    assert not (tmp_path / "sayso.db").exists(), "nothing was started"

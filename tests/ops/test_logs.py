"""The server's log: an access line for every request with its id (sent back in X-Request-ID and
carried by every line of the request), text or JSON lines, an error logged once with its
traceback and answered with its id, and writes logged by the key's name, never the key."""

import io
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import _free_port, in_process
from db_copies import add_keys
from sqlalchemy import text

from app.config import PROJECT_ROOT, Settings
from app.db.engine import make_engine
from app.main import create_app
from app.web.logs import LogFormat, configure

CEASEFIRE = "putin-signalled-ceasefire-2023"
PLAIN = {"Accept-Encoding": "identity"}  # so that the bytes logged are the body's own


@pytest.fixture
def log_to() -> Iterator[Callable[[LogFormat], io.StringIO]]:
    """configure() for this test, onto a string: what the server would write on stderr. The
    logging set-up is put back as it was after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    flags = logging.logThreads, logging.logProcesses, logging.logMultiprocessing

    def to(form: LogFormat) -> io.StringIO:
        stream = io.StringIO()
        configure("info", form, stream)
        return stream

    yield to
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    logging.logThreads, logging.logProcesses, logging.logMultiprocessing = flags


def json_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    """Every line written, each parsed as JSON (a line that is not fails the test)."""
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def access(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line for line in lines if line["logger"] == "sayso.access"]


def test_every_request_has_one_access_line_with_its_id(
    seeded_url: str, log_to: Callable[[LogFormat], io.StringIO]
) -> None:
    log = log_to("json")
    with in_process(create_app(Settings(database_url=seeded_url))) as client:
        http = client()
        # A direct read (app/web/direct_reads.py), with an id of the client's.
        read = http.get(
            f"/claims/{CEASEFIRE}/statements?stance=denies",
            headers={**PLAIN, "X-Request-ID": "trace-42.a"},
        )
        # One that goes through FastAPI's routing (no key: 401), a HEAD, a 404.
        write = http.post("/claims", json={"slug": "x", "text": "X."})
        head = http.head("/claims", headers=PLAIN)
        missing = http.get("/claims/no-such-claim", headers=PLAIN)
        # Ids that are not sane are not taken: too long, or with a character out of bounds.
        too_long = http.get("/health", headers={"X-Request-ID": "a" * 129})
        spaced = http.get("/health", headers={"X-Request-ID": "a b"})
    lines = json_lines(log)
    logged = access(lines)
    assert len(logged) == 6, lines

    assert read.status_code == 200 and read.headers["x-request-id"] == "trace-42.a"
    line = logged[0]
    assert line["request_id"] == "trace-42.a"
    assert line["level"] == "info"
    assert (line["method"], line["path"], line["status"]) == (
        "GET",
        f"/claims/{CEASEFIRE}/statements?stance=denies",
        200,
    )
    assert line["bytes"] == len(read.content) > 0
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["client"] == "testclient"
    assert line["message"].startswith(f"GET /claims/{CEASEFIRE}/statements?stance=denies 200 ")

    made = [r.headers["x-request-id"] for r in (write, head, missing, too_long, spaced)]
    assert [line["request_id"] for line in logged[1:]] == made
    assert all(re.fullmatch("[0-9a-f]{32}", rid) for rid in made)
    assert len(set(made)) == len(made)
    assert [(line["method"], line["status"]) for line in logged[1:4]] == [
        ("POST", 401),
        ("HEAD", 200),
        ("GET", 404),
    ]
    assert logged[2]["bytes"] == 0  # a HEAD sends no body
    assert logged[3]["bytes"] == len(missing.content)


def test_the_text_format_is_one_readable_line(
    seeded_url: str, log_to: Callable[[LogFormat], io.StringIO]
) -> None:
    log = log_to("text")
    with in_process(create_app(Settings(database_url=seeded_url))) as client:
        answer = client().get("/claims?limit=2", headers={**PLAIN, "X-Request-ID": "abc"})
    # (The test's HTTP client, httpx, logs its requests too.)
    (line,) = [line for line in log.getvalue().splitlines() if " sayso.access " in line]
    instant = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
    expected = (
        rf"{instant} INFO sayso\.access \[abc\] GET /claims\?limit=2 200 \d+\.\d\d ms (\d+) B"
    )
    found = re.fullmatch(expected, line)
    assert found is not None, line
    assert int(found.group(1)) == len(answer.content)


def test_an_error_is_logged_once_with_its_traceback_and_answered_with_its_id(
    seeded_url: str, log_to: Callable[[LogFormat], io.StringIO]
) -> None:
    log = log_to("json")
    app = create_app(Settings(database_url=seeded_url))

    async def fails() -> None:
        raise RuntimeError("the failure under test")

    app.add_api_route("/fails", fails)
    with in_process(app) as client:
        answer = client().get("/fails", headers={"X-Request-ID": "err-1"})
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["x-request-id"] == "err-1"
    assert answer.json() == {
        "type": "about:blank",
        "title": "Internal server error",
        "status": 500,
        "detail": "The server failed; it is logged.",
        "instance": "/fails",
        "request_id": "err-1",
    }
    lines = json_lines(log)
    errors = [line for line in lines if "exception" in line]
    assert len(errors) == 1, lines
    assert errors[0]["level"] == "error" and errors[0]["request_id"] == "err-1"
    assert "Traceback" in errors[0]["exception"]
    assert "RuntimeError: the failure under test" in errors[0]["exception"]
    assert log.getvalue().count("RuntimeError: the failure under test") == 1
    assert [(line["status"], line["request_id"]) for line in access(lines)] == [(500, "err-1")]


def test_a_read_that_fails_in_the_database_is_logged_once(
    seeded_db_url: str, log_to: Callable[[LogFormat], io.StringIO]
) -> None:
    # A table the read needs is gone: SQLite's error has a handler of its own (it could have
    # been a busy database), PostgreSQL's has none and reaches the access log's last word.
    engine = make_engine(seeded_db_url)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE claims RENAME TO claims_gone"))
    engine.dispose()
    log = log_to("json")
    with in_process(create_app(Settings(database_url=seeded_db_url))) as client:
        answer = client().get(f"/claims/{CEASEFIRE}", headers={"X-Request-ID": "db-err"})
        assert client().get("/health").status_code == 200  # the worker goes on
    assert answer.status_code == 500
    assert answer.json()["request_id"] == "db-err"
    lines = json_lines(log)
    errors = [line for line in lines if "exception" in line]
    assert len(errors) == 1, lines
    assert errors[0]["request_id"] == "db-err" and "claims" in errors[0]["exception"]
    assert [line["status"] for line in access(lines)] == [500, 200]


def test_a_write_is_logged_by_the_keys_name_never_the_key(
    seeded_db_url: str, log_to: Callable[[LogFormat], io.StringIO]
) -> None:
    keys = add_keys(seeded_db_url)
    log = log_to("json")
    with in_process(create_app(Settings(database_url=seeded_db_url))) as client:
        editor = client(Authorization=f"Bearer {keys['editor']}")
        made = editor.post(
            "/claims",
            json={"slug": "logged-claim", "text": "A claim to log."},
            headers={"X-Request-ID": "write-1"},
        )
        refused = editor.post("/claims", json={"slug": "logged-claim", "text": "Again."})
    assert made.status_code == 201 and refused.status_code == 409
    lines = json_lines(log)
    writes = [line for line in lines if line["logger"] == "sayso.writes"]
    assert len(writes) == 1, lines  # the refused write changed nothing, and logged nothing
    (write,) = writes
    assert write["request_id"] == "write-1"  # the write ran in a worker thread
    assert (write["key_name"], write["key_role"]) == ("an editor", "editor")
    (change,) = write["changes"]
    assert isinstance(change["id"], int)
    assert change == {
        "action": "create",
        "type": "claim",
        "id": change["id"],
        "slug": "logged-claim",
    }
    assert write["message"] == "key 'an editor' (editor): create claim logged-claim"
    for key in keys.values():
        assert key not in log.getvalue()


def test_a_server_logs_json_lines_of_its_own_and_not_uvicorns(
    seeded_db_url: str, tmp_path: Path
) -> None:
    port = _free_port()
    out = tmp_path / "server.log"
    env = {**os.environ, "SAYSO_DATABASE_URL": seeded_db_url, "SAYSO_LOG_FORMAT": "json"}
    with out.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "app.web.server", "127.0.0.1", str(port), "1"],
            env=env,
            cwd=PROJECT_ROOT,
            stderr=sink,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, out.read_text()
            assert time.monotonic() < deadline, out.read_text()
            time.sleep(0.1)
        answer = httpx.get(f"{base}/claims", headers={**PLAIN, "X-Request-ID": "served-1"})
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert answer.headers["x-request-id"] == "served-1"
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    ours = [line for line in lines if line.get("request_id") == "served-1"]
    assert [(line["logger"], line["path"], line["status"]) for line in ours] == [
        ("sayso.access", "/claims", 200)
    ]
    assert ours[0]["bytes"] == len(answer.content)
    # uvicorn's own access log is off: no line of its format.
    assert '"GET /claims HTTP/1.1"' not in out.read_text()

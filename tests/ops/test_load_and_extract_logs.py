"""The log's lines from the loader (`sayso load`, the seed, POST /ingest) and the extraction
(POST /extract): one line per load or ingest with the rows added and the time taken, one per
refused file with its problems, one per extraction with its size, statements, time and outcome,
each carrying its request's id when it comes from one; and the server's supervisor writing its
messages as records in the same format."""

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import in_process
from db_copies import add_keys
from seed_facts import SEED_ANNOTATIONS

from app.config import PROJECT_ROOT, Settings
from app.db.engine import make_engine, session_scope
from app.ingest.loader import annotation_files, load
from app.ingest.problems import InvalidAnnotations
from app.main import create_app
from app.web.logs import configure

Lines = list[dict[str, Any]]
# An article of the extractor's benchmark, with statements to draft.
KYIV = (
    PROJECT_ROOT / "bench/extract/dev/documents/kyiv-ledger-2024-02-14-kremlin-rejects-report.txt"
)


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The log as the server writes it with SAYSO_LOG_FORMAT=json, onto a string, for this
    test; the logging set-up is put back as it was after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    flags = logging.logThreads, logging.logProcesses, logging.logMultiprocessing
    stream = io.StringIO()
    configure("info", "json", stream)
    yield stream
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    logging.logThreads, logging.logProcesses, logging.logMultiprocessing = flags


def json_lines(stream: io.StringIO) -> Lines:
    """Every line written, each parsed as JSON (a line that is not fails the test)."""
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def of(logger: str, lines: Lines) -> Lines:
    return [line for line in lines if line["logger"] == logger]


def test_a_load_logs_what_it_added_and_a_refused_one_each_file(
    db_url: str, tmp_path: Path, json_log: io.StringIO
) -> None:
    log = json_log
    files = annotation_files([SEED_ANNOTATIONS])
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: sayso/1\nsource: {slug: nothing-here}\n")
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            added = load(session, [SEED_ANNOTATIONS])
        refused = None
        with session_scope(engine) as session:
            try:
                load(session, [SEED_ANNOTATIONS, broken])
            except InvalidAnnotations as exc:
                refused = exc
    finally:
        engine.dispose()
    assert refused is not None
    (loaded, *rest) = of("sayso.load", json_lines(log))
    assert loaded["outcome"] == "loaded" and loaded["level"] == "info"
    assert loaded["added"] == added and loaded["files"] == len(files)
    assert isinstance(loaded["duration_ms"], float) and loaded["duration_ms"] > 0
    assert f"loaded {len(files)} file(s) in " in loaded["message"]
    assert f"{added['statements']} statements" in loaded["message"]
    *per_file, summary = rest
    assert [line["file"] for line in per_file] == [str(broken)]
    assert per_file[0]["problems"] == len(refused.problems)
    assert per_file[0]["first_problem"] == str(refused.problems[0])
    assert per_file[0]["level"] == "warning"
    assert summary["outcome"] == "refused" and summary["refused_files"] == 1
    assert summary["problems"] == len(refused.problems) and summary["files"] == len(files) + 1
    assert "nothing written" in summary["message"]
    assert all("request_id" not in line for line in (loaded, *rest))  # not in a request


def test_ingest_logs_a_line_per_document_with_the_request_id(
    db_url: str, json_log: io.StringIO
) -> None:
    keys = add_keys(db_url)
    log = json_log
    document = {
        "format": "sayso/1",
        "source": {
            "slug": "logged-source",
            "title": "Logged",
            "language": "en",
            "text": "Nothing said here.",
        },
    }
    with in_process(create_app(Settings(database_url=db_url))) as client:
        editor = client(Authorization=f"Bearer {keys['editor']}")
        made = editor.post("/ingest", json=document, headers={"X-Request-ID": "ingest-1"})
        wrong = editor.post(
            "/ingest",
            json={**document, "statements": [{"slug": "s", "speaker": "nobody"}]},
            headers={"X-Request-ID": "ingest-2"},
        )
    assert made.status_code == 201 and wrong.status_code == 422
    lines = of("sayso.load", json_lines(log))
    (loaded,) = [line for line in lines if line["request_id"] == "ingest-1"]
    assert loaded["outcome"] == "loaded" and loaded["source"] == "logged-source"
    assert loaded["added"] == made.json()["added"] and loaded["added"]["sources"] == 1
    assert loaded["message"].startswith("loaded source logged-source in ")
    refusals = [line for line in lines if line["request_id"] == "ingest-2"]
    assert [line["level"] for line in refusals] == ["warning", "warning"]
    assert refusals[0]["file"] == "request body"
    assert refusals[0]["problems"] == len(wrong.json()["errors"])
    assert refusals[1]["outcome"] == "refused"


def test_an_extraction_logs_its_size_statements_time_and_outcome(
    seeded_url: str, json_log: io.StringIO
) -> None:
    text = KYIV.read_text(encoding="utf-8")
    log = json_log
    settings = Settings(database_url=seeded_url, extract_anonymous_chars=len(text))
    with in_process(create_app(settings)) as client:
        drafted = client().post("/extract", json={"text": text}, headers={"X-Request-ID": "ex-1"})
        too_long = client().post(
            "/extract", json={"text": text + "."}, headers={"X-Request-ID": "ex-2"}
        )
    assert drafted.status_code == 200 and too_long.status_code == 413
    lines = {line["request_id"]: line for line in of("sayso.extract", json_lines(log))}
    assert lines["ex-1"]["outcome"] == "drafted" and lines["ex-1"]["level"] == "info"
    assert lines["ex-1"]["chars"] == len(text)
    assert lines["ex-1"]["statements"] == drafted.json()["statements"] > 0
    assert lines["ex-1"]["duration_ms"] > 0
    assert lines["ex-2"]["outcome"] == "too_large" and lines["ex-2"]["level"] == "warning"
    assert lines["ex-2"]["chars"] == len(text) + 1


def test_sayso_load_writes_its_line_as_json_when_told(db_url: str) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "app.cli", "load", str(SEED_ANNOTATIONS)],
        env={**os.environ, "SAYSO_DATABASE_URL": db_url, "SAYSO_LOG_FORMAT": "json"},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 0, process.stderr
    records = [json.loads(line) for line in process.stderr.splitlines() if line.startswith("{")]
    (loaded,) = of("sayso.load", records)
    assert loaded["outcome"] == "loaded" and loaded["added"]["sources"] >= 2

"""The price of POST /extract (docs/extract-limits.md), on a real server, SQLite and PostgreSQL:
a text's length bounded by key, an extraction stopped past its CPU-time bound while the worker
reads on, a cap on the extractions a worker runs at once, and the extraction processes ending
with the app."""

import os
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from conftest import serving
from db_copies import seed_with_keys
from fastapi import FastAPI
from sqlalchemy import make_url, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.config import PROJECT_ROOT, Settings
from app.db.engine import make_engine
from app.extract.article import ArticleMeta
from app.extract.child import reading_url
from app.extract.runner import Bounds, Extractors, Unavailable
from app.main import create_app
from app.models import Actor

ARTICLE = (
    "GENEVA (Wire) - The ceasefire talks will resume next week, a senior diplomat told "
    'reporters on Tuesday. "We are close to an agreement," the diplomat said.\n'
    "A government spokeswoman denied that the talks would resume next week.\n"
)
SEED_DOCUMENT = next(iter(sorted((PROJECT_ROOT / "seed_data" / "documents").glob("*.txt"))))


@dataclass
class Served:
    app: FastAPI
    anonymous: httpx.Client
    editor: httpx.Client
    revoked: httpx.Client

    @property
    def extractors(self) -> Extractors:
        pool: Extractors = self.app.state.extractors
        return pool


@contextmanager
def served(db_url: str, **settings: Any) -> Iterator[Served]:
    """The seeded database at DB_URL served with SETTINGS, and a client of each kind."""
    keys = seed_with_keys(db_url)
    app = create_app(Settings(database_url=db_url, **settings))
    with serving(app) as url:
        clients = {
            role: httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
            for role, key in keys.items()
            if role != "admin"
        }
        anonymous = httpx.Client(base_url=url, timeout=60)
        try:
            yield Served(app, anonymous, **clients)
        finally:
            for client in [*clients.values(), anonymous]:
                client.close()


def long_text(chars: int, document: Path = SEED_DOCUMENT) -> str:
    """CHARS characters of copies of a seed document, each copy's lines made distinct (a line
    printed again further down is read once)."""
    unit = document.read_text(encoding="utf-8").splitlines()
    copies, total, n = [], 0, 0
    while total < chars:
        copy = "\n".join(f"{line} ({n})" if line.strip() else line for line in unit) + "\n"
        copies.append(copy)
        total, n = total + len(copy), n + 1
    return "".join(copies)[:chars]


def assert_problem(response: httpx.Response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    detail: str = response.json()["detail"]
    for word in words:
        assert word in detail, detail
    return detail


def alive(pid: int) -> bool:
    """Whether PID is a process (a zombie not yet reaped counts as one)."""
    return Path(f"/proc/{pid}").exists()


def test_a_text_over_its_callers_limit_is_refused_naming_the_limit(db_url: str) -> None:
    with served(db_url, extract_anonymous_chars=2000, extract_max_chars=8000) as site:
        # Without a key: up to extract_anonymous_chars.
        at_limit = site.anonymous.post("/extract", json={"text": long_text(2000)})
        assert at_limit.status_code == 200, at_limit.text
        over = site.anonymous.post("/extract", json={"text": long_text(2001)})
        assert_problem(over, 413, "2,001 characters", "2,000", "extract_anonymous_chars", "8,000")
        # With an editor's key: up to extract_max_chars.
        keyed = site.editor.post("/extract", json={"text": long_text(2001)})
        assert keyed.status_code == 200, keyed.text
        for client in (site.editor, site.anonymous):
            too_long = client.post("/extract", json={"text": long_text(8001)})
            assert_problem(too_long, 413, "8,001 characters", "8,000", "extract_max_chars")
        # A key that is sent is checked, however short the text.
        revoked = site.revoked.post("/extract", json={"text": ARTICLE})
        assert_problem(revoked, 401, "revoked")


def test_ingesting_still_needs_a_key_and_a_key_lifts_the_limit(db_url: str) -> None:
    meta = {"slug": "wire-geneva-talks", "language": "en"}
    longer = ARTICLE * 3  # its lines repeat: the draft is the article's
    with served(db_url, extract_anonymous_chars=100) as site:
        refused = site.anonymous.post(
            "/extract", params={"ingest": "true"}, json={"text": ARTICLE[:90], "meta": meta}
        )
        assert_problem(refused, 401, "API key")
        written = site.editor.post(
            "/extract", params={"ingest": "true"}, json={"text": longer, "meta": meta}
        )
        assert written.status_code == 200, written.text
        assert written.json()["ingested"]["statements"] == written.json()["statements"] >= 2
        assert site.anonymous.get("/sources/wire-geneva-talks").json()["text"] == longer


def test_an_extraction_past_its_cpu_bound_is_stopped_and_the_worker_reads_on(db_url: str) -> None:
    with served(db_url, extract_cpu_seconds=0.02) as site:
        stopped = site.anonymous.post("/extract", json={"text": long_text(40_000)})
        assert_problem(stopped, 503, "CPU-time bound of 0.02 s", "extract_cpu_seconds")
        assert "retry-after" not in stopped.headers  # the same text would pass it again
        # The process that ran it is gone; the worker answers reads, and the next (short)
        # extraction gets a process of its own.
        assert site.extractors.pids() == []
        assert site.anonymous.get("/claims").status_code == 200
        empty = site.anonymous.post("/extract", json={"text": ""})
        assert empty.status_code == 200, empty.text
        assert empty.json()["reason"] == "the text is empty"
        children = site.extractors.pids()
        assert len(children) == 1
    # The extraction processes end with the app.
    assert not any(alive(pid) for pid in children)


def test_beyond_the_cap_a_request_waits_briefly_then_gets_503_and_retry_after(
    db_url: str,
) -> None:
    settings = {"extract_concurrency": 1, "extract_queue_seconds": 0.2}
    with served(db_url, **settings) as site:
        first: dict[str, httpx.Response] = {}
        thread = threading.Thread(
            target=lambda: first.update(r=site.anonymous.post("/extract", json={"text": ARTICLE}))
        )
        thread.start()
        # The first extraction has the one slot: its process is held still (SIGSTOP) until the
        # second request has been answered.
        deadline = time.monotonic() + 60
        while getattr(site.app.state, "extractors", None) is None or not site.extractors.pids():
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.01)
        (pid,) = site.extractors.pids()
        os.kill(pid, signal.SIGSTOP)
        try:
            assert site.extractors.running == 1
            started = time.monotonic()
            second = site.anonymous.post("/extract", json={"text": ARTICLE})
            assert time.monotonic() - started >= 0.2
            assert_problem(second, 503, "extract_concurrency", "extract_queue_seconds")
            assert int(second.headers["retry-after"]) >= 1
            # Reads do not wait for extractions.
            assert site.anonymous.get("/claims").status_code == 200
        finally:
            os.kill(pid, signal.SIGCONT)
        thread.join(60)
        assert first["r"].status_code == 200, first["r"].text
        assert first["r"].json()["statements"] >= 2
        # The slot is free again.
        assert site.anonymous.post("/extract", json={"text": ARTICLE}).status_code == 200


def test_an_extraction_past_its_memory_bound_is_stopped(db_url: str) -> None:
    # Below the HTTP layer, for a text no setting lets through: 1.5 million characters take
    # ~100 MB to draft, far past a bound of 16 MB.
    pool = Extractors(db_url, Bounds(cpu_seconds=60, memory_mb=16, concurrency=1, queue_seconds=1))
    try:
        with pytest.raises(Unavailable, match="memory bound of 16 MB"):
            anyio.run(pool.draft, long_text(1_500_000), ArticleMeta())
        assert pool.pids() == []  # the process that passed it is gone
    finally:
        pool.close()


def test_an_idle_extraction_process_leaves_and_the_next_request_starts_another(
    db_url: str,
) -> None:
    bounds = Bounds(cpu_seconds=30, memory_mb=512, concurrency=1, queue_seconds=1)
    pool = Extractors(db_url, bounds, idle_seconds=0.3)
    try:
        assert anyio.run(pool.draft, ARTICLE, ArticleMeta()).statements >= 2
        (first,) = pool.pids()
        deadline = time.monotonic() + 30
        while alive(first) and Path(f"/proc/{first}/stat").read_text().split()[2] != "Z":
            assert time.monotonic() < deadline, "the idle process did not leave"
            time.sleep(0.05)
        assert anyio.run(pool.draft, ARTICLE, ArticleMeta()).statements >= 2
        (second,) = pool.pids()
        assert second != first and not alive(first)  # the one that left was reaped
    finally:
        pool.close()


def test_the_extraction_reads_an_sqlite_file_without_taking_its_write_lock(
    db_url: str, backend: str
) -> None:
    # An extraction's session lasts as long as the extraction: writers must not wait for it.
    url = reading_url(db_url)
    if backend != "sqlite":
        assert url == db_url
        return
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            session.execute(select(Actor.id)).all()  # its transaction has begun
            writer = sqlite3.connect(str(make_url(db_url).database), timeout=0)
            try:
                writer.execute("BEGIN IMMEDIATE")  # the write lock, at once
                writer.execute("ROLLBACK")
            finally:
                writer.close()
            with pytest.raises(OperationalError, match="readonly"):
                session.execute(text("DELETE FROM actors"))
    finally:
        engine.dispose()

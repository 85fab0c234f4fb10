"""A write that meets a load waits `write_wait` seconds at most, then is answered 503 with
Retry-After and writes nothing, on SQLite (a load beside the running server: into the WAL) and
on PostgreSQL (the load's table locks); once the load has ended, the same write goes through."""

import threading
import time
from collections.abc import Callable

import httpx
from conftest import in_process
from sites import etag, keyed_db  # noqa: F401 (fixtures)

from app.config import Settings
from app.db.engine import load_session, make_engine
from app.ingest.write import BulkWriter
from app.main import create_app

CLAIM = "/claims/putin-signalled-ceasefire-2023"
WAIT = 1.0  # write_wait, seconds


def within(seconds: float, request: Callable[[], httpx.Response]) -> httpx.Response:
    """REQUEST's answer, made in a thread; the test fails if none comes within SECONDS (a write
    that waits without bound would hold the test, and the load, forever)."""
    answers: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: answers.append(request()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert answers, f"no answer within {seconds} s"
    return answers[0]


def assert_busy(response: httpx.Response, waited: float) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "10"
    assert "a load is writing it" in response.json()["detail"]
    assert waited >= WAIT  # it did wait for the load, as long as it may


def test_a_write_during_a_load_waits_its_bound_then_is_told_to_retry(
    keyed_db: tuple[str, dict[str, str]],
) -> None:
    db_url, keys = keyed_db
    app = create_app(Settings(database_url=db_url, write_wait=WAIT))
    loader = make_engine(db_url)
    try:
        with in_process(app) as clients:
            editor = clients(Authorization=f"Bearer {keys['editor']}")
            reader = clients()
            # The server has the file open (a read): on SQLite the load writes into the WAL.
            tag = etag(editor, CLAIM)
            history = reader.get(f"{CLAIM}/history").json()
            edit = {"json": {"note": "Edited during a load."}, "headers": {"If-Match": tag}}
            new = {"slug": "a-claim-during-a-load", "text": "A claim made during a load."}
            with load_session(loader) as session:
                assert not session.info["rollback_journal"]
                BulkWriter(session.connection()).lock()  # what a load holds while it writes
                start = time.monotonic()
                patched = within(WAIT + 60, lambda: editor.patch(CLAIM, **edit))
                patch_waited = time.monotonic() - start
                start = time.monotonic()
                posted = within(WAIT + 60, lambda: editor.post("/claims", json=new))
                post_waited = time.monotonic() - start
                # Reads go on beside the load, from what was committed before it.
                assert reader.get(CLAIM).headers["etag"] == tag
            assert_busy(patched, patch_waited)
            assert_busy(posted, post_waited)
            # Nothing was written.
            assert reader.get(CLAIM).headers["etag"] == tag
            assert reader.get(f"{CLAIM}/history").json() == history
            assert reader.get(f"/claims/{new['slug']}").status_code == 404
            # The load over, the same writes go through.
            assert editor.patch(CLAIM, **edit).status_code == 200
            assert editor.post("/claims", json=new).status_code == 201
    finally:
        loader.dispose()

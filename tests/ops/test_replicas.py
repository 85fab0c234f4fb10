"""Reads on PostgreSQL streaming replicas (SAYSO_READ_DATABASE_URLS), on a real primary and a
real hot standby made from it with pg_basebackup (tests/replica_pair.py): reads go to the
replica, writes to the primary; a write's answer carries its WAL position (X-Sayso-LSN) and a
read that sends it back sees the write; a replica stopped, or lagging past the bound, is skipped
and comes back when it recovers, with a log line each way.

Which server answered is shown by the data: with the replica's replay paused, the replica
answers what was there before the write, the primary the write."""

import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from alembic import command
from conftest import in_process, migration_config
from db_copies import add_keys, seed_with_keys
from pg_server import PgServer
from replica_pair import (
    PRIMARY_SETTINGS,
    ReplicaServer,
    halt,
    replica_unavailable_reason,
    resume,
)

from app.config import Settings
from app.db.replicas import ReplicatedReads, read_databases
from app.db.wal import format_lsn, parse_lsn
from app.main import create_app

LSN = "X-Sayso-LSN"


@dataclass
class Pair:
    primary: PgServer
    replica: ReplicaServer
    url: str  # the primary's sayso database
    replica_url: str  # the same database, on the replica
    keys: dict[str, str]


# The one parameter names the backend in the tests' ids: under xdist they run with the other
# PostgreSQL tests, on one worker, around one pair (tests/backend_groups.py).
@pytest.fixture(scope="module", params=["postgresql"])
def pair() -> Iterator[Pair]:
    """A primary holding the seed and its keys, and a streaming replica of it: one pair for the
    module (a base backup and a start take a few seconds)."""
    reason = replica_unavailable_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: {reason}")
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    primary = PgServer(settings=PRIMARY_SETTINGS)
    replica = ReplicaServer(primary)
    try:
        primary.start()
        url = primary.create_database("sayso")
        command.upgrade(migration_config(url), "head")
        keys = seed_with_keys(url)
        replica.start()
        yield Pair(primary, replica, url, replica.url("sayso"), keys)
    finally:
        replica.stop()
        primary.stop()


def replicated(pair: Pair, **settings: Any) -> Any:
    """The app, its reads spread over the pair's replica; checks every tenth of a second."""
    given: dict[str, Any] = {"replica_check_interval": 0.1, "replica_max_lag": 60.0} | settings
    return create_app(
        Settings(database_url=pair.url, read_database_urls=[pair.replica_url], **given)
    )


def reads_of(app: Any) -> ReplicatedReads:
    reads = app.state.reads
    assert isinstance(reads, ReplicatedReads)
    return reads


def served_by_replica(app: Any) -> int:
    """How many requests the app's replica has answered."""
    return reads_of(app).replicas[0].served


def a_claim(client: httpx.Client) -> str:
    claims = client.get("/claims", params={"limit": 1})
    assert claims.status_code == 200, claims.text
    slug: str = claims.json()["items"][0]["slug"]
    return slug


def note_claim(client: httpx.Client, slug: str, note: str) -> httpx.Response:
    """PATCH the claim's note, as an editor (edit_claim)."""
    return edit_claim(client, slug, note=note)


def edit_claim(client: httpx.Client, slug: str, **fields: str) -> httpx.Response:
    """PATCH the claim's FIELDS, as an editor; its answer. Read on the replica, the ETag may be
    an older version's than the primary's: the 412 says where the primary is, and a read with
    that position finds the version to edit."""
    etag = client.get(f"/claims/{slug}").headers["etag"]
    written = client.patch(f"/claims/{slug}", json=fields, headers={"If-Match": etag})
    if written.status_code == 412:
        current = client.get(f"/claims/{slug}", headers={LSN: written.headers[LSN]})
        etag = current.headers["etag"]
        written = client.patch(f"/claims/{slug}", json=fields, headers={"If-Match": etag})
    assert written.status_code == 200, written.text
    return written


def wait_until(condition: Callable[[], bool], what: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.02)


@pytest.fixture
def paused(pair: Pair) -> Iterator[ReplicaServer]:
    """The replica with its replay paused for the test (and played again after)."""
    pair.replica.pause()
    try:
        yield pair.replica
    finally:
        pair.replica.play()


def test_a_write_read_back_with_its_position_sees_it_where_the_replica_does_not(
    pair: Pair, paused: ReplicaServer
) -> None:
    app = replicated(pair, replica_wait=0.1)
    with in_process(app, authorization=f"Bearer {pair.keys['editor']}") as client:
        editor = client()
        slug = a_claim(editor)
        before = editor.get(f"/claims/{slug}").json()["note"]
        written = note_claim(editor, slug, "written while the replica's replay is paused")
        # The write's own answer was read on the primary: it shows the write.
        assert written.json()["note"] == "written while the replica's replay is paused"
        position = written.headers[LSN]
        assert re.fullmatch(r"[0-9A-F]{1,8}/[0-9A-F]{1,8}", position)

        # Without the position: the replica answers, as it was before the write.
        served = served_by_replica(app)
        assert editor.get(f"/claims/{slug}").json()["note"] == before
        assert served_by_replica(app) == served + 1

        # With it: the replica has not replayed it, so once the wait is over, the primary.
        again = editor.get(f"/claims/{slug}", headers={LSN: position})
        assert again.status_code == 200
        assert again.json()["note"] == "written while the replica's replay is paused"
        assert served_by_replica(app) == served + 1


def test_a_read_with_a_position_waits_for_the_replica_to_replay_it(
    pair: Pair, paused: ReplicaServer
) -> None:
    app = replicated(pair, replica_wait=30.0)
    with in_process(app, authorization=f"Bearer {pair.keys['editor']}") as client:
        editor = client()
        slug = a_claim(editor)
        position = note_claim(editor, slug, "read once replayed").headers[LSN]
        served = served_by_replica(app)
        answers: list[httpx.Response] = []
        reading = threading.Thread(
            target=lambda: answers.append(client().get(f"/claims/{slug}", headers={LSN: position}))
        )
        reading.start()
        time.sleep(0.3)
        assert not answers, "the read did not wait for the replica"
        paused.play()
        reading.join(30)
        (answer,) = answers
        assert answer.json()["note"] == "read once replayed"
        assert served_by_replica(app) == served + 1  # the replica answered it


def test_exports_read_on_the_replica(pair: Pair, paused: ReplicaServer) -> None:
    app = replicated(pair)
    with in_process(app, authorization=f"Bearer {pair.keys['editor']}") as client:
        editor = client()
        slug = a_claim(editor)
        written = edit_claim(editor, slug, text="A claim's text as the export will show it.")
        on_replica = editor.get("/statements.ndjson", params={"claim": slug})
        on_primary = editor.get(
            "/statements.ndjson", params={"claim": slug}, headers={LSN: written.headers[LSN]}
        )
    assert on_replica.status_code == on_primary.status_code == 200
    assert on_replica.text and "as the export will show it" not in on_replica.text
    assert "as the export will show it" in on_primary.text


def test_the_desk_reads_its_sessions_on_the_primary(pair: Pair, paused: ReplicaServer) -> None:
    # A session begun (written on the primary) is found at once, though the replica has not
    # replayed it.
    with in_process(replicated(pair)) as client:
        browser = client()
        form = browser.get("/desk/sign-in")
        found = re.search(r'name="token" value="([^"]+)"', form.text)
        assert found is not None
        data = {"token": found.group(1), "key": pair.keys["editor"]}
        assert browser.post("/desk/sign-in", data=data).status_code == 303
        queue = browser.get("/desk")
    assert queue.status_code == 200 and 'name="csrf"' in queue.text


@pytest.mark.parametrize("metrics", [False, True])
def test_ready_checks_the_primary_and_reports_the_replicas(pair: Pair, metrics: bool) -> None:
    # With metrics on too: they time the reads on the same object, which stays the replicas'.
    with in_process(replicated(pair, metrics=metrics)) as client:
        ready = client().get("/ready")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready" and body["database"] == "postgresql"
    (replica,) = body["replicas"]
    assert replica["name"] == "replica 1" and replica["in_use"] is True
    assert 0 <= replica["lag_seconds"] < 60


def test_a_position_that_is_not_one_is_a_422_naming_the_header(pair: Pair) -> None:
    with in_process(replicated(pair)) as client:
        answer = client().get("/claims", headers={LSN: "yesterday"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    (error,) = answer.json()["errors"]
    assert error["location"] == "header" and error["field"] == LSN
    assert "'yesterday' is not a WAL position" in error["message"]


def test_a_lagging_replica_is_skipped_and_comes_back(
    pair: Pair, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sayso.replicas")
    app = replicated(pair, replica_max_lag=0.5)
    replica = reads_of(app).replicas[0]
    with in_process(app, authorization=f"Bearer {pair.keys['editor']}") as client:
        editor = client()
        slug = a_claim(editor)
        assert replica.in_use
        pair.replica.pause()
        try:
            written = note_claim(editor, slug, "written while the replica lags")
            wait_until(lambda: not replica.in_use, "the lagging replica skipped")
            served = served_by_replica(app)
            # No position sent: the primary answers, as the replica is skipped.
            assert editor.get(f"/claims/{slug}").json()["note"] == "written while the replica lags"
            assert served_by_replica(app) == served
        finally:
            pair.replica.play()
        # Back in use once caught up with the WAL the primary has written; the write's commit
        # may come a little later (these servers commit without waiting for the disk).
        position = parse_lsn(written.headers[LSN])
        wait_until(lambda: replica.in_use and replica.replayed >= position, "the replica back")
        assert editor.get(f"/claims/{slug}").json()["note"] == "written while the replica lags"
        assert served_by_replica(app) == served + 1
    messages = [r.getMessage() for r in caplog.records if r.name == "sayso.replicas"]
    skipped = [m for m in messages if "skipped" in m]
    assert skipped and "behind the primary (setting replica_max_lag: 0.5)" in skipped[0]
    assert any("in use" in m for m in messages[messages.index(skipped[0]) :])


def test_a_stopped_replica_is_skipped_and_comes_back(
    pair: Pair, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sayso.replicas")
    app = replicated(pair, replica_check_interval=60.0)  # no check meanwhile: the read finds it
    replica = reads_of(app).replicas[0]
    with in_process(app) as client:
        reader = client()
        slug = a_claim(reader)
        assert replica.in_use and served_by_replica(app) == 1
        halt(pair.replica)
        try:
            # Its connection is broken: the read is answered by the primary, the replica skipped.
            answer = reader.get(f"/claims/{slug}")
            assert answer.status_code == 200 and answer.json()["slug"] == slug
            assert not replica.in_use
            assert reader.get("/claims").status_code == 200
            assert reader.get("/ready").json()["replicas"][0]["in_use"] is False
        finally:
            resume(pair.replica)
        reads_of(app).check()
        assert replica.in_use
        reader.get(f"/claims/{slug}")
        assert served_by_replica(app) == 3  # before, the one that failed over, and now
    messages = [r.getMessage() for r in caplog.records if r.name == "sayso.replicas"]
    skipped = [m for m in messages if "skipped" in m]
    assert skipped and "replica 1 (127.0.0.1:" in skipped[0] and "a read failed" in skipped[0]
    assert "in use" in messages[-1]


def test_a_replica_down_when_the_server_starts_is_skipped(
    pair: Pair, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sayso.replicas")
    port = pair.replica.port
    nowhere = pair.replica_url.replace(f":{port}/", ":1/")
    app = create_app(Settings(database_url=pair.url, read_database_urls=[nowhere]))
    with in_process(app) as client:
        assert client().get("/claims").status_code == 200
        ready = client().get("/ready").json()
    (replica,) = ready["replicas"]
    assert replica["in_use"] is False and "does not answer" in replica["detail"]
    assert any("skipped" in r.getMessage() for r in caplog.records)


def test_replicas_need_a_postgresql_primary(tmp_path: Any) -> None:
    with pytest.raises(ValueError, match="SAYSO_DATABASE_URL: read replicas are PostgreSQL"):
        read_databases(f"sqlite:///{tmp_path / 'x.db'}", ["postgresql://replica/sayso"])
    with pytest.raises(ValueError, match="SAYSO_READ_DATABASE_URLS: read replicas"):
        read_databases("postgresql://primary/sayso", [f"sqlite:///{tmp_path / 'x.db'}"])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0/0", 0),
        ("0/3000148", 0x3000148),
        ("16/B374D848", 0x16_B374D848),
        ("FFFFFFFF/0", 0xFFFFFFFF << 32),
    ],
)
def test_wal_positions_read_and_written_as_postgresql_does(text: str, value: int) -> None:
    assert parse_lsn(text) == value and format_lsn(value) == text


@pytest.mark.parametrize("text", ["", "0", "/1", "1/", "x/1", "123456789/0", "1/2/3"])
def test_what_is_not_a_wal_position(text: str) -> None:
    with pytest.raises(ValueError, match="is not a WAL position"):
        parse_lsn(text)


def test_browsers_may_send_the_position_and_read_it(pair: Pair) -> None:
    origin = "https://app.example.org"
    app = replicated(pair, cors_origins=[origin])
    with in_process(app, authorization=f"Bearer {pair.keys['editor']}", origin=origin) as client:
        editor = client()
        preflight = editor.options(
            "/claims",
            headers={
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": LSN,
            },
        )
        written = note_claim(editor, a_claim(editor), "written from a web page")
    assert preflight.status_code == 200
    assert LSN.lower() in preflight.headers["access-control-allow-headers"].lower()
    assert LSN in written.headers["access-control-expose-headers"]
    assert LSN in written.headers


def test_without_replicas_no_position_is_given_and_one_sent_is_ignored(seeded_db_url: str) -> None:
    keys = add_keys(seeded_db_url)
    app = create_app(Settings(database_url=seeded_db_url))
    assert not isinstance(app.state.reads, ReplicatedReads)
    with in_process(app, authorization=f"Bearer {keys['editor']}") as client:
        editor = client()
        slug = a_claim(editor)
        written = note_claim(editor, slug, "written with no replica")
        assert LSN not in written.headers
        read = editor.get(f"/claims/{slug}", headers={LSN: "not one"})
    assert read.status_code == 200 and read.json()["note"] == "written with no replica"


def test_reads_go_on_on_the_replica_while_the_primary_is_down(
    pair: Pair, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sayso.replicas")
    app = replicated(pair)
    replica = reads_of(app).replicas[0]
    with in_process(app, authorization=f"Bearer {pair.keys['editor']}") as client:
        editor = client()
        slug = a_claim(editor)
        etag = editor.get(f"/claims/{slug}").headers["etag"]
        halt(pair.primary)
        try:
            time.sleep(0.3)  # checks meanwhile, without the primary
            assert replica.in_use
            served = served_by_replica(app)
            assert editor.get(f"/claims/{slug}").status_code == 200
            assert editor.get("/statements", params={"limit": 5}).status_code == 200
            assert served_by_replica(app) == served + 2
            # Not ready (the primary does not answer), and a write is not made.
            ready = editor.get("/ready")
            assert ready.status_code == 503 and "does not answer" in ready.json()["detail"]
            refused = editor.patch(
                f"/claims/{slug}", json={"note": "never written"}, headers={"If-Match": etag}
            )
            assert refused.status_code >= 500
        finally:
            resume(pair.primary)
        wait_until(lambda: editor.get("/ready").status_code == 200, "ready again")
    messages = [r.getMessage() for r in caplog.records if r.name == "sayso.replicas"]
    lost = [m for m in messages if "the primary does not answer" in m]
    assert len(lost) == 1  # once, not at every check


@pytest.fixture
def second(pair: Pair) -> Iterator[ReplicaServer]:
    """Another streaming replica of the pair's primary, for one test (it may be promoted)."""
    replica = ReplicaServer(pair.primary)
    try:
        replica.start()
        yield replica
    finally:
        replica.stop()


def test_reads_turn_between_replicas_and_a_promoted_one_is_skipped(
    pair: Pair, second: ReplicaServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sayso.replicas")
    app = create_app(
        Settings(
            database_url=pair.url,
            read_database_urls=[pair.replica_url, second.url("sayso")],
            replica_check_interval=0.1,
            replica_max_lag=60.0,
        )
    )
    first, other = reads_of(app).replicas
    with in_process(app) as client:
        reader = client()
        slug = a_claim(reader)
        wait_until(lambda: first.in_use and other.in_use, "both replicas in use")
        before = (first.served, other.served)
        for _ in range(10):
            assert reader.get(f"/claims/{slug}").status_code == 200
        # In turn: each answered half of the ten reads.
        assert (first.served - before[0], other.served - before[1]) == (5, 5)

        # Promoted, the second no longer follows the primary: skipped at the next check, and
        # every read goes to the first.
        assert second.data_dir is not None
        second._run_pg(["pg_ctl", "-D", str(second.data_dir), "-w", "promote"], timeout=60)
        wait_until(lambda: not other.in_use, "the promoted replica skipped")
        served = (first.served, other.served)
        for _ in range(4):
            assert reader.get(f"/claims/{slug}").status_code == 200
        assert (first.served, other.served) == (served[0] + 4, served[1])
        replicas = reader.get("/ready").json()["replicas"]
    assert [r["in_use"] for r in replicas] == [True, False]
    messages = [r.getMessage() for r in caplog.records if r.name == "sayso.replicas"]
    assert any("replica 2" in m and "not a standby (promoted?)" in m for m in messages)

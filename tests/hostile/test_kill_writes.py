"""`sayso serve` killed with SIGKILL in the middle of a stream of writes loses none that it
acknowledged: every write answered 2xx is there when the server is started again, on SQLite and
on PostgreSQL (a Jepsen-style check of docs/durability.md: what a crash of sayso's own processes
does; an OS crash or a power cut is beyond a test here). Writes that were under way when it died
are each there whole or not at all: a claim and its history agree."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from conftest import _free_port
from db_copies import add_keys

from app.config import PROJECT_ROOT

WRITERS = 4
# Writes acknowledged before the server is killed: enough that some are in flight then.
ACKED_BEFORE_KILL = 60


@contextmanager
def sayso_serve(db_url: str, workers: int, log: Path) -> Iterator[tuple[int, str]]:
    """`sayso serve --workers WORKERS` on DB_URL, in a process group of its own (the supervisor
    and its workers: killed together), once it answers: the group's id, and the URL. Stopped at
    the end if still running."""
    port = _free_port()
    command = ["serve", "--port", str(port), "--workers", str(workers)]
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", *command],
            env={**os.environ, "SAYSO_DATABASE_URL": db_url},
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "sayso serve did not answer within 60 s"
            time.sleep(0.1)
        yield process.pid, base
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(30)


@dataclass
class Writes:
    """What the writers did: each acknowledged write, what else they were answered, and every
    claim they tried to make."""

    created: list[str] = field(default_factory=list)  # slugs answered 201
    updated: list[tuple[str, str, int]] = field(default_factory=list)  # (slug, note, version)
    tried: set[str] = field(default_factory=set)
    other: list[str] = field(default_factory=list)  # any other answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acked(self) -> int:
        with self.lock:
            return len(self.created) + len(self.updated)


def write_until_refused(base: str, key: str, n: int, writes: Writes) -> None:
    """Writer N: make a claim, then edit its note, with a new claim every fifth write, until
    the server stops answering."""
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        tags: dict[str, str] = {}
        for i in range(100_000):
            try:
                if i % 5 == 0:
                    slug = f"killed-{n}-{i}"
                    with writes.lock:
                        writes.tried.add(slug)
                    body = {"slug": slug, "text": f"Claim {i} of writer {n}."}
                    response = http.post("/claims", json=body)
                    if response.status_code == 201:
                        tags = {slug: response.headers["etag"]}
                        with writes.lock:
                            writes.created.append(slug)
                        continue
                else:
                    [(slug, tag)] = tags.items()
                    note = f"writer {n}, write {i}"
                    response = http.patch(
                        f"/claims/{slug}", json={"note": note}, headers={"If-Match": tag}
                    )
                    if response.status_code == 200:
                        tags[slug] = response.headers["etag"]
                        with writes.lock:
                            writes.updated.append((slug, note, response.json()["version"]))
                        continue
            except httpx.TransportError:
                return  # the server is gone
            with writes.lock:
                writes.other.append(f"{response.status_code} {response.text}")
            return


def test_a_server_killed_mid_writes_loses_no_acknowledged_write(
    seeded_db_url: str, tmp_path: Path
) -> None:
    keys = add_keys(seeded_db_url)
    writes = Writes()
    log = tmp_path / "server.log"
    with sayso_serve(seeded_db_url, 2, log) as (group, base):
        writers = [
            threading.Thread(target=write_until_refused, args=(base, keys["editor"], n, writes))
            for n in range(WRITERS)
        ]
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + 60
        while writes.acked() < ACKED_BEFORE_KILL and not writes.other:
            assert time.monotonic() < deadline, f"only {writes.acked()} writes in 60 s"
            time.sleep(0.01)
        # The supervisor and its workers at once, as a power cut would (with the OS alive).
        os.killpg(group, signal.SIGKILL)
        for writer in writers:
            writer.join(60)
    assert not writes.other, writes.other  # before the kill, every write went through
    acked = writes.acked()
    print(
        f"{acked} writes acknowledged ({len(writes.created)} claims made, "
        f"{len(writes.updated)} edits) before the kill"
    )
    assert acked >= ACKED_BEFORE_KILL

    readers = {"Authorization": f"Bearer {keys['editor']}"}
    with (
        sayso_serve(seeded_db_url, 1, log) as (_, base),
        # Histories are read with a key (docs/curating.md#history).
        httpx.Client(base_url=base, headers=readers, timeout=30) as http,
    ):
        histories = {}
        for slug in sorted(writes.tried):
            claim = http.get(f"/claims/{slug}")
            if slug in writes.created:
                assert claim.status_code == 200, (slug, claim.text)
            elif claim.status_code == 404:
                continue  # under way when the server died, and not written: as it should be
            history = http.get(f"/claims/{slug}/history", params={"limit": 500}).json()["items"]
            histories[slug] = history
            # Whole or not at all: the claim is what its history says it is.
            assert [c["action"] for c in history] == ["create"] + ["update"] * (len(history) - 1)
            assert claim.json()["version"] == len(history)
            if len(history) > 1:
                assert claim.json()["note"] == _after(history[-1], "note")
        # Each acknowledged edit is there: the change that made version V is the V-th.
        for slug, note, version in writes.updated:
            made = histories[slug][version - 1]
            assert (made["action"], _after(made, "note")) == ("update", note), (slug, version)
    assert "Traceback" not in log.read_text(), log.read_text()


def _after(change: dict[str, Any], field: str) -> Any:
    """The value a history entry gave FIELD."""
    return next(f["after"] for f in change["fields"] if f["field"] == field)

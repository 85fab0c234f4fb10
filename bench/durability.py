"""What a durable commit costs on SQLite: writes per second with SAYSO_SQLITE_SYNCHRONOUS=full
(the default: each commit synced to the disk before the answer) and =normal (synced at
checkpoints only), docs/durability.md.

Two figures per setting: API writes (POST /claims, a claim and its history row, one transaction
each) per second through a real `sayso serve`, from several clients at once; and bare commits
per second of the write engine alone (one small UPDATE each, one connection), where the sync is
most of the cost. Runs alternate between the settings, and each figure is the best round's.

    uv run --frozen python -m bench.durability [--seconds 10] [--clients 4] [--rounds 2]

The database is a fresh SQLite file under --out (bench/out/durability), migrated, seeded, with
an editor key. Keep --out on the disk you mean to measure: on a tmpfs every sync is free.
"""

import argparse
import http.client
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
from sqlalchemy import text

from app.config import PROJECT_ROOT
from app.db.engine import Synchronous, make_engine, session_scope
from app.models.enums import KeyRole
from app.web.auth import create_key
from bench.fixtures import seeded

SETTINGS: tuple[Synchronous, ...] = ("full", "normal")


def prepare(db: Path) -> str:
    """A fresh database at DB, migrated and seeded; an editor key for it."""
    for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        stale.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    seeded(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return create_key(session, "bench", KeyRole.editor)
    finally:
        engine.dispose()


def commits_per_second(url: str, synchronous: Synchronous, seconds: float) -> float:
    """Small write transactions committed one after another on the write engine."""
    engine = make_engine(url, synchronous=synchronous)
    done = 0
    try:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            with session_scope(engine) as session:
                session.execute(text("UPDATE claims SET note = :note WHERE id = 1"), {"note": done})
            done += 1
    finally:
        engine.dispose()
    return done / seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(
    url: str, synchronous: Synchronous, workers: int, log: Path
) -> tuple[subprocess.Popen[bytes], int]:
    """`sayso serve` on URL with the setting (in a process group of its own), once it answers:
    the process, and its port."""
    port = free_port()
    env = {**os.environ, "SAYSO_DATABASE_URL": url, "SAYSO_SQLITE_SYNCHRONOUS": synchronous}
    argv = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*argv, "--workers", str(workers)],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"sayso serve exited at start: see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError(f"sayso serve did not answer within 120 s: see {log}")


def api_writes_per_second(port: int, key: str, clients: int, seconds: float, run: str) -> float:
    """POST /claims from CLIENTS connections at once for SECONDS: claims made per second."""
    made = [0] * clients
    failed: list[str] = []
    end = time.monotonic() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        for i in itertools.count():
            if time.monotonic() >= end:
                break
            body = {"slug": f"bench-{run}-{n}-{i}", "text": f"A benchmark claim, {run} {n} {i}."}
            conn.request("POST", "/claims", orjson.dumps(body), headers)
            response = conn.getresponse()
            response.read()
            if response.status != 201:
                failed.append(f"{response.status}")
                break
            made[n] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failed:
        raise RuntimeError(f"writes refused: {failed}")
    return sum(made) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per run (default 10)")
    parser.add_argument("--clients", type=int, default=4, help="API clients at once (4)")
    parser.add_argument("--workers", type=int, default=1, help="server workers (1)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each setting (2)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "bench" / "out" / "durability")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db = args.out / "durability.db"
    key = prepare(db)
    url = f"sqlite:///{db}"
    commits: dict[str, float] = {}
    writes: dict[str, float] = {}
    for round_ in range(args.rounds):
        for setting in SETTINGS:
            committed = commits_per_second(url, setting, args.seconds)
            commits[setting] = max(commits.get(setting, 0.0), committed)
            server, port = serve(url, setting, args.workers, args.out / "server.log")
            try:
                run = f"{setting}-{round_}"
                written = api_writes_per_second(port, key, args.clients, args.seconds, run)
                writes[setting] = max(writes.get(setting, 0.0), written)
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(30)
            print(
                f"round {round_ + 1}, {setting}: {committed:.0f} commits/s, "
                f"{written:.0f} API writes/s",
                file=sys.stderr,
            )
    print(
        f"SQLite writes per second, best of {args.rounds} runs of {args.seconds:g} s "
        f"({args.clients} API clients, {args.workers} worker(s); {db}; load average "
        f"{os.getloadavg()[1]:.1f} over the last 5 min, on {os.cpu_count()} cores)"
    )
    print(f"{'synchronous':<12} {'bare commits/s':>15} {'API writes/s':>13}")
    for setting in SETTINGS:
        print(f"{setting:<12} {commits[setting]:>15.0f} {writes[setting]:>13.0f}")
    print(
        f"full / normal: {commits['full'] / commits['normal']:.2f} (commits), "
        f"{writes['full'] / writes['normal']:.2f} (API writes)"
    )


if __name__ == "__main__":
    main()

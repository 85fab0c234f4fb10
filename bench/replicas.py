"""Reads on a streaming replica (docs/scaling.md#figures): a throwaway PostgreSQL primary holding
the seed and a hot standby of it made by pg_basebackup (tests/replica_pair.py), both on this
machine, and

1. what a read costs served by the primary (no replicas set), by the replica, and by the replica
   for a read that sends a write's X-Sayso-LSN (already replayed): microseconds per request of
   the app alone, called in process as a server calls it, the three in alternating rounds (each
   figure the median round's);
2. the replica's replay lag under a write load (pgbench's TPC-B-like transactions on a database
   of their own, on the same primary: WAL is the cluster's), sampled from the primary's
   pg_stat_replication every 50 ms; and meanwhile, writes through the API each read back at
   once with their X-Sayso-LSN: how many the replica answered and how long the read took.

    uv run --frozen python -m bench.replicas [--requests 5000] [--rounds 7] [--seconds 20]
"""

import argparse
import asyncio
import shutil
import statistics
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
from fastapi import FastAPI

from app.config import Settings
from app.db.engine import make_engine, session_scope
from app.db.replicas import ReplicatedReads
from app.main import create_app
from app.models.enums import KeyRole
from app.web.auth import create_key
from bench.asgi import per_request
from bench.fixtures import seeded, tests_module

CLAIM = "putin-signalled-ceasefire-2023"
PATHS = ((f"/claims/{CLAIM}", b""), (f"/claims/{CLAIM}/statements", b"stance=denies"))
SIDES = ("primary", "replica", "replica+lsn")


def prepare(primary: Any) -> tuple[str, str]:
    """The primary's sayso database, migrated, seeded, with an editor's key: its URL, the key."""
    url: str = primary.create_database("sayso")
    seeded(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            key = create_key(session, "bench", KeyRole.editor)
    finally:
        engine.dispose()
    return url, key


async def reads(apps: dict[str, FastAPI], lsn: str, args: argparse.Namespace) -> None:
    times: dict[tuple[str, str], list[float]] = {}
    headers = {"primary": [], "replica": [], "replica+lsn": [(b"x-sayso-lsn", lsn.encode())]}
    # A round first that counts for nothing: each server's caches warm (the replica's own
    # buffers, its plans), each connection's statements prepared.
    for side in SIDES:
        for path, query in PATHS:
            await per_request(apps[side], path, query, args.requests, headers=headers[side])
    for _ in range(args.rounds):
        for side in SIDES:
            for path, query in PATHS:
                took = await per_request(
                    apps[side], path, query, args.requests, headers=headers[side]
                )
                times.setdefault((side, path), []).append(took)
    served = apps["replica"].state.reads.replicas[0].served
    print(f"1. reads: {args.requests} requests a round, {args.rounds} rounds (and one to warm)")
    print(f"   {'side':<12} {'path':<48} {'us/request':>10} {'vs primary':>11}")
    for path, query in PATHS:
        base = statistics.median(times[("primary", path)])
        for side in SIDES:
            median = statistics.median(times[(side, path)])
            extra = f"{(median / base - 1) * 100:+.1f}%" if side != "primary" else ""
            shown = f"{path}?{query.decode()}" if query else path
            print(f"   {side:<12} {shown:<48} {median * 1e6:>10.1f} {extra:>11}")
    print(f"   (the replica answered {served} requests: the 'replica' sides')")


def settle(primary: Any, replica: Any) -> None:
    """Both servers as a running system has them: the tables vacuumed (as autovacuum does) and
    that replayed, then a checkpoint on each (a restartpoint on the replica: until one, a standby
    cannot set the hint bits of rows committed since its last, and checks each row's commit in
    the commit log at each read)."""
    with psycopg.connect(primary.conninfo("sayso"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        row = conn.execute("SELECT pg_current_wal_insert_lsn()").fetchone()
        assert row is not None
        with psycopg.connect(replica.conninfo("sayso"), autocommit=True) as standby:
            while not standby.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s", (row[0],)
            ).fetchone()[0]:  # type: ignore[index]
                time.sleep(0.05)
            conn.execute("CHECKPOINT")
            standby.execute("CHECKPOINT")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def pgbench_init(primary: Any, bindir: Path) -> None:
    """pgbench's tables, at scale 10 (a million accounts), on a database of their own."""
    conninfo = ["-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"]
    primary.create_database("pgbench")
    tool = str(bindir / "pgbench")
    subprocess.run(
        [tool, "-i", "-q", "-s", "10", *conninfo, "pgbench"], check=True, capture_output=True
    )


def pgbench(primary: Any, bindir: Path, seconds: int, clients: int) -> str:
    """pgbench's TPC-B-like load on the primary for SECONDS; its summary line."""
    conninfo = ["-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"]
    tool = str(bindir / "pgbench")
    ran = subprocess.run(
        [tool, "-n", "-c", str(clients), "-j", "2", "-T", str(seconds), *conninfo, "pgbench"],
        check=True,
        capture_output=True,
        text=True,
    )
    lines = [
        line for line in ran.stdout.splitlines() if line.startswith(("tps", "latency average"))
    ]
    return "; ".join(lines)


async def write_and_read(
    client: httpx.AsyncClient, replica: Any, until: float, plain: list[float]
) -> list[tuple[bool, bool, float]]:
    """A client that writes a claim's note and reads it back at once with the write's position,
    until UNTIL (each read carries its last write's position, as a client does): for each
    write, whether the read back saw it, whether the replica answered it, and its time (s);
    PLAIN gets the time of the same read without the position, made after it."""
    found = []
    last = "0/0"
    n = 0
    while time.monotonic() < until:
        n += 1
        current = await client.get(f"/claims/{CLAIM}", headers={"x-sayso-lsn": last})
        note = f"bench write {n}"
        written = await client.patch(
            f"/claims/{CLAIM}", json={"note": note}, headers={"If-Match": current.headers["etag"]}
        )
        last = written.headers["x-sayso-lsn"]
        if written.status_code == 412:
            continue
        assert written.status_code == 200, written.text
        served = replica.served
        start = time.perf_counter()
        read = await client.get(f"/claims/{CLAIM}", headers={"x-sayso-lsn": last})
        took = time.perf_counter() - start
        found.append((read.json()["note"] == note, replica.served > served, took))
        start = time.perf_counter()  # the same read without the position, for comparison
        await client.get(f"/claims/{CLAIM}")
        plain.append(time.perf_counter() - start)
    return found


def sample_lag(primary: Any, stop: threading.Event, into: list[tuple[float, int]]) -> None:
    """pg_stat_replication's replay_lag (s) and bytes not yet replayed, every 50 ms."""
    with psycopg.connect(primary.conninfo(), autocommit=True) as conn:
        while not stop.wait(0.05):
            row = conn.execute(
                "SELECT coalesce(extract(epoch FROM replay_lag), 0)::float8, "
                "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint "
                "FROM pg_stat_replication"
            ).fetchone()
            if row is not None:
                into.append((row[0], row[1]))


async def under_load(
    app: FastAPI, key: str, primary: Any, bindir: Path, args: argparse.Namespace
) -> None:
    lags: list[tuple[float, int]] = []
    stop = threading.Event()
    sampler = threading.Thread(target=sample_lag, args=(primary, stop, lags))
    result: dict[str, str] = {}
    load = threading.Thread(
        target=lambda: result.update(load=pgbench(primary, bindir, args.seconds, args.clients))
    )
    replica = app.state.reads.replicas[0]
    pgbench_init(primary, bindir)
    time.sleep(2)  # the replica replays it
    sampler.start()
    load.start()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://bench", headers={"authorization": f"Bearer {key}"}
    ) as client:
        plain: list[float] = []
        pairs = await write_and_read(client, replica, time.monotonic() + args.seconds - 1, plain)
    load.join()
    stop.set()
    sampler.join()
    seconds = [lag for lag, _ in lags]
    sizes = [size for _, size in lags]
    print(f"2. under load: pgbench -c {args.clients} -T {args.seconds}: {result.get('load')}")
    print(
        f"   replay lag (pg_stat_replication, {len(lags)} samples): p50 "
        f"{percentile(seconds, 50) * 1000:.1f} ms, p99 {percentile(seconds, 99) * 1000:.1f} ms, "
        f"max {max(seconds) * 1000:.1f} ms; WAL not yet replayed: p50 "
        f"{percentile(sizes, 50) / 1024:.0f} kB, max {max(sizes) / 1024:.0f} kB"
    )
    seen = sum(1 for ok, _, _ in pairs if ok)
    on_replica = [took for _, replica_read, took in pairs if replica_read]
    on_primary = [took for _, replica_read, took in pairs if not replica_read]
    print(
        f"   {len(pairs)} API writes, each read back at once with its X-Sayso-LSN: {seen} saw "
        f"the write; the replica answered {len(on_replica)} of the reads back, the primary "
        f"{len(on_primary)} (after replica_wait)"
    )
    shown = (("read back by the replica", on_replica), ("read back by the primary", on_primary))
    for name, times in (*shown, ("the same read without a position", plain)):
        if times:
            print(
                f"   {name}: p50 {percentile(times, 50) * 1000:.1f} ms, "
                f"p99 {percentile(times, 99) * 1000:.1f} ms"
            )


async def run(args: argparse.Namespace, url: str, replica_url: str, key: str, pair: Any) -> None:
    primary, bindir = pair
    settings = {"database_url": url, "statement_timeout": 0}
    replicated = {"read_database_urls": [replica_url], "replica_check_interval": 1.0}
    apps = {
        "primary": create_app(Settings(**settings)),
        "replica": create_app(Settings(**settings, **replicated)),
    }
    apps["replica+lsn"] = apps["replica"]
    async with (
        apps["primary"].router.lifespan_context(apps["primary"]),
        apps["replica"].router.lifespan_context(apps["replica"]),
    ):
        reads_of = apps["replica"].state.reads
        assert isinstance(reads_of, ReplicatedReads) and reads_of.replicas[0].in_use
        with psycopg.connect(primary.conninfo("sayso"), autocommit=True) as conn:
            row = conn.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()
        assert row is not None
        await reads(apps, row[0], args)
        await under_load(apps["replica"], key, primary, bindir, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4, help="pgbench's clients")
    args = parser.parse_args()
    pg_server = tests_module("pg_server")
    replica_pair = tests_module("replica_pair")
    reason = replica_pair.replica_unavailable_reason()
    if reason is not None:
        raise SystemExit(f"PostgreSQL unavailable: {reason}")
    bindir = pg_server.find_pg_bin()
    if not shutil.which(str(bindir / "pgbench")):
        raise SystemExit(f"pgbench is not in {bindir}")
    # Commits wait for their WAL to be flushed, as PostgreSQL's default has it (the tests'
    # servers do not: their WAL goes to the replica at the WAL writer's pace, every 200 ms).
    settings = (*replica_pair.PRIMARY_SETTINGS, "synchronous_commit=on")
    primary = pg_server.PgServer(settings=settings)
    replica = replica_pair.ReplicaServer(primary)
    try:
        primary.start()
        url, key = prepare(primary)
        replica.start()
        settle(primary, replica)
        print(
            "primary and replica: throwaway servers on this machine (fsync=off; the primary's "
            "synchronous_commit=on), loopback TCP"
        )
        asyncio.run(run(args, url, replica.url("sayso"), key, (primary, bindir)))
    finally:
        replica.stop()
        primary.stop()


if __name__ == "__main__":
    main()

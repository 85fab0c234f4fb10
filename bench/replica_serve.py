"""The bench's questions served through a streaming replica, at a size too large to load twice:
on a PostgreSQL cluster kept by `bench.run --keep-postgres DIR` (issue 24, point 6: "the same
questions served through a replica").

1. The kept cluster is started again as the primary (`shared_buffers` as bench.run's).
2. A hot standby is made of it with `pg_basebackup` (tests/replica_pair.py), beside it on this
   machine, and started with the same settings.
3. Two sayso servers (`sayso serve`, 2 workers each) on the one database: `primary`, reading on
   the primary alone, and `replica`, with `SAYSO_READ_DATABASE_URLS` naming the standby, so that
   every GET reads there. For each question, each is warmed up on it, then the two are measured
   in alternation (primary, replica, replica, primary, ...), wrk as bench.run's (2 threads,
   16 connections, the corpus's samples); each figure is the median run's.
4. It says how many transactions the standby's database committed meanwhile: that the reads
   were the replica's is shown, not assumed.

The standby's files (as large as the database) are removed at the end; the kept cluster is
stopped and left where it was.

    uv run --group bench python -m bench.replica_serve --cluster /work/pg10m \\
        --database sayso_10m --samples bench/out/corpus-10m-seed1/samples.json
"""

import argparse
import json
import os
import shutil
import time
from pathlib import Path

import orjson
import psycopg

from bench import report
from bench.fixtures import tests_module
from bench.run import PROJECT, PYTHON, QUESTIONS, shared_buffers_mb
from bench.servers import Server, free_port
from bench.wrk import WrkResult, ensure_wrk, run_wrk

PgServer = tests_module("pg_server").PgServer
replica_pair = tests_module("replica_pair")


class KeptServer(PgServer):
    """A PgServer on a data directory kept from an earlier run: moved into its temporary
    directory to start, moved back (after a clean stop) when it stops."""

    def __init__(self, kept: Path, settings: tuple[str, ...]) -> None:
        super().__init__(settings=settings)
        self.kept = kept

    def _initdb(self) -> None:
        assert self.data_dir is not None
        shutil.move(str(self.kept), str(self.data_dir))

    def stop(self) -> None:
        if self.data_dir is not None and self.data_dir.exists():
            if (self.data_dir / "postmaster.pid").exists():
                stop = ["pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop"]
                self._run_pg(stop, timeout=600)
            shutil.move(str(self.data_dir), str(self.kept))
        super().stop()


def say(message: str) -> None:
    print(f"[replica_serve {time.strftime('%H:%M:%S')}] {message}", flush=True)


def sayso(name: str, url: str, replicas: list[str], workers: int, logs: Path) -> Server:
    port = free_port()
    env = {**os.environ, "SAYSO_DATABASE_URL": url, "PYTHONPATH": str(PROJECT)}
    env["SAYSO_READ_DATABASE_URLS"] = json.dumps(replicas)
    argv = [PYTHON, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return Server(
        name,
        [*argv, "--workers", str(workers)],
        env=env,
        cwd=PROJECT,
        port=port,
        log=logs / f"replica-serve-{name}.log",
        ready_path="/health",
    )


def committed(conninfo: str, database: str) -> int:
    """Transactions committed in DATABASE, as its server counts them (reads included)."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        row = conn.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = %s", (database,)
        ).fetchone()
    return int(row[0]) if row else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cluster", type=Path, required=True, help="bench.run --keep-postgres's")
    parser.add_argument("--database", default="sayso_10m")
    parser.add_argument("--samples", type=Path, required=True, help="the corpus's samples.json")
    parser.add_argument("--questions", default=",".join(QUESTIONS))
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each side a question")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--logs", type=Path, default=PROJECT / "bench" / "out" / "logs")
    args = parser.parse_args()
    ensure_wrk()
    args.logs.mkdir(parents=True, exist_ok=True)
    samples = orjson.loads(args.samples.read_bytes())
    settings = (f"shared_buffers={shared_buffers_mb()}MB", *replica_pair.PRIMARY_SETTINGS)
    primary = KeptServer(args.cluster, settings)
    replica = replica_pair.ReplicaServer(primary, settings=settings, backup_timeout=6 * 3600)
    servers: list[Server] = []
    try:
        primary.start()
        began = time.monotonic()
        replica.start()
        say(f"base backup and start of the replica: {time.monotonic() - began:.0f} s")
        url, replica_url = primary.url(args.database), replica.url(args.database)
        sides = {
            "primary": sayso("primary", url, [], args.workers, args.logs),
            "replica": sayso("replica", url, [replica_url], args.workers, args.logs),
        }
        servers = list(sides.values())
        for server in servers:
            server.start()
        on_replica = committed(replica.conninfo(), args.database)
        table: list[tuple[str, dict[str, WrkResult]]] = []
        for question in args.questions.split(","):
            path, _query, key, _param = QUESTIONS[question]
            paths = [path.format(v) for v in samples[key]]
            for server in servers:
                run_wrk(server.url, paths, duration=3, connections=args.connections)
            runs: dict[str, list[WrkResult]] = {name: [] for name in sides}
            order = [
                name
                for i in range(args.rounds)
                for name in (sides if i % 2 == 0 else reversed(sides))
            ]
            for name in order:
                result = run_wrk(
                    sides[name].url, paths, duration=args.duration, connections=args.connections
                )
                runs[name].append(result)
                say(
                    f"{question} {name}: {result.requests_per_s:.0f} req/s, p50 {result.p50_ms:.1f}"
                    f" ms, p99 {result.p99_ms:.1f} ms, {result.errors} errors"
                )
            medians = {
                name: sorted(found, key=lambda r: r.requests_per_s)[(len(found) - 1) // 2]
                for name, found in runs.items()
            }
            table.append((question, medians))
        served = committed(replica.conninfo(), args.database) - on_replica
    finally:
        for server in servers:
            server.stop()
        replica.stop()
        primary.stop()
    print(
        f"\n{args.database}, {report.now()}; the replica's database committed {served} "
        "transactions meanwhile (the replica side's reads)\n"
    )
    print("| question | primary req/s / p50 / p99 ms | through the replica req/s / p50 / p99 ms |")
    print("|---|---|---|")
    for question, medians in table:
        cells = [
            f"{r.requests_per_s:.0f} / {r.p50_ms:.1f} / {r.p99_ms:.1f}"
            + (f" ({r.errors} errors)" if r.errors else "")
            for r in (medians["primary"], medians["replica"])
        ]
        print(f"| {question} | {cells[0]} | {cells[1]} |")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\n(the median of {args.rounds} runs of {args.duration:g} s each, in alternation;"
        f" load average at the end {load})"
    )


if __name__ == "__main__":
    main()

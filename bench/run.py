"""The benchmark: load, serve, grow and measure, side by side with the floors and Datasette.

    python -m bench.run [--sizes 10k,100k,1m] [--backends sqlite,postgresql] [--duration 10]

For each backend and size: generate the corpus (cached in bench/out/), time `sayso load` on a
fresh migrated database and the executemany floor (bench/floor_load.py) on another; serve the
loaded database with sayso (`sayso serve --workers 2`), the floor app (bench/floor_app.py under
uvicorn, same workers) and, on SQLite, Datasette with the canned queries of bench/datasette/;
run wrk on each key question against each server (random sample paths per request); sample the
servers' RSS meanwhile; stream sayso's CSV export and watch its RSS. Prints one table and writes
bench/RESULTS.md. An endpoint a server does not have yet is reported as n/a.

Every wait is bounded; every server is stopped on exit, even on errors or Ctrl-C.
"""

import argparse
import contextlib
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import psutil

from bench import generate, report
from bench.fixtures import tests_module
from bench.floor_load import floor_load
from bench.servers import Proc, RssPeak, Server, free_port, get, status_only, stream
from bench.wrk import ensure_wrk, run_wrk

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
PYTHON = sys.executable

# question -> (sayso/floor path, Datasette canned query, samples.json list, parameter name)
QUESTIONS = {
    "denials": ("/claims/{}/statements?stance=denies", "denials", "claims_with_denials", "slug"),
    "actor": ("/actors/{}/statements", "actor", "actors", "slug"),
    "positions": ("/claims/{}/positions", "positions", "claims", "slug"),
    "search": ("/search?q={}", "search", "words", "q"),
    "source": ("/sources/{}/statements", "source", "sources", "slug"),
}
MISSING = (404, 405, 501)  # an endpoint (or canned query) that is not there


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.out: Path = args.out
        self.app_root: Path = args.app_root.resolve()
        self.results: dict[str, Any] = {
            "settings": {
                "sizes": args.sizes,
                "backends": args.backends,
                "duration": args.duration,
                "connections": args.connections,
                "threads": args.threads,
                "workers": args.workers,
                "seed": args.seed,
                "app_root": str(self.app_root),
                "began": report.now(),
            },
            "load": {b: {} for b in args.backends},
            "serve": {b: {} for b in args.backends},
            "memory": {b: {} for b in args.backends},
            "growth": {b: {} for b in args.backends},
            "notes": [],
        }
        self.pg: Any = None

    def say(self, message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def note(self, message: str) -> None:
        if message not in self.results["notes"]:
            self.results["notes"].append(message)

    # -- sayso's command line -----------------------------------------------------------------

    def sayso_env(self, url: str) -> dict[str, str]:
        env = {**os.environ, "SAYSO_DATABASE_URL": url}
        env["PYTHONPATH"] = os.pathsep.join(
            [str(self.app_root), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
        return env

    def sayso(self, url: str, *argv: str, timeout: float = 600) -> None:
        cmd = [PYTHON, "-m", "app.cli", *argv]
        done = subprocess.run(
            cmd,
            env=self.sayso_env(url),
            cwd=self.app_root,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{shlex.join(cmd)} failed:\n{done.stdout}{done.stderr}")

    # -- corpus and databases -----------------------------------------------------------------

    def corpus(self, size: int) -> Path:
        path = self.out / f"corpus-{report.size_label(size)}-seed{self.args.seed}"
        samples = path / "samples.json"
        if samples.exists():
            cached = orjson.loads(samples.read_bytes())
            if cached.get("version") == generate.GENERATOR_VERSION:
                return path
        shutil.rmtree(path, ignore_errors=True)
        self.say(f"generating {report.size_label(size)} statements into {path}")
        stats = generate.generate(size, path, self.args.seed)
        self.say(f"generated in {stats['seconds']}s: {stats}")
        return path

    def fresh_db(self, backend: str, size: int, name: str) -> str:
        """The URL of a new, migrated, empty database called NAME."""
        label = report.size_label(size)
        if backend == "postgresql":
            db = f"{name}_{label}"
            self.pg.drop_database(db)
            url: str = self.pg.create_database(db)
        else:
            folder = (self.out / f"db-{label}").resolve()
            folder.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                (folder / f"{name}.db{suffix}").unlink(missing_ok=True)
            url = f"sqlite:///{folder / name}.db"
        self.sayso(url, "migrate")
        return url

    def yaml_view(self, corpus: Path) -> Path:
        """The annotations as *.yaml symlinks (JSON is YAML), for a loader that reads only YAML."""
        view = corpus / "annotations-yaml"
        if not view.exists():
            tmp = corpus / "annotations-yaml.tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            for shard in sorted((corpus / "annotations").iterdir()):
                (tmp / shard.name).mkdir(parents=True)
                for f in shard.iterdir():
                    (tmp / shard.name / f"{f.stem}.yaml").symlink_to(
                        f"../../annotations/{shard.name}/{f.name}"
                    )
            tmp.rename(view)
        return view

    def load(self, backend: str, size: int, corpus: Path) -> str:
        """Time `sayso load` and the executemany floor; returns the URL of the database to serve.

        With --serve-from floor, sayso's loader is not run: the floor loads the database that is
        served (the same rows, see floor_load.py), which makes large sizes quick to set up.
        """
        label = report.size_label(size)
        figures: dict[str, Any] = {"sayso": None}
        if self.args.serve_from == "sayso" and size <= self.args.sayso_load_upto:
            url = self.fresh_db(backend, size, "sayso")
            url, figures["sayso"] = self.sayso_load(backend, size, corpus, url)
            floor_url = self.fresh_db(backend, size, "floor")
        else:
            self.note(
                f"{backend} {label}: the served database was loaded by the floor loader"
                " (same rows); sayso load was not run at this size"
            )
            url = floor_url = self.fresh_db(backend, size, "sayso")
        if floor_url == url or size <= self.args.floor_load_upto:
            result = floor_load(corpus, floor_url)
            figures["floor"] = {**result, "statements_per_s": size / result["insert_s"]}
            self.say(
                f"{backend} {label}: floor parse {result['parse_s']:.1f}s, insert "
                f"{result['insert_s']:.1f}s, {figures['floor']['statements_per_s']:.0f} stmt/s"
            )
        else:
            self.note(f"{backend} {label}: the floor loader was not run at this size")
        if floor_url != url:
            if backend == "postgresql":
                self.pg.drop_database(f"floor_{label}")
            else:
                for suffix in ("", "-wal", "-shm"):
                    Path(floor_url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        if backend == "postgresql":
            import psycopg

            # What autovacuum does some time after a bulk load (the visibility map, the rows'
            # hint bits; sayso load gathers the statistics itself, the floor loader does not):
            # done now, so that no run is measured while it happens. A search measured during
            # it took 40 ms instead of 2.3 ms at 100k statements.
            with psycopg.connect(self.pg.conninfo(f"sayso_{label}"), autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        self.results["load"][backend][str(size)] = figures
        return url

    def sayso_load(
        self, backend: str, size: int, corpus: Path, url: str
    ) -> tuple[str, dict[str, Any]]:
        """Run `sayso load` on the corpus into URL, timed, its RSS watched."""
        label = report.size_label(size)
        note = ""
        log = self.out / "logs" / f"load-{backend}-{label}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        timeout = max(900.0, size * 0.02)
        target = corpus / "annotations"
        for attempt in range(2):
            self.say(f"{backend} {label}: sayso load {target}")
            began = time.perf_counter()
            with log.open("w") as out:
                proc = subprocess.Popen(
                    [PYTHON, "-m", "app.cli", "load", str(target)],
                    env=self.sayso_env(url),
                    cwd=self.app_root,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
                with RssPeak(Proc(proc), interval=0.5) as peak:
                    try:
                        code = proc.wait(timeout=timeout)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait(30)
                        raise RuntimeError(f"sayso load took over {timeout:.0f}s") from None
            seconds = time.perf_counter() - began
            text = log.read_text(errors="replace")
            if code != 0 and "no annotation files" in text and attempt == 0:
                # This sayso reads only *.yaml: give it the same files under that name.
                target = self.yaml_view(corpus)
                note = "JSON files loaded as .yaml (this loader reads no *.json)"
                self.note(f"sayso load: {note}; PyYAML parses them")
                url = self.fresh_db(backend, size, "sayso")
                continue
            if code != 0:
                raise RuntimeError(f"sayso load failed ({code}):\n{text[-3000:]}")
            break
        self.say(f"{backend} {label}: sayso load {seconds:.1f}s, {size / seconds:.0f} statements/s")
        return url, {
            "seconds": round(seconds, 2),
            "statements_per_s": size / seconds,
            "peak_rss": peak.peak_total,
            "note": note,
        }

    # -- servers ------------------------------------------------------------------------------

    def sayso_server(self, backend: str, size: int, url: str, log_name: str = "sayso") -> Server:
        port = free_port()
        return Server(
            "sayso",
            [
                PYTHON,
                "-m",
                "app.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(self.args.workers),
            ],
            env=self.sayso_env(url),
            cwd=self.app_root,
            port=port,
            log=self.out / "logs" / f"{log_name}-{backend}-{report.size_label(size)}.log",
            ready_path="/health",
        )

    def servers(self, backend: str, size: int, url: str) -> dict[str, Server]:
        label = report.size_label(size)
        logs = self.out / "logs"
        workers = str(self.args.workers)
        found: dict[str, Server] = {"sayso": self.sayso_server(backend, size, url)}
        port = free_port()
        found["floor"] = Server(
            "floor",
            [
                PYTHON,
                "-m",
                "uvicorn",
                "bench.floor_app:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                workers,
                "--log-level",
                "warning",
            ],
            env={**os.environ, "BENCH_DATABASE_URL": url, "PYTHONPATH": str(PROJECT)},
            cwd=PROJECT,
            port=port,
            log=logs / f"floor-{backend}-{label}.log",
            ready_path="/health",
        )
        if backend == "sqlite":
            port = free_port()
            found["datasette"] = Server(
                "datasette",
                [
                    str(Path(PYTHON).with_name("datasette")),
                    "serve",
                    url.removeprefix("sqlite:///"),
                    "--metadata",
                    str(BENCH / "datasette" / "metadata.yaml"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                env=dict(os.environ),
                cwd=PROJECT,
                port=port,
                log=logs / f"datasette-{backend}-{label}.log",
                ready_path="/-/versions.json",
            )
        return found

    def paths(self, server: str, question: str, samples: dict[str, Any]) -> list[str]:
        path, query, key, param = QUESTIONS[question]
        values = samples[key]
        if server == "datasette":
            return [f"/sayso/{query}.json?_shape=array&{param}={v}" for v in values]
        return [path.format(v) for v in values]

    def probe(self, server: Server, paths: list[str]) -> str | None:
        """None if the server answers these paths, else why not (n/a)."""
        for path in paths[:3]:
            status, body = get(server.port, path)
            if status in MISSING:
                return f"HTTP {status}: endpoint missing"
            if status != 200:
                return f"HTTP {status}: {body[:200]!r}"
        return None

    def serve(self, backend: str, size: int, url: str, samples: dict[str, Any]) -> None:
        label = report.size_label(size)
        servers = self.servers(backend, size, url)
        serve: dict[str, Any] = {}
        memory: dict[str, Any] = {}
        try:
            for server in servers.values():
                self.say(f"{backend} {label}: starting {server.name} on {server.url}")
                server.start()
            for question in self.args.questions:
                serve[question] = {}
                # Every server is warmed up on the question before any is measured: the first
                # to run would otherwise pay for the caches (the OS's, the database's) alone.
                ready: dict[str, list[str]] = {}
                for name, server in servers.items():
                    paths = self.paths(name, question, samples)
                    why = self.probe(server, paths)
                    if why is not None:
                        serve[question][name] = {"na": why}
                        self.say(f"{backend} {label} {question} {name}: n/a ({why})")
                        continue
                    ready[name] = paths
                    run_wrk(
                        server.url,
                        paths,
                        duration=min(3, self.args.duration),
                        connections=self.args.connections,
                        threads=self.args.threads,
                    )
                for name, paths in ready.items():
                    server = servers[name]
                    with RssPeak(server) as peak:
                        result = run_wrk(
                            server.url,
                            paths,
                            duration=self.args.duration,
                            connections=self.args.connections,
                            threads=self.args.threads,
                        )
                    serve[question][name] = result.as_dict()
                    old = memory.get(name, {"total": 0, "largest": 0})
                    memory[name] = {
                        "total": max(old["total"], peak.peak_total),
                        "largest": max(old["largest"], peak.peak_process),
                    }
                    self.say(
                        f"{backend} {label} {question} {name}: {result.requests_per_s:.0f} req/s,"
                        f" p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms"
                        + (f", {result.errors} errors" if result.errors else "")
                    )
            if size <= self.args.csv_upto:
                memory["csv"] = self.csv_export(servers["sayso"], size)
            else:
                memory["csv"] = "not measured at this size (--csv-upto)"
        finally:
            for server in servers.values():
                server.stop()
        self.results["serve"][backend][str(size)] = serve
        self.results["memory"][backend][str(size)] = memory

    def growth(self, backend: str, served: dict[int, tuple[str, dict[str, Any]]]) -> None:
        """sayso's p50 at the smallest and the largest size, measured in alternation.

        The p50s of the per-size runs are minutes apart, and this machine's speed drifts over
        minutes: the same serving code's growth ratios moved by +-0.3x from run to run. Here
        both databases are served at once and each question is run on them in turn (small,
        large, large, small, ...: a drift in time weighs on both alike), each run as long and
        as loaded as the others (wrk, same connections); each size's p50 is the median of its
        runs' p50s. The targets' growth is this ratio. Each run also gives the server's CPU
        time per request (its processes' user and system time over the requests wrk made): what
        a p50 under 16 connections mostly queues behind, without the queueing.
        """
        small, large = min(served), max(served)
        servers = {
            size: self.sayso_server(backend, size, served[size][0], "growth")
            for size in (small, large)
        }
        found: dict[str, Any] = {}
        try:
            for server in servers.values():
                server.start()
            for question in self.args.questions:
                paths = {size: self.paths("sayso", question, served[size][1]) for size in servers}
                if any(self.probe(servers[size], paths[size]) for size in servers):
                    continue  # n/a: the per-size runs say why
                for size, server in servers.items():
                    run_wrk(
                        server.url,
                        paths[size],
                        duration=min(3, self.args.growth_duration),
                        connections=self.args.connections,
                        threads=self.args.threads,
                    )
                p50s: dict[int, list[float]] = {small: [], large: []}
                cpu: dict[int, list[float]] = {small: [], large: []}
                for round_ in range(self.args.growth_rounds):
                    for size in (small, large) if round_ % 2 == 0 else (large, small):
                        before = servers[size].cpu_seconds()
                        result = run_wrk(
                            servers[size].url,
                            paths[size],
                            duration=self.args.growth_duration,
                            connections=self.args.connections,
                            threads=self.args.threads,
                        )
                        used = servers[size].cpu_seconds() - before
                        p50s[size].append(result.p50_ms)
                        cpu[size].append(1000 * used / max(result.requests, 1))
                ratio = statistics.median(p50s[large]) / statistics.median(p50s[small])
                found[question] = {
                    "small": p50s[small],
                    "large": p50s[large],
                    "ratio": ratio,
                    "small_cpu_ms": cpu[small],
                    "large_cpu_ms": cpu[large],
                }
                self.say(
                    f"{backend} growth {question}: p50 {report.size_label(small)} {p50s[small]},"
                    f" {report.size_label(large)} {p50s[large]} ms: {ratio:.2f}x; CPU ms a"
                    f" request {report.cpu_growth(found[question])}"
                )
        finally:
            for server in servers.values():
                server.stop()
        self.results["growth"][backend] = {
            "sizes": [small, large],
            "rounds": self.args.growth_rounds,
            "duration": self.args.growth_duration,
            "questions": found,
        }

    def csv_export(self, server: Server, size: int) -> dict[str, Any] | str:
        """RSS before, and at its peak while streaming the whole /statements.csv."""
        # RSS before anything of the export ran: the probe below starts one too, and what it
        # leaves behind is the export's growth as much as the full run's is.
        before, _ = server.rss()
        status = status_only(server.port, "/statements.csv")
        if status in MISSING:
            return "n/a (endpoint missing)"
        time.sleep(1)  # let the server drop the probe's response
        began = time.perf_counter()
        total = 0
        with RssPeak(server, interval=0.05) as peak:
            for n in stream(server.port, "/statements.csv", timeout=max(600.0, size * 0.002)):
                total += n
        seconds = time.perf_counter() - began
        self.say(
            f"CSV export: {total / 2**20:.0f} MB in {seconds:.1f}s, RSS {before / 2**20:.0f}"
            f" -> {peak.peak_total / 2**20:.0f} MB"
        )
        return {
            "before": before,
            "peak": peak.peak_total,
            "growth": max(0, peak.peak_total - before),
            "bytes": total,
            "seconds": seconds,
        }

    # -- the whole run ------------------------------------------------------------------------

    def backend(self, backend: str) -> None:
        if backend == "postgresql":
            buffers = f"shared_buffers={shared_buffers_mb()}MB"
            self.pg = start_postgres([buffers])
            self.note(
                "PostgreSQL: a throwaway local server (tests/pg_server.py: fsync=off), "
                f"{buffers}, VACUUM ANALYZE after the load"
            )
        try:
            served: dict[int, tuple[str, dict[str, Any]]] = {}
            for size in self.args.sizes:
                corpus = self.corpus(size)
                samples = orjson.loads((corpus / "samples.json").read_bytes())
                url = self.load(backend, size, corpus)
                if not self.args.no_serve:
                    self.serve(backend, size, url, samples)
                    served[size] = (url, samples)
                self.save()
            if len(served) > 1 and self.args.growth_rounds > 0:
                self.growth(backend, served)
                self.save()
        finally:
            if self.pg is not None:
                if self.args.keep_postgres is not None:
                    keep_cluster(self.pg, self.args.keep_postgres)
                    self.say(f"kept the PostgreSQL cluster in {self.args.keep_postgres}")
                self.pg.stop()
                self.pg = None

    def save(self) -> None:
        self.results["settings"]["ended"] = report.now()
        (self.out / "results.json").write_bytes(
            orjson.dumps(self.results, option=orjson.OPT_INDENT_2)
        )

    def run(self) -> None:
        ensure_wrk()
        self.out.mkdir(parents=True, exist_ok=True)
        for backend in self.args.backends:
            self.backend(backend)


def start_postgres(settings: list[str]) -> Any:
    """A throwaway PostgreSQL server (tests/pg_server.py) with these SETTINGS, started."""
    module = tests_module("pg_server")
    reason = module.pg_unavailable_reason()
    if reason is not None:
        raise SystemExit(f"PostgreSQL unavailable: {reason}")
    server = module.PgServer(settings=settings)
    server.start()
    return server


def keep_cluster(server: Any, destination: Path) -> None:
    """Stop SERVER cleanly and move its data directory to DESTINATION, to be started again by
    hand (``pg_ctl -D DESTINATION start``, as its owner) rather than removed with the rest."""
    server._run_pg(["pg_ctl", "-D", str(server.data_dir), "-m", "fast", "-w", "stop"], timeout=600)
    shutil.move(str(server.data_dir), str(destination))


def shared_buffers_mb() -> int:
    """PostgreSQL's page cache for the bench: a quarter of the machine's memory, at most 4 GB,
    which is the starting value PostgreSQL's documentation gives for a database server (its
    default, 128 MB, is sized to start on any machine). It holds the database at a million
    statements (~3 GB), as the OS's file cache holds SQLite's file."""
    return int(min(psutil.virtual_memory().total // 4, 4 << 30)) >> 20


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="10k,100k,1m", help="statement counts (default %(default)s)"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--duration", type=float, default=10, help="seconds of wrk per run")
    parser.add_argument("--questions", default=",".join(QUESTIONS))
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument(
        "--growth-rounds",
        type=int,
        default=4,
        help="p50 growth: runs of each question at the smallest and the largest size, in"
        " alternation, after all sizes (0: the per-size runs' p50s instead)",
    )
    parser.add_argument(
        "--growth-duration", type=float, default=5, help="seconds of wrk per growth run"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=BENCH / "out", help="cache and work folder")
    parser.add_argument(
        "--app-root", type=Path, default=PROJECT, help="the sayso tree to run (default: this one)"
    )
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument(
        "--serve-from",
        choices=("sayso", "floor"),
        default="sayso",
        help="what loads the served database: `sayso load` (timed against the floor), or only"
        " the floor loader (same rows; sayso's load is then not measured)",
    )
    parser.add_argument(
        "--sayso-load-upto",
        default="1000m",
        help="run `sayso load` only at sizes up to this one; larger ones are served from the"
        " floor loader's database (default: every size)",
    )
    parser.add_argument(
        "--floor-load-upto",
        default="1000m",
        help="run the floor loader only at sizes up to this one (default: every size; it holds"
        " every row in memory, ~20 GB at 10m)",
    )
    parser.add_argument(
        "--csv-upto",
        default="1000m",
        help="stream the full CSV export (the memory check) only at sizes up to this one"
        " (default: every size; at 10m it streams ~9 GB)",
    )
    parser.add_argument(
        "--keep-postgres",
        type=Path,
        help="move the PostgreSQL cluster's data directory here at the end instead of removing"
        " it (to look at a large database again without loading it again)",
    )
    parser.add_argument(
        "--no-serve",
        action="store_true",
        help="time the loads only (python -m bench.report A.json B.json merges two runs' figures)",
    )
    parser.add_argument("--note", action="append", default=[], help="a line for RESULTS.md")
    args = parser.parse_args()
    args.sayso_load_upto = generate.parse_size(args.sayso_load_upto)
    args.floor_load_upto = generate.parse_size(args.floor_load_upto)
    args.csv_upto = generate.parse_size(args.csv_upto)
    args.sizes = [generate.parse_size(s) for s in args.sizes.split(",")]
    args.backends = [b.strip() for b in args.backends.split(",")]
    args.questions = [q.strip() for q in args.questions.split(",")]
    for q in args.questions:
        if q not in QUESTIONS:
            parser.error(f"unknown question {q!r}: one of {', '.join(QUESTIONS)}")
    for b in args.backends:
        if b not in ("sqlite", "postgresql"):
            parser.error(f"unknown backend {b!r}")
    command = shlex.join(["python", "-m", "bench.run", *sys.argv[1:]])
    bench = Bench(args)
    bench.results["settings"]["command"] = command
    bench.results["notes"] += args.note
    try:
        bench.run()
    finally:
        with contextlib.suppress(Exception):
            bench.save()
        if any(bench.results["serve"].values()) or any(bench.results["load"].values()):
            print(report.render(bench.results))
            report.write_results_md(
                args.results, bench.results, command, report.ran(bench.results["settings"])
            )
            bench.say(f"wrote {args.results}")


if __name__ == "__main__":
    main()

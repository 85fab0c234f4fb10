"""A/B: two sayso trees serving the same database, measured in alternation.

    python -m bench.ab --base /tmp/before [--head .] [--sizes 1m] [--backends sqlite,postgresql]

Did a change make any question slower? `bench.run` measured twice, minutes apart, cannot say
to within 5% on this machine: its speed drifts over minutes (the floor app alone moved by 20%
between two runs of the same code). Here the database is loaded once (by the floor loader, as
`bench.run --serve-from floor` does), BASE and HEAD each serve it with `sayso serve` at once,
and every question is run on them in turn - base, head, head, base, ... - each run as long and
as loaded as the others, so that a drift in time weighs on both alike. Each side's figure is the
median of its runs. Prints one table (head/base of req/s and p50) and writes it to --results.

Make BASE a tree of its own, e.g. `git worktree add /tmp/before <commit> && (cd /tmp/before &&
uv sync --frozen)`: both sides run on this environment's interpreter and packages, with their
own `app/`.

Or measure a setting rather than a change: one tree (no --base), its head side served with the
settings --head-env gives, e.g. what metrics cost:

    python -m bench.ab --head-env SAYSO_METRICS=true --sizes 10k --backends sqlite
"""

import argparse
import shlex
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from bench import generate, report
from bench.run import BENCH, PROJECT, QUESTIONS, Bench, shared_buffers_mb, start_postgres
from bench.servers import Server
from bench.wrk import ensure_wrk, run_wrk

SIDES = ("base", "head")
Run = tuple[float, float, float]  # req/s, p50 ms, the server's CPU us a request


def measure(
    bench: Bench, roots: dict[str, Path], backend: str, size: int, rounds: int
) -> dict[str, Any]:
    """{question: {side: [(req/s, p50 ms, server CPU us/request), ...]}} for one backend and
    size."""
    args = bench.args
    corpus = bench.corpus(size)
    samples = orjson.loads((corpus / "samples.json").read_bytes())
    url = bench.load(backend, size, corpus)
    servers: dict[str, Server] = {}
    for side, root in roots.items():
        bench.app_root = root
        servers[side] = bench.sayso_server(backend, size, url, f"ab-{side}")
        servers[side].env.update(args.env[side])
    found: dict[str, Any] = {}
    try:
        for server in servers.values():
            server.start()
        for question in args.questions:
            paths = bench.paths("sayso", question, samples)
            why = {side: bench.probe(servers[side], paths) for side in SIDES}
            if any(why.values()):
                found[question] = {"na": why}
                bench.say(f"{backend} {question}: n/a {why}")
                continue
            runs: dict[str, list[Run]] = {side: [] for side in SIDES}
            for side in SIDES:  # warm-up, not counted
                run_wrk(servers[side].url, paths, duration=min(3, args.duration))
            for round_ in range(rounds):
                for side in SIDES if round_ % 2 == 0 else reversed(SIDES):
                    cpu = servers[side].cpu_seconds()
                    result = run_wrk(
                        servers[side].url,
                        paths,
                        duration=args.duration,
                        connections=args.connections,
                        threads=args.threads,
                    )
                    if result.errors:
                        raise RuntimeError(f"{side} {question}: {result.errors} errors")
                    # The server's CPU time per request: what a change costs, less disturbed
                    # by other work on the machine than the rate is.
                    cpu_us = (servers[side].cpu_seconds() - cpu) / max(result.requests, 1) * 1e6
                    runs[side].append((result.requests_per_s, result.p50_ms, cpu_us))
            found[question] = runs
            bench.say(f"{backend} {report.size_label(size)} {question}: {summary(runs)}")
    finally:
        for server in servers.values():
            server.stop()
    return found


def medians(runs: dict[str, list[Run]]) -> dict[str, Run]:
    return {
        side: (
            statistics.median(r[0] for r in runs[side]),
            statistics.median(r[1] for r in runs[side]),
            statistics.median(r[2] for r in runs[side]),
        )
        for side in SIDES
    }


def summary(runs: dict[str, list[Run]]) -> str:
    m = medians(runs)
    (base_rps, base_p50, base_cpu), (head_rps, head_p50, head_cpu) = m["base"], m["head"]
    return (
        f"base {base_rps:.0f} req/s p50 {base_p50:.1f} ms {base_cpu:.0f} us CPU, head"
        f" {head_rps:.0f} req/s p50 {head_p50:.1f} ms {head_cpu:.0f} us CPU: req/s"
        f" {head_rps / base_rps:.2f}x, CPU/request {head_cpu / base_cpu:.3f}x"
    )


def table(results: dict[str, Any]) -> str:
    lines = [
        "| question | backend | base req/s | head req/s | head/base req/s | base p50 ms"
        " | head p50 ms | head/base p50 | base CPU us/req | head CPU us/req | head/base CPU"
        " | runs (req/s) base; head | runs (CPU us/req) base; head |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, questions in results.items():
        for question, runs in questions.items():
            if "na" in runs:
                lines.append(f"| {question} | {key} | n/a | | | | | | | | | {runs['na']} | |")
                continue
            m = medians(runs)
            (base_rps, base_p50, base_cpu), (head_rps, head_p50, head_cpu) = m["base"], m["head"]
            rates = "; ".join(" ".join(f"{r[0]:.0f}" for r in runs[side]) for side in SIDES)
            cpus = "; ".join(" ".join(f"{r[2]:.0f}" for r in runs[side]) for side in SIDES)
            lines.append(
                f"| {question} | {key} | {base_rps:.0f} | {head_rps:.0f} |"
                f" {head_rps / base_rps:.2f}x | {base_p50:.1f} | {head_p50:.1f} |"
                f" {head_p50 / base_p50:.2f}x | {base_cpu:.0f} | {head_cpu:.0f} |"
                f" {head_cpu / base_cpu:.3f}x | {rates} | {cpus} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", type=Path, help="the sayso tree before (default: --head)")
    parser.add_argument("--head", type=Path, default=PROJECT, help="the tree after (this one)")
    parser.add_argument("--sizes", default="1m")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--questions", default=",".join(QUESTIONS))
    parser.add_argument("--rounds", type=int, default=4, help="runs of each side per question")
    parser.add_argument("--duration", type=float, default=5, help="seconds of wrk per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    for side in SIDES:
        parser.add_argument(
            f"--{side}-env",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help=f"an environment variable of the {side} side's server (repeatable)",
        )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--results", type=Path, default=BENCH / "out" / "ab.md")
    args = parser.parse_args()
    args.sizes = [generate.parse_size(s) for s in args.sizes.split(",")]
    args.questions = [q.strip() for q in args.questions.split(",")]
    # What Bench reads besides: the database is loaded by the floor loader only.
    args.app_root, args.serve_from, args.sayso_load_upto = args.head, "floor", 0
    args.backends = [b.strip() for b in args.backends.split(",")]
    roots = {"base": (args.base or args.head).resolve(), "head": args.head.resolve()}
    args.env = {side: dict(v.split("=", 1) for v in getattr(args, f"{side}_env")) for side in SIDES}
    ensure_wrk()
    bench = Bench(args)
    results: dict[str, Any] = {}
    for backend in args.backends:
        if backend == "postgresql":
            bench.pg = start_postgres([f"shared_buffers={shared_buffers_mb()}MB"])
        try:
            for size in args.sizes:
                key = f"{backend} {report.size_label(size)}"
                results[key] = measure(bench, roots, backend, size, args.rounds)
        finally:
            if bench.pg is not None:
                bench.pg.stop()
                bench.pg = None
    command = shlex.join(["python", "-m", "bench.ab", *sys.argv[1:]])
    text = (
        f"# A/B: {roots['head']} (head) against {roots['base']} (base)\n\n"
        f"- {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; `{command}`\n"
        f"- each figure is the median of {args.rounds} runs of {args.duration:g} s, the two"
        " sides run in alternation\n"
        + "".join(f"- {side}'s server with {env}\n" for side, env in args.env.items() if env)
        + "\n"
        + table(results)
        + "\n"
    )
    args.results.write_text(text)
    print(text)


if __name__ == "__main__":
    main()

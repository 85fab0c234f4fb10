"""What the metrics cost a request (docs/operating.md#metrics): microseconds per request of the
app alone, driven in process (no network, no server, whose noise would hide a few
microseconds), with metrics off and on, as a server worker runs them (prometheus_client's
multiprocess mode: every figure written to a memory-mapped file), on the seed in SQLite or on a
database you name (--database-url, e.g. a bench database). Access lines off on both sides.

Time is this thread's CPU time. The two apps serve the same database; rounds alternate between
them (off, on, on, off, ...); the figures are the median round's and the fastest round's. The
share is of the app's own time: a request through HTTP costs more (the server's parsing and the
socket), so its share there is smaller.

    uv run --frozen python -m bench.metrics_cost [--requests 20000] [--rounds 9]
"""

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

# A claim; and as bench.ab's questions ask them: a page of denials, a claim's positions, a
# source's statements.
PATHS = (
    ("/claims/putin-signalled-ceasefire-2023", b""),
    ("/claims/putin-signalled-ceasefire-2023/statements", b"stance=denies"),
    ("/claims/putin-signalled-ceasefire-2023/positions", b""),
    ("/sources/indiatv-2024-02-14-putin-ceasefire-rejected/statements", b""),
    ("/health", b""),
)
SIDES = ("off", "on")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--database-url", help="a database to read (default: the seed, anew)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # As `sayso serve` sets it up (app/web/metrics_dir.py), before prometheus_client loads.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tmp
        from app.config import Settings
        from app.main import create_app
        from app.web.logs import configure
        from bench.access_log import prepare
        from bench.asgi import per_request

        configure("warning", "text")
        url = args.database_url or prepare(Path(tmp) / "sayso.db")
        apps = {
            side: create_app(Settings(database_url=url, metrics=side == "on")) for side in SIDES
        }
        times: dict[tuple[str, str], list[float]] = {}
        for round_ in range(args.rounds):
            for side in SIDES if round_ % 2 == 0 else reversed(SIDES):
                for path, query in PATHS:
                    took = asyncio.run(
                        per_request(apps[side], path, query, args.requests, clock=time.thread_time)
                    )
                    times.setdefault((side, path), []).append(took)
    print(f"{args.requests} requests a round, {args.rounds} rounds, in alternation")
    print(
        f"{'path':<64} {'off us':>7} {'on us':>7} {'on-off':>7} {'share':>7}"
        f" | {'off min':>7} {'on min':>7} {'on-off':>7} {'share':>7}"
    )
    for path, _ in PATHS:
        off, on = times[("off", path)], times[("on", path)]
        line = f"{path:<64}"
        # The median round's, and the fastest round's: the least disturbed by other work.
        for a, b in ((statistics.median(off), statistics.median(on)), (min(off), min(on))):
            line += f" {a * 1e6:>7.1f} {b * 1e6:>7.1f} {(b - a) * 1e6:>+7.1f} {(b - a) / a:>+7.1%}"
            line += " |"
        print(line.rstrip(" |"))


if __name__ == "__main__":
    main()

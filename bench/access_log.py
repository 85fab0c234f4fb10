"""What the access log costs a hot read (docs/performance.md#the-access-log): microseconds per
request of the app alone, driven in process (no network, no server: what the log adds is not
lost in their noise), on the seed in SQLite, for

- `none`: the app without the access log's middleware (as before it);
- `warning`: the middleware (the request id, its header) with access lines off (log level
  warning);
- `text`, `json`: an access line per request in either format, written to a file, as a
  server's stderr sent to a file would be (one write a line).

Rounds alternate between them; each figure is the median round's.

    uv run --frozen python -m bench.access_log [--requests 20000] [--rounds 7]
"""

import argparse
import asyncio
import logging
import statistics
import tempfile
from pathlib import Path

from fastapi import FastAPI

from app.config import Settings
from app.main import create_app
from app.web.access import AccessLog
from app.web.logs import configure
from bench.asgi import per_request
from bench.fixtures import seeded

PATHS = (
    ("/claims/putin-signalled-ceasefire-2023/statements", b"stance=denies"),
    ("/claims/putin-signalled-ceasefire-2023", b""),
)
SETUPS = ("none", "warning", "text", "json")


def prepare(db: Path) -> str:
    """A fresh SQLite database at DB, migrated and seeded."""
    url = f"sqlite:///{db}"
    seeded(url)
    return url


def app_for(url: str, access_log: bool) -> FastAPI:
    app = create_app(Settings(database_url=url))
    if not access_log:
        app.user_middleware = [m for m in app.user_middleware if m.cls is not AccessLog]
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = prepare(Path(tmp) / "sayso.db")
        apps = {"none": app_for(url, False), **{s: app_for(url, True) for s in SETUPS[1:]}}
        sink = (Path(tmp) / "server.log").open("w")
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for setup in SETUPS:
                # Logging as a server worker sets it up (app/web/server.py).
                form = "json" if setup == "json" else "text"
                configure("warning" if setup in ("none", "warning") else "info", form, sink)
                for path, query in PATHS:
                    took = asyncio.run(per_request(apps[setup], path, query, args.requests))
                    times.setdefault((setup, path), []).append(took)
        logging.getLogger().handlers.clear()
        lines = sum(1 for _ in (Path(tmp) / "server.log").open())
    print(f"{args.requests} requests a round, {args.rounds} rounds; {lines} access lines written")
    print(f"{'setup':<8} {'path':<52} {'us/request':>10} {'vs none':>9}")
    for path, _ in PATHS:
        base = statistics.median(times[("none", path)])
        for setup in SETUPS:
            median = statistics.median(times[(setup, path)])
            extra = f"{(median - base) * 1e6:+.1f} us" if setup != "none" else ""
            print(f"{setup:<8} {path:<52} {median * 1e6:>10.1f} {extra:>9}")


if __name__ == "__main__":
    main()

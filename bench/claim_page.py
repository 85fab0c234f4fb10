"""A claim's page against its JSON (bench/README.md, "A claim's page against its JSON"):
milliseconds per request of the app alone, driven in process (no network, no server), on an
SQLite database already loaded and migrated to the app's schema (by default the benchmark's
million statements), only read: the file's size and time are checked unchanged at the end.

For each claim chosen (the most stated, and others spread over the ids), in rounds that
alternate them: the page `/browse/claims/{slug}`; its JSON twin `/claims/{slug}`; and the five
JSON answers the page is built from, one after the other (the claim, its positions, its first
page of statements, its contradictions, its timeline). Each figure is the median round's; the
ratio the issue bounds (at most 2) is the page's time over the JSON's.

    uv run --frozen python -m bench.claim_page [--db bench/out/db-1m/sayso.db] [--claims 12]
        [--rounds 7] [--requests 10]
"""

import argparse
import asyncio
import os
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from app.config import PROJECT_ROOT, Settings
from app.main import create_app
from bench.asgi import get

DB = PROJECT_ROOT / "bench" / "out" / "db-1m" / "sayso.db"
# The page's first page of statements is this long (app/pages/router.py PAGE): its JSON too.
PAGE = 50


def claims_to_ask(db: Path, count: int) -> list[tuple[str, int]]:
    """COUNT claims and how many statements each has: the most stated third, the rest spread
    evenly over the ids (most claims have a few statements)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        top = conn.execute(
            "SELECT c.slug, n FROM (SELECT claim_id, count(*) AS n FROM statements "
            "GROUP BY claim_id ORDER BY n DESC LIMIT ?) JOIN claims c ON c.id = claim_id",
            (count // 3,),
        ).fetchall()
        (last,) = conn.execute("SELECT max(id) FROM claims").fetchone()
        step = max(1, last // (count - len(top) + 1))
        spread = conn.execute(
            "SELECT c.slug, (SELECT count(*) FROM statements s WHERE s.claim_id = c.id) "
            "FROM claims c WHERE c.id % ? = 0 ORDER BY c.id LIMIT ?",
            (step, count - len(top)),
        ).fetchall()
    finally:
        conn.close()
    return [(slug, n) for slug, n in top + spread]


def paths(slug: str) -> dict[str, list[tuple[str, bytes]]]:
    claim = f"/claims/{slug}"
    return {
        "page": [(f"/browse{claim}", b"")],
        "json": [(claim, b"")],
        "five": [
            (claim, b""),
            (f"{claim}/positions", b""),
            (f"{claim}/statements", f"limit={PAGE}".encode()),
            (f"{claim}/contradictions", b""),
            (f"{claim}/timeline", b""),
        ],
    }


async def per_request(app: FastAPI, asked: list[tuple[str, bytes]], requests: int) -> float:
    """Seconds to GET each of ASKED once, the app called as a server calls it (the median of
    REQUESTS times)."""
    statuses = set()
    took = []
    for _ in range(requests):
        start = time.perf_counter()
        for path, query in asked:
            statuses.add(await get(app, path, query))
        took.append(time.perf_counter() - start)
    assert statuses == {200}, (asked, statuses)
    return statistics.median(took)


async def measure(app: FastAPI, claims: list[tuple[str, int]], rounds: int, requests: int) -> Any:
    times: dict[tuple[str, str], list[float]] = {}
    async with app.router.lifespan_context(app):
        for round_ in range(rounds):
            for slug, _ in claims:
                asked = paths(slug)
                kinds = list(asked) if round_ % 2 == 0 else list(reversed(asked))
                for kind in kinds:
                    took = await per_request(app, asked[kind], requests)
                    times.setdefault((slug, kind), []).append(took)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DB)
    parser.add_argument("--claims", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    before = args.db.stat().st_mtime_ns, args.db.stat().st_size
    claims = claims_to_ask(args.db, args.claims)
    (statements,) = (
        sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
        .execute("SELECT count(*) FROM statements")
        .fetchone()
    )
    app = create_app(Settings(database_url=f"sqlite:///{args.db}"))
    times = asyncio.run(measure(app, claims, args.rounds, args.requests))
    assert (args.db.stat().st_mtime_ns, args.db.stat().st_size) == before, "the database changed"
    print(
        f"{statements:,} statements; {len(claims)} claims, {args.rounds} rounds of "
        f"{args.requests} requests each; load average {os.getloadavg()[0]:.2f}"
    )
    heads = ("stmts", "page ms", "json ms", "five ms", "page/json", "page/five")
    print(f"{'claim':<44} " + " ".join(f"{h:>9}" for h in heads))
    ratios: dict[str, list[float]] = {"json": [], "five": []}
    for slug, n in claims:
        ms = {k: statistics.median(times[(slug, k)]) * 1e3 for k in ("page", "json", "five")}
        for k in ratios:
            ratios[k].append(ms["page"] / ms[k])
        print(
            f"{slug[:44]:<44} {n:>9} {ms['page']:>9.2f} {ms['json']:>9.2f} {ms['five']:>9.2f} "
            f"{ms['page'] / ms['json']:>9.2f} {ms['page'] / ms['five']:>9.2f}"
        )
    print(
        f"median ratio: page/json {statistics.median(ratios['json']):.2f}, "
        f"page/five {statistics.median(ratios['five']):.2f}; "
        f"worst: page/json {max(ratios['json']):.2f}, page/five {max(ratios['five']):.2f}"
    )


if __name__ == "__main__":
    main()

"""What PostgreSQL's declarative partitioning by year would cost sayso's questions
(docs/scaling.md#past-one-primary-partitioning): a table shaped as `statements` (id, claim,
speaker, date), N rows over 20 years, made twice on a throwaway server: plain, and partitioned
by year of its date (20 partitions, each with the same indexes). Then, in alternating rounds,
each question the API asks of statements:

- `claim`: a page of a claim's statements in id order (the claim's page): on the partitioned
  table, every partition's index is probed and the pages merged;
- `claim+year`: the same with a date range inside one year (`said_from`/`said_to`): pruned to
  one partition;
- `speaker`: a page of an actor's statements, newest first (an actor's page);
- `id`: one statement by its id (no date known: every partition probed).

Microseconds per query, the median round's; the plain table's first.

    uv run --frozen python -m bench.partitions [--rows 2000000] [--queries 2000] [--rounds 5]
"""

import argparse
import random
import statistics
import time
from typing import Any

import psycopg

from bench.fixtures import tests_module

YEARS = range(2006, 2026)
SCHEMA = """
CREATE TABLE {name} (
    id bigint NOT NULL, claim_id int NOT NULL, speaker_id int NOT NULL, dated_on date NOT NULL,
    context text
) {partitioned};
"""
INDEXES = (
    "CREATE INDEX ON {name} (claim_id, id)",
    "CREATE INDEX ON {name} (speaker_id, dated_on DESC, id DESC)",
    "CREATE INDEX ON {name} (id)",
)
QUERIES = {
    "claim": "SELECT id, speaker_id, dated_on FROM {name} WHERE claim_id = %(claim)s "
    "ORDER BY id LIMIT 50",
    "claim+year": "SELECT id, speaker_id, dated_on FROM {name} WHERE claim_id = %(claim)s "
    "AND dated_on >= %(start)s AND dated_on < %(end)s ORDER BY id LIMIT 50",
    "speaker": "SELECT id, claim_id, dated_on FROM {name} WHERE speaker_id = %(speaker)s "
    "ORDER BY dated_on DESC, id DESC LIMIT 50",
    "id": "SELECT id, claim_id, speaker_id, dated_on FROM {name} WHERE id = %(id)s",
}


def make(conn: Any, rows: int) -> None:
    conn.execute(SCHEMA.format(name="plain", partitioned=""))
    conn.execute(SCHEMA.format(name="by_year", partitioned="PARTITION BY RANGE (dated_on)"))
    for year in YEARS:
        conn.execute(
            f"CREATE TABLE by_year_{year} PARTITION OF by_year "
            f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"
        )
    # Claims of 20 statements on average, actors of 200, dates spread over the 20 years.
    fill = (
        "INSERT INTO {name} SELECT g, (g * 7919) % {claims} + 1, (g * 104729) % {speakers} + 1, "
        "date '2006-01-01' + ((g * 2654435761) % 7300)::int, 'context' "
        "FROM generate_series(1::bigint, {rows}) g"
    )
    for name in ("plain", "by_year"):
        conn.execute(fill.format(name=name, claims=rows // 20, speakers=rows // 200, rows=rows))
        for index in INDEXES:
            conn.execute(index.format(name=name))
        conn.execute(f"VACUUM ANALYZE {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pg_server = tests_module("pg_server")
    reason = pg_server.pg_unavailable_reason()
    if reason is not None:
        raise SystemExit(f"PostgreSQL unavailable: {reason}")
    server = pg_server.PgServer(settings=["shared_buffers=512MB"])
    try:
        server.start()
        server.create_database("parts")
        with psycopg.connect(server.conninfo("parts"), autocommit=True) as conn:
            began = time.monotonic()
            make(conn, args.rows)
            print(f"{args.rows} rows in each table, made in {time.monotonic() - began:.0f} s")
            rng = random.Random(7)
            claims, speakers = args.rows // 20, args.rows // 200
            params = [
                {
                    "claim": rng.randint(1, claims),
                    "speaker": rng.randint(1, speakers),
                    "id": rng.randint(1, args.rows),
                    "start": f"{(year := rng.choice(YEARS))}-01-01",
                    "end": f"{year + 1}-01-01",
                }
                for _ in range(args.queries)
            ]
            times: dict[tuple[str, str], list[float]] = {}
            for _ in range(args.rounds + 1):  # the first round warms the caches, unkept
                for question, sql in QUERIES.items():
                    for name in ("plain", "by_year"):
                        text = sql.format(name=name)
                        start = time.perf_counter()
                        for values in params:
                            conn.execute(text, values).fetchall()
                        took = (time.perf_counter() - start) / len(params)
                        times.setdefault((question, name), []).append(took)
        print(f"{args.queries} queries a round, {args.rounds} rounds; us per query (median round)")
        print(f"{'question':<12} {'plain':>8} {'by year':>8} {'ratio':>6}")
        for question in QUERIES:
            plain = statistics.median(times[(question, "plain")][1:])
            parted = statistics.median(times[(question, "by_year")][1:])
            print(
                f"{question:<12} {plain * 1e6:>8.0f} {parted * 1e6:>8.0f} {parted / plain:>5.1f}x"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()

"""What `count=true` costs: the time of each list's first page with and without its count, on a
loaded database (the benchmark's, or any), for the lists the API counts and for some it refuses
to (app/web/params.py `Counted`). Prints one table; docs/api.md quotes it.

    uv run python -m bench.counts sqlite:///bench/out/db-1m/sayso.db [--repeat 5]

Reads only. Each figure is the median of REPEAT runs, after one run that warms the caches, in
this process on the read driver the server uses (app/db/reads.py), without HTTP.
"""

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from app.actors import service as actors
from app.claims import service as claims
from app.db.reads import SQL, ReadDB, count, reads_for
from app.models import Actor, Claim, Statement
from app.models.enums import ActorKind, Stance
from app.sources import service as sources
from app.statements import service as statements
from app.statements.filters import StatementFilter
from app.web.pagination import PageParams

PAGE = PageParams(50, None)
COUNTED = PageParams(50, None, count=True)
# The claim and the speaker with the most statements: the costliest of their kind to count.
_BUSIEST = {
    "claim": "SELECT c.slug FROM claims c JOIN statements s ON s.claim_id = c.id "
    "GROUP BY c.id, c.slug ORDER BY count(*) DESC LIMIT 1",
    "speaker": "SELECT a.slug FROM actors a JOIN statements s ON s.speaker_id = a.id "
    "GROUP BY a.id, a.slug ORDER BY count(*) DESC LIMIT 1",
}


def _busiest(db: ReadDB, kind: str) -> str:
    found = db.one(SQL(text(_BUSIEST[kind])))
    assert found is not None, f"no {kind} has statements"
    return str(next(iter(found.values())))


def _median_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the database URL")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    db = reads_for(args.url)
    db.open()
    claim, speaker = _busiest(db, "claim"), _busiest(db, "speaker")
    # (list, offered: whether the API counts it, or refuses count=true as too costly, the page)
    lists: list[tuple[str, bool, Callable[[PageParams], Any]]] = [
        ("/claims", True, lambda p: claims.list_claims(db, p)),
        ("/claims?q=ceasefire", False, lambda p: claims.list_claims(db, p, q="ceasefire")),
        ("/actors", True, lambda p: actors.list_actors(db, p)),
        ("/actors?kind=unnamed", True, lambda p: actors.list_actors(db, p, kind=ActorKind.unnamed)),
        ("/sources", True, lambda p: sources.list_sources(db, p)),
        ("/sources?language=en", True, lambda p: sources.list_sources(db, p, language="en")),
        ("/statements", False, lambda p: statements.list_statements(db, StatementFilter(), p)),
        (
            "/statements?stance=denies",
            False,
            lambda p: statements.list_statements(db, StatementFilter(stance=Stance.denies), p),
        ),
        (
            f"/claims/{claim}/statements",
            True,
            lambda p: statements.list_statements(db, StatementFilter(claim=claim), p),
        ),
        (
            f"/actors/{speaker}/statements",
            True,
            lambda p: statements.list_statements(db, StatementFilter(speaker=speaker), p),
        ),
        (
            f"/actors/{speaker}/statements?stance=denies",
            True,
            lambda p: statements.list_statements(
                db, StatementFilter(speaker=speaker, stance=Stance.denies), p
            ),
        ),
    ]
    sizes = {
        "claims": _table_size(db, Claim.__tablename__),
        "actors": _table_size(db, Actor.__tablename__),
        "statements": _table_size(db, Statement.__tablename__),
    }
    print(f"{args.url}: " + ", ".join(f"{n:,} {t}" for t, n in sizes.items()))
    print("| list | counted | total | page (ms) | page and its count (ms) |")
    print("|---|---|---|---|---|")
    for name, offered, fn in lists:
        total = fn(COUNTED)["total"]
        page_ms = _median_ms(lambda fn=fn: fn(PAGE), args.repeat)
        counted_ms = _median_ms(lambda fn=fn: fn(COUNTED), args.repeat)
        said = "yes" if offered else "no (422)"
        print(f"| `{name}` | {said} | {total:,} | {page_ms:.2f} | {counted_ms:.2f} |")
    db.close()


def _table_size(db: ReadDB, table: str) -> int:
    return count(db, SQL(text(f"SELECT count(*) AS n FROM {table}")), {})


if __name__ == "__main__":
    main()

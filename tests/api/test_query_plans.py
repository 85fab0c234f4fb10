"""Every query the API runs for its lists (with each filter) and its detail pages is answered
through indexes, on both databases: the queries are recorded as the API runs them over HTTP,
then each is EXPLAINed on the same database."""

import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import psycopg
import pytest
from conftest import in_process
from sqlalchemy import make_url

from app.config import Settings
from app.db.reads import SQL, ReadDB, Row, conninfo
from app.main import create_app
from app.statements.export import _query as export_query
from app.statements.filters import StatementFilter

# Tables that grow with the data: none may be read whole.
BIG = {
    "actors",
    "actor_aliases",
    "appearances",
    "claims",
    "contradictions",
    "source_citations",
    "sources",
    "statements",
}
CLAIM, ACTOR = "putin-signalled-ceasefire-2023", "dmitry-peskov"
SOURCE = "indiatv-2024-02-14-putin-ceasefire-rejected"
FILTERS = [
    "claim=us-rejected-putin-ceasefire",
    "speaker=kremlin&include_affiliated=true",
    "affiliated_with=kremlin",
    "stance=denies",
    "unnamed=true",
    "unnamed=false",
    "said_from=2024-02-14&said_to=2024-02-14",
    f"source={SOURCE}",
    "outlet=india-tv-news",
    "language=en",
    "mode=direct",
    "hedged=true",
    "reported_from=2024-03-01",
    "reported_to=2024-02-14",
]
# Lists that walk the statements in id order, a page's worth, checking each through indexes: the
# unfiltered list, and filters that most statements meet (an index on them would pick half the
# table; the walk stops after one page). Their rowid scan is allowed, nothing else.
WALKS = {
    "/statements?limit=5",
    "/statements?unnamed=false",
    "/statements?language=en",
    "/statements?mode=direct",
    "/statements?hedged=true",
}
POSITIONS = f"/positions?claim={CLAIM}&claim=us-rejected-putin-ceasefire"
SEARCHES = ["/search?q=ceasefire", "/search?q=ceasefire&kind=quote&speaker=kremlin"]
REQUESTS = [
    *(f"/statements?{f}" for f in FILTERS),
    *(f"/statements?{f}&cursor=WzFd" for f in FILTERS[:4]),
    "/statements?limit=5",
    "/statements?cursor=WzVd",
    f"/claims/{CLAIM}/statements?stance=denies",
    f"/claims/{CLAIM}/statements?outlet=dan-tri&mode=direct",
    f"/claims/{CLAIM}/timeline",
    f"/claims/{CLAIM}/timeline?limit=2&cursor=WzczODkzMCwzXQ",
    f"/claims/{CLAIM}/positions",
    POSITIONS,
    f"/claims/{CLAIM}",
    f"/claims/{CLAIM}/contradictions",
    "/claims?cursor=WzVd",
    f"/actors/{ACTOR}",
    f"/actors/{ACTOR}/statements",
    f"/actors/{ACTOR}/statements?claim={CLAIM}",
    f"/actors/{ACTOR}/contradictions",
    "/actors?alias=Peskov",
    "/actors?kind=unnamed",
    f"/sources/{SOURCE}",
    f"/sources/{SOURCE}/statements",
    "/sources?outlet=india-tv-news",
    "/contradictions?kind=denial",
    "/statements/peskov-denies-peace-proposals",
    "/statements/three-sources-putin-sent-signals/chains",
    *SEARCHES,
    "/search?q=%22no%20talks%22",
    "/search/sources?q=ceasefire",
]


class Recording:
    """A ReadDB that notes every query it runs."""

    def __init__(self, inner: ReadDB) -> None:
        self.inner = inner
        self.dialect = inner.dialect
        self.seen: list[tuple[str, dict[str, Any]]] = []

    def _note(self, query: SQL, params: Mapping[str, Any] | None) -> None:
        sql, defaults = query.compiled(self.dialect)
        self.seen.append((sql, {**defaults, **(params or {})}))

    def all(self, query: SQL, params: Mapping[str, Any] | None = None) -> list[Row]:
        self._note(query, params)
        return self.inner.all(query, params)

    def one(self, query: SQL, params: Mapping[str, Any] | None = None) -> Row | None:
        self._note(query, params)
        return self.inner.one(query, params)


@pytest.fixture(scope="module")
def recorded(seeded_url: str) -> Iterator[tuple[str, list[tuple[str, str, dict[str, Any]]]]]:
    app = create_app(Settings(database_url=seeded_url))
    recording = Recording(app.state.reads)
    app.state.reads = recording
    runs: list[tuple[str, str, dict[str, Any]]] = []
    with in_process(app) as clients:
        client = clients()
        for path in REQUESTS:
            recording.seen.clear()
            response = client.get(path)
            assert response.status_code == 200, (path, response.text)
            runs += [(path, sql, params) for sql, params in recording.seen]
    yield seeded_url, runs


def _sqlite_plan(url: str, sql: str, params: dict[str, Any]) -> list[str]:
    with sqlite3.connect(make_url(url).database or "") as conn:
        return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def _sqlite_full_scans(plan: list[str], walks: bool) -> list[str]:
    """Whole-table reads of big tables (in a walk, the statements' rowid order is allowed)."""
    return [
        line
        for line in plan
        if (m := re.match(r"SCAN (\w+)(?: AS \w+)?$", line))
        and m.group(1) in BIG
        and not (walks and m.group(1) == "statements")
    ]


def _postgres_plan(url: str, sql: str, params: dict[str, Any]) -> list[str]:
    with psycopg.connect(conninfo(url)) as conn:
        # The seed tables are tiny: a sequential scan would win on cost alone. Forbid it, so
        # that a plan still showing one has no index to use.
        conn.execute("SET enable_seqscan = off")
        rows = conn.execute(f"EXPLAIN {sql}", params).fetchall()
    return [row[0] for row in rows]


def _postgres_full_scans(plan: list[str]) -> list[str]:
    return [
        line for line in plan if (m := re.search(r"Seq Scan on (\w+)", line)) and m.group(1) in BIG
    ]


def _plans_of(
    url: str,
    runs: list[tuple[str, str, dict[str, Any]]],
    path: str,
    plan: Callable[[str, str, dict[str, Any]], list[str]],
) -> list[str]:
    """The plan lines, by PLAN (_sqlite_plan or _postgres_plan), of every query PATH ran."""
    return [line for p, sql, params in runs if p == path for line in plan(url, sql, params)]


def test_every_query_reads_big_tables_through_indexes(
    backend: str, recorded: tuple[str, list[tuple[str, str, dict[str, Any]]]]
) -> None:
    url, runs = recorded
    assert len(runs) >= len(REQUESTS)
    failures = []
    for path, sql, params in runs:
        if backend == "sqlite":
            plan = _sqlite_plan(url, sql, params)
            scans = _sqlite_full_scans(plan, walks=path in WALKS)
        else:
            plan = _postgres_plan(url, sql, params)
            scans = _postgres_full_scans(plan)
        if scans:
            failures.append(f"{path}\n  {sql}\n  " + "\n  ".join(plan))
    assert not failures, "\n\n".join(failures)


def test_a_search_asks_each_match_by_key_not_every_quote_at_once(
    backend: str, recorded: tuple[str, list[tuple[str, str, dict[str, Any]]]]
) -> None:
    # Whether a quote may be shown is asked of each match as the index hands it over. Written
    # as an EXISTS, PostgreSQL hashed every confirmed appearance joined to its statement, once
    # per search: a read of both tables (250 ms at 100k statements, for a word of 80 matches),
    # which the seed's few rows hide from the check of full scans above.
    url, runs = recorded
    for path in SEARCHES:
        plan = _plans_of(
            url, runs, path, _postgres_plan if backend == "postgresql" else _sqlite_plan
        )
        assert plan, path
        assert not [line for line in plan if "hashed SubPlan" in line], "\n".join(plan)


def test_the_check_catches_a_full_scan(
    backend: str, recorded: tuple[str, list[tuple[str, str, dict[str, Any]]]]
) -> None:
    # The same check on a query with no index to use (quote text) must fail it.
    url, _ = recorded
    sql = "SELECT id FROM appearances WHERE quote = 'x' ORDER BY span_end"
    if backend == "sqlite":
        assert _sqlite_full_scans(_sqlite_plan(url, sql, {}), walks=True)
    else:
        assert _postgres_full_scans(_postgres_plan(url, sql, {}))


@pytest.mark.parametrize("batch", ["first", "next"])
def test_the_whole_export_reads_in_index_order_without_a_sort(
    backend: str, recorded: tuple[str, list[tuple[str, str, dict[str, Any]]]], batch: str
) -> None:
    # The export reads a batch at a time, each from where the last ended (app/statements/
    # export.py). A sort would sort all that is left of the export for each batch (and SQLite's
    # temporary B-tree would hold it in the worker): each batch must come off the appearances'
    # unique index, in its order, from its place.
    url, _ = recorded
    f = StatementFilter()
    sql, defaults = export_query(f.shape(), batch == "first").compiled(backend)
    after = {f"after_{i}": 1 for i in range(3)}
    params = {**defaults, **f.params(), **after}
    if backend == "sqlite":
        plan = _sqlite_plan(url, sql, params)
        assert not [line for line in plan if "TEMP B-TREE" in line], plan
        # (SQLite's own name for the unique constraint's index)
        index = "sqlite_autoindex_appearances_1"
        assert re.match(rf"(SCAN|SEARCH) appearances USING INDEX {index}\b", plan[0]), plan
        if batch == "next":  # from its place, not from the start
            assert plan[0].startswith("SEARCH"), plan
        return
    # The seed's export is a few dozen rows, fewer than a batch: sorting them all would win on
    # cost alone. A batch of 5 is to a seed what one of 1,000 is to a real database.
    plan = _postgres_plan(url, sql, {**params, "batch_rows": 5})
    assert not [line for line in plan if "Sort" in line], plan
    assert any("Index Scan using uq_appearances_place" in line for line in plan), plan
    if batch == "next":  # from its place, on both sides of the join
        assert any("Index Cond: (ROW(" in line for line in plan), plan
        assert any("Index Cond: (id >= " in line for line in plan), plan


@pytest.mark.parametrize("path", [f"/claims/{CLAIM}/positions", POSITIONS])
def test_a_claims_positions_read_no_statement_or_appearance_row(
    backend: str, recorded: tuple[str, list[tuple[str, str, dict[str, Any]]]], path: str
) -> None:
    # Who takes which stance, and from how many sources and origins, is counted from the
    # statements' and appearances' indexes alone: at a million statements each row read would be
    # a page of its own (migration 19d73af3901a). So are several claims' at once.
    url, runs = recorded
    if backend == "sqlite":
        plans = _plans_of(url, runs, path, _sqlite_plan)
        reads = [line for line in plans if re.match(r"SEARCH (statements|appearances)\b", line)]
        assert {line.split()[1] for line in reads} == {"statements", "appearances"}, plans
        assert all("USING COVERING INDEX" in line for line in reads), plans
        return
    # PostgreSQL reads from an index alone the pages its visibility map marks all-visible:
    # VACUUM marks them (what autovacuum does after a load), as a loaded database has them.
    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM statements, appearances")
    plans = _plans_of(url, runs, path, _postgres_plan)
    reads = [line for line in plans if re.search(r" on (statements|appearances)\b", line)]
    assert {re.search(r" on (\w+)", line)[1] for line in reads} == {"statements", "appearances"}
    assert all("Index Only Scan" in line for line in reads), plans


def test_an_actors_statements_are_read_from_the_index_in_speaker_order(
    backend: str, recorded: tuple[str, list[tuple[str, str, dict[str, Any]]]]
) -> None:
    # On SQLite, a page of an actor's statements (its rows, and the ids its appearances are
    # found by) comes from the index that stores the statements again by speaker, with every
    # column: at a million statements each row read from the table would be a page of its own
    # (migration eda2dc8cb082). PostgreSQL has no such index.
    if backend != "sqlite":
        pytest.skip("an SQLite-only index")
    url, runs = recorded
    plans = _plans_of(url, runs, f"/actors/{ACTOR}/statements", _sqlite_plan)
    reads = [line for line in plans if re.match(r"SEARCH statements\b", line)]
    assert len(reads) == 2, plans
    assert all("USING COVERING INDEX ix_statements_by_speaker " in line for line in reads), plans

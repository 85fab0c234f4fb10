"""The seed loader on a real database: what it writes, idempotence, and denials it derives."""

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from seed_facts import SEED_ANNOTATIONS, seed_files
from sqlalchemy import Engine, func, select, text

from app.db.engine import session_scope
from app.ingest.loader import load
from app.models import Appearance, Base, Claim, Contradiction, Statement
from app.models.enums import POSITIVE_STANCES


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, for comparing a database before and after."""
    with engine.connect() as conn:
        return {
            name: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {name}"))), key=repr)
            for name in Base.metadata.tables
        }


def load_paths(engine: Engine, *paths: Path) -> dict[str, int]:
    with session_scope(engine) as session:
        return load(session, list(paths))


def test_seed_load_writes_every_declared_row(engine: Engine) -> None:
    counts = load_paths(engine, SEED_ANNOTATIONS)
    files = seed_files()
    declared = {
        "actors": sum(len(f.get("actors", [])) for f in files),
        "claims": sum(len(f.get("claims", [])) for f in files),
        "sources": sum(1 + len(f.get("sources", [])) for f in files),
        "statements": sum(1 for f in files for s in f["statements"] if "ref" not in s),
        "appearances": sum(len(s["appearances"]) for f in files for s in f["statements"]),
    }
    assert {k: counts[k] for k in declared} == declared
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Statement)) == declared["statements"]
        assert conn.scalar(select(func.count()).select_from(Appearance)) == declared["appearances"]
        assert conn.scalar(select(func.count()).select_from(Claim)) == declared["claims"]


def test_loading_twice_writes_nothing_new(engine: Engine) -> None:
    load_paths(engine, SEED_ANNOTATIONS)
    before = snapshot(engine)
    counts = load_paths(engine, SEED_ANNOTATIONS)
    assert not any(counts.values()), counts
    assert snapshot(engine) == before


def test_documents_load_one_at_a_time_in_order(engine: Engine) -> None:
    """The second document only refers to what the first declared, which is then in the DB."""
    first, second = sorted(SEED_ANNOTATIONS.glob("*.yaml"))
    load_paths(engine, first)
    load_paths(engine, second)
    together = snapshot(engine)
    assert together["appearances"]
    assert len(together["statements"]) == sum(
        1 for f in seed_files() for s in f["statements"] if "ref" not in s
    )


def test_denials_are_derived_from_the_stances(engine: Engine) -> None:
    """Every (positive, denying) pair of statements on one claim is a recorded denial."""
    load_paths(engine, SEED_ANNOTATIONS)
    statements = [s for f in seed_files() for s in f["statements"] if "ref" not in s]
    by_claim: dict[str, Counter[str]] = {}
    for s in statements:
        by_claim.setdefault(s["claim"], Counter())[s["stance"]] += 1
    expected = sum(
        c["denies"] * sum(c[p.value] for p in POSITIVE_STANCES) for c in by_claim.values()
    )
    assert expected > 0, "the seed has denials of asserted claims"
    with engine.connect() as conn:
        rationales = Counter(
            conn.scalars(select(Contradiction.rationale).where(Contradiction.kind == "denial"))
        )
    # None stored: a denial's rationale is said when read (tests/api/test_contradictions_api.py).
    assert rationales == {None: expected}


def test_curated_contradictions_are_loaded(engine: Engine) -> None:
    load_paths(engine, SEED_ANNOTATIONS)
    curated = Counter(c["kind"] for f in seed_files() for c in f.get("contradictions", []))
    with engine.connect() as conn:
        stored = Counter(
            dict(
                conn.execute(
                    select(Contradiction.kind, func.count())
                    .where(Contradiction.kind != "denial")
                    .group_by(Contradiction.kind)
                ).all()
            )
        )
    assert stored == curated
    assert curated["misreport"] >= 1


def test_a_first_load_leaves_the_schema_and_the_connection_as_they_were(engine: Engine) -> None:
    """The loader sets indexes and search triggers aside while it writes (SQLite), and gives
    its connection a larger page cache and the search index a larger in-memory buffer: all of
    it is back as it was once the load is done."""
    sqlite = engine.dialect.name == "sqlite"
    schema = (
        "SELECT type, name, sql FROM sqlite_master ORDER BY 1, 2"
        if sqlite
        else "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
        "UNION ALL SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger "
        "WHERE NOT tgisinternal ORDER BY 1, 2"
    )
    settings = "SELECT k, v FROM search_index_config WHERE k <> 'version' ORDER BY 1"
    with engine.connect() as conn:
        before = [tuple(r) for r in conn.exec_driver_sql(schema)]
        fts5 = [tuple(r) for r in conn.exec_driver_sql(settings)] if sqlite else []
    with session_scope(engine) as session:
        conn = session.connection()
        cache = conn.exec_driver_sql("PRAGMA cache_size").scalar() if sqlite else None
        load(session, [SEED_ANNOTATIONS])
        if sqlite:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == cache
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.exec_driver_sql(schema)] == before
        if sqlite:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            # FTS5's default buffer (1 MB), stored or not: not a bulk load's for every write.
            after = [tuple(r) for r in conn.exec_driver_sql(settings)]
            assert after in (fts5, [*fts5, ("hashsize", 1024 * 1024)]), after


def test_a_load_leaves_postgresqls_planner_statistics_up_to_date(engine: Engine) -> None:
    """PostgreSQL plans from statistics that autovacuum gathers some time after a table grew:
    the loader gathers them for the tables it grew by a tenth or more, so that the first
    queries after a load are planned from the rows as they are."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's queries are planned without statistics (hints pick the indexes)")
    counts = load_paths(engine, SEED_ANNOTATIONS)
    with engine.connect() as conn:
        analysed = set(
            conn.exec_driver_sql(
                "SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = current_schema()"
            ).scalars()
        )
        estimated: dict[str, float] = dict(
            conn.exec_driver_sql(
                "SELECT relname, reltuples FROM pg_class "
                "WHERE relname IN ('statements', 'appearances')"
            ).all()
        )
    assert {"actors", "claims", "sources", "statements", "appearances"} <= analysed
    assert {"contradictions", "search_index"} <= analysed
    assert estimated == {k: counts[k] for k in ("statements", "appearances")}


def test_an_actor_may_be_declared_before_its_affiliation(engine: Engine, tmp_path: Path) -> None:
    """A batch lists its actors in any order: a member may come before the group it belongs to
    (the seed's first file, its actors reversed, then loaded like the seed)."""
    import shutil

    import yaml

    from app.config import PROJECT_ROOT

    shutil.copytree(PROJECT_ROOT / "seed_data", tmp_path / "seed_data")
    first = sorted((tmp_path / "seed_data" / "annotations").glob("*.yaml"))[0]
    data = yaml.safe_load(first.read_text())
    data["actors"].reverse()
    order = [a["slug"] for a in data["actors"]]
    assert any(
        a.get("affiliation") in order and order.index(a["affiliation"]) > order.index(a["slug"])
        for a in data["actors"]
    ), "some actor now comes before its affiliation"
    first.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    counts = load_paths(engine, tmp_path / "seed_data" / "annotations")
    assert counts["actors"] == sum(len(f.get("actors", [])) for f in seed_files())
    with engine.connect() as conn:
        affiliated = dict(
            conn.execute(
                text("SELECT a.slug, g.slug FROM actors a JOIN actors g ON g.id = a.affiliation_id")
            ).all()
        )
    expected = {
        a["slug"]: a["affiliation"]
        for f in seed_files()
        for a in f.get("actors", [])
        if a.get("affiliation")
    }
    assert affiliated == expected


DATED = text(
    "SELECT st.slug, st.dated_on, COALESCE(st.said_on, (SELECT MIN(s.reported_on)"
    " FROM appearances a JOIN sources s ON s.id = a.source_id"
    " WHERE a.statement_id = st.id AND a.status <> 'rejected')) FROM statements st ORDER BY 1"
)


def test_a_load_dates_its_statements_and_those_it_reports_again(engine: Engine) -> None:
    """Each statement is dated by its said day, else its first report, whether its reports
    come in the load that declares it (worked out before the rows are written) or in a later
    one (the Dan Tri file reports statements of the India TV file, a day earlier)."""
    first, second = sorted(SEED_ANNOTATIONS.glob("*.yaml"))
    load_paths(engine, first)
    with engine.connect() as conn:
        alone = {slug: dated for slug, dated, _ in conn.execute(DATED)}
    load_paths(engine, second)
    with engine.connect() as conn:
        rows = conn.execute(DATED).all()
    assert rows and all(dated is not None and dated == rule for _, dated, rule in rows)
    moved = {slug for slug, dated, _ in rows if slug in alone and alone[slug] != dated}
    assert moved, "statements of the first file, reported a day earlier by the second"
    assert {str(d) for s, d, _ in rows if s in moved} == {"2024-02-12"}


def test_a_load_records_each_object_it_creates_in_the_history(engine: Engine) -> None:
    counts = load_paths(engine, SEED_ANNOTATIONS)
    with engine.connect() as conn:
        found = Counter(
            conn.execute(
                text(
                    "SELECT object_type FROM changes WHERE who = 'sayso load'"
                    " AND action = 'create' AND note LIKE 'created by the load of file %'"
                )
            ).scalars()
        )
        notes = set(conn.execute(text("SELECT DISTINCT note FROM changes")).scalars())
    assert found == {
        "actor": counts["actors"],
        "claim": counts["claims"],
        "source": counts["sources"],
        "statement": counts["statements"],
        "appearance": counts["appearances"],
        # Those the files declare; the denials found are not the files'.
        "contradiction": sum(len(f.get("contradictions", [])) for f in seed_files()),
    }
    assert notes == {
        f"created by the load of file seed_data/annotations/{p.name}"
        for p in SEED_ANNOTATIONS.glob("*.yaml")
    }
    # Loaded again: nothing new, and nothing recorded.
    load_paths(engine, SEED_ANNOTATIONS)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM changes")).scalar_one() == sum(
            found.values()
        )

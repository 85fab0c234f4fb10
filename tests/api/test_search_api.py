"""Full-text search on both databases' own engines, kept in step with writes."""

import httpx
import pytest
from seed_facts import SEED_ANNOTATIONS, declared

from app.db.engine import make_engine, session_scope
from app.db.reads import reads_for
from app.ingest.loader import load
from app.search.service import search


def hits(http: httpx.Client, q: str, limit: int = 20) -> list[dict[str, object]]:
    response = http.get("/search", params={"q": q, "limit": limit})
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("not true", "No. It is not true"),
        ("back channel", "back channel discussions"),
        ("ceasefire", "ceasefire"),
    ],
)
def test_quotes_are_found_by_their_words_and_highlighted(
    http: httpx.Client, q: str, expected: str
) -> None:
    found = [h for h in hits(http, q) if h["kind"] == "quote"]
    assert any(expected in h["quote"]["text"] for h in found)  # type: ignore[index]
    for h in found:
        assert "<mark>" in str(h["snippet"])
        quote = h["quote"]
        assert isinstance(quote, dict) and quote["statement"] and quote["speaker"]["slug"]


def test_a_claim_is_found_from_words_a_user_would_type(http: httpx.Client) -> None:
    found = hits(http, "Putin ceasefire offer rejected", limit=5)
    claims = [h["claim"]["slug"] for h in found if h["kind"] == "claim"]  # type: ignore[index]
    assert "us-rejected-putin-ceasefire" in claims
    scores = [float(h["score"]) for h in found]  # type: ignore[arg-type]
    assert scores == sorted(scores, reverse=True)


def test_actors_are_found_by_any_alias(http: httpx.Client) -> None:
    found = [h for h in hits(http, "spokesman Peskov") if h["kind"] == "actor"]
    assert "dmitry-peskov" in {h["actor"]["slug"] for h in found}  # type: ignore[index]


def test_a_query_of_only_punctuation_finds_nothing_and_does_not_fail(http: httpx.Client) -> None:
    for q in ['"', "AND OR NOT", "*", "'); DROP TABLE claims; --"]:
        response = http.get("/search", params={"q": q})
        assert response.status_code == 200, (q, response.text)


def test_the_index_follows_writes(db_url: str) -> None:
    """Rows loaded after the migration are searchable: the triggers keep the index in step."""
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        load(session, [SEED_ANNOTATIONS])
    engine.dispose()

    reads = reads_for(db_url)
    reads.open()
    try:
        result = search(reads, "Istanbul", 50)
    finally:
        reads.close()
    claim_texts = {c["text"] for c in declared("claims") if "Istanbul" in c["text"]}
    found = {h["claim"]["text"] for h in result["items"] if h["kind"] == "claim"}
    assert claim_texts and claim_texts <= found


def test_postgresql_plans_a_search_once_for_any_words(backend: str, seeded_url: str) -> None:
    """A search's plan does not depend on its words, and planning it was half its cost: on
    PostgreSQL it runs as a prepared statement on a connection that keeps its generic plan,
    and answers as a search planned for its words does."""
    if backend != "postgresql":
        pytest.skip("SQLite plans a statement once already (the sqlite3 module's cache)")
    words = ["ceasefire", "not true", "Peskov", "Istanbul", "back channel", "Kremlin"]

    reads = reads_for(seeded_url)
    reads.open()
    try:
        found = [search(reads, w, 20) for w in words]
        plans = reads.generic.execute(  # type: ignore[attr-defined]
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '%search_index%'"
        ).fetchall()
        # The same searches, that connection now planning each for its words.
        reads.generic.execute("SET plan_cache_mode = force_custom_plan")  # type: ignore[attr-defined]
        again = [search(reads, w, 20) for w in words]
    finally:
        reads.close()
    assert len(plans) == 1, plans
    generic, custom = plans[0]
    assert (generic, custom) == (len(words), 0), plans  # every search, on the one plan
    assert found == again and any(r["items"] for r in found)

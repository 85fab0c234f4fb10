"""A search ranks a capped set of candidates, the shortest matching texts, and gives the other
matches after them, shortest first; the index's keys (text length first) follow every kind of
write."""

from typing import Any

from sqlalchemy import Engine

from app.db.reads import reads_for
from app.search.service import CANDIDATES, SearchFilter, search
from app.web.pagination import PageParams


def _search(url: str, query: str, limit: int = 20) -> list[Any]:
    reads = reads_for(url)
    reads.open()
    try:
        return search(reads, query, SearchFilter(), PageParams(limit, None))["items"]
    finally:
        reads.close()


def _add_claims(engine: Engine, texts: list[str]) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO claims (slug, text) VALUES (%s, %s)"
            if engine.dialect.name == "postgresql"
            else "INSERT INTO claims (slug, text) VALUES (?, ?)",
            [(f"claim-{i}", text) for i, text in enumerate(texts)],
        )


def test_a_long_text_with_every_word_is_found_among_many_short_ones(
    engine: Engine, db_url: str
) -> None:
    """More short matches of one word than the cap: the long text with both words is the hit
    of both words (all of them are needed), and comes last when either will do."""
    filler = " ".join(["meanwhile"] * 40)
    _add_claims(
        engine,
        [f"Zorblat number {i}." for i in range(CANDIDATES + 50)]
        + [f"In the end, {filler}, the zorblat met the quixel."],
    )
    [found] = _search(db_url, "zorblat quixel")
    assert found["claim"]["text"].endswith("the zorblat met the quixel.")
    assert "<mark>quixel</mark>" in found["snippet"]
    either = _search(db_url, "zorblat OR quixel", 100)
    scores = [h["score"] for h in either]
    assert scores == sorted(scores, reverse=True) and len(either) == 100
    assert all("quixel" not in h["claim"]["text"] for h in either)  # the longest comes last


def test_a_text_with_every_word_is_one_hit(engine: Engine, db_url: str) -> None:
    """A text with all the words of an OR query is ranked, and shown, once."""
    texts = ["Zorblat met quixel.", "A zorblat alone.", "A quixel alone."]
    _add_claims(engine, texts)
    found = _search(db_url, "zorblat OR quixel")
    assert sorted(h["claim"]["text"] for h in found) == sorted(texts)
    assert found[0]["claim"]["text"] == "Zorblat met quixel."


def test_the_index_keys_follow_updates_and_deletes(engine: Engine, db_url: str) -> None:
    """The triggers compute a row's key from its text: an edit re-keys it, a delete removes it."""
    _add_claims(engine, ["Zorblat is a moon"])
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE claims SET text = 'Zorblat is a moon of a gas giant' WHERE slug = 'claim-0'"
        )
    assert [h["claim"]["text"] for h in _search(db_url, "zorblat")] == [
        "Zorblat is a moon of a gas giant"
    ]
    assert _search(db_url, "moon giant") and not _search(db_url, "moon -giant")
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM claims WHERE slug = 'claim-0'")
        row_id = "rowid" if engine.dialect.name == "sqlite" else "id"
        left = conn.exec_driver_sql(f"SELECT {row_id} FROM search_index").all()
    assert left == []
    assert _search(db_url, "zorblat") == []

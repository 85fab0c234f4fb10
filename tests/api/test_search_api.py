"""Full-text search on both databases' own engines: sayso's query language, pages with a
cursor, one hit per object, filters, the sources' full texts with spans, escaped snippets."""

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import in_process
from seed_facts import SEED_ANNOTATIONS, declared
from sqlalchemy import Engine, text

from app.config import Settings
from app.db.engine import make_engine, session_scope
from app.db.reads import reads_for
from app.ingest.loader import load
from app.main import create_app
from app.search.service import CANDIDATES, SearchFilter, search
from app.web.pagination import PageParams

Hit = dict[str, Any]


def hits(http: httpx.Client, q: str, **params: Any) -> list[Hit]:
    response = http.get("/search", params={"q": q, "limit": 100, **params})
    assert response.status_code == 200, response.text
    items: list[Hit] = response.json()["items"]
    return items


def every_page(http: httpx.Client, path: str, **params: Any) -> Iterator[list[Hit]]:
    """Each page of a list, following `next` to the end."""
    response = http.get(path, params=params)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        yield body["items"]
        if body["next"] is None:
            assert body["next_cursor"] is None
            return
        response = http.get(body["next"])


def claims_found(items: list[Hit]) -> list[str]:
    return [h["claim"]["text"] for h in items if h["kind"] == "claim"]


# -- the seed ---------------------------------------------------------------------------------


def test_a_quoted_phrase_is_found_as_written(http: httpx.Client) -> None:
    found = [h for h in hits(http, '"back channel"') if h["kind"] == "quote"]
    assert found
    for h in found:
        assert re.search(r"back[ -]channel", h["quote"]["text"], re.IGNORECASE)
        assert re.search(
            r"<mark>back</mark>[ -]<mark>channel</mark>|<mark>back[ -]channel</mark>",
            h["snippet"],
            re.IGNORECASE,
        ), h["snippet"]


def test_a_quote_hit_carries_its_statement_and_source_as_everywhere(http: httpx.Client) -> None:
    found = [h for h in hits(http, '"not true"') if h["kind"] == "quote"]
    peskov = next(h for h in found if h["quote"]["text"] == "No. It is not true")
    statement = peskov["quote"]["statement"]
    assert statement["slug"] == "peskov-denies-peace-proposals"
    assert statement["speaker"]["slug"] == "dmitry-peskov"
    assert statement["claim"] == peskov["claim"]
    assert {"stance", "said_on", "status", "version"} <= set(statement)
    assert peskov["quote"]["source"]["outlet"]["slug"] == "india-tv-news"


def test_an_actor_found_by_its_name_and_several_aliases_is_one_hit(
    http: httpx.Client, seeded_engine: Engine
) -> None:
    with seeded_engine.connect() as conn:
        aliases = conn.execute(
            text(
                "SELECT count(*) FROM actor_aliases al JOIN actors a ON a.id = al.actor_id "
                "WHERE a.slug = 'dmitry-peskov' AND lower(al.alias) LIKE '%peskov%'"
            )
        ).scalar_one()
    assert aliases >= 3  # the name and three aliases match
    for q in ("Peskov", "Pesk*", "Dmitry Peskov"):
        actors = [h["actor"]["slug"] for h in hits(http, q) if h["kind"] == "actor"]
        assert actors.count("dmitry-peskov") == 1, (q, actors)
    # Found by an alias alone, the actor still comes once.
    actors = [h["actor"]["slug"] for h in hits(http, "spokesman", kind="actor")]
    assert actors.count("dmitry-peskov") == 1, actors


def test_kind_keeps_the_hits_of_that_kind(http: httpx.Client) -> None:
    for kind in ("quote", "claim", "actor"):
        found = hits(http, "Putin OR Peskov OR ceasefire", kind=kind)
        assert found and {h["kind"] for h in found} == {kind}


def test_speaker_and_said_days_keep_that_speakers_quotes(http: httpx.Client) -> None:
    found = hits(http, "true OR peace", speaker="dmitry-peskov")
    assert found
    assert {h["kind"] for h in found} == {"quote"}
    assert {h["quote"]["statement"]["speaker"]["slug"] for h in found} == {"dmitry-peskov"}
    assert hits(http, "ceasefire OR true", said_from="2024-02-14", said_to="2024-02-14")
    for h in hits(http, "ceasefire OR true", said_from="2024-02-14", said_to="2024-02-14"):
        # A statement's date: the day said, else the day first reported (docs/api.md).
        assert h["quote"]["statement"]["dated"]["on"] == "2024-02-14"
    assert hits(http, "true", speaker="dmitry-peskov", said_to="2020-01-01") == []


def test_outlet_and_reported_days_keep_the_quotes_of_those_sources(http: httpx.Client) -> None:
    everything = hits(http, "ceasefire", kind="quote")
    outlets = {h["quote"]["source"]["outlet"]["slug"] for h in everything}
    assert len(outlets) >= 2  # the filter has something to leave out
    found = hits(http, "ceasefire", outlet="india-tv-news")
    assert found and len(found) < len(everything)
    assert {h["quote"]["source"]["outlet"]["slug"] for h in found} == {"india-tv-news"}
    days = sorted(h["quote"]["source"]["reported_on"] for h in everything)
    found = hits(http, "ceasefire", reported_from=days[-1])
    assert found and {h["quote"]["source"]["reported_on"] for h in found} == {days[-1]}
    found = hits(http, "ceasefire", reported_to=days[0])
    assert found and {h["quote"]["source"]["reported_on"] for h in found} == {days[0]}


def test_a_filter_naming_nothing_is_a_404_and_a_quote_filter_with_another_kind_a_422(
    http: httpx.Client,
) -> None:
    response = http.get("/search", params={"q": "ceasefire", "speaker": "no-such-actor"})
    assert response.status_code == 404
    assert "no-such-actor" in response.json()["detail"]
    response = http.get(
        "/search", params={"q": "ceasefire", "outlet": "india-tv-news", "kind": "claim"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"
    response = http.get(
        "/search", params={"q": "ceasefire", "said_from": "2024-02-15", "said_to": "2024-02-14"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "said_to"


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ('"back channel', 'the quote at character 1 is never closed: add a closing "'),
        ("(Putin OR Kremlin", "the ( at character 1 is never closed: add a )"),
        ("Putin)", "the ) at character 6 has no ( before it"),
        ("OR Putin", "OR at character 1 needs something to search for before it"),
        ("Putin OR", "OR at character 7 needs something after it"),
        ("Putin AND", "AND at character 7 needs something on each side"),
        (
            "NOT Putin",
            "NOT at character 1 only excludes: add something to find beside it "
            "(`ceasefire NOT Trump`)",
        ),
        (
            "-Putin",
            "NOT at character 1 only excludes: add something to find beside it "
            "(`ceasefire NOT Trump`)",
        ),
        ("Putin NOT", "NOT at character 7 needs a word, phrase or ( after it"),
        ('""', "the phrase at character 1 has no words in it"),
        ("*", "there are no words to search for"),
        ("'); DROP TABLE claims; --", "the ) at character 2 has no ( before it"),
    ],
)
def test_a_query_that_cannot_be_read_is_a_422_naming_q(
    http: httpx.Client, q: str, message: str
) -> None:
    for path in ("/search", "/search/sources"):
        response = http.get(path, params={"q": q})
        assert response.status_code == 422, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"] == [
            {"location": "query", "field": "q", "message": message}
        ]


def test_the_sources_texts_are_searched_with_the_span_of_each_match(http: httpx.Client) -> None:
    pages = list(every_page(http, "/search/sources", q='"back channel" OR Peskov', limit=1))
    found = [h for page in pages for h in page]
    assert len(pages) >= 2 and len(found) == len({h["source"]["slug"] for h in found})
    phrases = 0
    for h in found:
        stored = http.get(f"/sources/{h['source']['slug']}/text").text
        assert h["match_count"] == len(h["matches"]) > 0
        for match in h["matches"]:
            assert stored[match["start"] : match["end"]] == match["text"]
            assert match["text"].lower() in ("back channel", "peskov"), match
            phrases += match["text"].lower() == "back channel"
        assert "<mark>" in h["snippet"]
    assert phrases >= 1


def test_the_sources_texts_are_narrowed_by_outlet(http: httpx.Client) -> None:
    found = [
        h
        for p in every_page(http, "/search/sources", q="ceasefire", outlet="india-tv-news")
        for h in p
    ]
    assert found and {h["source"]["outlet"]["slug"] for h in found} == {"india-tv-news"}
    everything = [h for p in every_page(http, "/search/sources", q="ceasefire") for h in p]
    assert len(everything) > len(found)


# -- written for the test ---------------------------------------------------------------------


def _add_claims(engine: Engine, texts: list[str]) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO claims (slug, text) VALUES (:slug, :text)"),
            [{"slug": f"claim-{i}", "text": t} for i, t in enumerate(texts)],
        )


@pytest.fixture
def served(db_url: str) -> Iterator[tuple[Engine, httpx.Client]]:
    engine = make_engine(db_url)
    with in_process(create_app(Settings(database_url=db_url))) as clients:
        yield engine, clients()
    engine.dispose()


def test_words_are_all_needed_unless_or_and_not_excludes(
    served: tuple[Engine, httpx.Client],
) -> None:
    engine, http = served
    _add_claims(
        engine,
        [
            "The zorblat met the quixel.",
            "A zorblat alone.",
            "A quixel alone.",
            "The back door of the zorblat channel.",
            "A zorblat back channel.",
        ],
    )
    assert sorted(claims_found(hits(http, "zorblat quixel"))) == ["The zorblat met the quixel."]
    assert sorted(claims_found(hits(http, "zorblat AND quixel"))) == ["The zorblat met the quixel."]
    assert sorted(claims_found(hits(http, "quixel OR alone"))) == [
        "A quixel alone.",
        "A zorblat alone.",
        "The zorblat met the quixel.",
    ]
    assert sorted(claims_found(hits(http, "zorblat -quixel -channel"))) == ["A zorblat alone."]
    assert sorted(claims_found(hits(http, "zorblat NOT (quixel OR channel)"))) == [
        "A zorblat alone."
    ]
    assert claims_found(hits(http, '"back channel" zorblat')) == ["A zorblat back channel."]
    assert len(claims_found(hits(http, "back channel zorblat"))) == 2
    assert len(claims_found(hits(http, "zorb*"))) == 4
    assert sorted(claims_found(hits(http, "(quix* OR door) zorblat"))) == [
        "The back door of the zorblat channel.",
        "The zorblat met the quixel.",
    ]
    # Operators are operators in capitals only: in lower case they are words (which
    # PostgreSQL leaves out as stop words).
    assert claims_found(hits(http, "zorblat or quixel")) in ([], ["The zorblat met the quixel."])


def test_paging_goes_through_every_hit_once(served: tuple[Engine, httpx.Client]) -> None:
    """More matches than the ranked candidates: the pages give each hit once, the ranked ones
    best first, then the rest shortest text first."""
    engine, http = served
    texts = [f"Zorblat {' '.join(['word'] * (i % 7))} number {i}." for i in range(CANDIDATES + 57)]
    _add_claims(engine, texts)
    pages = list(every_page(http, "/search", q="zorblat", limit=17))
    found = [h for page in pages for h in page]
    assert all(len(page) == 17 for page in pages[:-1])
    assert sorted(claims_found(found)) == sorted(texts)  # every one, none twice
    ranked = [h["score"] for h in found[:CANDIDATES]]
    assert ranked == sorted(ranked, reverse=True)
    rest = [t.count(" ") + 1 for t in claims_found(found[CANDIDATES:])]  # the index's measure
    assert rest == sorted(rest)
    # A cursor from a page that is not one of this API's is refused.
    response = http.get("/search", params={"q": "zorblat", "cursor": "WzBd"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "cursor"


def test_snippets_are_escaped_text_with_marks_alone(served: tuple[Engine, httpx.Client]) -> None:
    engine, http = served
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO claims (slug, text) VALUES ('x', "
                "'<script>alert(\"zorblat\")</script> & <b>zorblat</b>')"
            )
        )
    [hit] = hits(http, "zorblat")
    snippet = hit["snippet"]
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0  # no markup but the marks
    assert "&amp;" in snippet
    if engine.dialect.name == "sqlite":  # PostgreSQL's snippets leave out what it reads as tags
        assert "&lt;script&gt;" in snippet
    assert "<mark>zorblat</mark>" in snippet
    assert hit["claim"]["text"].startswith("<script>")  # the stored text itself, as stored


def test_a_stored_script_quote_comes_back_escaped(
    seeded_db_url: str,
) -> None:
    engine = make_engine(seeded_db_url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE appearances SET quote = '<script>alert(1)</script> zorblat' WHERE id = 1")
        )
    engine.dispose()
    with in_process(create_app(Settings(database_url=seeded_db_url))) as clients:
        [hit] = hits(clients(), "zorblat")
    assert hit["kind"] == "quote"
    assert hit["quote"]["text"] == "<script>alert(1)</script> zorblat"  # the stored text
    assert re.sub(r"</?mark>", "", hit["snippet"]).count("<") == 0
    assert "<mark>zorblat</mark>" in hit["snippet"]
    if seeded_db_url.startswith("sqlite"):  # PostgreSQL's snippets leave tags out
        assert hit["snippet"] == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>zorblat</mark>"


# -- the service ------------------------------------------------------------------------------


def test_the_index_follows_writes(db_url: str) -> None:
    """Rows loaded after the migration are searchable: the triggers keep the index in step."""
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        load(session, [SEED_ANNOTATIONS])
    engine.dispose()

    reads = reads_for(db_url)
    reads.open()
    try:
        result = search(reads, "Istanbul", SearchFilter(), PageParams(100, None))
    finally:
        reads.close()
    claim_texts = {c["text"] for c in declared("claims") if "Istanbul" in c["text"]}
    found = {h["claim"]["text"] for h in result["items"] if h["kind"] == "claim"}
    assert claim_texts and claim_texts <= found


def test_postgresql_plans_a_searchs_candidates_for_its_words(backend: str, seeded_url: str) -> None:
    """On PostgreSQL the candidates' query is planned for each search's words (its best plan
    depends on how common they are: at 10M, one plan for all words read the whole index for a
    rare one), so it is never prepared; the details of a page's hits, looked up by key, are
    planned once, on the connection that keeps generic plans. Both answer as planned for
    their words."""
    if backend != "postgresql":
        pytest.skip("SQLite plans a statement once already (the sqlite3 module's cache)")
    words = ["ceasefire", '"not true"', "Peskov", "Istanbul", '"back channel"', "Kremlin"]

    def run(q: str) -> Any:
        return search(reads, q, SearchFilter(), PageParams(20, None))

    def prepared(conn: Any) -> list[tuple[int, int]]:
        return conn.execute(  # type: ignore[no-any-return]
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '%search_index%'"
        ).fetchall()

    reads = reads_for(seeded_url)
    reads.open()
    try:
        # Twice each: past the five runs after which psycopg prepares a query.
        found = [run(w) for w in words + words]
        details = prepared(reads.generic)  # type: ignore[attr-defined]
        candidates = prepared(reads.conn)  # type: ignore[attr-defined]
        # The same searches, the details now planned for each call's words too.
        reads.generic.execute("SET plan_cache_mode = force_custom_plan")  # type: ignore[attr-defined]
        again = [run(w) for w in words + words]
    finally:
        reads.close()
    assert details == [(2 * len(words), 0)], details
    assert candidates == [], candidates
    assert found == again and any(r["items"] for r in found)


def test_dates_in_hits_are_days(http: httpx.Client) -> None:
    for h in hits(http, "true", kind="quote"):
        said = h["quote"]["statement"]["said_on"]
        assert said is None or dt.date.fromisoformat(said)


def test_the_index_of_the_sources_texts_follows_writes(
    served: tuple[Engine, httpx.Client],
) -> None:
    engine, http = served
    sha = "0" * 64

    def found() -> list[list[str]]:
        pages = every_page(http, "/search/sources", q='"zorblat quixel"')
        return [[m["text"] for m in h["matches"]] for page in pages for h in page]

    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sources (slug, language, text, sha256) VALUES "
                "('a', 'en', 'The Zorblat  quixel, then a zorblat and a quixel.', :sha), "
                "('b', 'en', NULL, NULL)"
            ),
            {"sha": sha},
        )
    assert found() == [["Zorblat  quixel"]]  # the phrase; the other pair is not one
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE sources SET text = 'zorblat quixel zorblat quixel' WHERE slug = 'a'")
        )
    assert found() == [["zorblat quixel zorblat quixel"]]  # next to each other: one match
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM sources WHERE slug = 'a'"))
    assert found() == []

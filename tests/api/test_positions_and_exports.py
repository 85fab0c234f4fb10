"""A claim's positions (with independent origins), several claims' at once, and the CSV /
NDJSON exports."""

import csv
import io

import httpx
import orjson
import pytest
from seed_facts import appearances_by_statement, declared, seed_files, statements
from test_claims_api import CEASEFIRE, all_items
from test_errors import assert_problem

from app.claims.schemas import MAX_POSITIONS_CLAIMS

REUTERS = "reuters-2024-02-putin-ceasefire-rebuffed"


def origins_of(source_slugs: set[str]) -> set[str]:
    """What the seed files say each source cites; a source citing nothing is its own origin."""
    cites = {f["source"]["slug"]: [c["source"] for c in f["source"]["cites"]] for f in seed_files()}
    return {origin for s in source_slugs for origin in (cites.get(s) or [s])}


def test_positions_count_actors_statements_sources_and_origins(http: httpx.Client) -> None:
    body = http.get(f"/claims/{CEASEFIRE}/positions").json()
    by_stance = {p["stance"]: p for p in body["positions"]}
    places = appearances_by_statement()
    on_claim = [s for s in statements() if s["claim"] == CEASEFIRE]
    assert set(by_stance) == {s["stance"] for s in on_claim}
    for stance, position in by_stance.items():
        said = [s for s in on_claim if s["stance"] == stance]
        sources = {source for s in said for source, _ in places[s["slug"]]}
        assert position["statements"] == len(said)
        assert {a["slug"] for a in position["actors"]} == {s["speaker"] for s in said}
        assert position["sources"] == len(sources)
        assert position["origins"] == len(origins_of(sources))


def test_two_outlets_re_reporting_reuters_are_one_origin(http: httpx.Client) -> None:
    body = http.get(f"/claims/{CEASEFIRE}/positions").json()
    asserts = next(p for p in body["positions"] if p["stance"] == "asserts")
    assert asserts["sources"] == 2  # India TV and Dan Tri both report the three sources
    assert asserts["origins"] == 1  # ... and both cite the one Reuters story
    assert origins_of({"indiatv-2024-02-14-putin-ceasefire-rejected"}) == {REUTERS}


def test_positions_name_their_claim_as_an_object(http: httpx.Client) -> None:
    body = http.get(f"/claims/{CEASEFIRE}/positions").json()
    text = next(c["text"] for c in declared("claims") if c["slug"] == CEASEFIRE)
    assert body["claim"] == {"slug": CEASEFIRE, "text": text}


def test_positions_of_every_claim_in_one_call(http: httpx.Client) -> None:
    """Each claim's block is what its own /claims/{slug}/positions answers, in the order asked,
    a claim named twice answered once."""
    slugs = [c["slug"] for c in declared("claims")][::-1]
    assert len(slugs) > 3
    response = http.get("/positions", params={"claim": [*slugs, slugs[0]]})
    assert response.status_code == 200, response.text
    blocks = response.json()["claims"]
    assert [b["claim"]["slug"] for b in blocks] == slugs
    for block in blocks:
        assert block == http.get(f"/claims/{block['claim']['slug']}/positions").json()
    assert sum(1 for b in blocks if b["positions"]) > 3


def test_positions_of_claims_one_of_which_does_not_exist(http: httpx.Client) -> None:
    response = http.get("/positions", params={"claim": [CEASEFIRE, "no-such-claim"]})
    assert "No claim with slug 'no-such-claim'" in str(assert_problem(response, 404)["detail"])


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"claim": "Not_A_Slug"},
        {"claim": [f"claim-{i}" for i in range(MAX_POSITIONS_CLAIMS + 1)]},
        {"claim": CEASEFIRE, "cursor": "WzJd"},
    ],
)
def test_positions_of_claims_refuse_a_bad_request(
    http: httpx.Client, query: dict[str, object]
) -> None:
    body = assert_problem(http.get("/positions", params=query), 422)
    assert body["errors"]


def test_the_csv_export_has_a_row_per_appearance_matching_the_json(http: httpx.Client) -> None:
    response = http.get("/statements.csv", params={"unnamed": "true"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    listed = all_items(http, "/statements", unnamed="true")
    expected = sorted(
        (s["slug"], a["source"]["slug"], a["quote"]) for s in listed for a in s["appearances"]
    )
    assert sorted((r["statement"], r["source"], r["quote"]) for r in rows) == expected
    assert {r["speaker_kind"] for r in rows} == {"unnamed"}
    assert all(r["outlet"] and r["stance"] and r["claim"] for r in rows)


def test_the_ndjson_export_holds_every_appearance(http: httpx.Client) -> None:
    response = http.get("/statements.ndjson")
    assert response.headers["content-type"].startswith("application/x-ndjson")
    rows = [orjson.loads(line) for line in response.content.splitlines()]
    assert len(rows) == sum(len(p) for p in appearances_by_statement().values())
    first = rows[0]
    assert {
        "statement",
        "speaker",
        "speaker_kind",
        "stance",
        "claim",
        "quote",
        "mode",
        "source",
        "outlet",
        "url",
        "reported_on",
        "span_start",
        "span_end",
    } <= set(first)


def test_an_export_with_an_unknown_filter_is_a_404_before_streaming(http: httpx.Client) -> None:
    response = http.get("/statements.csv", params={"claim": "no-such-claim"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"

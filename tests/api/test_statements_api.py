"""Statements over HTTP: one in full with every report of it, and the filtered lists."""

import httpx
from seed_facts import actors, appearances_by_statement, statements
from test_claims_api import all_items


def test_one_statement_reported_twice_in_different_words(http: httpx.Client) -> None:
    body = http.get("/statements/third-source-everything-fell-apart").json()
    assert body["speaker"]["slug"] == "third-russian-source"
    wording = {a["source"]["slug"]: a["quote"] for a in body["appearances"]}
    assert wording == {
        "indiatv-2024-02-14-putin-ceasefire-rejected": "Everything fell apart with the Americans.",
        "dantri-2024-putin-ceasefire-revealed": "Everything is falling apart on the US side",
    }
    assert {a["mode"] for a in body["appearances"]} == {"direct"}


def test_every_statement_lists_every_place_it_was_reported(http: httpx.Client) -> None:
    expected = appearances_by_statement()
    for slug, places in expected.items():
        body = http.get(f"/statements/{slug}").json()
        got = sorted((a["source"]["slug"], a["quote"]) for a in body["appearances"])
        assert got == sorted((source, a["quote"]) for source, a in places), slug


def test_statements_by_unnamed_sources(http: httpx.Client) -> None:
    found = all_items(http, "/statements", unnamed="true")
    unnamed = {slug for slug, a in actors().items() if a["kind"] == "unnamed"}
    assert {s["slug"] for s in found} == {
        s["slug"] for s in statements() if s["speaker"] in unnamed
    }
    named = all_items(http, "/statements", unnamed="false")
    assert len(found) + len(named) == len(statements())


def test_statements_by_actors_affiliated_with_an_actor(http: httpx.Client) -> None:
    found = all_items(http, "/statements", affiliated_with="three-russian-sources")
    members = {
        slug for slug, a in actors().items() if a.get("affiliation") == "three-russian-sources"
    }
    assert found
    assert {s["speaker"]["slug"] for s in found} <= members
    assert {s["slug"] for s in found} == {
        s["slug"] for s in statements() if s["speaker"] in members
    }


def test_filters_combine(http: httpx.Client) -> None:
    source = "dantri-2024-putin-ceasefire-revealed"
    found = all_items(http, "/statements", source=source, unnamed="true", stance="asserts")
    assert found
    for s in found:
        assert s["stance"] == "asserts"
        assert s["speaker"]["kind"] == "unnamed"
        assert source in {a["source"]["slug"] for a in s["appearances"]}


def test_pages_walk_the_whole_list_without_repeats(http: httpx.Client) -> None:
    whole = http.get("/statements", params={"limit": 500}).json()
    assert whole["next_cursor"] is None and whole["next"] is None
    walked = all_items(http, "/statements")
    assert [s["slug"] for s in walked] == [s["slug"] for s in whole["items"]]
    assert len(walked) == len(statements())

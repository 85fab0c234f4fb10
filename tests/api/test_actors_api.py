"""Actors over HTTP: finding them by any alias, affiliations, and what each said."""

import httpx
import pytest
from seed_facts import actors, statements
from test_claims_api import all_items


@pytest.mark.parametrize(
    "words", ["Peskov", "Dmitry Peskov", "Kremlin spokesman Dmitry Peskov", "kremlin SPOKESMAN"]
)
def test_an_actor_is_found_by_any_part_of_any_alias(http: httpx.Client, words: str) -> None:
    found = all_items(http, "/actors", q=words)
    assert "dmitry-peskov" in {a["slug"] for a in found}
    for actor in found:
        names = [actor["name"], *actor["aliases"]]
        assert any(words.casefold() in n.casefold() for n in names), actor


def test_an_exact_alias_finds_only_its_actor(http: httpx.Client) -> None:
    found = all_items(http, "/actors", alias="kremlin spokesman dmitry peskov")
    assert [a["slug"] for a in found] == ["dmitry-peskov"]
    assert all_items(http, "/actors", alias="Peskov spokesman") == []


def test_an_actor_shows_affiliation_members_and_counts(http: httpx.Client) -> None:
    peskov = http.get("/actors/dmitry-peskov").json()
    assert peskov["affiliation"]["slug"] == "kremlin"
    said = [s for s in statements() if s["speaker"] == "dmitry-peskov"]
    assert peskov["statement_count"] == len(said)
    kremlin = http.get("/actors/kremlin").json()
    members = {slug for slug, a in actors().items() if a.get("affiliation") == "kremlin"}
    assert {m["slug"] for m in kremlin["members"]} == members
    assert {"dmitry-peskov", "vladimir-putin"} <= members


def test_everything_an_actor_said(http: httpx.Client) -> None:
    said = all_items(http, "/actors/vladimir-putin/statements")
    assert {s["slug"] for s in said} == {
        s["slug"] for s in statements() if s["speaker"] == "vladimir-putin"
    }
    assert all(s["speaker"]["slug"] == "vladimir-putin" and s["appearances"] for s in said)


def test_statements_of_an_actor_and_its_affiliates(http: httpx.Client) -> None:
    """The Kremlin with everyone affiliated to it, directly or through others."""
    said = all_items(http, "/actors/kremlin/statements", include_affiliated="true")
    members = {slug for slug, a in actors().items() if a.get("affiliation") == "kremlin"}
    speakers = {"kremlin", *members}
    assert {s["slug"] for s in said} == {
        s["slug"] for s in statements() if s["speaker"] in speakers
    }


def test_unnamed_sources_are_actors_with_what_the_text_says_of_them(http: httpx.Client) -> None:
    unnamed = all_items(http, "/actors", kind="unnamed")
    assert {a["slug"] for a in unnamed} == {
        slug for slug, a in actors().items() if a["kind"] == "unnamed"
    }
    three = http.get("/actors/three-russian-sources").json()
    assert three["kind"] == "unnamed"
    assert three["group_size"] == 3
    assert three["knowledge"] == "the discussions"
    assert {"senior-russian-source", "second-russian-source", "third-russian-source"} <= {
        m["slug"] for m in three["members"]
    }

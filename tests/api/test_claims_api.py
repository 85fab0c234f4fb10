"""Claims over HTTP: a claim, its statements by stance, and the claim list."""

from typing import Any

import httpx
import pytest
from seed_facts import declared, statements

from app.models.enums import Stance

CEASEFIRE = "putin-signalled-ceasefire-2023"


def all_items(http: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list endpoint, following the cursor to the last page."""
    items: list[dict[str, Any]] = []
    url: str | None = path
    query: dict[str, Any] | None = {**params, "limit": 2}
    while url:
        response = http.get(url, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        url, query = body["next"], None
    return items


def test_all_denials_of_a_claim(http: httpx.Client) -> None:
    denials = all_items(http, f"/claims/{CEASEFIRE}/statements", stance="denies")
    expected = {
        s["slug"] for s in statements() if s["claim"] == CEASEFIRE and s["stance"] == "denies"
    }
    assert {d["slug"] for d in denials} == expected
    assert {d["speaker"]["slug"] for d in denials} == {"kremlin", "dmitry-peskov"}
    assert all(d["stance"] == "denies" and d["claim"]["slug"] == CEASEFIRE for d in denials)


@pytest.mark.parametrize("stance", list(Stance))
def test_every_stance_filters_a_claims_statements(http: httpx.Client, stance: Stance) -> None:
    for claim in {s["claim"] for s in statements()}:
        found = all_items(http, f"/claims/{claim}/statements", stance=stance.value)
        expected = {
            s["slug"] for s in statements() if s["claim"] == claim and s["stance"] == stance
        }
        assert {s["slug"] for s in found} == expected, claim


def test_a_claim_counts_its_stances(http: httpx.Client) -> None:
    body = http.get(f"/claims/{CEASEFIRE}").json()
    on_claim = [s for s in statements() if s["claim"] == CEASEFIRE]
    assert body["statement_count"] == len(on_claim)
    for stance in {s["stance"] for s in on_claim}:
        assert body["stance_counts"][stance] == sum(1 for s in on_claim if s["stance"] == stance)
    assert body["text"] == next(c["text"] for c in declared("claims") if c["slug"] == CEASEFIRE)


def test_the_claim_list_holds_every_claim_once_in_a_stable_order(http: httpx.Client) -> None:
    first = [c["slug"] for c in all_items(http, "/claims")]
    assert sorted(first) == sorted(c["slug"] for c in declared("claims"))
    assert len(set(first)) == len(first)
    assert [c["slug"] for c in all_items(http, "/claims")] == first


def test_claims_are_found_by_their_words(http: httpx.Client) -> None:
    found = all_items(http, "/claims", q="CEASEFIRE")
    assert CEASEFIRE in {c["slug"] for c in found}
    assert all("ceasefire" in (c["text"] + c["slug"]).lower() for c in found)

"""Contradictions over HTTP, each with both sides in full."""

import httpx
from seed_facts import declared
from test_claims_api import CEASEFIRE, all_items

from app.models.enums import POSITIVE_STANCES


def test_denials_around_a_claim_pair_a_holder_with_a_denier(http: httpx.Client) -> None:
    found = all_items(http, f"/claims/{CEASEFIRE}/contradictions", kind="denial")
    assert {c["b"]["statement"]["speaker"]["slug"] for c in found} == {"kremlin", "dmitry-peskov"}
    for c in found:
        assert c["a"]["statement"]["stance"] in POSITIVE_STANCES
        assert c["b"]["statement"]["stance"] == "denies"
        assert c["a"]["statement"]["claim"] == c["b"]["statement"]["claim"]
        assert c["a"]["statement"]["appearances"] and c["b"]["statement"]["appearances"]
        # Said from the two statements (none is stored: tests/ingest/test_loader.py).
        holder, denier = c["a"]["statement"], c["b"]["statement"]
        assert c["rationale"] == (
            f"Opposite stances on one claim: {holder['speaker']['name']} ({holder['stance']}) "
            f"and {denier['speaker']['name']} (denies): {holder['claim']['text']}"
        )


def test_a_misreport_shows_the_two_reports_that_disagree(http: httpx.Client) -> None:
    found = all_items(http, "/contradictions", kind="misreport")
    assert len(found) == sum(1 for c in declared("contradictions") if c["kind"] == "misreport")
    arab = next(c for c in found if "Arab partners" in c["a"]["appearance"]["quote"])
    assert "his opponents" in arab["b"]["appearance"]["quote"]
    assert arab["a"]["statement"]["slug"] == arab["b"]["statement"]["slug"]
    assert arab["a"]["appearance"]["source"]["slug"] != arab["b"]["appearance"]["source"]["slug"]
    assert arab["rationale"]


def test_contradictions_around_an_actor_include_it_on_a_side(http: httpx.Client) -> None:
    found = all_items(http, "/actors/dmitry-peskov/contradictions")
    assert found
    for c in found:
        speakers = {c[side]["statement"]["speaker"]["slug"] for side in ("a", "b")}
        assert "dmitry-peskov" in speakers
    same = all_items(http, "/contradictions", actor="dmitry-peskov")
    assert [c["id"] for c in same] == [c["id"] for c in found]


def test_every_kind_is_present_and_filters(http: httpx.Client) -> None:
    every = all_items(http, "/contradictions")
    kinds = {c["kind"] for c in every}
    assert kinds == {"denial", "inconsistency", "misreport"}
    for kind in kinds:
        assert [c["id"] for c in all_items(http, "/contradictions", kind=kind)] == [
            c["id"] for c in every if c["kind"] == kind
        ]

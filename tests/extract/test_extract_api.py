"""POST /extract on the live test server (SQLite and PostgreSQL): a draft, and nothing written."""

import hashlib

import httpx
from extract_support import KYIV


def test_post_extract_returns_a_draft_on_the_known_statements(http: httpx.Client) -> None:
    text = KYIV.read_text(encoding="utf-8")
    before = http.get("/actors/dmitry-peskov/statements").json()
    response = http.post("/extract", json={"text": text, "meta": {"slug": "kyiv-ledger-api"}})
    assert response.status_code == 200
    body = response.json()
    draft = body["draft"]
    assert draft["format"] == "sayso/1"
    assert draft["source"]["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert body["reason"] is None and body["statements"] == len(draft["statements"])
    refs = {s["ref"] for s in draft["statements"] if s.get("ref")}
    assert {"peskov-denies-peace-proposals", "kremlin-denies-putin-proposed-ceasefire"} <= refs
    # Draft only: the source is not stored, nor any appearance.
    assert http.get("/sources/kyiv-ledger-api").status_code == 404
    assert http.get("/actors/dmitry-peskov/statements").json() == before


def test_post_extract_on_an_empty_text_says_why_the_draft_is_empty(http: httpx.Client) -> None:
    response = http.post("/extract", json={"text": ""})
    assert response.status_code == 200
    body = response.json()
    assert body["reason"] == "the text is empty"
    assert body["draft"]["statements"] == [] and body["statements"] == 0


def test_post_extract_on_a_text_not_in_english(http: httpx.Client) -> None:
    text = (
        "Người phát ngôn Điện Kremlin nói rằng thông tin đó là sai sự thật và không có đề xuất nào."
    )
    body = http.post("/extract", json={"text": text, "meta": {"language": "vi"}}).json()
    assert body["draft"]["statements"] == []
    assert "English" in body["reason"]


def test_post_extract_refuses_a_malformed_body_as_a_problem(http: httpx.Client) -> None:
    for payload in (
        {},
        {"text": 3},
        {"text": "x", "unknown": 1},
        {"text": "x", "meta": {"slug": "Not A Slug"}},
        # What the draft (an annotation) cannot hold: each was a 500 once drafted.
        {"text": "x", "meta": {"language": "en-" + "-".join(["abcdefgh"] * 6)}},
        {"text": "x", "meta": {"title": "A\u0000B"}},
        {"text": "x", "meta": {"byline": "x" * 301}},
        {"text": "x", "meta": {"outlet_name": "\ufb03" * 200}},
    ):
        response = http.post("/extract", json=payload)
        assert response.status_code == 422, payload
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["errors"]

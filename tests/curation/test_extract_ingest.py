"""POST /extract?ingest=true: the draft lands as proposed data, for a person to review."""

from sites import Site, site  # noqa: F401 (a fixture)

ARTICLE = (
    "GENEVA (Wire) - The ceasefire talks will resume next week, a senior diplomat told "
    'reporters on Tuesday. "We are close to an agreement," the diplomat said.\n'
    "A government spokeswoman denied that the talks would resume next week.\n"
)
META = {"slug": "wire-geneva-talks", "title": "Talks to resume", "language": "en"}


def test_a_draft_is_ingested_as_proposed_and_waits_for_review(site: Site) -> None:
    response = site.editor.post(
        "/extract", params={"ingest": "true"}, json={"text": ARTICLE, "meta": META}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["statements"] >= 2
    assert body["ingested"]["statements"] == body["statements"]
    source = site.anonymous.get("/sources/wire-geneva-talks").json()
    assert source["text"] == ARTICLE
    # Nothing shows in the default reads until it is confirmed...
    listed = site.anonymous.get("/statements", params={"source": "wire-geneva-talks"}).json()
    assert listed["items"] == []
    asked = {"source": "wire-geneva-talks", "review": "proposed"}
    assert site.anonymous.get("/statements", params=asked).status_code == 401
    proposed = site.editor.get("/statements", params=asked).json()["items"]
    assert len(proposed) == body["statements"]
    assert {s["status"] for s in proposed} == {"proposed"}
    # ...and a reviewer's confirmation brings it in, with the reports drafted with it.
    first = proposed[0]["slug"]
    reports = {a["id"] for a in proposed[0]["appearances"]}
    assert reports and {a["status"] for a in proposed[0]["appearances"]} == {"proposed"}
    assert site.anonymous.get(f"/statements/{first}").status_code == 404
    tag = site.editor.get(f"/statements/{first}").headers["etag"]
    confirmed = site.editor.patch(
        f"/statements/{first}", json={"status": "confirmed"}, headers={"If-Match": tag}
    )
    assert confirmed.status_code == 200, confirmed.text
    shown = site.anonymous.get("/statements", params={"source": "wire-geneva-talks"}).json()
    assert [s["slug"] for s in shown["items"]] == [first]
    assert {a["id"] for a in shown["items"][0]["appearances"]} == reports
    assert {a["status"] for a in shown["items"][0]["appearances"]} == {"confirmed"}


def test_ingesting_a_draft_needs_a_key_and_a_plain_draft_writes_nothing(site: Site) -> None:
    refused = site.anonymous.post(
        "/extract", params={"ingest": "true"}, json={"text": ARTICLE, "meta": META}
    )
    assert refused.status_code == 401
    drafted = site.anonymous.post("/extract", json={"text": ARTICLE, "meta": META})
    assert drafted.status_code == 200
    assert drafted.json()["ingested"] is None
    assert site.anonymous.get("/sources/wire-geneva-talks").status_code == 404

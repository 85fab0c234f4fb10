"""A statement's date (said, else first reported) kept by every write that moves it; a source's
reporting date and its basis; reports that follow their statement's review; contradictions
listed by review; the history's changes as fields. Reads go with an editor's key: drafts and
histories are read with one (tests/curation/test_privacy.py)."""

from typing import Any

import httpx
import pytest
from sites import Site, etag, site  # noqa: F401 (a fixture)

INDIA_TV = "indiatv-2024-02-14-putin-ceasefire-rejected"
DAN_TRI = "dantri-2024-putin-ceasefire-revealed"
REJECTED = "us-rejected-putin-ceasefire"
NEW = "us-official-denies-rejection"
QUOTE = "Washington would not engage in talks that did not involve Ukraine"
DAN_TRI_QUOTE = "the US side does not want to put pressure on Ukraine"


def _statement(**given: Any) -> dict[str, Any]:
    return {
        "slug": NEW,
        "speaker": "us-source",
        "claim": REJECTED,
        "stance": "denies",
        "appearances": [{"source": INDIA_TV, "quote": QUOTE, "mode": "indirect"}],
        **given,
    }


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _every_statement(site: Site) -> list[dict[str, Any]]:
    """Every statement, whatever its review, with every report of it."""
    found: list[dict[str, Any]] = []
    path: str | None = "/statements?review=all&limit=500"
    while path:
        page = _ok(site.editor.get(path))
        found += page["items"]
        path = page["next"]
    return found


def _expected_date(statement: dict[str, Any]) -> dict[str, Any] | None:
    """The rule: said, else the earliest report (rejected ones aside)."""
    if statement["said_on"]:
        return {"on": statement["said_on"], "by": "said"}
    days = [
        a["source"]["reported_on"]
        for a in statement["appearances"]
        if a["status"] != "rejected" and a["source"]["reported_on"]
    ]
    return {"on": min(days), "by": "reported"} if days else None


def _dates_hold(site: Site) -> dict[str, dict[str, Any] | None]:
    """Every statement's date is the one the rule gives (the column is kept, not stale)."""
    statements = _every_statement(site)
    for s in statements:
        assert s["dated"] == _expected_date(s), s["slug"]
    return {s["slug"]: s["dated"] for s in statements}


def _dated(site: Site, slug: str) -> Any:
    return _ok(site.editor.get(f"/statements/{slug}"))["dated"]


def _in_period(site: Site, start: str, end: str) -> set[str]:
    page = _ok(site.editor.get(f"/statements?said_from={start}&said_to={end}&limit=500"))
    return {s["slug"] for s in page["items"]}


# -- a statement's date ----------------------------------------------------------------------


def test_the_seed_dates_every_statement_said_else_first_reported(site: Site) -> None:
    dates = _dates_hold(site)
    assert all(d is not None for d in dates.values())
    by = {d["by"] for d in dates.values() if d}
    assert by == {"said", "reported"}


def test_a_written_statement_is_dated_by_each_write_that_moves_it(site: Site) -> None:
    _ok(site.editor.post("/statements", json=_statement()), 201)
    assert _dated(site, NEW) == {"on": "2024-02-14", "by": "reported"}
    assert NEW in _in_period(site, "2024-02-14", "2024-02-14")
    # An earlier report (Dan Tri is dated 2024-02-12) dates it earlier.
    added = site.editor.post(
        f"/statements/{NEW}/appearances",
        json={"source": DAN_TRI, "quote": DAN_TRI_QUOTE, "mode": "indirect"},
    )
    report = _ok(added, 201)
    assert _dated(site, NEW) == {"on": "2024-02-12", "by": "reported"}
    assert NEW not in _in_period(site, "2024-02-13", "2024-02-29")
    # Rejected, that report no longer dates it.
    path = f"/appearances/{report['id']}"
    rejected = site.editor.patch(
        path,
        json={"status": "rejected", "status_reason": "Not this statement."},
        headers={"If-Match": etag(site.editor, path)},
    )
    _ok(rejected)
    assert _dated(site, NEW) == {"on": "2024-02-14", "by": "reported"}
    # A said date wins over any report.
    path = f"/statements/{NEW}"
    said = site.editor.patch(
        path, json={"said_on": "2024-02-10"}, headers={"If-Match": etag(site.editor, path)}
    )
    assert _ok(said)["dated"] == {"on": "2024-02-10", "by": "said"}
    assert NEW in _in_period(site, "2024-02-01", "2024-02-10")
    _dates_hold(site)


def test_deleting_and_restoring_a_report_dates_its_statement_again(site: Site) -> None:
    _ok(site.editor.post("/statements", json=_statement()), 201)
    added = site.editor.post(
        f"/statements/{NEW}/appearances",
        json={"source": DAN_TRI, "quote": DAN_TRI_QUOTE, "mode": "indirect"},
    )
    path = f"/appearances/{_ok(added, 201)['id']}"
    deleted = site.admin.delete(path, headers={"If-Match": etag(site.editor, path)})
    assert deleted.status_code == 204, deleted.text
    assert _dated(site, NEW) == {"on": "2024-02-14", "by": "reported"}
    _ok(site.admin.post(f"{path}/restore"))
    assert _dated(site, NEW) == {"on": "2024-02-12", "by": "reported"}
    _dates_hold(site)


def test_a_source_dated_again_dates_its_statements_again(site: Site) -> None:
    before = _dates_hold(site)
    path = f"/sources/{DAN_TRI}"
    moved = site.editor.patch(
        path,
        json={"reported_on": "2024-02-20", "reported_on_basis": "Checked against the archive."},
        headers={"If-Match": etag(site.editor, path)},
    )
    source = _ok(moved)
    assert (source["reported_on"], source["reported_on_basis"]) == (
        "2024-02-20",
        "Checked against the archive.",
    )
    after = _dates_hold(site)
    assert after != before
    dan_tri_only = _ok(site.editor.get(f"/statements?source={DAN_TRI}&limit=500"))["items"]
    assert any(after[s["slug"]] == {"on": "2024-02-20", "by": "reported"} for s in dan_tri_only)
    # Deleted, its statements reported elsewhere too are dated by the others.
    deleted = site.admin.delete(path, headers={"If-Match": etag(site.editor, path)})
    assert deleted.status_code == 204, deleted.text
    _dates_hold(site)
    _ok(site.admin.post(f"{path}/restore"))
    assert _dates_hold(site) == after


@pytest.mark.parametrize(
    ("source", "body", "field", "message"),
    [
        (
            INDIA_TV,
            {"reported_on": "2024-02-13", "reported_on_basis": "A guess."},
            "reported_on",
            "prints its publication date",
        ),
        (DAN_TRI, {"reported_on": "2024-02-13"}, "reported_on_basis", "say why"),
        (DAN_TRI, {"reported_on_basis": "Why not."}, "reported_on_basis", "give the reported_on"),
    ],
)
def test_a_reporting_date_the_page_does_not_allow_is_422(
    site: Site, source: str, body: dict[str, Any], field: str, message: str
) -> None:
    path = f"/sources/{source}"
    before = site.editor.get(path).json()
    refused = site.editor.patch(path, json=body, headers={"If-Match": etag(site.editor, path)})
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == field and message in error["message"]
    assert site.editor.get(path).json() == before


def test_the_dan_tri_source_is_dated_by_its_text_with_the_reason(site: Site) -> None:
    source = _ok(site.editor.get(f"/sources/{DAN_TRI}"))
    assert source["reported_on"] == "2024-02-12"
    assert "prints no publication date" in source["reported_on_basis"]
    # The page date is still there, as what it is.
    assert [(d["kind"], d["day"]) for d in source["dates"]] == [("page", "2024-06-12")]
    india_tv = _ok(site.editor.get(f"/sources/{INDIA_TV}"))
    assert (india_tv["reported_on"], india_tv["reported_on_basis"]) == ("2024-02-14", None)
    # Nothing of the seed is dated in June any more.
    assert _in_period(site, "2024-06-01", "2024-06-30") == set()


# -- reports follow their statement's review ----------------------------------------------------


def test_a_report_of_a_proposed_statement_is_proposed(site: Site) -> None:
    created = _ok(site.editor.post("/statements", json=_statement(status="proposed")), 201)
    assert created["status"] == "proposed"
    assert [a["status"] for a in created["appearances"]] == ["proposed"]
    added = site.editor.post(
        f"/statements/{NEW}/appearances",
        json={"source": DAN_TRI, "quote": DAN_TRI_QUOTE, "mode": "indirect"},
    )
    assert _ok(added, 201)["status"] == "proposed"
    # Confirming the statement confirms its reports.
    path = f"/statements/{NEW}"
    confirmed = site.editor.patch(
        path, json={"status": "confirmed"}, headers={"If-Match": etag(site.editor, path)}
    )
    assert {a["status"] for a in _ok(confirmed)["appearances"]} == {"confirmed"}


def test_a_confirmed_report_of_a_proposed_statement_is_422(site: Site) -> None:
    report = {"source": INDIA_TV, "quote": QUOTE, "mode": "indirect", "status": "confirmed"}
    refused = site.editor.post(
        "/statements", json=_statement(status="proposed", appearances=[report])
    )
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["appearances.0.status"]
    assert site.editor.get(f"/statements/{NEW}").status_code == 404
    _ok(site.editor.post("/statements", json=_statement(status="proposed")), 201)
    report = {"source": DAN_TRI, "quote": DAN_TRI_QUOTE, "mode": "indirect", "status": "confirmed"}
    refused = site.editor.post(f"/statements/{NEW}/appearances", json=report)
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["status"]
    assert len(_ok(site.editor.get(f"/statements/{NEW}"))["appearances"]) == 1


def test_a_new_statement_without_a_status_is_confirmed_with_its_report(site: Site) -> None:
    created = _ok(site.editor.post("/statements", json=_statement()), 201)
    assert created["status"] == "confirmed"
    assert [a["status"] for a in created["appearances"]] == ["confirmed"]


# -- contradictions by review -------------------------------------------------------------------


def _contradictions(site: Site, review: str | None = None) -> dict[int, dict[str, Any]]:
    query = "" if review is None else f"&review={review}"
    page = _ok(site.editor.get(f"/contradictions?limit=500{query}"))
    assert page["next_cursor"] is None
    return {c["id"]: c for c in page["items"]}


def test_contradictions_are_listed_by_review(site: Site) -> None:
    confirmed = _contradictions(site)
    assert confirmed == _contradictions(site, "confirmed")
    assert _contradictions(site, "proposed") == {}
    assert _contradictions(site, "rejected") == {}
    some = min(confirmed)
    path = f"/contradictions/{some}"
    rejected = site.editor.patch(
        path,
        json={"status": "rejected", "status_reason": "Not a contradiction."},
        headers={"If-Match": etag(site.editor, path)},
    )
    _ok(rejected)
    assert some not in _contradictions(site)
    assert set(_contradictions(site, "rejected")) == {some}
    # A proposed statement makes the contradictions it is a side of proposed ones.
    _ok(site.editor.post("/statements", json=_statement(status="proposed")), 201)
    proposed = _contradictions(site, "proposed")
    assert proposed, "the proposed denial is listed"
    for c in proposed.values():
        sides = (c["a"]["statement"], c["b"]["statement"])
        assert c["status"] == "proposed" or any(s["status"] == "proposed" for s in sides)
        # Its proposed side is shown with its proposed report.
        for s in sides:
            if s["slug"] == NEW:
                assert [a["status"] for a in s["appearances"]] == ["proposed"]
    # A claim's and an actor's lists take it too.
    on_claim = _ok(site.editor.get(f"/claims/{REJECTED}/contradictions?review=proposed"))
    assert {c["id"] for c in on_claim["items"]} == set(proposed)
    by_actor = _ok(site.editor.get("/actors/us-source/contradictions?review=proposed"))
    assert {c["id"] for c in by_actor["items"]} == set(proposed)
    every = _contradictions(site, "all")
    assert set(every) == set(confirmed) | set(proposed)
    assert not set(proposed) & set(_contradictions(site))
    refused = site.editor.get("/contradictions?review=some")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "review"


# -- the history as fields ----------------------------------------------------------------------


def _changes(site: Site, path: str) -> list[dict[str, Any]]:
    return list(_ok(site.editor.get(f"{path}/history?limit=500"))["items"])


def test_a_loaded_object_begins_its_history_with_the_load(site: Site) -> None:
    for path, file in (
        (f"/sources/{DAN_TRI}", "002_ae40472464565332.yaml"),
        ("/statements/peskov-denies-peace-proposals", "000_64284ed50041f30a.yaml"),
        ("/actors/dmitry-peskov", "000_64284ed50041f30a.yaml"),
        ("/claims/us-rejected-putin-ceasefire", "000_64284ed50041f30a.yaml"),
    ):
        [first] = _changes(site, path)
        assert (first["action"], first["who"], first["fields"]) == ("create", "sayso load", [])
        assert first["note"] == f"created by the load of file seed_data/annotations/{file}"
    statement = _ok(site.editor.get("/statements/peskov-denies-peace-proposals"))
    report = statement["appearances"][0]["id"]
    [first] = _changes(site, f"/appearances/{report}")
    assert (
        first["note"]
        == "created by the load of file seed_data/annotations/000_64284ed50041f30a.yaml"
    )
    # Misreports and inconsistencies are loaded (denials are found, not loaded).
    curated = [c for c in _contradictions(site).values() if c["kind"] != "denial"]
    assert curated
    for c in curated:
        first = _changes(site, f"/contradictions/{c['id']}")[0]
        assert (first["who"], first["note"][:27]) == ("sayso load", "created by the load of file")


def test_a_change_lists_its_fields_with_the_objects_they_name(site: Site) -> None:
    path = "/statements/peskov-denies-peace-proposals"
    moved = site.editor.patch(
        path,
        json={"speaker": "kremlin", "said_on": "2024-02-15"},
        headers={"If-Match": etag(site.editor, path)},
    )
    _ok(moved)
    change = _changes(site, path)[-1]
    assert (change["action"], change["who"]) == ("update", "an editor")
    fields = {f["field"]: (f["before"], f["after"]) for f in change["fields"]}
    assert set(fields) == {"speaker", "said_on"}
    before, after = fields["speaker"]
    assert (before["slug"], before["name"]) == ("dmitry-peskov", "Dmitry Peskov")
    assert (after["slug"], after["name"]) == ("kremlin", "The Kremlin")
    assert isinstance(before["id"], int) and isinstance(after["id"], int)
    assert fields["said_on"][1] == "2024-02-15"
    # Created through the API: every field, the claim named by its text.
    _ok(site.editor.post("/statements", json=_statement()), 201)
    [created] = _changes(site, f"/statements/{NEW}")
    named = {f["field"]: f for f in created["fields"]}
    assert named["claim"]["before"] is None
    assert named["claim"]["after"]["slug"] == REJECTED
    assert named["stance"] == {"field": "stance", "before": None, "after": "denies"}
    assert not {"id", "version", "dated_on", "speaker_id"} & set(named)
    # A deletion lists the object's fields and what went with it.
    path = f"/statements/{NEW}"
    gone = site.admin.delete(path, headers={"If-Match": etag(site.editor, path)})
    assert gone.status_code == 204, gone.text
    deletion = _changes(site, path)[-1]
    assert deletion["action"] == "delete"
    assert {f["field"]: f["after"] for f in deletion["fields"]}["stance"] is None
    assert [a["name"] for a in deletion["also"]["appearances"]] == [QUOTE]

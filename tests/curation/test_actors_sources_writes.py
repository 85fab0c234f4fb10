"""Editing actors and sources over HTTP: who may, If-Match, history, delete and restore (with
what goes with them), and the checks on aliases, affiliations, outlets, texts and dates."""

import hashlib
from typing import Any

import httpx
import pytest
from seed_facts import statements as seed_statements
from sites import Site, api_changes, changed, etag, site  # noqa: F401 (a fixture)
from sqlalchemy import text

from app.db.engine import make_engine

INDIATV = "indiatv-2024-02-14-putin-ceasefire-rejected"
DAN_TRI = "dantri-2024-putin-ceasefire-revealed"
REUTERS_REPORT = "reuters-2024-02-putin-ceasefire-rebuffed"
# Reported by India TV twice and by Dan Tri once, and the subject of a misreport between them.
SIGNALS = "three-sources-putin-sent-signals"

ACTOR = {
    "slug": "bridge-authority",
    "name": "The Bridge Authority",
    "kind": "organization",
    "description": "Runs the river bridge.",
    "affiliation": "kremlin",
    "aliases": ["Bridge Authority", "the Quayside operators"],
}
TEXT = (
    "Bridge news\nPublished: 1 May 2026, 09:30\n"
    "The bridge reopens in May, the authority said (with inputs from Reuters).\n"
)
SOURCE = {
    "slug": "bridge-news-2026-05-01",
    "title": "The bridge reopens",
    "outlet": "india-tv-news",
    "language": "EN-GB",
    "text": TEXT,
    "dates": [
        {"kind": "published", "printed": "1 May 2026, 09:30", "value": "2026-05-01T09:30:00+02:00"}
    ],
    "cites": [{"source": REUTERS_REPORT, "evidence": "(with inputs from Reuters)"}],
}


def _problem(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return str(response.json()["detail"])


def _fields(response: httpx.Response) -> list[str]:
    _problem(response, 422)
    return [e["field"] for e in response.json()["errors"]]


def _history(site: Site, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = site.editor.get(f"{path}/history").json()["items"]
    return api_changes(items)


def _patch(site: Site, path: str, body: dict[str, Any]) -> httpx.Response:
    return site.editor.patch(path, json=body, headers={"If-Match": etag(site.editor, path)})


def _delete(client: httpx.Client, site: Site, path: str) -> httpx.Response:
    return client.delete(path, headers={"If-Match": etag(site.editor, path)})


# -- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", ["anonymous", "revoked"])
def test_no_key_or_a_revoked_one_writes_nothing(site: Site, caller: str) -> None:
    client: httpx.Client = getattr(site, caller)
    for path, body in (("/actors", ACTOR), ("/sources", SOURCE)):
        assert client.post(path, json=body).status_code == 401
        assert site.anonymous.get(f"{path}/{body['slug']}").status_code == 404
    for path in ("/actors/reuters", f"/sources/{INDIATV}"):
        tag = etag(site.anonymous, path)
        response = client.patch(path, json={"description": "x"}, headers={"If-Match": tag})
        assert "Bearer" in response.headers["www-authenticate"]
        _problem(response, 401)
        _problem(client.delete(path, headers={"If-Match": tag}), 401)
        _problem(client.post(f"{path}/restore"), 401)
        assert site.anonymous.get(path).json()["version"] == 1


@pytest.mark.parametrize("path", ["/actors/reuters", f"/sources/{INDIATV}"])
def test_an_editor_may_not_delete_or_restore(site: Site, path: str) -> None:
    assert "admin" in _problem(_delete(site.editor, site, path), 403)
    assert "admin" in _problem(site.editor.post(f"{path}/restore"), 403)
    assert site.anonymous.get(path).status_code == 200
    assert _history(site, path) == []


# -- actors -------------------------------------------------------------------------------------


def test_an_editor_adds_an_actor_found_by_any_alias(site: Site) -> None:
    created = site.editor.post("/actors", json=ACTOR)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/actors/bridge-authority"
    assert created.headers["etag"].startswith('"1.')
    actor = created.json()
    # The name is the first alias, as the loader stores it.
    assert actor["aliases"] == [
        "The Bridge Authority",
        "Bridge Authority",
        "the Quayside operators",
    ]
    assert actor["affiliation"]["slug"] == "kremlin"
    assert site.anonymous.get("/actors/bridge-authority").json() == actor
    members = site.anonymous.get("/actors/kremlin").json()["members"]
    assert "bridge-authority" in [m["slug"] for m in members]
    found = site.anonymous.get("/actors", params={"alias": "THE  quayside Operators"}).json()
    assert [a["slug"] for a in found["items"]] == ["bridge-authority"]
    hits = site.anonymous.get("/search", params={"q": "Quayside"}).json()
    assert [(h["kind"], h["actor"]["slug"]) for h in hits["items"]] == [
        ("actor", "bridge-authority")
    ]
    history = _history(site, "/actors/bridge-authority")
    assert [(c["action"], c["who"]) for c in history] == [("create", "an editor")]
    assert all(f["before"] is None for f in history[0]["fields"])
    assert changed(history[0])["aliases"] == (None, actor["aliases"])
    assert changed(history[0])["affiliation"][1]["slug"] == "kremlin"
    assert "name_key" not in changed(history[0])  # derived from the name


def test_an_unnamed_source_has_a_group_size(site: Site) -> None:
    body = {
        "slug": "two-bridge-engineers",
        "name": "Two engineers on the bridge",
        "kind": "unnamed",
        "group_size": 2,
        "knowledge": "the repairs",
    }
    created = site.editor.post("/actors", json=body)
    assert created.status_code == 201, created.text
    assert (created.json()["group_size"], created.json()["knowledge"]) == (2, "the repairs")
    # A person has no group size: changing the kind alone leaves one behind.
    path = "/actors/two-bridge-engineers"
    assert _fields(_patch(site, path, {"kind": "person"})) == ["group_size"]
    changed = _patch(site, path, {"kind": "person", "group_size": None, "knowledge": None})
    assert changed.status_code == 200, changed.text
    assert changed.json()["group_size"] is None


def test_an_actor_edit_needs_the_current_etag_and_shows_its_aliases_in_the_history(
    site: Site,
) -> None:
    path = "/actors/dmitry-peskov"
    assert "If-Match" in _problem(site.editor.patch(path, json={"aliases": ["Peskov"]}), 428)
    first = etag(site.anonymous, path)
    before = site.anonymous.get(path).json()
    # An edit of the aliases alone moves the version too.
    edited = site.editor.patch(
        path, json={"aliases": ["Peskov", "Dmitry S. Peskov"]}, headers={"If-Match": first}
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["aliases"] == ["Dmitry Peskov", "Peskov", "Dmitry S. Peskov"]
    assert edited.json()["version"] == 2
    stale = site.editor.patch(path, json={"description": "x"}, headers={"If-Match": first})
    assert "version 1, now 2" in _problem(stale, 412)
    assert site.anonymous.get(path).json()["description"] == before["description"]
    history = _history(site, path)
    assert [(c["action"], c["who"]) for c in history] == [("update", "an editor")]
    assert changed(history[0])["aliases"] == (
        before["aliases"],
        ["Dmitry Peskov", "Peskov", "Dmitry S. Peskov"],
    )
    found = site.anonymous.get("/actors", params={"alias": "Mr. Peskov"}).json()["items"]
    assert found == []


def test_a_renamed_actor_keeps_its_old_name_as_an_alias(site: Site) -> None:
    path = "/actors/kremlin"
    renamed = _patch(site, path, {"name": "The Moscow Kremlin"})
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["name"], renamed.json()["version"]) == ("The Moscow Kremlin", 2)
    assert renamed.json()["aliases"][:2] == ["The Moscow Kremlin", "The Kremlin"]
    found = site.anonymous.get("/actors", params={"q": "moscow kremlin"}).json()["items"]
    assert [a["slug"] for a in found] == ["kremlin"]
    # The statement pages show the new name.
    speaker = site.anonymous.get("/statements/kremlin-denies-putin-proposed-ceasefire").json()
    assert speaker["speaker"]["name"] == "The Moscow Kremlin"
    # So do the denials sayso found: their rationale is said from the statements as they are.
    denials = site.anonymous.get(
        "/claims/putin-signalled-ceasefire-2023/contradictions", params={"kind": "denial"}
    ).json()["items"]
    by_kremlin = [d for d in denials if d["b"]["statement"]["speaker"]["slug"] == "kremlin"]
    assert by_kremlin
    assert all(" and The Moscow Kremlin (denies): " in d["rationale"] for d in by_kremlin)


@pytest.mark.parametrize(
    ("slug", "affiliation", "said"),
    [
        ("kremlin", "dmitry-peskov", "kremlin in dmitry-peskov in kremlin"),
        ("kremlin", "kremlin", "kremlin in kremlin"),
        ("three-russian-sources", "senior-russian-source", "in three-russian-sources"),
        ("kremlin", "no-such-actor", "no actor 'no-such-actor'"),
    ],
)
def test_an_affiliation_must_name_another_actor_and_make_no_cycle(
    site: Site, slug: str, affiliation: str, said: str
) -> None:
    path = f"/actors/{slug}"
    response = _patch(site, path, {"affiliation": affiliation})
    assert _fields(response) == ["affiliation"]
    assert said in response.json()["detail"]
    assert site.anonymous.get(path).json()["version"] == 1
    assert _history(site, path) == []


def test_an_affiliation_can_move_and_be_cleared(site: Site) -> None:
    path = "/actors/dmitry-peskov"
    moved = _patch(site, path, {"affiliation": "vladimir-putin"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["affiliation"]["slug"] == "vladimir-putin"
    assert moved.json()["version"] == 2
    cleared = _patch(site, path, {"affiliation": None})
    assert cleared.json()["affiliation"] is None
    history = _history(site, path)
    assert changed(history[0])["affiliation"][1]["name"] == "Vladimir Putin"
    assert changed(history[1])["affiliation"] == (changed(history[0])["affiliation"][1], None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**ACTOR, "slug": "Not A Slug"}, "slug"),
        ({**ACTOR, "slug": "x" * 121}, "slug"),
        ({**ACTOR, "name": ""}, "name"),
        ({**ACTOR, "name": "   "}, "name"),
        ({**ACTOR, "kind": "alien"}, "kind"),
        ({**ACTOR, "aliases": ["the Quayside", "THE  quayside"]}, "aliases"),
        ({**ACTOR, "aliases": ["ok", "nul\x00"]}, "aliases.1"),
        ({**ACTOR, "description": "nul\x00"}, "description"),
        ({**ACTOR, "group_size": 3}, "group_size"),
        ({**ACTOR, "affiliation": "no-such-actor"}, "affiliation"),
        ({**ACTOR, "colour": "red"}, "colour"),
        ({k: v for k, v in ACTOR.items() if k != "kind"}, "kind"),
    ],
)
def test_bad_actors_are_422_naming_the_field(site: Site, body: dict[str, Any], field: str) -> None:
    assert _fields(site.editor.post("/actors", json=body)) == [field]
    assert site.anonymous.get("/actors/bridge-authority").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "renamed"}, "slug"),
        ({"name": None}, "name"),
        ({"aliases": None}, "aliases"),
        ({}, ""),
    ],
)
def test_bad_actor_updates_are_422(site: Site, body: dict[str, Any], field: str) -> None:
    assert _fields(_patch(site, "/actors/reuters", body)) == [field]
    assert site.anonymous.get("/actors/reuters").json()["version"] == 1


def test_a_taken_actor_slug_is_409(site: Site) -> None:
    response = site.editor.post("/actors", json={**ACTOR, "slug": "reuters"})
    assert "exists already" in _problem(response, 409)


def test_an_outlet_that_sources_name_stays_an_outlet(site: Site) -> None:
    response = _patch(site, "/actors/india-tv-news", {"kind": "organization"})
    assert "outlet of 1 source" in _problem(response, 409)
    assert site.anonymous.get("/actors/india-tv-news").json()["kind"] == "outlet"


def test_a_speaker_cannot_be_deleted(site: Site) -> None:
    response = _delete(site.admin, site, "/actors/kremlin")
    assert "speaker of" in _problem(response, 409)
    assert site.anonymous.get("/actors/kremlin").status_code == 200


def test_a_deleted_actor_is_unlinked_then_restored_with_its_links(site: Site) -> None:
    path = "/actors/reuters"
    actor = site.anonymous.get(path).json()
    report = site.anonymous.get(f"/sources/{REUTERS_REPORT}").json()
    addressed = site.anonymous.get("/statements", params={"limit": 500}).json()["items"]
    to_reuters = sorted(
        s["slug"] for s in addressed if (s["recipient"] or {}).get("slug") == "reuters"
    )
    assert report["outlet"]["slug"] == "reuters" and to_reuters
    assert _problem(site.admin.delete(path), 428)
    deleted = _delete(site.admin, site, path)
    assert deleted.status_code == 204, deleted.text
    assert "restore" in _problem(site.anonymous.get(path), 410)
    assert _problem(site.anonymous.get(f"{path}/statements"), 410)
    assert site.anonymous.get(f"/sources/{REUTERS_REPORT}").json()["outlet"] is None
    for slug in to_reuters:
        assert site.anonymous.get(f"/statements/{slug}").json()["recipient"] is None
    assert site.anonymous.get("/actors", params={"alias": "Reuters"}).json()["items"] == []
    hits = site.anonymous.get("/search", params={"q": "Reuters", "limit": 100}).json()["items"]
    assert "reuters" not in [h["actor"]["slug"] for h in hits if h["kind"] == "actor"]
    # A stale ETag or an editor's key changes nothing; a deleted actor cannot be edited.
    assert "deleted" in _problem(
        site.editor.patch(path, json={"description": "x"}, headers={"If-Match": '"1.ab"'}), 410
    )
    restored = site.admin.post(f"{path}/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json() == actor
    hits = site.anonymous.get("/search", params={"q": "Reuters", "limit": 100}).json()["items"]
    assert "reuters" in [h["actor"]["slug"] for h in hits if h["kind"] == "actor"]
    assert site.anonymous.get(f"/sources/{REUTERS_REPORT}").json() == report
    for slug in to_reuters:
        assert site.anonymous.get(f"/statements/{slug}").json()["recipient"]["slug"] == "reuters"
    history = _history(site, path)
    assert [(c["action"], c["who"]) for c in history] == [
        ("delete", "the admin"),
        ("restore", "the admin"),
    ]
    assert [a["name"] for a in history[0]["also"]["actor_aliases"]] == actor["aliases"]
    assert "already" not in _problem(site.admin.post(f"{path}/restore"), 409)
    assert _problem(site.admin.post("/actors/no-such-actor/restore"), 404)


# -- sources ------------------------------------------------------------------------------------


def test_an_editor_adds_a_source_with_its_text_dates_and_citations(site: Site) -> None:
    created = site.editor.post("/sources", json=SOURCE)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/sources/{SOURCE['slug']}"
    assert created.headers["etag"].startswith('"1.')
    source = created.json()
    assert source["sha256"] == hashlib.sha256(TEXT.encode()).hexdigest()
    assert source["language"] == "en-gb"
    assert source["reported_on"] == "2026-05-01"
    assert source["outlet"]["slug"] == "india-tv-news"
    start = TEXT.index("1 May 2026, 09:30")
    assert source["dates"] == [
        {
            "kind": "published",
            "printed": "1 May 2026, 09:30",
            "day": "2026-05-01",
            "at": "2026-05-01T07:30:00+00:00",
            "span": {"start": start, "end": start + len("1 May 2026, 09:30")},
            "note": None,
        }
    ]
    evidence = source["cites"][0]["evidence"]
    assert TEXT[evidence["start"] : evidence["end"]] == "(with inputs from Reuters)"
    assert source["cites"][0]["source"]["slug"] == REUTERS_REPORT
    cited_by = site.anonymous.get(f"/sources/{REUTERS_REPORT}").json()["cited_by"]
    assert SOURCE["slug"] in [c["source"]["slug"] for c in cited_by]
    text = site.anonymous.get(f"/sources/{SOURCE['slug']}/text")
    assert text.content == TEXT.encode()
    history = _history(site, f"/sources/{SOURCE['slug']}")
    assert [c["action"] for c in history] == ["create"]
    assert changed(history[0])["text"] == (None, TEXT)
    assert changed(history[0])["dates"][1][0]["printed"] == "1 May 2026, 09:30"
    assert changed(history[0])["cites"][1][0]["source"] == REUTERS_REPORT


def test_a_cited_source_needs_no_text(site: Site) -> None:
    body = {
        "slug": "wire-2026-05-01",
        "language": "en",
        "reported_on": "2026-05-01",
        "dates": [],
    }
    created = site.editor.post("/sources", json=body)
    assert created.status_code == 201, created.text
    assert (created.json()["has_text"], created.json()["sha256"]) == (False, None)
    assert created.json()["reported_on"] == "2026-05-01"
    assert _problem(site.anonymous.get("/sources/wire-2026-05-01/text"), 404)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "Bad Slug"}, "slug"),
        ({"outlet": "kremlin"}, "outlet"),
        ({"outlet": "no-such-actor"}, "outlet"),
        ({"language": "english!"}, "language"),
        ({"text": ""}, "text"),
        ({"text": "nul\x00"}, "text"),
        ({"dates": [{**SOURCE["dates"][0], "printed": "2 May 2026"}]}, "dates.0.printed"),
        ({"dates": [{**SOURCE["dates"][0], "kind": "printed"}]}, "dates.0.kind"),
        ({"cites": [{"source": "no-such-source"}]}, "cites.0.source"),
        ({"cites": [{"source": SOURCE["slug"]}]}, "cites.0.source"),
        ({"cites": [{"source": REUTERS_REPORT}, {"source": REUTERS_REPORT}]}, "cites.1.source"),
        ({"cites": [{"source": REUTERS_REPORT, "evidence": "not there"}]}, "cites.0.evidence"),
        ({"reported_on": "2026-05-02"}, "reported_on"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_sources_are_422_naming_the_field(
    site: Site, change: dict[str, Any], field: str
) -> None:
    assert _fields(site.editor.post("/sources", json={**SOURCE, **change})) == [field]
    assert site.anonymous.get(f"/sources/{SOURCE['slug']}").status_code == 404


def test_a_date_without_its_offset_is_422(site: Site) -> None:
    date = {**SOURCE["dates"][0], "value": "2026-05-01T09:30:00"}
    fields = _fields(site.editor.post("/sources", json={**SOURCE, "dates": [date]}))
    assert all(f.startswith("dates.0.value") for f in fields)


@pytest.mark.parametrize(
    "value",
    ["2026-05-01T09:30:00+23:00", "0001-01-01T00:00:00+05:00"],
    ids=["an offset no clock has", "out of range in UTC"],
)
def test_an_instant_the_databases_cannot_store_is_422(site: Site, value: str) -> None:
    # PostgreSQL refused the first (a 500), neither database could hold the second in UTC.
    date = {**SOURCE["dates"][0], "value": value}
    fields = _fields(site.editor.post("/sources", json={**SOURCE, "dates": [date]}))
    assert all(f.startswith("dates.0.value") for f in fields)
    assert site.anonymous.get(f"/sources/{SOURCE['slug']}").status_code == 404


def test_a_taken_source_slug_is_409(site: Site) -> None:
    response = site.editor.post("/sources", json={**SOURCE, "slug": INDIATV})
    assert "exists already" in _problem(response, 409)


def test_a_text_with_appearances_cannot_change_but_its_metadata_can(site: Site) -> None:
    path = f"/sources/{INDIATV}"
    before = site.anonymous.get(path).json()
    response = _patch(site, path, {"text": before["text"] + "\nCorrection."})
    assert "appearance" in _problem(response, 409)
    assert site.anonymous.get(path).json() == before
    # The same text again is no change.
    edited = _patch(site, path, {"text": before["text"], "title": "A better title"})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["title"], edited.json()["version"]) == ("A better title", 2)
    assert edited.json()["sha256"] == before["sha256"]
    history = _history(site, path)
    assert [changed(c)["title"] for c in history] == [(before["title"], "A better title")]


def test_a_new_text_gets_its_sha256_and_its_dates_found_again(site: Site) -> None:
    site.editor.post("/sources", json=SOURCE)
    path = f"/sources/{SOURCE['slug']}"
    text = "Corrected.\n" + TEXT
    edited = _patch(site, path, {"text": text})
    assert edited.status_code == 200, edited.text
    source = edited.json()
    assert source["version"] == 2
    assert source["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    span = source["dates"][0]["span"]
    assert text[span["start"] : span["end"]] == "1 May 2026, 09:30"
    evidence = source["cites"][0]["evidence"]
    assert text[evidence["start"] : evidence["end"]] == "(with inputs from Reuters)"
    # A text without the printed date is refused, naming the text.
    response = _patch(site, path, {"text": "Nothing dated here (with inputs from Reuters)."})
    assert _fields(response) == ["text"]
    assert "1 May 2026" in response.json()["detail"]
    assert site.anonymous.get(path).json()["sha256"] == source["sha256"]


def test_new_dates_move_reported_on_and_the_version(site: Site) -> None:
    site.editor.post("/sources", json=SOURCE)
    path = f"/sources/{SOURCE['slug']}"
    page_date = {"kind": "page", "printed": "Bridge news", "value": "2026-04-30"}
    edited = _patch(site, path, {"dates": [page_date]})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["reported_on"], edited.json()["version"]) == ("2026-04-30", 2)
    assert [d["kind"] for d in edited.json()["dates"]] == ["page"]
    assert edited.json()["reported_on_basis"].startswith("The page prints no publication date")
    # Dated by other evidence than the dates it prints, it says why.
    assert _fields(_patch(site, path, {"reported_on": "2026-01-01"})) == ["reported_on_basis"]
    cleared = _patch(site, path, {"dates": [], "reported_on": "2026-01-01"})
    assert (cleared.json()["reported_on"], cleared.json()["reported_on_basis"]) == (
        "2026-01-01",
        None,
    )
    history = _history(site, path)
    assert [changed(c)["reported_on"][1] for c in history] == [
        "2026-05-01",
        "2026-04-30",
        "2026-01-01",
    ]


def test_a_source_edit_needs_the_current_etag(site: Site) -> None:
    path = f"/sources/{INDIATV}"
    assert _problem(site.editor.patch(path, json={"title": "x"}), 428)
    stale = site.editor.patch(path, json={"title": "x"}, headers={"If-Match": '"7.abc"'})
    assert "version 7, now 1" in _problem(stale, 412)
    assert _problem(site.editor.patch(path, json={"title": "x"}, headers={"If-Match": "x"}), 412)
    assert site.anonymous.get(path).json()["version"] == 1
    assert _history(site, path) == []


def _appearances(site: Site, slug: str) -> list[tuple[str, int]]:
    """The statement's appearances, every one (as an editor reads it)."""
    statement = site.editor.get(f"/statements/{slug}").json()
    return [(a["source"]["slug"], a["id"]) for a in statement["appearances"]]


def _misreports(site: Site) -> list[int]:
    items = site.anonymous.get("/contradictions", params={"kind": "misreport"}).json()["items"]
    return sorted(c["id"] for c in items)


def _reported_only_in(site: Site, slug: str) -> dict[str, Any]:
    """The statements SLUG reports that no other source does, as GET answers them."""
    reports = site.anonymous.get(f"/sources/{slug}/statements", params={"limit": 500}).json()
    statements = {r["statement"]["slug"] for r in reports["items"]}
    return {
        s: site.anonymous.get(f"/statements/{s}").json()
        for s in sorted(statements)
        if {source for source, _ in _appearances(site, s)} == {slug}
    }


def _delete_and_restore_source(site: Site, slug: str) -> None:
    """Delete SLUG, which reports SIGNALS and is one side of every misreport, and restore it."""
    path = f"/sources/{slug}"
    source = site.anonymous.get(path).json()
    statement = site.anonymous.get(f"/statements/{SIGNALS}").json()
    reported_in = [s for s, _ in _appearances(site, SIGNALS)]
    misreports = _misreports(site)
    only_here = _reported_only_in(site, slug)
    assert slug in reported_in and misreports and only_here
    deleted = _delete(site.admin, site, path)
    assert deleted.status_code == 204, deleted.text
    assert "restore" in _problem(site.anonymous.get(path), 410)
    assert _problem(site.anonymous.get(f"{path}/text"), 410)
    assert _problem(site.anonymous.get(f"{path}/statements"), 410)
    assert [s for s, _ in _appearances(site, SIGNALS)] == [s for s in reported_in if s != slug]
    # A statement no other source reports goes with it: none is left without a report.
    for gone in only_here:
        detail = _problem(site.anonymous.get(f"/statements/{gone}"), 410)
        assert f"deleted with the source '{slug}'" in detail
    assert _misreports(site) == []
    cited_by = site.anonymous.get(f"/sources/{REUTERS_REPORT}").json()["cited_by"]
    assert slug not in [c["source"]["slug"] for c in cited_by]
    listed = site.anonymous.get("/sources", params={"limit": 500}).json()["items"]
    assert slug not in [s["slug"] for s in listed]
    history = _history(site, path)
    assert [c["action"] for c in history] == ["delete"]
    removed = history[0]["also"]
    assert set(removed) == {
        "statements",
        "appearances",
        "contradictions",
        "source_dates",
        "source_furniture",
        "source_citations",
    }
    assert sorted(s["slug"] for s in removed["statements"]) == sorted(only_here)
    assert set(misreports) <= {c["id"] for c in removed["contradictions"]}
    restored = site.admin.post(f"{path}/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json() == source
    assert site.anonymous.get(f"/statements/{SIGNALS}").json() == statement
    for slug_, before in only_here.items():
        assert site.anonymous.get(f"/statements/{slug_}").json() == before
    assert _misreports(site) == misreports
    assert [c["action"] for c in _history(site, path)] == ["delete", "restore"]
    assert "not deleted" in _problem(site.admin.post(f"{path}/restore"), 409)


def test_a_deleted_source_takes_its_appearances_and_restore_brings_them_back(
    site: Site,
) -> None:
    _delete_and_restore_source(site, DAN_TRI)


def test_a_source_with_timed_dates_is_restored_too(site: Site) -> None:
    _delete_and_restore_source(site, INDIATV)


def _denials(site: Site) -> list[tuple[str, str]]:
    items = site.anonymous.get("/contradictions", params={"kind": "denial"}).json()["items"]
    return sorted((c["a"]["statement"]["slug"], c["b"]["statement"]["slug"]) for c in items)


def test_a_restored_source_derives_the_denials_of_its_statements_again(site: Site) -> None:
    # India TV alone reports the denials of SIGNALS: they go with it, and their denials too. The
    # denials between statements Dan Tri reports as well stay.
    denied = [b for a, b in _denials(site) if a == SIGNALS]
    only_here = set(_reported_only_in(site, INDIATV))
    assert denied and set(denied) <= only_here
    kept = [d for d in _denials(site) if not set(d) & only_here]
    assert kept and SIGNALS not in {s for d in kept for s in d}
    assert _delete(site.admin, site, f"/sources/{INDIATV}").status_code == 204
    assert _denials(site) == kept
    # While they are away, SIGNALS comes to deny the claim too: their denials no longer follow.
    assert _patch(site, f"/statements/{SIGNALS}", {"stance": "denies"}).status_code == 200
    restored = site.admin.post(f"/sources/{INDIATV}/restore")
    assert restored.status_code == 200, restored.text
    for slug in denied:
        assert site.anonymous.get(f"/statements/{slug}").status_code == 200
    assert _denials(site) == kept


def test_a_source_with_a_statements_only_confirmed_reports_is_kept(site: Site) -> None:
    [dan_tri] = [i for s, i in _appearances(site, SIGNALS) if s == DAN_TRI]
    path = f"/appearances/{dan_tri}"
    unconfirmed = _patch(site, path, {"status": "proposed"})
    assert unconfirmed.status_code == 200, unconfirmed.text
    # SIGNALS would stay, reported by Dan Tri, but shown with no confirmed report.
    refused = _delete(site.admin, site, f"/sources/{INDIATV}")
    assert f"'{SIGNALS}'" in _problem(refused, 409)
    assert site.anonymous.get(f"/sources/{INDIATV}").status_code == 200
    assert {s for s, _ in _appearances(site, SIGNALS)} == {INDIATV, DAN_TRI}
    assert _patch(site, path, {"status": "confirmed"}).status_code == 200
    assert _delete(site.admin, site, f"/sources/{INDIATV}").status_code == 204
    assert [i for _, i in _appearances(site, SIGNALS)] == [dan_tri]


def test_no_statement_is_left_without_a_report_when_its_sources_go(site: Site) -> None:
    engine = make_engine(site.db_url)
    unreported = text(
        "SELECT count(*) FROM statements s"
        " WHERE NOT EXISTS (SELECT 1 FROM appearances a WHERE a.statement_id = s.id)"
    )
    try:
        sources = site.anonymous.get("/sources", params={"limit": 500}).json()["items"]
        reporting = [s for s in (s["slug"] for s in sources) if _reported_only_in(site, s)]
        assert len(reporting) >= 2
        for slug in reporting:
            assert _delete(site.admin, site, f"/sources/{slug}").status_code == 204
            with engine.connect() as conn:
                assert conn.execute(unreported).scalar_one() == 0
        assert site.anonymous.get("/statements").json()["items"] == []
        # The first one deleted reports statements that went with a later one: those first.
        refused = site.admin.post(f"/sources/{reporting[0]}/restore")
        assert "was deleted since; restore that first" in _problem(refused, 409)
        # Restored in the other order, each brings back what went with it.
        for slug in reversed(reporting):
            restored = site.admin.post(f"/sources/{slug}/restore")
            assert restored.status_code == 200, restored.text
        with engine.connect() as conn:
            assert conn.execute(unreported).scalar_one() == 0
            assert conn.execute(text("SELECT count(*) FROM statements")).scalar_one() == len(
                seed_statements()
            )
    finally:
        engine.dispose()

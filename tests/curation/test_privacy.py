"""Privacy by default: drafts (what is proposed or rejected in review) and the history are shown
to a read with an API key, and settings make them public; every key that is not valid gets one
and the same 401; a deleted object's slug stays reserved until an admin purges the deletion."""

from typing import Any

import httpx
import pytest
from conftest import Databases
from sites import Site, etag, site, site_with  # noqa: F401 (a fixture)
from test_ingest import story

INDIA_TV = "indiatv-2024-02-14-putin-ceasefire-rejected"
CEASEFIRE = "putin-signalled-ceasefire-2023"
PESKOV = "peskov-denies-peace-proposals"  # reported once, by India TV
QUOTE = "Washington would not engage in talks that did not involve Ukraine"
DRAFT = "us-source-denies-ceasefire-signal"
# What a reader without a key sees of the claim, its speaker and its source, and the exports:
# none of it may change when a draft is written.
PUBLIC_READS = [
    f"/claims/{CEASEFIRE}",
    f"/claims/{CEASEFIRE}/positions",
    f"/claims/{CEASEFIRE}/statements?limit=500",
    f"/claims/{CEASEFIRE}/timeline?limit=500",
    f"/claims/{CEASEFIRE}/contradictions?limit=500",
    "/contradictions?limit=500",
    "/actors/us-source",
    "/actors/us-source/statements?limit=500",
    "/actors/us-source/contradictions?limit=500",
    f"/sources/{INDIA_TV}",
    f"/sources/{INDIA_TV}/statements?limit=500",
    "/statements?limit=500",
    "/statements.csv",
    "/statements.ndjson",
]
HISTORIES = [
    f"/claims/{CEASEFIRE}/history",
    "/actors/dmitry-peskov/history",
    f"/sources/{INDIA_TV}/history",
    f"/statements/{PESKOV}/history",
    "/appearances/1/history",
    "/contradictions/1/history",
]


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    found: dict[str, Any] = response.json()
    return found


def _draft(site: Site) -> int:
    """A proposed statement denying the claim, reported by India TV: its appearance's id."""
    created = site.editor.post(
        "/statements",
        json={
            "slug": DRAFT,
            "speaker": "us-source",
            "claim": CEASEFIRE,
            "stance": "denies",
            "status": "proposed",
            "appearances": [{"source": INDIA_TV, "quote": QUOTE, "mode": "indirect"}],
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "proposed"
    return int(created.json()["appearances"][0]["id"])


def _hits(client: httpx.Client) -> set[int]:
    """The appearances a search for the draft's rarer words finds."""
    found = client.get("/search", params={"q": "engage involve", "limit": 50})
    assert found.status_code == 200, found.text
    return {h["quote"]["appearance_id"] for h in found.json()["items"] if h["quote"]}


def _last_contradiction(client: httpx.Client) -> int:
    items = client.get("/contradictions?limit=500").json()["items"]
    return max(c["id"] for c in items)


# -- drafts ---------------------------------------------------------------------------------------


def test_a_draft_is_not_found_without_a_key_and_changes_no_public_read(site: Site) -> None:
    before = {path: site.anonymous.get(path) for path in PUBLIC_READS}
    last = _last_contradiction(site.anonymous)
    appearance = _draft(site)
    # Its denials are derived at once (drafts both of them, as one side is).
    denial = site.editor.get(f"/contradictions/{last + 1}")
    assert denial.status_code == 200, denial.text
    assert DRAFT in (
        denial.json()["a"]["statement"]["slug"],
        denial.json()["b"]["statement"]["slug"],
    )
    # Not found, in the same words as what never was: nothing says a draft is there.
    for path, detail in (
        (f"/statements/{DRAFT}", f"No statement with slug '{DRAFT}'."),
        (f"/statements/{DRAFT}/chains", f"No statement with slug '{DRAFT}'."),
        (f"/appearances/{appearance}", f"No appearance {appearance}."),
        (f"/contradictions/{last + 1}", f"No contradiction {last + 1}."),
    ):
        assert _problem(site.anonymous.get(path), 404)["detail"] == detail
        shown = site.editor.get(path)
        assert shown.status_code == 200, (path, shown.text)
    assert site.editor.get(f"/statements/{DRAFT}").json()["status"] == "proposed"
    for path, answer in before.items():
        again = site.anonymous.get(path)
        assert (again.status_code, again.content) == (answer.status_code, answer.content), path
    assert appearance not in _hits(site.anonymous)
    assert appearance in _hits(site.editor)


def test_asking_a_list_for_drafts_needs_a_key(site: Site) -> None:
    _draft(site)
    for path in (
        "/statements?review=proposed",
        f"/claims/{CEASEFIRE}/statements?review=all",
        f"/claims/{CEASEFIRE}/timeline?review=proposed",
        "/actors/us-source/statements?review=proposed",
        "/statements.csv?review=all",
        "/statements.ndjson?review=proposed",
    ):
        problem = _problem(site.anonymous.get(path), 401)
        assert "review=" in problem["detail"] and "API key" in problem["detail"], problem
        assert site.anonymous.get(path).headers["www-authenticate"].startswith("Bearer")
        shown = site.editor.get(path)
        assert shown.status_code == 200, (path, shown.text)
        assert DRAFT in shown.text, path
        confirmed = site.anonymous.get(path.split("?")[0] + "?review=confirmed")
        assert confirmed.status_code == 200 and DRAFT not in confirmed.text, path
    none = site.editor.get("/statements?review=rejected")
    assert none.status_code == 200 and DRAFT not in none.text


def test_a_confirmed_statement_shows_its_confirmed_reports_without_a_key(site: Site) -> None:
    path = f"/statements/{PESKOV}"
    denial = next(
        c["id"]
        for c in site.anonymous.get(f"/claims/{CEASEFIRE}/contradictions?limit=500").json()["items"]
        if c["b"]["statement"]["slug"] == PESKOV
    )
    before = {p: site.anonymous.get(p).content for p in (path, f"/contradictions/{denial}")}
    added = site.editor.post(
        f"{path}/appearances",
        json={"source": INDIA_TV, "quote": QUOTE, "mode": "indirect", "status": "proposed"},
    )
    assert added.status_code == 201, added.text
    new = added.json()["id"]
    assert added.json()["status"] == "proposed"
    for p, body in before.items():
        assert site.anonymous.get(p).content == body, p
    _problem(site.anonymous.get(f"/appearances/{new}"), 404)
    assert site.editor.get(f"/appearances/{new}").status_code == 200
    assert new in [a["id"] for a in site.editor.get(path).json()["appearances"]]
    sides = site.editor.get(f"/contradictions/{denial}").json()
    assert new in [a["id"] for a in sides["b"]["statement"]["appearances"]]


def test_a_proposed_contradiction_is_not_found_without_a_key(site: Site) -> None:
    made = site.editor.post(
        "/contradictions",
        json={
            "kind": "inconsistency",
            "a": "third-source-us-unwilling-to-pressure-ukraine",
            "b": "us-official-denies-backchannel-talks",
            "rationale": "They cannot both hold.",
            "status": "proposed",
        },
    )
    assert made.status_code == 201, made.text
    path = f"/contradictions/{made.json()['id']}"
    _problem(site.anonymous.get(path), 404)
    assert site.editor.get(path).json()["status"] == "proposed"
    confirmed = site.editor.patch(
        path, json={"status": "confirmed"}, headers={"If-Match": made.headers["etag"]}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert site.anonymous.get(path).status_code == 200


def test_public_drafts_and_history_are_a_setting(databases: Databases) -> None:
    with site_with(databases, public_drafts=True, public_history=True) as site:
        appearance = _draft(site)
        shown = site.anonymous.get(f"/statements/{DRAFT}")
        assert shown.status_code == 200 and shown.json()["status"] == "proposed"
        assert site.anonymous.get(f"/appearances/{appearance}").status_code == 200
        listed = site.anonymous.get(f"/claims/{CEASEFIRE}/statements?review=proposed")
        assert listed.status_code == 200 and DRAFT in listed.text
        # Lists still show confirmed data unless asked.
        assert DRAFT not in site.anonymous.get(f"/claims/{CEASEFIRE}/statements").text
        assert appearance in _hits(site.anonymous)
        # The history is public, without the names of the keys: their roles.
        made = site.admin.post("/claims", json={"slug": "bridge-opens", "text": "It opens."})
        assert made.status_code == 201, made.text
        public = site.anonymous.get("/claims/bridge-opens/history")
        assert public.status_code == 200, public.text
        assert [c["who"] for c in public.json()["items"]] == ["an admin"]
        assert "the admin" not in public.text
        keyed = site.editor.get("/claims/bridge-opens/history").json()["items"]
        assert [c["who"] for c in keyed] == ["the admin"]
        # A bad key is refused still, rather than read as no key.
        bad = site.anonymous.get("/claims/bridge-opens/history", headers={"Authorization": "x"})
        _problem(bad, 401)


# -- the history ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", HISTORIES)
def test_the_history_needs_a_key(site: Site, path: str) -> None:
    edited = site.admin.patch(
        f"/claims/{CEASEFIRE}",
        json={"note": "Checked."},
        headers={"If-Match": etag(site.anonymous, f"/claims/{CEASEFIRE}")},
    )
    assert edited.status_code == 200, edited.text
    problem = _problem(site.anonymous.get(path), 401)
    assert "history" in problem["detail"] and "API key" in problem["detail"]
    for caller in (site.editor, site.admin):
        read = caller.get(path)
        assert read.status_code == 200, read.text
    if path.startswith("/claims"):
        assert [c["who"] for c in site.editor.get(path).json()["items"]] == [
            "sayso load",
            "the admin",
        ]


# -- one 401 --------------------------------------------------------------------------------------


def _refusal(response: httpx.Response) -> tuple[Any, ...]:
    problem = _problem(response, 401)
    return (problem["title"], problem["detail"], response.headers["www-authenticate"])


def test_every_bad_key_gets_the_same_401(site: Site) -> None:
    revoked = site.revoked.headers["authorization"]
    bad = {
        "unknown": "Bearer sayso_" + "A" * 43,
        "revoked": revoked,
        "malformed": revoked.removeprefix("Bearer "),
        "another scheme": "Basic " + revoked.removeprefix("Bearer "),
        "empty": "Bearer",
    }
    requests = [
        ("POST", "/claims"),
        ("PATCH", f"/claims/{CEASEFIRE}"),
        ("GET", f"/claims/{CEASEFIRE}/history"),
        ("GET", "/statements?review=proposed"),
        ("GET", f"/statements/{PESKOV}"),
        ("GET", "/search?q=ceasefire"),
    ]
    answers = {
        (name, method, path): _refusal(
            site.anonymous.request(method, path, json={}, headers={"Authorization": header})
        )
        for name, header in bad.items()
        for method, path in requests
    }
    assert len(set(answers.values())) == 1, answers
    title, detail, _ = next(iter(answers.values()))
    assert title == "Unauthorized"
    assert "unknown or revoked" in detail  # says what may be wrong, not which


def test_a_server_whose_reads_need_a_key_gives_the_same_401(databases: Databases) -> None:
    with site_with(databases, reads_need_key=True) as site:
        revoked = site.revoked.headers["authorization"]
        answers = {
            _refusal(site.anonymous.get(path, headers={"Authorization": header}))
            for header in ("Bearer sayso_" + "A" * 43, revoked, "Basic abc")
            for path in ("/claims", f"/claims/{CEASEFIRE}/history")
        }
        with site_with(databases) as other:
            answers.add(
                _refusal(
                    other.anonymous.post("/claims", json={}, headers={"Authorization": revoked})
                )
            )
        assert len(answers) == 1, answers
        # A key in use reads, and sees drafts and the history.
        assert site.editor.get(f"/claims/{CEASEFIRE}/history").status_code == 200
        assert site.editor.get("/statements?review=proposed").status_code == 200


# -- slugs of deleted objects ---------------------------------------------------------------------


def test_a_deleted_slug_stays_reserved_until_an_admin_purges_it(site: Site) -> None:
    path = "/claims/bridge-reopens"
    made = site.editor.post("/claims", json={"slug": "bridge-reopens", "text": "It reopens."})
    assert made.status_code == 201, made.text
    assert site.admin.delete(path, headers={"If-Match": made.headers["etag"]}).status_code == 204
    taken = site.editor.post("/claims", json={"slug": "bridge-reopens", "text": "Another."})
    detail = _problem(taken, 409)["detail"]
    assert "'bridge-reopens'" in detail and "purge" in detail and "admin" in detail
    # So a restore always finds its slug free.
    restored = site.admin.post(f"{path}/restore")
    assert restored.status_code == 200 and restored.json()["text"] == "It reopens."
    assert (
        site.admin.delete(path, headers={"If-Match": etag(site.anonymous, path)}).status_code == 204
    )
    # Purging is an admin's, and only of what is deleted.
    assert _problem(site.editor.post(f"{path}/purge"), 403)
    assert _problem(site.anonymous.post(f"{path}/purge"), 401)
    assert "not deleted" in _problem(site.admin.post(f"/claims/{CEASEFIRE}/purge"), 409)["detail"]
    _problem(site.admin.post("/claims/no-such-claim/purge"), 404)
    assert site.admin.post(f"{path}/purge").status_code == 204
    # The slug answers 404 now (no longer 410), cannot be restored, and is free.
    _problem(site.anonymous.get(path), 404)
    _problem(site.admin.post(f"{path}/restore"), 404)
    again = site.editor.post("/claims", json={"slug": "bridge-reopens", "text": "Another."})
    assert again.status_code == 201, again.text
    # The history keeps both objects under the slug, the purge recorded as a second deletion.
    history = site.editor.get(f"{path}/history").json()["items"]

    def purged(change: dict[str, Any]) -> Any:
        return next((f["after"] for f in change["fields"] if f["field"] == "purged"), None)

    actions = [(c["action"], purged(c)) for c in history]
    deletions = [c["id"] for c in history if c["action"] == "delete" and purged(c) is None]
    assert actions == [
        ("create", None),
        ("delete", None),
        ("restore", None),
        ("delete", None),
        ("delete", deletions[-1]),
        ("create", None),
    ]


def test_a_statement_deleted_with_its_source_is_purged_with_it(site: Site) -> None:
    # Peskov's denial is reported by India TV alone: deleting the source takes it along.
    source = f"/sources/{INDIA_TV}"
    assert (
        site.admin.delete(source, headers={"If-Match": etag(site.anonymous, source)}).status_code
        == 204
    )
    taken = site.editor.post(
        "/statements",
        json={
            "slug": PESKOV,
            "speaker": "dmitry-peskov",
            "claim": CEASEFIRE,
            "stance": "denies",
            "appearances": [{"source": INDIA_TV, "quote": QUOTE, "mode": "indirect"}],
        },
    )
    assert f"'{PESKOV}'" in _problem(taken, 409)["detail"]
    went = _problem(site.admin.post(f"/statements/{PESKOV}/purge"), 409)["detail"]
    assert f"the source '{INDIA_TV}'" in went
    assert site.admin.post(f"{source}/purge").status_code == 204
    _problem(site.anonymous.get(f"/statements/{PESKOV}"), 404)


def test_an_ingest_may_not_take_a_deleted_slug(site: Site) -> None:
    assert site.editor.post("/ingest", json=story()).status_code == 201
    path = "/claims/bridge-reopens-in-may"
    statements = ("silva-bridge-may", "contractor-denies-bridge-may")
    for slug in statements:
        deleted = site.admin.delete(
            f"/statements/{slug}", headers={"If-Match": etag(site.editor, f"/statements/{slug}")}
        )
        assert deleted.status_code == 204, deleted.text
    assert (
        site.admin.delete(path, headers={"If-Match": etag(site.anonymous, path)}).status_code == 204
    )
    again = story()
    again["source"]["slug"] = "wire-bridge-again"
    refused = _problem(site.editor.post("/ingest", json=again), 422)
    fields = {e["field"]: e["message"] for e in refused["errors"]}
    assert "belongs to a deleted claim" in fields["claims[0].slug"], fields
    assert "belongs to a deleted statement" in fields["statements[0].slug"], fields

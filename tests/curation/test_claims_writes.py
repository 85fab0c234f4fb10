"""Editing claims over HTTP: who may, If-Match, history, delete and restore, merge."""

import httpx
import pytest
from sites import Site, api_changes, changed, etag, served_site, site  # noqa: F401 (fixtures)

CEASEFIRE = "putin-signalled-ceasefire-2023"
REJECTED = "us-rejected-putin-ceasefire"
NEW = {"slug": "bridge-reopens-in-may", "text": "The bridge reopens in May."}


def _problem(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return str(response.json()["detail"])


def test_a_new_claims_positions_are_none_yet(site: Site) -> None:
    assert site.editor.post("/claims", json=NEW).status_code == 201
    claim = {"slug": NEW["slug"], "text": NEW["text"]}
    one = site.anonymous.get(f"/claims/{NEW['slug']}/positions")
    assert one.json() == {"claim": claim, "positions": []}
    several = site.anonymous.get("/positions", params={"claim": [NEW["slug"], CEASEFIRE]})
    blocks = several.json()["claims"]
    assert blocks[0] == {"claim": claim, "positions": []}
    assert blocks[1]["claim"]["slug"] == CEASEFIRE and blocks[1]["positions"]


def test_an_editor_adds_a_claim_and_it_is_in_the_history(site: Site) -> None:
    created = site.editor.post("/claims", json=NEW)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/claims/bridge-reopens-in-may"
    assert created.json()["text"] == NEW["text"]
    assert created.headers["etag"].startswith('"1.')
    assert site.anonymous.get("/claims/bridge-reopens-in-may").json()["version"] == 1
    history = site.editor.get("/claims/bridge-reopens-in-may/history").json()["items"]
    assert [(c["action"], c["who"]) for c in history] == [("create", "an editor")]
    assert changed(history[0])["text"] == (None, NEW["text"])
    assert all(f["before"] is None for f in history[0]["fields"])


@pytest.mark.parametrize("caller", ["anonymous", "revoked"])
def test_no_key_or_a_revoked_one_writes_nothing(site: Site, caller: str) -> None:
    client: httpx.Client = getattr(site, caller)
    response = client.post("/claims", json=NEW)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert site.anonymous.get(f"/claims/{NEW['slug']}").status_code == 404
    response = client.patch(
        f"/claims/{CEASEFIRE}",
        json={"note": "x"},
        headers={"If-Match": etag(client, f"/claims/{CEASEFIRE}")},
    )
    assert response.status_code == 401
    assert site.anonymous.get(f"/claims/{CEASEFIRE}").json()["version"] == 1


def test_an_unknown_key_is_401(site: Site) -> None:
    response = site.anonymous.post(
        "/claims", json=NEW, headers={"Authorization": "Bearer sayso_not-a-key"}
    )
    assert "unknown or revoked" in _problem(response, 401)
    response = site.anonymous.post("/claims", json=NEW, headers={"Authorization": "Basic abc"})
    assert "Bearer" in _problem(response, 401)


def test_an_edit_needs_the_current_etag(site: Site) -> None:
    path = f"/claims/{CEASEFIRE}"
    assert "If-Match" in _problem(site.editor.patch(path, json={"note": "n"}), 428)
    first = etag(site.anonymous, path)
    edited = site.editor.patch(path, json={"note": "first"}, headers={"If-Match": first})
    assert edited.status_code == 200, edited.text
    assert edited.json()["note"] == "first"
    assert edited.json()["version"] == 2
    # The same ETag again is stale now: refused, and nothing written.
    stale = site.editor.patch(path, json={"note": "second"}, headers={"If-Match": first})
    assert "version 1, now 2" in _problem(stale, 412)
    assert site.anonymous.get(path).json()["note"] == "first"
    history = api_changes(site.editor.get(f"{path}/history").json()["items"])
    assert [c["action"] for c in history] == ["update"]
    # The edit alone: the note, not the fields it left as they were.
    assert list(changed(history[0])) == ["note"]
    assert changed(history[0])["note"][0] != "first"
    assert changed(history[0])["note"][1] == "first"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "Not A Slug", "text": "x"}, "slug"),
        ({"slug": "ok-slug", "text": ""}, "text"),
        ({"slug": "ok-slug", "text": 42}, "text"),
        ({"slug": "ok-slug", "text": "x", "colour": "red"}, "colour"),
        ({"slug": "ok-slug"}, "text"),
    ],
)
def test_bad_claims_are_422_naming_the_field(
    site: Site, body: dict[str, object], field: str
) -> None:
    response = site.editor.post("/claims", json=body)
    _problem(response, 422)
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert site.anonymous.get("/claims/ok-slug").status_code == 404


def test_an_empty_or_null_update_is_422(site: Site) -> None:
    path = f"/claims/{CEASEFIRE}"
    tag = etag(site.anonymous, path)
    assert "nothing to change" in _problem(
        site.editor.patch(path, json={}, headers={"If-Match": tag}), 422
    )
    assert "cannot be null" in _problem(
        site.editor.patch(path, json={"text": None}, headers={"If-Match": tag}), 422
    )


def test_a_taken_slug_is_409(site: Site) -> None:
    response = site.editor.post("/claims", json={"slug": CEASEFIRE, "text": "Again."})
    assert "exists already" in _problem(response, 409)


def test_an_oversized_body_is_413_and_writes_nothing(served_site: Site) -> None:
    # Over a real socket: the server answers before it has read the body.
    response = served_site.editor.post("/claims", json={**NEW, "text": "x" * 6_000_000})
    _problem(response, 413)
    assert served_site.anonymous.get(f"/claims/{NEW['slug']}").status_code == 404


def test_only_an_admin_deletes_and_a_deleted_claim_is_gone_until_restored(site: Site) -> None:
    site.editor.post("/claims", json=NEW)
    path = f"/claims/{NEW['slug']}"
    tag = etag(site.anonymous, path)
    assert "admin" in _problem(site.editor.delete(path, headers={"If-Match": tag}), 403)
    deleted = site.admin.delete(path, headers={"If-Match": tag})
    assert deleted.status_code == 204
    assert "restore" in _problem(site.anonymous.get(path), 410)
    assert not [
        c
        for c in site.anonymous.get("/claims?limit=500").json()["items"]
        if c["slug"] == NEW["slug"]
    ]
    history = site.editor.get(f"{path}/history").json()["items"]
    assert [c["action"] for c in history] == ["create", "delete"]
    assert changed(history[1])["text"] == (NEW["text"], None)
    assert _problem(site.editor.post(f"{path}/restore"), 403)
    restored = site.admin.post(f"{path}/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json()["text"] == NEW["text"]
    assert site.anonymous.get(path).status_code == 200
    assert [c["action"] for c in site.editor.get(f"{path}/history").json()["items"]] == [
        "create",
        "delete",
        "restore",
    ]


def test_a_claim_with_statements_cannot_be_deleted(site: Site) -> None:
    path = f"/claims/{CEASEFIRE}"
    response = site.admin.delete(path, headers={"If-Match": etag(site.anonymous, path)})
    assert "merge" in _problem(response, 409)
    assert site.anonymous.get(path).status_code == 200


def test_a_merged_claim_redirects_and_its_statements_move(site: Site) -> None:
    moved = {
        s["slug"]
        for s in site.anonymous.get(f"/claims/{REJECTED}/statements?limit=500").json()["items"]
    }
    kept = {
        s["slug"]
        for s in site.anonymous.get(f"/claims/{CEASEFIRE}/statements?limit=500").json()["items"]
    }
    assert moved and kept
    tag = etag(site.anonymous, f"/claims/{REJECTED}")
    merged = site.admin.post(
        f"/claims/{REJECTED}/merge", json={"into": CEASEFIRE}, headers={"If-Match": tag}
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["slug"] == CEASEFIRE
    now = {
        s["slug"]
        for s in site.anonymous.get(f"/claims/{CEASEFIRE}/statements?limit=500").json()["items"]
    }
    assert now == moved | kept
    old = site.anonymous.get(f"/claims/{REJECTED}/statements", params={"stance": "asserts"})
    assert old.status_code == 308
    assert old.headers["location"].endswith(f"/claims/{CEASEFIRE}/statements?stance=asserts")
    followed = site.anonymous.get(f"/claims/{REJECTED}", follow_redirects=True)
    assert followed.json()["slug"] == CEASEFIRE
    filtered = site.anonymous.get("/statements", params={"claim": REJECTED})
    assert filtered.status_code == 308
    assert f"claim={CEASEFIRE}" in filtered.headers["location"]
    several = site.anonymous.get("/positions", params={"claim": [CEASEFIRE, REJECTED]})
    assert several.status_code == 308
    assert several.headers["location"].endswith(f"/positions?claim={CEASEFIRE}&claim={CEASEFIRE}")
    # The history of the claim merged into shows the merge, and the merged claim's own past.
    history = site.editor.get(f"/claims/{CEASEFIRE}/history").json()["items"]
    assert {(c["action"], c["object_slug"]) for c in history} == {
        ("create", REJECTED),  # the seed's load, of each
        ("create", CEASEFIRE),
        ("merge", REJECTED),
        ("merge", CEASEFIRE),
    }
    # Merging back into the claim it went into is merging it into itself.
    tag = etag(site.anonymous, f"/claims/{CEASEFIRE}")
    cycle = site.admin.post(
        f"/claims/{CEASEFIRE}/merge", json={"into": REJECTED}, headers={"If-Match": tag}
    )
    assert "itself" in _problem(cycle, 422)
    assert cycle.json()["title"] == "Invalid request"
    assert [e["field"] for e in cycle.json()["errors"]] == ["into"]
    assert site.anonymous.get(f"/claims/{CEASEFIRE}").json()["version"] == 1


def test_a_merge_needs_an_admin_and_the_current_etag(site: Site) -> None:
    path = f"/claims/{REJECTED}"
    tag = etag(site.anonymous, path)
    _problem(
        site.editor.post(f"{path}/merge", json={"into": CEASEFIRE}, headers={"If-Match": tag}), 403
    )
    _problem(site.admin.post(f"{path}/merge", json={"into": CEASEFIRE}), 428)
    _problem(
        site.admin.post(f"{path}/merge", json={"into": "no-such-claim"}, headers={"If-Match": tag}),
        404,
    )
    assert site.anonymous.get(path).status_code == 200


def test_a_deleted_claims_id_is_never_given_again_so_it_can_be_restored(site: Site) -> None:
    # The newest row deleted, then a new one made: SQLite would give it the same id.
    site.editor.post("/claims", json=NEW)
    path = f"/claims/{NEW['slug']}"
    deleted_id = site.editor.get(f"{path}/history").json()["items"][0]["object_id"]
    assert (
        site.admin.delete(path, headers={"If-Match": etag(site.anonymous, path)}).status_code == 204
    )
    other = {"slug": "another-new-claim", "text": "Another new claim."}
    assert site.editor.post("/claims", json=other).status_code == 201
    new_id = site.editor.get("/claims/another-new-claim/history").json()["items"][0]["object_id"]
    assert new_id > deleted_id
    assert site.admin.post(f"{path}/restore").status_code == 200
    assert site.anonymous.get(path).json()["text"] == NEW["text"]
    assert site.anonymous.get("/claims/another-new-claim").status_code == 200


def test_a_deleted_statements_reports_keep_their_ids_for_a_restore(site: Site) -> None:
    # Deleting a statement removes its reports and denials; new ones made meanwhile (a load of
    # a new document) take ids above them, and the restore puts every row back.
    slug = "peskov-denies-peace-proposals"
    path = f"/statements/{slug}"
    before = site.anonymous.get(path).json()
    assert (
        site.admin.delete(path, headers={"If-Match": etag(site.anonymous, path)}).status_code == 204
    )
    text = "Peskov said it was not true, the agency reported.\n"
    ingest = {
        "format": "sayso/1",
        "source": {"slug": "agency-peskov", "language": "en", "text": text},
        "statements": [
            {
                "slug": "peskov-not-true-agency",
                "speaker": "dmitry-peskov",
                "claim": CEASEFIRE,
                "stance": "denies",
                "appearances": [{"quote": "it was not true", "mode": "indirect"}],
            }
        ],
    }
    assert site.editor.post("/ingest", json=ingest).status_code == 201
    restored = site.admin.post(f"{path}/restore")
    assert restored.status_code == 200, restored.text
    after = site.anonymous.get(path).json()
    assert [a["id"] for a in after["appearances"]] == [a["id"] for a in before["appearances"]]
    assert after["appearances"] == before["appearances"]

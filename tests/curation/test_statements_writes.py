"""Editing statements, appearances and contradictions over HTTP: who may, If-Match, quotes
placed in the text as the loader places them, derived denials, review, history, delete and
restore."""

from typing import Any

import httpx
import pytest
from sites import Site, api_changes, changed, etag, site  # noqa: F401 (a fixture)

INDIA_TV = "indiatv-2024-02-14-putin-ceasefire-rejected"
DAN_TRI = "dantri-2024-putin-ceasefire-revealed"
CEASEFIRE = "putin-signalled-ceasefire-2023"
REJECTED = "us-rejected-putin-ceasefire"
PESKOV = "peskov-denies-peace-proposals"  # reported once, by India TV
KREMLIN = "kremlin-denies-putin-proposed-ceasefire"
SIGNALS = "three-sources-putin-sent-signals"  # asserts CEASEFIRE; in a misreport
NEW = "us-official-denies-rejection"
QUOTE = "Washington would not engage in talks that did not involve Ukraine"


def _problem(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return str(response.json()["detail"])


def _fields(response: httpx.Response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def _appearance(**given: Any) -> dict[str, Any]:
    return {"source": INDIA_TV, "quote": QUOTE, "mode": "indirect", **given}


def _statement(**given: Any) -> dict[str, Any]:
    return {
        "slug": NEW,
        "speaker": "us-source",
        "claim": REJECTED,
        "stance": "denies",
        "appearances": [_appearance(attribution="said")],
        **given,
    }


def _denials(site: Site, claim: str) -> set[tuple[str, str]]:
    found = site.anonymous.get(f"/claims/{claim}/contradictions?kind=denial&limit=500")
    assert found.status_code == 200, found.text
    return {
        (c["a"]["statement"]["slug"], c["b"]["statement"]["slug"]) for c in found.json()["items"]
    }


def _slugs(site: Site, path: str) -> set[str]:
    # Drafts are listed to a read with a key.
    found = (site.editor if "review=" in path else site.anonymous).get(path)
    assert found.status_code == 200, found.text
    return {s["slug"] for s in found.json()["items"]}


def _history(site: Site, path: str) -> list[tuple[str, str]]:
    found = site.editor.get(f"{path}/history")
    assert found.status_code == 200, found.text
    return [(c["action"], c["who"]) for c in api_changes(found.json()["items"])]


# -- statements ----------------------------------------------------------------------------------


def test_an_editor_adds_a_statement_placed_in_the_text(site: Site) -> None:
    text = site.anonymous.get(f"/sources/{INDIA_TV}/text").text
    created = site.editor.post("/statements", json=_statement(note="From the lead."))
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/statements/{NEW}"
    assert created.headers["etag"].startswith('"1.')
    body = created.json()
    assert (body["speaker"]["slug"], body["claim"]["slug"], body["stance"]) == (
        "us-source",
        REJECTED,
        "denies",
    )
    assert body["status"] == "confirmed"
    [appearance] = body["appearances"]
    span, said = appearance["span"], appearance["attribution"]
    assert text[span["start"] : span["end"]] == QUOTE
    # "said" occurs all over the text: the occurrence nearest the quote is the one taken.
    assert text[said["start"] : said["end"]] == "said"
    assert said["end"] == span["start"] - 1
    assert site.anonymous.get(f"/statements/{NEW}").json() == body
    assert _history(site, f"/statements/{NEW}") == [("create", "an editor")]
    assert _history(site, f"/appearances/{appearance['id']}") == [("create", "an editor")]
    assert NEW in _slugs(site, f"/claims/{REJECTED}/statements?stance=denies")


def test_a_new_denial_is_derived_from_its_stance(site: Site) -> None:
    before = _denials(site, REJECTED)
    assert not any(b == NEW for _, b in before)
    assert site.editor.post("/statements", json=_statement()).status_code == 201
    added = _denials(site, REJECTED) - before
    holders = {
        s["slug"]
        for s in site.anonymous.get(f"/claims/{REJECTED}/statements?limit=500").json()["items"]
        if s["stance"] in ("asserts", "confirms", "suggests")
    }
    assert holders and added == {(holder, NEW) for holder in holders}
    # Each denial found is in the history, as part of the editor's write.
    listed = site.anonymous.get(f"/claims/{REJECTED}/contradictions?kind=denial&limit=500")
    new = [c for c in listed.json()["items"] if c["b"]["statement"]["slug"] == NEW]
    for c in new:
        assert _history(site, f"/contradictions/{c['id']}") == [("create", "an editor")]
        one = site.anonymous.get(f"/contradictions/{c['id']}")
        assert one.status_code == 200 and one.json() == c
        assert one.headers["etag"].startswith('"1.')


def test_an_ambiguous_quote_is_placed_by_occurrence_or_after(site: Site) -> None:
    text = site.anonymous.get(f"/sources/{INDIA_TV}/text").text
    quote = "Russian President Vladimir Putin"
    # Every occurrence counts for `occurrence`, furniture too (as in the loader).
    every = [i for i in range(len(text)) if text.startswith(quote, i)]
    body = _statement(
        appearances=[
            _appearance(quote=quote, occurrence=3),
            _appearance(quote=quote, after="Kremlin's response"),
        ]
    )
    created = site.editor.post("/statements", json=body)
    assert created.status_code == 201, created.text
    starts = sorted(a["span"]["start"] for a in created.json()["appearances"])
    after = text.index("Kremlin's response")
    assert starts == sorted([every[2], min(i for i in every if i > after)])


@pytest.mark.parametrize(
    ("appearance", "field", "message"),
    [
        (_appearance(quote="Putin surrendered"), "appearances.0.quote", "is not in the document"),
        (_appearance(quote="Elon Musk"), "appearances.0.quote", "only in page furniture"),
        (
            _appearance(quote="Russian President Vladimir Putin"),
            "appearances.0.quote",
            "say which with 'occurrence' or 'after'",
        ),
        (_appearance(quote="ceasefire", occurrence=99), "appearances.0.quote", "occurrence 99"),
        (
            _appearance(quote="Advertisement", occurrence=1),
            "appearances.0.quote",
            "lies in page furniture",
        ),
        (_appearance(attribution="said Biden"), "appearances.0.attribution", "not in the article"),
        (_appearance(hedge="reportedly"), "appearances.0.hedge", "not in the article"),
        (_appearance(source="no-such-source"), "appearances.0.source", "does not exist"),
        (
            _appearance(source="reuters-2024-02-putin-ceasefire-rebuffed"),
            "appearances.0.source",
            "no text",
        ),
        (_appearance(status="rejected"), "appearances.0.status_reason", "needs a status_reason"),
    ],
)
def test_a_quote_the_text_does_not_hold_is_422_naming_the_field(
    site: Site, appearance: dict[str, Any], field: str, message: str
) -> None:
    # Proposed: a confirmed statement would need a confirmed appearance besides.
    body = _statement(appearances=[appearance], status="proposed")
    response = site.editor.post("/statements", json=body)
    assert message in _problem(response, 422)
    assert _fields(response) == [field]
    assert site.anonymous.get(f"/statements/{NEW}").status_code == 404


def test_every_wrong_field_is_named_at_once_and_nothing_is_written(site: Site) -> None:
    body = _statement(
        speaker="nobody",
        claim="no-such-claim",
        appearances=[_appearance(), _appearance(quote="Putin surrendered"), _appearance()],
    )
    response = site.editor.post("/statements", json=body)
    _problem(response, 422)
    assert _fields(response) == [
        "speaker",
        "claim",
        "appearances.1.quote",
        "appearances.2.quote",  # the same place as appearances.0
    ]
    assert site.anonymous.get(f"/statements/{NEW}").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"appearances": []}, "appearances"),
        ({"stance": "refutes"}, "stance"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"colour": "red"}, "colour"),
        ({"appearances": [_appearance(occurrence=1, after="Moscow")]}, "appearances.0.after"),
        ({"appearances": [_appearance(mode="paraphrase")]}, "appearances.0.mode"),
    ],
)
def test_a_malformed_statement_is_422_naming_the_field(
    site: Site, change: dict[str, Any], field: str
) -> None:
    response = site.editor.post("/statements", json=_statement(**change))
    _problem(response, 422)
    assert _fields(response) == [field]
    assert site.anonymous.get(f"/statements/{NEW}").status_code == 404


def test_a_taken_slug_is_409(site: Site) -> None:
    assert "exists already" in _problem(
        site.editor.post("/statements", json=_statement(slug=PESKOV)), 409
    )


@pytest.mark.parametrize("caller", ["anonymous", "revoked"])
def test_no_key_or_a_revoked_one_writes_nothing(site: Site, caller: str) -> None:
    client: httpx.Client = getattr(site, caller)
    assert client.post("/statements", json=_statement()).status_code == 401
    assert site.anonymous.get(f"/statements/{NEW}").status_code == 404
    tag = {"If-Match": etag(site.anonymous, f"/statements/{PESKOV}")}
    assert client.patch(f"/statements/{PESKOV}", json={"note": "x"}, headers=tag).status_code == 401
    assert client.delete(f"/statements/{PESKOV}", headers=tag).status_code == 401
    response = client.post(f"/statements/{PESKOV}/appearances", json=_appearance())
    assert response.status_code == 401
    response = client.post(
        "/contradictions",
        json={"kind": "inconsistency", "a": PESKOV, "b": NEW, "rationale": "x"},
    )
    assert response.status_code == 401
    assert site.anonymous.get(f"/statements/{PESKOV}").json()["version"] == 1
    assert _history(site, f"/statements/{PESKOV}") == []


def test_an_edit_needs_the_current_etag(site: Site) -> None:
    path = f"/statements/{PESKOV}"
    assert "If-Match" in _problem(site.editor.patch(path, json={"note": "n"}), 428)
    first = etag(site.anonymous, path)
    edited = site.editor.patch(path, json={"note": "first"}, headers={"If-Match": first})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["note"], edited.json()["version"]) == ("first", 2)
    stale = site.editor.patch(path, json={"note": "second"}, headers={"If-Match": first})
    assert "version 1, now 2" in _problem(stale, 412)
    assert _problem(site.admin.delete(path, headers={"If-Match": first}), 412)
    assert site.anonymous.get(path).json()["note"] == "first"
    history = api_changes(site.editor.get(f"{path}/history").json()["items"])
    assert [c["action"] for c in history] == ["update"]
    assert changed(history[0])["note"][0] != "first"
    assert changed(history[0])["note"][1] == "first"


def test_an_edit_names_what_it_refers_to_by_slug(site: Site) -> None:
    path = f"/statements/{PESKOV}"
    tag = {"If-Match": etag(site.anonymous, path)}
    bad = site.editor.patch(path, json={"speaker": "nobody", "recipient": "no-one"}, headers=tag)
    _problem(bad, 422)
    assert _fields(bad) == ["speaker", "recipient"]
    assert "cannot be null" in _problem(
        site.editor.patch(path, json={"claim": None}, headers=tag), 422
    )
    edited = site.editor.patch(
        path, json={"speaker": "kremlin", "recipient": "reuters", "via": "by phone"}, headers=tag
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["speaker"]["slug"], edited.json()["recipient"]["slug"]) == (
        "kremlin",
        "reuters",
    )
    tag = {"If-Match": edited.headers["etag"]}
    cleared = site.editor.patch(path, json={"recipient": None}, headers=tag)
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["recipient"] is None


def test_a_new_stance_or_claim_rederives_the_denials(site: Site) -> None:
    denied = {(a, b) for a, b in _denials(site, CEASEFIRE) if b == KREMLIN}
    assert denied
    path = f"/statements/{KREMLIN}"
    questioned = site.editor.patch(
        path, json={"stance": "questions"}, headers={"If-Match": etag(site.anonymous, path)}
    )
    assert questioned.status_code == 200, questioned.text
    assert not denied & _denials(site, CEASEFIRE)
    # Moved to another claim and denying again: its denials are around that claim now.
    moved = site.editor.patch(
        path,
        json={"stance": "denies", "claim": REJECTED},
        headers={"If-Match": questioned.headers["etag"]},
    )
    assert moved.status_code == 200, moved.text
    assert not any(b == KREMLIN for _, b in _denials(site, CEASEFIRE))
    assert any(b == KREMLIN for _, b in _denials(site, REJECTED))
    back = site.editor.patch(
        path, json={"claim": CEASEFIRE}, headers={"If-Match": moved.headers["etag"]}
    )
    assert back.status_code == 200, back.text
    assert {(a, b) for a, b in _denials(site, CEASEFIRE) if b == KREMLIN} == denied
    assert not any(b == KREMLIN for _, b in _denials(site, REJECTED))


def test_a_dropped_denial_is_in_the_history(site: Site) -> None:
    listed = site.anonymous.get(f"/claims/{CEASEFIRE}/contradictions?kind=denial&limit=500")
    ids = [c["id"] for c in listed.json()["items"] if c["b"]["statement"]["slug"] == PESKOV]
    assert ids
    path = f"/statements/{PESKOV}"
    edited = site.editor.patch(
        path, json={"stance": "questions"}, headers={"If-Match": etag(site.anonymous, path)}
    )
    assert edited.status_code == 200, edited.text
    for dropped in ids:
        assert _history(site, f"/contradictions/{dropped}") == [("delete", "an editor")]
        assert site.anonymous.get(f"/contradictions/{dropped}").status_code == 404


def test_the_review_workflow(site: Site) -> None:
    body = _statement(claim=CEASEFIRE, status="proposed")
    created = site.editor.post("/statements", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "proposed"
    # A proposed statement is hidden from reads unless asked for, and so is its denial.
    assert NEW not in _slugs(site, f"/claims/{CEASEFIRE}/statements?limit=500")
    assert NEW in _slugs(site, f"/claims/{CEASEFIRE}/statements?limit=500&review=proposed")
    assert not any(b == NEW for _, b in _denials(site, CEASEFIRE))
    path = f"/statements/{NEW}"
    tag = {"If-Match": created.headers["etag"]}
    response = site.editor.patch(path, json={"status": "rejected"}, headers=tag)
    assert "status_reason" in _problem(response, 422)
    assert _fields(response) == ["status_reason"]
    confirmed = site.editor.patch(path, json={"status": "confirmed"}, headers=tag)
    assert confirmed.status_code == 200, confirmed.text
    assert NEW in _slugs(site, f"/claims/{CEASEFIRE}/statements?limit=500")
    assert {a for a, b in _denials(site, CEASEFIRE) if b == NEW} == _holders(site)
    rejected = site.editor.patch(
        path,
        json={"status": "rejected", "status_reason": "Misread: the quote is about talks."},
        headers={"If-Match": confirmed.headers["etag"]},
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status_reason"] == "Misread: the quote is about talks."
    assert NEW not in _slugs(site, f"/claims/{CEASEFIRE}/statements?limit=500")
    assert NEW in _slugs(site, f"/claims/{CEASEFIRE}/statements?limit=500&review=rejected")
    assert not any(b == NEW for _, b in _denials(site, CEASEFIRE))
    assert [a for a, _ in _history(site, path)] == ["create", "update", "update"]


def _reports(site: Site, slug: str) -> dict[int, str]:
    """The statement's appearances as GET shows them to an editor (every one): {id: status}."""
    return {
        a["id"]: a["status"] for a in site.editor.get(f"/statements/{slug}").json()["appearances"]
    }


def _listed_reports(site: Site, slug: str) -> list[int] | None:
    """The appearances a default (confirmed) list shows with the statement; None if unlisted."""
    items = site.anonymous.get(f"/claims/{REJECTED}/statements?limit=500").json()["items"]
    return next(([a["id"] for a in s["appearances"]] for s in items if s["slug"] == slug), None)


def test_confirming_a_statement_confirms_its_proposed_reports(site: Site) -> None:
    body = _statement(status="proposed", appearances=[_appearance(status="proposed")])
    created = site.editor.post("/statements", json=body)
    assert created.status_code == 201, created.text
    [report] = _reports(site, NEW)
    assert _listed_reports(site, NEW) is None
    confirmed = site.editor.patch(
        f"/statements/{NEW}",
        json={"status": "confirmed"},
        headers={"If-Match": created.headers["etag"]},
    )
    assert confirmed.status_code == 200, confirmed.text
    # Shown with its report, which a person confirmed with it (the history says who).
    assert _reports(site, NEW) == {report: "confirmed"}
    assert _listed_reports(site, NEW) == [report]
    assert _history(site, f"/appearances/{report}") == [
        ("create", "an editor"),
        ("update", "an editor"),
    ]


def test_a_statement_with_every_report_rejected_is_not_confirmed(site: Site) -> None:
    rejected = _appearance(status="rejected", status_reason="Not this statement.")
    body = _statement(status="proposed", appearances=[rejected])
    created = site.editor.post("/statements", json=body)
    assert created.status_code == 201, created.text
    response = site.editor.patch(
        f"/statements/{NEW}",
        json={"status": "confirmed"},
        headers={"If-Match": created.headers["etag"]},
    )
    assert "no report to be confirmed by" in _problem(response, 409)
    assert site.editor.get(f"/statements/{NEW}").json()["status"] == "proposed"
    # Nor is a new statement confirmed without a confirmed report.
    body = _statement(slug=f"{NEW}-again", appearances=[_appearance(status="proposed")])
    again = site.editor.post("/statements", json=body)
    assert "confirmed appearance" in _problem(again, 422)
    assert _fields(again) == ["status"]


def test_a_confirmed_statements_last_confirmed_report_stays_confirmed(site: Site) -> None:
    [only] = _reports(site, PESKOV)
    added = site.editor.post(
        f"/statements/{PESKOV}/appearances",
        json=_appearance(quote="Kremlin denies claim", occurrence=2, status="proposed"),
    )
    assert added.status_code == 201, added.text
    other = added.json()["id"]
    path = f"/appearances/{only}"
    reject = {"status": "rejected", "status_reason": "Misplaced."}
    for change in (reject, {"status": "proposed"}):
        response = site.editor.patch(
            path, json=change, headers={"If-Match": etag(site.anonymous, path)}
        )
        assert "only confirmed report" in _problem(response, 409)
    deleted = site.admin.delete(path, headers={"If-Match": etag(site.anonymous, path)})
    assert "only confirmed report" in _problem(deleted, 409)
    assert _reports(site, PESKOV) == {only: "confirmed", other: "proposed"}
    # Once another report is confirmed, the first may go.
    confirmed = site.editor.patch(
        f"/appearances/{other}",
        json={"status": "confirmed"},
        headers={"If-Match": added.headers["etag"]},
    )
    assert confirmed.status_code == 200, confirmed.text
    response = site.editor.patch(
        path, json=reject, headers={"If-Match": etag(site.anonymous, path)}
    )
    assert response.status_code == 200, response.text


def _holders(site: Site) -> set[str]:
    items = site.anonymous.get(f"/claims/{CEASEFIRE}/statements?limit=500").json()["items"]
    return {s["slug"] for s in items if s["stance"] in ("asserts", "confirms", "suggests")}


def test_a_proposed_appearance_shows_only_when_asked(site: Site) -> None:
    added = site.editor.post(
        f"/statements/{PESKOV}/appearances",
        json=_appearance(quote="Kremlin denies claim", occurrence=2, status="proposed"),
    )
    assert added.status_code == 201, added.text
    new = added.json()["id"]

    def shown(review: str) -> set[int]:
        items = site.editor.get(f"/claims/{CEASEFIRE}/statements?limit=500&review={review}").json()[
            "items"
        ]
        return {a["id"] for s in items if s["slug"] == PESKOV for a in s["appearances"]}

    assert new not in shown("confirmed")
    assert new in shown("proposed")
    confirmed = site.editor.patch(
        f"/appearances/{new}",
        json={"status": "confirmed"},
        headers={"If-Match": added.headers["etag"]},
    )
    assert confirmed.status_code == 200, confirmed.text
    assert new in shown("confirmed")


def test_only_an_admin_deletes_and_a_restore_brings_everything_back(site: Site) -> None:
    path = f"/statements/{SIGNALS}"
    whole = site.anonymous.get(path).json()
    around = site.anonymous.get("/contradictions?limit=500").json()["items"]
    its = {c["id"] for c in around if SIGNALS in {c[s]["statement"]["slug"] for s in "ab"}}
    kinds = {c["kind"] for c in around if c["id"] in its}
    assert kinds >= {"denial", "misreport"}
    tag = {"If-Match": etag(site.anonymous, path)}
    assert "admin" in _problem(site.editor.delete(path, headers=tag), 403)
    assert "If-Match" in _problem(site.admin.delete(path), 428)
    assert site.admin.delete(path, headers=tag).status_code == 204
    assert "restore" in _problem(site.anonymous.get(path), 410)
    assert _problem(site.editor.patch(path, json={"note": "x"}, headers=tag), 410)
    # What went with it answers 410 too, naming the statement to restore; not one by one.
    for appearance in whole["appearances"]:
        gone = _problem(site.anonymous.get(f"/appearances/{appearance['id']}"), 410)
        assert f"with the statement '{SIGNALS}'" in gone
    for contradiction in its:
        assert SIGNALS in _problem(site.anonymous.get(f"/contradictions/{contradiction}"), 410)
    first = whole["appearances"][0]["id"]
    assert SIGNALS in _problem(site.admin.post(f"/appearances/{first}/restore"), 409)
    edit = site.editor.patch(f"/appearances/{first}", json={"note": "x"}, headers=tag)
    assert f"with the statement '{SIGNALS}'" in _problem(edit, 410)
    left = {c["id"] for c in site.anonymous.get("/contradictions?limit=500").json()["items"]}
    assert not its & left
    assert SIGNALS not in _slugs(site, f"/claims/{CEASEFIRE}/statements?limit=500")
    assert _problem(site.editor.post(f"{path}/restore"), 403)
    restored = site.admin.post(f"{path}/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json() == {**whole}
    back = {c["id"] for c in site.anonymous.get("/contradictions?limit=500").json()["items"]}
    assert its <= back
    for appearance in whole["appearances"]:
        assert site.anonymous.get(f"/appearances/{appearance['id']}").status_code == 200
    for contradiction in its:
        assert site.anonymous.get(f"/contradictions/{contradiction}").status_code == 200
    assert [a for a, _ in _history(site, path)] == ["delete", "restore"]
    deletion = api_changes(site.editor.get(f"{path}/history").json()["items"])[0]
    assert {"appearances", "contradictions"} <= deletion["also"].keys()
    assert changed(deletion)["claim"][0]["slug"] == CEASEFIRE
    assert "not deleted" in _problem(site.admin.post(f"{path}/restore"), 409)
    assert _problem(site.admin.post("/statements/no-such-statement/restore"), 404)


def test_a_statement_whose_partner_was_deleted_comes_back_after_it(site: Site) -> None:
    # Peskov's statement is in an inconsistency with the sources' proposed freeze.
    other = "three-sources-putin-proposed-freeze"
    for slug in (PESKOV, other):
        tag = {"If-Match": etag(site.anonymous, f"/statements/{slug}")}
        assert site.admin.delete(f"/statements/{slug}", headers=tag).status_code == 204
    # The inconsistency went with Peskov's statement, and names the other: that comes first.
    assert other in _problem(site.admin.post(f"/statements/{PESKOV}/restore"), 409)
    assert site.admin.post(f"/statements/{other}/restore").status_code == 200
    assert site.admin.post(f"/statements/{PESKOV}/restore").status_code == 200
    found = site.anonymous.get("/contradictions?kind=inconsistency&limit=500").json()["items"]
    assert any(
        {c["a"]["statement"]["slug"], c["b"]["statement"]["slug"]} == {PESKOV, other} for c in found
    )


# -- appearances ---------------------------------------------------------------------------------


def test_an_appearance_is_added_edited_deleted_and_restored(site: Site) -> None:
    text = site.anonymous.get(f"/sources/{DAN_TRI}/text").text
    quote = "the Kremlin sees no benefit in further contact"
    added = site.editor.post(
        f"/statements/{KREMLIN}/appearances",
        json={"source": DAN_TRI, "quote": quote, "mode": "indirect", "note": "Dan Tri too."},
    )
    assert added.status_code == 201, added.text
    new = added.json()
    path = f"/appearances/{new['id']}"
    assert added.headers["location"] == path
    assert new["statement"]["slug"] == KREMLIN and new["source"]["slug"] == DAN_TRI
    assert text[new["span"]["start"] : new["span"]["end"]] == quote
    got = site.anonymous.get(path)
    assert got.json() == new
    assert got.headers["etag"].startswith(added.headers["etag"][:-1])
    assert new["id"] in {
        a["id"] for a in site.anonymous.get(f"/statements/{KREMLIN}").json()["appearances"]
    }
    # The same place again is a conflict.
    again = site.editor.post(
        f"/statements/{KREMLIN}/appearances",
        json={"source": DAN_TRI, "quote": quote, "mode": "direct"},
    )
    assert "at that place" in _problem(again, 409)
    tag = {"If-Match": added.headers["etag"]}
    assert "If-Match" in _problem(site.editor.patch(path, json={"mode": "direct"}), 428)
    missing = site.editor.patch(path, json={"quote": "Putin surrendered"}, headers=tag)
    assert "is not in the document" in _problem(missing, 422)
    assert _fields(missing) == ["quote"]
    longer = "the Kremlin sees no benefit in further contact with the US on this issue"
    edited = site.editor.patch(path, json={"quote": longer, "mode": "direct"}, headers=tag)
    assert edited.status_code == 200, edited.text
    assert edited.json()["quote"] == longer and edited.json()["version"] == 2
    assert text[edited.json()["span"]["start"] : edited.json()["span"]["end"]] == longer
    assert "version 1, now 2" in _problem(
        site.editor.patch(path, json={"note": "x"}, headers=tag), 412
    )
    tag = {"If-Match": edited.headers["etag"]}
    assert "admin" in _problem(site.editor.delete(path, headers=tag), 403)
    assert site.admin.delete(path, headers=tag).status_code == 204
    assert "restore" in _problem(site.anonymous.get(path), 410)
    assert _problem(site.editor.post(f"{path}/restore"), 403)
    restored = site.admin.post(f"{path}/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json() == edited.json()
    assert [a for a, _ in _history(site, path)] == ["create", "update", "delete", "restore"]


def test_an_attribution_is_found_again_nearest_the_quote(site: Site) -> None:
    text = site.anonymous.get(f"/sources/{INDIA_TV}/text").text
    appearance = site.anonymous.get(f"/statements/{PESKOV}").json()["appearances"][0]
    path = f"/appearances/{appearance['id']}"
    tag = {"If-Match": etag(site.anonymous, path)}
    bad = site.editor.patch(
        path, json={"attribution": "said Biden", "hedge": "reportedly"}, headers=tag
    )
    _problem(bad, 422)
    assert _fields(bad) == ["attribution", "hedge"]
    edited = site.editor.patch(path, json={"attribution": "said", "hedge": None}, headers=tag)
    assert edited.status_code == 200, edited.text
    said = edited.json()["attribution"]
    assert text[said["start"] : said["end"]] == "said"
    assert said["end"] <= appearance["span"]["start"]
    assert edited.json()["span"] == appearance["span"]


def test_a_statements_last_appearance_cannot_be_deleted(site: Site) -> None:
    [appearance] = site.anonymous.get(f"/statements/{PESKOV}").json()["appearances"]
    path = f"/appearances/{appearance['id']}"
    response = site.admin.delete(path, headers={"If-Match": etag(site.anonymous, path)})
    assert "traceable" in _problem(response, 409)
    assert site.anonymous.get(path).status_code == 200


def test_an_unknown_appearance_is_404(site: Site) -> None:
    assert _problem(site.anonymous.get("/appearances/999999"), 404)
    assert _problem(site.admin.post("/appearances/999999/restore"), 404)
    response = site.editor.patch(
        "/appearances/999999", json={"note": "x"}, headers={"If-Match": '"1.ab"'}
    )
    assert _problem(response, 404)
    assert _problem(site.editor.get("/appearances/999999/history"), 404)


# -- contradictions ------------------------------------------------------------------------------


def _inconsistency(**given: Any) -> dict[str, Any]:
    return {
        "kind": "inconsistency",
        "a": "third-source-us-unwilling-to-pressure-ukraine",
        "b": "us-official-denies-backchannel-talks",
        "rationale": "They cannot both hold.",
        **given,
    }


def test_a_curated_contradiction_is_added_edited_deleted_and_restored(site: Site) -> None:
    created = site.editor.post("/contradictions", json=_inconsistency())
    assert created.status_code == 201, created.text
    new = created.json()
    path = f"/contradictions/{new['id']}"
    assert created.headers["location"] == path
    assert (new["kind"], new["status"], new["version"]) == ("inconsistency", "confirmed", 1)
    assert new["a"]["statement"]["slug"] == "third-source-us-unwilling-to-pressure-ukraine"
    assert site.anonymous.get(path).json() == new
    assert "records this already" in _problem(
        site.editor.post(
            "/contradictions",
            json=_inconsistency(a=new["b"]["statement"]["slug"], b=new["a"]["statement"]["slug"]),
        ),
        409,
    )
    tag = {"If-Match": created.headers["etag"]}
    assert _problem(site.editor.patch(path, json={"rationale": "x"}), 428)
    edited = site.editor.patch(path, json={"rationale": "Better."}, headers=tag)
    assert edited.status_code == 200, edited.text
    assert edited.json()["rationale"] == "Better."
    assert _problem(site.editor.patch(path, json={"rationale": "Stale."}, headers=tag), 412)
    tag = {"If-Match": edited.headers["etag"]}
    assert _problem(site.editor.delete(path, headers=tag), 403)
    assert site.admin.delete(path, headers=tag).status_code == 204
    assert _problem(site.anonymous.get(path), 410)
    restored = site.admin.post(f"{path}/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json() == edited.json()
    assert [a for a, _ in _history(site, path)] == ["create", "update", "delete", "restore"]


def test_a_misreport_names_two_appearances_of_one_statement(site: Site) -> None:
    statement = site.anonymous.get(f"/statements/{SIGNALS}").json()
    ids = [a["id"] for a in statement["appearances"]]
    assert len(ids) >= 3
    other = site.anonymous.get(f"/statements/{PESKOV}").json()["appearances"][0]["id"]
    body = {"kind": "misreport", "statement": SIGNALS, "rationale": "They disagree."}
    wrong = site.editor.post("/contradictions", json={**body, "a": ids[0], "b": other})
    assert "another statement" in _problem(wrong, 422)
    assert _fields(wrong) == ["b"]
    itself = site.editor.post("/contradictions", json={**body, "a": ids[0], "b": ids[0]})
    assert "itself" in _problem(itself, 422)
    slugs = site.editor.post("/contradictions", json={**body, "a": PESKOV, "b": ids[0]})
    assert _fields(slugs) == ["a"]
    created = site.editor.post(
        "/contradictions", json={**body, "a": ids[0], "b": ids[2], "status": "proposed"}
    )
    assert created.status_code == 201, created.text
    new = created.json()
    assert (new["a"]["appearance"]["id"], new["b"]["appearance"]["id"]) == (ids[0], ids[2])
    # Proposed: not listed until confirmed.
    listed = {c["id"] for c in site.anonymous.get("/contradictions?kind=misreport").json()["items"]}
    assert new["id"] not in listed
    path = f"/contradictions/{new['id']}"
    confirmed = site.editor.patch(
        path, json={"status": "confirmed"}, headers={"If-Match": created.headers["etag"]}
    )
    assert confirmed.status_code == 200, confirmed.text
    listed = {c["id"] for c in site.anonymous.get("/contradictions?kind=misreport").json()["items"]}
    assert new["id"] in listed


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (_inconsistency(b="third-source-us-unwilling-to-pressure-ukraine"), "b", "itself"),
        (_inconsistency(kind="denial"), "kind", "derived from stances"),
        (_inconsistency(b=PESKOV, a=KREMLIN), "b", "same claim"),
        (_inconsistency(b="no-such-statement"), "b", "does not exist"),
        (_inconsistency(a=5), "a", "slug"),
        (_inconsistency(rationale=""), "rationale", "at least 1"),
        (_inconsistency(status="rejected"), "status_reason", "needs a status_reason"),
        ({**_inconsistency(kind="misreport"), "statement": None}, "statement", "misreport"),
    ],
)
def test_a_contradiction_that_cannot_be_is_422(
    site: Site, body: dict[str, Any], field: str, message: str
) -> None:
    before = site.anonymous.get("/contradictions?limit=500").json()["items"]
    response = site.editor.post("/contradictions", json=body)
    assert message in _problem(response, 422)
    assert _fields(response) == [field]
    assert site.anonymous.get("/contradictions?limit=500").json()["items"] == before


def test_a_denial_is_rejected_not_deleted(site: Site) -> None:
    listed = site.anonymous.get(f"/claims/{CEASEFIRE}/contradictions?kind=denial").json()["items"]
    denial = listed[0]
    path = f"/contradictions/{denial['id']}"
    tag = {"If-Match": etag(site.anonymous, path)}
    assert "follows from the stances" in _problem(site.admin.delete(path, headers=tag), 409)
    rejected = site.editor.patch(
        path, json={"status": "rejected", "status_reason": "Different questions."}, headers=tag
    )
    assert rejected.status_code == 200, rejected.text
    left = site.anonymous.get(f"/claims/{CEASEFIRE}/contradictions?kind=denial").json()["items"]
    assert denial["id"] not in {c["id"] for c in left}
    # Re-deriving the denials keeps the review: the rejected denial is not found again.
    kremlin = f"/statements/{KREMLIN}"
    note = site.editor.patch(
        kremlin, json={"stance": "denies"}, headers={"If-Match": etag(site.anonymous, kremlin)}
    )
    assert note.status_code == 200, note.text
    assert site.editor.get(path).json()["status"] == "rejected"
    # Its denier turns to questioning and back: the rejection stands, the denial not found again.
    denier = f"/statements/{denial['b']['statement']['slug']}"
    for stance in ("questions", "denies"):
        turned = site.editor.patch(
            denier, json={"stance": stance}, headers={"If-Match": etag(site.anonymous, denier)}
        )
        assert turned.status_code == 200, turned.text
    again = site.anonymous.get(f"/claims/{CEASEFIRE}/contradictions?kind=denial").json()["items"]
    assert denial["id"] not in {c["id"] for c in again}
    pair = (denial["a"]["statement"]["slug"], denial["b"]["statement"]["slug"])
    assert pair not in {(c["a"]["statement"]["slug"], c["b"]["statement"]["slug"]) for c in again}
    kept = site.editor.get(path).json()
    assert (kept["status"], kept["status_reason"]) == ("rejected", "Different questions.")

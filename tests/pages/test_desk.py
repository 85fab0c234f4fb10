"""The review desk over HTTP without a browser: signing in and out, the session cookie's flags,
CSRF tokens, nothing changed by a GET, a revoked key's session stopped; and each action (confirm,
reject with a reason, correct, a stale form refused) seen afterwards through the JSON API and in
the object's history under the key's name."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from conftest import Databases, in_process
from db_copies import add_keys

from app.config import Settings
from app.db.engine import make_engine, session_scope
from app.main import create_app
from app.pages.sessions import COOKIE
from app.web.auth import revoke_key

INDIA_TV = "indiatv-2024-02-14-putin-ceasefire-rejected"
CEASEFIRE = "putin-signalled-ceasefire-2023"
REJECTED = "us-rejected-putin-ceasefire"
PESKOV = "peskov-denies-peace-proposals"  # confirmed, reported once, by India TV
QUOTE = "Washington would not engage in talks that did not involve Ukraine"
OTHER_QUOTE = "these negotiations failed after the US refused to indulge in discussions"
DRAFT = "us-source-denies-ceasefire-signal"
SECOND = "sources-say-talks-failed"


@dataclass
class Desk:
    db_url: str
    keys: dict[str, str]
    client: Callable[..., httpx.Client]
    editor: httpx.Client  # the JSON API with the editor's key
    anonymous: httpx.Client
    appearance: int  # a proposed report of PESKOV's confirmed statement


@pytest.fixture
def desk(databases: Databases) -> Iterator[Desk]:
    """A seeded database with keys and two proposed statements (DRAFT older than SECOND), and
    a proposed report of a confirmed statement; the app on it, in process."""
    template, keys = databases.template("keyed", add_keys, like=databases.seeded_template())
    db_url = databases.fresh(template)
    try:
        with in_process(create_app(Settings(database_url=db_url))) as client:
            editor = client(Authorization=f"Bearer {keys['editor']}")
            for slug, speaker, claim, quote in (
                (DRAFT, "us-source", CEASEFIRE, QUOTE),
                (SECOND, "three-russian-sources", REJECTED, OTHER_QUOTE),
            ):
                created = editor.post(
                    "/statements",
                    json={
                        "slug": slug,
                        "speaker": speaker,
                        "claim": claim,
                        "stance": "denies" if slug == DRAFT else "asserts",
                        "status": "proposed",
                        "appearances": [{"source": INDIA_TV, "quote": quote, "mode": "indirect"}],
                    },
                )
                assert created.status_code == 201, created.text
            added = editor.post(
                f"/statements/{PESKOV}/appearances",
                json={"source": INDIA_TV, "quote": QUOTE, "mode": "indirect", "status": "proposed"},
            )
            assert added.status_code == 201, added.text
            yield Desk(db_url, keys, client, editor, client(), int(added.json()["id"]))
    finally:
        databases.drop(db_url)


def sign_in(browser: httpx.Client, key: str, base: str = "") -> str:
    """Sign BROWSER in with KEY; the CSRF token of its session's forms."""
    form = browser.get(f"{base}/desk/sign-in")
    assert form.status_code == 200, form.text
    token = _field(form.text, "token")
    signed = browser.post(f"{base}/desk/sign-in", data={"token": token, "key": key})
    assert signed.status_code == 303, signed.text
    assert signed.headers["location"] == "/desk"
    queue = browser.get(f"{base}/desk")
    assert queue.status_code == 200, queue.text
    return _field(queue.text, "csrf")


def _field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert found is not None, name
    return found.group(1)


def _statement(desk: Desk, slug: str) -> dict[str, Any]:
    found = desk.editor.get(f"/statements/{slug}")
    assert found.status_code == 200, found.text
    result: dict[str, Any] = found.json()
    return result


def _post(browser: httpx.Client, path: str, **fields: object) -> httpx.Response:
    return browser.post(path, data={k: str(v) for k, v in fields.items()})


# -- sessions -----------------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_strict_and_holds_no_key(desk: Desk) -> None:
    browser = desk.client()
    form = browser.get("/desk/sign-in")
    signed = browser.post(
        "/desk/sign-in", data={"token": _field(form.text, "token"), "key": desk.keys["editor"]}
    )
    assert signed.status_code == 303
    cookie = next(c for c in signed.headers.get_list("set-cookie") if c.startswith(COOKIE + "="))
    flags = [f.strip().lower() for f in cookie.split(";")]
    assert "httponly" in flags and "samesite=strict" in flags and "path=/desk" in flags
    # Over plain HTTP the cookie could not be sent back if it were Secure.
    assert "secure" not in flags
    assert desk.keys["editor"] not in cookie
    assert desk.keys["editor"] not in signed.headers["location"]


def test_over_https_the_session_cookie_is_secure(desk: Desk) -> None:
    browser = desk.client()
    base = "https://testserver"
    form = browser.get(f"{base}/desk/sign-in")
    signed = browser.post(
        f"{base}/desk/sign-in",
        data={"token": _field(form.text, "token"), "key": desk.keys["editor"]},
    )
    assert signed.status_code == 303, signed.text
    cookie = next(c for c in signed.headers.get_list("set-cookie") if c.startswith(COOKIE + "="))
    assert "secure" in [f.strip().lower() for f in cookie.split(";")]
    assert browser.get(f"{base}/desk").status_code == 200


@pytest.mark.parametrize("key", ["revoked", "unknown", ""])
def test_a_key_that_is_not_valid_signs_nobody_in(desk: Desk, key: str) -> None:
    browser = desk.client()
    form = browser.get("/desk/sign-in")
    given = desk.keys.get(key, "sayso_not-a-key" if key else "")
    refused = browser.post(
        "/desk/sign-in", data={"token": _field(form.text, "token"), "key": given}
    )
    assert refused.status_code == 401
    assert "not valid" in refused.text
    assert COOKIE + "=" not in " ".join(refused.headers.get_list("set-cookie"))
    assert browser.get("/desk").status_code == 303


def test_a_sign_in_posted_without_its_form_token_is_refused(desk: Desk) -> None:
    browser = desk.client()
    refused = browser.post("/desk/sign-in", data={"key": desk.keys["editor"]})
    assert refused.status_code == 403
    assert browser.get("/desk").headers["location"] == "/desk/sign-in"


def test_the_desk_needs_a_session(desk: Desk) -> None:
    answer = desk.client().get("/desk")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/desk/sign-in"
    refused = _post(desk.client(), f"/desk/statements/{DRAFT}", action="confirm", version=1)
    assert refused.status_code == 401
    assert _statement(desk, DRAFT)["status"] == "proposed"


def test_a_form_without_the_sessions_csrf_token_is_refused(desk: Desk) -> None:
    browser = desk.client()
    sign_in(browser, desk.keys["editor"])
    other = sign_in(desk.client(), desk.keys["admin"])
    version = _statement(desk, DRAFT)["version"]
    for token in (None, "", other):
        fields = {"action": "confirm", "version": version}
        if token is not None:
            fields["csrf"] = token
        refused = _post(browser, f"/desk/statements/{DRAFT}", **fields)
        assert refused.status_code == 403, token
        assert "CSRF" in refused.text
    assert _statement(desk, DRAFT)["status"] == "proposed"
    assert len(desk.editor.get(f"/statements/{DRAFT}/history").json()["items"]) == 1


def test_a_get_changes_nothing(desk: Desk) -> None:
    browser = desk.client()
    csrf = sign_in(browser, desk.keys["editor"])
    before = desk.editor.get(f"/statements/{DRAFT}").content
    query = {"csrf": csrf, "action": "confirm", "version": 1}
    assert browser.get(f"/desk/statements/{DRAFT}", params=query).status_code == 200
    assert browser.get(f"/desk/appearances/{desk.appearance}", params=query).status_code in (
        404,
        405,
    )
    assert browser.get("/desk", params=query).status_code == 200
    assert desk.editor.get(f"/statements/{DRAFT}").content == before
    assert desk.editor.get(f"/appearances/{desk.appearance}").json()["status"] == "proposed"


def test_signing_out_ends_the_session(desk: Desk) -> None:
    browser = desk.client()
    csrf = sign_in(browser, desk.keys["editor"])
    sid = browser.cookies[COOKIE]
    out = _post(browser, "/desk/sign-out", csrf=csrf)
    assert out.status_code == 303
    assert out.headers["location"] == "/desk/sign-in"
    # The same cookie, sent again (a copy kept elsewhere), opens nothing.
    replay = desk.client()
    replay.cookies.set(COOKIE, sid, path="/desk")
    assert replay.get("/desk").status_code == 303
    version = _statement(desk, DRAFT)["version"]
    refused = _post(
        replay, f"/desk/statements/{DRAFT}", csrf=csrf, action="confirm", version=version
    )
    assert refused.status_code == 401
    assert _statement(desk, DRAFT)["status"] == "proposed"


def test_a_revoked_keys_session_stops_working(desk: Desk) -> None:
    browser = desk.client()
    csrf = sign_in(browser, desk.keys["admin"])
    engine = make_engine(desk.db_url)
    try:
        with session_scope(engine) as session:
            assert revoke_key(session, "the admin")
    finally:
        engine.dispose()
    assert browser.get("/desk").status_code == 303
    version = _statement(desk, DRAFT)["version"]
    refused = _post(
        browser, f"/desk/statements/{DRAFT}", csrf=csrf, action="confirm", version=version
    )
    assert refused.status_code == 401
    assert _statement(desk, DRAFT)["status"] == "proposed"


# -- the queue and its actions ------------------------------------------------------------------


def test_the_queue_shows_drafts_oldest_first_in_their_sources_words(desk: Desk) -> None:
    browser = desk.client()
    sign_in(browser, desk.keys["editor"])
    page = browser.get("/desk").text
    assert page.index(f'id="s-{DRAFT}"') < page.index(f'id="s-{SECOND}"')
    # The quote, marked, between the words around it in India TV's text.
    assert f'<mark class="quote">{QUOTE}</mark>' in page
    assert "a US source denied there had been any official contact and said" in page
    # The confirmed statement is there for its proposed report, with that report's forms.
    assert f'action="/desk/appearances/{desk.appearance}"' in page
    # Choosers of the existing actors and claims.
    assert '<option value="dmitry-peskov">' in page
    assert f'<option value="{REJECTED}">' in page
    # The keys' script is sayso's own file; there is no inline script.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/desk.js" defer>']
    script = browser.get("/static/desk.js")
    assert script.status_code == 200 and "keydown" in script.text
    only = browser.get("/desk", params={"source": "no-such-source"})
    assert only.status_code == 404


def test_confirming_a_statement_publishes_it_under_the_keys_name(desk: Desk) -> None:
    browser = desk.client()
    csrf = sign_in(browser, desk.keys["editor"])
    assert desk.anonymous.get(f"/statements/{DRAFT}").status_code == 404
    version = _statement(desk, DRAFT)["version"]
    done = _post(browser, f"/desk/statements/{DRAFT}", csrf=csrf, action="confirm", version=version)
    assert done.status_code == 303, done.text
    assert done.headers["location"].startswith("/desk?done=confirmed")
    published = desk.anonymous.get(f"/statements/{DRAFT}")
    assert published.status_code == 200
    assert published.json()["status"] == "confirmed"
    assert published.json()["appearances"][0]["status"] == "confirmed"
    last = desk.editor.get(f"/statements/{DRAFT}/history").json()["items"][-1]
    assert last["who"] == "an editor"
    assert {"field": "status", "before": "proposed", "after": "confirmed"} in last["fields"]
    history = browser.get(f"/desk/statements/{DRAFT}").text
    assert '<strong class="who">an editor</strong> update' in history
    queue = browser.get(done.headers["location"]).text
    assert f"{DRAFT}: confirmed." in queue
    assert f'id="s-{DRAFT}"' not in queue


def test_rejecting_needs_a_reason_and_keeps_it(desk: Desk) -> None:
    browser = desk.client()
    csrf = sign_in(browser, desk.keys["editor"])
    version = _statement(desk, SECOND)["version"]
    path = f"/desk/statements/{SECOND}"
    empty = _post(browser, path, csrf=csrf, action="reject", reason="  ", version=version)
    assert empty.status_code == 422
    assert "needs a reason" in empty.text
    assert _statement(desk, SECOND)["status"] == "proposed"
    why = "Not what the article says."
    done = _post(browser, path, csrf=csrf, action="reject", reason=why, version=version)
    assert done.status_code == 303, done.text
    found = _statement(desk, SECOND)
    assert (found["status"], found["status_reason"]) == ("rejected", why)
    last = desk.editor.get(f"/statements/{SECOND}/history").json()["items"][-1]
    assert last["who"] == "an editor"
    assert {"field": "status_reason", "before": None, "after": why} in last["fields"]
    assert f'id="s-{SECOND}"' not in browser.get("/desk").text


def test_a_form_loaded_before_a_change_writes_nothing(desk: Desk) -> None:
    browser = desk.client()
    csrf = sign_in(browser, desk.keys["editor"])
    loaded = _statement(desk, DRAFT)
    moved = desk.editor.patch(
        f"/statements/{DRAFT}",
        json={"note": "Checked against the wire copy."},
        headers={"If-Match": desk.editor.get(f"/statements/{DRAFT}").headers["etag"]},
    )
    assert moved.status_code == 200, moved.text
    stale = _post(
        browser, f"/desk/statements/{DRAFT}", csrf=csrf, action="confirm", version=loaded["version"]
    )
    assert stale.status_code == 412
    assert "changed since you loaded it" in stale.text
    assert _statement(desk, DRAFT)["status"] == "proposed"


def test_correcting_the_speaker_stance_and_claim(desk: Desk) -> None:
    browser = desk.client()
    csrf = sign_in(browser, desk.keys["editor"])
    version = _statement(desk, DRAFT)["version"]
    done = _post(
        browser,
        f"/desk/statements/{DRAFT}",
        csrf=csrf,
        action="correct",
        version=version,
        speaker="dmitry-peskov",
        stance="questions",
        claim=REJECTED,
    )
    assert done.status_code == 303, done.text
    found = _statement(desk, DRAFT)
    assert found["speaker"]["slug"] == "dmitry-peskov"
    assert found["claim"]["slug"] == REJECTED
    assert (found["stance"], found["status"]) == ("questions", "proposed")
    last = desk.editor.get(f"/statements/{DRAFT}/history").json()["items"][-1]
    assert last["who"] == "an editor"
    assert {f["field"] for f in last["fields"]} == {"speaker", "stance", "claim"}
    unknown = _post(
        browser,
        f"/desk/statements/{DRAFT}",
        csrf=csrf,
        action="correct",
        version=found["version"],
        speaker="no-such-actor",
    )
    assert unknown.status_code == 422
    assert "no-such-actor" in unknown.text
    assert _statement(desk, DRAFT)["speaker"]["slug"] == "dmitry-peskov"


def test_confirming_a_proposed_report(desk: Desk) -> None:
    browser = desk.client()
    csrf = sign_in(browser, desk.keys["editor"])
    path = f"/appearances/{desk.appearance}"
    version = desk.editor.get(path).json()["version"]
    done = _post(browser, f"/desk{path}", csrf=csrf, action="confirm", version=version)
    assert done.status_code == 303, done.text
    assert desk.anonymous.get(path).json()["status"] == "confirmed"
    last = desk.editor.get(f"{path}/history").json()["items"][-1]
    assert last["who"] == "an editor"


def test_desk_pages_are_kept_by_no_cache(desk: Desk) -> None:
    browser = desk.client()
    sign_in(browser, desk.keys["editor"])
    for path in ("/desk", f"/desk/statements/{DRAFT}", "/desk/sign-in"):
        answer = browser.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["cache-control"] == "no-store", path
        assert "script-src 'self'" in answer.headers["content-security-policy"]


def test_the_desk_works_when_every_read_needs_a_key(databases: Databases) -> None:
    template, keys = databases.template("keyed", add_keys, like=databases.seeded_template())
    db_url = databases.fresh(template)
    try:
        with in_process(create_app(Settings(database_url=db_url, reads_need_key=True))) as client:
            assert client().get("/browse/contradictions").status_code == 401
            browser = client()
            sign_in(browser, keys["editor"])
            assert "Review desk" in browser.get("/desk").text
    finally:
        databases.drop(db_url)


def test_an_admin_merges_a_claim_into_another(desk: Desk) -> None:
    path = f"/desk/claims/{REJECTED}/merge"
    editor = desk.client()
    editor_csrf = sign_in(editor, desk.keys["editor"])
    assert f'action="{path}"' not in editor.get("/desk").text
    admin = desk.client()
    csrf = sign_in(admin, desk.keys["admin"])
    assert f'action="{path}"' in admin.get("/desk").text
    version = desk.editor.get(f"/claims/{REJECTED}").json()["version"]
    refused = _post(editor, path, csrf=editor_csrf, version=version, into=CEASEFIRE)
    assert refused.status_code == 403
    assert desk.editor.get(f"/claims/{REJECTED}").status_code == 200
    done = _post(admin, path, csrf=csrf, version=version, into=CEASEFIRE)
    assert done.status_code == 303, done.text
    assert desk.anonymous.get(f"/claims/{REJECTED}").status_code == 308
    assert _statement(desk, SECOND)["claim"]["slug"] == CEASEFIRE
    last = desk.editor.get(f"/claims/{CEASEFIRE}/history").json()["items"][-1]
    assert last["who"] == "the admin"


def test_a_proposed_contradiction_is_reviewed_at_the_desk(desk: Desk) -> None:
    made = desk.editor.post(
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
    found = made.json()
    browser = desk.client()
    csrf = sign_in(browser, desk.keys["editor"])
    path = f"/desk/contradictions/{found['id']}"
    assert f'action="{path}"' in browser.get("/desk").text
    why = "The second is about another year."
    done = _post(browser, path, csrf=csrf, action="reject", reason=why, version=found["version"])
    assert done.status_code == 303, done.text
    now = desk.editor.get(f"/contradictions/{found['id']}").json()
    assert (now["status"], now["status_reason"]) == ("rejected", why)
    last = desk.editor.get(f"/contradictions/{found['id']}/history").json()["items"][-1]
    assert last["who"] == "an editor"
    assert f'action="{path}"' not in browser.get("/desk").text

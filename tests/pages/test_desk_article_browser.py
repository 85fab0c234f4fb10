"""The whole workflow of a new article, in a real Chromium (test_browser.py's), on a uvicorn of
its own on each database: an editor signs in, pastes an article of about 800 words (written for
this test: its town, outlets and people are made up) with its metadata, and sends it; sayso
drafts a dozen statements into the source's queue; the editor confirms most with the keyboard,
corrects one statement's claim, rejects one with a reason, confirms the rest at once, and signs
out. The JSON API then answers with the confirmed data and not the rejected. The form and the
source's queue pass the axe check. The walk's clicks,
key presses and fields are counted, printed, and held under a bound. On the way, the same form
posted without its CSRF token is refused and writes nothing."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
import pytest
from conftest import Databases, serving
from db_copies import add_keys
from test_browser import chromium  # noqa: F401 (a fixture)
from test_desk_articles import ARTICLE, META, SOURCE

from app.config import Settings
from app.main import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# The moves the walk may take: the issue asks for about two minutes of clicks and keys.
MOST_MOVES = 60
REJECT_REASON = "Background, not a claim about the plan."
SERIOUS = ("serious", "critical")
HARBOUR_MASTER = "the-eastern-pier-was-too-shallow-for-the-larger-ferries-in-winter"


@dataclass
class Moves:
    """The editor's moves, counted: clicks, key presses, and fields filled (a pasted text is
    one field; the characters typed in fields are counted apart)."""

    page: "Page"
    clicks: int = 0
    keys: int = 0
    fields: int = 0
    typed: int = 0

    def click(self, selector: str) -> None:
        self.page.click(selector)
        self.clicks += 1

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.keys += 1

    def paste(self, selector: str, text: str) -> None:
        self.page.fill(selector, text)
        self.fields += 1

    def type(self, selector: str, text: str) -> None:
        self.page.fill(selector, text)
        self.fields += 1
        self.typed += len(text)

    @property
    def total(self) -> int:
        return self.clicks + self.keys + self.fields


@pytest.fixture
def article_site(databases: Databases) -> Iterator[tuple[str, dict[str, str]]]:
    """A server on a keyed copy of the seed: its URL, the keys."""
    template, keys = databases.template("keyed", add_keys, like=databases.seeded_template())
    db_url = databases.fresh(template)
    try:
        with serving(create_app(Settings(database_url=db_url))) as url:
            yield url, keys
    finally:
        databases.drop(db_url)


def _grave(page: "Page") -> list[str]:
    """axe-core's serious and critical findings on PAGE."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in found if v["impact"] in SERIOUS]


def _first(page: "Page") -> str:
    """The heading of the first statement in the queue ('' if the queue is empty)."""
    items = page.locator(".queue-item h2")
    return (items.first.text_content() or "").lower() if items.count() else ""


def test_an_editor_takes_an_article_from_text_to_confirmed_data(
    chromium: "Browser",  # noqa: F811 (the fixture)
    article_site: tuple[str, dict[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, keys = article_site
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    context.route(
        "**/*",
        lambda route, request: (
            route.continue_()
            if request.url.startswith(url + "/")
            else (foreign.append(request.url), route.abort())
        ),
    )
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    moves = Moves(page)
    api = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {keys['editor']}"})
    try:
        page.goto(url + "/desk")
        page.wait_for_url("**/desk/sign-in")
        moves.paste("#key", keys["editor"])
        moves.click("form.desk-form button")
        page.wait_for_url("**/desk")
        moves.click("text=Draft a new article")
        page.wait_for_url("**/desk/articles/new")
        assert _grave(page) == []

        # A forged post: the same form without its CSRF token is refused, nothing written.
        # (Not one of the editor's moves.)
        page.fill("#text", ARTICLE)
        page.locator('form.article-form input[name="csrf"]').evaluate("e => e.remove()")
        with page.expect_navigation():
            page.click("form.article-form button[type=submit]")
        assert "CSRF" in (page.text_content("main") or "")
        assert api.get(f"/sources/{SOURCE}").status_code == 404
        assert errors == [
            "Failed to load resource: the server responded with a status of 403 (Forbidden)"
        ]
        errors.clear()
        page.go_back()
        page.reload()

        # The article, pasted, and what is known of it.
        moves.paste("#text", ARTICLE)
        moves.type("#title", META["title"])
        moves.type("#outlet_name", META["outlet_name"])
        moves.paste("#url", META["url"])
        moves.type("#byline", META["byline"])
        moves.type("#language", META["language"])
        moves.type("#published", META["published"])
        with page.expect_navigation():
            moves.click("form.article-form button[type=submit]")
        page.wait_for_url(f"**/desk?source={SOURCE}*")
        drafted = page.locator(".queue-item").count()
        assert drafted == 12
        assert _grave(page) == []
        assert "Drafted 12 statement(s)" in (page.text_content("[role=status]") or "")

        # The review: each move acts on the queue's first statement (j puts it in view).
        corrected = rejected = False
        while heading := _first(page):
            left = page.locator(".queue-item").count()
            if "islanders had heard" in heading and not rejected:
                moves.press("j")
                moves.press("r")
                page.keyboard.type(REJECT_REASON)
                moves.fields += 1
                moves.typed += len(REJECT_REASON)
                with page.expect_navigation():
                    moves.press("Enter")
                rejected = True
            elif "harbour master" in heading and not corrected:
                item = page.locator(".queue-item").first
                item.locator("summary").click()
                moves.clicks += 1
                item.locator('input[name="claim"]').fill(HARBOUR_MASTER)
                moves.fields += 1
                moves.typed += len(HARBOUR_MASTER)
                with page.expect_navigation():
                    item.locator("form:has(input[name=claim]) button").click()
                moves.clicks += 1
                corrected = True
                assert "corrected" in (page.text_content("[role=status]") or "")
                continue
            elif left <= 4:
                with page.expect_navigation():
                    moves.click("form.confirm-all button")
                assert page.locator(".queue-item").count() == 0
                break
            else:
                moves.press("j")
                with page.expect_navigation():
                    moves.press("c")
            assert page.locator(".queue-item").count() == left - 1
        assert corrected and rejected
        moves.click("text=Sign out")
        page.wait_for_url("**/desk/sign-in")
        assert errors == [] and foreign == []
    finally:
        context.close()

    with capsys.disabled():
        print(
            f"\nnew-article walk ({drafted} drafted statements): {moves.total} moves = "
            f"{moves.clicks} clicks + {moves.keys} key presses + {moves.fields} fields filled "
            f"({moves.typed} characters typed; the article and the key pasted)"
        )
    assert moves.total <= MOST_MOVES

    # The JSON API answers with the confirmed data, and not the rejected.
    with httpx.Client(base_url=url) as anonymous:
        found = anonymous.get("/statements", params={"source": SOURCE, "limit": 50})
        assert found.status_code == 200, found.text
        items = found.json()["items"]
        assert len(items) == 11
        assert {s["status"] for s in items} == {"confirmed"}
        assert all(a["status"] == "confirmed" for s in items for a in s["appearances"])
        assert not any("islanders" in a["quote"] for s in items for a in s["appearances"])
        on_pier = anonymous.get("/statements", params={"claim": HARBOUR_MASTER}).json()["items"]
        assert {(s["speaker"]["slug"], s["stance"]) for s in on_pier} == {
            ("jonas-ek", "asserts"),
            ("henrik-dahl", "denies"),
        }
        claim = anonymous.get(f"/claims/{HARBOUR_MASTER}")
        assert claim.status_code == 200, claim.text
        positions = anonymous.get(f"/claims/{HARBOUR_MASTER}/positions").json()["positions"]
        assert {p["stance"] for p in positions} >= {"asserts", "denies"}
        denials = anonymous.get("/statements", params={"source": SOURCE, "stance": "denies"})
        assert len(denials.json()["items"]) >= 3
    drafts = api.get("/statements", params={"source": SOURCE, "review": "all", "limit": 50})
    gone = [s for s in drafts.json()["items"] if s["status"] == "rejected"]
    assert [(s["speaker"]["slug"], s["status_reason"]) for s in gone] == [
        ("agnes-lind", REJECT_REASON)
    ]
    history = api.get(f"/statements/{gone[0]['slug']}/history").json()["items"]
    assert history[-1]["who"] == "an editor"
    api.close()

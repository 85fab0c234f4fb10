"""The review desk in a real Chromium (test_browser.py's), on a uvicorn of its own serving a
database the walk may write to: an editor signs in, confirms one draft with the keyboard, rejects
another with a reason, signs out (the keys j, k, c and r); the JSON API then answers with both.
The desk's page passes the axe check too."""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest
from conftest import Databases, serving
from db_copies import add_keys
from test_browser import Tab, chromium  # noqa: F401 (a fixture)
from test_desk import CEASEFIRE, DRAFT, INDIA_TV, OTHER_QUOTE, QUOTE, REJECTED, SECOND

from app.config import Settings
from app.main import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture
def desk_site(databases: Databases) -> Iterator[tuple[str, dict[str, str]]]:
    """A server on a keyed copy of the seed holding two proposed statements: its URL, the keys."""
    template, keys = databases.template("keyed", add_keys, like=databases.seeded_template())
    db_url = databases.fresh(template)
    try:
        with serving(create_app(Settings(database_url=db_url))) as url:
            with httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {keys['editor']}"}
            ) as api:
                for slug, speaker, claim, quote in (
                    (DRAFT, "us-source", CEASEFIRE, QUOTE),
                    (SECOND, "three-russian-sources", REJECTED, OTHER_QUOTE),
                ):
                    created = api.post(
                        "/statements",
                        json={
                            "slug": slug,
                            "speaker": speaker,
                            "claim": claim,
                            "stance": "asserts",
                            "status": "proposed",
                            "appearances": [
                                {"source": INDIA_TV, "quote": quote, "mode": "indirect"}
                            ],
                        },
                    )
                    assert created.status_code == 201, created.text
            yield url, keys
    finally:
        databases.drop(db_url)


def test_an_editor_reviews_two_drafts_in_the_browser(
    chromium: "Browser",  # noqa: F811 (the fixture)
    desk_site: tuple[str, dict[str, str]],
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    url, keys = desk_site
    context = chromium.new_context()
    page = context.new_page()
    tab = Tab(page, url)
    page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: tab.errors.append(str(e)))
    try:
        page.goto(url + "/desk")
        page.wait_for_url("**/desk/sign-in")
        page.fill("#key", keys["editor"])
        page.click("form.desk-form button")
        page.wait_for_url("**/desk")
        assert page.locator(".queue-item").count() == 2
        violations = Axe().run(page).response["violations"]
        grave = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
        assert grave == []
        # The keyboard: j, j to the second item, k back to the first, c to confirm it.
        first = page.locator(".queue-item").first.get_attribute("id")
        page.keyboard.press("j")
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.id") != first
        page.keyboard.press("k")
        assert page.evaluate("document.activeElement.id") == first
        assert page.locator(".queue-item.current").get_attribute("id") == first
        page.keyboard.press("c")
        page.wait_for_url("**/desk?done=confirmed*")
        assert page.locator(".queue-item").count() == 1
        assert page.locator(".queue-item").first.get_attribute("id") != first
        # The other, rejected with a reason: r puts the cursor in its box.
        page.keyboard.press("j")
        page.keyboard.press("r")
        page.keyboard.type("Not in the article's words.")
        page.keyboard.press("Enter")
        page.wait_for_url("**/desk?done=rejected*")
        assert page.locator(".queue-item").count() == 0
        page.click("text=Sign out")
        page.wait_for_url("**/desk/sign-in")
        assert tab.errors == []
    finally:
        context.close()
    with httpx.Client(base_url=url) as anonymous:
        confirmed = anonymous.get(f"/statements/{DRAFT}")
        assert confirmed.status_code == 200
        assert confirmed.json()["status"] == "confirmed"
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {keys['admin']}"}) as api:
        rejected = api.get(f"/statements/{SECOND}").json()
        assert (rejected["status"], rejected["status_reason"]) == (
            "rejected",
            "Not in the article's words.",
        )
        history = api.get(f"/statements/{SECOND}/history").json()["items"]
        assert history[-1]["who"] == "an editor"

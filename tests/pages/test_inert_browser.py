"""Stored script is inert on every page, in a real Chromium (test_browser.py's), on each
database: markup that would run script (a script element, an image's onerror, an svg's onload,
an attribute broken out of) is stored in every text field - a claim's text, an actor's name, a
source's text around a quote, the notes, titles, descriptions - and every reader's page and
desk page that shows it is opened with the Content-Security-Policy turned off (so that only
escaping stands between the payload and the page): no dialog opens, the window property the
payload would set stays unset, no element of the payload is in the page, and its text shows."""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from conftest import Databases, serving
from db_copies import add_keys
from test_browser import chromium  # noqa: F401 (a fixture)

from app.config import Settings
from app.main import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Each would set window.sayso_xss, or add an element #sayso-injected, if it were markup.
PAYLOAD = (
    '<script>window.sayso_xss=1;alert(1)</script><img src=x onerror="window.sayso_xss=2">'
    '<svg onload="window.sayso_xss=3"></svg>"\'><b id="sayso-injected" '
    'onmouseover="window.sayso_xss=4">x</b>'
)
TEXT = f"Before. The minister said {PAYLOAD} was fine. After.\n"
QUOTE = f"{PAYLOAD} was fine"


def _bodies() -> list[tuple[str, dict[str, Any]]]:
    """The objects written through the JSON API, a payload in each of their text fields."""
    return [
        (
            "/actors",
            {
                "slug": "hostile-minister",
                "name": f"Minister {PAYLOAD}",
                "kind": "person",
                "description": PAYLOAD,
                "aliases": [f"Alias {PAYLOAD}"],
            },
        ),
        (
            "/actors",
            {"slug": "hostile-outlet", "name": f"Outlet {PAYLOAD}", "kind": "outlet"},
        ),
        ("/claims", {"slug": "hostile-claim", "text": f"Claim {PAYLOAD}", "note": PAYLOAD}),
        (
            "/sources",
            {
                "slug": "hostile-source",
                "title": f"Title {PAYLOAD}",
                "byline": PAYLOAD,
                "outlet": "hostile-outlet",
                "language": "en",
                "description": PAYLOAD,
                "text": TEXT,
            },
        ),
        *(
            (
                "/statements",
                {
                    "slug": slug,
                    "speaker": "hostile-minister",
                    "claim": "hostile-claim",
                    "stance": stance,
                    "status": status,
                    "context": PAYLOAD,
                    "via": PAYLOAD,
                    "note": f"Statement note {PAYLOAD}",
                    "appearances": [
                        {
                            "source": "hostile-source",
                            "quote": QUOTE,
                            "mode": "direct",
                            "attribution": "The minister said",
                            "note": f"Report note {PAYLOAD}",
                        }
                    ],
                },
            )
            for slug, stance, status in (
                ("hostile-statement", "asserts", "confirmed"),
                ("hostile-draft", "denies", "proposed"),
            )
        ),
    ]


@pytest.fixture
def hostile_site(databases: Databases) -> Iterator[tuple[str, dict[str, str]]]:
    template, keys = databases.template("keyed", add_keys, like=databases.seeded_template())
    db_url = databases.fresh(template)
    try:
        with serving(create_app(Settings(database_url=db_url))) as url:
            with httpx.Client(
                base_url=url, headers={"Authorization": f"Bearer {keys['editor']}"}
            ) as api:
                for path, body in _bodies():
                    created = api.post(path, json=body)
                    assert created.status_code == 201, created.text
            yield url, keys
    finally:
        databases.drop(db_url)


READERS = [
    "/",
    "/browse/actors/hostile-minister",
    "/browse/actors/hostile-outlet",
    "/browse/claims/hostile-claim",
    "/browse/sources/hostile-source",
    "/browse/statements/hostile-statement",
    "/browse/contradictions",
    "/browse/search?q=minister+script",
]
DESK = [
    "/desk",
    "/desk?source=hostile-source",
    "/desk?by=source",
    "/desk/statements/hostile-draft",
    "/desk/articles/new",
]


def test_stored_script_is_inert_on_every_page(
    chromium: "Browser",  # noqa: F811 (the fixture)
    hostile_site: tuple[str, dict[str, str]],
) -> None:
    url, keys = hostile_site
    # Without the page's Content-Security-Policy, which would stop an inline script by itself.
    context = chromium.new_context(bypass_csp=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(url + "/desk/sign-in")
        page.fill("#key", keys["editor"])
        page.click("form.desk-form button")
        page.wait_for_url("**/desk")
        shown_on = []
        for path in READERS + DESK:
            answer = page.goto(url + path, wait_until="load")
            assert answer is not None and answer.status == 200, path
            # Every element of the page is hovered over a payload could be on.
            for b in page.locator("b").all()[:50]:
                b.hover(timeout=2_000)
            assert page.evaluate("typeof window.sayso_xss") == "undefined", path
            assert page.locator("#sayso-injected").count() == 0, path
            assert page.locator("img[src=x], svg[onload], [onerror], [onmouseover]").count() == 0
            scripts = page.eval_on_selector_all("script", "els => els.map(e => e.src)")
            assert all(s.startswith(url + "/static/") for s in scripts), (path, scripts)
            if "window.sayso_xss=2" in (page.text_content("body") or ""):
                shown_on.append(path)
        assert dialogs == []
        # The payload is shown as text wherever its object is (the home and contradictions
        # pages may show other objects; a search's snippet cuts the text, and PostgreSQL's
        # drops what its parser takes for a tag).
        unshown = set(READERS + DESK) - set(shown_on)
        assert unshown <= {"/", "/browse/contradictions", READERS[-1]}, shown_on
    finally:
        context.close()

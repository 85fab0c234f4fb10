"""A new article on the review desk, over HTTP without a browser: pasted or uploaded with its
metadata, drafted by the extractor in its processes, written as proposed data and shown in its
source's queue; confirmed all at once; the extractor's notes shown; an empty draft explained and
stored only when asked; a form without its CSRF token, a text past the extractor's bound, and a
stale confirm-all each refused with the database as it was."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from conftest import Databases, in_process
from db_copies import add_keys
from sqlalchemy import Engine, text
from test_desk import INDIA_TV, sign_in

from app.config import Settings
from app.db.engine import make_engine
from app.main import create_app
from app.models import Base

ARTICLE = (Path(__file__).parent / "velmor_harbour.txt").read_text(encoding="utf-8")
SOURCE = "old-harbour-plan-divides-velmor-council"
FRENCH = (
    "Le maire de Velmor a déclaré mardi que le projet du vieux port créerait quatre cents "
    "logements d'ici 2029, mais l'opposition a affirmé que les familles ne pourraient pas "
    "payer ces loyers. La décision sera prise en mars, après un nouveau débat au conseil.\n"
)
META = {
    "title": "Old harbour plan divides Velmor council",
    "outlet_name": "Coastline Courier",
    "url": "https://courier.example/velmor-harbour",
    "byline": "By Lena Fisk",
    "language": "en",
    "published": "2026-11-24",
}


@dataclass
class Site:
    browser: httpx.Client  # signed in to the desk, with the session's cookie
    csrf: str
    api: httpx.Client  # the JSON API with the editor's key
    anonymous: httpx.Client
    engine: Engine


def make_site(databases: Databases, **settings: Any) -> Iterator[Site]:
    template, keys = databases.template("keyed", add_keys, like=databases.seeded_template())
    db_url = databases.fresh(template)
    try:
        app = create_app(Settings(database_url=db_url, **settings))
        engine = make_engine(db_url)
        with in_process(app) as client:
            browser = client()
            csrf = sign_in(browser, keys["editor"])
            editor = client(Authorization=f"Bearer {keys['editor']}")
            yield Site(browser, csrf, editor, client(), engine)
        engine.dispose()
    finally:
        databases.drop(db_url)


@pytest.fixture
def site(databases: Databases) -> Iterator[Site]:
    yield from make_site(databases)


def _snapshot(site: Site) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table."""
    with site.engine.connect() as conn:
        return {
            name: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {name}"))), key=repr)
            for name in Base.metadata.tables
        }


def _queue_items(page: str) -> list[str]:
    return re.findall(r'class="queue-item" id="s-([^"]+)"', page)


def _post_article(site: Site, **fields: str) -> httpx.Response:
    return site.browser.post(
        "/desk/articles",
        data={"csrf": site.csrf, **fields},
        files={"file": ("", b"", "application/octet-stream")},
    )


def test_a_pasted_article_is_drafted_into_its_sources_queue(site: Site) -> None:
    form = site.browser.get("/desk/articles/new")
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text and 'name="csrf"' in form.text
    sent = _post_article(site, text=ARTICLE.replace("\n", "\r\n"), **META)
    assert sent.status_code == 303, sent.text
    where = urlsplit(sent.headers["location"])
    assert where.path == "/desk"
    assert parse_qs(where.query)["source"] == [SOURCE]
    queue = site.browser.get(sent.headers["location"])
    assert queue.status_code == 200
    assert "Drafted 12 statement(s)" in queue.text
    assert len(_queue_items(queue.text)) == 12
    # Each in its source's words.
    assert "the board had received no request from Islink to change its timetable" in queue.text
    # Proposed: the JSON API shows none of it to a reader, all of it with review=proposed.
    assert site.anonymous.get("/statements", params={"source": SOURCE}).json()["items"] == []
    drafts = site.api.get("/statements", params={"source": SOURCE, "review": "proposed"}).json()
    assert len(drafts["items"]) == 12
    assert {s["status"] for s in drafts["items"]} == {"proposed"}
    # Stored as the browser sent it, with the box's CR LF line ends back to LF.
    text = site.anonymous.get(f"/sources/{SOURCE}/text")
    assert text.status_code == 200 and text.text == ARTICLE
    source = site.anonymous.get(f"/sources/{SOURCE}").json()
    assert source["outlet"]["slug"] == "coastline-courier"
    assert (source["url"], source["byline"]) == (META["url"], META["byline"])
    assert source["reported_on"] == "2026-11-24"
    # Written under the key's name, as POST /ingest writes.
    slug = drafts["items"][0]["slug"]
    history = site.api.get(f"/statements/{slug}/history").json()["items"]
    assert [(c["action"], c["who"]) for c in history] == [("create", "an editor")]


def test_an_uploaded_file_is_drafted_as_a_pasted_text(site: Site) -> None:
    sent = site.browser.post(
        "/desk/articles",
        data={"csrf": site.csrf, "title": META["title"]},
        files={"file": ("harbour.txt", ARTICLE.encode(), "text/plain")},
    )
    assert sent.status_code == 303, sent.text
    assert site.anonymous.get(f"/sources/{SOURCE}/text").text == ARTICLE


def test_everything_shown_of_a_source_is_confirmed_at_once(site: Site) -> None:
    sent = _post_article(site, text=ARTICLE, **META)
    queue = site.browser.get(sent.headers["location"]).text
    form = re.search(
        r'<form method="post" action="([^"]+/confirm)" class="confirm-all">(.*?)</form>',
        queue,
        re.S,
    )
    assert form is not None
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    assert len([k for k in fields if k.startswith("s:")]) == 12
    # A stale form (one statement changed since): refused, nothing confirmed.
    first = next(k for k in fields if k.startswith("s:"))
    stale = site.browser.post(form.group(1), data={**fields, first: "99"})
    assert stale.status_code == 412
    assert "changed since you loaded it" in stale.text
    proposed = {"source": SOURCE, "review": "proposed"}
    assert len(site.api.get("/statements", params=proposed).json()["items"]) == 12
    done = site.browser.post(form.group(1), data=fields)
    assert done.status_code == 303, done.text
    assert site.api.get("/statements", params=proposed).json()["items"] == []
    confirmed = site.anonymous.get("/statements", params={"source": SOURCE, "limit": 50}).json()
    assert len(confirmed["items"]) == 12
    assert all(a["status"] == "confirmed" for s in confirmed["items"] for a in s["appearances"])
    slug = confirmed["items"][0]["slug"]
    history = site.api.get(f"/statements/{slug}/history").json()["items"]
    assert [(c["action"], c["who"]) for c in history][-1] == ("update", "an editor")


def test_an_empty_draft_says_why_and_stores_only_when_asked(site: Site) -> None:
    before = _snapshot(site)
    sent = _post_article(site, text=FRENCH, title="Le vieux port")
    assert sent.status_code == 200
    assert "Nothing was drafted" in sent.text and "English only" in sent.text
    assert "Nothing was stored" in sent.text
    assert _snapshot(site) == before
    # The form comes back filled, with the box to store the source all the same.
    assert 'name="store_empty"' in sent.text and "Le maire de Velmor" in sent.text
    stored = _post_article(site, text=FRENCH, title="Le vieux port", store_empty="1")
    assert stored.status_code == 303, stored.text
    after = _snapshot(site)
    assert len(after["sources"]) == len(before["sources"]) + 1
    assert after["statements"] == before["statements"]
    assert site.anonymous.get("/sources/le-vieux-port/text").text == FRENCH


def test_a_form_without_its_csrf_token_writes_nothing(site: Site) -> None:
    before = _snapshot(site)
    for csrf in ({}, {"csrf": "not-the-token"}):
        sent = site.browser.post(
            "/desk/articles",
            data={"text": ARTICLE, **META, **csrf},
            files={"file": ("", b"", "application/octet-stream")},
        )
        assert sent.status_code == 403
        assert "CSRF" in sent.text
    assert _snapshot(site) == before


def test_a_bad_form_is_refused_with_what_is_wrong(site: Site) -> None:
    before = _snapshot(site)
    for fields, status, says in (
        ({"text": "  "}, 422, "text is missing"),
        ({"text": ARTICLE, "published": "24/11/2026"}, 422, "is not a day"),
        ({"text": ARTICLE, "language": "english!"}, 422, "language"),
        ({"text": ARTICLE, "outlet": "india-tv", "outlet_name": "Courier"}, 422, "not both"),
    ):
        sent = _post_article(site, **fields)
        assert sent.status_code == status, fields
        assert says in sent.text, fields
    not_utf8 = site.browser.post(
        "/desk/articles",
        data={"csrf": site.csrf},
        files={"file": ("a.txt", "Café".encode("latin-1"), "text/plain")},
    )
    assert not_utf8.status_code == 422 and "not UTF-8" in not_utf8.text
    broken = site.browser.post(
        "/desk/articles",
        content=b"--x\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--x--\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert broken.status_code == 400 and "could not be read" in broken.text
    json_body = site.browser.post("/desk/articles", json={"text": ARTICLE})
    assert json_body.status_code == 415
    assert _snapshot(site) == before


@pytest.fixture
def short_site(databases: Databases) -> Iterator[Site]:
    yield from make_site(databases, extract_max_chars=1_000)


def test_a_text_past_the_extractors_bound_is_refused(short_site: Site) -> None:
    before = _snapshot(short_site)
    sent = _post_article(short_site, text=ARTICLE, **META)
    assert sent.status_code == 413
    assert "extract_max_chars" in sent.text
    assert _snapshot(short_site) == before


def test_notes_are_shown_in_the_queue_and_on_the_desk_page(site: Site) -> None:
    created = site.api.post(
        "/statements",
        json={
            "slug": "noted-draft",
            "speaker": "us-source",
            "claim": "putin-signalled-ceasefire-2023",
            "stance": "denies",
            "status": "proposed",
            "note": "Linked to a stored claim (similarity 0.91).",
            "appearances": [
                {
                    "source": INDIA_TV,
                    "quote": "Washington would not engage in talks that did not involve Ukraine",
                    "mode": "indirect",
                    "note": "Possible contradiction with a stored statement.",
                }
            ],
        },
    )
    assert created.status_code == 201, created.text
    for path in ("/desk", "/desk/statements/noted-draft"):
        page = site.browser.get(path).text
        assert "Linked to a stored claim (similarity 0.91)." in page
        assert "Possible contradiction with a stored statement." in page


def test_the_queue_by_source_lists_the_longest_waiting_first(site: Site) -> None:
    _post_article(site, text=ARTICLE, **META)
    page = site.browser.get("/desk", params={"by": "source"})
    assert page.status_code == 200
    listed = re.findall(r'href="/desk\?source=([^"#]+)#queue"', page.text)
    assert listed == [SOURCE]
    assert "(12 reports;" in page.text

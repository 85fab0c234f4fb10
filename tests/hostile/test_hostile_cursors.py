"""A cursor the API did not make is refused (422 naming `cursor`) on every keyset-paged list,
whatever it holds: never a 500, on either database (SQLite's integers end at 2^63,
PostgreSQL's at 2^31)."""

import base64
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import in_process

from app.config import Settings
from app.main import create_app

# Lists whose sort key is two columns: (an offset in the text, an id) and (a day, an id).
TWO_KEYS = {"/sources/{slug}/statements", "/claims/{slug}/timeline"}
DAY_KEYED = "/claims/{slug}/timeline"
# What every column of a key refuses; a day (an ordinal) refuses days no date has too.
HOSTILE: list[Any] = [-1, 2**31, 2**31 + 1, 2**53, 2**63, 2**63 + 1, 2**64, True, 1.5, "1", None]
HOSTILE_DAYS: list[Any] = [0, 3_652_060, 10**7]
# Search pages by (part, score in millionths, index key), and a source search by id; their keys
# are wider than a column's (a score may be negative, an index key is 64 bits), so of the values
# above some are rightly taken: there, never a 500 is what is asked.
SEARCHES = {"/search": [0, 0, 1], "/search/sources": [1]}
WORDS = {"q": "ceasefire"}


@pytest.fixture(scope="module")
def http(seeded_url: str) -> Iterator[httpx.Client]:
    """The seeded API, its histories public (they are paged lists too, read with no key)."""
    with in_process(create_app(Settings(database_url=seeded_url, public_history=True))) as client:
        yield client()


def cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def paged_lists(http: httpx.Client) -> list[str]:
    """Every GET route that takes a cursor (but the exports, where it does not apply: they
    stream everything)."""
    doc = http.get("/openapi.json").json()
    found = [
        path
        for path, ops in doc["paths"].items()
        if any(p["name"] == "cursor" for p in ops.get("get", {}).get("parameters", []))
        and not path.endswith((".csv", ".ndjson"))
    ]
    assert len(found) >= 15, found
    return found


def filled(http: httpx.Client, path: str) -> str:
    """PATH with a real row's slug or id for its parameter (a search: with words to find)."""
    if path in SEARCHES:
        return path  # searched with words (WORDS)
    collection = path.split("/")[1].split(".")[0]
    if collection == "appearances":
        for source in http.get("/sources").json()["items"]:
            reported = http.get(f"/sources/{source['slug']}/statements").json()["items"]
            if reported:
                return path.replace("{id}", str(reported[0]["id"]))
    item = http.get(f"/{collection}").json()["items"][0]
    return path.replace("{slug}", str(item.get("slug"))).replace("{id}", str(item.get("id")))


def valid_key(route: str) -> list[int]:
    if route in SEARCHES:
        return list(SEARCHES[route])
    if route == DAY_KEYED:
        return [738_000, 1]  # a day in 2021
    return [1, 1] if route in TWO_KEYS else [1]


def test_every_paged_list_refuses_out_of_range_cursor_keys(http: httpx.Client) -> None:
    for route in paged_lists(http):
        path = filled(http, route)
        assert "{" not in path, path
        # The test's cursors have the list's shape: one of its own is taken.
        ok = http.get(
            path,
            params={**(WORDS if route in SEARCHES else {}), "cursor": cursor(valid_key(route))},
        )
        assert ok.status_code == 200, (path, ok.text)
        for position in range(len(valid_key(route))):
            values = list(HOSTILE)
            if route == DAY_KEYED and position == 0:
                values += HOSTILE_DAYS
            for value in values:
                key = valid_key(route)
                key[position] = value
                response = http.get(
                    path, params={**(WORDS if route in SEARCHES else {}), "cursor": cursor(key)}
                )
                where = f"{path} cursor {key}: {response.text}"
                if route in SEARCHES and response.status_code == 200:
                    continue
                assert response.status_code == 422, where
                assert response.headers["content-type"] == "application/problem+json", where
                body = response.json()
                assert "query 'cursor'" in body["detail"], where
                assert body["errors"][0]["field"] == "cursor", where
                if type(value) is int and value < 2**64:  # past it, JSON's numbers are floats
                    assert re.search(rf"{value} is out of range for ", body["detail"]), where


@pytest.mark.parametrize("key", [[], [1, 2, 3], {"id": 1}, "1", [[1]]])
def test_a_cursor_of_the_wrong_shape_is_refused(http: httpx.Client, key: Any) -> None:
    response = http.get("/claims", params={"cursor": cursor(key)})
    assert response.status_code == 422, response.text
    assert "query 'cursor'" in response.json()["detail"]


def test_a_cursor_made_by_the_api_still_pages(http: httpx.Client) -> None:
    # The timeline's cursor carries a day: the next page follows on from it.
    paged = 0
    for claim in http.get("/claims").json()["items"]:
        path = f"/claims/{claim['slug']}/timeline"
        everything = [s["slug"] for s in http.get(path, params={"limit": 100}).json()["items"]]
        seen: list[str] = []
        params: dict[str, Any] = {"limit": 1}
        while True:
            response = http.get(path, params=params)
            assert response.status_code == 200, response.text
            seen += [s["slug"] for s in response.json()["items"]]
            if not response.json()["next_cursor"]:
                break
            paged += 1
            params = {"limit": 1, "cursor": response.json()["next_cursor"]}
        assert seen == everything
    assert paged > 0

"""Rate limits of writes and extraction, per API key and per client address: over the rate, a
429 problem with Retry-After that changes nothing; another key or address goes on; reads are
never limited; once the window has passed, writes pass again. Off by default."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from conftest import serving
from db_copies import add_keys
from pydantic import ValidationError

from app.config import Settings
from app.main import create_app

CEASEFIRE = "putin-signalled-ceasefire-2023"


@contextmanager
def clients(url: str, **settings: str) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """The app on a real server, and a client from each of two loopback addresses."""
    app = create_app(Settings(database_url=url, **settings))
    with (
        serving(app) as base,
        httpx.Client(base_url=base, timeout=30) as one,
        httpx.Client(
            base_url=base,
            timeout=30,
            transport=httpx.HTTPTransport(local_address="127.0.0.2"),
        ) as other,
    ):
        yield one, other


def claim(slug: str) -> dict[str, str]:
    return {"slug": slug, "text": f"A claim called {slug}."}


def assert_limited(answer: httpx.Response, setting: str) -> int:
    """ANSWER is the 429 problem naming SETTING; its Retry-After, in seconds."""
    assert answer.status_code == 429, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 429 and problem["title"] == "Too many requests"
    assert setting in problem["detail"]
    wait = int(answer.headers["retry-after"])
    assert 1 <= wait <= 60
    return wait


def test_writes_past_a_keys_rate_are_refused_and_change_nothing(seeded_db_url: str) -> None:
    keys = add_keys(seeded_db_url)
    editor = {"Authorization": f"Bearer {keys['editor']}"}
    admin = {"Authorization": f"Bearer {keys['admin']}"}
    with clients(seeded_db_url, rate_limit_per_key="2/minute") as (client, _):
        for n in range(2):
            assert (
                client.post("/claims", json=claim(f"kept-{n}"), headers=editor).status_code == 201
            )
        refused = client.post("/claims", json=claim("refused"), headers=editor)
        assert_limited(refused, "rate_limit_per_key")
        assert client.get("/claims/refused").status_code == 404  # nothing was written
        # Another key is not held by this one's count.
        assert client.post("/claims", json=claim("by-admin"), headers=admin).status_code == 201
        # Reads are never limited, with the key or without.
        for _ in range(5):
            assert client.get(f"/claims/{CEASEFIRE}", headers=editor).status_code == 200
            assert client.head("/claims").status_code == 200
        again = client.patch("/claims/kept-0", json={"text": "Changed."}, headers=editor)
        assert_limited(again, "rate_limit_per_key")
        assert client.get("/claims/kept-0").json()["text"] == "A claim called kept-0."


def test_writes_and_extraction_past_an_addresss_rate(seeded_db_url: str) -> None:
    keys = add_keys(seeded_db_url)
    editor = {"Authorization": f"Bearer {keys['editor']}"}
    with clients(seeded_db_url, rate_limit_per_address="2/minute") as (here, there):
        assert here.post("/claims", json=claim("first"), headers=editor).status_code == 201
        assert here.post("/claims", json=claim("second"), headers=editor).status_code == 201
        assert_limited(
            here.post("/claims", json=claim("third"), headers=editor), "rate_limit_per_address"
        )
        # The extraction (without a key) and a load are writes too: refused before they run.
        assert_limited(
            here.post("/extract", json={"text": "He said so."}), "rate_limit_per_address"
        )
        assert_limited(here.post("/ingest", json={}, headers=editor), "rate_limit_per_address")
        assert here.get("/claims/third").status_code == 404
        assert here.get("/claims", params={"limit": 1}).status_code == 200
        # Another address, with the same key, is not held by this one's count.
        assert there.post("/claims", json=claim("from-there"), headers=editor).status_code == 201


def test_after_the_window_writes_pass_again(seeded_db_url: str) -> None:
    keys = add_keys(seeded_db_url)
    editor = {"Authorization": f"Bearer {keys['editor']}"}
    with clients(seeded_db_url, rate_limit_per_key="1/second") as (client, _):
        # A write that fails at once (an invalid body) counts as a write: no slow first one that
        # would let the window pass before the second is sent.
        assert client.post("/claims", json={}, headers=editor).status_code == 422
        wait = assert_limited(
            client.post("/claims", json=claim("too-soon"), headers=editor), "rate_limit_per_key"
        )
        assert wait == 1
        time.sleep(wait)
        assert client.post("/claims", json=claim("in-time"), headers=editor).status_code == 201
        assert client.get("/claims/too-soon").status_code == 404


def test_off_by_default_and_a_bad_rate_is_a_clear_error(seeded_db_url: str) -> None:
    keys = add_keys(seeded_db_url)
    editor = {"Authorization": f"Bearer {keys['editor']}"}
    with clients(seeded_db_url) as (client, _):
        for n in range(30):
            made = client.post("/claims", json=claim(f"unlimited-{n}"), headers=editor)
            assert made.status_code == 201
    with pytest.raises(ValidationError, match="'ten a minute' is not a rate"):
        Settings(database_url=seeded_db_url, rate_limit_per_key="ten a minute")

"""Reads go straight to their handlers (app/web/direct_reads.py), and answer exactly as they do
through FastAPI's routing: same status, headers and bytes, for every read route, its 404s and
its 422s."""

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import in_process
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope, Send

from app.config import Settings
from app.main import create_app
from app.web.direct_reads import DirectReads, is_direct

# A seed object for each kind of path parameter, by the path's first segment.
KNOWN = {
    "claims": "putin-signalled-ceasefire-2023",
    "actors": "dmitry-peskov",
    "statements": "peskov-denies-peace-proposals",
    "sources": "indiatv-2024-02-14-putin-ceasefire-rejected",
    "appearances": "1",
    "contradictions": "1",
}
# Query strings that exercise the handlers' own parsing, good and bad.
QUERIES = [
    "",
    "?limit=1",
    "?limit=0",
    "?cursor=not-a-cursor",
    "?stance=denies",
    "?q=ceasefire",
    "?claim=putin-signalled-ceasefire-2023&claim=us-rejected-putin-ceasefire",
    "?count=true",
]
SHOWN_HEADERS = ("content-type", "etag", "location", "cache-control", "content-length")
# Those a `next` link naming the server's address does not change.
LINK_FREE_HEADERS = ("content-type", "location", "cache-control")


def _routers() -> list[Any]:
    from app.main import (
        actors,
        appearances,
        claims,
        contradictions,
        positions,
        search,
        sources,
        statements,
    )

    return [search, claims, positions, actors, statements, appearances, sources, contradictions]


def _direct_routes() -> list[APIRoute]:
    return [r for router in _routers() for r in router.routes if is_direct(r)]


def _paths() -> list[str]:
    """Every direct read route with a known object, an unknown one, and the query strings."""
    paths = []
    for route in _direct_routes():
        segment = route.path.split("/")[1]
        for value in (KNOWN.get(segment, "x"), "no-such-thing", "999999"):
            path = re.sub(r"\{\w+\}", value, route.path)
            paths += [path + q for q in QUERIES]
    return sorted(set(paths))


def _without_direct_reads(app: FastAPI) -> FastAPI:
    app.user_middleware = [m for m in app.user_middleware if m.cls is not DirectReads]
    return app


@pytest.fixture(scope="module")
def both(seeded_url: str) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    settings = Settings(database_url=seeded_url)
    with (
        in_process(create_app(settings)) as direct,
        in_process(_without_direct_reads(create_app(settings))) as routed,
    ):
        yield direct(), routed()


def test_every_read_route_is_direct_and_no_write_is() -> None:
    direct = {(r.path, frozenset(r.methods)) for r in _direct_routes()}
    assert {
        ("/claims/{slug}/statements", frozenset({"GET"})),
        ("/actors/{slug}/statements", frozenset({"GET"})),
        ("/claims/{slug}/positions", frozenset({"GET"})),
        ("/sources/{slug}/statements", frozenset({"GET"})),
        ("/search", frozenset({"GET"})),
        ("/statements.csv", frozenset({"GET"})),
    } <= direct
    every_get = {r.path for router in _routers() for r in router.routes if r.methods == {"GET"}}
    assert {path for path, _ in direct} == every_get
    assert all(methods == {"GET"} for _, methods in direct)


def test_direct_reads_answer_as_fastapi_routing_does(
    both: tuple[httpx.Client, httpx.Client],
) -> None:
    direct, routed = both
    paths = _paths()
    statuses = set()
    for path in paths:
        a, b = direct.get(path), routed.get(path)
        statuses.add(a.status_code)
        # The `next` links name each server's own address.
        body_a = a.content.replace(str(direct.base_url).rstrip("/").encode(), b"BASE")
        body_b = b.content.replace(str(routed.base_url).rstrip("/").encode(), b"BASE")
        assert (a.status_code, body_a) == (b.status_code, body_b), path
        shown = SHOWN_HEADERS if b"BASE" not in body_a else LINK_FREE_HEADERS
        assert {h: a.headers.get(h) for h in shown} == {h: b.headers.get(h) for h in shown}, path
    # The comparison covered answers, misses and bad parameters.
    assert {200, 404, 422} <= statuses, statuses
    assert len(paths) > 100


def test_reads_skip_the_routing_and_everything_else_goes_through_it(seeded_url: str) -> None:
    app = create_app(Settings(database_url=seeded_url))
    routed: list[str] = []
    with in_process(app) as clients:
        client = clients()
        assert client.get("/health").status_code == 200  # builds the middleware stack
        layer: Any = app.middleware_stack
        while not isinstance(layer, DirectReads):
            layer = layer.app
        inner = layer.app

        async def counting(scope: Scope, receive: Receive, send: Send) -> None:
            routed.append(f"{scope['method']} {scope['path']}")
            await inner(scope, receive, send)

        layer.app = counting
        assert client.get(f"/claims/{KNOWN['claims']}/statements?stance=denies").status_code == 200
        assert client.get("/claims/no-such-thing").status_code == 404
        assert client.get("/search?q=ceasefire").status_code == 200
        # A HEAD is a GET to every layer inside app/web/methods.py: a direct read too.
        assert client.head("/claims").status_code == 200
        assert client.get("/positions?claim=putin-signalled-ceasefire-2023").status_code == 200
        assert routed == []
        assert client.post("/claims", json={}).status_code == 401
        assert client.get("/health").status_code == 200
        assert client.get("/claims/").status_code in (307, 404)
    assert routed == ["POST /claims", "GET /health", "GET /claims/"]

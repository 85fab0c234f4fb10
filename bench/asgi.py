"""The app driven in process, as a server calls it (no network, no server): the GETs the
in-process benchmarks time (access_log.py, metrics_cost.py, claim_page.py, replicas.py)."""

import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import FastAPI

Header = tuple[bytes, bytes]


def get_scope(path: str, query: bytes = b"", headers: Sequence[Header] = ()) -> dict[str, Any]:
    """The ASGI scope of a GET of PATH?QUERY with HEADERS (beside host and accept-encoding)."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"accept-encoding", b"identity"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


def _statuses() -> tuple[list[int], Callable[[dict[str, Any]], Awaitable[None]]]:
    """A list, and an ASGI send that notes each response's status in it (bodies dropped)."""
    statuses: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    return statuses, send


async def get(app: FastAPI, path: str, query: bytes = b"", headers: Sequence[Header] = ()) -> int:
    """The status of one GET of PATH?QUERY."""
    statuses, send = _statuses()
    await app(get_scope(path, query, headers), _receive, send)
    return statuses[0]


async def per_request(
    app: FastAPI,
    path: str,
    query: bytes,
    requests: int,
    *,
    headers: Sequence[Header] = (),
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Seconds of CLOCK per GET of PATH?QUERY, over REQUESTS of them; each must be a 200."""
    scope = get_scope(path, query, headers)
    statuses, send = _statuses()
    start = clock()
    for _ in range(requests):
        await app(dict(scope), _receive, send)
    took = (clock() - start) / requests
    assert set(statuses) == {200}, (path, set(statuses))
    return took

"""Rate limits of writes and extraction, per API key and per client address
(docs/operating.md#rate-limits). Off unless `SAYSO_RATE_LIMIT_PER_KEY` or
`SAYSO_RATE_LIMIT_PER_ADDRESS` names a rate.

Every request that may change something or cost CPU (POST, PUT, PATCH and DELETE: the editing
API, POST /ingest, POST /extract, the review desk's forms) counts against its client address's
limit, and one that sends a key (`Authorization`) against that key's limit too, whether or
not the key is valid (a request is refused before anything reads the database: a client
guessing keys is held by its address's limit). A request over either limit is answered 429
with `Retry-After` (when a place frees in the window), and goes no further: its body is not
read, nothing is written, and it does not count. Reads are never limited.

The counting is the `limits` library's moving window, in memory, in each server worker: with
N workers, which the kernel hands connections to, a client gets up to N times the rate. For
one limit across workers and machines, a proxy in front does it (nginx's limit_req, ...).
"""

import hashlib
import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.web.errors import problem

LIMITED = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RateLimit:
    """ASGI middleware: writes over a key's or an address's rate answered 429."""

    def __init__(self, app: ASGIApp, per_key: str, per_address: str) -> None:
        self.app = app
        self.per_key: list[RateLimitItem] = parse_many(per_key) if per_key else []
        self.per_address: list[RateLimitItem] = parse_many(per_address) if per_address else []
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in LIMITED:
            await self.app(scope, receive, send)
            return
        # (what is limited, the limit, whose: an address, or a key's hash, never the key)
        checks: list[tuple[str, RateLimitItem, str]] = []
        client = scope.get("client")
        if client:
            checks += [("address", item, client[0]) for item in self.per_address]
        header = Headers(scope=scope).get("authorization")
        if header and self.per_key:
            whose = hashlib.sha256(header.encode()).hexdigest()
            checks += [("key", item, whose) for item in self.per_key]
        over = [(what, item, whose) for what, item, whose in checks if not self._room(item, whose)]
        if over:
            await self._refuse(over, scope, receive, send)
            return
        for _, item, whose in checks:
            self.limiter.hit(item, whose)
        await self.app(scope, receive, send)

    def _room(self, item: RateLimitItem, whose: str) -> bool:
        return self.limiter.test(item, whose)

    async def _refuse(
        self, over: list[tuple[str, RateLimitItem, str]], scope: Scope, receive: Receive, send: Send
    ) -> None:
        now = time.time()
        wait = max(
            math.ceil(self.limiter.get_window_stats(item, whose).reset_time - now)
            for _, item, whose in over
        )
        wait = max(wait, 1)
        what, item, _ = over[0]
        setting = "rate_limit_per_key" if what == "key" else "rate_limit_per_address"
        whom = "this API key" if what == "key" else "this client address"
        detail = (
            f"Too many writes from {whom}: at most {_rate(item)} (setting {setting}). "
            f"Try again in {wait} s."
        )
        answer = problem(
            429, "Too many requests", detail, scope["path"], headers={"Retry-After": str(wait)}
        )
        await answer(scope, receive, send)


def _rate(item: RateLimitItem) -> str:
    """'3 a second', '60 a minute', '100 every 2 hours'."""
    unit = item.GRANULARITY.name
    if item.multiples == 1:
        return f"{item.amount} a {unit}"
    return f"{item.amount} every {item.multiples} {unit}s"

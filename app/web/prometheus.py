"""Prometheus metrics at `GET /metrics`, with `SAYSO_METRICS=true` (docs/operating.md#metrics):
what app/web/metrics.py installs when they are on (this module is not imported when they are off).

Each request is counted, with its time and status, by method, route template and status, by the
access log's middleware, the outermost (app/web/access.py), which sees every request as the
client does, the direct reads included (app/web/direct_reads.py), and times it already: it
hands each to `Metrics.began` and `Metrics.ended`. The database's work for each request (the
read driver's queries and the writes' SQL statements) is timed here; the `/metrics` route is
added here. The route label is the template the request matched (`/claims/{slug}`), never the
raw path, and `unmatched` for a path no route takes: a client asking for made-up paths adds no
series.

Under `sayso serve` each worker writes its figures to memory-mapped files in one folder
(prometheus_client's multiprocess mode; the server prepares the folder: app/web/metrics_dir.py),
and the worker that answers `/metrics` adds up every worker's. A worker counts in its own memory
and writes to its files once a second while the app runs, and when it stops (Metrics.write). An
app served otherwise (one process, a test) keeps its figures in memory.
"""

import asyncio
import glob
import hmac
import os
import time
from bisect import bisect_left
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar, Token
from typing import Any

from fastapi import FastAPI, Request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    values,
)
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import Engine, event
from starlette.responses import Response
from starlette.types import Scope

from app.db.reads import SQL, ReadDB, Row
from app.web.errors import Unauthorized

# The route label of a request no route took (a 404, a redirect to a slash's absence).
UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Seconds between two writes of a worker's counts to its files (Metrics.write).
FLUSH_S = 1.0
# sayso answers most reads in a millisecond or two: finer buckets at the low end.
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
EXTRACTION_OUTCOMES = ("drafted", "refused", "timed_out", "over_memory", "failed")
BAD_TOKEN = "/metrics needs the metrics token: send 'Authorization: Bearer <token>'."

Key = tuple[str, str, int]  # method, route, status
# The database time of the request under way: a cell the timed reads and writes add to. (A
# write runs in a worker thread, which gets a copy of the context: the same cell.)
_DB_TIME: ContextVar[list[float] | None] = ContextVar("sayso_db_time", default=None)
# What Metrics.began gives the access log for Metrics.ended: the cell set, and the cell.
Began = tuple[Token[list[float] | None], list[float]]
_clock = time.perf_counter


def _add_db_time(seconds: float) -> None:
    cell = _DB_TIME.get()
    if cell is not None:
        cell[0] += seconds


class Metrics:
    """The metrics of one app, and how to show them."""

    def __init__(self, token: str) -> None:
        self.token = token
        # Set when prometheus_client was imported with PROMETHEUS_MULTIPROC_DIR (sayso serve).
        self.multiprocess: bool = getattr(values.ValueClass, "_multiprocess", False)
        self.registry = CollectorRegistry(auto_describe=False)
        r = self.registry
        self.requests = Histogram(
            "sayso_http_request_duration_seconds",
            "Requests by method, route template and status, and their time (from arrival to "
            "the answer's last byte); _count is the number of requests.",
            ["method", "route", "status"],
            buckets=BUCKETS,
            registry=r,
        )
        self.db_seconds = Counter(
            "sayso_http_request_db_seconds",
            "Seconds the requests of a route spent in the database (reads' queries, writes' "
            "SQL statements).",
            ["method", "route"],
            registry=r,
        )
        self.in_flight = Gauge(
            "sayso_http_requests_in_flight",
            f"Requests being answered (each worker's as of its last write, at most {FLUSH_S:g} s "
            "ago).",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.workers = Gauge(
            "sayso_workers",
            "Server worker processes alive.",
            registry=r,
            multiprocess_mode="livesum",
        )
        files = Counter(
            "sayso_ingest_files",
            "Annotation files sent to POST /ingest (or written by POST /extract?ingest=true): "
            "loaded, or refused (invalid, or in conflict with what is stored).",
            ["outcome"],
            registry=r,
        )
        self.files_loaded, self.files_refused = files.labels("loaded"), files.labels("refused")
        self.statements_loaded = Counter(
            "sayso_ingest_statements",
            "Statements added by the annotation files loaded.",
            registry=r,
        )
        extractions = Counter(
            "sayso_extractions",
            "POST /extract by outcome: drafted; refused (too long, or no extraction free in "
            "time); timed_out (past its CPU or wall-clock bound); over_memory; failed.",
            ["outcome"],
            registry=r,
        )
        self.extractions = {o: extractions.labels(o) for o in EXTRACTION_OUTCOMES}
        self.workers.set(1)
        # The requests counted since the last write to the library's values: (method, route,
        # status) -> [requests in each bucket..., seconds, database seconds].
        self.pending: dict[Key, list[float]] = {}
        self.answering = 0  # requests in flight in this worker
        self._children: dict[Key, tuple[Any, Any]] = {}
        self._timer: asyncio.TimerHandle | None = None

    def began(self) -> Began:
        """A request has arrived (app/web/access.py): in flight, its database time counted."""
        self.answering += 1
        cell = [0.0]
        return _DB_TIME.set(cell), cell

    def ended(self, began: Began, scope: Scope, status: int, seconds: float) -> None:
        """It has ended: counted in this process's memory (written by `write`)."""
        token, db_seconds = began
        _DB_TIME.reset(token)
        self.answering -= 1
        method = scope["method"]
        route = scope.get("route")
        if route is not None:
            template = route.path
        elif "endpoint" in scope:  # a mount (the static files): where it is mounted
            template = scope.get("root_path") or UNMATCHED
        else:
            template = UNMATCHED
        key = (method if method in METHODS else "other", template, status)
        row = self.pending.get(key)
        if row is None:
            row = self.pending[key] = [0.0] * (len(BUCKETS) + 3)
        # The first bucket whose bound is at least SECONDS (+Inf past the last), as observe().
        row[bisect_left(BUCKETS, seconds)] += 1
        row[-2] += seconds
        row[-1] += db_seconds[0]

    def start(self) -> None:
        """As the app starts, on its loop: a write now, and every FLUSH_S seconds after."""
        self._timer = asyncio.get_running_loop().call_later(FLUSH_S, self.start)
        self.write()

    def stop(self) -> None:
        """As the app stops: the writes end, with one of what is left."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.write()

    def write(self) -> None:
        """The requests counted since the last call, and the requests in flight, written to
        the library's values (under sayso serve: to this worker's files, which /metrics reads).

        Histogram.observe writes two values a request, each a locked write to a memory-mapped
        file, with a check of the process id: a request's counting cost several microseconds,
        most of the metrics' price on a read of fifty. Counted in memory and written a second
        at a time, the same figures cost a few dicts' worth. Written as observe() writes them
        (a bucket's own count, not yet cumulative, and the sum), through the histogram's
        values: prometheus_client has no public call for many observations at once."""
        pending, self.pending = self.pending, {}
        for key, row in pending.items():
            children = self._children.get(key)
            if children is None:
                method, route, status = key
                children = self._children[key] = (
                    self.requests.labels(method, route, str(status)),
                    self.db_seconds.labels(method, route),
                )
            histogram, db_seconds = children
            for bucket, n in zip(histogram._buckets, row, strict=False):
                if n:
                    bucket.inc(n)
            histogram._sum.inc(row[-2])
            if row[-1]:
                db_seconds.inc(row[-1])
        self.in_flight.set(self.answering)

    def exposition(self) -> bytes:
        """The text Prometheus scrapes: every worker's figures added up, under sayso serve
        (this worker's as of now, the others' as of their last write)."""
        self.write()
        if not self.multiprocess:
            return generate_latest(self.registry)
        registry = CollectorRegistry(auto_describe=False)
        registry.register(_WrittenFiles())
        return generate_latest(registry)


class _WrittenFiles(MultiProcessCollector):
    """prometheus_client's MultiProcessCollector (every worker's files in
    PROMETHEUS_MULTIPROC_DIR, added up), without the files that are still empty. The library
    creates a worker's file and sizes it after: a scrape in between failed whole, a 500 from
    /metrics (client_python issue 1199, open in 0.26), and a worker killed in between would
    leave an empty file that failed every scrape after. An empty file holds no figures yet."""

    def __init__(self) -> None:
        self.folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
        super().__init__(None, self.folder)  # type: ignore[no-untyped-call]

    def collect(self) -> Any:
        files = glob.glob(os.path.join(self.folder, "*.db"))
        return self.merge([f for f in files if os.path.getsize(f) > 0], accumulate=True)  # type: ignore[no-untyped-call]


def _time_reads(reads: ReadDB) -> None:
    """Each query of the read driver timed, into its request's database time: the driver's
    `all` (which its `one` calls: app/db/reads.py, app/db/replicas.py) replaced by a timed one,
    on the driver itself. It stays the same object for whoever holds it (the key check, the
    replicas' report on /ready), and no wrapper's layer is paid on each call. (A query that
    fails is not timed: its request's error is what counts.)"""
    run = reads.all

    def timed(query: SQL, params: Mapping[str, Any] | None = None) -> list[Row]:
        start = _clock()
        rows = run(query, params)
        _add_db_time(_clock() - start)
        return rows

    reads.all = timed  # type: ignore[method-assign]


def _time_writes(engine: Engine) -> None:
    """Each SQL statement of the writes' engine timed, into its request's database time. (A
    load's bulk inserts go to the driver underneath, and are not timed.)"""

    # On the statement's execution context: one that fails leaves nothing behind.
    @event.listens_for(engine, "before_cursor_execute")
    def _began(
        _conn: Any, _cursor: Any, _sql: str, _params: Any, context: Any, _many: bool
    ) -> None:
        if context is not None:
            context.sayso_began = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _ended(
        _conn: Any, _cursor: Any, _sql: str, _params: Any, context: Any, _many: bool
    ) -> None:
        began = getattr(context, "sayso_began", None)
        if began is not None:
            _add_db_time(time.perf_counter() - began)


async def get_metrics(request: Request) -> Response:
    """The server's metrics, in Prometheus's text format."""
    metrics: Metrics = request.app.state.metrics
    if metrics.token:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), metrics.token.encode()
        ):
            raise Unauthorized(BAD_TOKEN)
    return Response(
        metrics.exposition(),
        media_type=CONTENT_TYPE_LATEST,
        headers={"Cache-Control": "no-store"},
    )


def install(app: FastAPI, token: str) -> Metrics:
    """Metrics on APP, once its read driver and engine are in app.state: the database timed,
    the writes to the files begun and ended with the app. The requests are counted by whoever
    the metrics returned are given to (app/web/access.py), the route added by `add_route`."""
    metrics = Metrics(token)
    app.state.metrics = metrics
    _time_reads(app.state.reads)
    _time_writes(app.state.engine)
    lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def written(app: Any) -> AsyncIterator[Any]:
        metrics.start()
        try:
            async with lifespan(app) as state:
                yield state
        finally:
            metrics.stop()

    app.router.lifespan_context = written
    return metrics


def add_route(app: FastAPI) -> None:
    """`GET /metrics`: add it after the other routes (none is matched against it first), and
    before the routes are listed for OPTIONS and 405s."""
    app.add_api_route("/metrics", get_metrics, methods=["GET"], include_in_schema=False)

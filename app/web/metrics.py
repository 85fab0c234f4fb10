"""Metrics, on with `SAYSO_METRICS=true` (docs/operating.md#metrics; app/web/prometheus.py).

Off (the default), nothing of them is installed or even imported: nothing counted by the access
log's middleware, no timing of the database, no route; the counters of loads and extractions
below find no metrics and return.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request

if TYPE_CHECKING:
    from app.web.prometheus import Metrics


def install(app: FastAPI, token: str) -> "Metrics":
    """Metrics on APP, for the access log to count each request with (app/web/prometheus.py
    install)."""
    from app.web import prometheus

    return prometheus.install(app, token)


def add_route(app: FastAPI) -> None:
    """`GET /metrics`, after the other routes (app/web/prometheus.py add_route)."""
    from app.web import prometheus

    prometheus.add_route(app)


def _metrics(request: Request) -> "Metrics | None":
    found: Metrics | None = getattr(request.app.state, "metrics", None)
    return found


def count_ingest(request: Request, added: Mapping[str, int] | None) -> None:
    """An annotation file loaded (ADDED: what it added, by kind) or refused (None)."""
    metrics = _metrics(request)
    if metrics is None:
        return
    if added is None:
        metrics.files_refused.inc()
        return
    metrics.files_loaded.inc()
    if added.get("statements"):
        metrics.statements_loaded.inc(added["statements"])


# The extraction's outcomes as its log line names them (app/extract/runner.py Unavailable),
# counted under the metrics' fewer labels (app/web/prometheus.py EXTRACTION_OUTCOMES).
EXTRACTION_LABELS = {
    "too_large": "refused",
    "busy": "refused",
    "stopping": "refused",
    "timeout": "timed_out",
    "cpu": "timed_out",
    "memory": "over_memory",
}


def count_extraction(request: Request, outcome: str) -> None:
    """One POST /extract, by its outcome: drafted, failed, or as EXTRACTION_LABELS counts it."""
    metrics = _metrics(request)
    if metrics is not None:
        metrics.extractions[EXTRACTION_LABELS.get(outcome, outcome)].inc()

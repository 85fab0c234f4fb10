"""The folder where a server's worker processes keep their metrics (docs/operating.md#metrics).

`GET /metrics` may be answered by any worker, and must give the whole server's figures: each
worker writes its own to memory-mapped files in one folder, and the worker that answers adds
them all up (prometheus_client's multiprocess mode, app/web/metrics.py). The server prepares
the folder before it forks the workers, and tells it when one has died, so that the in-flight
requests and the workers alive stop counting it (its counters stay: a total does not go down).

This module is the server's side: the standard library only, so that the supervisor, which
imports nothing of the app, stays small; prometheus_client is imported only when a worker dies
with metrics on.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# prometheus_client reads the folder from this variable, once, when it is imported (in each
# worker: after the fork).
ENV = "PROMETHEUS_MULTIPROC_DIR"
# pydantic's words for true (app/config.py reads SAYSO_METRICS the same way).
_TRUE = {"1", "on", "t", "true", "y", "yes"}


def enabled() -> bool:
    """Whether SAYSO_METRICS says metrics are on, read from the environment as the settings
    read it (without importing them: the supervisor keeps small)."""
    return os.environ.get("SAYSO_METRICS", "").strip().lower() in _TRUE


def prepare() -> None:
    """Before the workers start, when metrics are on: SAYSO_METRICS_DIR emptied of an earlier
    run's files (or, unset, a new temporary folder, in /dev/shm where there is one, removed
    when the server exits), named to
    prometheus_client in the environment the workers inherit."""
    if not enabled():
        return
    named = os.environ.get("SAYSO_METRICS_DIR", "").strip()
    if named:
        folder = Path(named)
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.db"):
            old.unlink()
    else:
        # In memory where the system has a tmpfs for it: the files are written all the time.
        shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
        folder = Path(tempfile.mkdtemp(prefix="sayso-metrics-", dir=shm))
        # Runs in the server's own process only: a worker ends with os._exit.
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ[ENV] = str(folder)


def worker_exited(pid: int) -> None:
    """A worker has ended: its live gauges (in flight, alive) no longer count."""
    if ENV not in os.environ:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]

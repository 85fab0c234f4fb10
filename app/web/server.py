"""`sayso serve`: a pool of uvicorn workers (app/web/worker.py) under gunicorn's arbiter.

The arbiter binds the socket and forks the workers; each loads the app after the fork and
serves on the inherited socket (the kernel hands each connection to one of them). It replaces
a worker that dies, and one that stops answering: a worker's event loop touches a heartbeat
every half SAYSO_WORKER_TIMEOUT, and a worker whose heartbeat is older than that (a loop
blocked, a process stopped) is killed (SIGABRT, then SIGKILL) and replaced. SIGTERM stops the
server gracefully: the workers stop taking connections and finish the requests in flight, for
at most SAYSO_SHUTDOWN_TIMEOUT seconds; then what is left is cut. SIGINT and SIGQUIT stop it at
once.

Why gunicorn rather than uvicorn's own `--workers` or a supervisor of sayso's own: uvicorn's
supervisor pings its workers from a thread of theirs, which answers while the event loop is
blocked; gunicorn's uvicorn worker beats from the loop itself. sayso's own pre-fork supervisor
(the standard library alone, until December 2026) used ~13 MB less memory in all (PSS, two
workers: docs/operating.md#the-worker-pool), not worth a second implementation of heartbeats
and graceful stops.

The arbiter's messages are sayso's log records (logger `gunicorn.error`, and `sayso.server`
for the lines of this module), in sayso's format.

    python -m app.web.server HOST PORT WORKERS     (what `sayso serve` runs)
"""

import logging
import sys
from typing import Any

from gunicorn import glogging
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter as GunicornArbiter
from gunicorn.errors import HaltServer
from gunicorn.util import import_app

from app.config import Settings, get_settings
from app.web import metrics_dir
from app.web.logs import configure
from app.web.worker import Worker

log = logging.getLogger("sayso.server")
APP = "app.main:app"
# Workers that die before their app has started (their heartbeat never beat: a database that
# does not answer, say), this many times in a row per worker, mean that it cannot start: the
# server gives up instead of forking forever. (An app that cannot even be loaded stops the server
# at once: gunicorn's boot error.)
FAILED_STARTS_PER_WORKER = 3


class Log(glogging.Logger):
    """gunicorn's logger, writing through sayso's handler (app/web/logs.py) instead of its own:
    the arbiter's and the workers' messages come out in sayso's format, text or JSON."""

    def setup(self, cfg: Any) -> None:
        settings = get_settings()
        configure(settings.log_level, settings.log_format)
        for logger in (self.error_log, self.access_log):
            logger.handlers = []
            logger.propagate = True


class Pool:
    """What sayso does when the arbiter reports a worker gone."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.failed_starts = 0  # in a row

    def worker_exited(self, arbiter: Any, worker: Any) -> None:
        """The one place where the supervisor learns that a worker has gone, whatever ended it
        (gunicorn's line before this one says how: a signal, or an exit status). Runs in the
        arbiter, after the worker was reaped; the arbiter starts its replacement next."""
        pid = worker.pid
        metrics_dir.worker_exited(pid)  # with SAYSO_METRICS on: its figures kept, marked dead
        if not arbiter.LISTENERS:  # the server is stopping: the workers were told to go
            log.info("worker %d stopped", pid, extra={"worker_pid": pid})
            return
        started = getattr(worker.tmp, "had_beaten", True)
        self.failed_starts = 0 if started else self.failed_starts + 1
        if self.failed_starts >= FAILED_STARTS_PER_WORKER * self.workers:
            log.error("the workers keep failing to start; stopping")
            raise HaltServer("the workers keep failing to start", 1)
        log.warning(
            "worker %d exited %s; starting another",
            pid,
            "after it had started" if started else "before its app had started",
            extra={"worker_pid": pid, "had_started": started},
        )


class Arbiter(GunicornArbiter):
    """gunicorn's arbiter, but a stop is carried out whole. When a worker fails to boot, the
    arbiter halts the server and stops the other workers; if one of those has failed to boot
    too, gunicorn raises its HaltServer again from inside the stop, and the server exited 1
    with a traceback, half stopped. While halting, those are reaped like any other worker."""

    halting = False

    def halt(self, reason: str | None = None, exit_status: int = 0) -> None:
        self.halting = True
        super().halt(reason, exit_status)

    def reap_workers(self) -> None:
        while True:
            try:
                super().reap_workers()
                return
            except HaltServer:  # the worker is already taken off the list: reap the others
                if not self.halting:
                    raise


class Application(BaseApplication):
    """gunicorn, configured from sayso's settings rather than its own command line."""

    def __init__(self, host: str, port: int, workers: int, settings: Settings) -> None:
        self.options = options(host, port, workers, settings)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # By name, in the worker after the fork: the entry point sits above the HTTP kit.
        return import_app(APP)

    def run(self) -> None:
        # BaseApplication.run, with sayso's arbiter.
        try:
            Arbiter(self).run()
        except RuntimeError as exc:
            print(f"\nError: {exc}\n", file=sys.stderr)
            sys.exit(1)


def options(host: str, port: int, workers: int, settings: Settings) -> dict[str, Any]:
    """gunicorn's settings for sayso's server."""
    pool = Pool(workers)
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": Worker,
        "logger_class": Log,
        "proc_name": "sayso",
        # A worker silent this long is killed and replaced (its loop beats every half of it).
        "timeout": settings.worker_timeout,
        # uvicorn gives in-flight requests shutdown_timeout (app/web/worker.py); the arbiter
        # kills a worker still there a second later.
        "graceful_timeout": settings.shutdown_timeout + 1,
        "keepalive": settings.keep_alive_timeout,
        # No runtime control socket (gunicornc): nothing of sayso uses it, and two servers on
        # one machine would fight over its default path.
        "control_socket_disable": True,
        "child_exit": pool.worker_exited,
    }


def main(argv: list[str]) -> int:
    host, port, workers = argv[0], int(argv[1]), max(1, int(argv[2]))
    metrics_dir.prepare()  # with SAYSO_METRICS on: the workers' shared folder, before they fork
    Application(host, port, workers, get_settings()).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

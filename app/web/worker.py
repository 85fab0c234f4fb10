"""A server worker: uvicorn serving the app in a process of gunicorn's pool (app/web/server.py).

The worker class is uvicorn's for gunicorn (the `uvicorn-worker` package), given what sayso's
server needs once the process has forked: the HTTP limits of the settings (docs/http-limits.md,
app/web/connection.py), sayso's log instead of gunicorn's handlers and uvicorn's access log,
the graceful shutdown's bound, and the process's tuning once the app has started (settle).

The supervisor's liveness check rides on uvicorn's main loop: once a second it runs on the
worker's event loop, and every half SAYSO_WORKER_TIMEOUT it calls back to gunicorn, which
touches the worker's heartbeat file. A loop blocked (a read that never yields, a process
stopped) stops the heartbeat, and the arbiter kills the worker once the heartbeat is older than
SAYSO_WORKER_TIMEOUT.
"""

import asyncio
import contextlib
import gc
import logging
import os
import signal
import sys
import time
from types import FrameType
from typing import Any

from uvicorn import Server
from uvicorn_worker import UvicornWorker

from app.config import get_settings

log = logging.getLogger("sayso.server")

# Exit status of a worker whose app did not start (its lifespan failed: a database that does not
# answer, say). Not gunicorn's boot error (3, uvicorn's own status for it), which stops the whole
# server at once: the supervisor counts these and gives up only when they keep coming
# (app/web/server.py). An app that cannot even be loaded is a boot error.
STARTUP_FAILED = 1
# Seconds a quick stop (SIGINT, SIGQUIT) leaves the requests in flight.
QUICK_STOP_S = 1


class SettledServer(Server):
    """uvicorn's server, tuning its process once the app has started."""

    async def startup(self, sockets: Any = None) -> None:
        try:
            await super().startup(sockets)
        except SystemExit:  # uvicorn's status for a failed start-up is gunicorn's boot error
            sys.exit(STARTUP_FAILED)
        settle()


class Heartbeat:
    """A worker's heartbeat file (gunicorn's WorkerTmp), which also tells the arbiter, once the
    worker is gone, whether it ever beat: whether its app had started. gunicorn sets the file's
    time from the monotonic clock at each beat; until the first, it has its creation time
    (since 1970, far larger)."""

    def __init__(self, tmp: Any) -> None:
        self.tmp = tmp
        self.had_beaten = False

    def notify(self) -> None:
        self.tmp.notify()

    def last_update(self) -> float:
        return float(self.tmp.last_update())

    def fileno(self) -> int:
        return int(self.tmp.fileno())

    def close(self) -> None:  # the arbiter closes it when it has reaped the worker
        with contextlib.suppress(OSError, ValueError):
            self.had_beaten = self.last_update() <= time.monotonic()
        self.tmp.close()


class Worker(UvicornWorker):  # type: ignore[misc]  # uvicorn-worker ships no types
    """uvicorn's gunicorn worker, configured from sayso's settings after the fork (its
    constructor runs in the arbiter, which needs none of it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # gunicorn's WorkerTmp, untyped (read from the instance: mypy cannot type the base's).
        self.tmp: Heartbeat = Heartbeat(self.__dict__["tmp"])

    def init_process(self) -> None:
        # Imported here, after the fork: the arbiter does without httptools' protocol.
        from app.web.connection import limited_http

        settings = get_settings()
        config = self.config
        config.http = limited_http(
            settings.max_head_bytes,
            settings.head_timeout,
            settings.body_timeout,
            settings.send_timeout,
        )
        config.timeout_keep_alive = settings.keep_alive_timeout
        config.ws = "none"  # the API has no WebSocket
        config.access_log = False  # the app has its own (app/web/access.py)
        # In-flight requests get this long once the worker is told to stop; then uvicorn cancels
        # them and the worker exits (the arbiter's own bound, a second later, kills it).
        config.timeout_graceful_shutdown = settings.shutdown_timeout
        # uvicorn's records go to sayso's handler (set up in the arbiter: app/web/server.py),
        # its own from WARNING up; uvicorn-worker pointed them at gunicorn's handlers.
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
            logger = logging.getLogger(name)
            logger.handlers = []
            logger.propagate = True
            logger.setLevel(logging.WARNING)
        # uvicorn closes the listening socket that asyncio's server has already closed, and
        # gunicorn says so at INFO on every stop: harmless (gunicorn issue 3013), and not news.
        logging.getLogger("gunicorn.error").addFilter(_no_double_close)
        super().init_process()

    def init_signals(self) -> None:
        super().init_signals()
        signal.signal(signal.SIGABRT, self._blocked)

    def _blocked(self, _signum: int, _frame: FrameType | None) -> None:
        """SIGABRT: the arbiter found this worker's heartbeat older than SAYSO_WORKER_TIMEOUT.
        Runs as soon as the interpreter gets control back (a stopped process never does: the
        arbiter's SIGKILL follows a second later), and says where the event loop was."""
        log.error(
            "worker %d: its event loop did not answer for %d s; exiting",
            os.getpid(),
            self.cfg.timeout,
            stack_info=True,
        )
        os._exit(1)

    async def _serve(self) -> None:
        # As UvicornWorker._serve, with the settling server, and a start-up that failed told
        # apart from an app that could not be loaded (a boot error, raised before this runs).
        self.config.app = self.wsgi
        server = self.server = SettledServer(config=self.config)
        # SIGQUIT (what the arbiter sends on SIGINT or SIGQUIT): stop now, without waiting out
        # the requests in flight. (UvicornWorker's own handler only marks gunicorn's worker as
        # not alive, which uvicorn never reads: the arbiter then waits out its whole bound.)
        asyncio.get_running_loop().add_signal_handler(signal.SIGQUIT, _quit, server)
        await server.serve(sockets=self.sockets)
        if not server.started:
            sys.exit(STARTUP_FAILED)

    async def callback_notify(self) -> None:
        """The heartbeat, from uvicorn's main loop; and a worker whose arbiter is gone (killed:
        its workers are reparented) stops, as a stopped server's would. (gunicorn's own workers
        check this; uvicorn's worker does not, and its orphans went on serving.)"""
        if os.getppid() != self.ppid:
            log.warning("worker %d: the arbiter (%d) is gone; stopping", os.getpid(), self.ppid)
            self.server.should_exit = True
            return
        self.notify()


def _quit(server: Server) -> None:
    """Stop now: requests in flight get QUICK_STOP_S, then are cut; the app's shutdown runs."""
    server.config.timeout_graceful_shutdown = QUICK_STOP_S
    server.should_exit = True


def _no_double_close(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("Error while closing socket [Errno 9]")


def settle() -> None:
    """Tune a worker's process once the app has started: what start-up built lives as long as
    the process, so keep the cycle collector from rescanning it on every full collection (those
    scans were the slow requests' p99), and give back to the system what start-up freed (~2 MB a
    worker). This is the process's business, not the app's: an app built in a test or another
    server leaves its host process alone."""
    from app.db.reads import release_freed_memory

    gc.collect()
    gc.freeze()
    release_freed_memory()

"""`sayso serve`: uvicorn workers under a small pre-fork supervisor.

uvicorn's own `--workers` supervisor is a whole uvicorn process (~29 MB) with multiprocessing's
resource tracker (~13 MB) beside the workers: a fifth of the server's memory with two workers.
This supervisor is the standard library alone. It binds the socket, forks the workers (each
imports uvicorn and the app after the fork and serves on the inherited socket: the kernel hands
each connection to one of them), starts a new worker when one dies, and on SIGINT or SIGTERM
stops them all and waits for them. With one worker there is nothing to supervise: the process
serves by itself.

    python -m app.web.server HOST PORT WORKERS     (what `sayso serve` runs)
"""

import contextlib
import gc
import os
import signal
import socket
import sys
import time
import traceback
from typing import TYPE_CHECKING

from app.web import metrics_dir

if TYPE_CHECKING:
    import uvicorn

APP = "app.main:app"
# Workers that die this soon after starting, this many times in a row per worker, mean the app
# cannot start (a broken database URL, say): the server gives up instead of forking forever.
QUICK_DEATH_S = 10.0
QUICK_DEATHS_PER_WORKER = 3


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, as uvicorn would bind it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def work(sock: socket.socket) -> None:
    """Serve the app on SOCK until told to stop (SIGINT or SIGTERM: uvicorn's graceful exit)."""
    import uvicorn

    class Worker(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            settle()

    Worker(config()).run(sockets=[sock])


def config() -> "uvicorn.Config":
    """uvicorn's configuration: the app, and the HTTP limits of the settings
    (docs/http-limits.md). The log is sayso's (app/web/logs.py, set up here): uvicorn's records
    go to its handler, uvicorn's own from WARNING up, and uvicorn's access log is off (the app
    has its own: app/web/access.py)."""
    import uvicorn

    from app.config import get_settings
    from app.web.connection import limited_http
    from app.web.logs import configure

    settings = get_settings()
    configure(settings.log_level, settings.log_format)
    return uvicorn.Config(
        APP,
        log_config=None,
        log_level="warning",
        access_log=False,
        http=limited_http(
            settings.max_head_bytes,
            settings.head_timeout,
            settings.body_timeout,
            settings.send_timeout,
        ),
        timeout_keep_alive=settings.keep_alive_timeout,
        ws="none",  # the API has no WebSocket
    )


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


class Supervisor:
    """Keeps WORKERS forked workers serving on one socket."""

    def __init__(self, sock: socket.socket, workers: int) -> None:
        self.sock = sock
        self.workers = workers
        self.children: dict[int, float] = {}  # pid -> when it started
        self.stopping = False

    def spawn(self) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            code = 0
            try:
                work(self.sock)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        self.children[pid] = time.monotonic()

    def stop(self, _signum: int = 0, _frame: object = None) -> None:
        self.stopping = True
        for pid in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def run(self) -> int:
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)
        for _ in range(self.workers):
            self.spawn()
        quick_deaths = 0
        while self.children:
            try:
                pid, status = os.wait()  # a signal runs stop() and the wait goes on
            except ChildProcessError:
                break
            started = self.children.pop(pid, None)
            if started is None or self.stopping:
                continue
            metrics_dir.worker_exited(pid)
            code = os.waitstatus_to_exitcode(status)
            quick_deaths = quick_deaths + 1 if time.monotonic() - started < QUICK_DEATH_S else 0
            if quick_deaths >= QUICK_DEATHS_PER_WORKER * self.workers:
                print("sayso: the workers keep failing to start; stopping", file=sys.stderr)
                self.stop()
                return 1
            print(f"sayso: worker {pid} exited ({code}); starting another", file=sys.stderr)
            self.spawn()
        return 0


def _stop_quietly(_signum: int, _frame: object) -> None:
    """What SIGINT and SIGTERM do once uvicorn has shut down gracefully on them: nothing more.
    (uvicorn raises the signal again after its shutdown, and the default action would end the
    process by the signal, or with a KeyboardInterrupt traceback: `make run` then reports an
    error for a server stopped as it should be.)"""


def main(argv: list[str]) -> int:
    host, port, workers = argv[0], int(argv[1]), int(argv[2])
    metrics_dir.prepare()  # with SAYSO_METRICS on: the workers' shared folder
    try:
        sock = bind(host, port)
    except OSError as exc:
        print(f"sayso: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 1
    if workers <= 1:
        signal.signal(signal.SIGINT, _stop_quietly)
        signal.signal(signal.SIGTERM, _stop_quietly)
        work(sock)
        return 0
    return Supervisor(sock, workers).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

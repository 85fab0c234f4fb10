"""The price of POST /extract in a server worker: extractions run in processes of their own
(app/extract/child.py), at most `extract_concurrency` at once, each bounded in CPU time and
memory (docs/extract-limits.md).

Why processes: an extraction is pure-Python CPU work. Run in a thread of the worker, it held the
GIL from the event loop that serves reads inline (reads on that worker stalled up to 2.7 s behind
a long text), it could not be stopped once started, and the memory it took stayed with the
worker. In a child process the worker's thread only waits on a pipe; the child's CPU time and
memory are bounded by the kernel, and a child that passes a bound is ended and replaced.

The children are started when first needed (a fresh interpreter, spawned rather than forked from
a worker that has threads, an event loop and database connections: ~0.7 s of CPU, once), kept
for the next requests, and replaced after a job that left one RECYCLE_MB larger than it started,
or that passed a bound. One leaves by itself after IDLE_SECONDS without a job (its ~160 MB go
back to the system: ~70 MB of code, ~90 MB of the language detector's model, loaded at start).
"""

import contextlib
import logging
import math
import os
import pickle
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
from fastapi import FastAPI

from app.config import Settings
from app.extract import child as child_process
from app.extract.article import ArticleMeta
from app.extract.pipeline import Extraction
from app.web.errors import SaysoError

log = logging.getLogger(__name__)

# A child that has had no job for this long leaves (its memory goes back to the system).
IDLE_SECONDS = 600.0
# A child left with this much more memory than it started with by a job is replaced.
RECYCLE_MB = 64.0
# How long a child may take to start, and how long it is given to leave when told to.
START_SECONDS = 60.0
STOP_SECONDS = 5.0
# How often the worker looks at the memory of a child at work (a read of /proc).
WATCH_SECONDS = 0.1
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
# The wall-clock backstop of a job, beyond its CPU-time bound: on a busy machine a job's
# wall-clock time is several times its CPU time (7x measured on a shared 2-core machine, and the
# child yields to the server: child.NICENESS); a child past this is stuck, and is ended.
WALL_FACTOR = 10.0
WALL_MARGIN_S = 30.0
_ROOT = Path(__file__).resolve().parent.parent.parent
_COMMAND = "from app.extract.child import main; main()"


class Unavailable(SaysoError):
    """503: the server will not do this now (the extraction bounds)."""

    status = 503
    title = "Service unavailable"

    def __init__(
        self, detail: str, *, outcome: str = "failed", headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail, headers=headers)
        # What the metrics count it as (app/web/prometheus.py EXTRACTION_OUTCOMES).
        self.outcome = outcome


@dataclass(frozen=True)
class Bounds:
    """What one extraction may take, and how many at once (from the settings)."""

    cpu_seconds: float
    memory_mb: int
    concurrency: int
    queue_seconds: float

    @classmethod
    def of(cls, settings: Settings) -> "Bounds":
        return cls(
            settings.extract_cpu_seconds,
            settings.extract_memory_mb,
            settings.extract_concurrency,
            settings.extract_queue_seconds,
        )

    @property
    def wall_seconds(self) -> float:
        return self.cpu_seconds * WALL_FACTOR + WALL_MARGIN_S


class _Gone(Exception):
    """The child ended (or was ended: past the wall-clock backstop, or over its memory bound)
    before it replied."""

    def __init__(
        self, returncode: int | None, *, timed_out: bool = False, over_memory: bool = False
    ) -> None:
        super().__init__(returncode)
        self.returncode = returncode
        self.timed_out = timed_out
        self.over_memory = over_memory


class _Child:
    """One extraction process, seen from the worker (used by one thread at a time)."""

    def __init__(self, database_url: str, bounds: Bounds, idle_seconds: float) -> None:
        env = dict(os.environ)
        # The app's package, wherever the worker found it.
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _COMMAND],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            close_fds=True,
        )
        self.stdout = self.proc.stdout.fileno()  # type: ignore[union-attr]
        config = {
            "database_url": database_url,  # on the pipe: never on a command line
            "memory_mb": bounds.memory_mb,
            "idle_seconds": idle_seconds,
        }
        try:
            child_process.send(self.proc.stdin, config)  # type: ignore[arg-type]
            _, baseline_mb = self._receive(time.monotonic() + START_SECONDS)  # "ready"
        except BaseException:
            self.stop()
            raise
        # The resident memory past which a job is ended.
        self.memory_cap_mb = baseline_mb + bounds.memory_mb

    @property
    def pid(self) -> int:
        return self.proc.pid

    def run(self, job: dict[str, Any], wall_seconds: float) -> tuple[Any, ...]:
        """JOB's reply; _Gone if the child ended first (or passed WALL_SECONDS: it is ended)."""
        try:
            child_process.send(self.proc.stdin, job)  # type: ignore[arg-type]
        except (BrokenPipeError, OSError):
            raise _Gone(self._ended()) from None
        reply: tuple[Any, ...] = self._receive(time.monotonic() + wall_seconds, watch=True)
        return reply

    def _receive(self, deadline: float, watch: bool = False) -> Any:
        header = self._read(8, deadline, watch)
        return pickle.loads(self._read(int.from_bytes(header, "big"), deadline, watch))

    def _read(self, n: int, deadline: float, watch: bool) -> bytes:
        """N bytes from the child; while waiting for them, with WATCH, its memory is looked at
        every WATCH_SECONDS, and it is ended past its bound."""
        data = bytearray()
        while len(data) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise _Gone(self.proc.returncode, timed_out=True)
            wait = min(left, WATCH_SECONDS) if watch else left
            if not select.select([self.stdout], [], [], wait)[0]:
                if watch and self._resident_mb() > self.memory_cap_mb:
                    self.kill()
                    raise _Gone(self.proc.returncode, over_memory=True)
                continue
            chunk = os.read(self.stdout, n - len(data))
            if not chunk:
                raise _Gone(self._ended())
            data += chunk
        return bytes(data)

    def _resident_mb(self) -> float:
        """The child's resident memory (0 where /proc cannot say: RLIMIT_AS alone bounds it)."""
        try:
            with open(f"/proc/{self.proc.pid}/statm") as statm:
                return int(statm.read().split()[1]) * _PAGE / 2**20
        except (OSError, IndexError, ValueError):
            return 0.0

    def _ended(self) -> int | None:
        """The exit status of a child whose pipe has closed."""
        try:
            return self.proc.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.proc.returncode

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self.proc.wait()

    def stop(self) -> None:
        """End the child: its stdin closed, it leaves; if it does not, it is killed."""
        with contextlib.suppress(OSError):
            self.proc.stdin.close()  # type: ignore[union-attr]
        try:
            self.proc.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
        with contextlib.suppress(OSError):
            self.proc.stdout.close()  # type: ignore[union-attr]


class Extractors:
    """A server worker's extraction processes: at most BOUNDS.concurrency at work; a request
    beyond waits up to BOUNDS.queue_seconds for one, then is answered 503 with Retry-After."""

    def __init__(
        self, database_url: str, bounds: Bounds, idle_seconds: float = IDLE_SECONDS
    ) -> None:
        self.database_url = database_url
        self.bounds = bounds
        self.idle_seconds = idle_seconds
        self._slots = anyio.Semaphore(bounds.concurrency)
        self._lock = threading.Lock()
        self._idle: list[_Child] = []
        self._busy: set[_Child] = set()
        self._closed = False
        self.running = 0  # extractions under way (slots taken)

    def pids(self) -> list[int]:
        """The process ids of the children (idle or at work)."""
        with self._lock:
            return [c.pid for c in (*self._idle, *self._busy)]

    async def draft(self, text: str, meta: ArticleMeta) -> Extraction:
        """The draft of an article, made in a child within the bounds; Unavailable (503) when
        every slot stays taken for BOUNDS.queue_seconds, or when the extraction passes a bound."""
        with anyio.move_on_after(self.bounds.queue_seconds) as waited:
            await self._slots.acquire()
        if waited.cancelled_caught:
            n, wait = self.bounds.concurrency, self.bounds.queue_seconds
            raise Unavailable(
                f"This server worker is already running {n} extraction(s), its cap (setting "
                f"extract_concurrency), and none ended within {wait:g} s (setting "
                "extract_queue_seconds). Try again later.",
                outcome="refused",
                headers={"Retry-After": str(max(1, math.ceil(self.bounds.cpu_seconds)))},
            )
        self.running += 1
        try:
            # The slot is held until the child has answered, even if the request is abandoned:
            # the cap counts processes at work, not requests waiting.
            with anyio.CancelScope(shield=True):
                extraction = await anyio.to_thread.run_sync(self._run, text, meta)
        finally:
            self.running -= 1
            self._slots.release()
        return extraction

    def _run(self, text: str, meta: ArticleMeta) -> Extraction:
        job = {"text": text, "meta": meta, "cpu_seconds": self.bounds.cpu_seconds}
        for attempt in (1, 2):
            worker = self._checkout()
            try:
                reply = worker.run(job, self.bounds.wall_seconds)
            except _Gone as gone:
                self._retire(worker)
                if gone.returncode == child_process.IDLE_EXIT and attempt == 1:
                    continue  # it left, idle, as the job came: it never read it
                raise self._failure(gone) from None
            except BaseException:
                worker.kill()
                self._retire(worker)
                raise
            kind, *rest, grown_mb = reply
            if kind == "ok" and grown_mb <= RECYCLE_MB:
                self._checkin(worker)
            else:
                self._retire(worker)
            if kind == "ok":
                extraction: Extraction = rest[0]
                return extraction
            raise self._refusal(kind, rest)
        raise AssertionError("unreachable")

    def _checkout(self) -> _Child:
        with self._lock:
            if self._closed:
                raise Unavailable("The server is stopping.", outcome="refused")
            while self._idle:
                worker = self._idle.pop()
                if worker.proc.poll() is None:
                    self._busy.add(worker)
                    return worker
                worker.stop()  # it left, idle
        try:
            worker = _Child(self.database_url, self.bounds, self.idle_seconds)
        except Exception as exc:
            log.exception("an extraction process did not start")
            raise Unavailable("The extraction process did not start; it is logged.") from exc
        with self._lock:
            self._busy.add(worker)
        return worker

    def _checkin(self, worker: _Child) -> None:
        with self._lock:
            self._busy.discard(worker)
            if not self._closed:
                self._idle.append(worker)
                return
        worker.stop()

    def _retire(self, worker: _Child) -> None:
        """WORKER is not used again: it is told to leave (or was ended), and its pipes closed."""
        with self._lock:
            self._busy.discard(worker)
        worker.stop()

    def _failure(self, gone: _Gone) -> Unavailable:
        """What to answer when the child ended before it replied."""
        if gone.timed_out:
            log.warning("an extraction took longer than %.0f s: ended", self.bounds.wall_seconds)
            return Unavailable(
                f"The extraction did not finish within {self.bounds.wall_seconds:g} s and was "
                "stopped.",
                outcome="timed_out",
            )
        if gone.over_memory:
            return self._refusal("memory", [])
        if gone.returncode == -signal.SIGXCPU:
            return self._refusal("cpu", [])
        log.warning("an extraction process ended with status %s", gone.returncode)
        return Unavailable("The extraction process failed; it is logged.")

    def _refusal(self, kind: str, rest: list[Any]) -> Unavailable:
        if kind == "cpu":
            return Unavailable(
                f"The extraction passed its CPU-time bound of {self.bounds.cpu_seconds:g} s "
                "(setting extract_cpu_seconds) and was stopped: the text is too long or too "
                "unusual to draft here. Send a part of it.",
                outcome="timed_out",
            )
        if kind == "memory":
            return Unavailable(
                f"The extraction passed its memory bound of {self.bounds.memory_mb} MB (setting "
                "extract_memory_mb) and was stopped. Send a part of the text.",
                outcome="over_memory",
            )
        log.error("an extraction failed in its process: %s", rest[0] if rest else kind)
        return Unavailable("The extraction failed; it is logged.")

    def close(self) -> None:
        """End every child (the app is shutting down): the idle ones are told to leave; one
        still at work is killed (its request is answered 503 by the thread waiting on it)."""
        with self._lock:
            self._closed = True
            idle, busy = list(self._idle), list(self._busy)
            self._idle.clear()
        for worker in busy:
            with contextlib.suppress(ProcessLookupError):
                worker.proc.kill()
        for worker in idle:
            worker.stop()


def extractors(app: FastAPI) -> Extractors:
    """The app's extraction processes, made on first use (in this worker)."""
    pool: Extractors | None = getattr(app.state, "extractors", None)
    if pool is None:
        settings: Settings = app.state.settings
        pool = Extractors(settings.database_url, Bounds.of(settings))
        app.state.extractors = pool
    return pool


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The extraction processes end with the app."""
    try:
        yield
    finally:
        pool: Extractors | None = getattr(app.state, "extractors", None)
        if pool is not None:
            await anyio.to_thread.run_sync(pool.close)
            del app.state.extractors

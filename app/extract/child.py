"""An extraction process: drafts annotations, one job at a time, for the server worker that
started it (app/extract/runner.py), inside bounds of CPU time and memory.

It is a fresh interpreter (spawned, not forked: nothing of the worker's sockets, threads and
database connections comes with it) that opens its own database engine (an SQLite file
read-only: reading_url). The worker writes jobs
to its stdin and reads replies on its stdout, each a length-prefixed pickle; it ends when its
stdin closes (the worker closed it, or the worker itself ended) or when it has waited idle for
as long as it was told (exit status IDLE_EXIT).

Each job's CPU time is bounded twice: ITIMER_PROF raises CpuTimeExceeded in the extraction when
the bound has passed (Python code stops at its next instruction), and RLIMIT_CPU, a second
later, has the kernel end the process if something would not return to Python (a regular
expression, say). Its memory is watched by the worker, which ends the process when its resident
memory passes the bound (runner.py); RLIMIT_AS, at twice the bound, is the backstop for an
allocation too quick to be seen (then the allocation fails: MemoryError, answered as the memory
bound). It runs at a lower CPU priority than the server (NICENESS): when both want the
machine's cores, reads come first.
"""

import contextlib
import logging
import math
import os
import pickle
import resource
import select
import signal
import sys
from pathlib import Path
from typing import IO, Any, NoReturn

from sqlalchemy import Engine, make_url
from sqlalchemy.orm import Session

from app.db.engine import make_engine
from app.db.reads import release_freed_memory
from app.extract import language, parse
from app.extract.article import ArticleMeta
from app.extract.known_db import known_from_db
from app.extract.pipeline import Extraction, extract

# What the process exits with when it leaves for having been idle: it read no job.
IDLE_EXIT = 75
# How extract() words a failure it caught (app/extract/pipeline.py): a MemoryError it caught is
# this process's memory bound.
_OUT_OF_MEMORY = "(MemoryError"
# The kernel's hard stop comes this long after the Python one (RLIMIT_CPU counts whole seconds).
_KERNEL_GRACE_S = 1
# The process's CPU priority below the server's: when both want the CPU, reads come first.
NICENESS = 10
# RLIMIT_AS: what the process has mapped when ready, plus this many times the memory bound.
BACKSTOP_FACTOR = 2


class _NoMemoryTraceback(logging.Filter):
    """Out of memory, formatting a traceback fails again and again (with a long chain of
    MemoryErrors, seconds of CPU were spent in it): such a record is logged without one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], MemoryError):
            record.exc_info = None
            record.msg = f"{record.msg}: out of memory (the extraction's memory bound)"
        return True


class CpuTimeExceeded(BaseException):
    """The job's CPU time has passed its bound. A BaseException: extract() catches any Exception
    (a rule's bug becomes a reason in the draft); this must get through."""


# -- the wire: length-prefixed pickles (both ends are this code base) --------------------------


def send(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "big"))
    stream.write(data)
    stream.flush()


def _read_exactly(stream: IO[bytes], n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def receive(stream: IO[bytes]) -> Any:
    """The next message on STREAM; None when it has closed."""
    header = _read_exactly(stream, 8)
    data = _read_exactly(stream, int.from_bytes(header, "big")) if header else None
    return pickle.loads(data) if data is not None else None


# -- the process ---------------------------------------------------------------------------------


def draft(engine: Engine, text: str, meta: ArticleMeta) -> Extraction:
    """The draft of an article, against the actors and claims the database knows (it writes
    nothing)."""
    with Session(engine) as session:
        outlet = meta.outlet
        return extract(text, meta, lookup=lambda a: known_from_db(session, a, outlet))


def reading_url(database_url: str) -> str:
    """The URL the process reads the database through: an SQLite file is opened read-only.

    The app's sessions begin with BEGIN IMMEDIATE on SQLite (app/db/engine.py: right for the
    writes they are for), which takes the file's write lock until the session closes; the
    extraction's session lasts as long as the extraction (its lookups and the draft's), seconds
    on a long text, and every writer would wait behind it. Read-only, it takes no lock."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return database_url
    if url.query.get("uri"):  # already a URI: as it is
        return database_url
    path = Path(url.database).resolve().as_uri()
    read_only = url.set(database=path, query={**url.query, "mode": "ro", "uri": "true"})
    return read_only.render_as_string(hide_password=False)


def _on_cpu_bound(_signum: int, _frame: object) -> None:
    raise CpuTimeExceeded


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _memory_mb(field: str) -> float:
    """A VmRSS or VmSize line of /proc/self/status, in MB (0 where there is no /proc)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _limit(kind: int, soft: int) -> None:
    """Set a soft resource limit, keeping the hard one (which only a superuser may raise)."""
    hard = resource.getrlimit(kind)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    # Where the system refuses it, the Python-level bound (ITIMER_PROF) stands alone.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(kind, (soft, hard))


def run_job(engine: Engine, job: dict[str, Any]) -> tuple[Any, ...]:
    """One job: ("ok", extraction), ("cpu", seconds used), ("memory",) or ("error", what)."""
    cpu = float(job["cpu_seconds"])
    start = _cpu_used()
    _limit(resource.RLIMIT_CPU, math.ceil(start + cpu) + _KERNEL_GRACE_S)
    try:
        try:
            signal.setitimer(signal.ITIMER_PROF, cpu)
            result = draft(engine, job["text"], job["meta"])
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
    except CpuTimeExceeded:
        return ("cpu", _cpu_used() - start)
    except MemoryError:
        return ("memory",)
    except Exception as exc:  # extract() catches its own; this is the process's failure
        return ("error", f"{type(exc).__name__}: {exc}")
    if result.reason is not None and _OUT_OF_MEMORY in result.reason:
        return ("memory",)
    return ("ok", result)


def main() -> NoReturn:
    """Serve jobs from stdin until it closes, or until idle for the time the worker said."""
    # The replies go on a copy of stdout; stdout itself goes to stderr, so that nothing printed
    # by accident can garble a reply.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    # Unbuffered: select() below must see every byte not yet read.
    jobs = os.fdopen(0, "rb", buffering=0)
    # Ctrl-C in a terminal signals the whole process group: the worker decides when this ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGPROF, _on_cpu_bound)
    _limit(resource.RLIMIT_CORE, 0)  # a process ended by RLIMIT_CPU leaves no core file
    os.nice(NICENESS)
    config = receive(jobs)
    if config is None:
        sys.exit(0)
    engine = make_engine(reading_url(config["database_url"]))
    try:  # load the database driver now, so that the memory bound counts jobs alone
        with engine.connect():
            pass
    except Exception:
        pass  # a job will say what is wrong: extract() reports a failed lookup
    # extract() logs what it caught, with its traceback, on stderr (the server's log).
    logging.getLogger("app.extract.pipeline").addFilter(_NoMemoryTraceback())
    language.warm()  # the language detector's model (~90 MB), loaded once, not in a job
    parse.warm()  # the parser (~90 MB), likewise
    baseline = _memory_mb("VmRSS")
    mapped = _memory_mb("VmSize")
    if mapped:
        backstop = mapped + BACKSTOP_FACTOR * config["memory_mb"]
        _limit(resource.RLIMIT_AS, int(backstop * 1024 * 1024))
    send(replies, ("ready", baseline))
    idle = config["idle_seconds"]
    try:
        while True:
            if not select.select([jobs], [], [], idle)[0]:
                sys.exit(IDLE_EXIT)
            job = receive(jobs)
            if job is None:
                sys.exit(0)
            reply: tuple[Any, ...]
            try:
                reply = run_job(engine, job)
            except MemoryError:  # in the unwinding of a job that ran out (run_job saw it first)
                reply = ("memory",)
            del job
            release_freed_memory()  # what the job freed goes back to the system
            grown = _memory_mb("VmRSS") - baseline
            try:
                send(replies, (*reply, grown))
            except MemoryError:  # the draft fitted, its copy for the reply did not
                del reply
                send(replies, ("memory", grown))
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()

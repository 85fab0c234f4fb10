"""WAL positions: a write's, for its answer (`X-Sayso-LSN`), read back on a replica that has
replayed it (app/db/replicas.py, docs/scaling.md#reading-your-own-writes)."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

log = logging.getLogger("sayso.replicas")

# The WAL positions of the commits this request made (None: not a request whose writes are
# reported: there are no replicas, or it is not a request).
_commits: ContextVar[list[int] | None] = ContextVar("sayso_commits", default=None)


def parse_lsn(value: str) -> int:
    """A WAL position as PostgreSQL writes it ('16/B374D848') as a number; ValueError if it is
    not one."""
    high, slash, low = value.strip().partition("/")
    if not slash or not 0 < len(high) <= 8 or not 0 < len(low) <= 8:
        raise ValueError(f"{value!r} is not a WAL position (like 0/3000148)")
    try:
        return int(high, 16) << 32 | int(low, 16)
    except ValueError:
        raise ValueError(f"{value!r} is not a WAL position (like 0/3000148)") from None


def format_lsn(lsn: int) -> str:
    """A WAL position as PostgreSQL writes it."""
    return f"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}"


def reason(exc: BaseException) -> str:
    """A driver's error in one line: its class and its message's first line."""
    words = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {words[0]}" if words else type(exc).__name__


@contextmanager
def reporting_commits() -> Iterator[list[int]]:
    """The WAL positions of the block's commits (note_commit), for the answer's header."""
    commits: list[int] = []
    token = _commits.set(commits)
    try:
        yield commits
    finally:
        _commits.reset(token)


def note_commit(engine: Engine) -> None:
    """After a write's commit, in a request whose commits are reported: where the primary's
    WAL is (primary_position)."""
    commits = _commits.get()
    if commits is not None and (position := primary_position(engine)) is not None:
        commits.append(position)


def primary_position(engine: Engine) -> int | None:
    """The primary's WAL insert position: past the record of every commit made before, which
    pg_current_wal_lsn (where WAL has been written to) may not be yet when commits do not wait
    for the disk (synchronous_commit=off). None, and a log line, if it is not to be had (a
    write has committed all the same: its answer goes without it)."""
    try:
        with engine.connect() as conn:
            found = conn.exec_driver_sql("SELECT pg_current_wal_insert_lsn()::text").scalar_one()
    except DBAPIError as exc:
        log.warning("the primary's WAL position is not to be had: %s", reason(exc))
        return None
    return parse_lsn(found)

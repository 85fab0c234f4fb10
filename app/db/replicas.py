"""Reads spread over PostgreSQL streaming replicas, writes on the primary, and a client's own
writes read back (docs/scaling.md).

`ReplicatedReads` is a ReadDB (app/db/reads.py) that each read service uses as it uses the
primary's: which database answers is chosen once per request, before its endpoint runs
(app/web/read_routing.py `choose`), and kept in a context variable for the request's task (and
the worker threads it starts, which copy it: an export's connection is opened in one). Outside
a routed request (a write, `/ready`, the desk, the command line) every read goes to the primary.

A replica is in use while it answers, is a standby, and has replayed what the primary had
written `max_lag` seconds ago. Each worker checks that in a thread of its own, every
`check_interval` seconds, on a connection of its own to each server (not a query per read): the
primary's WAL position, then each replica's replay position. A replica that fails a check, or
whose read fails on a broken connection, is skipped until a check finds it well again; each
change is logged (`sayso.replicas`).

Read your own writes: a write's answer carries the WAL position the primary had reached when it
had committed (`X-Sayso-LSN`, app/db/wal.py); a read that sends it back is answered by a replica
that has replayed at least that far, waiting up to `wait` seconds for one, else by the primary.
Each replica, and what the last check found of it: app/db/replica.py.
"""

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from sqlalchemy import make_url

from app.db.reads import SQL, Apart, PostgresReads, ReadDB, Row, reads_for
from app.db.replica import CHECK_TIME_LIMIT, REPLAYED, Replica, broken, driver
from app.db.wal import parse_lsn, reason

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger("sayso.replicas")

# How long a read waiting for a replica to replay its client's write waits before it asks
# again: 1 ms, then twice as long each time, up to 10 ms (a replica close by replays a commit
# in well under a millisecond: bench/replicas.py).
POLL_FIRST_S = 0.001
POLL_MAX_S = 0.01

# The replica this request's reads go to (None: the primary).
_replica: ContextVar[Replica | None] = ContextVar("sayso_replica", default=None)


class ReplicatedReads:
    """Reads on a primary and its streaming replicas (the module's docstring)."""

    dialect = "postgresql"

    def __init__(
        self,
        primary: PostgresReads,
        replicas: list[Replica],
        *,
        max_lag: float,
        check_interval: float,
        wait: float,
    ) -> None:
        self.primary = primary
        self.replicas = replicas
        self.max_lag = max_lag
        self.check_interval = check_interval
        self.wait = wait
        # The primary's WAL positions, (monotonic time, position), oldest first, as far back as
        # the lag bound needs.
        self.positions: deque[tuple[float, int]] = deque()
        self._primary_check: psycopg.Connection[tuple[Any, ...]] | None = None
        self._primary_lost = False
        self._next = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the ReadDB of the request ----------------------------------------------------------

    def all(self, query: SQL, params: Mapping[str, Any] | None = None) -> list[Row]:
        replica = _replica.get()
        if replica is not None:
            try:
                return replica.reads.all(query, params)
            except driver().Error as exc:
                self._failed(replica, exc)
        return self.primary.all(query, params)

    def one(self, query: SQL, params: Mapping[str, Any] | None = None) -> Row | None:
        found = self.all(query, params)
        return found[0] if found else None

    def apart(self) -> Apart:
        replica = _replica.get()
        if replica is not None:
            try:
                return replica.reads.apart()
            except driver().Error as exc:
                self._failed(replica, exc)
        return self.primary.apart()

    def _failed(self, replica: Replica, exc: BaseException) -> None:
        """A read on REPLICA failed: the rest of the request reads on the primary, and the
        replica is skipped if it is gone (until a check finds it back)."""
        _replica.set(None)
        if broken(exc):
            replica.skip(f"a read failed: {reason(exc)}")
        else:
            log.info("%s: a read failed, answered by the primary: %s", replica.name, reason(exc))

    def open(self) -> None:
        """The primary's connection; the replicas checked once (the first requests know which
        to use), then every check_interval seconds in a thread."""
        self.primary.open()
        self.check()
        self._thread = threading.Thread(target=self._checking, name="replica checks", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.primary.close()
        if self._primary_check is not None:
            self._primary_check.close()
        for replica in self.replicas:
            replica.close()

    # -- choosing ---------------------------------------------------------------------------

    async def choose(self, written: int | None) -> Replica | None:
        """The replica for a read (None: the primary): one in use, in turn; for a client that
        wrote at WAL position WRITTEN, one that has replayed it, waited for up to `wait`
        seconds."""
        ready = [r for r in self.replicas if r.in_use]
        if not ready:
            return None
        if written is not None:
            ready = await self._replayed(ready, written)
            if not ready:
                return None
        self._next = (self._next + 1) % len(ready)
        return ready[self._next]

    async def _replayed(self, ready: list[Replica], written: int) -> list[Replica]:
        """The replicas of READY that have replayed WRITTEN: as the last check found them, else
        as they say now, asked again (POLL_FIRST_S, then less often) until one has or the wait
        is over."""
        deadline = time.monotonic() + self.wait
        pause = POLL_FIRST_S
        while True:
            done = [r for r in ready if r.replayed >= written]
            if done:
                return done
            for replica in ready:
                try:  # inline, on its read connection: one short query
                    found = replica.reads.one(REPLAYED)
                except driver().Error as exc:
                    replica.skip(f"a read failed: {reason(exc)}")
                    continue
                if found is not None and found["lsn"]:
                    replica.replayed = max(replica.replayed, parse_lsn(found["lsn"]))
            ready = [r for r in ready if r.in_use]
            done = [r for r in ready if r.replayed >= written]
            if done or time.monotonic() >= deadline:
                return done
            await asyncio.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(2 * pause, POLL_MAX_S)

    # -- checking ---------------------------------------------------------------------------

    def _checking(self) -> None:
        while not self._stop.wait(self.check_interval):
            try:
                self.check()
            except Exception:  # a check must never end the thread
                log.exception("checking the replicas failed")

    def check(self) -> None:
        """The primary's WAL position, then each replica's: in use or skipped."""
        now = time.monotonic()
        try:
            if self._primary_check is None or self._primary_check.closed:
                self._primary_check = self.primary.connect(
                    CHECK_TIME_LIMIT, name="sayso replica check"
                )
            row = self._primary_check.execute("SELECT pg_current_wal_lsn()::text").fetchone()
            assert row is not None
            self.positions.append((now, parse_lsn(row[0])))
            if self._primary_lost:
                self._primary_lost = False
                log.info("the primary answers the replica checks again")
        except driver().Error as exc:  # the replicas are judged on what is known
            if self._primary_check is not None:
                self._primary_check.close()  # a new one next time
            if not self._primary_lost:
                self._primary_lost = True
                log.warning(
                    "the primary does not answer the replica checks (the replicas are judged "
                    "on its last position): %s",
                    reason(exc),
                )
        # Kept: every position of the last max_lag seconds, and the one before them.
        while len(self.positions) > 1 and self.positions[1][0] <= now - self.max_lag:
            self.positions.popleft()
        for replica in self.replicas:
            try:
                standby, replayed = replica.look()
            except driver().Error as exc:
                replica.skip(f"it does not answer: {reason(exc)}")
                continue
            if not standby:
                replica.skip("it is not a standby (promoted?): its data may have parted ways")
                continue
            replica.replayed = max(replica.replayed, replayed)
            lag = self.lag(replayed, now)
            if lag > self.max_lag:
                replica.skip(
                    f"{lag:.1f} s behind the primary (setting replica_max_lag: {self.max_lag:g})",
                    lag,
                )
            else:
                replica.use(lag)

    def lag(self, replayed: int, now: float) -> float:
        """How stale a replica that has replayed REPLAYED is, in seconds: since when the
        primary had written more than that (0 if it had not, as far as its positions go)."""
        if not self.positions or replayed >= self.positions[-1][1]:
            return 0.0
        behind = [t for t, position in self.positions if position > replayed]
        return now - behind[0]

    def report(self) -> list[dict[str, Any]]:
        return [replica.report() for replica in self.replicas]


@contextmanager
def reading_on(replica: Replica | None) -> Iterator[None]:
    """The block's reads (in this task, and the threads it starts) on REPLICA (None: the
    primary)."""
    token = _replica.set(replica)
    if replica is not None:
        replica.served += 1
    try:
        yield
    finally:
        _replica.reset(token)


def read_databases(
    url: str,
    replica_urls: list[str],
    *,
    idle_in_transaction_timeout: float = 0,
    statement_timeout: float = 0,
    max_lag: float = 5,
    check_interval: float = 1,
    wait: float = 0.5,
) -> ReadDB:
    """The reads of a server: on URL alone (reads_for), or spread over the replicas at
    REPLICA_URLS; ValueError for replicas of a database that is not PostgreSQL."""
    if not replica_urls:
        return reads_for(url, idle_in_transaction_timeout, statement_timeout)
    for where, given in [
        ("SAYSO_DATABASE_URL", url),
        *(("SAYSO_READ_DATABASE_URLS", u) for u in replica_urls),
    ]:
        backend = make_url(given).get_backend_name()
        if backend != "postgresql":
            raise ValueError(
                f"{where}: read replicas are PostgreSQL's streaming replicas of a PostgreSQL "
                f"primary; this URL is {backend}'s"
            )
    timeouts = (idle_in_transaction_timeout, statement_timeout)
    primary = PostgresReads(url, *timeouts)
    replicas = [Replica(n, u, *timeouts) for n, u in enumerate(replica_urls, 1)]
    return ReplicatedReads(
        primary, replicas, max_lag=max_lag, check_interval=check_interval, wait=wait
    )

"""One streaming replica, as a server worker sees it: its read connections, and what the last
check found (app/db/replicas.py checks and chooses)."""

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import make_url, text

from app.db.reads import SQL, PostgresReads
from app.db.wal import parse_lsn

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger("sayso.replicas")

# Seconds a replica's connection attempt may take: a server that does not answer is skipped
# after this, not after the system's TCP timeout (minutes).
CONNECT_TIMEOUT_S = 2
# A check's query that has not answered in 2 s is stopped (a server that accepts connections
# but does not get to queries): the check fails, the replica is skipped.
CHECK_TIME_LIMIT = f"statement_timeout={CONNECT_TIMEOUT_S * 1000}"
REPLAYED = SQL(text("SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn"))


def broken(exc: BaseException) -> bool:
    """Whether a driver error says the server or the connection is gone (not a query's own
    error, such as one cancelled for a conflict with the replay: that is tried on the primary
    without skipping the replica)."""
    state = getattr(exc, "sqlstate", None)
    return state is None or str(state).startswith(("08", "57P"))


def driver() -> Any:
    """psycopg, imported when replicas are used (as app/db/reads.py does)."""
    import psycopg

    return psycopg


class Replica:
    """One replica: its read connections (as the primary's, PostgresReads) and what the last
    check found."""

    def __init__(
        self, number: int, url: str, idle_timeout: float, statement_timeout: float
    ) -> None:
        parsed = make_url(url)
        if "connect_timeout" not in parsed.query:
            parsed = parsed.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_S)})
        self.url = parsed.render_as_string(hide_password=False)
        # Named by its place in SAYSO_READ_DATABASE_URLS and its server, never its password.
        self.name = f"replica {number} ({parsed.host or 'local'}:{parsed.port or 5432})"
        self.number = number
        self.reads = PostgresReads(self.url, idle_timeout, statement_timeout)
        self.in_use = False
        self.checked = False
        self.replayed = 0  # the replay position the last look found
        self.lag: float | None = None  # seconds behind the primary, as last measured
        self.why = "not checked yet"
        self.served = 0  # requests whose reads it answered, in this worker
        self._check: psycopg.Connection[tuple[Any, ...]] | None = None

    def look(self) -> tuple[bool, int]:
        """Whether it is a standby, and its replay position, asked on its check connection."""
        sql = REPLAYED.compiled("postgresql")[0]
        if self._check is not None and not self._check.closed:
            try:
                row = self._check.execute(sql).fetchone()
            except driver().Error:  # a connection the server dropped (a restart): a new one
                self._check.close()
            else:
                assert row is not None
                return bool(row[0]), parse_lsn(row[1]) if row[1] else 0
        self._check = self.reads.connect(CHECK_TIME_LIMIT, name="sayso replica check")
        row = self._check.execute(sql).fetchone()
        assert row is not None
        return bool(row[0]), parse_lsn(row[1]) if row[1] else 0

    def use(self, lag: float) -> None:
        self.lag, self.why, self.checked = lag, "", True
        if not self.in_use:
            self.in_use = True
            log.info("%s in use: %.1f s behind the primary", self.name, lag)

    def skip(self, why: str, lag: float | None = None) -> None:
        first = not self.checked
        self.lag, self.why, self.checked = lag, why, True
        if self.in_use or first:
            self.in_use = False
            log.warning(
                "%s skipped, reads go to the primary or another replica: %s", self.name, why
            )

    def close(self) -> None:
        self.reads.close()
        if self._check is not None:
            self._check.close()

    def report(self) -> dict[str, Any]:
        """What /ready says of it."""
        lag = None if self.lag is None else round(self.lag, 3)
        return {"name": f"replica {self.number}", "in_use": self.in_use, "lag_seconds": lag} | (
            {"detail": self.why} if self.why else {}
        )

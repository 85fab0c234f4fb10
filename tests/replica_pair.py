"""A throwaway PostgreSQL primary and a streaming replica of it, for the tests of read replicas.

The primary is a PgServer (pg_server.py); the replica is made from it by `pg_basebackup -R`
(its data directory copied over the replication protocol, with `standby.signal` and
`primary_conninfo` written), then started: a hot standby that streams the primary's WAL. Both
run as the same unprivileged user as PgServer's, on loopback ports, and go with their
directories. Either can be stopped and started again on its data (`halt`, `resume`), and the
replica's replay paused (`pause`, `play`).
"""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
from pg_server import _SERVER_OPTIONS, PgServer, find_pg_bin, pg_unavailable_reason

# Settings of the primary: WAL for streaming replicas (PostgreSQL's defaults, said anyway).
PRIMARY_SETTINGS = ("wal_level=replica", "max_wal_senders=4")


def replica_unavailable_reason() -> str | None:
    """Why a primary and a replica cannot be started here; None if they can (probably)."""
    reason = pg_unavailable_reason()
    if reason is not None:
        return reason
    bindir = find_pg_bin()
    if bindir is None or not os.access(bindir / "pg_basebackup", os.X_OK):
        return f"pg_basebackup is not beside initdb in {bindir}"
    return None


def halt(server: PgServer) -> None:
    """Stop SERVER (fast: its sessions ended), keeping its data."""
    assert server.data_dir is not None
    server._run_pg(["pg_ctl", "-D", str(server.data_dir), "-m", "fast", "-w", "stop"], timeout=60)


def resume(server: PgServer) -> None:
    """Start SERVER again on its data and its port, after halt()."""
    assert server.data_dir is not None and server.log_file is not None
    settings = (f"-c {setting}" for setting in server._settings)
    options = " ".join(
        (f"-k {server.socket_dir}", f"-p {server.port}", *_SERVER_OPTIONS, *settings)
    )
    command = ["pg_ctl", "-w", "-D", str(server.data_dir), "-l", str(server.log_file), "-o"]
    server._run_pg([*command, options, "start"], timeout=90)


class ReplicaServer(PgServer):
    """A hot standby of PRIMARY (a running PgServer), made by pg_basebackup instead of initdb."""

    def __init__(
        self,
        primary: PgServer,
        bindir: Path | None = None,
        *,
        settings: tuple[str, ...] = (),
        backup_timeout: float = 120,
    ) -> None:
        super().__init__(bindir, settings=settings)
        self.primary = primary
        self.backup_timeout = backup_timeout  # the base backup's: seconds

    def _initdb(self) -> None:
        assert self.data_dir is not None and self.primary.port is not None
        self._run_pg(
            [
                "pg_basebackup",
                "--pgdata",
                str(self.data_dir),
                "--write-recovery-conf",
                "--wal-method=stream",
                "--checkpoint=fast",
                "--no-sync",
                "--host=127.0.0.1",
                f"--port={self.primary.port}",
                "--username=postgres",
            ],
            timeout=self.backup_timeout,
        )

    def sql(self, statement: str) -> object:
        """The first value of STATEMENT's first row, run on the replica."""
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            row = conn.execute(statement).fetchone()  # type: ignore[arg-type]
        return row[0] if row else None

    def pause(self) -> None:
        """Stop replaying the WAL it receives (it still answers, with what it has)."""
        self.sql("SELECT pg_wal_replay_pause()")

    def play(self) -> None:
        self.sql("SELECT pg_wal_replay_resume()")

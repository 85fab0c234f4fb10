"""A throwaway PostgreSQL server for the test session.

The test suite runs against SQLite and, when PostgreSQL is installed, against a real PostgreSQL
server as well. This module starts that server: a private cluster in a temporary directory,
listening on a free loopback port, tuned for speed instead of durability (``fsync=off`` and
friends), and removed again when the session ends. Nothing here needs pytest; a conftest uses it
like this (pytest puts tests/ on sys.path for tests/conftest.py when tests/ has no __init__.py;
with one, import ``tests.pg_server`` instead)::

    from pg_server import PgServer, pg_unavailable_reason

    reason = pg_unavailable_reason()
    if reason is not None:
        ...  # skip the PostgreSQL tests (or fail, when CI demands PostgreSQL)
    server = PgServer()
    server.start()  # returns the URL of the `postgres` maintenance database
    server.create_database("sayso_test")
    url = server.url("sayso_test")  # postgresql+psycopg://postgres@127.0.0.1:PORT/sayso_test
    ...
    server.stop()  # also registered with atexit, so a forgotten stop() is harmless

Finding the binaries (:func:`find_pg_bin`), in this order:

1. ``$SAYSO_PG_BIN``, a directory holding ``initdb``, ``pg_ctl`` and ``postgres``;
2. ``pg_config --bindir`` (on Debian, ``/usr/bin/pg_config`` may come from ``libpq-dev``
   without a server, so the directory is checked for the binaries, not trusted);
3. the newest ``/usr/lib/postgresql/<major>/bin`` (Debian and Ubuntu's layout; the server
   binaries are not on ``PATH`` there);
4. ``initdb`` on ``PATH``.

Running as root: PostgreSQL refuses to run as root, so when ``os.geteuid() == 0`` every
``initdb``/``pg_ctl`` call runs as an unprivileged user, ``postgres`` (created by Debian's
package) if it exists, else ``nobody``, through ``runuser -u USER --`` (or ``su`` when runuser is
missing), and the temporary directory is handed to that user. No user is ever created.

On a fresh Debian machine: ``apt-get install -y postgresql`` (``.ci/run`` does that).
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from psycopg import sql as psycopg_sql

__all__ = ["PgServer", "PgServerError", "find_pg_bin", "pg_unavailable_reason"]

# The three binaries a cluster needs; all must sit in the same directory.
_REQUIRED = ("initdb", "pg_ctl", "postgres")
# Users to run the server as when we are root, best first. Never created here.
_UNPRIVILEGED_USERS = ("postgres", "nobody")
# Unix socket paths are limited to ~107 bytes; keep the socket directory short.
_MAX_SOCKET_DIR_LEN = 80
# Server settings for a disposable test cluster: no durability, loopback only.
_SERVER_OPTIONS = (
    "-c listen_addresses=127.0.0.1",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
)


class PgServerError(RuntimeError):
    """Starting, stopping or talking to the throwaway server failed."""


def _has_binaries(directory: Path) -> bool:
    return all(os.access(directory / name, os.X_OK) for name in _REQUIRED)


def _major_version_key(bindir: str) -> tuple[int, ...]:
    # /usr/lib/postgresql/15/bin -> (15,); "9.6" -> (9, 6); anything odd sorts first.
    version = Path(bindir).parent.name
    return tuple(int(part) for part in re.findall(r"\d+", version)) or (-1,)


def find_pg_bin() -> Path | None:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``, or None if not found.

    Looks at ``$SAYSO_PG_BIN``, then ``pg_config --bindir``, then the newest
    ``/usr/lib/postgresql/*/bin``, then ``PATH``. A candidate counts only if all three binaries
    are in it and executable. ``$SAYSO_PG_BIN``, when set, is the only place looked at, so that a
    typo in it is noticed rather than silently replaced by another installation.
    """
    explicit = os.environ.get("SAYSO_PG_BIN")
    if explicit:
        path = Path(explicit).expanduser()
        return path if _has_binaries(path) else None

    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            result = subprocess.run(
                [pg_config, "--bindir"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )
            if result.returncode == 0 and result.stdout.strip():
                path = Path(result.stdout.strip())
                if _has_binaries(path):
                    return path

    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_major_version_key)[::-1]:
        if _has_binaries(Path(bindir)):
            return Path(bindir)

    initdb = shutil.which("initdb")
    if initdb:
        path = Path(initdb).resolve().parent
        if _has_binaries(path):
            return path
    return None


def _unprivileged_user() -> pwd.struct_passwd | None:
    """When we are root, the account to run PostgreSQL as; None if not root or none exists."""
    if os.geteuid() != 0:
        return None
    for name in _UNPRIVILEGED_USERS:
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    return None


def pg_unavailable_reason() -> str | None:
    """Why a throwaway server cannot be started here, in words; None if it can (probably).

    Checks only what can be checked without starting anything: the binaries, the psycopg
    driver, and, when running as root, an unprivileged user and a way to switch to it.
    """
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg driver is not installed (uv sync installs it)"
    if find_pg_bin() is None:
        if os.environ.get("SAYSO_PG_BIN"):
            return (
                f"SAYSO_PG_BIN={os.environ['SAYSO_PG_BIN']} does not hold executable "
                f"{', '.join(_REQUIRED)}"
            )
        return (
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found via SAYSO_PG_BIN, "
            "pg_config --bindir, /usr/lib/postgresql/*/bin or PATH; on Debian: "
            "apt-get install -y postgresql"
        )
    if os.geteuid() == 0:
        if _unprivileged_user() is None:
            return (
                "running as root, and PostgreSQL refuses to run as root, but neither a "
                f"{' nor a '.join(repr(u) for u in _UNPRIVILEGED_USERS)} user exists to run it as"
            )
        if not (shutil.which("runuser") or shutil.which("su")):
            return "running as root, and neither runuser nor su is there to drop privileges"
    return None


def _free_loopback_port() -> int:
    # Bind to port 0 and let the kernel choose. The port is free again once we close it; another
    # process could take it before postgres does, which start() handles by retrying.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _world_searchable(path: Path) -> bool:
    # Whether another user can reach entries inside `path` (every ancestor needs o+x).
    try:
        return all(p.stat().st_mode & 0o001 for p in (path, *path.parents))
    except OSError:
        return False


class PgServer:
    """One throwaway PostgreSQL cluster: ``start()``, use ``url()``, ``stop()``.

    Superuser ``postgres``, trust authentication, TCP on 127.0.0.1 and a Unix socket in the
    temporary directory. Also a context manager (``with PgServer() as server: ...``).
    """

    def __init__(
        self, bindir: Path | None = None, *, start_timeout: int = 60, settings: Sequence[str] = ()
    ) -> None:
        self._bindir = bindir
        self._start_timeout = start_timeout
        self._settings = tuple(settings)  # more server settings, "name=value" each
        self._user = _unprivileged_user()
        self.base_dir: Path | None = None  # the tempfile.mkdtemp() directory
        self.data_dir: Path | None = None
        self.socket_dir: Path | None = None
        self.log_file: Path | None = None
        self.port: int | None = None
        self.startup_seconds: float | None = None  # initdb + pg_ctl start, for the curious
        self._atexit_registered = False

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.port is not None

    def start(self) -> str:
        """Create the cluster, start the server, and return the URL of the ``postgres`` database.

        Raises :class:`PgServerError` (with the server log's tail) if anything fails; the
        temporary directory is removed again in that case.
        """
        if self.running:
            return self.url()
        began = time.monotonic()
        bindir = self._bindir or find_pg_bin()
        if bindir is None:
            raise PgServerError(pg_unavailable_reason() or "PostgreSQL binaries not found")
        self._bindir = bindir
        if os.geteuid() == 0 and self._user is None:
            raise PgServerError(pg_unavailable_reason() or "no unprivileged user to run as")

        try:
            self._make_dirs()
            self._initdb()
            self._start_server()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        if not self._atexit_registered:
            atexit.register(self.stop)
            self._atexit_registered = True
        return self.url()

    def stop(self) -> None:
        """Stop the server (immediately; nothing is worth keeping) and remove its directory.

        Safe to call more than once, and when start() failed halfway.
        """
        if self.data_dir is not None and (self.data_dir / "postmaster.pid").exists():
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                self._run_pg(
                    ["pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop"],
                    timeout=60,
                    check=False,
                )
        self.port = None
        if self.base_dir is not None:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = self.data_dir = self.socket_dir = self.log_file = None

    def __enter__(self) -> PgServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- using it ----------------------------------------------------------------------------

    def url(self, dbname: str = "postgres") -> str:
        """The SQLAlchemy URL (psycopg 3 driver) of database ``dbname`` on this server."""
        if self.port is None:
            raise PgServerError("the server is not running; call start() first")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def conninfo(self, dbname: str = "postgres") -> str:
        """A libpq connection string for psycopg.connect()."""
        if self.port is None:
            raise PgServerError("the server is not running; call start() first")
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (copying ``template`` if given) and return its URL.

        Copying a template that has the schema already is much faster than migrating each
        database; note that a template must have no open connections while it is copied.
        """
        from psycopg import sql

        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
        self._execute_autocommit(statement)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name`` if it exists, closing any connections still open to it."""
        from psycopg import sql

        self._execute_autocommit(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def _execute_autocommit(self, statement: psycopg_sql.Composed) -> None:
        # CREATE/DROP DATABASE cannot run in a transaction block, hence autocommit.
        import psycopg

        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(statement)

    # -- internals ---------------------------------------------------------------------------

    def _make_dirs(self) -> None:
        parent: str | None = None
        if self._user is not None and not _world_searchable(Path(tempfile.gettempdir())):
            parent = "/tmp"  # e.g. TMPDIR under /root: the postgres user could not get in
        base = Path(tempfile.mkdtemp(prefix="sayso-pg-", dir=parent))
        if len(str(base)) > _MAX_SOCKET_DIR_LEN:
            shutil.rmtree(base, ignore_errors=True)
            base = Path(tempfile.mkdtemp(prefix="sayso-pg-", dir="/tmp"))
        self.base_dir = base
        self.data_dir = base / "data"
        self.socket_dir = base / "sock"
        self.log_file = base / "server.log"
        self.socket_dir.mkdir(mode=0o700)
        self.log_file.touch(mode=0o600)
        if self._user is not None:
            # initdb creates data/ itself (it wants to set its mode); it needs base/ writable.
            for path in (base, self.socket_dir, self.log_file):
                os.chown(path, self._user.pw_uid, self._user.pw_gid)

    def _initdb(self) -> None:
        assert self.data_dir is not None
        self._run_pg(
            [
                "initdb",
                "-D",
                str(self.data_dir),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",  # nothing here needs to survive a crash
            ],
            timeout=120,
        )

    def _start_server(self) -> None:
        assert self.data_dir is not None and self.socket_dir is not None
        assert self.log_file is not None
        last_error: PgServerError | None = None
        for _attempt in range(3):
            port = _free_loopback_port()
            settings = (f"-c {setting}" for setting in self._settings)
            options = " ".join((f"-k {self.socket_dir}", f"-p {port}", *_SERVER_OPTIONS, *settings))
            try:
                self._run_pg(
                    [
                        "pg_ctl",
                        "-w",
                        "-t",
                        str(self._start_timeout),
                        "-D",
                        str(self.data_dir),
                        "-l",
                        str(self.log_file),
                        "-o",
                        options,
                        "start",
                    ],
                    timeout=self._start_timeout + 30,
                )
            except PgServerError as error:
                # Most likely the port was taken between choosing and binding it: try another.
                last_error = error
                continue
            self.port = port
            return
        assert last_error is not None
        raise last_error

    def _run_pg(
        self, argv: list[str], *, timeout: float, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL binary, as the unprivileged user if we are root."""
        assert self._bindir is not None
        command = [str(self._bindir / argv[0]), *argv[1:]]
        if self._user is not None:
            runuser = shutil.which("runuser")
            if runuser:
                command = [runuser, "-u", self._user.pw_name, "--", *command]
            else:
                command = ["su", "-s", "/bin/sh", self._user.pw_name, "-c", shlex.join(command)]
        env = {**os.environ, "LC_ALL": "C", "LANG": "C", "TZ": "UTC"}
        for name in ("PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS"):
            env.pop(name, None)
        try:
            # Output goes to files, never pipes: the postmaster that pg_ctl forks would inherit
            # a pipe and keep it open, and reading it would then never end.
            with tempfile.TemporaryFile("w+") as output:
                result = subprocess.run(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    text=True,
                    timeout=timeout,
                    check=False,
                    cwd=self.base_dir,  # the unprivileged user may not be able to read our cwd
                    env=env,
                )
                output.seek(0)
                text = output.read()
        except subprocess.TimeoutExpired as error:
            raise PgServerError(
                f"{argv[0]} took longer than {timeout}s{self._log_tail()}"
            ) from error
        if check and result.returncode != 0:
            raise PgServerError(
                f"{shlex.join(command)} exited with {result.returncode}:\n"
                f"{text.strip()}{self._log_tail()}"
            )
        return subprocess.CompletedProcess(command, result.returncode, text, "")

    def _log_tail(self, lines: int = 20) -> str:
        if self.log_file is None or not self.log_file.exists():
            return ""
        with contextlib.suppress(OSError):
            tail = self.log_file.read_text(errors="replace").splitlines()[-lines:]
            if tail:
                return "\nserver log (last lines):\n" + "\n".join(tail)
        return ""


if __name__ == "__main__":
    # A smoke test: python tests/pg_server.py
    import psycopg

    reason = pg_unavailable_reason()
    if reason is not None:
        raise SystemExit(f"PostgreSQL unavailable: {reason}")
    with PgServer() as server:
        print(f"started in {server.startup_seconds:.2f}s: {server.url()}")
        print("bin:", server._bindir, "as user:", server._user.pw_name if server._user else "-")
        server.create_database("smoke")
        with psycopg.connect(server.conninfo("smoke")) as conn:
            row = conn.execute("SELECT version()").fetchone()
            print(row[0] if row else None)
        server.drop_database("smoke")
    print("stopped and removed")

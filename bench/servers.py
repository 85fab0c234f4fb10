"""Starting, watching and stopping the servers under test (and measuring their memory)."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    """GET http://127.0.0.1:PORT/PATH; returns (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Server:
    """One server process (and its workers), in a process group of its own."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        *,
        env: dict[str, str],
        cwd: Path,
        port: int,
        log: Path,
        ready_path: str = "/",
    ) -> None:
        self.name, self.argv, self.env, self.cwd = name, argv, env, cwd
        self.port, self.log, self.ready_path = port, log, ready_path
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _ = get(self.port, self.ready_path, timeout=5)
                if status < 500:
                    time.sleep(0.5)  # let every worker come up
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def processes(self) -> list[psutil.Process]:
        if self.proc is None or self.proc.poll() is not None:
            return []
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(self.proc.pid)
            return [root, *root.children(recursive=True)]
        return []

    def rss(self) -> tuple[int, int]:
        """(sum of RSS over the server's processes, the largest single one), in bytes."""
        sizes = []
        for p in self.processes():
            with contextlib.suppress(psutil.Error):
                sizes.append(p.memory_info().rss)
        return sum(sizes), max(sizes, default=0)

    def cpu_seconds(self) -> float:
        """User and system CPU time used so far, summed over the server's processes."""
        total = 0.0
        for p in self.processes():
            with contextlib.suppress(psutil.Error):
                times = p.cpu_times()
                total += times.user + times.system
        return total

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)
        self.proc = None


class RssPeak:
    """Samples a server's RSS in a thread while active: `with RssPeak(server) as peak: ...`."""

    def __init__(self, server: Any, interval: float = 0.1) -> None:
        self.server, self.interval = server, interval
        self.peak_total = self.peak_process = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total, largest = self.server.rss()
            self.peak_total = max(self.peak_total, total)
            self.peak_process = max(self.peak_process, largest)
            self._stop.wait(self.interval)

    def __enter__(self) -> "RssPeak":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(10)


class Proc:
    """A plain process to watch with RssPeak (e.g. the loader)."""

    def __init__(self, proc: subprocess.Popen[Any]) -> None:
        self.proc = proc

    def rss(self) -> tuple[int, int]:
        try:
            root = psutil.Process(self.proc.pid)
            sizes = [p.memory_info().rss for p in (root, *root.children(recursive=True))]
        except psutil.Error:
            return 0, 0
        return sum(sizes), max(sizes, default=0)


def status_only(port: int, path: str, timeout: float = 30) -> int:
    """The status of GET PATH, without reading the body (which may be the whole database)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def stream(port: int, path: str, timeout: float) -> Iterator[int]:
    """GET PATH and read the body in chunks, yielding each chunk's size; bounded by TIMEOUT."""
    deadline = time.monotonic() + timeout
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        while chunk := response.read(1 << 20):
            yield len(chunk)
            if time.monotonic() > deadline:
                raise TimeoutError(f"GET {path} took longer than {timeout}s")
    finally:
        conn.close()

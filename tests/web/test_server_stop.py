"""`sayso serve` stops cleanly on SIGINT and SIGTERM: exit status 0 and no traceback, so that
`make run` and process supervisors see a server stopped as it should be."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.config import PROJECT_ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_server_stops_cleanly(tmp_path: Path, workers: int, stop: signal.Signals) -> None:
    # /health reads nothing: any database will do, and the stop does not depend on which.
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app.web.server", "127.0.0.1", str(port), str(workers)],
        env={**os.environ, "SAYSO_DATABASE_URL": f"sqlite:///{tmp_path / 'sayso.db'}"},
        cwd=PROJECT_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        server.send_signal(stop)
        _, errors = server.communicate(timeout=30)
    finally:
        server.kill()
    assert server.returncode == 0, errors
    assert "Traceback" not in errors

"""`sayso serve --load-seed`, as the README's first command runs it: migrate, load, serve."""

import os
import signal
import subprocess
import sys
import time

import httpx
from conftest import _free_port

from app.config import PROJECT_ROOT


def test_serve_loads_the_seed_and_answers_and_a_second_start_changes_nothing(db_url: str) -> None:
    def start() -> tuple[subprocess.Popen[str], str]:
        port = _free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--load-seed"],
            env={**os.environ, "SAYSO_DATABASE_URL": db_url},
            cwd=PROJECT_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    return process, base
            except httpx.TransportError:
                time.sleep(0.2)
        process.kill()
        raise AssertionError("sayso serve did not answer within 60 s")

    def stop(process: subprocess.Popen[str]) -> str:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
        return stderr

    process, base = start()
    denials = httpx.get(
        f"{base}/claims/putin-signalled-ceasefire-2023/statements", params={"stance": "denies"}
    ).json()
    first_log = stop(process)
    assert {s["speaker"]["slug"] for s in denials["items"]} == {"kremlin", "dmitry-peskov"}
    assert "loaded: " in first_log and "statements" in first_log

    process, base = start()
    again = httpx.get(
        f"{base}/claims/putin-signalled-ceasefire-2023/statements", params={"stance": "denies"}
    ).json()
    second_log = stop(process)
    assert again == denials
    assert "loaded: nothing new" in second_log

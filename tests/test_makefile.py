"""`make run` as the README gives it: the port and address are variables, and serving installs
the runtime dependencies only."""

import subprocess

from app.config import PROJECT_ROOT


def _recipe(*args: str) -> str:
    done = subprocess.run(
        ["make", "-n", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_make_run_listens_where_it_is_told() -> None:
    assert "--host 127.0.0.1 --port 8000" in _recipe("run")
    assert "--host 0.0.0.0 --port 8080" in _recipe("run", "PORT=8080", "HOST=0.0.0.0")


def test_make_run_installs_no_test_tools() -> None:
    syncs = [line for line in _recipe("run").splitlines() if " sync " in f"{line} "]
    assert syncs and all("--no-dev" in line for line in syncs)

"""The server's arbiter carries a stop out whole: workers that failed to boot while the server
was already halting for that reason are reaped, not raised again (app/web/server.py Arbiter)."""

import logging
import os
from types import SimpleNamespace

import pytest
from gunicorn.errors import HaltServer

from app.web.server import Arbiter


def _failed_boots(count: int) -> dict[int, object]:
    """COUNT real child processes that exit as a worker that failed to boot does."""
    workers: dict[int, object] = {}
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            os._exit(Arbiter.WORKER_BOOT_ERROR)
        workers[pid] = SimpleNamespace(tmp=SimpleNamespace(close=lambda: None))
    for pid in workers:  # let each exit before the arbiter reaps (WNOHANG)
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    return workers


def _arbiter(workers: dict[int, object], halting: bool) -> Arbiter:
    arbiter = Arbiter.__new__(Arbiter)  # only what reaping reads
    arbiter.WORKERS = workers
    arbiter.reexec_pid = 0
    arbiter.dirty_arbiter_pid = 0
    arbiter.log = logging.getLogger("test.arbiter")
    arbiter.halting = halting
    return arbiter


def test_workers_failing_to_boot_while_halting_are_all_reaped() -> None:
    arbiter = _arbiter(_failed_boots(3), halting=True)
    arbiter.reap_workers()
    assert arbiter.WORKERS == {}


def test_a_worker_failing_to_boot_halts_the_server_otherwise() -> None:
    arbiter = _arbiter(_failed_boots(2), halting=False)
    with pytest.raises(HaltServer) as raised:
        arbiter.reap_workers()
    assert raised.value.exit_status == Arbiter.WORKER_BOOT_ERROR
    arbiter.halting = True
    arbiter.reap_workers()
    assert arbiter.WORKERS == {}

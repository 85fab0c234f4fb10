"""Under pytest-xdist (`-n 2` in pyproject's addopts), each backend's tests run on one worker:
a worker then sets up that backend alone (one PostgreSQL server, one set of templates and shared
servers), and the SQLite and PostgreSQL halves run side by side. The tests of neither backend go
to whichever worker is free.

The PostgreSQL half takes longer, so one large module's PostgreSQL tests (SPLIT) form a unit of
their own: whichever worker is free first takes it, the SQLite worker at the cost of starting
PostgreSQL too (seconds, against a minute and more of tests).

xdist's own `--dist loadgroup` would group tests by markers, but it names the groups by changing
an item's `_nodeid`, which pytest 9 no longer reads; this scheduler reads the backend from the
test's id instead (tests/conftest.py registers it).
"""

from typing import Any

import pytest
from backend_summary import backend_of
from conftest import BACKENDS
from xdist.scheduler import LoadScopeScheduling

SPLIT = "tests/api/test_openapi.py"  # property-based: its 57 tests are a sixth of the half


class ByBackend(LoadScopeScheduling):
    """LoadScopeScheduling with a test's backend as its scope, else the test itself."""

    def _split_scope(self, nodeid: str) -> str:
        backend = backend_of(nodeid, BACKENDS)
        if backend is None:
            return nodeid
        if backend == "postgresql" and nodeid.startswith(f"{SPLIT}::"):
            return f"{backend} {SPLIT}"
        return backend


class Plugin:
    @pytest.hookimpl
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: Any) -> Any:
        # Only in place of plain load balancing: another --dist asked for is kept.
        if config.getvalue("dist") != "load":
            return None
        return ByBackend(config, log)

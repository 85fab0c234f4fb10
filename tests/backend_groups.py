"""Under pytest-xdist (`-n 2` in pyproject's addopts), each backend's tests run on one worker:
a worker then sets up that backend alone (one PostgreSQL server, one set of templates and shared
servers), and the SQLite and PostgreSQL halves run side by side. The tests of neither backend go
to whichever worker is free.

xdist's own `--dist loadgroup` would do this from markers, but it names the groups by changing
an item's `_nodeid`, which pytest 9 no longer reads; this scheduler reads the backend from the
test's id instead (tests/conftest.py registers it).
"""

from typing import Any

import pytest
from conftest import BACKENDS
from xdist.scheduler import LoadScopeScheduling


class ByBackend(LoadScopeScheduling):
    """LoadScopeScheduling with a test's backend as its scope, else the test itself."""

    def _split_scope(self, nodeid: str) -> str:
        if nodeid.endswith("]"):
            params = nodeid.rpartition("[")[2][:-1].split("-")
            for backend in BACKENDS:
                if backend in params:
                    return backend
        return nodeid


class Plugin:
    @pytest.hookimpl
    def pytest_xdist_make_scheduler(self, config: pytest.Config, log: Any) -> Any:
        # Only in place of plain load balancing: another --dist asked for is kept.
        if config.getvalue("dist") != "load":
            return None
        return ByBackend(config, log)

"""The last lines of a test run say how each backend fared (tests/backend_summary.py)."""

import pytest

pytest_plugins = ["pytester"]

CONFTEST = """
from backend_summary import Summary

def pytest_configure(config):
    config.pluginmanager.register(Summary(("sqlite", "postgresql")), "backend_summary")
"""

TESTS = """
import pytest

@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    if request.param == "postgresql" and request.node.name.startswith("test_skipped"):
        pytest.skip("no PostgreSQL here")
    return request.param

@pytest.fixture
def broken():
    raise RuntimeError("set-up fails")

def test_both(backend):
    pass

@pytest.mark.parametrize("role", ["editor", "admin"])
def test_roles(backend, role):
    assert not (backend == "sqlite" and role == "admin")

def test_skipped(backend):
    pass

def test_setup_error(backend, broken):
    pass

def test_no_database():
    pass
"""


def test_each_backend_gets_its_own_line(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_sample=TESTS)
    result = pytester.runpytest("-p", "no:xdist")
    result.assert_outcomes(passed=7, failed=1, skipped=1, errors=2)
    lines = result.outlines
    assert "SQLite: 1 failed, 3 passed, 1 error" in lines
    assert "PostgreSQL: 3 passed, 1 skipped, 1 error" in lines
    assert "no database: 1 passed" in lines


def test_a_run_of_no_backend_tests_says_only_that(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_plain="def test_one():\n    pass\n")
    result = pytester.runpytest("-p", "no:xdist")
    result.assert_outcomes(passed=1)
    assert "no database: 1 passed" in result.outlines
    assert not any(line.startswith(("SQLite:", "PostgreSQL:")) for line in result.outlines)

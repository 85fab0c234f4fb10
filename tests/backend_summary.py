"""The end of pytest's report says how each backend fared: one line for SQLite, one for
PostgreSQL, one for the tests of neither. Under xdist the two halves run side by side and their
lines interleave, so the usual totals alone do not say which database a failure belongs to.

A test's backend is read from its id (`test_x[sqlite]`, `test_y[postgresql-editor]`), as the
xdist scheduler (backend_groups.py) reads it, so the counts work with and without xdist: the
controller sees every worker's reports.
"""

from collections import Counter

import pytest

NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# The order pytest's own summary line uses.
OUTCOMES = ("failed", "passed", "skipped", "xfailed", "xpassed", "error")


def backend_of(nodeid: str, backends: tuple[str, ...]) -> str | None:
    """The backend named among a test id's parameters, or None."""
    if not nodeid.endswith("]"):
        return None
    params = nodeid.partition("[")[2][:-1].split("-")
    return next((backend for backend in backends if backend in params), None)


def outcome_of(report: pytest.TestReport) -> str | None:
    """What a report adds to its test's tally, as pytest's summary counts it (None: nothing)."""
    if hasattr(report, "wasxfail"):
        if report.when == "call" or report.skipped:
            return "xfailed" if report.skipped else "xpassed"
        return None
    if report.when == "call":
        return report.outcome
    if report.failed:
        return "error"  # a fixture failed in set-up or tear-down
    if report.skipped:
        return "skipped"  # skipped in set-up: a skip mark, or a backend not available
    return None


class Summary:
    def __init__(self, backends: tuple[str, ...]) -> None:
        self.backends = backends
        self.tally: dict[str | None, Counter[str]] = {b: Counter() for b in (*backends, None)}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        outcome = outcome_of(report)
        if outcome is not None:
            self.tally[backend_of(report.nodeid, self.backends)][outcome] += 1

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not any(self.tally.values()):
            return
        terminalreporter.write_sep("=", "by backend")
        for backend, counts in self.tally.items():
            if not counts:
                continue
            name = NAMES.get(backend, backend) if backend else "no database"
            parts = ", ".join(f"{counts[o]} {o}" for o in OUTCOMES if counts[o])
            terminalreporter.write_line(
                f"{name}: {parts}", red=bool(counts["failed"] or counts["error"])
            )

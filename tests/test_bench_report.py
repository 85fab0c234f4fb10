"""The benchmark's report (bench/report.py): which growth the targets judge, and that a
re-render from results.json keeps the runs it is computed from."""

import copy
from typing import Any

from bench import report


def _wrk(p50: float) -> dict[str, Any]:
    return {
        "requests_per_s": 1000.0,
        "p50_ms": p50,
        "p99_ms": 2 * p50,
        "requests": 10000,
        "errors": 0,
    }


RUN: dict[str, Any] = {
    "settings": {
        "sizes": [10_000, 1_000_000],
        "backends": ["sqlite"],
        "duration": 10.0,
        "connections": 16,
        "threads": 2,
        "workers": 2,
    },
    # The per-size runs, minutes apart: 2.0 ms at 10k, 4.0 ms at 1M (2x).
    "serve": {
        "sqlite": {
            "10000": {"actor": {"sayso": _wrk(2.0)}},
            "1000000": {"actor": {"sayso": _wrk(4.0)}},
        }
    },
    "load": {},
    "memory": {},
    # The runs in alternation: medians 2.1 and 2.55 ms (1.21x).
    "growth": {
        "sqlite": {
            "sizes": [10_000, 1_000_000],
            "rounds": 2,
            "duration": 5.0,
            "questions": {"actor": {"small": [2.0, 2.2], "large": [2.5, 2.6], "ratio": 2.55 / 2.1}},
        }
    },
    "notes": [],
}


def test_the_targets_judge_the_growth_of_the_runs_in_alternation() -> None:
    text = report.render(RUN)
    assert "PASS actor (sqlite) p50 growth 10k->1m <= 1.3x: 1.21x" in text
    assert "10k: 2.00, 2.20" in text and "1m: 2.50, 2.60" in text


def test_without_them_the_per_size_runs_give_the_growth() -> None:
    run = copy.deepcopy(RUN)
    del run["growth"]
    text = report.render(run)
    assert "FAIL actor (sqlite) p50 growth 10k->1m <= 1.3x: 2.00x" in text
    assert "(not measured" in text


def test_a_re_render_keeps_the_runs_in_alternation() -> None:
    # `python -m bench.report results.json` renders merge([run]): it must not drop them.
    loading_only = {"settings": {**RUN["settings"]}, "load": {"sqlite": {}}, "notes": []}
    merged = report.merge([RUN, loading_only])
    assert (
        report.p50_growth(merged, "sqlite", "actor")
        == RUN["growth"]["sqlite"]["questions"]["actor"]["ratio"]
    )
    assert "1m: 2.50, 2.60" in report.render(merged)


def test_the_growth_table_gives_the_servers_cpu_per_request_when_measured() -> None:
    """Runs made since the CPU time is read give its medians and ratio; older runs, n/a."""
    assert "| n/a " in report.growth_table(RUN)
    run = copy.deepcopy(RUN)
    grown = run["growth"]["sqlite"]["questions"]["actor"]
    grown["small_cpu_ms"], grown["large_cpu_ms"] = [0.5, 0.52, 0.9], [0.7, 0.66, 0.72]
    assert "0.520 → 0.700 (1.35x)" in report.growth_table(run)

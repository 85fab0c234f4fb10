"""`count=true`: the lists that can count their rows give `total`, the number of items their
pages hold; the others refuse it."""

from typing import Any

import httpx
import pytest
from test_claims_api import CEASEFIRE, all_items
from test_errors import assert_problem

COUNTED: list[tuple[str, dict[str, Any]]] = [
    ("/claims", {}),
    ("/actors", {}),
    ("/actors", {"kind": "unnamed"}),
    ("/actors", {"alias": "Peskov"}),
    ("/sources", {}),
    ("/sources", {"outlet": "dan-tri"}),
    ("/sources", {"language": "en"}),
    ("/statements", {"claim": CEASEFIRE}),
    ("/statements", {"claim": CEASEFIRE, "stance": "denies"}),
    ("/statements", {"speaker": "kremlin", "include_affiliated": "true"}),
    ("/statements", {"affiliated_with": "kremlin", "language": "en", "mode": "direct"}),
    (f"/claims/{CEASEFIRE}/statements", {}),
    (f"/claims/{CEASEFIRE}/statements", {"outlet": "dan-tri"}),
    (f"/claims/{CEASEFIRE}/timeline", {}),
    ("/actors/kremlin/statements", {"include_affiliated": "true"}),
    ("/actors/three-russian-sources/statements", {"unnamed": "true", "hedged": "false"}),
]


@pytest.mark.parametrize(("path", "params"), COUNTED)
def test_the_total_is_the_number_of_items_paged_through(
    http: httpx.Client, path: str, params: dict[str, Any]
) -> None:
    items = all_items(http, path, **params)
    first = http.get(path, params={**params, "count": "true", "limit": 2}).json()
    assert first["total"] == len(items)
    if first["next"]:
        # Every page gives the whole list's total, whatever its cursor.
        assert "count=true" in first["next"]
        assert http.get(first["next"]).json()["total"] == len(items)
    assert "total" not in http.get(path, params=params).json()
    assert "total" not in http.get(path, params={**params, "count": "false"}).json()


def test_the_counted_lists_are_not_all_empty(http: httpx.Client) -> None:
    totals = [
        http.get(path, params={**params, "count": "true"}).json().get("total", 0)
        for path, params in COUNTED
    ]
    assert sum(1 for total in totals if total > 1) > len(COUNTED) / 2


@pytest.mark.parametrize(
    ("path", "params", "why"),
    [
        ("/claims", {"q": "ceasefire"}, "every claim's text"),
        ("/actors", {"q": "peskov"}, "every actor's names"),
        ("/statements", {}, "every statement"),
        ("/statements", {"stance": "denies", "language": "en"}, "every statement"),
    ],
)
def test_a_count_that_would_read_everything_is_refused(
    http: httpx.Client, path: str, params: dict[str, Any], why: str
) -> None:
    body = assert_problem(http.get(path, params={**params, "count": "true"}), 422)
    assert body["errors"][0]["field"] == "count"  # type: ignore[index]
    assert why in str(body["detail"])
    assert http.get(path, params=params).status_code == 200  # the page itself is cheap


@pytest.mark.parametrize(
    "path",
    [
        "/contradictions",
        f"/claims/{CEASEFIRE}/contradictions",
        f"/claims/{CEASEFIRE}/history",
        "/sources/indiatv-2024-02-14-putin-ceasefire-rejected/statements",
    ],
)
def test_the_lists_that_do_not_count_refuse_it(http: httpx.Client, path: str) -> None:
    body = assert_problem(http.get(path, params={"count": "true"}), 422)
    assert body["errors"][0]["field"] == "count"  # type: ignore[index]


def test_count_must_be_true_or_false(http: httpx.Client) -> None:
    body = assert_problem(http.get("/claims", params={"count": "perhaps"}), 422)
    assert body["errors"][0]["field"] == "count"  # type: ignore[index]

"""Statement filters over HTTP, each checked against what the seed annotations declare: outlet,
language, quote mode, hedges, the days said and reported, alone and combined, on every statement
list and on the exports."""

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from seed_facts import seed_files, statements
from test_claims_api import all_items


@dataclass(frozen=True)
class Report:
    """One appearance as the annotations declare it, with its source's facts."""

    statement: str
    source: str
    quote: str
    outlet: str
    language: str
    mode: str
    hedged: bool
    reported_on: dt.date


def _reported_on(source: dict[str, Any]) -> dt.date:
    if source.get("reported_on"):  # the page prints no publication date: dated by evidence
        given: dt.date = source["reported_on"]
        return given
    dates = {d["kind"]: d["value"] for d in source["dates"]}
    value = dates.get("published") or dates.get("updated") or dates["page"]
    return value.date() if isinstance(value, dt.datetime) else value


def reports() -> list[Report]:
    found = []
    for f in seed_files():
        source = f["source"]
        for s in f["statements"]:
            for a in s["appearances"]:
                found.append(
                    Report(
                        statement=s.get("ref") or s["slug"],
                        source=source["slug"],
                        quote=a["quote"],
                        outlet=source["outlet"],
                        language=source["language"],
                        mode=a["mode"],
                        hedged="hedge" in a,
                        reported_on=_reported_on(source),
                    )
                )
    return found


INDIA_TV, DAN_TRI = "india-tv-news", "dan-tri"
# The seed's two sources are dated 2024-02-12 (Dan Tri, by its text) and 2024-02-14 (India TV).
FEB_13, FEB_14 = dt.date(2024, 2, 13), dt.date(2024, 2, 14)

# Appearance filters: (query parameters, which reports they keep).
CASES: list[tuple[dict[str, str], Callable[[Report], bool]]] = [
    ({"outlet": INDIA_TV}, lambda r: r.outlet == INDIA_TV),
    ({"outlet": DAN_TRI}, lambda r: r.outlet == DAN_TRI),
    ({"language": "en"}, lambda r: r.language == "en"),
    ({"language": "EN"}, lambda r: r.language == "en"),
    ({"mode": "direct"}, lambda r: r.mode == "direct"),
    ({"mode": "indirect"}, lambda r: r.mode == "indirect"),
    ({"hedged": "true"}, lambda r: r.hedged),
    ({"hedged": "false"}, lambda r: not r.hedged),
    ({"reported_from": FEB_13.isoformat()}, lambda r: r.reported_on >= FEB_13),
    ({"reported_to": FEB_13.isoformat()}, lambda r: r.reported_on <= FEB_13),
    (
        {"reported_from": FEB_14.isoformat(), "reported_to": FEB_14.isoformat()},
        lambda r: r.reported_on == FEB_14,
    ),
    (
        {"outlet": DAN_TRI, "mode": "direct", "hedged": "false"},
        lambda r: r.outlet == DAN_TRI and r.mode == "direct" and not r.hedged,
    ),
    (
        {"mode": "indirect", "hedged": "true", "language": "en"},
        lambda r: r.mode == "indirect" and r.hedged,
    ),
]


def _expected(keep: Callable[[Report], bool]) -> dict[str, set[tuple[str, str]]]:
    """Statement slug -> the (source, quote) of its reports that KEEP keeps."""
    found: dict[str, set[tuple[str, str]]] = {}
    for r in reports():
        if keep(r):
            found.setdefault(r.statement, set()).add((r.source, r.quote))
    return found


def _shown(items: list[dict[str, Any]]) -> dict[str, set[tuple[str, str]]]:
    return {s["slug"]: {(a["source"]["slug"], a["quote"]) for a in s["appearances"]} for s in items}


@pytest.mark.parametrize(("params", "keep"), CASES, ids=[str(c[0]) for c in CASES])
def test_appearance_filters_keep_matching_statements_and_show_matching_reports(
    http: httpx.Client, params: dict[str, str], keep: Callable[[Report], bool]
) -> None:
    expected = _expected(keep)
    assert _shown(all_items(http, "/statements", **params)) == expected


def test_the_seed_has_reports_on_each_side_of_every_filter() -> None:
    # The cases above mean something only if each keeps some reports and drops others.
    everything = reports()
    for params, keep in CASES:
        if params.get("language"):
            continue  # both seed documents are in English
        kept = [r for r in everything if keep(r)]
        assert 0 < len(kept) < len(everything), params


def test_a_language_no_source_is_in_finds_nothing(http: httpx.Client) -> None:
    assert all_items(http, "/statements", language="vi") == []
    assert all_items(http, "/statements", language="en-GB") == []


def _dated() -> dict[str, tuple[dt.date, str]]:
    """Each seed statement's date: said, else first reported."""
    first: dict[str, dt.date] = {}
    for r in reports():
        first[r.statement] = min(first.get(r.statement, r.reported_on), r.reported_on)
    return {
        s["slug"]: (s["said_on"], "said") if s.get("said_on") else (first[s["slug"]], "reported")
        for s in statements()
    }


def test_said_between_days_keeps_the_statements_dated_by_their_reports(
    http: httpx.Client,
) -> None:
    dated = _dated()
    assert {by for _, by in dated.values()} == {"said", "reported"}
    days = sorted({day for day, _ in dated.values()})
    for first, last in [(days[0], days[0]), (days[0], days[-1]), (days[1], days[-1])]:
        found = all_items(http, "/statements", said_from=str(first), said_to=str(last))
        expected = {slug for slug, (day, _) in dated.items() if first <= day <= last}
        assert {s["slug"] for s in found} == expected
        for s in found:
            day, by = dated[s["slug"]]
            assert s["dated"] == {"on": str(day), "by": by}
    # Every statement has a date: a period that spans the seed misses none.
    found = all_items(http, "/statements", said_from=str(days[0]), said_to=str(days[-1]))
    assert len(found) == len(dated)


def test_a_period_is_listed_in_date_order_page_by_page(http: httpx.Client) -> None:
    dated = _dated()
    days = sorted({day for day, _ in dated.values()})
    walked = all_items(http, "/statements", said_from=str(days[0]), said_to=str(days[-1]))
    keys = [(s["dated"]["on"], s["slug"]) for s in walked]
    assert len(keys) == len(set(keys)) == len(dated), "two at a time, none twice, none lost"
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    whole = http.get(
        "/statements", params={"said_from": str(days[0]), "said_to": str(days[-1]), "limit": 500}
    ).json()
    assert [s["slug"] for s in whole["items"]] == [s["slug"] for s in walked]
    # A cursor of an id-ordered list is not one of a period's (it carries the day too).
    refused = http.get("/statements", params={"said_from": str(days[0]), "cursor": "WzFd"})
    assert refused.status_code == 422, refused.text


def test_what_putin_said_in_february_2024(http: httpx.Client) -> None:
    found = all_items(
        http,
        "/statements",
        speaker="vladimir-putin",
        said_from="2024-02-01",
        said_to="2024-02-29",
    )
    declared = {s["slug"] for s in statements() if s["speaker"] == "vladimir-putin"}
    assert declared and {s["slug"] for s in found} == declared
    assert {s["dated"]["by"] for s in found} <= {"said", "reported"}
    assert all("2024-02-01" <= s["dated"]["on"] <= "2024-02-29" for s in found)
    assert (
        all_items(
            http,
            "/statements",
            speaker="vladimir-putin",
            said_from="2024-06-01",
            said_to="2024-06-30",
        )
        == []
    )


def test_appearance_filters_combine_with_claim_stance_and_speaker(http: httpx.Client) -> None:
    claim = "putin-signalled-ceasefire-2023"
    declared = {s["slug"]: s for s in statements()}
    keep = _expected(lambda r: r.outlet == DAN_TRI)
    expected = {
        slug: places
        for slug, places in keep.items()
        if declared[slug]["claim"] == claim and declared[slug]["stance"] == "asserts"
    }
    assert expected
    under_claim = all_items(http, f"/claims/{claim}/statements", stance="asserts", outlet=DAN_TRI)
    assert _shown(under_claim) == expected
    everywhere = all_items(http, "/statements", claim=claim, stance="asserts", outlet=DAN_TRI)
    assert _shown(everywhere) == expected

    speaker = "dmitry-peskov"
    by_speaker = {
        slug: places
        for slug, places in _expected(lambda r: r.mode == "direct").items()
        if declared[slug]["speaker"] == speaker
    }
    assert by_speaker
    assert _shown(all_items(http, f"/actors/{speaker}/statements", mode="direct")) == by_speaker


def test_exports_keep_only_the_matching_reports(http: httpx.Client) -> None:
    keep = _expected(lambda r: r.mode == "direct" and r.outlet == INDIA_TV)
    rows = list(
        csv.DictReader(
            io.StringIO(http.get("/statements.csv?mode=direct&outlet=india-tv-news").text)
        )
    )
    got: dict[str, set[tuple[str, str]]] = {}
    for row in rows:
        assert row["mode"] == "direct" and row["outlet"] == INDIA_TV
        got.setdefault(row["statement"], set()).add((row["source"], row["quote"]))
    assert got == keep
    lines = http.get("/statements.ndjson", params={"hedged": "true"}).text.splitlines()
    assert lines and len(lines) == sum(1 for r in reports() if r.hedged)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"said_from": "2024-02-15", "said_to": "2024-02-14"}, "said_to"),
        ({"reported_from": "2024-03-01", "reported_to": "2024-02-01"}, "reported_to"),
        ({"mode": "paraphrase"}, "mode"),
        ({"language": "english!"}, "language"),
        ({"said_from": "14/02/2024"}, "said_from"),
    ],
)
def test_bad_filter_values_are_422_naming_the_parameter(
    http: httpx.Client, params: dict[str, str], field: str
) -> None:
    response = http.get("/statements", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_an_outlet_that_does_not_exist_is_404(http: httpx.Client) -> None:
    response = http.get("/statements", params={"outlet": "no-such-outlet"})
    assert response.status_code == 404
    assert "no-such-outlet" in response.json()["detail"]

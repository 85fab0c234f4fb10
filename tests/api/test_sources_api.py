"""Sources over HTTP: the text byte for byte, its dates and citations, and what it reports."""

import hashlib

import httpx
from seed_facts import document_path, seed_files
from test_claims_api import all_items


def test_the_text_is_the_document_byte_for_byte(http: httpx.Client) -> None:
    for f in seed_files():
        slug = f["source"]["slug"]
        response = http.get(f"/sources/{slug}/text")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        assert response.content == document_path(f).read_bytes()
        assert (
            http.get(f"/sources/{slug}").json()["sha256"]
            == hashlib.sha256(response.content).hexdigest()
        )


def test_dates_are_kept_as_printed_and_say_which_is_which(http: httpx.Client) -> None:
    body = http.get("/sources/indiatv-2024-02-14-putin-ceasefire-rejected").json()
    kinds = {d["kind"]: d for d in body["dates"]}
    assert kinds["published"]["day"] == "2024-02-14"
    assert kinds["page"]["day"] == "2024-12-22"
    assert body["reported_on"] == kinds["published"]["day"]
    for d in body["dates"]:
        assert body["text"][d["span"]["start"] : d["span"]["end"]] == d["printed"]
    assert kinds["published"]["at"] == "2024-02-14T18:25:00+00:00"  # 23:55 IST


def test_citations_point_both_ways(http: httpx.Client) -> None:
    reuters = "reuters-2024-02-putin-ceasefire-rebuffed"
    cited = http.get(f"/sources/{reuters}").json()
    assert cited["has_text"] is False and cited["text"] is None
    citing = {c["source"]["slug"] for c in cited["cited_by"]}
    assert citing == {f["source"]["slug"] for f in seed_files()}
    for f in seed_files():
        body = http.get(f"/sources/{f['source']['slug']}").json()
        [cite] = body["cites"]
        assert cite["source"]["slug"] == reuters
        evidence = cite["evidence"]
        assert body["text"][evidence["start"] : evidence["end"]] == evidence["text"]


def test_what_a_source_reports_with_spans_to_highlight(http: httpx.Client) -> None:
    for f in seed_files():
        slug = f["source"]["slug"]
        text = http.get(f"/sources/{slug}/text").text
        items = all_items(http, f"/sources/{slug}/statements")
        assert len(items) == sum(len(s["appearances"]) for s in f["statements"])
        starts = [i["span"]["start"] for i in items]
        assert starts == sorted(starts)
        for item in items:
            assert text[item["span"]["start"] : item["span"]["end"]] == item["quote"]
            for part in ("attribution", "hedge"):
                if item[part]:
                    assert text[item[part]["start"] : item[part]["end"]] == item[part]["text"]
            assert item["statement"]["speaker"]["slug"]


def test_furniture_is_marked_and_never_overlaps_what_is_reported(http: httpx.Client) -> None:
    for f in seed_files():
        slug = f["source"]["slug"]
        body = http.get(f"/sources/{slug}").json()
        assert {x["kind"] for x in body["furniture"]} == {
            x["kind"] for x in f["source"]["furniture"]
        }
        for item in all_items(http, f"/sources/{slug}/statements"):
            for x in body["furniture"]:
                assert (
                    item["span"]["end"] <= x["span"]["start"]
                    or x["span"]["end"] <= item["span"]["start"]
                )


def test_sources_filter_by_outlet_and_language(http: httpx.Client) -> None:
    dan_tri = all_items(http, "/sources", outlet="dan-tri")
    assert [s["slug"] for s in dan_tri] == ["dantri-2024-putin-ceasefire-revealed"]
    assert all_items(http, "/sources", language="vi") == []
    assert len(all_items(http, "/sources", language="en")) == len(all_items(http, "/sources"))

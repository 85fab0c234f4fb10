"""A claim's timeline, a statement's attribution chains, and who contradicts whom."""

import datetime as dt
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from conftest import in_process
from seed_facts import seed_files, statements
from test_claims_api import all_items
from test_statement_filters import reports

from app.config import Settings
from app.db.engine import make_engine, session_scope
from app.ingest.loader import load
from app.main import create_app

CEASEFIRE = "putin-signalled-ceasefire-2023"


def _first_reported() -> dict[str, dt.date]:
    found: dict[str, dt.date] = {}
    for r in reports():
        found[r.statement] = min(found.get(r.statement, r.reported_on), r.reported_on)
    return found


def test_a_claims_timeline_is_in_time_order_dated_by_said_else_reported(
    http: httpx.Client,
) -> None:
    first_reported = _first_reported()
    declared = {s["slug"]: s for s in statements() if s["claim"] == CEASEFIRE}
    entries = all_items(http, f"/claims/{CEASEFIRE}/timeline")
    assert sorted(e["slug"] for e in entries) == sorted(declared)
    for e in entries:
        said = declared[e["slug"]].get("said_on")
        if said:
            assert (e["on"], e["dated_by"]) == (str(said), "said")
        else:
            assert (e["on"], e["dated_by"]) == (str(first_reported[e["slug"]]), "reported")
        days = [a["source"]["reported_on"] for a in e["appearances"]]
        assert days == sorted(days), "appearances come earliest report first"
    keys = [(e["on"], e["slug"]) for e in entries]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    assert {e["dated_by"] for e in entries} == {"said", "reported"}


def test_timeline_pages_walk_the_same_order_as_one_page(http: httpx.Client) -> None:
    whole = http.get(f"/claims/{CEASEFIRE}/timeline", params={"limit": 500}).json()
    assert whole["next_cursor"] is None
    walked = all_items(http, f"/claims/{CEASEFIRE}/timeline")  # two at a time
    assert [e["slug"] for e in walked] == [e["slug"] for e in whole["items"]]


def test_timeline_takes_the_statement_filters(http: httpx.Client) -> None:
    entries = all_items(http, f"/claims/{CEASEFIRE}/timeline", outlet="dan-tri")
    expected = {
        r.statement
        for r in reports()
        if r.outlet == "dan-tri"
        and r.statement in {s["slug"] for s in statements() if s["claim"] == CEASEFIRE}
    }
    assert {e["slug"] for e in entries} == expected
    for e in entries:
        assert {a["source"]["outlet"]["slug"] for a in e["appearances"]} == {"dan-tri"}


def test_timeline_of_an_unknown_claim_is_404(http: httpx.Client) -> None:
    assert http.get("/claims/no-such-claim/timeline").status_code == 404


def _citations() -> dict[str, list[str]]:
    return {
        f["source"]["slug"]: [c["source"] for c in f["source"].get("cites", [])]
        for f in seed_files()
    }


def test_chains_run_from_the_speaker_through_the_cited_report_to_each_source(
    http: httpx.Client,
) -> None:
    slug = "three-sources-putin-sent-signals"
    declared = next(s for s in statements() if s["slug"] == slug)
    body = http.get(f"/statements/{slug}/chains").json()
    assert body["statement"]["slug"] == slug
    printed_in = Counter(r.source for r in reports() if r.statement == slug)
    assert Counter(c["hops"][-1]["source"]["slug"] for c in body["chains"]) == printed_in
    cites = _citations()
    for chain in body["chains"]:
        hops = chain["hops"]
        assert hops[0] == {
            "role": "speaker",
            "actor": body["statement"]["speaker"],
            "source": None,
            "text": body["statement"]["speaker"]["name"],
        }
        assert hops[0]["actor"]["slug"] == declared["speaker"]
        told = [h for h in hops if h["role"] == "told"]
        assert [h["actor"]["slug"] for h in told] == [declared["recipient"]]
        printed = hops[-1]["source"]["slug"]
        cited = [h["source"]["slug"] for h in hops if h["role"] == "reported_by"]
        assert cited == cites[printed]
        assert hops[-1]["role"] == "re_reported_by"
        assert chain["text"] == " -> ".join(h["text"] for h in hops)
    india_tv = next(
        c for c in body["chains"] if c["hops"][-1]["source"]["outlet"]["slug"] == "india-tv-news"
    )
    assert india_tv["text"] == (
        "Three Russian sources with knowledge of the discussions -> told Reuters -> "
        "reported by Reuters -> re-reported by India TV News (2024-02-14)"
    )


WIRE_TEXT = "Minister Ana Silva said the bridge would reopen in May.\n"
REPRINT_TEXT = "Ana Silva said the bridge would reopen in May, the wire reported.\n"
DIGEST_TEXT = "Per the daily: the bridge would reopen in May (from the wire).\n"


def _reprint(slug: str, outlet: str, cited: str, evidence: str) -> dict[str, Any]:
    """A source that reprints the statement and says whom it draws on."""
    return {
        "source": {
            "slug": slug,
            "outlet": outlet,
            "language": "en",
            "cites": [{"source": cited, "evidence": evidence}],
        },
        "statements": [{"ref": "silva-bridge-may", "appearances": [REPORT]}],
    }


REPORT = {"quote": "the bridge would reopen in May", "mode": "indirect"}


def _relayed_story(folder: Path) -> None:
    """A wire story, a paper that reprints it, and a digest that cites the paper: three files
    in the annotation format."""
    wire = {
        "source": {"slug": "wire-story", "outlet": "the-wire", "language": "en"},
        "actors": [
            {"slug": "the-wire", "name": "The Wire", "kind": "outlet"},
            {"slug": "the-daily", "name": "The Daily", "kind": "outlet"},
            {"slug": "the-digest", "name": "The Digest", "kind": "outlet"},
            {"slug": "ana-silva", "name": "Ana Silva", "kind": "person"},
        ],
        "claims": [{"slug": "bridge-reopens-in-may", "text": "The bridge reopens in May."}],
        "statements": [
            {
                "slug": "silva-bridge-may",
                "speaker": "ana-silva",
                "claim": "bridge-reopens-in-may",
                "stance": "asserts",
                "appearances": [REPORT],
            }
        ],
    }
    files = {
        WIRE_TEXT: wire,
        REPRINT_TEXT: _reprint("daily-reprint", "the-daily", "wire-story", "the wire reported"),
        DIGEST_TEXT: _reprint("digest", "the-digest", "daily-reprint", "Per the daily"),
    }
    for n, (text, f) in enumerate(files.items()):
        (folder / f"{n}.txt").write_text(text)
        f["format"] = "sayso/1"
        f["source"].update(document=f"{n}.txt", sha256=hashlib.sha256(text.encode()).hexdigest())
        (folder / f"{n}.json").write_text(json.dumps(f))


def test_a_chain_runs_through_every_source_cited_in_turn(db_url: str, tmp_path: Path) -> None:
    _relayed_story(tmp_path)
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        load(session, [tmp_path])
    engine.dispose()
    with in_process(create_app(Settings(database_url=db_url))) as client:
        body = client().get("/statements/silva-bridge-may/chains").json()
    chains = {c["hops"][-1]["source"]["slug"]: c["text"] for c in body["chains"]}
    assert chains == {
        "wire-story": "Ana Silva -> reported by The Wire",
        "daily-reprint": "Ana Silva -> reported by The Wire -> re-reported by The Daily",
        "digest": "Ana Silva -> reported by The Wire -> re-reported by The Daily"
        " -> re-reported by The Digest",
    }


def test_chains_of_an_unknown_statement_are_404(http: httpx.Client) -> None:
    assert http.get("/statements/no-such-statement/chains").status_code == 404


def test_actors_show_whom_they_contradict_and_who_contradicts_them(http: httpx.Client) -> None:
    # Worked out from the contradictions list: a denial's side b contradicts side a; an
    # inconsistency goes both ways; misreports are between sources.
    contradicts: Counter[tuple[str, str]] = Counter()
    for c in all_items(http, "/contradictions"):
        a, b = c["a"]["statement"]["speaker"]["slug"], c["b"]["statement"]["speaker"]["slug"]
        if c["kind"] == "misreport":
            continue
        contradicts[(b, a)] += 1
        if c["kind"] == "inconsistency":
            contradicts[(a, b)] += 1
    assert contradicts
    for actor in {x for pair in contradicts for x in pair} | {"reuters"}:
        body = http.get(f"/actors/{actor}").json()
        assert {o["slug"]: o["contradictions"] for o in body["contradicts"]} == {
            of: n for (by, of), n in contradicts.items() if by == actor
        }, actor
        assert {o["slug"]: o["contradictions"] for o in body["contradicted_by"]} == {
            by: n for (by, of), n in contradicts.items() if of == actor
        }, actor

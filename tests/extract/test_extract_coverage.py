"""The real-coverage evaluation (app/extract/coverage*.py, `python -m bench.coverage`), on a tiny
story written here: three fictional outlets' reports of one made-up denial. Its texts and gold
files are written to the test's own folder, as the real set's texts live outside the repository.

The figures are checked against counts worked out by hand, with drafts written by hand too (the
extractor's own drafts change as its rules do); one test runs the real extractor end to end.
"""

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from db_copies import Databases
from sqlalchemy.orm import Session

from app.extract.article import ArticleMeta
from app.extract.coverage import CoverageError, read_stories, read_texts, to_annotation
from app.extract.coverage_misses import misses
from app.extract.coverage_score import CoverageScore, coverage_report, evaluate_coverage
from app.extract.gold import Unit

STORED = (
    "Minister denies port sale plan\n\n"
    "The government of Norland plans to sell the port of Kesh to a private buyer, two officials"
    ' told the Harbour Times. "The sale will be announced in May," one of them said.\n\n'
    'Trade minister Ada Velk denied the report. "There is no plan to sell the port," Velk'
    " said.\n"
)
VALLEY = (
    "Norland denies plan to sell Kesh port\n\n"
    '"There is no plan to sell the port," trade minister Ada Velk said on Tuesday. The Harbour'
    " Times had reported that the government plans to sell the port, citing two officials.\n\n"
    "Dockworkers' leader Tom Rusk said the port was profitable.\n"
)
RIDGE = (
    "Kesh port sale is planned, says official\n\n"
    "A senior official of the ports agency, Mara Oss, said the sale of the port of Kesh was"
    ' planned. "We will sell it this year," Oss added.\n\n'
    'Ada Velk denied it again on Wednesday: "Nothing of the kind is planned," she told'
    " reporters.\n"
)
TEXTS = {
    "harbour-times-kesh": STORED,
    "valley-wire-kesh": VALLEY,
    "ridge-post-kesh": RIDGE,
}
OUTLETS = {
    "harbour-times-kesh": ("harbour-times", "Harbour Times"),
    "valley-wire-kesh": ("valley-wire", "Valley Wire"),
    "ridge-post-kesh": ("ridge-post", "Ridge Post"),
}


def span(text: str, quote: str) -> list[int]:
    start = text.index(quote)
    return [start, start + len(quote)]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def appearance(text: str, quote: str, mode: str = "direct") -> dict[str, Any]:
    return {"span": span(text, quote), "mode": mode}


def source(slug: str, text: str) -> dict[str, Any]:
    return {
        "slug": slug,
        "document": f"{slug}.txt",
        "sha256": sha(text),
        "title": text.split("\n")[0],
        "outlet": OUTLETS[slug][0],
        "language": "en",
    }


def outlet(slug: str) -> dict[str, Any]:
    o, name = OUTLETS[slug]
    return {"slug": o, "name": name, "kind": "outlet", "aliases": [name]}


def statement(
    slug: str, speaker: str, claim: str, stance: str, *appearances: dict[str, Any]
) -> dict[str, Any]:
    return {
        "slug": slug,
        "speaker": speaker,
        "claim": claim,
        "stance": stance,
        "appearances": list(appearances),
    }


GOLD: dict[str, dict[str, Any]] = {
    "harbour-times-kesh": {
        "actors": [
            outlet("harbour-times-kesh"),
            {
                "slug": "two-officials",
                "name": "Two officials",
                "kind": "unnamed",
                "group_size": 2,
                "aliases": ["two officials"],
            },
            {"slug": "ada-velk", "name": "Ada Velk", "kind": "person", "aliases": ["Velk"]},
        ],
        "claims": [
            {"slug": "norland-plans-kesh-sale", "text": "Norland plans to sell the port of Kesh."},
            {"slug": "kesh-sale-in-may", "text": "The port of Kesh's sale is announced in May."},
        ],
        "statements": [
            statement(
                "officials-sale-planned",
                "two-officials",
                "norland-plans-kesh-sale",
                "asserts",
                appearance(
                    STORED,
                    "The government of Norland plans to sell the port of Kesh to a private buyer",
                    "indirect",
                ),
            ),
            statement(
                "officials-sale-in-may",
                "two-officials",
                "kesh-sale-in-may",
                "asserts",
                appearance(STORED, "The sale will be announced in May,"),
            ),
            statement(
                "velk-denies-sale-plan",
                "ada-velk",
                "norland-plans-kesh-sale",
                "denies",
                appearance(STORED, "There is no plan to sell the port,"),
            ),
        ],
    },
    "valley-wire-kesh": {
        "actors": [
            outlet("valley-wire-kesh"),
            {"slug": "tom-rusk", "name": "Tom Rusk", "kind": "person", "aliases": ["Rusk"]},
        ],
        "claims": [{"slug": "kesh-port-profitable", "text": "The port of Kesh is profitable."}],
        "statements": [
            {
                "ref": "velk-denies-sale-plan",
                "appearances": [appearance(VALLEY, "There is no plan to sell the port,")],
            },
            {
                "ref": "officials-sale-planned",
                "appearances": [
                    appearance(VALLEY, "the government plans to sell the port", "indirect")
                ],
            },
            statement(
                "rusk-port-profitable",
                "tom-rusk",
                "kesh-port-profitable",
                "asserts",
                appearance(VALLEY, "the port was profitable", "indirect"),
            ),
        ],
    },
    "ridge-post-kesh": {
        "actors": [
            outlet("ridge-post-kesh"),
            {"slug": "mara-oss", "name": "Mara Oss", "kind": "person", "aliases": ["Oss"]},
        ],
        "claims": [{"slug": "kesh-sold-this-year", "text": "The port of Kesh is sold this year."}],
        "statements": [
            statement(
                "oss-sale-planned",
                "mara-oss",
                "norland-plans-kesh-sale",
                "asserts",
                appearance(RIDGE, "the sale of the port of Kesh was planned", "indirect"),
            ),
            statement(
                "oss-sold-this-year",
                "mara-oss",
                "kesh-sold-this-year",
                "asserts",
                appearance(RIDGE, "We will sell it this year,"),
            ),
            statement(
                "velk-denies-again",
                "ada-velk",
                "norland-plans-kesh-sale",
                "denies",
                appearance(RIDGE, "Nothing of the kind is planned,"),
            ),
        ],
    },
}


def write_story(root: Path, split: str = "dev", name: str = "kesh-port") -> Path:
    folder = root / "stories" / name
    folder.mkdir(parents=True)
    story = {
        "story": name,
        "split": split,
        "about": "A minister denies a reported plan to sell a port (fictional)",
        "stored": "harbour-times-kesh",
        "articles": [
            {
                "slug": slug,
                "outlet": OUTLETS[slug][1],
                "url": f"https://example.org/{slug}",
                "query": "Kesh port sale denied",
                "sha256": sha(text),
                "retrieved": "2026-12-07",
            }
            for slug, text in TEXTS.items()
        ],
    }
    (folder / "story.yaml").write_text(yaml.safe_dump(story, sort_keys=False), encoding="utf-8")
    for slug, text in TEXTS.items():
        gold = {"format": "sayso/1", "source": source(slug, text), **GOLD[slug]}
        (folder / f"{slug}.yaml").write_text(yaml.safe_dump(gold, sort_keys=False), "utf-8")
    return root / "stories"


def write_texts(root: Path) -> Path:
    folder = root / "texts"
    folder.mkdir()
    for slug, text in TEXTS.items():
        (folder / f"{slug}.txt").write_bytes(text.encode())
    return folder


# Drafts written by hand, as an extractor might make them (statements as in the draft format).
def draft_statement(
    slug: str, speaker: str, claim: str, stance: str, quote: str, mode: str = "indirect"
) -> dict[str, Any]:
    return {
        "slug": slug,
        "speaker": speaker,
        "claim": claim,
        "stance": stance,
        "appearances": [{"quote": quote, "mode": mode}],
    }


def person(slug: str, name: str) -> dict[str, Any]:
    return {"slug": slug, "name": name, "kind": "person", "aliases": [name]}


DRAFTS: dict[str, dict[str, Any]] = {
    "harbour-times-kesh": {"actors": [outlet("harbour-times-kesh")]},
    "valley-wire-kesh": {
        "actors": [
            outlet("valley-wire-kesh"),
            {"slug": "two-officials-2", "name": "two officials", "kind": "unnamed"},
            person("tom-rusk", "Tom Rusk"),
        ],
        "claims": [
            {"slug": "government-plans-sale", "text": "The government plans to sell the port."},
        ],
        "statements": [
            # Linked: the stored act of saying.
            {
                "ref": "velk-denies-sale-plan",
                "appearances": [{"quote": "There is no plan to sell the port,", "mode": "direct"}],
            },
            # Not linked (a new claim), and a new actor for the stored two officials.
            draft_statement(
                "officials-plan-sale",
                "two-officials-2",
                "government-plans-sale",
                "asserts",
                "the government plans to sell the port",
            ),
            # Matched (span, speaker), but set against the stored claim as a denial: its
            # contradiction with the officials' stored statement is false.
            draft_statement(
                "rusk-denies-sale",
                "tom-rusk",
                "norland-plans-kesh-sale",
                "denies",
                "the port was profitable",
            ),
        ],
    },
    "ridge-post-kesh": {
        "actors": [
            outlet("ridge-post-kesh"),
            person("mara-oss", "Mara Oss"),
            person("oss", "Oss"),  # the same person again: a duplicate new actor
        ],
        "claims": [{"slug": "sold-this-year", "text": "The port is sold this year."}],
        "statements": [
            draft_statement(
                "oss-sale-planned-2",
                "mara-oss",
                "norland-plans-kesh-sale",
                "asserts",
                "the sale of the port of Kesh was planned",
            ),
            draft_statement(
                "oss-this-year",
                "oss",
                "sold-this-year",
                "asserts",
                "We will sell it this year,",
                "direct",
            ),
            draft_statement(
                "velk-denies-sale-2",
                "ada-velk",
                "norland-plans-kesh-sale",
                "denies",
                "Nothing of the kind is planned,",
                "direct",
            ),
        ],
    },
}


def by_hand(_session: Session, text: str, meta: ArticleMeta) -> dict[str, Any]:
    assert meta.slug is not None
    return {
        "format": "sayso/1",
        "source": {**source(meta.slug, text), "document": f"{meta.slug}.txt"},
        "actors": [],
        "claims": [],
        "statements": [],
        **DRAFTS[meta.slug],
    }


@pytest.fixture
def fresh(databases: Databases) -> Iterator[Any]:
    made: list[str] = []

    def fresh() -> str:
        made.append(databases.seeded())
        return made[-1]

    yield fresh
    for url in made:
        databases.drop(url)


def test_spans_become_quotes_with_their_occurrence(tmp_path: Path) -> None:
    stories = write_story(tmp_path)
    path = stories / "kesh-port" / "valley-wire-kesh.yaml"
    data = to_annotation(path, VALLEY)
    assert data["source"]["text"] == VALLEY and "document" not in data["source"]
    quoted = [a for s in data["statements"] for a in s["appearances"]]
    assert [a["quote"] for a in quoted] == [
        "There is no plan to sell the port,",
        "the government plans to sell the port",
        "the port was profitable",
    ]
    assert all("span" not in a for a in quoted)
    # "the port" occurs three times: a span on the second gets occurrence 2.
    gold = yaml.safe_load(path.read_text())
    gold["statements"][0]["appearances"] = [appearance(VALLEY, "the port") | {"mode": "indirect"}]
    at = VALLEY.index("the port", VALLEY.index("the port") + 1)
    gold["statements"][0]["appearances"][0]["span"] = [at, at + len("the port")]
    path.write_text(yaml.safe_dump(gold))
    again = to_annotation(path, VALLEY)["statements"][0]["appearances"][0]
    assert again["quote"] == "the port" and again["occurrence"] == 2


def test_a_span_outside_the_text_is_an_error_naming_the_file_and_line(tmp_path: Path) -> None:
    stories = write_story(tmp_path)
    path = stories / "kesh-port" / "ridge-post-kesh.yaml"
    gold = yaml.safe_load(path.read_text())
    gold["statements"][2]["appearances"][0]["span"] = [10, 10_000]
    path.write_text(yaml.safe_dump(gold, sort_keys=False))
    with pytest.raises(CoverageError, match=r"ridge-post-kesh\.yaml:\d+: span must be"):
        to_annotation(path, RIDGE)


def test_a_changed_or_missing_text_is_reported_not_read(tmp_path: Path) -> None:
    [story] = read_stories(write_story(tmp_path))
    texts = write_texts(tmp_path)
    (texts / "valley-wire-kesh.txt").write_bytes(VALLEY.replace("Tuesday", "Monday").encode())
    (texts / "ridge-post-kesh.txt").unlink()
    found = read_texts(story, texts)
    assert set(found.found) == {"harbour-times-kesh"}
    assert [p.split(":")[0] for p in found.problems] == ["differs", "missing"]
    assert "valley-wire-kesh.txt" in found.problems[0]
    assert "ridge-post-kesh.txt" in found.problems[1]


def test_a_split_leaves_the_other_split_unread(tmp_path: Path) -> None:
    write_story(tmp_path, "dev", "kesh-port")
    stories = write_story(tmp_path, "heldout", "kesh-port-again")
    # A held-out story's gold files are never opened by a dev run: break them to show it.
    for path in (stories / "kesh-port-again").glob("*-kesh.yaml"):
        path.write_text("{ not yaml")
    assert [s.entry.story for s in read_stories(stories, "dev")] == ["kesh-port"]
    assert [s.entry.story for s in read_stories(stories)] == ["kesh-port", "kesh-port-again"]


def test_the_figures_of_drafts_made_by_hand(tmp_path: Path, fresh: Any) -> None:
    stories = read_stories(write_story(tmp_path))
    scores = evaluate_coverage(stories, write_texts(tmp_path), fresh, drafter=by_hand)
    s = scores["dev"]
    assert not s.problems
    assert (s.documents, s.rereports) == (3, 2)
    # 3 gold appearances per article; the stored one's draft has none, the others 3 each, all
    # matching (span and speaker; Oss by the name the two share).
    assert (s.gold, s.predicted, s.matched) == (9, 6, 6)
    # Linkable: Valley's two refs (one linked), Ridge's two statements on the stored claim
    # (both linked); Rusk's and Oss's second are on new claims.
    assert (s.links, s.links_right) == (4, 3)
    assert (s.acts, s.acts_right, s.on_claims, s.on_claims_right) == (2, 1, 2, 2)
    # Stored speakers: Velk twice (right), the two officials once (a new actor: wrong); Oss is
    # declared twice in one draft: one duplicate.
    assert (s.stored_speakers, s.stored_speakers_right, s.duplicate_actors) == (3, 2, 1)
    assert (s.stored_spans, s.stored_spans_right) == (3, 2)
    # What the drafts added to their database: Rusk's "denial" against the officials (false),
    # then Oss against the stored denial (true) and against Rusk (false), Velk's new denial
    # against the officials and against Oss (true).
    assert (s.contradictions, s.false_contradictions) == (5, 2)
    assert s.false_per_article == 1.0
    report = coverage_report(scores)
    assert "linking accuracy" in report and "0.750 (3/4)" in report
    assert "0.500 (2/4)" in report  # actor resolution: 2 of 3 stored speakers + 1 duplicate
    assert "1.000 (2/2)" in report  # false contradictions per re-reported article


def test_a_changed_text_is_not_scored(tmp_path: Path, fresh: Any) -> None:
    stories = read_stories(write_story(tmp_path))
    texts = write_texts(tmp_path)
    (texts / "ridge-post-kesh.txt").write_bytes(RIDGE.replace("Wednesday", "Thursday").encode())
    s: CoverageScore = evaluate_coverage(stories, texts, fresh, drafter=by_hand)["dev"]
    assert [p.split(":")[0] for p in s.problems] == ["differs"]
    assert (s.documents, s.rereports, s.gold, s.links, s.links_right) == (2, 1, 6, 2, 1)
    assert (s.contradictions, s.false_contradictions) == (1, 1)


def test_the_extractor_end_to_end(tmp_path: Path, fresh: Any) -> None:
    stories = read_stories(write_story(tmp_path, "heldout"))
    scores = evaluate_coverage(stories, write_texts(tmp_path), fresh)
    s = scores["heldout"]
    assert list(scores) == ["heldout"] and not s.refused_drafts, s.problems
    assert (s.documents, s.rereports, s.gold, s.links) == (3, 2, 9, 4)
    assert 0 <= s.links_right <= s.links and s.predicted > 0


def test_the_command_scores_dev_alone_and_says_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bench.coverage.__main__ import main

    write_story(tmp_path, "dev", "kesh-port")
    stories = write_story(tmp_path, "heldout", "kesh-port-again")
    for path in (stories / "kesh-port-again").glob("*-kesh.yaml"):
        path.write_text("{ not yaml")  # never opened by a dev run
    texts = write_texts(tmp_path)
    (texts / "ridge-post-kesh.txt").unlink()
    argv = ["--texts", str(texts), "--stories", str(stories), "--split", "dev"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "linking accuracy" in out and "heldout" not in out.split("\n\n")[1]
    assert f"dev: missing: {texts / 'ridge-post-kesh.txt'}" in out
    assert main(["--texts", str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_gold_only_scores_each_gold_file_as_its_own_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An annotator's check: the gold as its own draft gives perfect figures, and a gold file
    the loader refuses is reported, without the extractor ever running."""
    from bench.coverage.__main__ import main

    stories = write_story(tmp_path, "dev", "kesh-port")
    texts = write_texts(tmp_path)
    argv = ["--texts", str(texts), "--stories", str(stories), "--gold-only"]
    assert main([*argv, "--story", "kesh-port"]) == 0
    out = capsys.readouterr().out
    for figure in ("statement precision", "statement recall", "linking accuracy"):
        assert re.search(rf"{figure} +1\.000", out), out
    assert re.search(r"false contradictions/article +0\.000", out), out
    assert main([*argv, "--story", "no-such-story"]) == 1
    capsys.readouterr()
    gold = next((stories / "kesh-port").glob("ridge-post-*.yaml"))
    gold.write_text(gold.read_text().replace("stance: denies", "stance: denies-maybe", 1))
    main(argv)
    out = capsys.readouterr().out
    assert "ridge-post-kesh.yaml:" in out and "stance: Input should be" in out, out


def test_the_misses_say_what_went_unmatched_and_why() -> None:
    text = "Velk denied the plan. Oss said the port would be sold in May, officials said."
    velk, oss, officials = (0, 20), (22, 60), (22, 76)
    truth = [
        Unit(velk, "ada-velk", "denies", "c", "s1", "indirect"),
        Unit(oss, "mara-oss", "asserts", "c", "s2", "indirect"),
        Unit((62, 76), "officials", "asserts", "c", "s3", "indirect"),
    ]
    pred = [
        Unit(velk, "ada-velk", "asserts", "c", "p1", "indirect"),  # matched, stance wrong
        Unit(oss, "someone-else", "asserts", "c", "p2", "indirect"),  # right span, wrong speaker
        Unit(officials, "officials", "asserts", "c", "p3", "indirect"),  # IoU below 0.5
    ]
    lines = misses(text, truth, pred, [(pred[0], truth[0])])
    assert lines[0] == "missed [22:60] mara-oss asserts: speaker (other side: someone-else)"
    assert lines[1].startswith("missed [62:76] officials asserts: span (IoU 0.26 with [22:76]")
    assert lines[2].startswith("false  [22:60] someone-else asserts: speaker")
    # Its best overlap is Oss's statement (IoU 0.70), spoken by someone else.
    assert lines[3] == "false  [22:76] officials asserts: speaker (other side: mara-oss)"
    assert lines[4] == "stance [0:20] ada-velk denies: none (predicted asserts)"
    assert len(lines) == 5
    assert "|" not in "".join(lines)  # no words unless asked for
    worded = misses(text, truth, pred, [(pred[0], truth[0])], words=True)
    assert worded[0].endswith('| "Oss said the port would be sold in May"')


def test_the_committed_set_is_consistent() -> None:
    """Every story of bench/coverage/ lists gold files that name their own text, with the
    SHA-256 its story.yaml records, and quote nothing (spans only). The texts are not needed."""
    stories = read_stories()
    assert stories, "bench/coverage/stories/ holds the set"
    slugs: list[str] = []
    for story in stories:
        for article in story.entry.articles:
            slugs.append(article.slug)
            assert len(article.sha256) == 64, article.slug
            gold = yaml.safe_load(story.gold_path(article).read_text(encoding="utf-8"))
            source = gold["source"]
            assert source["slug"] == article.slug
            assert source["document"] == f"{article.slug}.txt"
            assert source["sha256"] == article.sha256, article.slug
            for statement in gold.get("statements") or []:
                for appearance in statement["appearances"]:
                    assert "quote" not in appearance and "span" in appearance, article.slug
    assert len(slugs) == len(set(slugs))
    assert {s.split for s in stories} == {"dev", "heldout"}

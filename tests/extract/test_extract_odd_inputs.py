"""The extractor never fails: odd input gives what can be found, or an empty draft with a reason;
whatever it quotes is in the text, where the loader will find it."""

import random

import pytest
from extract_support import BENCH, appearances, assert_placeable, run, seed_known

from app.config import PROJECT_ROOT
from app.extract.pipeline import extract

ARTICLES = sorted(BENCH.glob("*/documents/*.txt")) + sorted(
    (PROJECT_ROOT / "seed_data" / "documents").glob("*.txt")
)


@pytest.mark.parametrize("text", ["", "   \n\n\t ", "\n"])
def test_an_empty_text_gives_an_empty_draft_with_a_reason(text: str) -> None:
    result = run(text, title="Nothing")
    assert result.reason == "the text is empty"
    assert result.draft["statements"] == [] and result.draft["source"]["title"] == "Nothing"


def test_a_text_without_reported_speech_gives_no_statements_and_says_so() -> None:
    result = run("The river rose by two metres overnight. Schools in the valley were closed.")
    assert result.draft["statements"] == []
    assert result.reason == "no attributed statements were found"


@pytest.mark.parametrize(
    "text",
    [
        'The minister said "we will not resign and then nothing more',
        '"" said the minister. """ the spokesman said "',
        "He said: \u201cIt\u2019s over. And the spokesman added \u201dthat was all\u201c he said.",
        "\u2018Single quotes never closed, said the coach. Putin's men\u2019s team said.",
        "`backtick opened, said a source",
        '"',
    ],
)
def test_unbalanced_quotation_marks_do_not_break_it(text: str) -> None:
    result = run(text)
    assert_placeable(text, result)


def test_a_quotation_left_open_runs_to_the_end_of_its_paragraph() -> None:
    text = 'The coach said: "We will fight on. Nobody here gives up\n\nThe club said nothing else.'
    result = run(text)
    [(_statement, appearance)] = appearances(result)
    assert appearance["quote"] == "We will fight on. Nobody here gives up"
    assert appearance["mode"] == "direct"


def test_a_megabyte_of_text_is_read_through() -> None:
    paragraphs = [p for path in ARTICLES for p in path.read_text().split("\n") if p.strip()]
    numbered, size = [], 0
    while size < 1_000_000:  # every paragraph numbered, so that none is a repeated page header
        p = f"[{len(numbered)}] {paragraphs[len(numbered) % len(paragraphs)]}"
        numbered.append(p)
        size += len(p) + 2
    text = "\n\n".join(numbered)[:1_000_000]
    result = run(text, seed_known())
    assert result.reason is None
    assert len(appearances(result)) > 1000
    assert_placeable(text, result)


def test_a_megabyte_without_any_punctuation_or_newline() -> None:
    rng = random.Random(6)
    words = ["said", "the", "minister", "that", "denied", "Putin", "according", "to", "a", "source"]
    text = " ".join(rng.choice(words) for _ in range(180_000))
    result = run(text)
    assert_placeable(text, result)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Der Sprecher des Kremls sagte, dass es keine Verhandlungen gegeben habe und dass "
            "die Berichte falsch seien. Die Regierung wollte sich nicht äußern.",
            "en",
        ),
        (
            "Người phát ngôn Điện Kremlin nói rằng không có đề xuất hòa bình nào được gửi tới "
            "Washington và thông tin đó là sai sự thật.",
            "en",
        ),
        (
            "Представитель Кремля заявил, что никаких мирных предложений Вашингтону не поступало.",
            "en",
        ),
        ("The spokesman said the report was false.", "de"),
    ],
)
def test_a_text_not_in_english_gives_an_empty_draft_with_a_reason(text: str, language: str) -> None:
    result = run(text, language=language)
    assert result.draft["statements"] == []
    assert result.reason is not None and "English" in result.reason


def test_nul_characters_are_never_quoted() -> None:
    text = 'The minister said "we will\x00 stay". The mayor said the roads were closed.\x00'
    result = run(text)
    assert all("\x00" not in a["quote"] for _, a in appearances(result))
    assert any("NUL" in w for w in result.warnings)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_every_quote_of_every_benchmark_article_is_verbatim_in_its_text(path: object) -> None:
    text = path.read_bytes().decode("utf-8")  # type: ignore[attr-defined]
    result = extract(text, None, seed_known())
    assert result.reason is None and result.statements > 5
    assert_placeable(text, result)

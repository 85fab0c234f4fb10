"""A text that is not English gives an empty draft whose language is the one detected, through
the pipeline, POST /extract and `sayso extract`; an English text is still read."""

from pathlib import Path

import httpx
import pytest
import yaml
from conftest import sayso
from extract_support import run

from app.extract.language import detect

# Short texts of our own, one sentence each: who said what about a bridge, a budget, a vote.
TEXTS = {
    "vi": "Bộ trưởng cho biết cây cầu mới sẽ được mở cửa vào tháng Năm tới.",
    "ru": "Министр заявил, что новый мост откроют в мае следующего года.",
    "hi": "मंत्री ने कहा कि नया पुल अगले साल मई में खोला जाएगा।",
    "fr": "Le ministre a déclaré que le nouveau pont ouvrirait en mai prochain.",
}
ENGLISH = "The minister said the new bridge would open next May."


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_each_text_is_detected_as_its_language(language: str) -> None:
    assert detect(TEXTS[language]) == language


def test_english_texts_long_and_short_are_english() -> None:
    assert detect(ENGLISH) == "en"
    assert detect("Minister: no deal on tariffs") == "en"
    assert detect(" ".join([ENGLISH] * 5)) == "en"


def test_a_text_with_no_letters_is_undetermined() -> None:
    assert detect("12 345 - 6") == "und"


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_a_text_not_in_english_gives_an_empty_draft_in_its_language(language: str) -> None:
    result = run(TEXTS[language])
    assert result.draft["statements"] == [] and result.draft["actors"] == []
    assert result.draft["source"]["language"] == language
    assert result.reason == (
        f"the text reads as language '{language}' (detected): the extractor reads English only"
    )


def test_the_language_detected_wins_over_a_meta_that_says_english() -> None:
    result = run(TEXTS["ru"], language="en")
    assert result.draft["source"]["language"] == "ru"
    assert result.draft["statements"] == []


def test_an_english_text_is_drafted_in_english_with_no_language_given() -> None:
    result = run(ENGLISH)
    assert result.draft["source"]["language"] == "en"
    assert [a["quote"] for s in result.draft["statements"] for a in s["appearances"]] == [
        "the new bridge would open next May"
    ]


def test_a_language_the_meta_gives_is_kept() -> None:
    result = run(ENGLISH, language="en-GB")
    assert result.draft["source"]["language"] == "en-GB"


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_post_extract_gives_the_detected_language(http: httpx.Client, language: str) -> None:
    response = http.post("/extract", json={"text": TEXTS[language]})
    assert response.status_code == 200
    body = response.json()
    assert body["draft"]["source"]["language"] == language
    assert body["draft"]["statements"] == [] and body["statements"] == 0
    assert f"'{language}'" in body["reason"]


def test_post_extract_on_english_says_english(http: httpx.Client) -> None:
    body = http.post("/extract", json={"text": ENGLISH}).json()
    assert body["draft"]["source"]["language"] == "en"
    assert body["statements"] == 1


@pytest.mark.parametrize("language", ["ru", "hi"])
def test_sayso_extract_writes_the_detected_language(tmp_path: Path, language: str) -> None:
    article = tmp_path / "article.txt"
    article.write_text(TEXTS[language], encoding="utf-8")
    out = tmp_path / "draft.yaml"
    made = sayso(
        f"sqlite:///{tmp_path / 'no.db'}", "extract", str(article), "--no-db", "--out", str(out)
    )
    assert made.returncode == 0, made.stderr
    assert f"the text reads as language '{language}'" in made.stderr
    draft = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert draft["source"]["language"] == language
    assert draft["statements"] == []

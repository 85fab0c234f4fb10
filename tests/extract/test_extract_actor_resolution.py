"""Speakers resolved to the actors already known (issue 23, item 2): a title before a stored
name, a transliteration variant of a stored person's name, and one actor per person within a
draft; against the seed files and against a real database (SQLite and PostgreSQL)."""

import pytest
from extract_support import run, seed_known
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.extract.article import ArticleMeta
from app.extract.known_db import known_from_db
from app.extract.pipeline import Extraction, extract
from app.extract.tokens import fold_spelling

# Sentences of our own about a harvest; the speakers are the seed's stored people.
RESOLVED = [
    ("Kremlin press secretary Dmitry Peskov said the harvest had been poor.", "dmitry-peskov"),
    ("Kremlin spokesman Dmitri Peskov said the harvest had been poor.", "dmitry-peskov"),
    (
        "Ukrainian President Volodymyr Zelensky said the harvest had been poor.",
        "volodymyr-zelenskyy",
    ),
    ("Zelenskiy said the harvest had been poor.", "volodymyr-zelenskyy"),
    ("President Volodymyr Zelenskii said the harvest had been poor.", "volodymyr-zelenskyy"),
]


def _from_db(engine: Engine, text: str) -> Extraction:
    with Session(engine) as session:
        return extract(text, ArticleMeta(), lookup=lambda a: known_from_db(session, a))


def _speakers(result: Extraction) -> list[str]:
    return [s["speaker"] for s in result.draft["statements"]]


def test_transliteration_endings_fold_to_one_spelling() -> None:
    assert {fold_spelling(n) for n in ("zelenskyy", "zelensky", "zelenskiy", "zelenskii")} == {
        "zelensky"
    }
    assert fold_spelling("dmitri peskov") == fold_spelling("dmitry peskov") == "dmitry peskov"
    assert fold_spelling("ivan") == "ivan"  # short words are left alone


@pytest.mark.parametrize(("text", "slug"), RESOLVED)
def test_a_title_or_a_variant_spelling_is_the_stored_person(text: str, slug: str) -> None:
    result = run(text, seed_known())
    assert _speakers(result) == [slug]
    assert result.draft["actors"] == []


@pytest.mark.parametrize(("text", "slug"), RESOLVED)
def test_the_same_against_the_database(seeded_engine: Engine, text: str, slug: str) -> None:
    result = _from_db(seeded_engine, text)
    assert _speakers(result) == [slug]
    assert result.draft["actors"] == []


def test_another_first_name_is_another_person(seeded_engine: Engine) -> None:
    text = "Ivan Zelensky, a farmer, said the harvest had been poor."
    for result in (run(text, seed_known()), _from_db(seeded_engine, text)):
        [speaker] = _speakers(result)
        assert speaker != "volodymyr-zelenskyy"
        assert [a["name"] for a in result.draft["actors"]] == ["Ivan Zelensky"]


def test_two_spellings_in_one_text_are_one_new_actor() -> None:
    text = (
        "Olena Kovalenkiy, a grain trader, said the harvest had been poor. "
        "Later, Kovalenkyy said prices would rise."
    )
    result = run(text)
    assert len(result.draft["actors"]) == 1
    assert len(set(_speakers(result))) == 1


def test_two_spellings_in_one_text_are_the_stored_person(seeded_engine: Engine) -> None:
    text = (
        "Zelensky said the harvest had been poor. "
        "Later, Volodymyr Zelenskyy said the rain had come too late."
    )
    for result in (run(text, seed_known()), _from_db(seeded_engine, text)):
        assert _speakers(result) == ["volodymyr-zelenskyy", "volodymyr-zelenskyy"]
        assert result.draft["actors"] == []


def test_one_person_named_three_ways_is_one_actor() -> None:
    text = (
        "Grain board chairman Pavlo Hrytsenko said the harvest had been poor. "
        "Hrytsenko, the board's chairman, said the rain had come too late. "
        "Mr. Hrytsenko said prices would rise."
    )
    result = run(text)
    assert [a["name"] for a in result.draft["actors"]] == ["Pavlo Hrytsenko"]
    assert len(set(_speakers(result))) == 1

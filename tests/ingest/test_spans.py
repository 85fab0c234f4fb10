"""Placing quoted text in a document: exact spans, hints, furniture, and clear refusals."""

import pytest

from app.documents.spans import Document, NotPlaced

TEXT = "Home > News\nPutin said no. Later, Putin said no again.\nAdvertisement\n"


def doc() -> Document:
    d = Document(TEXT, [])
    d.furniture = [(0, 11), (TEXT.index("Advertisement"), len(TEXT) - 1)]
    return d


def test_a_unique_quote_is_placed_exactly() -> None:
    start, end = doc().place("no again")
    assert TEXT[start:end] == "no again"


def test_an_ambiguous_quote_is_refused_with_the_lines() -> None:
    with pytest.raises(NotPlaced, match=r"occurs 2 times \(lines 2, 2\)"):
        doc().place("Putin said no")


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ({"occurrence": 2}, TEXT.rindex("Putin said no")),
        ({"after": "Later,"}, TEXT.rindex("Putin")),
    ],
)
def test_a_hint_chooses_the_occurrence(hint: dict[str, object], expected: int) -> None:
    start, _ = doc().place("Putin said no", **hint)  # type: ignore[arg-type]
    assert start == expected


def test_furniture_is_never_a_quote() -> None:
    with pytest.raises(NotPlaced, match="only in page furniture"):
        doc().place("Advertisement")
    with pytest.raises(NotPlaced, match="lies in page furniture"):
        doc().place("News", occurrence=1)


def test_missing_text_and_a_too_high_occurrence_are_refused() -> None:
    with pytest.raises(NotPlaced, match="is not in the document"):
        doc().place("Biden said yes")
    with pytest.raises(NotPlaced, match="occurrence 3 asked"):
        doc().place("Putin said no", occurrence=3)


def test_the_nearest_attribution_is_chosen() -> None:
    d = doc()
    quote = d.place("no again")
    start, _ = d.nearest("Putin said", quote)
    assert start == TEXT.rindex("Putin said")

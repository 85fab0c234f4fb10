"""Which language a text is in: English by its common words when it plainly reads as English,
else by py3langid (a naive Bayes model over byte n-grams, shipped inside the package: nothing is
downloaded), loaded the first time a text needs it."""

from functools import cache
from typing import Any

from app.extract.lexicon import wordset
from app.extract.tokens import words_of

# Words that make up a good part of any English text; too few of them and it is not English.
_ENGLISH = wordset(
    """the of and to in a is that for on was with as by at from he it his said has are be
    an have were not but they which this who had will would their its been after over
    also more than or she her we about there"""
)
# How much of the text is read: enough for a language, little enough to cost nothing.
_SAMPLE = 5000
# Below this many words the common words alone do not say English.
_SURE_WORDS = 20
# A short text is plainly English only with many common words ("a" and "on" are French too).
_SHORT_WORDS = 8
_SHORT_SHARE = 0.25
# The share of common English words in English prose is 30-50%; under this it is not English.
_SHARE = 0.08
# Below this probability the model's answer is no answer.
_CONFIDENT = 0.5
UNDETERMINED = "und"  # BCP 47 for "a language not determined"


def detect(text: str) -> str:
    """The language of TEXT, a BCP 47 primary tag ("en", "ru", "vi"), or "und" when it cannot
    be told (an empty text, a text with no words)."""
    sample = text[:_SAMPLE]
    words = words_of(sample)
    latin = _latin_share(sample)
    if latin is None:
        return UNDETERMINED
    share = sum(1 for w in words if w in _ENGLISH) / len(words) if words else 0.0
    if latin > 0.9 and (
        (len(words) >= _SURE_WORDS and share >= _SHARE)
        or (len(words) >= _SHORT_WORDS and share >= _SHORT_SHARE)
    ):
        return "en"  # plainly English: no model needed (the common case, at no cost)
    language, probability = _identifier().classify(sample)
    if language == "en":
        return "en"
    if probability >= _CONFIDENT:
        return str(language)
    # Too short or too mixed for the model: a Latin text with common English words is English.
    if latin > 0.9 and share >= _SHARE:
        return "en"
    return UNDETERMINED


def _latin_share(sample: str) -> float | None:
    """The share of SAMPLE's letters that are ASCII (None when it has no letters)."""
    if sample.isascii():  # the common case, at C speed
        return 1.0 if any(c.isalpha() for c in sample) else None
    letters = [c for c in sample if c.isalpha()]
    return sum(1 for c in letters if c.isascii()) / len(letters) if letters else None


def warm() -> None:
    """Load the model now (a process that will read texts for others: app/extract/child.py), so
    that no text pays for it and the memory it takes is the process's, not a job's."""
    _identifier()


@cache
def _identifier() -> Any:
    """py3langid's identifier, with probabilities that sum to one (loaded once: ~0.8 s)."""
    from py3langid.langid import (
        MODEL_FILE,
        LanguageIdentifier,
    )  # here: numpy and the model load only when needed

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

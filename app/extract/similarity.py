"""How alike two statements' words are: stems, a few synonyms, and a weighted cosine."""

import math
import re
from collections import Counter
from functools import lru_cache

from app.extract.lexicon import wordset
from app.extract.tokens import words_of

# Function words carry nothing about what a claim says.
STOPWORDS = wordset(
    """a an the and or but if of to in on at by for with from into onto about over under
    after before during between among through via as than that this these those there
    here it its it's he she they we i you his her their our my your him them us me be is
    are was were been being am do does did done have has had having will would shall
    should can could may might must not no nor never n't so such very just also only
    even too then than when where which who whom whose what why how all any each every
    some most more much many few other another same own up down out off again further
    once said says say told tell according while although though because since until
    unless whether also yet still"""
)
# Words news uses everywhere: they count, but less.
_COMMON = wordset(
    """year years month week time people government country official officials new first
    last one two three percent report reported would could told saying statement"""
)
# Phrases and words the re-reports of one story vary between.
_PHRASES = [
    (re.compile(r"\bunited states\b|\bu\.s\.(?=\W|$)|\bamerica\b"), "us"),
    (re.compile(r"\bbehind the scenes\b|\bback[- ]channel\b"), "backchannel"),
    (re.compile(r"\bcease[- ]fire\b"), "ceasefire"),
    (re.compile(r"\bfront[- ]lines?\b"), "frontline"),
    # Paraphrases news copy uses for one another, whatever the story.
    (
        re.compile(
            r"\b(?:came|come|comes|coming) to nothing\b|\bfell (?:apart|through)\b"
            r"|\bfalling apart\b|\b(?:yield|yielded|produce|produced) (?:no )?results\b"
        ),
        "fail",
    ),
    (re.compile(r"\b(?:took|take|takes|taking) part\b"), "participate"),
    (re.compile(r"\bsteps? down\b|\bstepped down\b|\bstepping down\b"), "resign"),
    (re.compile(r"\bwalk-?outs?\b"), "strike"),
]
_SYNONYMS = {
    "truce": "ceasefire",
    "americans": "us",
    "american": "us",
    "washington": "us",
    "russian": "russia",
    "russians": "russia",
    "moscow": "russia",
    "ukrainian": "ukraine",
    "kyiv": "ukraine",
    "kiev": "ukraine",
    "rebuffed": "reject",
    "rebuff": "reject",
    "rejected": "reject",
    "rejects": "reject",
    "suggestion": "proposal",
    "offer": "proposal",
    "offered": "proposal",
    "proposed": "proposal",
    "proposing": "proposal",
    "propose": "proposal",
    "proposals": "proposal",
    "negotiations": "talk",
    "negotiation": "talk",
    "negotiate": "talk",
    "negotiating": "talk",
    "talks": "talk",
    "discussions": "talk",
    "discuss": "talk",
    "contacts": "contact",
    "conflict": "war",
    "fighting": "war",
    "freeze": "halt",
    "freezing": "halt",
    "stop": "halt",
    "signalled": "signal",
    "signaled": "signal",
    "signals": "signal",
    "received": "receive",
    "proposal's": "proposal",
    # general families
    "failed": "fail",
    "collapsed": "fail",
    "collapse": "fail",
    "participated": "participate",
    "engaged": "participate",
    "involved": "participate",
    "willing": "ready",
    "prepared": "ready",
    "open": "ready",
    "sincere": "genuine",
    "serious": "genuine",
    "quit": "resign",
    "resigned": "resign",
    "resignation": "resign",
    "acquire": "buy",
    "acquired": "buy",
    "acquisition": "buy",
    "purchase": "buy",
    "takeover": "buy",
    "bought": "buy",
    "buying": "buy",
    "sack": "dismiss",
    "sacked": "dismiss",
    "fired": "dismiss",
    "increase": "raise",
    "increased": "raise",
    "hike": "raise",
    "reduce": "cut",
    "reduced": "cut",
    "lower": "cut",
    "lowered": "cut",
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A word reduced to a comparable form: synonyms mapped, common suffixes cut."""
    word = word.removesuffix("'s")
    word = _SYNONYMS.get(word, word)
    if len(word) <= 4 or word[:1].isdigit():
        return word
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + keep
    return word


def terms(text: str) -> Counter[str]:
    """The weighted stems of TEXT (function words left out)."""
    low = text.lower().replace("\u2019", "'")
    for pattern, replacement in _PHRASES:
        low = pattern.sub(replacement, low)
    bag: Counter[str] = Counter()
    for w in words_of(low):
        if w in STOPWORDS or len(w) < 2:
            continue
        s = stem(w)
        bag[s] += 1
    return bag


def weight(term: str) -> float:
    return 0.5 if term in _COMMON else 1.0


def cosine(a: Counter[str], b: Counter[str]) -> float:
    """The cosine of two bags of stems, each stem weighted."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(n * b[t] * weight(t) ** 2 for t, n in a.items() if t in b)
    if dot == 0:
        return 0.0
    norm_a = math.sqrt(sum((n * weight(t)) ** 2 for t, n in a.items()))
    norm_b = math.sqrt(sum((n * weight(t)) ** 2 for t, n in b.items()))
    return dot / (norm_a * norm_b)


@lru_cache(maxsize=65536)
def word_set(text: str) -> frozenset[str]:
    return frozenset(words_of(text))


def all_words_overlap(a: str, b: str) -> float:
    """How much two quotations share, every word counted (for "No. It is not true" twice)."""
    wa, wb = word_set(a), word_set(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)

"""What each statement is about: a known claim when its words match one, else a new claim."""

import re
from collections import Counter
from dataclasses import dataclass

from app.extract import lexicon as lx
from app.extract.known import Known, KnownStatement
from app.extract.lexicon import wordset
from app.extract.similarity import all_words_overlap, cosine, terms
from app.models.enums import Stance

# A statement matches a known claim from this similarity up (cosine of weighted stems; the
# figures were set on the dev half of the benchmark, see docs/extraction.md).
MATCH = 0.55
# What a known speaker has already been reported saying about a claim adds this much.
SPEAKER_BONUS = 0.1
# A statement takes the claim of a surer statement by the same speaker with the same stance
# in the same text (a headline restating the lead) when its words match that claim this well.
SAME_SPEAKER = 0.35
# A stored claim the text is surely about (another of its statements is on it with confidence)
# counts this much more for its other statements.
STORY_BONUS = 0.15
# Two new claims of one document are one claim from here up.
SAME_NEW = 0.6
# A stored claim whose statements are all proposed (a draft's wording, not yet reviewed)
# counts this much of its likeness: a reviewed claim the words come near is preferred.
UNREVIEWED = 0.8


@dataclass
class Match:
    """The best known claim for some words, and the known statement that matched best."""

    claim: str | None = None
    score: float = 0.0
    statements: dict[str, float] | None = None
    scores: dict[str, float] | None = None  # every candidate claim's score


def match(known: Known, words: str, said_before: set[str] | None = None) -> Match:
    """The known claim closest to WORDS, with how close each known statement on it is; claims
    the same speaker is known to have spoken about (SAID_BEFORE) count a little more."""
    bag = terms(words)
    if not bag or not known:
        return Match()
    by_claim: dict[str, float] = {}
    by_statement: dict[str, tuple[str, float]] = {}
    for c in known.candidates(bag):
        if sum(1 for term in c.bag if term in bag) < 2:
            continue  # one shared word ("received") is no evidence of one claim
        score = cosine(bag, c.bag)
        if c.statement is not None:
            score = max(score, all_words_overlap(words, c.text))
            if score > by_statement.get(c.statement, ("", 0.0))[1]:
                by_statement[c.statement] = (c.claim, score)
        if score > by_claim.get(c.claim, 0.0):
            by_claim[c.claim] = score
    if not by_claim:
        return Match()
    for claim in known.unreviewed & by_claim.keys():
        by_claim[claim] *= UNREVIEWED
    for claim in said_before or ():
        if claim in by_claim:
            by_claim[claim] = min(1.0, by_claim[claim] + SPEAKER_BONUS)
    best = max(by_claim, key=lambda k: (by_claim[k], k))
    on_best = {s: v for s, (claim, v) in by_statement.items() if claim == best}
    return Match(best, by_claim[best], on_best, by_claim)


# Words that say how something is judged, not what: "the report as fabricated" is about the
# report, whatever claim that was.
_EMPTY = wordset(
    """true politically motivated comment apparent apparently report claim allegation
    accusation story rumour rumor speculation speculative inaccurate incorrect inaccuracy
    wrong misleading stupid silly untrue"""
)
# Words that say only that something happened ("a conversation had taken place"): its noun is
# all the words say. As stems (similarity.stem).
_HAPPENED = wordset("happen occur occurr transpir took taken tak place")


def residue(words: str) -> set[str]:
    """The stems of WORDS that say what they are about, once the words that only judge,
    point, hedge or say that something happened are left out."""
    return {
        w
        for w in terms(words)
        if not (w in lx.DENIAL_WORDS or w in lx.SPEAKER_HEDGES or w in _EMPTY or w in _HAPPENED)
    }


def contentful(words: str) -> bool:
    """Whether words say something a claim can be made of ("No. It is not true" does not)."""
    return len(residue(words)) >= 2


_OPENING = {'"': '"', "\u201c": "\u201d", "\u2018": "\u2019", "'": "'", "`": "`"}
_LEADING = re.compile(r"^(?:that|whether|if)\s+", re.IGNORECASE)
_NEGATION = re.compile(r"\s+(?:not|never)\b|n't\b", re.IGNORECASE)
_NO_ANY = re.compile(r"\b(?:no|any)\s+", re.IGNORECASE)


def claim_text(
    words: str, stance: Stance, speaker: str | None, negated: bool, person: bool = True
) -> str:
    """A claim sentence proposed from a statement's words: plain, positive, one sentence."""
    s = " ".join(words.split())
    while len(s) > 1 and s[0] in _OPENING and s[-1] == _OPENING[s[0]]:
        s = s[1:-1].strip()  # a quotation's own marks, when they wrap it all
    s = s.rstrip(".,;:\u2014\u2013 ")
    s = _LEADING.sub("", s)
    if stance == Stance.denies and negated:
        # "had not engaged in any talks" denied the claim "had engaged in talks".
        s = _NEGATION.sub("", s)
        s = _NO_ANY.sub("", s)
    elif stance == Stance.denies:
        s = re.sub(r"\bany\s+", "", s)
    pronouns = r"(?:he|she|i)\b" if person else r"(?:it|they|we)\b"
    if speaker and re.match(pronouns, s, re.IGNORECASE) and not re.match(r"it is\b", s, re.I):
        # "We will keep the quay open" by the board: "The board will keep the quay open".
        s = speaker + s[s.index(" ") :] if " " in s else speaker
        s = re.sub(r"^(\S+(?: \S+)*?) am\b", r"\1 is", s, count=1)  # "I am" -> "X is"
        if not speaker.lower().endswith("s"):  # "We are" -> "The board is"
            at = len(speaker)
            s = s[:at] + re.sub(r"^ are\b", " is", re.sub(r"^ were\b", " was", s[at:]))
    if not s:
        return ""
    s = s[0].upper() + s[1:]
    if len(s) > 400:
        s = s[:400].rsplit(" ", 1)[0] + " ..."
    return s + ("" if s.endswith((".", "?", "!")) else ".")


def negative(text: str) -> bool:
    """Whether a claim's text is a negation ("The council was not consulted")."""
    return bool(_NEGATION.search(text) or re.search(r"\b(?:no|nobody|nothing)\b", text, re.I))


class NewClaims:
    """The claims a document proposes, indexed so that an alike one is found without comparing
    every pair (a megabyte of text proposes thousands)."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self._bags: list[tuple[str, Counter[str]]] = []
        self._by_term: dict[str, list[int]] = {}

    def key_for(self, text: str) -> str:
        """The key of an alike claim already proposed, or of TEXT proposed now."""
        return self.key_and_score(text)[0]

    def key_and_score(self, text: str) -> tuple[str, float]:
        """The key of an alike claim already proposed and how alike (the first alike enough),
        or of TEXT proposed now (1.0)."""
        bag = terms(text)
        seen: set[int] = set()
        for term in bag:
            for n in self._by_term.get(term, ())[-200:]:
                if n not in seen:
                    seen.add(n)
                    key, other = self._bags[n]
                    alike = cosine(bag, other)
                    if alike >= SAME_NEW:
                        return key, min(alike, 0.99)
        return self.apart(text, bag), 1.0

    def apart(self, text: str, bag: Counter[str] | None = None) -> str:
        """The key of TEXT proposed as a claim of its own, alike ones or not."""
        bag = bag if bag is not None else terms(text)
        key = f"new:{len(self.texts)}"
        self.texts[key] = text or "(no claim text)"
        for term in bag:
            self._by_term.setdefault(term, []).append(len(self._bags))
        self._bags.append((key, bag))
        return key


def match_statement(words: str, statement: KnownStatement) -> float:
    """How close WORDS are to the closest known appearance of STATEMENT."""
    bag = terms(words)
    best = 0.0
    for quote in statement.quotes:
        best = max(best, cosine(bag, terms(quote)), all_words_overlap(words, quote))
    return best

"""Cues of reported speech in a sentence, and the stance and hedge a statement's words carry."""

import re
from dataclasses import dataclass

from app.extract import lexicon as lx
from app.extract.lexicon import wordset
from app.extract.tokens import Tok, words_of
from app.models.enums import Stance

# "declined to comment", "refused to say", "did not respond", "would not comment", ...
_DECLINE_LEAD = wordset("declined declines decline refused refuses refuse")
_DECLINE_OBJECT = wordset(
    """comment say answer discuss elaborate confirm speak respond reveal specify name give"""
)
_NOT_LEAD = wordset("did does do has have had would could will")
_NOT_OBJECT = wordset(
    """respond responded reply replied comment commented answer answered return returned"""
)
_PASSIVE = wordset("was were been being is are be")
_NOUN_BEFORE = wordset("a an the this that his her its their our no any every")


@dataclass
class Cue:
    """A cue of reported speech: tokens I..J."""

    i: int
    j: int
    word: str
    stance: Stance
    kind: str  # verb, according, decline, quoted, nominal


def find_cues(toks: list[Tok]) -> list[Cue]:
    """Every cue in a sentence, in order (quotations are single tokens: no cue inside them)."""
    found: list[Cue] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        cue = _cue_at(toks, i, n) if t.kind == "w" else None
        if cue is not None:
            found.append(cue)
            i = cue.j + 1
        else:
            i += 1
    return found


def _low(toks: list[Tok], i: int) -> str:
    return toks[i].low if 0 <= i < len(toks) and toks[i].kind == "w" else ""


def _cue_at(toks: list[Tok], i: int, n: int) -> Cue | None:
    low, nxt = toks[i].low, _low(toks, i + 1)
    if low == "according" and nxt == "to":
        return Cue(i, i + 1, "according to", Stance.asserts, "according")
    if low in _DECLINE_LEAD and nxt == "to" and _low(toks, i + 2) in _DECLINE_OBJECT:
        return Cue(i, i + 2, f"{low} to {toks[i + 2].low}", Stance.declines_to_comment, "decline")
    if low in _NOT_LEAD and nxt in ("not", "n't"):
        k = i + 2 + (_low(toks, i + 2) in ("immediately", "publicly", "yet"))
        if _low(toks, k) in _NOT_OBJECT:
            return Cue(i, k, f"{low} not {toks[k].low}", Stance.declines_to_comment, "decline")
    if low == "no" and nxt == "comment":
        return Cue(i, i + 1, "no comment", Stance.declines_to_comment, "decline")
    stance = lx.CUE_STANCE.get(low)
    if stance is None or toks[i].cap:
        return None  # verbs are not capitalised: "the United States" is no "states"
    before = _low(toks, i - 1)
    if before in ("not", "n't", "never") or nxt in ("nothing", "little"):
        return None  # "did not say", "said nothing else": nothing was said
    if before in _PASSIVE or (before in _NOUN_BEFORE and toks[i - 1].kind == "w"):
        return None  # "was rejected by", "a note", "the report": not a verb of saying
    if i > 0 and toks[i - 1].possessive:
        if low in ("claim", "claims", "report", "reports", "assertion") and nxt == "that":
            return Cue(i, i, low, Stance.asserts, "nominal")  # "the Courier's claim that"
        return None
    if low in ("report", "note", "question", "quote", "call", "claim", "doubt", "answer"):
        return None  # the bare forms read as nouns here far more often than as verbs
    if low in ("reports", "notes", "questions", "calls", "claims", "doubts"):
        subject = i > 0 and (toks[i - 1].cap or toks[i - 1].low in lx.SUBJECT_PRONOUNS)
        if not subject or _low(toks, i - 2) in _NOUN_BEFORE:
            return None  # a noun: "denied reports that", "the Reuters reports"
    if low in ("quoted", "quote") and "as" in [_low(toks, k) for k in range(i + 2, i + 16)]:
        return Cue(i, i, low, Stance.asserts, "quoted")
    if low in lx.NEEDS_REPORT_OBJECT and not _report_object(toks, i + 1):
        return None
    if low in lx.NEEDS_AS and not _as_or_quote(toks, i + 1):
        return None
    if low in ("accused", "accuses") and nxt == "of":
        return None  # "Mayor Delgado accused of hiding ...": the accused, not the accuser
    if (
        low in ("believe", "believes", "estimated", "posted", "mentioned", "observed")
        and nxt != "that"
    ):
        return None
    return Cue(i, i, low, stance, "verb")


def _report_object(toks: list[Tok], k: int) -> bool:
    """Whether a "rejected"-like verb is followed by what was reported ("the report that")."""
    for t in toks[k : k + 4]:
        if t.kind == "w" and (t.bare in lx.REPORT_NOUNS or t.low == "that"):
            return True
    return False


def _as_or_quote(toks: list[Tok], k: int) -> bool:
    """Whether "described"/"called" reports words: "described X as Y", "called it 'baseless'"."""
    for t in toks[k : k + 8]:
        if t.kind == "q":
            return True
        if t.low == "as":
            return True
    return False


# -- stance and hedge of the words themselves -------------------------------------------------

_ANSWER_NO = re.compile(r"^\W*no\b(?:\s*[.,!;:\u2014\u2013-]|\W*$)", re.IGNORECASE)
_DECLINE_IN_WORDS = re.compile(
    r"\b(?:(?:could|can|would|will|did|do|does)\s+not|cannot|can't|couldn't|won't|unable to|"
    r"declined? to|refused? to)\s+(?:immediately\s+)?(?:confirm|comment|say|give|disclose)\b"
    r"|\bno comment\b",
    re.IGNORECASE,
)


_CONFIRM_IN_WORDS = re.compile(r"\b(?:we|i) (?:can |could )?confirm\b")


def stance_of(words: str, cue_stance: Stance) -> Stance:
    """The stance of a statement given its words and its cue's stance."""
    if cue_stance != Stance.asserts:
        return cue_stance
    low = words.lower()
    if _DECLINE_IN_WORDS.search(low):
        return Stance.declines_to_comment
    if _CONFIRM_IN_WORDS.search(low):
        return Stance.confirms
    tokens = words_of(low)
    if _ANSWER_NO.search(words) or any(w in lx.DENIAL_WORDS for w in tokens):
        return Stance.denies
    if any(p in low for p in lx.DENIAL_PHRASES):
        return Stance.denies
    if _negates_an_event(tokens):
        return Stance.denies
    if speaker_hedge(hedge_words(words)) is not None:
        return Stance.suggests
    return Stance.asserts


def _negates_an_event(tokens: list[str]) -> bool:
    """A past event said not to have happened ("had not engaged in any", "there were no"):
    a denial. Negated intentions ("would not", "did not want") are positions, not denials."""
    if tokens[:1] in (["no"], ["nothing"], ["nobody"]) and any(
        w in ("had", "has", "have", "was", "were") for w in tokens[1:5]
    ):
        return True  # "no request had been received"
    for k, w in enumerate(tokens[:14]):
        if w not in ("not", "never", "no", "n't"):
            continue
        before = tokens[k - 1] if k else ""
        after = tokens[k + 1 : k + 3]
        if w == "no" and before in lx.PAST_AUXILIARIES | {"is", "are", "been"}:
            return True  # "there were no deaths", "had no plans": said not to exist
        if before not in lx.PAST_AUXILIARIES and not (before.endswith("n't")):
            return False
        if not after or after[0] == "yet":
            return False
        verb = (
            after[1]
            if after[0] in ("been", "knowingly", "ever", "any") and len(after) > 1
            else after[0]
        )
        return verb not in lx.ATTITUDE_VERBS and verb not in lx.NEGATIVE_VERBS
    return False


def hedge_words(words: str) -> list[str]:
    """The words of WORDS as hedges are looked for: "May" (the month) is not "may"."""
    return words_of(re.sub(r"\bMay\b", "", words))


def speaker_hedge(tokens: list[str]) -> str | None:
    """The speaker's own hedge near the start of a clause ("there appeared to be", "could hurt"),
    unless negated ("does not seem", "may not")."""
    for k, w in enumerate(tokens[:8]):
        if w in lx.SPEAKER_HEDGES:
            nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
            prev = tokens[k - 1] if k else ""
            if nxt in ("not", "never") or prev in ("not", "n't") or prev.endswith("n't"):
                return None
            return w
    return None


def reporter_hedge(tokens: list[str]) -> str | None:
    """A hedge of the reporter's in the words: "allegedly", "reportedly"."""
    return next((w for w in tokens if w in lx.REPORTER_HEDGES), None)

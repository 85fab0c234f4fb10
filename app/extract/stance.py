"""The stance and hedge a statement's own words carry, when its cue says no more than "said"."""

import re

from app.extract import lexicon as lx
from app.extract.tokens import words_of
from app.models.enums import Stance

_ANSWER_NO = re.compile(
    r"^\W*(?:no|(?:absolutely|certainly|definitely|of course) not)\b"
    r"(?:\s*[.,!;:\u2014\u2013-]|\W*$)",
    re.IGNORECASE,
)
_ANSWER_YES = re.compile(r"^\W*yes\b(?:\s*[.,!;:\u2014\u2013-]|\W*$)", re.IGNORECASE)
_DECLINE_IN_WORDS = re.compile(
    r"\b(?:(?:could|can|would|will|did|do|does)\s+not|cannot|can't|couldn't|won't|unable to|"
    r"declined? to|refused? to)\s+(?:immediately\s+)?"
    r"(?:confirm|comment|say|disclose|speculate|elaborate"
    r"|give (?:details|a figure|a number|any|further))\b"
    r"|\bno (?:further |immediate )?comment\b|\btoo (?:early|soon) to (?:say|tell|comment)\b",
    re.IGNORECASE,
)
# Words that end by asking: a question put, which doubts what it asks about.
_QUESTION = re.compile(
    r"\b(?:why|how|who|what|where|when|is|are|was|were|do|does|did|can|could)\b[^.!]*\?\W*$",
    re.IGNORECASE,
)
# "We can confirm", "that is correct", "it is true that": the speaker bears out what was put.
_CONFIRM_IN_WORDS = re.compile(
    r"\b(?:we|i) (?:can |could )?confirm\b"
    r"|^\W*(?:that|this|it)(?:'s| is| was) (?:absolutely |entirely |quite )?"
    r"(?:correct|right|true)\b"
)
# "The report is wrong", "that was simply incorrect": a statement called false ("it is wrong to
# cut" is an opinion, not a denial).
_CALLED_FALSE = re.compile(
    r"\b(?:is|was|are|were|'s)\s+(?:\w+ly\s+)?(?:wrong|incorrect|inaccurate|misleading)\b"
    r"(?!\s+(?:to|for|of)\b)"
)
# Simple past forms that do not end in -ed: "never met", "never paid".
_IRREGULAR_PAST = lx.wordset(
    """made met gave took sent paid knew told got saw went came won lost broke held kept left
    put sought bought sold spoke wrote ran brought fought hid led stole struck said did had
    signed offered"""
)
# What a few words alone call a report: "incorrect", "simply inaccurate".
_CALLED_WORDS = lx.wordset("wrong incorrect inaccurate misleading untrue")
_MARKS = re.compile(r"[\"\u201c\u201d]")
_CONDITION = re.compile(r"\b(?:if|unless|whether)\b")
_RELATIVE = lx.wordset("that which who whom")
_HEAD_DETERMINERS = lx.wordset("any a an the every each no all some this")


def stance_of(words: str, cue_stance: Stance) -> Stance:
    """The stance of a statement given its words and its cue's stance."""
    low = words.lower().replace("\u2019", "'")
    if cue_stance == Stance.confirms and negates_an_event(words_of(low)):
        return Stance.denies  # "confirmed that it had received no offer": a denial
    if cue_stance == Stance.suggests and says_false(words):
        return Stance.denies  # "suggested the report was inaccurate": a denial, hedged
    if cue_stance != Stance.asserts:
        return cue_stance
    if _DECLINE_IN_WORDS.search(low):
        if any(w in lx.DENIAL_WORDS for w in words_of(low)):
            return Stance.denies  # "we will not comment on gossip, however absurd"
        return Stance.declines_to_comment
    if _CONFIRM_IN_WORDS.search(low) or _ANSWER_YES.search(words):
        return Stance.confirms
    if _QUESTION.search(words):
        return Stance.questions  # "If the accounts are clean, why did it take a scandal?"
    tokens = words_of(low)
    if len(tokens) <= 4 and any(w in _CALLED_WORDS for w in tokens):
        return Stance.denies  # a report called "incorrect": the words are a verdict on it
    if says_false(words):
        return Stance.denies
    if negates_an_event(tokens):
        return Stance.denies
    if speaker_hedge(hedge_words(words)) is not None:
        return Stance.suggests
    return Stance.asserts


def says_false(words: str) -> bool:
    """Words that deny in so many words: "No.", "baseless", "not true", "the report is wrong"
    (quotation marks inside them aside: 'there was "zero" truth in the rumour')."""
    low = _MARKS.sub("", words.lower().replace("\u2019", "'"))
    if _ANSWER_NO.search(words) or any(w in lx.DENIAL_WORDS for w in words_of(low)):
        return True
    return _denial_phrase(low) or bool(_CALLED_FALSE.search(low))


def _denial_phrase(low: str) -> bool:
    """A phrase that denies ("not true", "did nothing wrong"), unless a condition frames it
    ("even if no wrongdoing is found")."""
    for phrase in lx.DENIAL_PHRASES:
        at = low.find(phrase)
        if at >= 0 and not _CONDITION.search(low[max(0, at - 20) : at]):
            return True
    return False


def negates_an_event(tokens: list[str]) -> bool:
    """A past event said not to have happened ("had not engaged in any", "there were no",
    "never paid"): a denial. Negated intentions ("would not", "did not want", "no intention"),
    and negations inside a relative clause ("any deal that did not"), are not."""
    tokens = _expanded(tokens)
    if tokens[:1] == ["not"] and len(tokens) <= 4 and len(tokens) > 1 and _past(tokens[1]):
        return True  # a headline's "'not sacked'": said not to have happened
    if tokens[:2] == ["no", "such"] and any(_past(w) for w in tokens[2:7]):
        return True  # "no such meeting took place"
    if tokens[:1] in (["no"], ["nothing"], ["nobody"]) and (
        any(w in ("had", "has", "have", "was", "were") for w in tokens[1:5])
        or any(_past(w) for w in tokens[1:3])  # "nobody hid", "no meeting took place"
    ):
        return True  # "no request had been received", "nobody hid anything"
    for k, w in enumerate(tokens[:14]):
        if w not in ("not", "never", "no", "n't"):
            continue
        before = tokens[k - 1] if k else ""
        after = tokens[k + 1 : k + 3]
        if in_relative_clause(tokens, k):
            continue
        if w == "no" and after[:1] and after[0] in lx.INTENTION_NOUNS:
            return False  # "had no intention of selling": a position
        if w == "no" and after[:1] and after[0] in _ASSERTING_NOS:
            return False  # "it was no secret that ...": an idiom that asserts
        if w == "no" and before in lx.PAST_AUXILIARIES | {"is", "are", "been"}:
            return True  # "there were no deaths", "had no plans": said not to exist
        if w == "never" and before not in lx.MODALS and after[:1] and _past(after[0]):
            return after[0] not in lx.NEGATIVE_VERBS  # "Putin never offered a truce"
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


# "It was no secret that", "there is no doubt that": said with "no", and asserted.
_ASSERTING_NOS = lx.wordset("secret doubt surprise coincidence accident wonder exaggeration")
_CONTRACTED = {"won't": "will", "can't": "can", "shan't": "shall", "ain't": "is"}


def _expanded(tokens: list[str]) -> list[str]:
    """Contracted negations spelled out: "didn't" as "did not", "won't" as "will not"."""
    if not any(w.endswith("n't") for w in tokens):
        return tokens
    out: list[str] = []
    for w in tokens:
        if w.endswith("n't") and len(w) > 3:
            out += [_CONTRACTED.get(w, w[:-3]), "not"]
        else:
            out.append(w)
    return out


def _past(word: str) -> bool:
    return (word.endswith("ed") and len(word) > 4) or word in _IRREGULAR_PAST


def in_relative_clause(tokens: list[str], k: int) -> bool:
    """Whether the negation at K belongs to a relative clause on a noun ("any deal that did not
    protect", "a player who never trained"), not to the statement's own verb."""
    for r in (k - 1, k - 2):
        if r >= 2 and tokens[r] in _RELATIVE:
            if tokens[r] in ("which", "who", "whom"):
                return True
            if tokens[r - 1] in lx.CUE_STANCE:
                return False  # "the report said that ...": "that" introduces what was said
            return any(t in _HEAD_DETERMINERS for t in tokens[max(0, r - 4) : r - 1])
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

"""Denials read from the article around a statement, not from its own words.

A party that has been accused often answers without a verb of denial: "We have nothing to hide",
"Every cent we received was declared", "It was the company that cancelled, not us". Such words
assert something, but in the story they deny what another actor put forward. These rules use the
article's structure: who has denied what, and which words answer whose.
"""

import re

from app.extract import lexicon as lx
from app.extract.entities import Entity, person_by_length_only
from app.extract.model import Attr
from app.extract.stance import in_relative_clause, says_false
from app.extract.tokens import words_of
from app.models.enums import QuoteMode, Stance

Item = tuple[Attr, str, Stance, str | None]  # a statement, its words, its stance, what it is about

# A negation anywhere in the words: "no abnormal readings", "not to blame", "never", "nothing".
# Modals contracted with "n't" ("can't", "won't"): what can or will be, not what was.
_MODAL_STEMS = lx.wordset("wo would ca could should must might sha")
_NEGATION = lx.wordset("not no never nothing none nobody neither nor n't")
# What the speaker will do or expects is a position ("I will fight this"), not an answer.
_FORWARD = lx.wordset("will shall 'll expect expects intend intends plan plans going")
# "X are not Y": what the speaker says something is not.
_COPULA_NOT = re.compile(r"\b(?:is|are|was|were|'s|'re)\s+(?:not|never)\s+(.{3,80})")
# Conduct said to be in order: in answer to a charge, it denies the wrongdoing.
_IN_ORDER = lx.wordset(
    """declared genuine legitimate lawful lawfully legal legally proper properly clean
    transparent transparently"""
)
# Words too common to show that one statement answers another.
_STOP = lx.wordset(
    """the a an of to in on at by for with and or but that this these those it its is are was
    were be been being have has had do does did not no never there their they them we our us
    i my me he she his her you your any some all one very more most what which who from as
    about into than then so if"""
)
# "-ing" words that are nouns, not a verb going on: "no abnormal readings", "no wrongdoing".
_NOUN_ING = lx.wordset("readings reading wrongdoing nothing meeting meetings funding evidence")
_RELATIVE = lx.wordset("that which who whom")
# Statements closer than this many paragraphs continue one exchange.
_NEAR = 1
# A contradiction answers what was said at most this many paragraphs before.
_ANSWER_REACH = 2


def rebut(items: list[Item], entities: list[Entity]) -> list[Stance]:
    """The stance of each statement once the article around it is read: a plain statement that
    answers an allegation is a denial."""
    stances = [item[2] for item in items]
    side = _sides(items, entities)
    # Denials in so many words (a verb of denial, "baseless", "not true"), which a quotation
    # after them may carry on; a bare negation ("had never passed money") is not enough.
    plain = [s == Stance.denies and (a.stance == s or says_false(w)) for a, w, s, _ in items]
    deniers = {side.get(a.entity) for a, _w, s, _ in items if s == Stance.denies}
    for n, (attr, words, stance, _about) in enumerate(items):
        if stance != Stance.asserts or attr.stance != Stance.asserts:
            continue  # only what the words alone left a plain assertion
        low = words.lower().replace("\u2019", "'")
        tokens = words_of(low)
        carried = attr.mode == QuoteMode.direct and _carries(items, stances, plain, side, n, tokens)
        answers = side.get(attr.entity) in deniers and _answers(tokens)
        if carried or answers or _contradicts(items, side, n, low):
            stances[n] = Stance.denies
        plain[n] = stances[n] == Stance.denies
    return stances


def _sides(items: list[Item], entities: list[Entity]) -> dict[int | None, int]:
    """The party each speaker speaks for: its organisation when it has one ("its site
    director"), or, for "a company spokeswoman" or "a bank spokesperson", the organisation that
    spoke last before it."""
    out: dict[int | None, int] = {}
    last_body: int | None = None
    for attr, _w, _s, _a in items:
        if attr.entity is None:
            continue
        e = entities[attr.entity]
        if attr.entity not in out:
            owner = e.affiliation_entity
            if owner is not None and owner.id != e.id:
                out[e.id] = out.get(owner.id, owner.id)
            elif e.name is None and last_body is not None and _of_a_body(e):
                out[e.id] = last_body
            else:
                out[e.id] = e.id
        if e.name is not None and (not e.person or person_by_length_only(e)):
            last_body = out[e.id]
    return out


def _of_a_body(e: Entity) -> bool:
    """ "a company spokeswoman", "a spokesman for the firm": a role that a body's name would
    complete."""
    words = f"{e.descriptor or ''} {e.affiliation or ''}".lower().split()
    return any(w in lx.ORG_ROLES and w != "statement" for w in words)


def _carries(
    items: list[Item],
    stances: list[Stance],
    plain: list[bool],
    side: dict[int | None, int],
    n: int,
    tokens: list[str],
) -> bool:
    """A quotation that follows its party's plain denial, with no one else speaking between,
    goes on with that denial ("Pennant denied it. 'We have not paid,' a spokesperson said."),
    unless it looks ahead ("I will fight this")."""
    if _forward(tokens) and not _negated_fact(tokens):
        return False
    attr = items[n][0]
    for m in range(n - 1, -1, -1):
        prev = items[m][0]
        if attr.paragraph - prev.paragraph > _NEAR:
            return False
        if prev.entity is None or side.get(prev.entity) != side.get(attr.entity):
            return False
        if stances[m] == Stance.denies:
            return plain[m]
    return False


def _answers(tokens: list[str]) -> bool:
    """Words that, from a party that denies something in the article, answer the charge: a
    negated fact ("we received no such reports") or conduct said to be in order."""
    return any(t in _IN_ORDER for t in tokens) or _negated_fact(tokens)


def _negated_fact(tokens: list[str]) -> bool:
    """A negation of what is or was, not of what will be, is wanted or is going on: "we have
    not paid" and "no abnormal readings", not "we will not pay", "nobody expects a deal" or
    "they are not asking for the moon"."""
    for k, w in enumerate(tokens):
        if w not in _NEGATION and not w.endswith("n't"):
            continue
        before = tokens[k - 1] if k else ""
        after = tokens[k + 1] if k + 1 < len(tokens) else ""
        if before in _FORWARD or before in lx.MODALS or w[:-3] in _MODAL_STEMS:
            continue
        if in_relative_clause(tokens, k) or _RELATIVE & set(tokens[max(0, k - 2) : k]):
            continue  # "talks that did not involve Ukraine"
        if after in lx.ATTITUDE_VERBS or (after.endswith("ing") and after not in _NOUN_ING):
            continue
        return True
    return False


def _forward(tokens: list[str]) -> bool:
    return any(t in _FORWARD for t in tokens)


def _contradicts(items: list[Item], side: dict[int | None, int], n: int, low: str) -> bool:
    """ "These are not labelling errors" after someone else spoke of "mistakes in labelling":
    what another actor said, said not to be so."""
    found = _COPULA_NOT.search(low)
    if found is None:
        return False
    negated = _stems(found.group(1))
    if not negated:
        return False
    attr = items[n][0]
    for other, words, _stance, _about in items[:n]:
        if attr.paragraph - other.paragraph > _ANSWER_REACH:
            continue
        if side.get(other.entity) == side.get(attr.entity):
            continue
        if negated & _stems(words.lower()):
            return True
    return False


def _stems(text: str) -> set[str]:
    """Content words cut to a crude stem, so that "labelling" meets "labelling" and "errors"
    meets "error"."""
    return {w[:6] for w in words_of(text) if w not in _STOP and len(w) > 3}

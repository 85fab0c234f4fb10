"""What a speaker's phrase says about the speaker: a name, a description, a pronoun, a group."""

import itertools

from app.extract import lexicon as lx
from app.extract.lexicon import wordset
from app.extract.model import Mention
from app.extract.phrases import is_role, postmod_start
from app.extract.tokens import Tok

_PREPS = wordset("of for at to in from with inside within")


def printed(words: list[Tok]) -> str:
    """Words as printed, spaced where the text spaces them (a name with a curly apostrophe
    is one word and its mark, not three words)."""
    out = words[0].text if words else ""
    for before, word in itertools.pairwise(words):
        out += (" " if word.start > before.end else "") + word.text
    return out


def build(
    text: str,
    toks: list[Tok],
    a: int,
    b: int,
    sentence: int,
    appositive: tuple[int, int] | None = None,
    whole: tuple[int, int] | None = None,
) -> Mention:
    """The mention made of tokens A..B; APPOSITIVE (token range) describes it or names it."""
    p = postmod_start(toks, b, a)
    core = toks[a:p]
    knowledge = _knowledge(toks[p : b + 1])
    first, last = whole or (a, b)
    span = (toks[first].start, toks[last].end)
    m = Mention(
        span=span,
        text=text[span[0] : span[1]],
        core=text[core[0].start : core[-1].end] if core else "",
        sentence=sentence,
        knowledge=knowledge,
    )
    _read_core(m, core)
    if appositive is not None:
        _read_appositive(m, text, toks[appositive[0] : appositive[1] + 1])
    return m


_OBJECT_PRONOUNS = {"them": "they", "him": "he", "her": "she"}


def _read_core(m: Mention, core: list[Tok]) -> None:
    if not core:
        return
    if len(core) == 1 and core[0].low in _OBJECT_PRONOUNS:  # "According to them, ..."
        m.pronoun = m.head = _OBJECT_PRONOUNS[core[0].low]
        m.plural = m.pronoun == "they"
        m.gender = {"he": "m", "she": "f"}.get(m.pronoun)
        return
    if len(core) == 1 and core[0].low in lx.SUBJECT_PRONOUNS:
        m.pronoun = m.head = core[0].low
        m.plural = m.pronoun in ("they", "we")
        m.gender = {"he": "m", "she": "f"}.get(m.pronoun)
        return
    words = list(core)
    # "one of the people", "one of them": someone of a group named before.
    if len(words) >= 3 and words[1].low == "of" and words[0].low in ("one", "some", "two", "three"):
        m.partitive = " ".join(t.text for t in words[2:])
        m.head = words[-1].bare
        m.group_size = lx.NUMBERS.get(words[0].low)
        m.plural = words[0].low != "one"
        return
    det = words[0].low
    if det in lx.NUMBERS and len(words) > 1:
        m.group_size = lx.NUMBERS[det]
        m.plural = det != "one"
        words = words[1:]
    elif det in lx.DETERMINERS and len(words) > 1:
        m.definite = det in ("the", "this", "that", "these", "those")
        m.ordinal = det in ("another", "other")
        m.group_size = 1 if det in ("a", "an", "another") else None
        words = words[1:]
    if words and words[0].low in lx.ORDINALS:
        m.ordinal = True
    # A possessor: "Ukraine's foreign ministry", "his spokeswoman", "the WHO's regional office".
    for k in range(len(words) - 1, -1, -1):
        t = words[k]
        if _possessive_in_name(words, k):
            break  # "the Harbour Pilot's Association", "the People's Party": one name
        if k < len(words) - 1 and (t.possessive or t.low in lx.POSSESSIVE_PRONOUNS):
            owner = [w for w in words[: k + 1] if w.low not in lx.DETERMINERS]
            m.possessor = " ".join(w.text for w in owner)
            if m.possessor.endswith(("\u2019s", "'s")):
                m.possessor = m.possessor[:-2]
            words = words[k + 1 :]
            break
    # A role with its organisation: "Analysts at Corbel Securities", "a spokesman for the firm".
    for k, t in enumerate(words[:-1]):
        rest = words[k + 1 :]
        if any(w.bare in lx.PERSON_ROLES and not w.cap for w in rest[:-1]) and rest[-1].cap:
            break  # "Ministry of Harbour Affairs spokesperson Ola Berg": the person
        if t.low in _PREPS and k > 0 and is_role(words[k - 1].bare):
            m.affiliation = printed(words[k + 1 :])
            words = words[:k]
            break
    _read_name(m, words)


def _read_name(m: Mention, words: list[Tok]) -> None:
    """The proper name at the end of WORDS, and the description before it."""
    # "the Athletics Integrity Unit (AIU)", "Northgate Harbour Finance (NH Finance)": the
    # bracketed acronym is an alias, not the name.
    o = next((k for k in range(len(words) - 1, -1, -1) if words[k].text == "("), None)
    if words and words[-1].text == ")" and o is not None and o >= 1 and len(words) - o <= 5:
        m.short = printed(words[o + 1 : -1]) or None
        words = words[:o]
    k = len(words)
    while k > 0:
        t = words[k - 1]
        if t.text in "()" or (k >= 2 and words[k - 2].text == "(" and t.cap):
            k -= 1
            continue
        if not t.cap:
            break
        if t.low.rstrip(".") in lx.TITLES or t.bare in lx.PERSON_ROLES or t.bare in lx.PLURAL_ROLES:
            # "Harbour Pilots Association", "Northgate Finance House Capital": a role or a title
            # between two words of a body's name is part of it
            inside = k < len(words) and words[-1].bare in _NAME_HEADS | lx.ORG_WORDS and k >= 2
            if not (inside and words[k - 2].cap and words[k - 2].low not in lx.DETERMINERS):
                break
        k -= 1
    name_words = [w for w in words[k:] if w.text not in "()"]
    before = words[:k]
    if name_words:
        # As printed, not token by token (no space before a curly apostrophe).
        name = printed(name_words)
        m.name = name[:-2] if name.endswith(("\u2019s", "'s")) else name
        m.head = name_words[-1].bare
        m.title = bool(before) and before[-1].low.rstrip(".") in lx.TITLES
        if before:
            m.gender = lx.HONORIFIC_GENDER.get(before[-1].low) or m.gender
        first = name_words[0].low
        if len(name_words) >= 2:
            m.gender = m.gender or ("f" if first in lx.FIRST_NAMES_F else None)
            m.gender = m.gender or ("m" if first in lx.FIRST_NAMES_M else None)
    else:
        heads = [w for w in words if is_role(w.bare)]
        m.head = heads[-1].bare if heads else (words[-1].bare if words else "")
        m.plural = m.head in lx.PLURAL_ROLES or (m.group_size or 1) > 1
    for w in before:
        m.gender = m.gender or lx.ROLE_GENDER.get(w.low)
    descriptor = [w for w in before if w.text not in "()"]
    if all(w.low.rstrip(".") in lx.TITLES for w in descriptor):
        descriptor = []  # "Dr.", "Mr.": a title is no description
    if descriptor:
        m.descriptor = " ".join(w.text for w in descriptor)
        if m.affiliation is None:
            # "Kremlin spokesman": the capitalised words before the role say whose.
            owner = []
            for w in descriptor:
                if not w.cap or w.low in lx.TITLES or w.low in lx.MODIFIERS or _demonym(w.low):
                    break
                owner.append(w.text)
            m.affiliation = " ".join(owner) or None


# Heads of bodies' names that may hold a possessive or a role: "the Harbour Pilots'
# Association", "the People's Party", "the Women's Institute".
_NAME_HEADS = wordset(
    """association union party institute league federation fund foundation trust college
    guild alliance society council federation hospital"""
)


def _possessive_in_name(words: list[Tok], k: int) -> bool:
    """Whether the possessive at K is inside a body's name: a capitalised word in 's right
    before the capitalised head of a name ("Pilot's Association")."""
    t = words[k]
    if k != len(words) - 2 or not (t.possessive and t.cap) or t.low in lx.POSSESSIVE_PRONOUNS:
        return False
    head = words[-1]
    return head.cap and head.bare in _NAME_HEADS and k >= 1 and words[k - 1].cap


def _read_appositive(m: Mention, text: str, words: list[Tok]) -> None:
    """Fold an appositive in: a name ("Her lawyer, Marcus Feld") or a description."""
    if not words:
        return
    phrase = text[words[0].start : words[-1].end]
    if words[0].low in ("who", "which") or (words[0].low.endswith("ing") and not words[0].cap):
        return  # a relative or participial clause: nothing about who it is
    other = Mention(span=(0, 0), text=phrase, core=phrase, sentence=m.sentence)
    _read_core(other, words)
    if other.name and not m.name and not _names_an_owner(m):
        # "Her lawyer, Marcus Feld": the name is the speaker's, the phrase before its role.
        m.descriptor = m.core
        m.name, m.head, m.gender = other.name, other.head, other.gender or m.gender
        m.affiliation = m.affiliation or other.affiliation or m.possessor
        m.plural = False
        return
    if other.name and _names_an_owner(m):
        m.affiliation = other.name  # "A spokesman for the consultancy, Harbour Strategy"
        return
    m.descriptor = m.descriptor or phrase
    m.affiliation = m.affiliation or other.affiliation or other.possessor
    for w in words:
        m.gender = m.gender or lx.ROLE_GENDER.get(w.low)


def _names_an_owner(m: Mention) -> bool:
    """Whether the phrase ends with whom it belongs to ("a spokesman for the consultancy"), so
    that a name in apposition names that, not the speaker."""
    return (
        m.affiliation is not None
        and m.name is None
        and m.affiliation.split()[0].lower()
        in (
            "the",
            "a",
        )
    )


def _demonym(low: str) -> bool:
    return low.endswith(("ian", "ese", "ish", "an", "ic", "i")) and low not in ("kremlin",)


def _knowledge(words: list[Tok]) -> str | None:
    """What a postmodifier says the speaker knows: "with knowledge of the contacts"."""
    lows = [w.low for w in words]
    for marker in ("of", "with", "to", "on", "about", "in"):
        if marker in lows[:3]:
            k = lows.index(marker)
            rest = words[k + 1 :]
            if rest and lows[0] != "who":
                return " ".join(w.text for w in rest)
    return None

"""Noun phrases without a parser: where a speaker's phrase starts and ends around a verb."""

from app.extract import lexicon as lx
from app.extract.lexicon import wordset
from app.extract.tokens import Tok

# Words after which a postmodifier starts: "a source with knowledge of the talks".
_POSTMOD_STARTS = {
    ("with", "knowledge"): 2,
    ("with", "direct"): 2,
    ("familiar", "with"): 2,
    ("close", "to"): 2,
    ("briefed", "on"): 2,
    ("involved", "in"): 2,
    ("aware", "of"): 2,
    ("knowledgeable", "about"): 2,
    ("speaking", "on"): 0,
}
_BOUNDARY_WORDS = wordset("that and but while as when because whereas so or if then")
_PREPOSITIONS = wordset("of for at to in from with")
_CLAUSE_STOPS = wordset("as that but when after said says told")
_PARTITIVE = wordset("one some many each none all most two three four several")


def is_role(low: str) -> bool:
    """Whether a lower-case word can head a description of a speaker."""
    return low in lx.PERSON_ROLES or low in lx.PLURAL_ROLES or low in lx.ORG_ROLES


def _np_word(t: Tok, first_of_sentence: bool) -> bool:
    if t.kind != "w":
        return False
    if t.cap:
        # Sentence openers ("However", "On") and dates are not part of a name.
        if t.low in lx.TIME_WORDS:
            return False
        return not (first_of_sentence and t.low in lx.CONNECTIVES)
    low = t.bare
    return (
        t.possessive
        or is_role(low)
        or low in lx.MODIFIERS
        or low in lx.ORDINALS
        or low in lx.NUMBERS
        or low[:1].isdigit()
    )


def np_start(toks: list[Tok], j: int, floor: int) -> int | None:
    """The first token of the noun phrase that ends at token J (not before FLOOR), or None when
    no noun phrase ends there."""
    if j < floor:
        return None
    t = toks[j]
    o = _bracket_open(toks, j, floor) if t.text == ")" else None
    if o is not None:
        j = o - 1  # "the Athletics Integrity Unit (AIU)", "Northgate Harbour Finance (NH Finance)"
        if j < floor:
            return None
        t = toks[j]
    if t.kind != "w":
        return None
    if t.low in lx.SUBJECT_PRONOUNS or t.low in ("them", "those"):
        if t.low in ("them", "those") or (j - 2 >= floor and toks[j - 1].low == "of"):
            return _partitive(toks, j, floor)
        return j
    if not (t.cap or is_role(t.bare)):
        return _role_with_place(toks, j, floor)
    if j == floor and t.low in lx.CONNECTIVES and t.cap:
        return None
    if t.cap and t.low in lx.TIME_WORDS:
        return None
    k = j
    while k - 1 >= floor:
        p = toks[k - 1]
        if p.kind == "p":
            # A plural possessive: "the parents' group".
            if p.text in "\u2019'" and k - 2 >= floor and toks[k - 2].low.endswith("s"):
                k -= 2
                continue
            break
        low = p.low
        if low in lx.DETERMINERS or low in lx.NUMBERS or low in lx.POSSESSIVE_PRONOUNS:
            k -= 1
            if k - 2 >= floor and toks[k - 1].low in _PREPOSITIONS and is_role(toks[k - 2].bare):
                k -= 1  # "a spokesman for the consultancy": go on to the role
                continue
            return _partitive(toks, k, floor)
        if (
            not p.cap
            and p.kind == "w"
            and is_role(toks[k].bare)
            and k - 2 >= floor
            and _compound_left_edge(toks, k - 1, floor)
        ):
            k -= 1  # "the city's election commission", "the sportswear firm"
            continue
        if low in _PREPOSITIONS and k - 2 >= floor and is_role(toks[k - 2].bare):
            k -= 1  # "a spokesman for the consultancy": go on to the role
            continue
        if k == j and is_role(t.bare) and not p.cap:
            m = _compound_start(toks, k - 1, floor)
            if m is not None:
                k = m  # "the river ferry veteran", "the textiles and dyeing conglomerate"
                continue
        if _np_word(p, k - 1 == floor):
            k -= 1
            continue
        break
    return k


def _role_with_place(toks: list[Tok], j: int, floor: int) -> int | None:
    """Where "workers at the plant", "members of the public" start: a role, a preposition, and
    a short phrase with no role of its own ending at J."""
    for k in range(j - 1, max(floor, j - 4), -1):
        if toks[k].kind != "w":
            return None
        if toks[k].low in _PREPOSITIONS and k - 1 >= floor and is_role(toks[k - 1].bare):
            return np_start(toks, k - 1, floor)
    return None


def _compound_left_edge(toks: list[Tok], k: int, floor: int) -> bool:
    """Whether the lower-case word at K is a modifier in a noun compound: a determiner or a
    possessive comes just before it."""
    p = toks[k - 1]
    if p.kind == "q" or (p.kind == "p" and p.text == ","):
        # '"...," port spokeswoman Hanna Roos said': right after a quotation or a comma.
        return True
    if p.kind == "p" and p.text in "\u2019'" and k - 2 >= floor and toks[k - 2].low.endswith("s"):
        return True  # a plural possessive: "the Harbour Times' business column"
    return p.kind == "w" and (
        p.low in lx.DETERMINERS
        or p.possessive
        or p.low in lx.POSSESSIVE_PRONOUNS
        or p.low in lx.NUMBERS  # "two city officials"
        or (p.cap and k - 1 > floor and toks[k - 2].text == ",")  # ", Halden textiles analyst"
    )


def _compound_start(toks: list[Tok], m: int, floor: int) -> int | None:
    """Where the words before a role at M + 1 start when they are a compound of a few plain
    words (and "and", or a hyphenated adjective) opened by a determiner or a possessive: "the
    Cornish-raised river ferry veteran"."""
    for k in range(m, max(floor, m - 4) - 1, -1):
        t = toks[k]
        if t.kind != "w":
            return None
        if k < m and (t.low in lx.DETERMINERS or t.possessive or t.low in lx.POSSESSIVE_PRONOUNS):
            return k + 1
        plain = not t.cap or "-" in t.text
        if not plain or t.low in _NOT_IN_COMPOUNDS or t.low in lx.CUE_STANCE:
            return None
    return None


_NOT_IN_COMPOUNDS = wordset(
    """that which who whom whose is are was were be been has have had will would not of for at
    to in from with by on as but or than"""
)


def _partitive(toks: list[Tok], k: int, floor: int) -> int:
    """Extend a phrase starting at K over "one of": "one of the Russian sources"."""
    if k - 2 >= floor and toks[k - 1].low == "of" and toks[k - 2].low in _PARTITIVE:
        return k - 2
    return k


def postmod_start(toks: list[Tok], j: int, floor: int) -> int:
    """Where a postmodifier that ends at J starts ("with knowledge of the contacts", "who asked
    not to be named"), or J + 1 when there is none."""
    for k in range(j, max(floor, j - 12) - 1, -1):
        t = toks[k]
        if t.kind != "w":
            return j + 1
        pair = (t.low, toks[k + 1].low if k + 1 <= j else "")
        if pair in _POSTMOD_STARTS and k > floor:
            return k
        if t.low in ("who", "whose") and k > floor:
            return k
    return j + 1


def np_end(toks: list[Tok], i: int, ceiling: int) -> int | None:
    """The last token of the noun phrase starting at token I (before CEILING), postmodifiers
    included, or None when no phrase starts there."""
    if i >= ceiling or toks[i].kind != "w":
        return None
    if toks[i].low in lx.SUBJECT_PRONOUNS:
        return i
    k = i
    last_head = None
    while k < ceiling:
        t = toks[k]
        if t.kind == "p":
            if t.text == "(" and k + 2 < ceiling and toks[k + 2].text == ")":
                k += 3
                continue
            break
        low = t.low
        if low in lx.DETERMINERS or low in lx.NUMBERS or low in lx.POSSESSIVE_PRONOUNS:
            if last_head is not None and not t.cap:
                break
            k += 1
            continue
        if (t.low, toks[k + 1].low if k + 1 < ceiling else "") in _POSTMOD_STARTS or low == "who":
            if last_head is None:
                return None
            return _clause_end(toks, k, ceiling)
        if low == "of" and k + 1 < ceiling and (last_head is None or toks[k - 1].low in _PARTITIVE):
            k += 1  # "one of the sources"
            continue
        if low in _PREPOSITIONS and last_head is not None and is_role(toks[last_head].bare):
            k += 1  # "a spokesman for the consultancy"
            continue
        if _np_word(t, False):
            if not t.possessive:  # "the agency's three sources": the head comes later
                last_head = k
            k += 1
            continue
        if (
            t.kind == "w"
            and t.low.isalpha()
            and k + 1 < ceiling
            and toks[k + 1].kind == "w"
            and is_role(toks[k + 1].bare)
            and low not in lx.CUE_STANCE
        ):
            k += 1  # "an unnamed harbour official": a noun before the role
            continue
        break
    return last_head


def _clause_end(toks: list[Tok], k: int, ceiling: int) -> int:
    """The last word of a postmodifier or relative clause that starts at K (it stops before a
    verb of saying: "three sources with knowledge of the talks as saying that")."""
    end = k
    while end + 1 < ceiling and toks[end + 1].kind == "w":
        if toks[end + 1].low in _CLAUSE_STOPS or toks[end + 1].low in lx.CUE_STANCE:
            break
        end += 1
    return end


def _bracket_open(toks: list[Tok], j: int, floor: int) -> int | None:
    """Where the brackets closing at J open, when they hold a short name or acronym only
    ("(AIU)", "(NH Finance)")."""
    for o in range(j - 1, max(floor, j - 5) - 1, -1):
        if toks[o].text == "(":
            inside = toks[o + 1 : j]
            return o if inside and all(w.kind == "w" and w.cap for w in inside) else None
    return None


def is_boundary(toks: list[Tok], k: int, floor: int) -> bool:
    """Whether a phrase may start at K: at the start, or after a comma, a colon, a quotation,
    or a conjunction."""
    if k <= floor:
        return True
    p = toks[k - 1]
    if p.kind == "q":
        return True
    if p.kind == "p":
        return p.text in ",;:\u2014\u2013-("
    return p.low in _BOUNDARY_WORDS or (k - 1 == floor and p.low in lx.CONNECTIVES)

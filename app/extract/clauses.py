"""Where what was said starts and ends among a sentence's tokens, and what may stand between a
speaker and a verb of saying."""

from app.extract import lexicon as lx
from app.extract.cues import Cue, find_cues
from app.extract.lexicon import wordset
from app.extract.phrases import np_end
from app.extract.tokens import Tok
from app.models.enums import Stance

# Prepositional phrases between a verb and what was said: "said in a statement on Sunday that".
PP_LEADS = wordset("in on at during after last this earlier later late")
_PP_NOUNS = wordset(
    """statement note interview post letter email video message conference briefing time
    call speech meeting"""
)
_PERIODS = wordset("week month year")
_BETWEEN_AFTER = wordset("only also publicly privately again repeatedly later")
_DAYS_BEFORE_THAT = wordset("today yesterday tonight earlier")
_WORK_NOUNS = wordset(
    "book books film novel memoir titled entitled song album documentary column play series"
)
_AS_DEGREE = wordset("many much few little long soon well far recently early")
_CHARGE_NOUNS = wordset("charge claim accusation allegation report suggestion")
# Conjunctions after which a new subject and verb of saying start another statement.
_NEW_CLAUSE = wordset("and although though while whereas even")
# Words in -ing after a comma that are prepositions or nouns, not participles.
_ING_PREPOSITIONS = wordset(
    """including excluding during regarding concerning following pending notwithstanding
    considering involving building funding spending ruling meeting hearing training morning
    evening ceiling warning housing shipping banking lending pricing"""
)
# A headline's second verb after a comma: "Delgado denies ..., vows to publish accounts".
_HEADLINE_VERBS = wordset("vows pledges promises plans threatens seeks moves urges warns")
_FINITE = wordset("is are was were has have had will would")
_ACTS = wordset("demanded demands requested requests")
_PREPOSITION_STOPS = wordset("of for in to and or on at with by from than")
_REPORT_SKIP = wordset("as untrue false baseless a an the report reports claim claims")


def trim(toks: list[Tok], a: int, b: int) -> tuple[int | None, int | None]:
    """Tokens A..B without the punctuation and "that" at their ends."""
    while a <= b and (toks[a].kind == "p" or toks[a].low in ("that", "whether")):
        a += 1
    while b >= a and toks[b].kind == "p" and toks[b].text not in ")%":
        b -= 1  # "rose 4%": the sign is part of the figure
    return (a, b) if a <= b else (None, None)


def clause_end(toks: list[Tok], p: int) -> list[tuple[int, int]]:
    """What was said from token P: up to the sentence's end, or before a coordinated verb of
    saying; split at "and that" / ", but" into separate pieces."""
    pieces, start, k, n = [], p, p, len(toks)
    while k < n:
        t = toks[k]
        nxt = toks[k + 1] if k + 1 < n else None
        if t.kind == "p" and t.text == ";":
            break
        if t.text == "," and nxt is not None and nxt.low in _NEW_CLAUSE:
            if new_attribution(toks, k + 2):
                break  # "..., and a spokesman refused to say ...": another statement
            if nxt.low == "even" and new_attribution(toks, k + 3):
                break  # "..., even though it conceded that ..."
        if t.low in ("and", "but") and _decline_at(toks, k + 1):
            break  # "... and would not comment": a statement of its own
        if t.text == "," and nxt is not None and nxt.low == "but" and k > start:
            if new_attribution(toks, k + 2):
                break  # "..., but Mwangi said ...": someone else's statement
            pieces.append((start, k - 1))  # "X, but Y": two things said
            start = k + 2 if k + 2 < n and toks[k + 2].low != "that" else k + 3
            k = start
            continue
        if (
            t.text == ","
            and nxt is not None
            and nxt.kind == "w"
            and (
                nxt.low in ("as", "amid", "meaning")
                or (nxt.low in ("a", "an") and k + 2 < n and toks[k + 2].bare in _CHARGE_NOUNS)
            )
        ):
            break  # "..., as speculation grows", "..., a charge the office called ..."
        degree = k >= 2 and toks[k - 1].low in _AS_DEGREE and toks[k - 2].low == "as"
        if t.low == "as" and k > start + 1 and not degree and _as_clause(toks, k + 1):
            break  # "denies manipulating images as journal flags paper": the reporter's words
        if nxt is not None and nxt.kind == "w":
            if t.text == "," and (
                nxt.low == "according"
                or nxt.low in _HEADLINE_VERBS
                or nxt.low in lx.PARTICIPLES
                or (k - start >= 2 and _adjunct_participle(nxt))
                or (nxt.low in ("when", "while") and k + 2 < n and toks[k + 2].low == "asked")
                or (nxt.low in lx.CUE_STANCE and nxt.low.endswith("s"))
            ):
                break
            if t.low in ("and", "but") and nxt.low in ("that", "so"):
                pieces.append((start, k - 1))  # "X and that Y": two things said
                start = k + 2 if nxt.low == "that" else k + 1
                k = start
                continue
            if (
                t.low in ("and", "but")
                and (nxt.low in lx.CUE_STANCE or nxt.low in _ACTS)
                and nxt.low != "that"
            ):
                break  # "... had been tampered with, and demanded a recount": the speaker's act
            if t.low == "when" and nxt.low == "asked":
                break
        k += 1
    pieces.append((start, k - 1))
    return [(a, b) for a, b in pieces if b >= a]


def _as_clause(toks: list[Tok], k: int) -> bool:
    """Whether a clause of its own starts at K after "as": a short noun phrase and a verb in -s
    ("as journal flags paper", "as speculation grows"), not "as a power grab" or "as the sour
    grapes of a bad loser"."""
    if k < len(toks) and toks[k].low in _AS_DEGREE:
        return False  # "as many as seven times", "as much as": a quantity, not a clause
    for v in range(k + 1, min(len(toks), k + 4)):
        t = toks[v]
        if t.kind != "w" or t.low.endswith("ly") or t.low in _PREPOSITION_STOPS:
            return False
        after = toks[v + 1] if v + 1 < len(toks) else None
        if (
            not t.cap
            and t.low.endswith("s")
            and not t.low.endswith("ss")
            and len(t.low) > 3
            and (after is None or after.kind != "w" or after.low not in _PREPOSITION_STOPS)
        ):
            return True
    return False


def _adjunct_participle(t: Tok) -> bool:
    """A participle after a comma that starts the reporter's own words about the clause before
    (", contradicting a report by ...", ", sending shares lower"), not a preposition."""
    return (
        not t.cap
        and t.low.endswith("ing")
        and len(t.low) > 6
        and t.low not in _ING_PREPOSITIONS
        and not t.low.endswith("thing")
    )


def new_attribution(toks: list[Tok], k: int) -> bool:
    """Whether a subject and a verb of saying start at token K ("Mwangi said")."""
    e = np_end(toks, k, len(toks))
    return (
        e is not None
        and e + 1 < len(toks)
        and (toks[e + 1].low in lx.CUE_STANCE or _decline_at(toks, e + 1))
    )


def _decline_at(toks: list[Tok], k: int) -> bool:
    """Whether a refusal to comment starts at token K ("would not comment", "declined to")."""
    found = find_cues(toks[k : k + 6])
    return bool(found) and found[0].i == 0 and found[0].kind == "decline"


def skip_back(toks: list[Tok], k: int) -> int:
    """K moved left over adverbs, auxiliaries and dates between a speaker and its verb."""
    while k >= 0:
        t = toks[k]
        if t.kind == "w" and t.low in lx.BETWEEN_WORDS | {"long"} and not t.cap:
            k -= 1
        elif _adverb(toks, k):
            k -= 1  # "has officially dismissed", "The board formally denied"
        elif t.low == "fact" and k >= 1 and toks[k - 1].low == "in":
            k -= 2  # "has in fact dismissed"
        elif t.kind == "w" and t.cap and t.low in lx.TIME_WORDS and k >= 1:
            k -= 2 if toks[k - 1].low in ("on", "in", "last", "late") else 1
        elif t.kind == "w" and t.low in _PERIODS and k >= 1:
            k -= 2
        elif (
            t.text == ","
            and k >= 2
            and toks[k - 1].low in ("however", "though", "too", "meanwhile")
            and toks[k - 2].text == ","
        ):
            k -= 3
        else:
            return k
    return k


def _adverb(toks: list[Tok], k: int) -> bool:
    """Whether token K is an adverb in -ly ("officially", "vehemently") and not a noun such as
    "family" or "assembly": no determiner or possessive before it, and not a known noun."""
    t = toks[k]
    if t.kind != "w" or t.cap or len(t.low) < 6 or not t.low.endswith("ly"):
        return False
    if t.low in _LY_NOUNS or k == 0:
        return False
    before = toks[k - 1]
    return not (before.low in lx.DETERMINERS or before.low in lx.POSSESSIVE_PRONOUNS)


# Words in -ly that are nouns or adjectives before a verb: "the family said", "the assembly voted".
_LY_NOUNS = wordset(
    """family assembly monopoly anomaly supply rally homily butterfly daily weekly monthly
    quarterly yearly bully"""
)


def skip_after(toks: list[Tok], k: int) -> int:
    """K moved right over adverbs and phrases of time and place after a verb."""
    n = len(toks)
    while k < n:
        t = toks[k]
        if t.kind == "w" and t.low in _BETWEEN_AFTER:
            k += 1
            continue
        if t.low in _DAYS_BEFORE_THAT and k + 1 < n and toks[k + 1].low == "that":
            k += 1  # "said today that ..."
            continue
        if t.kind == "w" and t.low in PP_LEADS:
            end = k + 1
            while end < n and end <= k + 6 and toks[end].kind == "w":
                w = toks[end]
                if w.low in _PP_NOUNS or (w.cap and w.low in lx.TIME_WORDS) or w.low in _PERIODS:
                    break
                if w.low == "that":
                    end = n
                    break
                end += 1
            if end < n and end <= k + 6 and toks[end].kind == "w":
                k = end + 1
                while k < n and toks[k].text[:1].isdigit():
                    k += 1  # "on February 12"
                # "in an interview with Tucker Carlson": the rest of the phrase too.
                if k < n and toks[k].low == "with":
                    e = np_end(toks, k + 1, n)
                    k = e + 1 if e is not None else k
                continue
        return k
    return k


def skip_to_that(toks: list[Tok], k: int) -> int:
    """Past "supporters at a fans' forum last month" to the "that" after it."""
    for e in range(k, min(len(toks), k + 10)):
        t = toks[e]
        if t.kind == "w" and t.low == "that":
            return e if e > k else k
        if t.kind == "q" or t.low in lx.CUE_STANCE:
            return k
        if t.kind == "p" and t.text not in "\u2019'":
            return k
        if t.kind == "w" and t.low in ("he", "she", "they", "it", "we", "i", "there"):
            return k  # a clause has started: the words said begin here
        if t.kind == "w" and t.low in _FINITE:
            return k  # "told the jury the suppliers were firms that ...": a relative "that"
    return k


def skip_report_object(toks: list[Tok], cue: Cue, k: int) -> int:
    """Past "the Reuters report that" after "denied", to what was denied."""
    if cue.stance not in (Stance.denies, Stance.confirms) and cue.word not in ("dismissed",):
        return k
    for e in range(k, min(len(toks), k + 6)):
        if toks[e].low == "that":
            span = toks[k:e]
            if all(t.cap or t.bare in _REPORT_SKIP or t.bare in lx.REPORT_NOUNS for t in span):
                return e + 1
            break
    return k


def quote_before(toks: list[Tok], first: int) -> Tok | None:
    """A quotation just before the speaker: '"...," Peskov said.'"""
    k = first - 1
    if k >= 0 and toks[k].kind == "p" and toks[k].text in ",:":
        k -= 1
    if k >= 1 and toks[k - 1].low in _WORK_NOUNS:
        return None  # 'In his book "The War," Woodward alleged ...': a title, not words said
    return toks[k] if k >= 0 and toks[k].kind == "q" else None

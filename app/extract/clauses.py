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
    call speech meeting tweet release broadcast podcast address"""
)
_PERIODS = wordset("week month year")
# How many words a phrase of time or place after a verb may have ("on the bank's fourth-quarter
# earnings conference call").
_PP_REACH = 8
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
_CITES = wordset("quotes cites cited")
_BUT_QUALIFIES = wordset("only not never also still perhaps")
_DASHES = {"\u2014", "\u2013", "--"}
_DASH_ADJUNCTS = wordset("despite although though even while whereas")
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
            if k + 2 < n and toks[k + 2].low in lx.CUE_STANCE and not toks[k + 2].cap:
                break  # "..., but claimed there was ...": a statement of its own
            if _left_unsaid(toks, k + 2):
                break  # "..., but she did not specify how many": the reporter's remark
            if any(w.low in lx.REPORTER_HEDGES for w in toks[k + 2 : k + 10]):
                break  # "..., but the merger is reportedly still under review": the reporter's
            if k + 2 < n and toks[k + 2].low in _BUT_QUALIFIES:
                k += 1  # "open to a deal, but only after ...": one thing said, qualified
                continue
            pieces.append((start, k - 1))  # "X, but Y": two things said
            start = k + 2 if k + 2 < n and toks[k + 2].low != "that" else k + 3
            k = start
            continue
        if t.text in _DASHES and nxt is not None and nxt.low in _DASH_ADJUNCTS and k > start:
            break  # "... since 2021 — despite the US effort ...": the reporter's words
        if k > start + 2 and _reporters_adjunct(toks, k):
            break  # "..., with the takeover still subject to ...", "and it appeared that"
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


# What shows ", with X ..." to be the reporter's absolute clause: "with the deal still ...".
_ABSOLUTE = lx.wordset("still now already yet set expected due likely")
# "and it appeared that", "and it emerged that": the reporter's impersonal clause.
_IMPERSONAL = lx.wordset("appeared appears emerged emerges seemed seems transpired")


_ISSUERS = lx.wordset("a an its his her their")
_ISSUED = lx.wordset("statement interview briefing tweet post release letter")


def _reporters_adjunct(toks: list[Tok], k: int) -> bool:
    """Whether the words from K are the reporter's, not the speaker's: an absolute clause
    (", with the takeover still subject to approval"), an impersonal clause ("and it appeared
    that ..."), or reports set against what was said ("despite reports in the press that")."""
    n = len(toks)
    t, nxt = toks[k], toks[k + 1] if k + 1 < n else None
    if nxt is None:
        return False
    if t.text == "," and nxt.low == "with":
        return any(w.low in _ABSOLUTE for w in toks[k + 2 : k + 8])
    if t.low == "and" and nxt.low == "it" and k + 2 < n and toks[k + 2].low in _IMPERSONAL:
        return True
    if t.low == "despite":
        return any(w.bare in lx.REPORT_NOUNS for w in toks[k + 1 : k + 4])
    if t.low == "in" and nxt.low in _ISSUERS and k + 2 < n and toks[k + 2].bare in _ISSUED:
        # "... in a statement ahead of the vote": how it was said, not what ("had told them in
        # a letter that ..." is what was said)
        return not any(w.low == "that" or w.kind == "q" for w in toks[k + 3 :])
    return False


def said_before(toks: list[Tok], b: int) -> list[tuple[int, int]]:
    """What was said in tokens 0..B, before a trailing attribution: split at ", but" into two
    things said, and without the reporter's aside ", as announced in its spring results,"."""
    pieces, start, k = [], 0, 0
    while k <= b:
        t = toks[k]
        nxt = toks[k + 1] if k + 1 <= b else None
        if t.text != "," or nxt is None:
            k += 1
            continue
        if nxt.low == "as" and k + 2 <= b and toks[k + 2].low.endswith("ed"):
            close = next((m for m in range(k + 3, b + 1) if toks[m].text == ","), None)
            if close is not None:
                pieces.append((start, k - 1))  # ", as announced in ...,": the reporter's aside
                start = k = close
                continue
        if nxt.low == "but" and not new_attribution(toks, k + 2):
            pieces.append((start, k - 1))  # "X, but Y": two things said
            start = k = k + 2
            continue
        k += 1
    pieces.append((start, b))
    return [(a, z) for a, z in pieces if z >= a and toks[a].text != ","]


def to_whom_end(toks: list[Tok], e: int) -> int:
    """The end of a speaker's phrase at E with "to" and an outlet after it ("a statement from
    Ostra to the Gazette"): the outlet is whom it was sent to."""
    n = len(toks)
    if e + 2 < n and toks[e + 1].low == "to" and toks[e + 2].kind == "w":
        f = np_end(toks, e + 2, n)
        if f is not None and toks[f].cap:
            return f
    return e


def _left_unsaid(toks: list[Tok], k: int) -> bool:
    """Whether a pronoun and "did not specify" (say, give, disclose) start at K: what the
    speaker left unsaid, in the reporter's words."""
    words = [t.low for t in toks[k : k + 4]]
    return (
        len(words) == 4
        and words[0] in lx.SUBJECT_PRONOUNS
        and words[1] in ("did", "does", "would")
        and words[2] in ("not", "n't")
        and words[3] in _UNSAID
    )


_UNSAID = wordset("say specify give disclose elaborate detail name reveal explain")


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
        and (
            toks[e + 1].low in lx.CUE_STANCE
            or toks[e + 1].low in _CITES
            or _decline_at(toks, e + 1)
        )
    )


def _decline_at(toks: list[Tok], k: int) -> bool:
    """Whether a refusal to comment starts at token K ("would not comment", "declined to")."""
    found = find_cues(toks[k : k + 6])
    return bool(found) and found[0].i == 0 and found[0].kind == "decline"


def skip_aside(toks: list[Tok], k: int) -> int:
    """Past an aside that opens what was said and qualifies it ("as far as it is aware,", "to
    its knowledge,"): the speaker's words start after it."""
    n = len(toks)
    a = k + (k < n and toks[k].text == ",")
    words = [t.low for t in toks[a : a + 7]]
    if words[:3] == ["as", "far", "as"]:
        end = next((a + m for m, w in enumerate(words) if w == "aware"), None)
    elif words[:1] == ["to"] and len(words) > 2 and words[2] == "knowledge":
        end = a + 2
    else:
        return k
    if end is None or end + 1 >= n or toks[end + 1].text != ",":
        return k
    return end + 2


def skip_back(toks: list[Tok], k: int) -> int:
    """K moved left over adverbs, auxiliaries and dates between a speaker and its verb."""
    while k >= 0:
        t = toks[k]
        if t.low == "to" and k >= 1 and toks[k - 1].low in _MOVED_TO:
            k -= 2  # "The club moved to clarify", "was quick to deny"
            if toks[k + 1].low == "quick" and k >= 0 and toks[k].low in ("was", "were", "is"):
                k -= 1
        elif t.kind == "w" and t.low in lx.BETWEEN_WORDS | {"long"} and not t.cap:
            k -= 1
            if t.low in ("today", "yesterday") and k >= 0 and toks[k].low == "on":
                k -= 1  # "The council on today denied": "on" before a day word too
        elif _adverb(toks, k):
            k -= 1  # "has officially dismissed", "The board formally denied"
        elif t.low == "fact" and k >= 1 and toks[k - 1].low == "in":
            k -= 2  # "has in fact dismissed"
        elif t.text.isdigit() and len(t.text) <= 2 and k >= 1 and _month(toks[k - 1]):
            k -= 1  # "on Oct 9", "on October 9": the month, and "on" before it
            k -= 2 if k >= 1 and toks[k - 1].low in ("on", "in") else 1
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


# Verbs before "to" and a verb of saying that leave the saying the subject's own.
_MOVED_TO = wordset("moved sought rushed hastened quick went tried")
_MONTHS = wordset("jan feb mar apr jun jul aug sep sept oct nov dec")


def _month(t: Tok) -> bool:
    """Whether T names a month, in full or shortened ("Oct", "Oct.")."""
    low = t.low.rstrip(".")
    return t.cap and (low in _MONTHS or (low in lx.TIME_WORDS and low not in _NOT_MONTHS))


_NOT_MONTHS = wordset(
    """monday tuesday wednesday thursday friday saturday sunday yesterday today tonight
    earlier later week month year morning afternoon evening night"""
)


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
            while end < n and end <= k + _PP_REACH and toks[end].kind == "w":
                w = toks[end]
                if w.low in _PP_NOUNS or (w.cap and w.low in lx.TIME_WORDS) or w.low in _PERIODS:
                    while end + 1 < n and toks[end + 1].low in _PP_NOUNS:
                        end += 1  # "a conference call", "a news conference"
                    break
                if w.low == "that":
                    end = n
                    break
                end += 1
            if end + 1 < n and toks[end].text in ":," and toks[end + 1].kind == "q":
                k = end  # 'told reporters after the match: "..."': the quotation follows
                continue
            if end < n and end <= k + _PP_REACH and toks[end].kind == "w":
                k = end + 1
                while k < n and toks[k].text[:1].isdigit():
                    k += 1  # "on February 12"
                # "in an interview with Tucker Carlson", "in a note to clients": the rest of
                # the phrase too.
                if k < n and toks[k].low in ("with", "to"):
                    e = np_end(toks, k + 1, n)
                    if e is None and toks[k].low == "to":
                        e = k  # "to investors", "to its shareholders": the words to a mark
                        while e + 1 < n and e < k + 4 and toks[e + 1].kind == "w":
                            if toks[e + 1].low == "that":
                                break
                            e += 1
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
    """Past "the Reuters report that" after "denied", to what was denied: a report noun
    ("report", "claim", "notion"), the words before it ("a US media report"), and a short phrase
    after it naming whose it is ("reports by journalist Tom Hale that", "a report in the Gazette
    that")."""
    if cue.stance not in (Stance.denies, Stance.confirms) and cue.word not in ("dismissed",):
        return k
    n = len(toks)
    noun = None
    for e in range(k, min(n, k + 6)):
        t = toks[e]
        if t.low == "that":
            span = toks[k:e]
            if all(t.cap or t.bare in _REPORT_SKIP or t.bare in lx.REPORT_NOUNS for t in span):
                return e + 1
            break
        if t.bare in lx.REPORT_NOUNS:
            noun = e
            break
        if t.kind != "w" or t.low in lx.CUE_STANCE or t.low in _FINITE:
            break
    if noun is None:
        return k
    e = noun + 1
    if e < n and toks[e].low in _OWNER_LEADS:
        # "by veteran reporter Tom Hale", "in the Gazette": whose report, up to "that"
        m = e + 1
        while m < n and m <= e + 7 and toks[m].kind == "w" and toks[m].low != "that":
            if toks[m].low in lx.CUE_STANCE or toks[m].low in _FINITE:
                return k
            m += 1
        e = m
    return e + 1 if e < n - 1 and toks[e].low == "that" else k


# What may name whose a denied report is, between the report and its "that".
_OWNER_LEADS = wordset("by in from of on")


def quote_before(toks: list[Tok], first: int) -> Tok | None:
    """A quotation just before the speaker: '"...," Peskov said.'"""
    k = first - 1
    if k >= 0 and toks[k].kind == "p" and toks[k].text in ",:":
        k -= 1
    if k >= 1 and toks[k - 1].low in _WORK_NOUNS:
        return None  # 'In his book "The War," Woodward alleged ...': a title, not words said
    return toks[k] if k >= 0 and toks[k].kind == "q" else None

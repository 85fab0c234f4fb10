"""Cues of reported speech in a sentence: verbs of saying, "according to", refusals to comment."""

from dataclasses import dataclass

from app.extract import lexicon as lx
from app.extract.lexicon import wordset
from app.extract.tokens import Tok
from app.models.enums import Stance

# "declined to comment", "refused to say", "did not respond", "would not comment", ...
_DECLINE_LEAD = wordset("declined declines decline refused refuses refuse")
_DECLINE_OBJECT = wordset(
    """comment say answer discuss elaborate confirm speak respond reveal specify name give
    provide disclose divulge share offer"""
)
_NOT_LEAD = wordset("did does do has have had would could will")
_NOT_OBJECT = wordset(
    """respond responded reply replied comment commented answer answered return returned"""
)
# "would not say whether", "could not disclose how much": a refusal, as "did not say" is not.
_WOULD_NOT = wordset("would could will can")
_WITHHELD = wordset("say disclose reveal specify divulge")
# What "did not return" must be followed by to be a refusal ("did not return to the league").
_MESSAGES = wordset("calls call messages message requests request emails email phone a repeated")
_PASSIVE = wordset("was were been being is are be")
_NOUN_BEFORE = wordset("a an the this that his her its their our no any every")
# Verbs of saying only before "that": "regretted that", "lamented that".
_REGRET = wordset("regret regrets regretted lament laments lamented deplore deplores deplored")
_PUSH = wordset("pushed push pushes pushing")
_QUOTED_SAYING = wordset("saying indicating claiming insisting warning suggesting writing stating")
# Verbs that are never adjectives or nouns after a possessive: after "Harwood's" the word in
# 's is a name (a shop's, a firm's) and the verb's subject.
_AFTER_A_NAME_IN_S = wordset(
    """said says told tells denied denies confirmed confirms dismissed dismisses rejected
    rejects added insisted explained noted warned refutes refuted rebuffs rebuffed"""
)
# Verbs that may be adjectives after a possessive ("the firm's reported loss"), but not before
# a clause ("Harwood's reported it had ...").
_VERB_BEFORE_A_CLAUSE = wordset("reported announced revealed stated claimed warned")
_WORKS = wordset("book report article study memo memoir column documentary")
_ADAMANT = wordset("adamant insistent")
_POUR = wordset("poured pours pour pouring")
_DOUBT_VERBS = wordset("cast casts casting cast")
_CITING = wordset("cited cites quotes")
_PARTICLES = wordset("for on off in up out back upon")


@dataclass
class Cue:
    """A cue of reported speech: tokens I..J."""

    i: int
    j: int
    word: str
    stance: Stance
    kind: str  # verb, according, decline, quoted, quoted_passive, nominal, doubt, passive_as


def find_cues(toks: list[Tok]) -> list[Cue]:
    """Every cue in a sentence, in order (quotations are single tokens: no cue inside them)."""
    found: list[Cue] = []
    n = len(toks)
    title = _title_case(toks)
    i = 0
    while i < n:
        t = toks[i]
        cue = _cue_at(toks, i, n, title) if t.kind == "w" else None
        if cue is not None:
            found.append(cue)
            i = cue.j + 1
        else:
            i += 1
    return found


def _low(toks: list[Tok], i: int) -> str:
    return toks[i].low if 0 <= i < len(toks) and toks[i].kind == "w" else ""


def _title_case(toks: list[Tok]) -> bool:
    """Whether a sentence is a headline in title case ("Port Authority Denies Reports Of ..."):
    no full stop, and every word of four letters or more capitalised."""
    words = [t for t in toks if t.kind == "w"]
    if len(words) < 4 or toks[-1].text in (".", "?", "!"):
        return False
    long = [t for t in words if len(t.low) >= 4]
    return len(long) >= 3 and all(t.cap for t in long)


# Verbs a title-case headline may capitalise: not those that read as nouns there ("Reports",
# "Claims", "States", "Calls").
_TITLE_VERBS = wordset(
    """says say denies deny rejects dismisses confirms admits warns insists vows urges
    acknowledges refutes rebuffs disputes announces reveals predicts pledges"""
)


def _cue_at(toks: list[Tok], i: int, n: int, title: bool = False) -> Cue | None:
    low, nxt = toks[i].low, _low(toks, i + 1)
    if low == "according" and nxt == "to":
        return Cue(i, i + 1, "according to", Stance.asserts, "according")
    if low in _DECLINE_LEAD and nxt == "to" and _low(toks, i + 2) in _DECLINE_OBJECT:
        return Cue(i, i + 2, f"{low} to {toks[i + 2].low}", Stance.declines_to_comment, "decline")
    if low in _NOT_LEAD and nxt in ("not", "n't"):
        k = i + 2 + (_low(toks, i + 2) in ("immediately", "publicly", "yet"))
        returned = _low(toks, k) in ("return", "returned")
        # "did not return calls", and whose: "did not return the paper's calls"
        m = k + 1 + (_low(toks, k + 1) in _NOUN_BEFORE)
        m += 0 <= m < n and toks[m].kind == "w" and toks[m].possessive
        messages = _low(toks, k + 1) in _MESSAGES or _low(toks, m) in _MESSAGES
        if _low(toks, k) in _NOT_OBJECT and not (returned and not messages):
            return Cue(i, k, f"{low} not {toks[k].low}", Stance.declines_to_comment, "decline")
    withheld = _low(toks, i + 2) in _WITHHELD and low in _WOULD_NOT
    # "has not said whether she will stand": a question left open, as a refusal is
    withheld = withheld or (
        low in ("has", "have") and _low(toks, i + 2) == "said" and _low(toks, i + 3) == "whether"
    )
    if nxt in ("not", "n't") and withheld:
        # "would not say whether ...": "did not say when" is only something left unsaid
        return Cue(i, i + 2, f"{low} not {toks[i + 2].low}", Stance.declines_to_comment, "decline")
    if low == "no" and nxt == "comment":
        return Cue(i, i + 1, "no comment", Stance.declines_to_comment, "decline")
    refusal = _refusal_at(toks, i) if low in _REFUSAL_STARTS else None
    if refusal is not None:
        return Cue(i, refusal, " ".join(t.low for t in toks[i : refusal + 1]), _DECLINES, "decline")
    if low in _ADAMANT and nxt == "that" and _low(toks, i - 1) in _PASSIVE | {"remained"}:
        return Cue(i, i, low, Stance.asserts, "verb")  # "The club was adamant that ..."
    if low in ("read", "reads") and not toks[i].cap and _document_beside(toks, i):
        return Cue(i, i, low, Stance.asserts, "verb")  # "The club's statement read: ..."
    if (
        low in _POUR
        and nxt == "cold"
        and _low(toks, i + 2) == "water"
        and _low(toks, i + 3) == "on"
    ):
        return Cue(i, i + 3, f"{low} cold water on", Stance.denies, "verb")  # a denial, by idiom
    if low == "rubbish" and i > 0 and any(t.bare in lx.REPORT_NOUNS for t in toks[i + 1 : i + 8]):
        return Cue(i, i, low, Stance.denies, "verb")  # "Estmark, Norland rubbish ... reports"
    if (
        low in ("asked", "asks")
        and _after_a_quotation(toks, i)
        and (i == 1 or nxt not in _ASKED_OBJECTS)
    ):
        return Cue(i, i, low, Stance.questions, "verb")  # '"Did you tell anyone?" Kavi asked.'
    if low in _REGRET and nxt == "that":
        return Cue(i, i, low, Stance.asserts, "verb")  # "The statement regretted that ..."
    if low in ("answered", "answers", "answer") and (
        nxt in _MESSAGES or _low(toks, i + 2) in _MESSAGES | {"phone", "door"}
    ):
        return None  # "answered a call from the coach": no words reported
    if low in _PUSH and nxt == "back" and _low(toks, i + 2) in ("on", "against"):
        return Cue(i, i + 2, f"{low} back", Stance.denies, "verb")  # "pushed back on the report"
    if low == "went" and nxt == "on" and _ends_attribution(toks, i + 2):
        return Cue(i, i + 1, "went on", Stance.asserts, "verb")  # '"...," she went on.'
    if low in _DOUBT_VERBS and nxt == "doubt" and _low(toks, i + 2) in ("on", "over", "upon"):
        return Cue(i, i + 1, f"{low} doubt", Stance.questions, "doubt")  # "cast doubt on"
    if low in _CITING and not toks[i].cap:
        ahead = [_low(toks, k) for k in range(i + 2, i + 14)]
        if "as" in ahead and _QUOTED_SAYING & set(ahead):
            return Cue(i, i, low, Stance.asserts, "quoted")  # "cited an aide as indicating"
    stance = lx.CUE_STANCE.get(low)
    if stance is None or (toks[i].cap and not (title and i > 0 and low in _TITLE_VERBS)):
        return None  # verbs are not capitalised: "the United States" is no "states"
    before = _low(toks, i - 1)
    if (
        before.endswith("ly")
        and len(before) > 5
        and before not in ("only", "early")
        and _low(toks, i - 2) not in lx.DETERMINERS | lx.POSSESSIVE_PRONOUNS
    ):
        # "was officially rejected by": the adverb is no subject (but "the family said" has one)
        before = _low(toks, i - 2)
    if before in ("not", "n't", "never") or nxt in ("nothing", "little"):
        return None  # "did not say", "said nothing else": nothing was said
    if (
        before in _PASSIVE
        and low == "quoted"
        and "saying" in [_low(toks, k) for k in range(i, i + 12)]
    ):
        return Cue(i, i, low, Stance.asserts, "quoted_passive")  # "X was quoted by Y as saying"
    if before in _PASSIVE and low in lx.NEEDS_AS and nxt == "by":
        pass  # "was described by the mayor as ...": the mayor said it
    elif (
        before in _PASSIVE
        and stance == Stance.denies
        and _by_and_as(toks, i + 1)
        and any(t.bare in lx.REPORT_NOUNS for t in toks[max(0, i - 6) : i])
    ):
        return Cue(i, i, low, stance, "passive_as")  # "was dismissed as baseless by the ministry"
    elif (before in _PASSIVE and not (low.endswith("ing") and before != "being")) or (
        before in _NOUN_BEFORE and toks[i - 1].kind == "w"
    ):
        # "was rejected by", "a note", "the report": not a verb of saying ("is denying" is)
        return None
    if i > 0 and toks[i - 1].possessive:
        if low in ("claim", "claims", "report", "reports", "assertion") and nxt == "that":
            return Cue(i, i, low, Stance.asserts, "nominal")  # "the Courier's claim that"
        clause = nxt in lx.SUBJECT_PRONOUNS or nxt in ("that", "the")
        verb = low in _AFTER_A_NAME_IN_S or (low in _VERB_BEFORE_A_CLAUSE and clause)
        if not (toks[i - 1].cap and verb):
            return None  # "the mayor's reported remarks" (but "Harwood's said": a name in 's)
    if low in ("report", "note", "question", "quote", "call", "claim", "doubt", "answer"):
        return None  # the bare forms read as nouns here far more often than as verbs
    if low in ("reports", "notes", "questions", "calls", "claims", "doubts"):
        subject = i > 0 and (toks[i - 1].cap or toks[i - 1].low in lx.SUBJECT_PRONOUNS)
        # A headline's second verb: "Kremlin says ..., calls report 'not true'".
        subject = subject or (low == "calls" and i > 0 and toks[i - 1].text == ",")
        opening = i == 2 and nxt == "that" and toks[1].cap  # "The Gazette reports that"
        # "the journalist claims that", "the book claims that": a role or a work, in the
        # singular, before a verb in -s and "that" (a possessive would make it "the book's
        # claims")
        described = (
            i > 1
            and not toks[i - 1].cap
            and (toks[i - 1].low in lx.PERSON_ROLES | lx.ORG_ROLES or toks[i - 1].low in _WORKS)
            and low in ("claims", "reports", "notes")
            and nxt == "that"  # not "the company reports record profits"
        )
        if described:
            subject = opening = True
        if not subject or (_low(toks, i - 2) in _NOUN_BEFORE and not opening):
            return None  # a noun: "denied reports that", "the Reuters reports"
    ahead = [_low(toks, k) for k in range(i + 2, i + 16)]
    if low in ("quoted", "quote") and ("as" in ahead or _QUOTED_SAYING & set(ahead)):
        return Cue(i, i, low, Stance.asserts, "quoted")  # "quoted X as saying" / "X saying"
    if low in ("quoted", "quotes") and nxt not in ("that", ",", ":"):
        return None  # "quoted a Trump campaign official who ...": no words of theirs here
    if low in lx.NEEDS_REPORT_OBJECT and not (
        _report_object(toks, i + 1) or _report_before(toks, i)
    ):
        return None
    if low in lx.NEEDS_AS and (nxt in _PARTICLES or not _as_or_quote(toks, i + 1)):
        return None  # "called for talks", "called on the government to ...": no words reported
    if low in ("accused", "accuses") and nxt == "of":
        return None  # "Mayor Delgado accused of hiding ...": the accused, not the accuser
    if (
        low
        in (
            "believe",
            "believes",
            "estimated",
            "posted",
            "mentioned",
            "observed",
            "indicate",
            "indicates",
            "indicated",
            "highlight",
            "highlights",
            "highlighted",
        )
        and nxt != "that"
        # "an aide who indicated the two had spoken": a person's words, "that" left out
        and not (low.startswith("indicate") and _low(toks, i - 1) == "who")
    ):
        return None
    clause = nxt == "that" and (
        _low(toks, i + 2) in _NOUN_BEFORE | lx.SUBJECT_PRONOUNS
        or (i + 2 < len(toks) and toks[i + 2].cap)
    )
    if low in ("writes", "wrote", "write") and nxt in _NOUN_BEFORE and not clause:
        return None  # "who writes the blog Figure Check": an object written, not words said
    if low.startswith("disagree") and nxt == "with":
        return Cue(i, i + 1, f"{low} with", stance, "verb")  # what follows is what was denied
    if low in ("continued", "continues") and not (
        _ends_attribution(toks, i + 1) or any(t.kind == "q" for t in toks[max(0, i - 2) : i])
    ):
        return None  # "talks continued on Monday": nothing was said
    return Cue(i, i, low, stance, "verb")


def _ends_attribution(toks: list[Tok], k: int) -> bool:
    """Whether an attribution may end at token K: the sentence ends, or a quotation follows."""
    if k >= len(toks):
        return True
    t = toks[k]
    nxt = toks[k + 1] if k + 1 < len(toks) else None
    return t.kind == "q" or t.text in ".:" or (t.text == "," and (nxt is None or nxt.kind == "q"))


# Refusals of more than one word, each a sequence of alternatives: "would neither confirm nor
# deny", "declined to be drawn", "had no immediate comment", "could not be reached for comment".
_REFUSALS: list[list[frozenset[str] | set[str]]] = [
    [_NOT_LEAD, {"neither"}, {"confirm"}, {"nor"}, {"deny"}],
    [_DECLINE_LEAD, {"to"}, {"be"}, {"drawn"}],
    [{"no"}, {"immediate", "further"}, {"comment"}],
    [{"could", "can", "cannot"}, {"not"}, {"be"}, {"reached"}, {"for"}, {"comment"}],
    [{"cannot", "couldn't"}, {"be"}, {"reached"}, {"for"}, {"comment"}],
    [{"was", "were", "is", "are"}, {"not"}, {"available"}, {"for"}, {"comment"}],
    [{"was", "were", "is", "are"}, {"unavailable"}, {"for"}, {"comment"}],
    [{"would", "will", "could"}, {"make", "give", "offer"}, {"no"}, {"comment"}],
    [{"would", "will", "could"}, {"make", "give", "offer"}, {"no"}, {"further"}, {"comment"}],
]
_REFUSAL_STARTS = frozenset().union(*(pattern[0] for pattern in _REFUSALS))
_DECLINES = Stance.declines_to_comment


def _refusal_at(toks: list[Tok], i: int) -> int | None:
    """Where a refusal of several words starting at token I ends, if one does."""
    for pattern in _REFUSALS:
        if all(_low(toks, i + k) in words for k, words in enumerate(pattern)):
            return i + len(pattern) - 1
    return None


def _document_beside(toks: list[Tok], i: int) -> bool:
    """Whether a statement, letter or message is the subject of "read" at I: just before it, or
    just after it ('"...," read a statement from the club')."""
    near = [t.bare for t in toks[max(0, i - 3) : i]] + [t.bare for t in toks[i + 1 : i + 3]]
    return bool(set(near) & _READ_DOCUMENTS)


_READ_DOCUMENTS = wordset("statement letter note notice message post tweet website")


def _by_and_as(toks: list[Tok], k: int) -> bool:
    """Whether "by" and "as" both follow within a few words: "dismissed as baseless by the
    ministry", "rejected by the ministry as 'propaganda'"."""
    words = [t.low for t in toks[k : k + 10]]
    return "by" in words and "as" in words[:8]


def _report_object(toks: list[Tok], k: int) -> bool:
    """Whether a "rejected"-like verb is followed by what was reported ("the report that")."""
    for t in toks[k : k + 5]:
        if t.kind == "w" and (t.bare in lx.REPORT_NOUNS or t.low == "that"):
            return True
    return False


# What follows "asked" when it is no attribution of a quotation: "asked whether", "asked him".
_ASKED_OBJECTS = wordset("whether if about to for the a an him her them me us why how what who")


def _after_a_quotation(toks: list[Tok], i: int) -> bool:
    """Whether the verb at I attributes the quotation that opens its sentence: '"...," X asked'
    or '"...?" asked X', with only the speaker's words between."""
    if not toks or toks[0].kind != "q" or i > 6:
        return False
    return all(t.kind == "w" for t in toks[1:i]) and (i == 1 or toks[1].cap or i <= 4)


def _as_or_quote(toks: list[Tok], k: int) -> bool:
    """Whether "described"/"called" reports words: "described X as Y", "called it 'baseless'",
    "called the report false"."""
    # A report described at length ("termed the reports of a deal between ... as") may
    # put its "as" further on.
    report = any(t.bare in lx.REPORT_NOUNS for t in toks[k : k + 3])
    for n, t in enumerate(toks[k : k + 30]):
        if n >= 14 and not (report and t.kind == "w"):
            return False
        if t.kind == "q" or t.low == "as" or t.low in lx.DENIAL_WORDS:
            return n < 14 or t.low == "as"
        if t.kind == "p":
            return False
    return False


def _report_before(toks: list[Tok], i: int) -> bool:
    """Whether the verb at I is in a relative clause on a report: "a claim that Trump
    disputed", "an account which the ministry rejected" (the report is its object)."""
    for k in range(i - 1, max(0, i - 6), -1):
        if toks[k].low in ("that", "which"):
            return k >= 1 and toks[k - 1].bare in lx.REPORT_NOUNS
    return False

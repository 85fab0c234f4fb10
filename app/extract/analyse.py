"""Reading a whole text: every sentence's attributions, with who speaks resolved in the text."""

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

from app.extract import lexicon as lx
from app.extract import mentions
from app.extract.announced import Announcement, announced, announcement, attributed_back
from app.extract.attribution import SentenceReader
from app.extract.entities import Discourse, Entity
from app.extract.model import Attr, Mention, Range
from app.extract.parse import second_opinion
from app.extract.phrases import is_role, np_end
from app.extract.segment import Segmented, Sentence, segment
from app.extract.tokens import Tok
from app.models.enums import QuoteMode, Stance

_ASKED = re.compile(
    r"\b(?:when |after being |after )?asked (?:by [\w ]{1,30}? )?"
    r"(?:whether|if|about|why|how|what)\s+(?P<about>[^,;]+)",
    re.IGNORECASE,
)
_INTERVIEW = re.compile(r"\b[Ii]n (?:an|his|her|a) (?:[\w-]+ )?interview with ")
_VIA = re.compile(r"^(?:Through|Via|Speaking through) (?P<via>[^,]{2,60}),")


@dataclass
class Analysis:
    """What the rules read in a text."""

    text: str
    segmented: Segmented
    attrs: list[Attr] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    published: dt.date | None = None  # the article's date, when its meta gives one


def analyse(text: str, published: dt.date | None = None) -> Analysis:
    """Every attribution in TEXT, each speaker resolved to an entity of the text."""
    seg = segment(text)
    out = Analysis(text, seg, published=published)
    discourse = Discourse()
    groups = itertools.count()
    previous: Attr | None = None
    before: Announcement | None = None  # "X said in a statement:" ends the paragraph before
    for sentence in seg.sentences:
        found = SentenceReader(text, sentence, groups).read()
        if not found:
            opened = announced(text, sentence, before, next(groups))
            found = [opened] if opened else []
        if not found:
            continuation = _continuation(text, sentence, previous, next(groups))
            found = [continuation] if continuation else []
        if not found and previous is not None and _cited_next(text, sentence, previous):
            _resolve(previous, discourse, {}, None)
        elif not found:
            found = second_opinion(text, sentence, next(groups))
        if not found and sentence.toks and sentence.toks[-1].text == ":":
            before = announcement(text, sentence) or before
        elif found or sentence.first_in_paragraph:
            before = None
        _spot_names(text, sentence, discourse, {a.speaker.span for a in found if a.speaker})
        if not found:
            _spot_subject(text, sentence, discourse)
        _circumstances(text, sentence, found, published)
        resolved: dict[int, Entity | None] = {}
        for attr in found:
            _resolve(attr, discourse, resolved, previous)
            if attr.entity is not None and attr.attribution is not None:
                words = text[attr.attribution[0] : attr.attribution[1]]
                if "statement" in words:  # for a later "the statement said"
                    discourse.entities[attr.entity].in_statement = True
        out.attrs += [a for a in found if a.entity is not None]
        previous = next((a for a in reversed(found) if a.entity is not None), previous)
    out.entities = discourse.entities
    out.attrs = attributed_back(text, seg.sentences, out.attrs)
    return out


def _resolve(
    attr: Attr, discourse: Discourse, resolved: dict[int, Entity | None], previous: Attr | None
) -> None:
    """Set who speaks (and to whom) as entities of the document."""
    if attr.speaker is None and attr.inherit and previous is not None:
        attr.entity, attr.speaker = previous.entity, previous.speaker
        return
    if attr.speaker is None:
        return
    key = id(attr.speaker)
    if key not in resolved:
        resolved[key] = discourse.resolve(attr.speaker)
    entity = resolved[key]
    if entity is None and attr.inherit and previous is not None:
        entity = discourse.entities[previous.entity] if previous.entity is not None else None
    if entity is None:
        return
    attr.entity = entity.id
    m = attr.recipient
    if m is not None and not m.plural and (m.name or m.definite):
        known_before = len(discourse.entities)
        r = discourse.resolve(m, speaking=False)
        if r is None or (m.name is None and r.id >= known_before):
            return  # "told the agency" with no agency named before: no one to name
        attr.recipient_entity = r.id
        if not r.person:
            r.outlet = True


def _continuation(text: str, s: Sentence, previous: Attr | None, group: int) -> Attr | None:
    """A sentence that is only a quotation, after a quoted speaker: the same speaker goes on."""
    toks = [t for t in s.toks if not (t.kind == "p" and t.text in ".")]
    if len(toks) != 1 or toks[0].kind != "q" or previous is None:
        return None
    near = s.paragraph - previous.paragraph <= 1 and s.index - previous.sentence <= 2
    # A quotation that is a paragraph of its own, a few paragraphs of the reporter's after a
    # speaker's own quotation (no one else quoted between): that speaker goes on.
    resumed = (
        s.first_in_paragraph
        and previous.mode == QuoteMode.direct
        and s.paragraph - previous.paragraph <= _RESUMED_PARAGRAPHS
        and s.index - previous.sentence <= 2 * _RESUMED_PARAGRAPHS
    )
    if not (near or resumed):
        return None
    a, b = toks[0].inner
    while b > a and text[b - 1] in ",; ":
        b -= 1
    if b - a < 2:
        return None
    return Attr(
        quote=(a, b),
        mode=QuoteMode.direct,
        stance=Stance.asserts,
        cue="",
        sentence=s.index,
        paragraph=s.paragraph,
        inherit=True,
        group=group,
        notes=["the quotation goes on after its attribution"],
    )


# How many paragraphs after its speaker's last quotation a quotation standing alone resumes it.
_RESUMED_PARAGRAPHS = 3


def _cited_next(text: str, s: Sentence, previous: Attr) -> bool:
    """ "The Courier reported that .... The paper cited two bankers close to the talks.": the
    sentence after an outlet's report names whom it cited; they said it, and the outlet is the
    channel. PREVIOUS is given to them (its speaker to be resolved again)."""
    toks = s.toks
    if previous.sentence != s.index - 1 or previous.cue not in _RELAYED or previous.via:
        return False
    k = next((i for i, t in enumerate(toks[:8]) if t.low in ("cited", "quoted")), None)
    if k is None or k == 0 or previous.speaker is None:
        return False
    subject = {t.bare for t in toks[:k]}
    outlet = subject & lx.OUTLET_WORDS or subject & {"it", "agency", "paper", "daily"}
    if not outlet and not subject & set((previous.speaker.core or "").lower().split()):
        return False
    e = np_end(toks, k + 1, len(toks))
    if e is None or any(t.low in ("as", "saying") for t in toks[k + 1 : e + 3]):
        return False
    if not any(is_role(t.bare) or t.cap for t in toks[k + 1 : e + 1]):
        return False
    previous.via = previous.speaker.name or previous.speaker.core
    previous.speaker = mentions.build(text, toks, k + 1, e, s.index)
    previous.entity = None
    previous.notes.append("the sentence after names whom the outlet cited")
    return True


_RELAYED = lx.wordset("reported reports said says wrote")


def _spot_names(text: str, s: Sentence, discourse: Discourse, speakers: set[Range]) -> None:
    """Names of people the sentence mentions without quoting them: antecedents for "he"."""
    toks = s.toks
    k = 0
    while k < len(toks):
        t = toks[k]
        if not (t.kind == "w" and t.cap) or (k == 0 and t.low in lx.CONNECTIVES):
            k += 1
            continue
        end = k
        while end + 1 < len(toks) and toks[end + 1].cap and not toks[end].possessive:
            end += 1
        first, words = k, toks[k : end + 1]
        k = end + 1
        plain = [w for w in words if w.low.rstrip(".") not in lx.TITLES]
        titled = len(plain) < len(words) or (
            first > 0 and toks[first - 1].low.rstrip(".") in lx.TITLES
        )
        named = len(plain) >= 2 and (
            plain[0].low in lx.FIRST_NAMES_F or plain[0].low in lx.FIRST_NAMES_M
        )
        # "journalist Anika Sorensen", "shipping magnate Per Lund": a person's role before a name
        roled = len(plain) >= 2 and first > 0 and toks[first - 1].bare in lx.PERSON_ROLES
        described = roled or _role_beside(toks, first, end)
        if not plain or not (titled or named or described or _known_surname(words[-1], discourse)):
            continue  # only what reads as a person's name: "Russia Ukraine war" is none
        if any(_not_a_person(w) for w in words) or (
            speakers and _inside_speaker(words[0], speakers)
        ):
            continue
        role = first > 0 and toks[first - 1].kind == "w" and toks[first - 1].low in lx.PERSON_ROLES
        m = mentions.build(text, toks, first - 1 if role else first, end, s.index)
        if m.name is None:
            continue
        before = toks[first - 1] if first > 0 else None
        m.subject = before is None or before.low not in (
            "with",
            "to",
            "by",
            "from",
            "for",
            "of",
            "about",
            "against",
            "at",
            "on",
        )
        discourse.seen(m)


def _role_beside(toks: list[Tok], first: int, end: int) -> bool:
    """Whether a capitalised phrase is a person's name by the role set beside it: "Tom Hale, the
    club's chairman," or "The union's leader, Marta Quist,"."""
    n = len(toks)
    if first >= 2 and toks[first - 1].text == "," and toks[first - 2].bare in lx.PERSON_ROLES:
        return end + 1 - first >= 2
    if end + 2 < n and toks[end + 1].text == ",":
        k = end + 2
        while k < n and k < end + 10 and toks[k].kind == "w":
            if toks[k].bare in lx.PERSON_ROLES:
                return end + 1 - first >= 2
            k += 1
    return False


def _spot_subject(text: str, s: Sentence, discourse: Discourse) -> None:
    """A described speaker who is the subject of a sentence without a statement ("One of the
    negotiators was more hopeful."): who a later "the person said" or "he said" points to."""
    toks = s.toks
    a = 0
    while a < len(toks) and (toks[a].low in lx.CONNECTIVES or toks[a].text == ","):
        a += 1
    e = np_end(toks, a, len(toks))
    if e is None or e + 1 >= len(toks) or toks[e + 1].kind != "w" or toks[e].cap:
        return  # no subject, or a name (names are spotted as names)
    m = mentions.build(text, toks, a, e, s.index)
    if m.pronoun is None and m.name is None and is_role(m.head):
        discourse.resolve(m, speaking=False)


def _not_a_person(w: Tok) -> bool:
    return w.bare in lx.ORG_WORDS or w.bare in lx.OUTLET_WORDS or w.low in lx.TIME_WORDS


def _inside_speaker(t: Tok, speakers: set[Range]) -> bool:
    return any(a <= t.start < b for a, b in speakers)


def _known_surname(t: Tok, discourse: Discourse) -> bool:
    """Whether T is the surname of a person the text has already named."""
    return t.bare in discourse.surnames


def _circumstances(text: str, s: Sentence, attrs: list[Attr], published: dt.date | None) -> None:
    """What the sentence says about when, how and to whom things were said."""
    body = text[s.body_start : s.end]
    asked = _ASKED.search(body)
    interview = _INTERVIEW.search(body)
    via = _VIA.search(body)
    for attr in attrs:
        if asked:
            a = s.body_start + asked.start()
            end = s.body_start + asked.end("about")
            while end > a and text[end - 1] in '.!?"\u201d ':
                end -= 1  # the sentence's full stop is not the question's
            attr.context = text[a:end]
            attr.about = (s.body_start + asked.start("about"), end)
        if interview:
            start = s.body_start + interview.end()
            k = next((i for i, t in enumerate(s.toks) if t.start >= start), None)
            if k is not None:
                e = np_end(s.toks, k, len(s.toks))
                if e is not None:
                    attr.context = text[s.body_start + interview.start() : s.toks[e].end]
                    if attr.recipient is None:
                        attr.recipient = mentions.build(text, s.toks, k, e, s.index)
        if via:
            attr.via = via.group("via")
        if published and attr.attribution:
            attr.said_on = _weekday(text[attr.attribution[0] : attr.attribution[1]], published)


def _weekday(words: str, published: dt.date) -> dt.date | None:
    """ "on Wednesday" in an article of Wednesday 14 February: that day (or the one before)."""
    low = words.lower()
    for n, day in enumerate(lx.WEEKDAYS):
        if f"on {day}" in low:
            back = (published.weekday() - n) % 7
            return published - dt.timedelta(days=back)
    return None


def mention_text(m: Mention | None) -> str:
    return m.text if m is not None else ""

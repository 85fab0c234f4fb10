"""Attribution across paragraphs: a quotation whose speaker is named in the paragraph before it
("Hanna Roos said in a statement:" and then the quotation) or after it (a quotation left open
at the end of its paragraph, as a quotation of several paragraphs is printed, and then
'"...," Hanna Roos said in a statement.')."""

from dataclasses import dataclass

from app.extract.cues import find_cues
from app.extract.model import Attr, Mention, Range
from app.extract.segment import Sentence
from app.extract.speakers import Speakers
from app.extract.tokens import Tok
from app.models.enums import QuoteMode, Stance

_ACROSS = "the quotation's attribution is in the paragraph before it"
_BACK = "the quotation's attribution is in the next paragraph"


@dataclass
class Announcement:
    """ "X said in a statement:": a speaker and a verb of saying with nothing said yet."""

    speaker: Mention
    stance: Stance
    cue: str
    attribution: Range
    paragraph: int


def announcement(text: str, s: Sentence) -> Announcement | None:
    """The speaker a sentence ending in a colon announces, if it does ("Peskov told
    reporters:", "The ministry said in a statement:")."""
    toks = s.toks
    if len(toks) < 3 or toks[-1].text != ":":
        return None
    verbs = [c for c in find_cues(toks) if c.kind == "verb"]
    if not verbs:
        return None
    cue = verbs[-1]
    # Between the verb and the colon, circumstances only ("in a statement", "on Monday").
    if any(t.kind == "q" for t in toks[cue.j + 1 :]) or len(toks) - cue.j > 8:
        return None
    found = Speakers(text, toks, s.index).left_of(cue.i)
    if found is None:
        return None
    speaker, first = found
    return Announcement(
        speaker, cue.stance, cue.word, (toks[first].start, toks[-2].end), s.paragraph
    )


def _quotation_alone(s: Sentence) -> Tok | None:
    toks = [t for t in s.toks if not (t.kind == "p" and t.text in ".")]
    return toks[0] if len(toks) == 1 and toks[0].kind == "q" else None


def announced(text: str, s: Sentence, before: Announcement | None, group: int) -> Attr | None:
    """The quotation opening the paragraph after an announcement, as the announced speaker's."""
    q = _quotation_alone(s)
    if before is None or q is None or not s.first_in_paragraph:
        return None
    if s.paragraph != before.paragraph + 1:
        return None
    a, b = q.inner
    while b > a and text[b - 1] in ",; ":
        b -= 1
    if b - a < 2:
        return None
    return Attr(
        quote=(a, b),
        mode=QuoteMode.direct,
        stance=before.stance,
        cue=before.cue,
        sentence=s.index,
        paragraph=s.paragraph,
        speaker=before.speaker,
        attribution=before.attribution,
        group=group,
        notes=[_ACROSS],
    )


def attributed_back(text: str, sentences: list[Sentence], attrs: list[Attr]) -> list[Attr]:
    """ATTRS with each quotation left open at the end of its paragraph given to the speaker of
    the quotation that opens the next paragraph (in the place of a speaker carried over from
    before it, which is only a guess)."""
    opening: dict[int, Attr] = {}
    for attr in attrs:
        s = sentences[attr.sentence]
        first = next((t for t in s.toks if t.kind != "p"), None)
        if (
            s.first_in_paragraph
            and attr.mode == QuoteMode.direct
            and attr.cue
            and attr.entity is not None
            and first is not None
            and first.kind == "q"
            and first.inner[0] <= attr.quote[0] < first.inner[1]
        ):
            opening.setdefault(s.paragraph, attr)
    if not opening:
        return attrs
    by_sentence: dict[int, list[Attr]] = {}
    for attr in attrs:
        by_sentence.setdefault(attr.sentence, []).append(attr)
    out = list(attrs)
    for s in sentences:
        q = _quotation_alone(s)
        after = opening.get(s.paragraph + 1)
        if q is None or q.closed or not s.first_in_paragraph or after is None:
            continue
        here = by_sentence.get(s.index, [])
        if any(a.cue for a in here):
            continue  # attributed in its own sentence
        a, b = q.inner
        while b > a and text[b - 1] in ",; ":
            b -= 1
        if b - a < 2:
            continue
        out = [x for x in out if x not in here]
        out.append(
            Attr(
                quote=(a, b),
                mode=QuoteMode.direct,
                stance=after.stance,
                cue=after.cue,
                sentence=s.index,
                paragraph=s.paragraph,
                speaker=after.speaker,
                group=after.group,
                entity=after.entity,
                notes=[_BACK],
            )
        )
    out.sort(key=lambda x: (x.sentence, x.quote[0]))
    return out

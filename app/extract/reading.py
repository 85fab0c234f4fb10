"""The state of reading one sentence, and how what is found there is recorded."""

from collections.abc import Iterator
from dataclasses import replace

from app.extract.clauses import trim
from app.extract.cues import Cue
from app.extract.lexicon import wordset
from app.extract.model import Attr, Mention, Range
from app.extract.segment import Sentence
from app.extract.speakers import Speakers
from app.extract.tokens import Tok
from app.models.enums import QuoteMode, Stance


class ReaderBase:
    """One sentence's tokens, what has been taken from them, and the attributions found."""

    def __init__(self, text: str, sentence: Sentence, groups: Iterator[int]) -> None:
        self.text = text
        self.s = sentence
        self.toks = sentence.toks
        self.n = len(self.toks)
        self.groups = groups
        self.attrs: list[Attr] = []
        self.covered: list[tuple[int, int]] = []  # token ranges already taken as what was said
        self.used: set[int] = set()
        # A speaker whose verb reported nothing yet ("repeated that position, saying ...").
        self.subject: Mention | None = None
        self.speakers = Speakers(text, self.toks, sentence.index)

    def _inside(self, k: int) -> bool:
        return any(a <= k < b for a, b in self.covered)

    def _range(self, a: int, b: int) -> Range:
        """Document span of tokens A..B (inclusive)."""
        return (self.toks[a].start, self.toks[b].end)

    def _mention(self, a: int, b: int, **kw: object) -> Mention:
        return self.speakers.mention(a, b, **kw)

    def _emit(
        self,
        cue: Cue,
        speaker: Mention | None,
        content: list[tuple[int, int]],
        direct: Tok | None,
        attribution: Range | None,
        recipient: Mention | None = None,
        inherit: bool = False,
        joined: bool = False,
    ) -> None:
        group = next(self.groups)
        pieces: list[tuple[Range, QuoteMode]] = []
        if direct is not None:
            a, b = direct.inner
            while b > a and self.text[b - 1] in ",;: ":
                b -= 1  # the comma before the attribution is not the speaker's
            if b > a:
                pieces.append(((a, b), QuoteMode.direct))
        for first, last in content:
            lo, hi = trim(self.toks, first, last)
            if lo is not None and hi is not None and _only_a_phrase(self.toks[lo : hi + 1]):
                continue  # "replied to the criticism", "wrote about the talks": a topic only
            if lo is not None and hi is not None:
                pieces.append((self._range(lo, hi), QuoteMode.indirect))
                self.covered.append((lo, hi + 1))
        for n, (span, mode) in enumerate(pieces):
            self.attrs.append(
                Attr(
                    quote=span,
                    mode=mode,
                    stance=cue.stance,
                    cue=cue.word,
                    sentence=self.s.index,
                    paragraph=self.s.paragraph,
                    speaker=speaker,
                    inherit=inherit,
                    attribution=attribution,
                    recipient=recipient,
                    group=group,
                    joined=joined and n > 0,
                )
            )
        self.used.add(cue.i)

    def quoted_run(self, m: int) -> Tok:
        """The quotation at token M with those joined to it by "and"/"or" ('"laughable" and
        "absurd"'), as one quotation from the first's words to the last's."""
        toks, last = self.toks, m
        while last + 2 < self.n and toks[last + 1].low in ("and", "or"):
            if toks[last + 2].kind != "q":
                break
            last += 2
        if last == m:
            return toks[m]
        return replace(toks[m], end=toks[last].end, inner=(toks[m].inner[0], toks[last].inner[1]))

    def _emit_span(
        self,
        cue: Cue,
        speaker: Mention,
        a: int,
        b: int,
        attribution: Range,
        stance: Stance = Stance.declines_to_comment,
    ) -> None:
        """A statement whose words are the cue itself ("declined to comment on the report")."""
        self.attrs.append(
            Attr(
                quote=self._range(a, b),
                mode=QuoteMode.indirect,
                stance=stance,
                cue=cue.word,
                sentence=self.s.index,
                paragraph=self.s.paragraph,
                speaker=speaker,
                attribution=attribution,
                group=next(self.groups),
            )
        )
        self.used.add(cue.i)

    def _coordinated(self, i: int) -> tuple[Mention, int] | None:
        """ "... and said", ", adding that": the speaker of the verb before."""
        toks = self.toks
        while i > 1 and toks[i - 1].kind == "w" and not toks[i - 1].cap:
            if not (toks[i - 1].low.endswith("ly") and len(toks[i - 1].low) > 5):
                break
            i -= 1  # "..., but strongly suggested": the adverb belongs to the verb
        prev = toks[i - 1] if i > 0 else None
        if prev is None or not (prev.low in ("and", "but") or prev.text == ","):
            return None
        if self.attrs and self.attrs[-1].speaker is not None:
            return self.attrs[-1].speaker, i
        if self.subject is not None:
            return self.subject, i
        return self.speakers.subject(i)

    def _resume(self, k: int) -> None:
        """'"We will not," she said, "back down."': a comma and a quotation at token K, after an
        attribution, are the rest of the quotation before it (the same statement)."""
        toks = self.toks
        if not self.attrs or k + 1 >= self.n or toks[k].text != "," or toks[k + 1].kind != "q":
            return
        a, b = toks[k + 1].inner
        while b > a and self.text[b - 1] in ",;: ":
            b -= 1
        if b > a:
            last, notes = self.attrs[-1], ["the quotation goes on after its attribution"]
            self.attrs.append(
                replace(last, quote=(a, b), attribution=None, joined=True, notes=notes)
            )

    def _as_words(
        self, cue: Cue, speaker: Mention, m: int, attribution: Range, inherit: bool = False
    ) -> None:
        """What follows the "as" at M ("described it as reckless"), to the next comma; a
        quotation alone there is quoted as it is ("as 'cordial'")."""
        toks, n = self.toks, self.n
        if m + 1 < n and toks[m + 1].kind == "q":
            run = self.quoted_run(m + 1)
            after = next((k for k in range(m + 2, n) if toks[k].end > run.end), n)
            if after >= n or toks[after].kind == "p" or toks[after].low in ("and", "but"):
                self._emit(cue, speaker, [], run, attribution, inherit=inherit)
                return
        end = m + 1
        while end < n and toks[end].text not in ",;":
            end += 1
        self._emit(cue, speaker, [(m + 1, end - 1)], None, attribution, inherit=inherit)


# Prepositions that open a phrase saying what a statement was about or whom it was for, not
# what was said: "replied to the criticism", "wrote about the talks", "said in a note to clients".
_TOPIC_LEADS = wordset("to about at with from for")
_FINITE_WORDS = wordset("is are was were has have had will would")


def _only_a_phrase(words: list[Tok]) -> bool:
    """Whether WORDS are a short prepositional phrase with no verb: no statement."""
    if words and words[0].low == "about":
        return True  # "wrote about the talks in his book, titled '...'": the topic, at length
    if not words or words[0].low not in _TOPIC_LEADS or len(words) > 12:
        return False
    if words[0].low == "to" and len(words) > 1 and not _np_opening(words[1]):
        return False  # "vows to publish the accounts": an infinitive, what was vowed
    return not any(t.kind == "q" or t.low in _FINITE_WORDS for t in words)


_NP_OPENERS = wordset("the a an this that these those his her its their our my your some any all")


def _np_opening(t: Tok) -> bool:
    """Whether T opens a noun phrase (after "to"), as a verb would not."""
    return t.cap or t.low in _NP_OPENERS or t.text[:1].isdigit() or t.low.endswith("s")

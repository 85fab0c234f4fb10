"""Attributions in one sentence: who is reported as saying what, found from each cue."""

from collections.abc import Iterator

from app.extract import lexicon as lx
from app.extract.clauses import (
    PP_LEADS,
    clause_end,
    quote_before,
    skip_after,
    skip_report_object,
    skip_to_that,
    trim,
)
from app.extract.cues import Cue, find_cues
from app.extract.lexicon import wordset
from app.extract.model import Attr, Mention, Range
from app.extract.phrases import np_end, np_start
from app.extract.segment import Sentence
from app.extract.speakers import Speakers, mentions_role
from app.extract.tokens import Tok
from app.models.enums import QuoteMode, Stance

_DOCUMENT_NOUNS = wordset(
    """figures data estimates estimate results statistics report statement documents survey
    study research filing filings records memo document letter email"""
)


class SentenceReader:
    """Finds the attributions of one sentence."""

    def __init__(self, text: str, sentence: Sentence, groups: Iterator[int]) -> None:
        self.text = text
        self.s = sentence
        self.toks = sentence.toks
        self.n = len(self.toks)
        self.groups = groups
        self.attrs: list[Attr] = []
        self.covered: list[tuple[int, int]] = []  # token ranges already taken as what was said
        self.used: set[int] = set()
        self.speakers = Speakers(text, self.toks, sentence.index)

    def read(self) -> list[Attr]:
        """Every attribution the sentence makes."""
        if not self.toks:
            return []
        cues = find_cues(self.toks)
        for cue in cues:
            self._parenthetical(cue)
        # "..., according to the sources." covers the clause before it: a verb inside that
        # clause ("after the Americans insisted that ...") is part of what they said.
        for cue in reversed(cues):
            if cue.i not in self.used and not self._inside(cue.i) and self._trailing(cue):
                self._read_cue(cue)
        for cue in cues:
            if cue.i not in self.used and not self._inside(cue.i):
                self._read_cue(cue)
        if not cues:
            self._verbless()
        return self.attrs

    # -- helpers ----------------------------------------------------------------------------

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

    # -- the patterns ---------------------------------------------------------------------

    def _parenthetical(self, cue: Cue) -> None:
        """ ", the source said, would not engage ...": a short attribution between commas."""
        toks, i = self.toks, cue.i
        if cue.kind != "verb" or cue.word not in lx.INVERTIBLE | {"note", "notes", "say", "says"}:
            return
        after = skip_after(self.toks, i + 1)
        if after >= self.n - 1 or toks[after].text != ",":
            return
        a = np_start(toks, i - 1, 0)
        if a is None or a < 2 or toks[a - 1].text != "," or i - a > 8:
            return
        before = (0, a - 2)
        rest = clause_end(self.toks, after + 1)
        if not rest or toks[after + 1].kind == "q":
            return
        speaker = self._mention(a, i - 1)
        nxt = toks[after + 1]
        # "..., the people said, asking not to be named": a participle is not what was said.
        pieces = [] if nxt.kind == "w" and nxt.low.endswith("ing") else list(rest)
        words_before = sum(1 for t in toks[: a - 1] if t.kind == "w")
        if words_before > 3 and toks[0].kind != "q":
            pieces.insert(0, before)
        if not pieces:
            return
        self._emit(cue, speaker, pieces, None, self._range(a, i), joined=True)
        self.covered.append((0, self.n))

    def _trailing(self, cue: Cue) -> bool:
        """Whether CUE attributes the clause before it and ends the sentence."""
        toks, n = self.toks, self.n
        if cue.kind == "according":
            e = np_end(toks, cue.j + 1, n)
            return cue.i > 1 and toks[cue.i - 1].text == "," and e is not None and e >= n - 2
        if cue.kind != "verb" or cue.j < n - 2 or (cue.j == n - 2 and toks[n - 1].kind != "p"):
            return False
        found = self.speakers.left_of(cue.i)
        return found is not None and found[1] >= 2 and toks[found[1] - 1].text == ","

    def _read_cue(self, cue: Cue) -> None:
        if cue.kind == "according":
            self._according(cue)
        elif cue.kind == "decline":
            self._decline(cue)
        elif cue.kind == "quoted":
            self._quoted(cue)
        elif cue.kind == "nominal":
            self._nominal(cue)
        else:
            self._verb(cue)

    def _according(self, cue: Cue) -> None:
        toks, n = self.toks, self.n
        first = cue.j + 1
        # "according to figures from the WHO", "according to results released by the company"
        k = first + (first < n and toks[first].low in ("a", "an", "the"))
        if k < n and toks[k].bare in _DOCUMENT_NOUNS:
            for m in range(k + 1, min(n, k + 4)):
                if toks[m].low in ("from", "by", "of"):
                    first = m + 1
                    break
        e = np_end(toks, first, n)
        if e is None:
            return
        speaker = self._mention(first, e)
        attribution = self._range(cue.i, e)
        if cue.i > 0 and toks[cue.i - 1].text == ",":
            self._emit(cue, speaker, [(0, cue.i - 2)], None, attribution)
        elif e + 1 < n and toks[e + 1].text == ",":
            self._emit(cue, speaker, clause_end(self.toks, e + 2), None, attribution)

    def _decline(self, cue: Cue) -> None:
        found = self.speakers.left_of(cue.i)
        if found is None:
            found = self._coordinated(cue.i)
            if found is None:
                return
        speaker, first = found
        toks, n, k = self.toks, self.n, cue.j + 1
        # The object: "on the outbreak", "to a request for comment", "whether quotas were ...".
        if k < n and toks[k].low in ("on", "to", "about", "whether", "if", "when", "publicly"):
            limit = n if toks[k].low in ("whether", "if", "when") else min(n, k + 6)
            start = k
            while k < limit and toks[k].text not in ",;." and toks[k].low not in ("that", "but"):
                if toks[k].possessive and k + 1 < n and toks[k + 1].bare in lx.REPORT_NOUNS:
                    k = start  # "declined to comment on the Courier's claim that ...": a
                    break  # statement of its own follows, not the object
                k += 1
            if k > start and toks[k - 1].low in ("the", "a"):
                k -= 1
        end = k - 1
        self._emit_span(cue, speaker, cue.i, end, self._range(first, max(first, cue.i - 1)))

    def _emit_span(self, cue: Cue, speaker: Mention, a: int, b: int, attribution: Range) -> None:
        """A statement whose words are the cue itself ("declined to comment on the report")."""
        self.attrs.append(
            Attr(
                quote=self._range(a, b),
                mode=QuoteMode.indirect,
                stance=Stance.declines_to_comment,
                cue=cue.word,
                sentence=self.s.index,
                paragraph=self.s.paragraph,
                speaker=speaker,
                attribution=attribution,
                group=next(self.groups),
            )
        )
        self.used.add(cue.i)

    def _quoted(self, cue: Cue) -> None:
        """ "Reuters quoted three sources ... as saying that X": the sources said X."""
        toks, n = self.toks, self.n
        e = np_end(toks, cue.j + 1, n)
        if e is None:
            return
        k = e + 1
        while k < n and toks[k].low in ("as", "saying", "that"):
            self.used.add(k)  # "as saying" is part of this cue, not a cue of its own
            k += 1
        speaker = self._mention(cue.j + 1, e)
        start = np_start(toks, cue.i - 1, 0)
        self._emit(cue, speaker, clause_end(self.toks, k), None, self._range(start or cue.i, k - 1))

    def _nominal(self, cue: Cue) -> None:
        """ "the Courier's claim that X": the Courier said X."""
        owner = cue.i - 1
        a = np_start(self.toks, owner, 0)
        if a is None:
            return
        speaker = self._mention(a, owner)
        self._emit(cue, speaker, clause_end(self.toks, cue.i + 2), None, self._range(a, cue.i + 1))

    def _verb(self, cue: Cue) -> None:
        toks, n, i = self.toks, self.n, cue.i
        found = self.speakers.left_of(i)
        if found is None and cue.word in lx.INVERTIBLE and self._inverted(cue):
            return
        if found is None:
            found = self._coordinated(i)
            if found is None:
                return
            speaker, first, inherit = found[0], found[1], True
        else:
            speaker, first = found
            inherit = False
        # After the verb: a recipient, adverbial phrases, then what was said.
        recipient = None
        k = cue.j + 1
        if cue.word in ("told", "tell", "tells", "telling") and k < n and toks[k].kind == "w":
            e = np_end(toks, k, n)
            if e is not None and toks[e].low not in lx.SUBJECT_PRONOUNS:
                recipient = self._mention(k, e)
                k = e + 1
        k = skip_after(self.toks, k)
        if cue.word in ("told", "tell", "tells", "telling") or (k < n and toks[k].low in PP_LEADS):
            k = skip_to_that(self.toks, k)
        c = k + 1 if k < n and toks[k].text == "," else k
        if c < n and toks[c].kind == "w" and toks[c].low in ("citing", "quoting"):
            e = np_end(toks, c + 1, n)
            if e is not None:  # "Meridian Wire reported, citing two people ...": they said it
                speaker, inherit = self._mention(c + 1, e), False
                k = e + 1
        attribution = self._range(first, max(k - 1, cue.j))
        before = quote_before(self.toks, first)
        if before is not None:
            self._emit(cue, speaker, [], before, attribution, recipient, inherit)
            return
        while k < n and toks[k].kind == "p" and toks[k].text in ",:":
            k += 1
        if k < n and toks[k].kind == "q":
            self._emit(cue, speaker, [], toks[k], attribution, recipient, inherit)
            return
        k = skip_report_object(self.toks, cue, k)
        if k >= n or (k == n - 1 and toks[k].kind == "p"):
            # "..., three Russian sources told Reuters.": what was said came first.
            if first >= 2 and toks[first - 1].text == ",":
                self._emit(cue, speaker, [(0, first - 2)], None, attribution, recipient, inherit)
            return
        if toks[k].low in ("whether", "that"):
            k += 1
        if (
            k < n
            and toks[k].kind == "q"
            and (k + 1 == n or (toks[k + 1].kind == "p" and k + 2 >= n))
        ):
            # "said that `contacts did not yield results`.": the words are the speaker's own.
            self._emit(cue, speaker, [], toks[k], attribution, recipient, inherit)
            return
        self._emit(cue, speaker, clause_end(self.toks, k), None, attribution, recipient, inherit)

    def _inverted(self, cue: Cue) -> bool:
        """'"...," said a Russian source.' / '..., said Putin.': the speaker after the verb."""
        toks, n, i = self.toks, self.n, cue.i
        if i == 0 or not (toks[i - 1].kind == "q" or toks[i - 1].text == ","):
            return False
        e = np_end(toks, cue.j + 1, n)
        rest = [t for t in toks[e + 1 :] if t.kind != "p"] if e is not None else []
        if e is None or (rest and toks[e + 1].text != ","):
            return False  # '..., said Mr. Putin had ...' is not '..., said Putin.'
        appositive = None
        last = e
        if e + 2 < n and toks[e + 1].text == ",":
            last = n - 1 if toks[n - 1].kind == "w" else n - 2
            appositive = (e + 2, last)
        speaker = self._mention(cue.j + 1, e, appositive=appositive, whole=(cue.j + 1, last))
        attribution = self._range(i, e)
        before = toks[i - 1] if toks[i - 1].kind == "q" else None
        if before is None and i >= 2 and toks[i - 2].kind == "q":
            before = toks[i - 2]
        if before is not None:
            self._emit(cue, speaker, [], before, attribution)
        elif i >= 2:
            self._emit(cue, speaker, [(0, i - 2)], None, attribution)
        return True

    def _coordinated(self, i: int) -> tuple[Mention, int] | None:
        """ "... and said", ", adding that": the speaker of the verb before."""
        toks = self.toks
        prev = toks[i - 1] if i > 0 else None
        if prev is None or not (prev.low in ("and", "but") or prev.text == ","):
            return None
        if self.attrs and self.attrs[-1].speaker is not None:
            return self.attrs[-1].speaker, i
        return self.speakers.subject(i)

    def _verbless(self) -> None:
        """'"The contacts came to nothing," a senior Russian source with knowledge ...': no verb."""
        toks, n = self.toks, self.n
        if n < 3 or toks[0].kind != "q":
            return
        k = 2 if toks[1].text == "," else 1
        e = np_end(toks, k, n)
        last = n - 2 if toks[n - 1].kind == "p" else n - 1
        if e is None or e < last - 1 or not any(mentions_role(t) for t in toks[k : e + 1]):
            return
        speaker = self._mention(k, last)
        cue = Cue(k, k, "", Stance.asserts, "verb")
        self._emit(cue, speaker, [], toks[0], self._range(k, last))

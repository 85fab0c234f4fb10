"""The rarer shapes of attribution: "according to", refusals to comment, "X quoted Y as saying",
"X's claim that", parenthetical "..., the source said, ...", and quotations with no verb."""

from app.extract import lexicon as lx
from app.extract.clauses import clause_end, said_before, skip_after, skip_to_that, to_whom_end
from app.extract.cues import Cue
from app.extract.lexicon import wordset
from app.extract.phrases import np_end, np_start
from app.extract.reading import ReaderBase
from app.extract.speakers import mentions_role
from app.extract.tokens import Tok
from app.models.enums import Stance

# Words that start the object of a refusal: "on the outbreak", "to a request for comment".
_OBJECT_LEADS = wordset(
    "on to about whether if when publicly the reports report while until pending"
)
# What a refusal withholds: "declined to provide any details", "refused to give further figures".
_DETAIL_LEADS = wordset("any further more additional specific")
_DETAIL_NOUNS = wordset("details detail information specifics figures numbers names")
_CLAUSE_OBJECTS = wordset("whether if when while until why how")
_DOCUMENT_NOUNS = wordset(
    """figures data estimates estimate results statistics report statement documents survey
    study research filing filings records memo document letter email"""
)


class PatternReader(ReaderBase):
    """The patterns other than a plain verb of saying."""

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

    def _according(self, cue: Cue) -> None:
        toks, n = self.toks, self.n
        found = self.according_speaker(cue)
        if found is None:
            return
        first, e, end = found
        speaker = self._mention(first, e)
        attribution = self._range(cue.i, end)
        if cue.i > 0 and toks[cue.i - 1].text == ",":
            self._emit(cue, speaker, said_before(toks, cue.i - 2), None, attribution)
        elif end + 1 < n and toks[end + 1].text == ",":
            self._emit(cue, speaker, clause_end(self.toks, end + 2), None, attribution)

    def according_speaker(self, cue: Cue) -> tuple[int, int, int] | None:
        """Who "according to" names: where the phrase starts and ends, and where the
        attribution ends ("according to an emailed statement from Ostra to the Gazette":
        Ostra, sent to the Gazette)."""
        toks, n = self.toks, self.n
        first = cue.j + 1
        # "according to figures from the WHO", "according to results released by the company"
        k = first + (first < n and toks[first].low in ("a", "an", "the"))
        if k + 1 < n and toks[k].bare not in _DOCUMENT_NOUNS and not toks[k].cap:
            k += toks[k + 1].bare in _DOCUMENT_NOUNS  # "an emailed statement from Ostra"
        if k < n and toks[k].bare in _DOCUMENT_NOUNS:
            for m in range(k + 1, min(n, k + 4)):
                if toks[m].low in ("from", "by", "of"):
                    first = m + 1
                    break
        owner = first + (first < n and toks[first].low == "the")
        caps = owner
        while caps < n and toks[caps].kind == "w" and toks[caps].cap and not toks[caps].possessive:
            caps += 1
        if caps > owner and caps < n and toks[caps].bare in lx.REPORT_NOUNS | _DOCUMENT_NOUNS:
            # "according to the HT report", "according to the Nordwire statement": whose it is
            return owner, caps - 1, to_whom_end(toks, caps)
        e = np_end(toks, first, n)
        if e is None and first < n and toks[first].low in ("them", "him", "her"):
            e = first  # "According to them, ...": the speakers named before
        if e is None:  # "according to The Courier's summary": a one-word owner in 's
            e = next(
                (k for k in range(first, min(n, first + 3)) if toks[k].possessive and toks[k].cap),
                None,
            )
        if e is None:
            return None
        last = n - 2 if toks[n - 1].kind == "p" else n - 1
        rest = toks[e + 1 : last + 1]
        if (
            (toks[e].possessive or (rest and rest[0].possessive))
            and 0 < len(rest) <= 6
            and all(t.kind == "w" for t in rest)
        ):
            e = last  # "according to The Courier's summary of the memoir"
        return first, e, to_whom_end(toks, e)

    def _decline(self, cue: Cue) -> None:
        found = self.speakers.left_of(cue.i)
        if found is None:
            found = self._coordinated(cue.i)
            if found is None:
                return
        speaker, first = found
        toks, n, k = self.toks, self.n, cue.j + 1
        # "declined to provide any details", "refused to give further information"
        if k + 1 < n and toks[k].low in _DETAIL_LEADS and toks[k + 1].low in _DETAIL_NOUNS:
            k += 2
        elif k < n and toks[k].low in _DETAIL_NOUNS:
            k += 1
        # The object: "on the outbreak", "to a request for comment", "whether quotas were ...".
        returned = cue.word.endswith(("return", "returned")) and k < n and toks[k].kind == "w"
        if returned or (k < n and toks[k].low in _OBJECT_LEADS):
            # A clause runs to the sentence's end: "whether ...", "while the trial was under
            # way", "on whether an inquiry would be opened".
            clause = toks[k].low in _CLAUSE_OBJECTS or (
                k + 1 < n and toks[k + 1].low in _CLAUSE_OBJECTS
            )
            limit = n if clause else min(n, k + 6)
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

    def _quoted(self, cue: Cue) -> None:
        """ "Reuters quoted three sources ... as saying that X": the sources said X."""
        toks, n = self.toks, self.n
        e = np_end(toks, cue.j + 1, n)
        if e is None:
            return
        for m in range(cue.j + 2, e + 1):  # "an aide indicating that ...": the aide, then that
            if toks[m].low in _SAYING and m + 1 < n and toks[m + 1].low == "that":
                e = m - 1
                break
        k = e + 1
        while k < n and (toks[k].low in ("as", "that") or toks[k].low in _SAYING):
            self.used.add(k)  # "as saying" is part of this cue, not a cue of its own
            k += 1
        if k < n and toks[k - 1].low in _SAYING and toks[k].low in ("in", "on"):
            # "as writing in a memoir that ...": where it was written is not what was
            that = skip_to_that(toks, k)
            k = that + 1 if that > k else k
        speaker = self._mention(cue.j + 1, e)
        start = np_start(toks, cue.i - 1, 0)
        self._emit(cue, speaker, clause_end(self.toks, k), None, self._range(start or cue.i, k - 1))

    def _fronted(self, cues: list[Cue]) -> None:
        """ "Denying that the terminal was for sale, the port authority said ...": the clause
        of a participle of saying that opens the sentence is the subject's statement."""
        toks, n = self.toks, self.n
        if n < 6 or toks[1].low != "that" or not toks[0].low.endswith("ing"):
            return
        stance = lx.CUE_STANCE.get(toks[0].low)
        if stance is None and toks[0].low in _FRONTED_ASSERTS:
            stance = Stance.asserts
        comma = next((k for k in range(2, n) if toks[k].text == ","), None)
        if stance is None or comma is None or comma < 4:
            return
        # The subject: the speaker of the verb of saying after the comma, else a noun phrase
        # and a verb ("Insisting that ..., Roos left the room").
        verb = next((c for c in cues if c.i > comma + 1), None)
        found = self.speakers.left_of(verb.i) if verb is not None else None
        if found is not None and found[1] == comma + 1:
            speaker = found[0]
        else:
            e = np_end(toks, comma + 1, n)
            if e is None or e + 1 >= n or toks[e + 1].kind != "w":
                return
            speaker = self._mention(comma + 1, e)
        cue = Cue(0, 1, toks[0].low, stance, "verb")
        self._emit(cue, speaker, [(2, comma - 1)], None, self._range(0, 0))

    def _quoted_passive(self, cue: Cue) -> None:
        """'"No," Peskov was quoted by the outlet RBC as saying.' / 'X was quoted as saying
        that ...': X said it, and the outlet that quoted X is the channel."""
        toks, n, i = self.toks, self.n, cue.i
        found = self.speakers.left_of(i - 1)
        if found is None:
            return
        speaker, first = found
        k = i + 1
        via = None
        if k < n and toks[k].low == "by":
            e = np_end(toks, k + 1, n)
            if e is not None:
                via = self._mention(k + 1, e)
                k = e + 1
        while k < n and toks[k].low in ("as", "saying", "that"):
            self.used.add(k)
            k += 1
        before = len(self.attrs)
        attribution = self._range(first, k - 1)
        if 1 <= first <= 2 and toks[0].kind == "q":
            self._emit(cue, speaker, [], toks[0], attribution)
        elif k < n - 1 and toks[k].kind == "w":
            self._emit(cue, speaker, clause_end(toks, k), None, attribution)
        for a in self.attrs[before:]:
            a.via = via.name or via.core if via is not None else None

    def _doubt(self, cue: Cue) -> None:
        """ "it quotes a council planner casting doubt on the deal", "an official who cast
        doubt on the sale": the official questions it, in the words that say so."""
        toks, n, i = self.toks, self.n, cue.i
        at = i - 1 if i >= 2 and toks[i - 1].low == "who" else i
        found = self.speakers.left_of(at)
        if found is None:
            return
        speaker, first = found
        end = cue.j + 1
        while end + 1 < n and toks[end + 1].kind == "w" and toks[end + 1].low not in _PHRASE_ENDS:
            end += 1
        self._emit_span(cue, speaker, i, end, self._range(first, at - 1), cue.stance)

    def _passive_as(self, cue: Cue) -> None:
        """ "The claims were dismissed as baseless by the ministry", "The report was rejected by
        the ministry as 'propaganda'": the agent called it what follows "as"."""
        toks, n = self.toks, self.n
        by = next(k for k in range(cue.j + 1, n) if toks[k].low == "by")
        e = np_end(toks, by + 1, n)
        if e is None:
            return
        speaker = self._mention(by + 1, e)
        a = next(k for k in range(cue.j + 1, n) if toks[k].low == "as")
        if a + 1 >= n:
            return
        if toks[a + 1].kind == "q":
            self._emit(cue, speaker, [], self.quoted_run(a + 1), self._range(cue.i, e))
            return
        end = a + 1
        while end + 1 < n and toks[end + 1].kind == "w" and toks[end + 1].low != "by":
            end += 1
        self._emit(cue, speaker, [(a + 1, end)], None, self._range(cue.i, e))

    def _nominal(self, cue: Cue) -> None:
        """ "the Courier's claim that X": the Courier said X."""
        owner = cue.i - 1
        a = np_start(self.toks, owner, 0)
        if a is None:
            return
        speaker = self._mention(a, owner)
        self._emit(cue, speaker, clause_end(self.toks, cue.i + 2), None, self._range(a, cue.i + 1))

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

    def _described_as(self, cue: Cue) -> None:
        """ "his invasion, which Kyiv and its allies described as an unprovoked act, was ...": a
        statement of its own inside someone else's words."""
        toks, n, i = self.toks, self.n, cue.i
        r = next((k for k in range(i - 1, max(-1, i - 8), -1) if toks[k].low == "which"), None)
        if r is None or r + 1 > i - 1 or any(t.kind != "w" for t in toks[r + 1 : i]):
            return
        if i + 1 < n and toks[i + 1].kind == "q":
            self._emit(cue, self._mention(r + 1, i - 1), [], toks[i + 1], self._range(r, i))
            return
        if i + 2 < n and toks[i + 1].low == "as":
            self._as_words(cue, self._mention(r + 1, i - 1), i + 1, self._range(r, i + 1))

    def _colon(self) -> None:
        """A headline's "Minister: no deal on tariffs" (or 'Peskov: "We never offered a
        truce"'): a speaker, a colon, and what was said."""
        toks, n = self.toks, self.n
        c = next((k for k in range(1, min(n, 6)) if toks[k].text == ":"), None)
        headline = self.s.paragraph == 0 or toks[n - 1].kind != "p"
        if c is None or c + 1 >= n or not (headline or toks[c + 1].kind == "q"):
            return
        if np_end(toks, 0, c) != c - 1 or not any(_names_speaker(t) for t in toks[:c]):
            return
        if any(ch.isdigit() for t in toks[:c] for ch in t.text):
            return  # "PIC12-3 OSLO:", "Day 3:": a picture's code or a label, no speaker
        cue = Cue(c, c, "", Stance.asserts, "verb")
        speaker, attribution = self._mention(0, c - 1), self._range(0, c)
        if toks[c + 1].kind == "q" and c + 2 >= n - 1:
            self._emit(cue, speaker, [], toks[c + 1], attribution)
        else:
            self._emit(cue, speaker, [(c + 1, n - 1)], None, attribution)

    def _colon_speaker_after(self) -> None:
        """A headline's "Two leaders met in secret: Harun Kavi" (or "...: minister"): what was
        said, a colon, and the speaker, a name or a role of a few words that ends the line."""
        toks, n = self.toks, self.n
        if n < 6 or toks[n - 1].kind != "w" or self.s.paragraph > 2:
            return  # a headline has no full stop, and opens the text
        c = next((k for k in range(n - 2, max(3, n - 6), -1) if toks[k].text == ":"), None)
        if c is None or any(t.text == ":" for t in toks[:c]):
            return
        after = toks[c + 1 :]
        if np_end(toks, c + 1, n) != n - 1 or any(t.kind != "w" for t in after):
            return
        named = len(after) >= 2 and all(t.cap for t in after)
        role = after[-1].bare in lx.PERSON_ROLES or after[-1].bare in lx.ORG_ROLES
        if not (named or role) or after[-1].bare in lx.REPORT_NOUNS or after[-1].low in _LABELS:
            return
        if any(ch.isdigit() for t in after for ch in t.text):
            return
        if sum(t.kind == "w" for t in toks[:c]) < 4:
            return
        cue = Cue(c, c, "", Stance.asserts, "verb")
        self._emit(cue, self._mention(c + 1, n - 1), [(0, c - 1)], None, self._range(c + 1, n - 1))

    def _by_agent(self, cue: Cue) -> bool:
        """ "The talks, described by diplomats as 'cordial', ...": the speaker after "by"."""
        toks, n, i = self.toks, self.n, cue.i
        if cue.word not in lx.NEEDS_AS or i + 2 >= n or toks[i + 1].low != "by":
            return False
        e = np_end(toks, i + 2, n)
        if e is None:
            return False
        speaker = self._mention(i + 2, e)
        for m in range(e + 1, min(n, e + 3)):
            if toks[m].kind == "q":
                self._emit(cue, speaker, [], toks[m], self._range(i, e))
                return True
            if toks[m].low == "as":
                self._as_words(cue, speaker, m, self._range(i, m))
                return True
        return False


def _names_speaker(t: Tok) -> bool:
    """Whether a word before a headline's colon can name a speaker: a role or a name, but not a
    label such as "Update" or "Live"."""
    return mentions_role(t) and t.low not in _LABELS


_LABELS = wordset(
    """update updated live breaking watch explainer analysis opinion exclusive video credit
    credits photo photos picture pictures image images caption source sources read"""
)
_FRONTED_ASSERTS = wordset("declaring stressing announcing arguing explaining")
_PHRASE_ENDS = wordset("and but while as which who that")
_SAYING = wordset("saying indicating claiming insisting warning suggesting writing stating")

"""What a speaker calls a report: "dismissed the report about X as 'pure fantasy'", "called
it 'absurd' and 'baseless'", "calling it a complete lie", "said the story was 'made up'". The
speaker's words are the verdict, not the reporter's description of what it is passed on."""

from app.extract import lexicon as lx
from app.extract.cues import Cue
from app.extract.model import Mention, Range
from app.extract.patterns import PatternReader
from app.extract.tokens import Tok
from app.models.enums import Stance

# The longest object (in tokens) kept in a denial's words before "as '...'".
_SHORT_OBJECT = 5
# The most words a quoted verdict on a report has ("simply false information").
_VERDICT_WORDS = 4
_COPULAS = lx.wordset("is was are were")
# What a verdict is passed on, beside the report nouns: "the column was 'made up'".
_REPORTED = lx.wordset("content contents article book information news piece column")
# Words that show an object described at length: "the account of the dinner".
_OWNER_WORDS = lx.wordset("about of on by in from over")
# Words that end the object of "called" before what it was called: "the report about the call".
_OBJECT_ENDS = lx.wordset("call meeting conversation talks deal story article report book")
_PRONOUNS = lx.wordset("it them this")
# How far after the verb a report's object may run before "as" ("termed the reports of ... as").
_OBJECT_REACH = 30
# Words before a term quoted inside an object: "reports of a 'secret deal' between".
_OBJECT_LEADS = lx.wordset("a an the of about on over")


class VerdictReader(PatternReader):
    """The verdicts a speaker passes on a report."""

    def _verdict(self, pieces: list[tuple[int, int]]) -> tuple[Tok, Stance | None] | None:
        """ "said the report was 'simply false'", "said the mill 'firmly rejects' the
        report": the speaker's own words are the quotation, a verdict on a report (or a verb of
        denial on it); the reporter's words around it are not theirs. The quotation, and the
        stance of a quoted verb of denial."""
        if not pieces:
            return None
        toks = self.toks
        a, b = pieces[0]
        qs = [m for m in range(a, b + 1) if toks[m].kind == "q"]
        if not qs:
            return None
        run = self.quoted_run(qs[0])
        last = max(m for m in range(a, b + 1) if toks[m].start < run.end)
        rest = []  # the words after the quotation, to a comma (", the agency reported")
        for t in toks[last + 1 : b + 1]:
            if t.text == "," or (t.kind == "q" and self.text[t.inner[1] - 1 : t.inner[1]] == ","):
                break
            if t.kind != "p":
                rest.append(t)
        if self.text[run.inner[1] - 1 : run.inner[1]] == ",":
            rest = []  # '"fictional," the paper reported
        before = toks[a : qs[0]]
        if any(t.kind != "w" for t in before) or not before:
            return None
        low = self.text[run.inner[0] : run.inner[1]].lower().split()
        if len(low) > _VERDICT_WORDS:
            return None  # a quoted sentence of their own is said with its subject
        if (
            not rest
            and before[-1].low in _COPULAS
            and any(t.bare in lx.REPORT_NOUNS or t.bare in _REPORTED for t in before)
        ):
            return run, None  # "the column was 'made up'"
        if (
            low
            and lx.CUE_STANCE.get(low[-1]) == Stance.denies
            and any(t.bare in lx.REPORT_NOUNS or t.bare in _REPORTED for t in rest)
        ):
            return run, Stance.denies  # 'the mill "firmly rejects" the story'
        return None

    def _named_as(
        self, cue: Cue, speaker: Mention, k: int, attribution: Range, inherit: bool
    ) -> bool:
        """ "called the report 'not true'", "described the deal as fair": the words are the
        quotation, or what follows "as" (to the next comma)."""
        toks, n = self.toks, self.n
        for m in range(k, min(n, k + _OBJECT_REACH)):
            if toks[m].kind == "q" and not self._in_object(m):
                if m - k >= 8:
                    break
                self._emit(cue, speaker, [], self.quoted_run(m), attribution, inherit=inherit)
                return True
            if toks[m].low == "as":
                if self._report_as_word(m, k):
                    # "termed the reports of a deal as baseless": a word the reporter chose
                    # says nothing alone; what was said is the object and the verdict on it
                    end = m + 1
                    while end + 1 < n and toks[end + 1].kind == "w" and toks[end + 1].low != "but":
                        end += 1
                    self._emit(cue, speaker, [(k, end)], None, attribution, inherit=inherit)
                    return True
                if m - k >= 8:
                    break
                self._as_words(cue, speaker, m, attribution, inherit)
                return True
            if toks[m].kind == "p":
                break
        return self._called_what(cue, speaker, k, attribution, inherit)

    def _in_object(self, m: int) -> bool:
        """Whether the quotation at M is a term inside the object, not what it was called:
        "termed claims of a 'quiet bargain' struck by the two as baseless"."""
        toks, n = self.toks, self.n
        before = toks[m - 1] if m > 0 else None
        after = toks[m + 1] if m + 1 < n else None
        if before is None or before.kind != "w" or before.low not in _OBJECT_LEADS:
            return False
        return after is not None and after.kind == "w" and after.low not in ("and", "but", "as")

    def _report_as_word(self, m: int, k: int) -> bool:
        """Whether the "as" at M follows a report described at length and comes before an
        unquoted word of denial: "the reports of a secret deal ... as baseless"."""
        toks = self.toks
        if m + 1 >= self.n or toks[m + 1].kind != "w" or toks[m + 1].low not in lx.DENIAL_WORDS:
            return False
        obj = toks[k:m]
        return any(t.bare in lx.REPORT_NOUNS for t in obj) and any(
            t.low in _OWNER_WORDS for t in obj
        )

    def _called_what(
        self, cue: Cue, speaker: Mention, k: int, attribution: Range, inherit: bool
    ) -> bool:
        """ "calling the account of the dinner a complete lie", "called the report
        false": what the speaker called it is what was said, from the words before the word of
        denial back to the object's noun (or a determiner) when the object is described at
        length; a short object ("the allegation false") stays in the words."""
        toks, n = self.toks, self.n
        d = next(
            (m for m in range(k, min(n, k + 14)) if toks[m].low in lx.DENIAL_WORDS),
            None,
        )
        if d is None or any(t.kind != "w" for t in toks[k:d]):
            return False
        a = d
        while a - 1 > k and toks[a - 1].bare not in lx.REPORT_NOUNS | _PRONOUNS:
            if toks[a - 1].low in ("a", "an"):
                a -= 1
                break
            if toks[a - 1].low in _OBJECT_ENDS or toks[a - 1].cap:
                break
            a -= 1
        if not any(t.low in _OWNER_WORDS for t in toks[k:a]):
            a = k  # "called the allegation false": a short object stays in the words
        end = d
        while end + 1 < n and toks[end + 1].kind == "w" and toks[end + 1].low != "but":
            if toks[end + 1].low == "and" and end + 2 < n and toks[end + 2].low in lx.CUE_STANCE:
                break  # "called it false and said ...": another statement
            end += 1
        self._emit(cue, speaker, [(a, end)], None, attribution, inherit=inherit)
        return True

    def _dismissed_as(
        self, cue: Cue, speaker: Mention, k: int, attribution: Range, inherit: bool
    ) -> bool:
        """ "dismissed a report about a new stadium by a local developer as 'pure
        fantasy'": the words the speaker called it are what was said; the reporter's long
        description of what was dismissed is not. A short object ("dismissed the complaint as
        '...'") or one holding the claim itself ("the claim that ...") stays in the words."""
        toks, n = self.toks, self.n
        for m in range(k, min(n - 1, k + 30)):
            t = toks[m]
            if t.low == "that" or t.kind == "q" or t.text in ";:":
                return False
            if t.low == "as" and toks[m + 1].kind == "q":
                if m - k <= _SHORT_OBJECT:
                    return False
                self._emit(cue, speaker, [], self.quoted_run(m + 1), attribution, inherit=inherit)
                return True
        return False

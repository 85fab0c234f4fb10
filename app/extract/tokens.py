"""Tokens with their offsets in the document, and the forms words are compared in."""

import re
from dataclasses import dataclass, field

# Abbreviations keep their period, so that "Mr. Putin" and "U.S." never end a sentence.
_ABBR = (
    r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Jr|Sr|Inc|Corp|"
    r"Ltd|Co|No|Nos|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|Mt|Ft|Rev|Hon)\."
    r"(?=[\s,;:)\u2019\u201d\"']|$)"
)
_TOKEN = re.compile(
    rf"(?P<a>{_ABBR})|(?P<w>[^\W_]+(?:,\d{{3}})*(?:[\u2019'\-.][^\W_]+)*)|(?P<p>\S)", re.UNICODE
)


@dataclass(slots=True)
class Tok:
    """A word, a punctuation mark, or (kind 'q') a whole quotation with its marks."""

    text: str
    start: int
    end: int
    kind: str  # 'w' word, 'p' punctuation, 'q' quotation
    low: str = ""
    # For a quotation: where its words start and end (inside the marks).
    inner: tuple[int, int] = (0, 0)
    closed: bool = True

    @property
    def cap(self) -> bool:
        return self.kind == "w" and self.text[:1].isupper()

    @property
    def possessive(self) -> bool:
        return self.kind == "w" and (self.low.endswith("'s") and len(self.low) > 2)

    @property
    def bare(self) -> str:
        """The word without a possessive 's."""
        return self.low[:-2] if self.possessive else self.low


@dataclass(slots=True)
class Span:
    """A stretch of the document: a paragraph or a sentence, with its tokens."""

    start: int
    end: int
    toks: list[Tok] = field(default_factory=list)


def normal(word: str) -> str:
    """A word as compared: lower case, typographic apostrophes made plain."""
    return word.lower().replace("\u2019", "'").replace("\u2018", "'")


def tokenize(
    text: str, start: int, end: int, quotes: list[tuple[int, int, int, int, bool]]
) -> list[Tok]:
    """The tokens of TEXT[START:END]; each quotation (open, inner start, inner end, close, closed)
    becomes one token."""
    toks: list[Tok] = []
    at = start
    for q_open, q_start, q_end, q_close, closed in quotes:
        toks += _words(text, at, q_open)
        toks.append(Tok(text[q_open:q_close], q_open, q_close, "q", "", (q_start, q_end), closed))
        at = q_close
    toks += _words(text, at, end)
    return toks


def _words(text: str, start: int, end: int) -> list[Tok]:
    out = []
    for m in _TOKEN.finditer(text, start, end):
        kind = "p" if m.lastgroup == "p" else "w"
        word = m.group()
        out.append(Tok(word, m.start(), m.end(), kind, normal(word)))
    return out


def words_of(text: str) -> list[str]:
    """The lower-cased words of TEXT (numbers included), for matching."""
    return [normal(m.group()) for m in _TOKEN.finditer(text) if m.lastgroup != "p"]


# The endings transliterations of one name vary in: Zelenskyy, Zelensky, Zelenskiy, Zelenskii;
# Dmitry, Dmitri, Dmitriy; Sergei, Sergey.
_TRANSLIT_END = re.compile(r"(?:iy|yy|ii|yi|ij|ei|ey|y|i)$")


def fold_spelling(name: str) -> str:
    """NAME (lower case) with each word's transliteration ending made one: "zelenskiy" and
    "zelenskyy" both give "zelensky". Words of fewer than five letters are left as they are."""
    return " ".join(_TRANSLIT_END.sub("y", w) if len(w) >= 5 else w for w in name.split())

"""Quotation marks: which open, which close, and the stretches of text they enclose."""

import re
from bisect import bisect_left, bisect_right

# (open mark, close mark); straight marks and backticks open and close alike.
_PAIRS = {
    "\u201c": "\u201d",
    "\u201e": "\u201c",
    "\u00ab": "\u00bb",
    "\u2018": "\u2019",
    '"': '"',
    "`": "`",
    "'": "'",
}
_ALL_MARKS = set(_PAIRS) | set(_PAIRS.values())
_MARK = re.compile("[" + re.escape("".join(_ALL_MARKS)) + "]")
_OPENERS_BEFORE = set(" \t([{\u2014\u2013-/:") | {""}
# Longer than this, an unclosed or straight-quoted stretch is not taken as one quotation.
MAX_QUOTE = 5000

Quote = tuple[int, int, int, int, bool]  # open, inner start, inner end, close, closed


def find_quotes(text: str, start: int, end: int) -> list[Quote]:
    """The top-level quotations in TEXT[START:END] (a paragraph), in order.

    A quotation still open at the end of the paragraph runs to its end (unclosed), which is how
    news prints a quotation that continues in the next paragraph, and how unbalanced marks read.
    """
    marks = _Marks(text, start, end)
    found: list[Quote] = []
    i = marks.next_mark(start)
    while i is not None:
        ch = text[i]
        if _opens(text, i, start, end):
            close = marks.closing(i, _PAIRS[ch])
            if close is None:
                if ch in "'\u2018":  # an apostrophe, not a quotation
                    i = marks.next_mark(i + 1)
                    continue
                if end - i - 1 <= MAX_QUOTE:
                    found.append((i, i + 1, end, end, False))
                break
            found.append((i, i + 1, close, close + 1, True))
            i = marks.next_mark(close + 1)
            continue
        i = marks.next_mark(i + 1)
    return [_trimmed(text, q) for q in found if q[2] > q[1]]


class _Marks:
    """Where each quotation mark stands in a paragraph, so that finding a closing mark is a
    bisection, not a scan (a megabyte of apostrophes stays linear)."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.end = text, end
        self.at: dict[str, list[int]] = {}
        self.every = [m.start() for m in _MARK.finditer(text, start, end)]
        for i in self.every:
            self.at.setdefault(text[i], []).append(i)

    def next_mark(self, i: int) -> int | None:
        k = bisect_left(self.every, i)
        return self.every[k] if k < len(self.every) else None

    def closing(self, i: int, close: str) -> int | None:
        """Where the quotation opened at I closes, or None when it does not in this paragraph."""
        candidates = [self._after(close, i)]
        if close == "\u201d":
            candidates.append(self._after('"', i))  # mixed marks: "..." closes all the same
        best: int | None = None
        for positions, k in candidates:
            for j in positions[k : k + 50]:
                if j - i - 1 > MAX_QUOTE:
                    break
                nxt = self.text[j + 1] if j + 1 < self.end else ""
                # An apostrophe inside a word ("Kremlin's") does not close a single quotation.
                if close in "'\u2019" and nxt.isalpha():
                    continue
                best = j if best is None else min(best, j)
                break
        return best

    def _after(self, mark: str, i: int) -> tuple[list[int], int]:
        positions = self.at.get(mark, [])
        return positions, bisect_right(positions, i)


def _opens(text: str, i: int, start: int, end: int) -> bool:
    ch = text[i]
    before = text[i - 1] if i > start else ""
    after = text[i + 1] if i + 1 < end else ""
    if ch in "\u201c„«":
        return True
    if ch in "'\u2018":
        # Single marks open only before a letter and after a space: never "Putin's".
        return (before in _OPENERS_BEFORE or before in '\u201c"') and after.isalpha()
    # Straight double marks and backticks: an opener is followed by text, not by a space.
    return (
        bool(after) and not after.isspace() and (before in _OPENERS_BEFORE or not before.isalnum())
    )


def _trimmed(text: str, q: Quote) -> Quote:
    """The quotation with the spaces just inside its marks left out of its words."""
    q_open, a, b, q_close, closed = q
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (q_open, a, b, q_close, closed)

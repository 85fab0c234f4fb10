"""Finding quoted text in a document: its exact position, or why it cannot be placed."""

from bisect import bisect_left


class NotPlaced(ValueError):
    """The text is not in the document, or not in one place only."""


class Document:
    """A document's text, with its furniture spans once they are known."""

    def __init__(self, text: str, furniture: list[tuple[int, int]]) -> None:
        self.text = text
        self.furniture = furniture

    @property
    def furniture(self) -> list[tuple[int, int]]:
        return self._furniture

    @furniture.setter
    def furniture(self, spans: list[tuple[int, int]]) -> None:
        # Kept merged and sorted, so that one bisection tells whether a span touches any.
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        self._furniture = merged
        self._starts = [start for start, _ in merged]

    def line(self, offset: int) -> int:
        """The 1-based line of the document where OFFSET lies (only asked when reporting)."""
        return self.text.count("\n", 0, offset) + 1

    def occurrences(self, needle: str) -> list[int]:
        """Every start offset of NEEDLE, overlapping ones included."""
        found, at = [], self.text.find(needle)
        while at != -1:
            found.append(at)
            at = self.text.find(needle, at + 1)
        return found

    def in_furniture(self, start: int, end: int) -> bool:
        """Whether [START, END) overlaps page furniture."""
        i = bisect_left(self._starts, end) - 1  # the last furniture span starting before END
        return i >= 0 and self._furniture[i][1] > start

    def _lines(self, starts: list[int]) -> str:
        return ", ".join(str(self.line(s)) for s in starts)

    def place(
        self,
        needle: str,
        *,
        occurrence: int | None = None,
        after: str | None = None,
        article_only: bool = True,
    ) -> tuple[int, int]:
        """The span of NEEDLE: the one occurrence, or the one the hint names.

        With ARTICLE_ONLY, occurrences inside page furniture do not count as candidates and a
        span chosen by a hint may not lie in furniture.
        """
        first = self.text.find(needle)
        # The usual case, at load speed: text that occurs once, outside the furniture.
        if (
            first != -1
            and occurrence in (None, 1)
            and after is None
            and self.text.find(needle, first + 1) == -1
            and not (article_only and self.in_furniture(first, first + len(needle)))
        ):
            return first, first + len(needle)
        starts = self.occurrences(needle)
        if not starts:
            raise NotPlaced(f"{_short(needle)} is not in the document")
        if occurrence is not None:
            if occurrence > len(starts):
                raise NotPlaced(
                    f"occurrence {occurrence} asked, but {_short(needle)} occurs "
                    f"{len(starts)} time(s) (lines {self._lines(starts)})"
                )
            start = starts[occurrence - 1]
        elif after is not None:
            anchor = self.text.find(after)
            if anchor == -1:
                raise NotPlaced(f"the 'after' text {_short(after)} is not in the document")
            later = [s for s in starts if s >= anchor + len(after)]
            if not later:
                raise NotPlaced(f"{_short(needle)} does not occur after {_short(after)}")
            start = later[0]
        else:
            candidates = [
                s for s in starts if not (article_only and self.in_furniture(s, s + len(needle)))
            ]
            if not candidates:
                raise NotPlaced(
                    f"{_short(needle)} occurs only in page furniture (line {self._lines(starts)})"
                )
            if len(candidates) > 1:
                raise NotPlaced(
                    f"{_short(needle)} occurs {len(candidates)} times (lines "
                    f"{self._lines(candidates)}); say which with 'occurrence' or 'after'"
                )
            start = candidates[0]
        end = start + len(needle)
        if article_only and self.in_furniture(start, end):
            raise NotPlaced(
                f"{_short(needle)} at line {self.line(start)} lies in page furniture, "
                "which is never annotated"
            )
        return start, end

    def nearest(self, needle: str, span: tuple[int, int]) -> tuple[int, int]:
        """The occurrence of NEEDLE (outside furniture) closest to SPAN."""
        first = self.text.find(needle)
        if first != -1 and self.text.find(needle, first + 1) == -1:
            if self.in_furniture(first, first + len(needle)):
                raise NotPlaced(f"{_short(needle)} is not in the article text")
            return first, first + len(needle)
        starts = [s for s in self.occurrences(needle) if not self.in_furniture(s, s + len(needle))]
        if not starts:
            raise NotPlaced(f"{_short(needle)} is not in the article text")

        def distance(s: int) -> int:
            return max(0, span[0] - (s + len(needle)), s - span[1])

        start = min(starts, key=lambda s: (distance(s), s))
        return start, start + len(needle)


def _short(text: str, limit: int = 60) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return repr(shown)

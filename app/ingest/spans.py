"""Finding quoted text in a document: its exact position, or why it cannot be placed."""

from dataclasses import dataclass


class NotPlaced(ValueError):
    """The text is not in the document, or not in one place only."""


@dataclass
class Document:
    """A document's text, with its furniture spans once they are known."""

    text: str
    furniture: list[tuple[int, int]]

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
        return any(start < f_end and f_start < end for f_start, f_end in self.furniture)

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

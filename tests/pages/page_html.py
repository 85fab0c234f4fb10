"""Reading the pages' HTML in tests: the text of each highlight of a source's text, and the
addresses a page links to or loads."""

from collections import defaultdict
from html.parser import HTMLParser


class _Highlights(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[int, list[str]] = defaultdict(list)
        self.open: list[list[int]] = []
        self.addresses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name in ("href", "src"):
            if named.get(name):
                self.addresses.append(str(named[name]))
        if tag in ("a", "span"):
            ids = (named.get("data-appearances") or "").split()
            self.open.append([int(i) for i in ids])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "span") and self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        for ids in self.open:
            for i in ids:
                self.found[i].append(data)


def highlights(html: str) -> dict[int, str]:
    """Appearance id -> the text of the source highlighted for it, its pieces joined in order."""
    parser = _Highlights()
    parser.feed(html)
    return {i: "".join(parts) for i, parts in parser.found.items()}


def addresses(html: str) -> list[str]:
    """Every href and src in HTML."""
    parser = _Highlights()
    parser.feed(html)
    return parser.addresses

"""An article's metadata as the extractor takes it, and the slugs it makes up."""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from app.ingest.spec import AnyText, DateSpec, Line, Name, Slug, Text


class ArticleMeta(BaseModel):
    """What is known of an article besides its text (every field optional)."""

    model_config = ConfigDict(extra="forbid")

    slug: Slug | None = Field(
        None, description="The source's slug (made from the title if not given)."
    )
    # Each as the annotation format takes it: the draft is an annotation.
    title: AnyText | None = None
    outlet: Slug | None = Field(None, description="Slug of the outlet (an actor of kind outlet).")
    outlet_name: Name | None = Field(None, description="The outlet's name, if it is a new actor.")
    url: AnyText | None = None
    byline: Line | None = None
    language: str | None = Field(
        None,
        pattern=r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$",
        max_length=35,
        description="The text's language (BCP 47); detected from the text when not given.",
    )
    description: AnyText | None = None
    dates: list[DateSpec] = Field(default_factory=list, description="Dates the page prints.")
    document: Text | None = Field(
        None, description="The document path to write in the draft (relative to the draft)."
    )

    def published(self) -> dt.date | None:
        for kind in ("published", "updated", "page"):
            for d in self.dates:
                if d.kind == kind:
                    return d.value.date() if isinstance(d.value, dt.datetime) else d.value
        return None


def slugify(text: str, limit: int = 60) -> str:
    """A slug made of TEXT's words: lower-case ASCII joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > limit:
            break
        out = f"{out}-{w}" if out else w
    return out or "x"


class Slugs:
    """Hands out slugs no known row and no other part of the draft uses."""

    def __init__(self, taken: Callable[[str, str], bool]) -> None:
        self.taken = taken
        self.used: set[tuple[str, str]] = set()

    def __call__(self, table: str, base: str) -> str:
        candidate, n = base, 1
        while (table, candidate) in self.used or self.taken(table, candidate):
            n += 1
            candidate = f"{base}-{n}"
        self.used.add((table, candidate))
        return candidate

"""The real-coverage set (bench/coverage/): its stories, their texts checked against their
SHA-256, and gold files whose appearances are given as spans, turned into loadable annotations.

The texts are not in the repository: they are read from a folder the caller names. A text that
is missing or differs from its recorded SHA-256 is reported and not scored.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from app.config import PROJECT_ROOT
from app.ingest.spec import Slug
from app.ingest.yamlfile import YamlError, dotted, line_of, load_with_lines

STORIES = PROJECT_ROOT / "bench" / "coverage" / "stories"
SPLITS = ("dev", "heldout")


class CoverageError(ValueError):
    """A story or gold file that cannot be used, said as `file:line: message`."""


class ArticleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slug: Slug
    outlet: str
    url: str
    query: str
    sha256: str
    retrieved: Any = None


class StoryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    story: Slug
    split: str
    about: str
    stored: Slug
    articles: list[ArticleEntry]


@dataclass
class Story:
    """One story: its folder, the article stored first, then the re-reports, in order."""

    folder: Path
    entry: StoryEntry

    @property
    def split(self) -> str:
        return self.entry.split

    def gold_path(self, article: ArticleEntry) -> Path:
        return self.folder / f"{article.slug}.yaml"


@dataclass
class Texts:
    """The texts found for a story, and what was wrong with the others."""

    found: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_stories(root: Path = STORIES, split: str | None = None) -> list[Story]:
    """Every story under ROOT (by folder name); with SPLIT, only that split's. Only story.yaml
    is read to know a story's split: a story of another split has nothing else opened."""
    stories = []
    for path in sorted(root.glob("*/story.yaml")):
        data, lines = _yaml(path)
        try:
            entry = StoryEntry.model_validate(data)
        except ValidationError as exc:
            e = exc.errors()[0]
            at = tuple(e["loc"])
            raise CoverageError(
                f"{path}:{line_of(lines, at) or 1}: {dotted(at)}: {e['msg']}"
            ) from exc
        if entry.split not in SPLITS:
            raise CoverageError(f"{path}:{lines.get(('split',), 1)}: split is dev or heldout")
        slugs = [a.slug for a in entry.articles]
        if not slugs or slugs[0] != entry.stored:
            raise CoverageError(f"{path}: the stored article must be listed first")
        if split is None or entry.split == split:
            stories.append(Story(path.parent, entry))
    return stories


def read_texts(story: Story, folder: Path) -> Texts:
    """The story's texts from FOLDER (`<article>.txt`), each checked against its SHA-256."""
    out = Texts()
    for article in story.entry.articles:
        path = folder / f"{article.slug}.txt"
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            out.problems.append(f"missing: {path}")
            continue
        except OSError as exc:
            out.problems.append(f"unreadable: {path} ({exc.strerror})")
            continue
        digest = hashlib.sha256(raw).hexdigest()
        if digest != article.sha256:
            out.problems.append(
                f"differs: {path} (sha256 {digest}, story.yaml says {article.sha256}); not scored"
            )
            continue
        try:
            out.found[article.slug] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            out.problems.append(f"not UTF-8: {path} (byte {exc.start})")
    return out


def to_annotation(path: Path, text: str) -> dict[str, Any]:
    """The gold file at PATH as a loadable annotation (the loader's JSON body): each
    appearance's `span` turned into its `quote` (with `occurrence` when those words occur more
    than once), the text inline instead of the document's file name."""
    data, lines = _yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("source"), dict):
        raise CoverageError(f"{path}:1: not an annotation file (format, source, ...)")
    source = dict(data["source"])
    source.pop("document", None)
    source["text"] = text
    statements = []
    for i, statement in enumerate(data.get("statements") or []):
        if not isinstance(statement, dict):
            statements.append(statement)
            continue
        appearances = []
        for j, appearance in enumerate(statement.get("appearances") or []):
            at = ("statements", i, "appearances", j)
            appearances.append(_quoted(appearance, text, f"{path}:{line_of(lines, at) or 1}"))
        statements.append({**statement, "appearances": appearances})
    return {**data, "source": source, "statements": statements}


def _quoted(appearance: Any, text: str, where: str) -> Any:
    if not isinstance(appearance, dict) or "span" not in appearance:
        return appearance
    if "quote" in appearance or "occurrence" in appearance or "after" in appearance:
        raise CoverageError(f"{where}: give a span, or a quote, not both")
    span = appearance["span"]
    if not (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in span)
        and 0 <= span[0] < span[1] <= len(text)
    ):
        raise CoverageError(
            f"{where}: span must be [start, end] with 0 <= start < end <= {len(text)}"
            f" (the text's length), not {span!r}"
        )
    start, end = span
    quote = text[start:end]
    out = {k: v for k, v in appearance.items() if k != "span"}
    out["quote"] = quote
    starts = _occurrences(text, quote)
    if len(starts) > 1:
        out["occurrence"] = starts.index(start) + 1
    return out


def _occurrences(text: str, needle: str) -> list[int]:
    """Every start of NEEDLE in TEXT, overlapping ones too (as the loader counts them)."""
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _yaml(path: Path) -> tuple[Any, dict[tuple[str | int, ...], int]]:
    try:
        return load_with_lines(path.read_text(encoding="utf-8"))
    except YamlError as exc:
        raise CoverageError(f"{path}:{exc.line or 1}: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CoverageError(f"{path}: cannot be read ({exc})") from exc

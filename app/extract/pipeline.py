"""extract(): a text (and what is known of it) in, a draft annotation out; never an exception."""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.extract.analyse import Analysis, analyse
from app.extract.article import ArticleMeta, slugify
from app.extract.build import build
from app.extract.draft import make_draft
from app.extract.known import Known
from app.extract.language import UNDETERMINED, detect
from app.extract.outlets import name_outlets
from app.ingest.spec import AnnotationFile

log = logging.getLogger(__name__)


@dataclass
class Extraction:
    """A draft annotation, and why it holds nothing (or less than it might)."""

    draft: dict[str, Any]
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def statements(self) -> int:
        return len(self.draft.get("statements", []))


def extract(
    text: str,
    meta: ArticleMeta | None = None,
    known: Known | None = None,
    lookup: Callable[[Analysis], Known] | None = None,
) -> Extraction:
    """The draft annotation of TEXT in the sayso/1 format, resolved against KNOWN (or against
    what LOOKUP finds for what the text names and says, e.g. in a database).

    Never raises: a text it cannot read gives an empty draft (the source alone) with a reason.
    """
    meta = meta or ArticleMeta()
    known = known if known is not None else Known()
    document = meta.document or f"{meta.slug or slugify(meta.title or 'article', 80)}.txt"
    reason, language = _unreadable(text, meta)
    meta = meta.model_copy(update={"language": language})
    empty = _empty(text, meta, document)
    if reason is not None:
        return Extraction(empty, reason)
    try:
        analysis = analyse(text, meta.published())
        name_outlets(analysis)  # before the lookup, which looks the names up
        if lookup is not None:
            known = lookup(analysis)
        built = build(analysis, known)
        draft = make_draft(analysis, built, known, meta, document)
        AnnotationFile.model_validate(draft)  # the loader's own shape check, before anyone sees it
    except Exception as exc:  # a rule's bug must not take the caller down: say so instead
        log.exception("extraction failed")
        return Extraction(empty, f"the extractor failed on this text ({type(exc).__name__}: {exc})")
    warnings = []
    if analysis.segmented.skipped:
        warnings.append(f"{analysis.segmented.skipped} overlong sentence(s) were not read")
    if "\x00" in text:
        warnings.append("the text holds NUL characters, which the database cannot store")
    if not draft["statements"]:
        return Extraction(draft, "no attributed statements were found", warnings)
    return Extraction(draft, None, warnings)


def _empty(text: str, meta: ArticleMeta, document: str) -> dict[str, Any]:
    """A draft with the source alone (still loadable)."""
    return {
        "format": "sayso/1",
        "source": {
            "slug": meta.slug or slugify(meta.title or "article", 80),
            "document": document,
            "sha256": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
            "title": meta.title,
            "url": meta.url,
            "byline": meta.byline,
            "language": meta.language,
        },
        "actors": [],
        "claims": [],
        "statements": [],
    }


def _unreadable(text: str, meta: ArticleMeta) -> tuple[str | None, str]:
    """Why the rules cannot read TEXT, if they cannot, and the text's language: the one META
    gives, else the one detected (never English by default)."""
    if not text.strip():
        return "the text is empty", meta.language or UNDETERMINED
    if meta.language is not None and meta.language.lower().split("-")[0] != "en":
        return (
            f"the text's language is '{meta.language}': the extractor reads English only",
            meta.language,
        )
    detected = detect(text)
    if detected == UNDETERMINED:
        return "the text's language could not be told: the extractor reads English only", detected
    if detected != "en":
        return (
            f"the text reads as language '{detected}' (detected): the extractor reads English only",
            detected,
        )
    return None, meta.language or "en"

"""Reading one annotation file: YAML (keeping every value's line) or JSON, checked against the
format, with its document read and its SHA-256 checked."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import orjson
from pydantic import ValidationError

from app.ingest.problems import Problem
from app.ingest.spans import Document
from app.ingest.spec import AnnotationFile
from app.ingest.yamlfile import Path as YPath
from app.ingest.yamlfile import YamlError, dotted, line_of, load_with_lines


@dataclass
class AnnotatedFile:
    """One parsed file, its document, and where each of its values stands."""

    path: Path
    lines: dict[YPath, int]
    spec: AnnotationFile
    raw: bytes = b""
    document: Document | None = None

    def problem(self, at: YPath, message: str) -> Problem:
        if not self.lines and self.raw:  # a JSON file: its lines are only needed now
            _, self.lines = load_with_lines(self.raw.decode("utf-8"))
        return Problem(self.path, line_of(self.lines, at), dotted(at), message)


def parse_file(path: Path) -> AnnotatedFile | list[Problem]:
    """Read, parse and check the shape of one annotation file, and read its document.

    YAML files are parsed keeping every value's line. JSON files (the bulk format: the same
    fields, written by programs) are parsed with a fast JSON parser, and their lines are only
    worked out when there is a problem to report.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [Problem(path, None, "", f"cannot be read: {exc.strerror}")]
    return parse_bytes(raw, path, is_json=path.suffix == ".json")


def parse_bytes(
    raw: bytes, path: Path, *, is_json: bool, files: bool = True
) -> AnnotatedFile | list[Problem]:
    """Like parse_file, for the bytes of a file (or of a request) that PATH names. Without
    FILES (a request to the API), the document must be inline: no file is ever opened."""
    lines: dict[YPath, int] = {}
    try:
        if is_json:
            data = orjson.loads(raw)
        else:
            data, lines = load_with_lines(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return [Problem(path, None, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except YamlError as exc:
        return [Problem(path, exc.line, "", str(exc))]
    except orjson.JSONDecodeError as exc:
        return [Problem(path, exc.lineno, "", f"not valid JSON: {exc.msg}")]
    if not isinstance(data, dict):
        return [Problem(path, 1, "", "an annotation file is a mapping (format, source, ...)")]
    try:
        spec = AnnotationFile.model_validate(data)
    except ValidationError as exc:
        if not lines:
            _, lines = load_with_lines(raw.decode("utf-8"))  # JSON is YAML: find the lines
        return [
            Problem(path, line_of(lines, tuple(e["loc"])), dotted(tuple(e["loc"])), e["msg"])
            for e in exc.errors()
        ]
    annotated = AnnotatedFile(path, lines, spec, raw=raw)
    if not files and spec.source.document is not None:
        return [annotated.problem(("source", "document"), "give the text itself, as 'text'")]
    problems = _read_document(annotated)
    return problems or annotated


def _read_document(f: AnnotatedFile) -> list[Problem]:
    source = f.spec.source
    if source.text is not None:
        digest = hashlib.sha256(source.text.encode()).hexdigest()
        if source.sha256 is not None and digest != source.sha256:
            return [f.problem(("source", "sha256"), f"the text's SHA-256 is {digest}, not this")]
        f.document = Document(source.text, [])
        return []
    assert source.document is not None
    doc_path = f.path.parent / source.document
    try:
        raw = doc_path.read_bytes()
    except OSError as exc:
        return [f.problem(("source", "document"), f"cannot read {doc_path}: {exc.strerror}")]
    digest = hashlib.sha256(raw).hexdigest()
    if digest != f.spec.source.sha256:
        return [
            f.problem(
                ("source", "sha256"),
                f"{doc_path.name} has SHA-256 {digest}, not the one recorded: the document "
                "changed since it was annotated",
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f.problem(("source", "document"), f"{doc_path.name} is not UTF-8: {exc.reason}")]
    f.document = Document(text, [])
    return []

"""Reading one annotation file: YAML (keeping every value's line) or JSON, checked against the
format, with its document read and its SHA-256 checked."""

import contextlib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from app.documents.spans import Document
from app.ingest.problems import Problem
from app.ingest.spec import AnnotationFile
from app.ingest.yamlfile import Path as YPath
from app.ingest.yamlfile import YamlError, dotted, line_of, load_with_lines
from app.web.nesting import MAX_DEPTH, line_and_column, too_deep


@dataclass
class Located:
    """A file's name and where each of its values stands: what a problem in it needs to say.

    The lines of a JSON file are only worked out when there is a problem to report, from its
    bytes, or (REREAD) from the file again, so that a load need not keep every file's bytes.
    """

    path: Path
    lines: dict[YPath, int]
    raw: bytes = b""
    reread: bool = False

    def problem(self, at: YPath, message: str) -> Problem:
        if not self.lines and (self.raw or self.reread):
            with contextlib.suppress(OSError):  # gone since it was read: say the file only
                self.lines = _lines_of(self.raw or self.path.read_bytes())
        return Problem(self.path, line_of(self.lines, at), dotted(at), message)


@dataclass
class AnnotatedFile(Located):
    """One parsed file, its document, and where each of its values stands."""

    spec: AnnotationFile = field(kw_only=True)
    document: Document | None = None
    sha256: str = ""  # the document's, once read

    def located(self) -> Located:
        """Where this file's values stand, without its contents (nor, if it can be read
        again, its bytes)."""
        return Located(self.path, self.lines, b"" if self.reread else self.raw, self.reread)


@dataclass
class Read:
    """A file's bytes as read ahead of its checks (see read_ahead)."""

    raw: bytes | OSError
    data: Any = None  # a JSON file's data, when it decoded
    document: bytes | OSError | None = None  # the bytes of the document it names


def read_ahead(path: Path) -> Read:
    """Read an annotation file and, if it is JSON naming its document, that document too.

    Only reading and decoding JSON: what a load does in a thread, files ahead of the checks,
    so that waiting for the disk overlaps the work on the files before.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Read(exc)
    if path.suffix != ".json":
        return Read(raw)
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return Read(raw)  # reported by parse_bytes
    source = data.get("source") if isinstance(data, dict) else None
    name = source.get("document") if isinstance(source, dict) else None
    document: bytes | OSError | None = None
    if isinstance(name, str) and name:
        try:
            document = (path.parent / name).read_bytes()
        except OSError as exc:
            document = exc
        except ValueError:  # such as a NUL in the name: left for the checks to report
            pass
    return Read(raw, data, document)


def parse_file(path: Path, read: Read | None = None) -> AnnotatedFile | list[Problem]:
    """Read, parse and check the shape of one annotation file, and read its document.

    YAML files are parsed keeping every value's line. JSON files (the bulk format: the same
    fields, written by programs) are parsed with a fast JSON parser, and their lines are only
    worked out when there is a problem to report. READ: the file as read ahead already.
    """
    read = read or read_ahead(path)
    if isinstance(read.raw, OSError):
        return [Problem(path, None, "", f"cannot be read: {read.raw.strerror}")]
    parsed = parse_bytes(
        read.raw, path, is_json=path.suffix == ".json", data=read.data, document=read.document
    )
    if isinstance(parsed, AnnotatedFile):
        parsed.reread = True
    return parsed


def parse_bytes(
    raw: bytes,
    path: Path,
    *,
    is_json: bool,
    files: bool = True,
    data: Any = None,
    document: bytes | OSError | None = None,
) -> AnnotatedFile | list[Problem]:
    """Like parse_file, for the bytes of a file (or of a request) that PATH names. Without
    FILES (a request to the API), the document must be inline: no file is ever opened. DATA
    and DOCUMENT: what read_ahead found."""
    lines: dict[YPath, int] = {}
    try:
        if data is None and is_json:
            data = orjson.loads(raw)
        elif data is None:
            data, lines = load_with_lines(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return [Problem(path, line, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except YamlError as exc:
        return [Problem(path, exc.line, "", str(exc))]
    except orjson.JSONDecodeError as exc:
        # The column too: a request's body is often one line.
        message = f"not valid JSON: {exc.msg} (column {exc.colno})"
        return [_too_deep(raw, path) or Problem(path, exc.lineno, "", message)]
    if not isinstance(data, dict):
        return [Problem(path, 1, "", "an annotation file is a mapping (format, source, ...)")]
    try:
        spec = AnnotationFile.model_validate(data)
    except ValidationError as exc:
        if is_json:
            # Nesting that deep is no annotation (so never valid): say that, not its fields.
            deep = _too_deep(raw, path)
            if deep:
                return [deep]
        if not lines:
            lines = _lines_of(raw)
        return [
            Problem(path, line_of(lines, tuple(e["loc"])), dotted(tuple(e["loc"])), e["msg"])
            for e in exc.errors()
        ]
    annotated = AnnotatedFile(path, lines, raw=raw, spec=spec)
    if not files and spec.source.document is not None:
        return [annotated.problem(("source", "document"), "give the text itself, as 'text'")]
    problems = _read_document(annotated, document)
    return problems or annotated


def _too_deep(raw: bytes, path: Path) -> Problem | None:
    """A problem if the JSON text RAW nests deeper than MAX_DEPTH (which the lines of its
    values are not worked out past)."""
    at = too_deep(raw)
    if at is None:
        return None
    return Problem(path, line_and_column(raw, at)[0], "", f"nested deeper than {MAX_DEPTH} levels")


def _lines_of(raw: bytes) -> dict[YPath, int]:
    """The line of each value of a file (JSON is read as YAML, which it is); none where it
    cannot be read so (changed since, or holding a character JSON allows and YAML does not)."""
    try:
        return load_with_lines(raw.decode("utf-8"))[1]
    except ValueError:  # YamlError, UnicodeDecodeError
        return {}


def _read_document(f: AnnotatedFile, read: bytes | OSError | None) -> list[Problem]:
    source = f.spec.source
    if source.text is not None:
        digest = hashlib.sha256(source.text.encode()).hexdigest()
        if source.sha256 is not None and digest != source.sha256:
            return [f.problem(("source", "sha256"), f"the text's SHA-256 is {digest}, not this")]
        f.document, f.sha256 = Document(source.text, []), digest
        return []
    assert source.document is not None
    doc_path = f.path.parent / source.document
    try:
        if isinstance(read, OSError):
            raise read
        raw = doc_path.read_bytes() if read is None else read
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
    if "\x00" in text:  # PostgreSQL's text cannot hold it
        line = text.count("\n", 0, text.index("\x00")) + 1
        return [f.problem(("source", "document"), f"{doc_path.name} has a NUL on line {line}")]
    f.document, f.sha256 = Document(text, []), digest  # the digest of its text's UTF-8 too
    return []

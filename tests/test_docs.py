"""The documentation (README.md and docs/*.md) is kept true by running it.

- Every curl example in a ```sh block is run against a real server on the seed data, and the
  JSON answer shown after it (a ```json block) must equal the API's answer; the status must be
  the one the answer shows (a problem's), else 200 for a read and 2xx for a write. Other
  commands in ```sh blocks (make, uv run sayso ...) are not run; nor are the blocks in NOT_RUN.
- docs/curating.md writes: its examples run in order, as a curator would type them, on a fresh
  seeded database with two keys (`$KEY`, an editor's; `$ADMIN_KEY`, an admin's), and each
  `If-Match` they send must be the object's real ETag at that point (the server compares only
  its version). Every other page only reads, from the shared seeded server.
- The `$ curl -si ...` (and `curl -sI`) transcripts in ```text blocks show the real status
  and headers.
- Every setting of app.config.Settings is in docs/operating.md's settings table, and no other.
- The endpoint index in docs/api.md lists every method and path of the OpenAPI document, and no
  other.
- Every docs/*.md page is linked from README.md or docs/index.md; every relative link, anchor,
  path (app/..., docs/..., ...) and dotted module name the pages give exists; the README is
  at most 350 lines.

Run with SAYSO_UPDATE_DOCS=1 to rewrite the shown answers from the API (on SQLite, whose search
ranking the pages show), then review the diff.
"""

import importlib
import json
import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import serving
from seed_facts import SEED_ANNOTATIONS

from app.config import PROJECT_ROOT, Settings
from app.db.engine import make_engine, session_scope
from app.ingest.loader import load
from app.main import create_app
from app.models.enums import KeyRole
from app.web.auth import create_key

README = PROJECT_ROOT / "README.md"
DOCS = PROJECT_ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
HOST = "http://127.0.0.1:8000"
UPDATE = os.environ.get("SAYSO_UPDATE_DOCS") == "1"
# The one page whose examples write; they run in order on a fresh database of their own.
WRITING_PAGES = {DOCS / "curating.md"}
# Blocks that hold a curl command but are not run, by a line of theirs: shell that computes
# what a later command sends. They are shown for the reader to copy; the commands the page runs
# give the same values literally.
NOT_RUN = {
    (DOCS / "curating.md", "ETAG=$(curl -si"),
}
# A ```sh block, and the ```json block that shows its answer, if one follows it.
BLOCK = re.compile(
    r"^```sh\n(?P<code>.*?)^```\n(?:\n```json\n(?P<answer>.*?)^```\n)?", re.MULTILINE | re.DOTALL
)
WIDTH = 100  # how wide the shown JSON may be laid out


def name(page: Path) -> str:
    return str(page.relative_to(PROJECT_ROOT))


# -- the examples ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Curl:
    """One curl command of the documentation, as the request it makes."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    data: str | None

    @property
    def path(self) -> str:
        return self.url.removeprefix(HOST)

    def send(self, client: httpx.Client, keys: dict[str, str]) -> httpx.Response:
        headers = {}
        for header, value in self.headers:
            for variable, key in keys.items():
                value = value.replace(f"${variable}", key)
            headers[header] = value
        # curl sends no Accept-Encoding of its own: the answers it shows are not gzipped.
        headers.setdefault("Accept-Encoding", "identity")
        return client.request(self.method, self.path, headers=headers, content=self.data)


def parse_curl(command: str) -> Curl:
    """The request a documented curl command makes. The pages use a few options only: -s, -i,
    -X, -H and -d (and -I, a HEAD); anything else is refused, so that what a page shows is
    what is run."""
    args = shlex.split(command, comments=True)
    assert args[0] == "curl", command
    method, url, data = None, None, None
    headers: list[tuple[str, str]] = []
    rest = iter(args[1:])
    for arg in rest:
        if arg in ("-s", "-si"):
            continue
        if arg == "-sI":  # a HEAD, its headers shown
            method = "HEAD"
            continue
        if arg == "-X":
            method = next(rest)
        elif arg == "-H":
            header, _, value = next(rest).partition(":")
            headers.append((header.strip(), value.strip()))
        elif arg == "-d":
            data = next(rest)
        elif arg.startswith(HOST) and url is None:
            url = arg
        else:
            raise AssertionError(f"the docs' curl commands do not use {arg!r}: {command}")
    assert url is not None, command
    return Curl(method or ("POST" if data is not None else "GET"), url, tuple(headers), data)


@dataclass
class Example:
    """A ```sh block of curl commands, and the answer shown after it (JSON text), if any."""

    page: Path
    line: int
    commands: list[Curl]
    answer: str | None
    answer_span: tuple[int, int] | None

    def __str__(self) -> str:
        return f"{name(self.page)}:{self.line}"

    @property
    def shown(self) -> Any:
        assert self.answer is not None
        return json.loads(self.answer)

    def expected_status(self, command: Curl) -> int | None:
        """The status the example shows: a problem's own, else 200 for a read; None for a
        write, which may answer 200, 201 or 204."""
        if self.answer is not None and _is_problem(self.shown):
            return int(self.shown["status"])
        return 200 if command.method == "GET" else None


def _is_problem(value: Any) -> bool:
    return isinstance(value, dict) and {"type", "title", "status"} <= value.keys()


def examples(page: Path) -> Iterator[Example]:
    text = page.read_text()
    for block in BLOCK.finditer(text):
        code = block["code"].replace("\\\n", " ")
        lines = [line.strip() for line in code.splitlines()]
        if any("curl" in line and not line.startswith("curl ") for line in lines):
            assert any(p == page and ln.startswith(mark) for p, mark in NOT_RUN for ln in lines), (
                f"{name(page)}: a block with a curl command that is not run, and not in NOT_RUN"
            )
            continue
        commands = [parse_curl(line) for line in lines if line.startswith("curl ")]
        if not commands:
            continue
        line = text.count("\n", 0, block.start()) + 1
        answer = block["answer"]
        assert answer is None or len(commands) == 1, f"{name(page)}:{line}: one answer, one curl"
        span = block.span("answer") if answer is not None else None
        yield Example(page, line, commands, answer, span)


def every_example() -> list[Example]:
    return [example for page in PAGES for example in examples(page)]


# -- showing JSON -----------------------------------------------------------------------------


def _inline(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def shown(value: Any, indent: int = 0, lead: int = 0) -> str:
    """VALUE as the pages show it: on one line when it fits in WIDTH columns; else one member
    a line, short plain members (null, numbers, short strings and objects) side by side."""
    flat = _inline(value)
    if not isinstance(value, dict | list) or not value or indent + lead + len(flat) < WIDTH:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        keys = {k: json.dumps(k, ensure_ascii=False) + ": " for k in value}
        pieces = [keys[k] + shown(v, indent + 2, len(keys[k])) for k, v in value.items()]
    else:
        pieces = [shown(v, indent + 2) for v in value]
    lines: list[str] = []
    for piece in pieces:
        short = "\n" not in piece and len(piece) <= 40
        if short and lines and lines[-1] and len(pad) + len(lines[-1]) + len(piece) + 3 <= WIDTH:
            lines[-1] += ", " + piece
        else:
            lines.append(piece)
            if not short:
                lines.append("")  # nothing joins a long member's line
    lines = [line for line in lines if line]
    opening, closing = "{}" if isinstance(value, dict) else "[]"
    return f"{opening}\n" + ",\n".join(pad + line for line in lines) + f"\n{' ' * indent}{closing}"


def steady(value: Any) -> Any:
    """VALUE without what differs from run to run: when a change was made (history's `at`)."""
    if isinstance(value, dict):
        return {k: "..." if k == "at" else steady(v) for k, v in value.items()}
    if isinstance(value, list):
        return [steady(v) for v in value]
    return value


# -- running the examples ---------------------------------------------------------------------


def run(
    page: Path, client: httpx.Client, server_url: str, backend: str, keys: dict[str, str]
) -> None:
    """Run PAGE's examples in order against CLIENT; check (or, in update mode, rewrite) every
    answer shown."""
    text = page.read_text()
    rewritten: list[tuple[tuple[int, int], str]] = []
    for example in examples(page):
        for command in example.commands:
            expected = example.expected_status(command)
            if_match = dict(command.headers).get("If-Match")
            if if_match is not None and expected != 412:
                # The server compares only an ETag's version: check the page shows the real one.
                target = command.path.removesuffix("/merge")
                etag = client.get(target, headers={"Accept-Encoding": "identity"}).headers["etag"]
                assert if_match == etag, f"{example}: If-Match {if_match}, but the ETag is {etag}"
            response = command.send(client, keys)
            if expected is None:
                assert response.is_success, f"{example}: {command.url}: {response.text}"
            else:
                assert response.status_code == expected, f"{example}: {response.text}"
        if example.answer is None:
            continue
        real = json.loads(response.text.replace(server_url, HOST))
        if backend != "sqlite" and command.path.startswith("/search"):
            continue  # search ranks by each engine's own measure; the pages show SQLite's
        if UPDATE:
            # An answer that differs only in when a change was made keeps the time it shows.
            kept = example.shown if steady(real) == steady(example.shown) else real
            if example.answer != shown(kept) + "\n":
                assert example.answer_span is not None
                rewritten.append((example.answer_span, shown(kept) + "\n"))
            continue
        assert steady(example.shown) == steady(real), f"{example}: {command.url}"
    if UPDATE and rewritten:
        for (start, end), answer in reversed(rewritten):
            text = text[:start] + answer + text[end:]
        page.write_text(text)


def test_the_examples_run_and_show_the_real_answers(
    http: httpx.Client, server_url: str, backend: str
) -> None:
    if UPDATE and backend != "sqlite":
        pytest.skip("the pages' answers are rewritten from SQLite")
    reading = [page for page in PAGES if page not in WRITING_PAGES]
    for page in reading:
        assert all(c.method == "GET" for example in examples(page) for c in example.commands), (
            f"{name(page)} writes: its examples would change the shared database"
        )
        run(page, http, server_url, backend, {})
    if UPDATE:
        pytest.skip("answers rewritten from the API; review the diff")


@pytest.fixture
def curator_site(db_url: str) -> Iterator[tuple[httpx.Client, str, dict[str, str]]]:
    """A fresh seeded database, served, with the keys docs/curating.md makes: newsroom (an
    editor) and chief (an admin)."""
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            load(session, [SEED_ANNOTATIONS])
            keys = {
                "KEY": create_key(session, "newsroom", KeyRole.editor),
                "ADMIN_KEY": create_key(session, "chief", KeyRole.admin),
            }
    finally:
        engine.dispose()
    with (
        serving(create_app(Settings(database_url=db_url))) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        yield client, url, keys


@pytest.mark.parametrize("page", sorted(WRITING_PAGES), ids=name)
def test_the_writing_examples_run_in_order_on_a_fresh_database(
    page: Path, curator_site: tuple[httpx.Client, str, dict[str, str]], backend: str
) -> None:
    if UPDATE and backend != "sqlite":
        pytest.skip("the pages' answers are rewritten from SQLite")
    client, url, keys = curator_site
    assert any(c.method != "GET" for e in examples(page) for c in e.commands)
    run(page, client, url, backend, keys)
    if UPDATE:
        pytest.skip("answers rewritten from the API; review the diff")


def test_the_pages_have_examples_and_every_shown_answer_is_laid_out_alike() -> None:
    found = every_example()
    assert len(found) >= 40
    assert len([e for e in found if e.page == README]) >= 5
    for page in PAGES:  # no curl command escapes the examples (an indented block, say)
        commands = re.findall(r"^\s*curl ", page.read_text(), flags=re.MULTILINE)
        run = [c for e in found if e.page == page for c in e.commands]
        assert len(commands) == len(run), f"{name(page)} has curl commands that are not run"
    for page, mark in NOT_RUN:
        assert mark in page.read_text(), f"NOT_RUN names a block {name(page)} no longer has"
    for example in found:
        if example.answer is not None:
            assert example.answer == shown(example.shown) + "\n", (
                f"{example}: run with SAYSO_UPDATE_DOCS=1 to lay the answer out"
            )


TRANSCRIPT = re.compile(r"^\s*\$ (curl -s[iI] .*)\n((?:\s*[^$\s].*\n)*)", re.MULTILINE)


def test_the_transcripts_show_the_real_status_and_headers(http: httpx.Client) -> None:
    """A ```text block's `$ curl -si ...` (or `-sI`) lines: the status line and every header
    shown."""
    found = 0
    for page in PAGES:
        for block in re.findall(r"^\s*```text\n(.*?)^\s*```", page.read_text(), re.M | re.S):
            for command, output in TRANSCRIPT.findall(block):
                found += 1
                response = parse_curl(command).send(http, {})
                status, *headers = [line.strip() for line in output.splitlines() if line.strip()]
                assert status.split()[1] == str(response.status_code), command
                for header in headers:
                    key, _, value = header.partition(": ")
                    assert response.headers.get(key) == value, (command, header)
    assert found >= 2


# -- settings, endpoints, links, paths ------------------------------------------------------


def _table_rows(page: Path, heading: str) -> list[list[str]]:
    """The rows of the first table under HEADING (a line of its own, e.g. '## Settings')."""
    text = page.read_text()
    assert f"\n{heading}\n" in text, f"{name(page)} has no '{heading}'"
    section = text.split(f"\n{heading}\n", 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif rows:
            break
    return rows[2:]  # past the header and its rule


def test_every_setting_is_documented_and_only_those() -> None:
    rows = _table_rows(DOCS / "operating.md", "## Settings")
    documented = {row[0].strip("`") for row in rows}
    assert documented == {f"SAYSO_{field.upper()}" for field in Settings.model_fields}


def test_the_endpoint_index_lists_every_endpoint_and_only_those(http: httpx.Client) -> None:
    rows = _table_rows(DOCS / "api.md", "## Endpoint index")
    indexed = [(row[0].strip("`"), row[1].strip("`")) for row in rows]
    assert len(indexed) == len(set(indexed)), "an endpoint is listed twice"
    spec = http.get("/openapi.json").json()
    served = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
    assert set(indexed) == served


def _links(page: Path) -> list[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text(), flags=re.M | re.S)
    return re.findall(r"\]\(([^)\s]+)\)", text)


def _anchors(page: Path) -> set[str]:
    """GitHub's anchors for PAGE's headings."""
    text = re.sub(r"^```.*?^```", "", page.read_text(), flags=re.M | re.S)
    anchors = set()
    for heading in re.findall(r"^#+ (.*)$", text, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def test_every_docs_page_is_linked_from_the_readme_or_the_index() -> None:
    linked = {(README.parent / link).resolve() for link in _links(README)}
    linked |= {(DOCS / link).resolve() for link in _links(DOCS / "index.md")}
    for page in DOCS.glob("*.md"):
        assert page.resolve() in linked, f"{name(page)} is not linked"


def test_every_relative_link_and_anchor_exists() -> None:
    for page in PAGES:
        for link in _links(page):
            if re.match(r"[a-z]+:", link):
                continue  # http(s), mailto
            target, _, anchor = link.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.exists(), f"{name(page)}: {link}"
            if anchor:
                assert anchor in _anchors(path), f"{name(page)}: {link}: no such heading"


PATH = re.compile(
    r"(?<![\w/.<-])((?:app|docs|bench|tests|migrations|seed_data)/[\w./-]*)(?![\w<*])"
)
MODULE = re.compile(r"(?<![\w/.-])(app(?:\.[a-z_]\w*)+)")


def test_every_path_and_module_named_exists() -> None:
    for page in PAGES:
        text = page.read_text()
        for path in PATH.findall(text):
            path = path.rstrip(".")
            assert (PROJECT_ROOT / path).exists(), f"{name(page)}: {path}"
        for dotted in MODULE.findall(text):
            assert _resolves(dotted.rstrip(".")), f"{name(page)}: {dotted}"
    # docs/extraction.md names the extractor's modules by their file names alone.
    for module in re.findall(r"`(\w+\.py)`", (DOCS / "extraction.md").read_text()):
        assert (PROJECT_ROOT / "app" / "extract" / module).exists(), module


def _resolves(dotted: str) -> bool:
    """Whether DOTTED names a module, or something in one (app.ingest.loader.load)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def test_the_readme_is_a_front_door() -> None:
    assert len(README.read_text().splitlines()) <= 350

"""One document's annotation file as `sayso export` writes it: the source with its dates,
citations and furniture, and its statements' appearances, every span given as its exact text with
the `occurrence` the loader needs to find that very place, and checked by placing it again as the
loader will (app/documents/spans.py). Then YAML a person can read and diff."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import yaml

from app.documents.dates import DateRefused, reporting_date
from app.documents.spans import Document, NotPlaced
from app.models.enums import ReviewStatus

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # PyYAML built without libyaml: the same output, slower
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]

Entry = dict[str, Any]
# The offsets in use around the world (quarter hours from -12:00 to +14:00), and every whole
# hour Python allows; each list from UTC outwards.
ZONE_OFFSETS = [dt.timezone(dt.timedelta(minutes=m)) for m in sorted(range(-720, 841, 15), key=abs)]
HOUR_OFFSETS = [dt.timezone(dt.timedelta(hours=h)) for h in sorted(range(-23, 24), key=abs)]


class _Dumper(_BaseDumper):
    """YAML for people: one line per value, line breaks and tabs written as escapes, lists of
    names on one line."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # never `&id001` anchors, even for a value met twice


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = '"' if any(c in value for c in "\n\r\t") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: _Dumper, value: list[Any]) -> yaml.SequenceNode:
    flow = bool(value) and all(isinstance(v, str) for v in value)  # aliases: [Peskov, Mr. Peskov]
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)


def review(row: Any) -> Entry:
    """A row's review status, as the format writes it: confirmed (the default) goes unsaid."""
    if row.status == ReviewStatus.confirmed and row.status_reason is None:
        return {}
    return compact(status=row.status.value, status_reason=row.status_reason)


def compact(**fields: Any) -> Entry:
    """The fields that say something: None and empty lists are the format's defaults."""
    return {k: v for k, v in fields.items() if v is not None and v != []}


@dataclass
class DumpedFile:
    """One annotation file and its document, before it is written."""

    slug: str
    name: str  # <reporting date>_<slug>: the loader reads a folder's files in name order
    raw: bytes
    source: Entry
    statements: list[Entry]
    actors: list[Entry] = field(default_factory=list)
    sources: list[Entry] = field(default_factory=list)
    claims: list[Entry] = field(default_factory=list)
    contradictions: list[Entry] = field(default_factory=list)

    def render(self) -> str:
        data = compact(
            format="sayso/1",
            source=self.source,
            actors=_affiliations_first(self.actors),
            sources=sorted(self.sources, key=lambda e: e["slug"]),
            claims=sorted(self.claims, key=lambda e: e["slug"]),
            statements=self.statements,
            contradictions=sorted(self.contradictions, key=lambda e: repr(sorted(e.items()))),
        )
        return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 30)


class DocumentWriter:
    """Writes a document's rows as the format's entries; what the format cannot say (a span the
    loader would not find again) is added to PROBLEMS."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def _place(
        self, where: str, doc: Document, text: str, span: tuple[int | None, int | None], **kw: bool
    ) -> int | None:
        """The `occurrence` that makes the loader find TEXT at SPAN (None: none needed)."""
        start, end = span
        try:
            if start is None or end != start + len(text):
                raise NotPlaced(f"its span {span} does not hold its text")
            return _occurrence(doc, text, start, **kw)
        except NotPlaced as exc:
            self.problems.append(f"{where}: {text!r} cannot be placed: {exc}")
            return None

    def source(
        self, src: Any, doc: Document, dates: list[Any], cites: list[Any], furniture: list[Any]
    ) -> Entry:
        where = f"source '{src.slug}'"
        date_entries = []
        for d in sorted(dates, key=lambda d: (d.span_start or 0, d.kind, d.printed, d.day)):
            date_entries.append(
                compact(
                    kind=d.kind.value,
                    printed=d.printed,
                    occurrence=self._place(
                        f"{where}, date", doc, d.printed, (d.span_start, d.span_end), article=False
                    ),
                    value=self._date_value(where, d.day, d.at, d.printed),
                    note=d.note,
                )
            )
        reported = self._reported(where, src, dates)
        cite_entries = []
        for c in sorted(cites, key=lambda c: c.cited):
            occurrence = None
            if c.evidence is not None:
                span = (c.span_start, c.span_end)
                occurrence = self._place(f"{where}, citation", doc, c.evidence, span, article=False)
            cite_entries.append(compact(source=c.cited, evidence=c.evidence, occurrence=occurrence))
        return compact(
            slug=src.slug,
            document=f"../documents/{src.slug}.txt",
            sha256=src.sha256,
            title=src.title,
            outlet=src.outlet,
            url=src.url,
            byline=src.byline,
            language=src.language,
            description=src.description,
            dates=date_entries,
            reported_on=reported[0],
            reported_on_basis=reported[1],
            cites=cite_entries,
            furniture=self._furniture(where, doc, furniture),
        )

    def _reported(
        self, where: str, src: Any, dates: list[Any]
    ) -> tuple[dt.date | None, str | None]:
        """The reporting date and basis to write: none where the loader works out the stored
        ones from the dates; the stored ones where the loader takes them as given."""
        printed = [(d.kind, d.printed, d.day) for d in dates]
        stored = (src.reported_on, src.reported_on_basis)
        if reporting_date(printed) == stored:
            return None, None
        try:
            reporting_date(printed, *stored)
        except DateRefused as exc:
            self.problems.append(f"{where}: its reporting date cannot be loaded as stored: {exc}")
        return stored

    def _date_value(
        self, where: str, day: dt.date, at: dt.datetime | None, printed: str
    ) -> dt.date | dt.datetime:
        """A date, or the instant with an offset that keeps its day. The offset it was written
        with is not stored: the one whose clock time is printed ("23:55 IST" -> +05:30) when there
        is one, else UTC or the nearest whole hour that keeps the day."""
        if at is None:
            return day
        for offset in ZONE_OFFSETS:
            local = at.astimezone(offset)
            clock = (f"{local:%H:%M}", f"{local.hour % 12 or 12}:{local:%M}")
            if local.date() == day and any(c in printed for c in clock):
                return local
        for offset in HOUR_OFFSETS:
            local = at.astimezone(offset)
            if local.date() == day:
                return local
        self.problems.append(f"{where}: the date {day} is more than a day from its time {at}")
        return at

    def _furniture(self, where: str, doc: Document, rows: list[Any]) -> list[Entry]:
        by_text: dict[tuple[str, str], list[int]] = defaultdict(list)
        for r in rows:
            by_text[(r.kind.value, doc.text[r.span_start : r.span_end])].append(r.span_start)
        entries: list[tuple[int, Entry]] = []
        for (kind, text), starts in by_text.items():
            everywhere = doc.occurrences(text)
            if len(everywhere) > 1 and sorted(set(starts)) == everywhere:
                entries.append((everywhere[0], {"kind": kind, "text": text, "occurrence": "all"}))
                continue
            for start in sorted(set(starts)):
                span = (start, start + len(text))
                n = self._place(f"{where}, furniture", doc, text, span, article=False)
                entries.append((start, compact(kind=kind, text=text, occurrence=n)))
        return [e for _, e in sorted(entries, key=lambda x: (x[0], x[1]["kind"]))]

    def statements(
        self,
        source: str,
        doc: Document,
        rows: list[Any],
        statements: dict[int, Any],
        home: dict[int, int],
    ) -> list[Entry]:
        """The file's statements in text order: declared here when this is their earliest
        report, else a `ref`; each with its appearances in this document."""
        grouped: dict[int, list[Any]] = defaultdict(list)
        for a in sorted(rows, key=lambda a: a.span_start):
            grouped[a.statement_id].append(a)
        entries = []
        for sid, group in sorted(grouped.items(), key=lambda x: (x[1][0].span_start, x[0])):
            where = f"source '{source}', statement '{group[0].statement}'"
            appearances = [self._appearance(where, doc, a) for a in group]
            s = statements.get(sid) if home[sid] == group[0].source_id else None
            if s is None:
                entries.append({"ref": group[0].statement, "appearances": appearances})
                continue
            if s.status != ReviewStatus.confirmed:
                # The loader takes a report of a statement not confirmed as proposed: a
                # confirmed one says so.
                for a, entry in zip(group, appearances, strict=True):
                    if a.status == ReviewStatus.confirmed and "status" not in entry:
                        entry["status"] = ReviewStatus.confirmed.value
            entries.append(
                compact(
                    slug=s.slug,
                    speaker=s.speaker,
                    claim=s.claim,
                    stance=s.stance.value,
                    said_on=s.said_on,
                    context=s.context,
                    recipient=s.recipient,
                    via=s.via,
                    note=s.note,
                    **review(s),
                    appearances=appearances,
                )
            )
        return entries

    def _appearance(self, where: str, doc: Document, a: Any) -> Entry:
        span = (a.span_start, a.span_end)
        occurrence = self._place(where, doc, a.quote, span, article=True)
        # Attribution and hedge are found at their occurrence nearest the quote: check it is so.
        for part in ("attribution", "hedge"):
            words, at = getattr(a, part), (getattr(a, f"{part}_start"), getattr(a, f"{part}_end"))
            if words is None:
                continue
            try:
                nearest = doc.nearest(words, span) == at
            except NotPlaced:
                nearest = False
            if not nearest:
                self.problems.append(
                    f"{where}: the {part} {words!r} at {at} is not its occurrence nearest the quote"
                )
        return compact(
            quote=a.quote,
            occurrence=occurrence,
            mode=a.mode.value,
            attribution=a.attribution,
            hedge=a.hedge,
            note=a.note,
            **review(a),
        )


def _occurrence(doc: Document, text: str, start: int, *, article: bool) -> int | None:
    """The `occurrence` of TEXT that the loader places at START: None when the text alone says.

    ARTICLE: the loader looks outside page furniture (quotes), else anywhere (dates, furniture).
    Raises NotPlaced when no hint leads there.
    """
    span = (start, start + len(text))
    try:
        if doc.place(text, article_only=article) == span:
            return None
    except NotPlaced:
        pass
    starts = doc.occurrences(text)
    if start not in starts:
        raise NotPlaced(f"it is not at offset {start}")
    n = starts.index(start) + 1
    doc.place(text, occurrence=n, article_only=article)  # refuses a quote in page furniture
    return n


def _affiliations_first(actors: list[Entry]) -> list[Entry]:
    """By slug, but an actor's affiliation declared in the same file before it."""
    by_slug = {a["slug"]: a for a in actors}
    done: set[str] = set()
    ordered: list[Entry] = []
    for slug in sorted(by_slug):
        chain: list[Entry] = []
        at = by_slug.get(slug)
        while at is not None and at["slug"] not in done:
            done.add(at["slug"])
            chain.append(at)
            at = by_slug.get(at.get("affiliation", ""))
        ordered += reversed(chain)
    return ordered

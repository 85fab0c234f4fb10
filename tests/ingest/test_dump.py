"""`sayso export`: a dump that `sayso load` restores to the same rows, on both databases."""

import datetime as dt
import hashlib
import json
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Databases, sayso
from seed_facts import SEED_ANNOTATIONS
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy import text as sql

from app.db.engine import make_engine, session_scope
from app.ingest.dump import CARRIED, NotExportable, export, snapshot_session
from app.ingest.loader import annotation_files, load
from app.ingest.parse import parse_file
from app.ingest.problems import InvalidAnnotations
from app.ingest.validate import validate
from app.models import Actor, ActorAlias, Appearance, Base, Source, Statement

Snapshot = dict[str, Counter[tuple[Any, ...]]]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    if isinstance(value, dict | list):  # a JSON column
        return json.dumps(value, sort_keys=True, default=str)
    return value


def snapshot(engine: Engine) -> Snapshot:
    """Every row of every table with every column but its id; a reference to another row is
    replaced by that row's natural key (its slug, or for a row without one, its whole content)."""
    keys: dict[str, dict[int, Any]] = {}
    found: Snapshot = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name == "changes":  # each load records its own, when and from which file
                continue
            rows = conn.execute(select(table)).mappings().all()
            if "slug" in table.c:  # known before the references (actors refer to actors)
                keys[table.name] = {r["id"]: r["slug"] for r in rows}
            contents = []
            for r in rows:
                values = []
                for column in table.c:
                    if column.name == "id":
                        continue
                    value = r[column.name]
                    for fk in column.foreign_keys:
                        value = None if value is None else keys[fk.column.table.name][value]
                    values.append((column.name, _plain(value)))
                contents.append(tuple(values))
            if "slug" not in table.c:
                keys[table.name] = {r["id"]: c for r, c in zip(rows, contents, strict=True)}
            found[table.name] = Counter(contents)
    return found


def aliases_in_order(engine: Engine) -> dict[str, list[str]]:
    """Each actor's aliases in the order the API lists them (name first)."""
    found: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for slug, alias in conn.execute(
            select(Actor.slug, ActorAlias.alias).join(Actor).order_by(ActorAlias.id)
        ):
            found.setdefault(slug, []).append(alias)
    return found


def dump(engine: Engine, directory: Path) -> dict[str, int]:
    with snapshot_session(engine) as session:
        return export(session, directory)


def load_into(url: str, *paths: Path) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return load(session, list(paths))
    finally:
        engine.dispose()


def files_of(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*.*")}


def assert_round_trip(engine: Engine, databases: Databases, tmp_path: Path) -> dict[str, bytes]:
    """Export, load the export into an empty database: the same rows; export that: same bytes."""
    counts = dump(engine, tmp_path / "dump")
    restored_url = databases.fresh()
    loaded = load_into(restored_url, tmp_path / "dump")
    assert loaded["statements"] == counts["statements"]
    restored = make_engine(restored_url)
    try:
        before = snapshot(engine)
        assert snapshot(restored) == before
        assert aliases_in_order(restored) == aliases_in_order(engine)
        dump(restored, tmp_path / "again")
    finally:
        restored.dispose()
    exported = files_of(tmp_path / "dump")
    assert files_of(tmp_path / "again") == exported
    return exported


# -- the seed -------------------------------------------------------------------------------------


def test_the_seed_round_trips_to_the_same_rows(
    seeded_engine: Engine, databases: Databases, tmp_path: Path
) -> None:
    exported = assert_round_trip(seeded_engine, databases, tmp_path)
    annotations = sorted(name for name in exported if name.startswith("annotations/"))
    assert annotations == [
        # Dan Tri prints no publication date: it is dated by its text (2024-02-12).
        "annotations/2024-02-12_dantri-2024-putin-ceasefire-revealed.yaml",
        "annotations/2024-02-14_indiatv-2024-02-14-putin-ceasefire-rejected.yaml",
    ]
    for f in SEED_ANNOTATIONS.glob("*.yaml"):  # every document, byte for byte
        document = yaml.safe_load(f.read_text())["source"]
        raw = (f.parent / document["document"]).read_bytes()
        assert exported[f"documents/{document['slug']}.txt"] == raw


def test_the_snapshot_sees_every_column_of_the_tables_the_format_holds(
    seeded_engine: Engine,
) -> None:
    rows = snapshot(seeded_engine)
    for name, carried in CARRIED.items():
        table = Base.metadata.tables[name]
        assert rows[name], f"the seed has no {name}: the test would see nothing"
        columns = {column for row in rows[name] for column, _ in row}
        assert columns == {c.name for c in table.c} - {"id"}
        assert carried <= columns, "the export names a column that is not there"


def test_a_value_in_a_column_the_format_does_not_carry_is_refused(
    seeded_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if `context` had been added to statements after the export was written."""
    monkeypatch.setitem(CARRIED, "statements", CARRIED["statements"] - {"context"})
    with pytest.raises(NotExportable, match=r"\d+ statements have a context that the format"):
        dump(seeded_engine, tmp_path / "dump")
    assert not (tmp_path / "dump").exists()


def test_the_comparison_catches_a_moved_span_a_lost_alias_a_changed_byte_a_dropped_value(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        load(session, [SEED_ANNOTATIONS])
    changes = [
        update(Appearance)
        .where(Appearance.id == select(func.min(Appearance.id)).scalar_subquery())
        .values(span_start=Appearance.span_start + 1, span_end=Appearance.span_end + 1),
        delete(ActorAlias).where(
            ActorAlias.id == select(func.max(ActorAlias.id)).scalar_subquery()
        ),
        update(Source)
        .where(Source.text.is_not(None))
        .values(text=func.replace(Source.text, "Putin", "Putín")),
        update(Statement).where(Statement.context.is_not(None)).values(context=None),
    ]
    before = snapshot(engine)
    for change in changes:
        with engine.begin() as conn:
            assert conn.execute(change).rowcount > 0
        after = snapshot(engine)
        assert after != before, change
        before = after


def test_exporting_twice_writes_the_same_bytes(seeded_engine: Engine, tmp_path: Path) -> None:
    first = dump(seeded_engine, tmp_path / "one")
    second = dump(seeded_engine, tmp_path / "two")
    assert first == second
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")


def test_loading_the_export_into_its_own_database_writes_nothing(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    with session_scope(engine) as session:
        load(session, [SEED_ANNOTATIONS])
    before = snapshot(engine)
    dump(engine, tmp_path / "dump")
    counts = load_into(db_url, tmp_path / "dump")
    assert not any(counts.values()), counts
    assert snapshot(engine) == before


def test_the_exported_files_pass_the_loaders_validation(
    seeded_engine: Engine, engine: Engine, tmp_path: Path
) -> None:
    counts = dump(seeded_engine, tmp_path / "dump")
    files = annotation_files([tmp_path / "dump"])
    assert len(files) == counts["documents"] == 2
    parsed = [parse_file(f) for f in files]
    assert all(not isinstance(p, list) for p in parsed), parsed
    with session_scope(engine) as session:  # an empty database: everything is new
        plan = validate(session, [p for p in parsed if not isinstance(p, list)])
    assert plan.counts() == {
        "actors": counts["actors"],
        "claims": counts["claims"],
        "sources": counts["documents"] + counts["sources without text"],
        "statements": counts["statements"],
        "appearances": counts["appearances"],
        "contradictions": counts["contradictions"],
    }
    with seeded_engine.connect() as conn:
        assert counts["statements"] == conn.scalar(select(func.count()).select_from(Statement))


def test_an_empty_database_exports_to_an_empty_dump(engine: Engine, tmp_path: Path) -> None:
    """Nothing to write, and so nothing for `sayso load` to read: it says so."""
    assert not any(dump(engine, tmp_path / "dump").values())
    assert not [p for p in (tmp_path / "dump").rglob("*") if p.is_file()]
    with pytest.raises(InvalidAnnotations, match="no annotation files"):
        load_into(str(engine.url), tmp_path / "dump")


def test_an_export_never_writes_into_a_folder_that_holds_files(
    seeded_engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / "dump").mkdir()
    (tmp_path / "dump" / "old.yaml").write_text("format: sayso/1\n")
    with pytest.raises(FileExistsError):
        dump(seeded_engine, tmp_path / "dump")
    assert [p.name for p in tmp_path.iterdir()] == ["dump"]
    (tmp_path / "dump" / "old.yaml").unlink()
    assert dump(seeded_engine, tmp_path / "dump")["documents"] == 2  # an empty folder will do


def test_the_cli_exports_and_refuses_a_folder_with_files(seeded_url: str, tmp_path: Path) -> None:
    done = sayso(seeded_url, "export", str(tmp_path / "dump"))
    assert done.returncode == 0, done.stderr
    assert "exported: 2 documents" in done.stderr
    assert len(annotation_files([tmp_path / "dump"])) == 2
    again = sayso(seeded_url, "export", str(tmp_path / "dump"))
    assert again.returncode == 1
    assert "is not an empty folder" in again.stderr


# -- a corpus of awkward cases --------------------------------------------------------------------

IST, PST = dt.timezone(dt.timedelta(hours=5, minutes=30)), dt.timezone(dt.timedelta(hours=-8))
DOC_A = "\r\n".join(
    [
        "Home | World | Politics",
        "Sponsored",
        "Published: 1 March 2024, 01:30 IST | Updated: Feb 29, 2024 22:00 PST",
        'Zürich — The minister said: "we will sign". Sponsored',
        'Later the minister said "we will sign" again, na na na, the minister said.',
        "Sponsored",
        "According to officials, the deal is close.",
        'Officials said, "the deal is near", reportedly.',
        "A member of the group said\tno deal exists\u00a0at all; yes.",
        "(with inputs from Wire) and again (with inputs from Wire)",
        "Read more: the deal is near",
        "",
    ]
)
DOC_B = (
    "15 января 2024\nOfficials: the deal is near, sources say. Yes, the deal is near.\n"
    "Переговоры продолжаются, said the minister. Обновлено 16 января.\n"
)
DOC_C = "Nothing dated here. The minister said nothing.\n"

FILE_A: dict[str, Any] = {
    "source": {
        "slug": "doc-a",
        "title": "A: the deal",
        "outlet": "outlet-a",
        "url": "https://example.org/a?x=1#frag",
        "byline": "Anna # Writer",
        "language": "en",
        "description": "Line one\nline two, with a trailing space ",
        "dates": [
            {
                "kind": "published",
                "printed": "1 March 2024, 01:30 IST",
                "value": dt.datetime(2024, 3, 1, 1, 30, tzinfo=IST),
            },
            {
                "kind": "updated",
                "printed": "Feb 29, 2024 22:00 PST",
                "value": dt.datetime(2024, 2, 29, 22, 0, tzinfo=PST),
                "note": "yes",
            },
        ],
        "cites": [
            {"source": "wire-story", "evidence": "(with inputs from Wire)", "occurrence": 2},
            {"source": "doc-b"},
        ],
        "furniture": [
            {"kind": "navigation", "text": "Home | World | Politics"},
            {"kind": "promotion", "text": "Sponsored", "occurrence": 1},
            {"kind": "promotion", "text": "Sponsored", "occurrence": 3},
            {"kind": "dateline", "text": "Published: 1 March 2024, 01:30 IST"},
            {"kind": "teaser", "text": "Read more: the deal is near"},
        ],
    },
    "actors": [
        # Before its member: the loader inserts actors in file order (SQLite checks at once).
        {"slug": "z-group", "name": "The group", "kind": "group", "aliases": ["the group"]},
        {
            "slug": "a-member",
            "name": "A member of the group",
            "kind": "unnamed",
            "affiliation": "z-group",
            "group_size": 1,
            "knowledge": "the: talks",
        },
        {
            "slug": "minister",
            "name": "The Minister",
            "kind": "person",
            "description": "null",
            "aliases": ["the minister", "Minister", "- dash"],
        },
        {"slug": "officials", "name": "Officials", "kind": "unnamed", "group_size": 2},
        {"slug": "wire", "name": "Wire", "kind": "outlet"},
        {"slug": "outlet-a", "name": "Outlet A", "kind": "outlet"},
        {"slug": "outlet-b", "name": "Outlet B", "kind": "outlet", "aliases": ["B"]},
    ],
    "sources": [
        {
            "slug": "wire-story",
            "outlet": "wire",
            "language": "en",
            "title": "2024-02-28",
            "reported_on": dt.date(2024, 2, 28),
        }
    ],
    "claims": [
        {"slug": "deal-will-be-signed", "text": "The deal will be signed: #1 priority."},
        {"slug": "deal-is-near", "text": "The deal is near.", "note": " leading space"},
        {"slug": "na-claim", "text": "Na."},
        {"slug": "talks-continue", "text": "Talks continue."},
    ],
    "statements": [
        {
            "slug": "minister-will-sign",
            "speaker": "minister",
            "claim": "deal-will-be-signed",
            "stance": "asserts",
            "said_on": dt.date(2024, 2, 29),
            "context": "at a press conference\nin Zürich",
            "recipient": "wire",
            "via": " via aides",
            "note": "# not a comment",
            "appearances": [
                {
                    "quote": "we will sign",
                    "occurrence": 2,
                    "mode": "direct",
                    "attribution": "the minister said",
                },
                {
                    "quote": "we will sign",
                    "after": "Zürich",
                    "mode": "direct",
                    "attribution": "The minister said",
                    "note": "first",
                },
            ],
        },
        {
            "slug": "officials-deal-near",
            "speaker": "officials",
            "claim": "deal-is-near",
            "stance": "suggests",
            "appearances": [
                {
                    "quote": "the deal is near",
                    "mode": "direct",
                    "attribution": "Officials said",
                    "hedge": "reportedly",
                },
                {
                    "quote": "the deal is close",
                    "mode": "indirect",
                    "attribution": "According to officials",
                },
            ],
        },
        {
            "slug": "member-no-deal",
            "speaker": "a-member",
            "claim": "deal-will-be-signed",
            "stance": "denies",
            "appearances": [
                {
                    "quote": "no deal exists\u00a0at all",
                    "mode": "indirect",
                    "attribution": "A member of the group said",
                }
            ],
        },
        {
            "slug": "na-statement",
            "speaker": "minister",
            "claim": "na-claim",
            "stance": "questions",
            "appearances": [{"quote": "na na", "occurrence": 2, "mode": "indirect"}],
        },
        {
            "slug": "yes-statement",
            "speaker": "a-member",
            "claim": "deal-is-near",
            "stance": "declines_to_comment",
            "appearances": [{"quote": "yes", "mode": "direct"}],
        },
    ],
}
FILE_B: dict[str, Any] = {
    "source": {
        "slug": "doc-b",
        "outlet": "outlet-b",
        "language": "ru",
        "dates": [
            {"kind": "page", "printed": "15 января 2024", "value": dt.date(2024, 1, 15)},
            {
                "kind": "page",
                "printed": "16 января",
                "value": dt.datetime(2024, 1, 16, 2, 0, tzinfo=dt.timezone(dt.timedelta(hours=5))),
            },
        ],
    },
    "statements": [
        {
            "ref": "officials-deal-near",
            "appearances": [
                {
                    "quote": "the deal is near",
                    "occurrence": 1,
                    "mode": "indirect",
                    "attribution": "Officials:",
                }
            ],
        },
        {
            "slug": "minister-talks-continue",
            "speaker": "minister",
            "claim": "talks-continue",
            "stance": "asserts",
            "appearances": [
                {
                    "quote": "Переговоры продолжаются",
                    "mode": "indirect",
                    "attribution": "said the minister",
                }
            ],
        },
    ],
    "contradictions": [
        {
            "kind": "misreport",
            "statement": "officials-deal-near",
            "a": {"source": "doc-a", "quote": "the deal is near"},
            "b": {"source": "doc-b", "quote": "the deal is near"},
            "rationale": "One says near; the other is Russian.",
        },
        {
            "kind": "inconsistency",
            "a": "minister-talks-continue",
            "b": "member-no-deal",
            "rationale": "Talks would not continue with no deal at all.",
        },
    ],
}
FILE_C: dict[str, Any] = {
    "source": {"slug": "doc-c", "language": "en"},
    "actors": [
        {"slug": "lonely-actor", "name": "Lonely", "kind": "person", "affiliation": "minister"},
        {"slug": "lonely-outlet", "name": "Lonely Outlet", "kind": "outlet"},
    ],
    "sources": [{"slug": "wire-unused", "outlet": "lonely-outlet", "language": "en"}],
    "claims": [{"slug": "unused-claim", "text": "Nobody says this."}],
    "statements": [
        {
            # The group speaks in the last file, its member in an earlier one: the earlier file
            # must declare it (an actor is inserted after its affiliation).
            "slug": "group-nothing-dated",
            "speaker": "z-group",
            "claim": "talks-continue",
            "stance": "questions",
            "appearances": [{"quote": "Nothing dated here", "mode": "indirect"}],
        },
        {
            "slug": "minister-nothing",
            "speaker": "minister",
            "claim": "deal-is-near",
            "stance": "declines_to_comment",
            "appearances": [{"quote": "The minister said nothing", "mode": "indirect"}],
        },
    ],
}


@pytest.fixture
def awkward(tmp_path: Path) -> Path:
    """Annotations of three documents that need every hint the format has: repeated and
    overlapping quotes, quotes also in furniture, dates whose day is not their UTC day, partial
    furniture, CRLF and non-ASCII text, YAML-like strings, leftovers no document uses."""
    (tmp_path / "documents").mkdir()
    (tmp_path / "annotations").mkdir()
    for name, text, spec in (("a", DOC_A, FILE_A), ("b", DOC_B, FILE_B), ("c", DOC_C, FILE_C)):
        raw = text.encode("utf-8")
        (tmp_path / "documents" / f"{name}.txt").write_bytes(raw)
        source = {
            **spec["source"],
            "document": f"../documents/{name}.txt",
            "sha256": hashlib.sha256(raw).hexdigest(),
        }
        data = {"format": "sayso/1", **spec, "source": source}
        (tmp_path / "annotations" / f"{name}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        )
    return tmp_path / "annotations"


def test_awkward_cases_round_trip_to_the_same_rows(
    engine: Engine, databases: Databases, awkward: Path, tmp_path: Path
) -> None:
    with session_scope(engine) as session:
        load(session, [awkward])
    exported = assert_round_trip(engine, databases, tmp_path)
    names = sorted(name for name in exported if name.startswith("annotations/"))
    assert names == [
        "annotations/2024-01-15_doc-b.yaml",
        "annotations/2024-03-01_doc-a.yaml",
        "annotations/undated_doc-c.yaml",
    ]
    b = yaml.safe_load(exported["annotations/2024-01-15_doc-b.yaml"])
    a = yaml.safe_load(exported["annotations/2024-03-01_doc-a.yaml"])
    c = yaml.safe_load(exported["annotations/undated_doc-c.yaml"])
    # Declared in its earliest report, doc B, not where it was first written.
    assert b["statements"][0]["slug"] == "officials-deal-near"
    assert "officials-deal-near" in [s.get("ref") for s in a["statements"]]
    # An affiliation no document needs is declared with its first member, before it.
    assert [x["slug"] for x in a["actors"]][:2] == ["z-group", "a-member"]
    # What no document needs is in the last file.
    assert {x["slug"] for x in c["actors"]} == {"lonely-actor", "lonely-outlet"}
    assert [x["slug"] for x in c["sources"]] == ["wire-unused"]
    assert [x["slug"] for x in c["claims"]] == ["unused-claim"]
    # Instants are stored in UTC: each is written with the offset of the clock time printed.
    values = [d["value"] for d in a["source"]["dates"]]
    assert values == [
        dt.datetime(2024, 3, 1, 1, 30, tzinfo=IST),
        dt.datetime(2024, 2, 29, 22, 0, tzinfo=PST),
    ]
    assert [v.utcoffset() for v in values] == [IST.utcoffset(None), PST.utcoffset(None)]
    # With no clock time printed, an offset that keeps the day (UTC's would be the 15th).
    assert b["source"]["dates"][1]["value"].date() == dt.date(2024, 1, 16)


def test_what_the_format_cannot_say_is_refused_and_nothing_written(
    engine: Engine, awkward: Path, tmp_path: Path
) -> None:
    with session_scope(engine) as session:
        load(session, [awkward])
    with engine.begin() as conn:
        doc_a, doc_b = (
            conn.scalar(select(Source.id).where(Source.slug == slug)) for slug in ("doc-a", "doc-b")
        )
        # An attribution that is not at its occurrence nearest the quote.
        far = DOC_A.rindex("the minister said")
        conn.execute(
            update(Appearance)
            .where(Appearance.attribution == "the minister said")
            .values(attribution_start=far, attribution_end=far + len("the minister said"))
        )
        # A second appearance in doc B worded as the one a misreport names.
        statement = conn.scalar(select(Statement.id).where(Statement.slug == "officials-deal-near"))
        second = DOC_B.rindex("the deal is near")
        conn.execute(
            insert(Appearance).values(
                statement_id=statement,
                source_id=doc_b,
                quote="the deal is near",
                mode="indirect",
                span_start=second,
                span_end=second + len("the deal is near"),
            )
        )
        # An actor whose name is not among its aliases; a text that no longer matches its hash.
        minister = conn.scalar(select(Actor.id).where(Actor.slug == "minister"))
        conn.execute(
            delete(ActorAlias).where(
                ActorAlias.actor_id == minister, ActorAlias.alias == "The Minister"
            )
        )
        conn.execute(update(Source).where(Source.id == doc_a).values(text=DOC_A.replace("Z", "z")))
    with pytest.raises(NotExportable) as refused:
        dump(engine, tmp_path / "dump")
    said = str(refused.value)
    assert "the attribution 'the minister said'" in said
    assert "the format cannot say which one is meant" in said
    assert "actor 'minister': its first alias is not its name" in said
    assert "source 'doc-a': its text does not match its sha256" in said
    assert not (tmp_path / "dump").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["annotations", "documents"]

    with engine.begin() as conn:
        conn.execute(
            delete(Appearance).where(
                Appearance.statement_id
                == select(Statement.id)
                .where(Statement.slug == "minister-nothing")
                .scalar_subquery()
            )
        )
    with pytest.raises(NotExportable, match="statements reported by no source: minister-nothing"):
        dump(engine, tmp_path / "dump")


def test_review_status_round_trips(db_url: str, databases: Databases, tmp_path: Path) -> None:
    # Proposed and rejected rows (as the editing API and extraction leave them) come back as
    # they were.
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            load(session, [SEED_ANNOTATIONS])
        with engine.begin() as conn:
            conn.execute(
                sql("UPDATE statements SET status = 'proposed' WHERE slug = :s"),
                {"s": "peskov-denies-peace-proposals"},
            )
            conn.execute(
                sql(
                    "UPDATE appearances SET status = 'rejected', status_reason = 'misquoted' "
                    "WHERE id = (SELECT min(id) FROM appearances)"
                )
            )
            conn.execute(
                sql(
                    "UPDATE contradictions SET status = 'proposed' "
                    "WHERE id = (SELECT min(id) FROM contradictions WHERE kind = 'misreport')"
                )
            )
            # A derived denial a person rejected: the restore must not find it again, confirmed.
            conn.execute(
                sql(
                    "UPDATE contradictions SET status = 'rejected', status_reason = 'not so' "
                    "WHERE id = (SELECT min(id) FROM contradictions WHERE kind = 'denial')"
                )
            )
        exported = assert_round_trip(engine, databases, tmp_path)
        # Into the database it came from: nothing new (the rejected denial is the stored one).
        before = snapshot(engine)
        assert not any(load_into(db_url, tmp_path / "dump").values())
        assert snapshot(engine) == before
    finally:
        engine.dispose()
    written = b"".join(exported.values())
    assert b"status: proposed" in written and b"status_reason: misquoted" in written
    assert written.count(b"kind: denial") == 1 and b"status_reason: not so" in written

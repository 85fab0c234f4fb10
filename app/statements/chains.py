"""Attribution chains: how a statement travelled from its speaker to the reader of each source
that prints it ("a senior Russian source -> told Reuters -> reported by Reuters -> re-reported by
India TV News"), built from the statement's recipient and channel and from what sources cite."""

from collections import defaultdict

from sqlalchemy import bindparam, select

from app.db.reads import SQL, ReadDB, Row
from app.db.review import confirmed
from app.models import Appearance, Source, SourceCitation, Statement
from app.shared.briefs import SourceBrief, StatementBrief
from app.shared.lookups import id_of
from app.shared.statement_rows import (
    SOURCE_BRIEF_COLUMNS,
    STATEMENT_ROWS,
    Outlet,
    source_brief,
    statement_brief,
)
from app.statements.schemas import Chain, ChainHop, StatementChains
from app.web.errors import NotFound

SOURCE_COLUMNS = (Source.id.label("source_id"), *SOURCE_BRIEF_COLUMNS)

# By whether drafts are shown: the statement whatever its review status, or a confirmed one.
_STATEMENT = {
    True: SQL(STATEMENT_ROWS.where(Statement.slug == bindparam("slug"))),
    False: SQL(
        STATEMENT_ROWS.where(Statement.slug == bindparam("slug"), confirmed(Statement.status))
    ),
}
_APPEARANCES = SQL(
    select(Appearance.id, Appearance.quote, Appearance.mode, *SOURCE_COLUMNS)
    .join(Source, Source.id == Appearance.source_id)
    .outerjoin(Outlet, Outlet.id == Source.outlet_id)
    .where(
        Appearance.statement_id == id_of("statement", "slug"),
        confirmed(Appearance.status),
    )
    .order_by(Source.reported_on, Source.id, Appearance.span_start)
)
# Every citation reachable from the sources that print the statement (UNION stops at cycles).
_reached = (
    select(SourceCitation.source_id, SourceCitation.cited_source_id)
    .where(
        SourceCitation.source_id.in_(
            select(Appearance.source_id).where(
                Appearance.statement_id == id_of("statement", "slug")
            )
        )
    )
    .cte("reached", recursive=True)
)
_reached = _reached.union(
    select(SourceCitation.source_id, SourceCitation.cited_source_id).join(
        _reached, SourceCitation.source_id == _reached.c.cited_source_id
    )
)
_CITATIONS = SQL(
    select(_reached.c.source_id.label("citing_id"), *SOURCE_COLUMNS)
    .join(Source, Source.id == _reached.c.cited_source_id)
    .outerjoin(Outlet, Outlet.id == Source.outlet_id)
    .order_by(_reached.c.source_id, Source.reported_on, Source.id)
)


def _source_words(source: SourceBrief) -> str:
    who = source["outlet"]["name"] if source["outlet"] else source["title"] or source["slug"]
    return f"{who} ({source['reported_on']})" if source["reported_on"] else who


def _paths(source_id: int, cites: dict[int, list[Row]], seen: frozenset[int]) -> list[list[Row]]:
    """Every path of citations from SOURCE_ID back to a source that cites nothing known,
    origin first."""
    upstream = [row for row in cites.get(source_id, []) if row["source_id"] not in seen]
    if not upstream:
        return [[]]
    return [
        [*path, row]
        for row in upstream
        for path in _paths(row["source_id"], cites, seen | {row["source_id"]})
    ]


def _speaker_hops(statement: StatementBrief) -> list[ChainHop]:
    hops: list[ChainHop] = [
        {
            "role": "speaker",
            "actor": statement["speaker"],
            "source": None,
            "text": statement["speaker"]["name"],
        }
    ]
    if statement["via"]:
        hops.append({"role": "via", "actor": None, "source": None, "text": statement["via"]})
    if statement["recipient"]:
        told = statement["recipient"]
        hops.append({"role": "told", "actor": told, "source": None, "text": f"told {told['name']}"})
    return hops


def attribution_chains(db: ReadDB, slug: str, *, drafts: bool = False) -> StatementChains:
    """For each confirmed appearance of the statement, each path from its speaker to that
    source; a statement that is not confirmed is found with DRAFTS alone."""
    row = db.one(_STATEMENT[drafts], {"slug": slug})
    if row is None:
        raise NotFound.slug_of("statement", slug)
    statement = statement_brief(row)
    cites: dict[int, list[Row]] = defaultdict(list)
    for citation in db.all(_CITATIONS, {"slug": slug}):
        cites[citation["citing_id"]].append(citation)
    speaker_hops = _speaker_hops(statement)
    chains: list[Chain] = []
    for appearance in db.all(_APPEARANCES, {"slug": slug}):
        printed = source_brief(appearance)
        for path in _paths(appearance["source_id"], cites, frozenset({appearance["source_id"]})):
            hops = list(speaker_hops)
            for i, cited in enumerate(path):
                source = source_brief(cited)
                verb = "reported by" if i == 0 else "re-reported by"
                hops.append(
                    {
                        "role": "reported_by" if i == 0 else "re_reported_by",
                        "actor": source["outlet"],
                        "source": source,
                        "text": f"{verb} {_source_words(source)}",
                    }
                )
            verb = "re-reported by" if path else "reported by"
            hops.append(
                {
                    "role": "re_reported_by" if path else "reported_by",
                    "actor": printed["outlet"],
                    "source": printed,
                    "text": f"{verb} {_source_words(printed)}",
                }
            )
            chains.append(
                {
                    "appearance": {
                        "id": appearance["id"],
                        "quote": appearance["quote"],
                        "mode": appearance["mode"],
                    },
                    "hops": hops,
                    "text": " -> ".join(hop["text"] for hop in hops),
                }
            )
    return {"statement": statement, "chains": chains}

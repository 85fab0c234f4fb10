"""Statements as every answer shows them: the columns read, and the rows turned into the shapes of
app/shared/briefs.py. The statements' own lists, a claim's, an actor's and a source's pages, the
contradictions and the appearances all read statements through these."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import aliased

from app.db.reads import SQL, AnySelect, ReadDB, Row
from app.db.review import Review, confirmed
from app.models import Actor, Appearance, Claim, Source, Statement
from app.models.enums import ActorKind, ReviewStatus
from app.shared.briefs import (
    ActorBrief,
    AppearanceFields,
    AppearanceRead,
    Dated,
    Located,
    SourceBrief,
    StatementBrief,
    StatementRead,
)
from app.shared.lookups import id_of

Speaker = aliased(Actor, name="speaker")


Recipient = aliased(Actor, name="recipient")


Outlet = aliased(Actor, name="outlet")


STATEMENT_COLUMNS = (
    Statement.id,
    Statement.slug,
    Statement.stance,
    Statement.said_on,
    Statement.dated_on,
    Statement.context,
    Statement.via,
    Statement.note,
    Statement.version,
    Statement.status,
    Statement.status_reason,
    Speaker.slug.label("speaker_slug"),
    Speaker.name.label("speaker_name"),
    Speaker.kind.label("speaker_kind"),
    Claim.slug.label("claim_slug"),
    Claim.text.label("claim_text"),
    Recipient.slug.label("recipient_slug"),
    Recipient.name.label("recipient_name"),
    Recipient.kind.label("recipient_kind"),
)


STATEMENT_ROWS = (
    select(*STATEMENT_COLUMNS)
    .join(Speaker, Speaker.id == Statement.speaker_id)
    .join(Claim, Claim.id == Statement.claim_id)
    .outerjoin(Recipient, Recipient.id == Statement.recipient_id)
)


APPEARANCE_COLUMNS = (
    Appearance.id.label("appearance_id"),
    Appearance.statement_id,
    Appearance.quote,
    Appearance.mode,
    Appearance.span_start,
    Appearance.span_end,
    Appearance.attribution,
    Appearance.attribution_start,
    Appearance.attribution_end,
    Appearance.hedge,
    Appearance.hedge_start,
    Appearance.hedge_end,
    Appearance.note.label("appearance_note"),
    Appearance.version.label("appearance_version"),
    Appearance.status.label("appearance_status"),
    Appearance.status_reason.label("appearance_status_reason"),
)


def actor_brief(slug: str, name: str, kind: ActorKind) -> ActorBrief:
    return {"slug": slug, "name": name, "kind": kind}


def linked_actor(slug: str | None, name: str, kind: ActorKind) -> ActorBrief | None:
    """An actor an outer join may have found: none when its columns are null."""
    return None if slug is None else {"slug": slug, "name": name, "kind": kind}


def dated(said_on: Any, dated_on: Any) -> Dated | None:
    """A statement's date for filters and timelines, and what gives it."""
    if dated_on is None:
        return None
    return {"on": dated_on, "by": "said" if said_on is not None else "reported"}


def statement_brief(row: Row) -> StatementBrief:
    """A statement without its appearances, from a row of STATEMENT_COLUMNS."""
    return {
        "slug": row["slug"],
        "stance": row["stance"],
        "speaker": actor_brief(row["speaker_slug"], row["speaker_name"], row["speaker_kind"]),
        "claim": {"slug": row["claim_slug"], "text": row["claim_text"]},
        "said_on": row["said_on"],
        "dated": dated(row["said_on"], row["dated_on"]),
        "context": row["context"],
        "recipient": linked_actor(
            row["recipient_slug"], row["recipient_name"], row["recipient_kind"]
        ),
        "via": row["via"],
        "note": row["note"],
        "status": row["status"],
        "status_reason": row["status_reason"],
        "version": row["version"],
    }


# A source as listed beside a report of a statement: joined with its outlet as Outlet.
SOURCE_BRIEF_COLUMNS = (
    Source.slug.label("source_slug"),
    Source.title.label("source_title"),
    Source.reported_on.label("source_reported_on"),
    Outlet.slug.label("outlet_slug"),
    Outlet.name.label("outlet_name"),
    Outlet.kind.label("outlet_kind"),
)


def source_brief(row: Row) -> SourceBrief:
    """A source with its outlet, from a row of SOURCE_BRIEF_COLUMNS."""
    return {
        "slug": row["source_slug"],
        "title": row["source_title"],
        "outlet": linked_actor(row["outlet_slug"], row["outlet_name"], row["outlet_kind"]),
        "reported_on": row["source_reported_on"],
    }


def appearance_fields(row: Row) -> AppearanceFields:
    """Where and how a source worded a statement, with the spans a front end highlights."""
    return {
        "id": row["appearance_id"],
        "quote": row["quote"],
        "mode": row["mode"],
        "span": {"start": row["span_start"], "end": row["span_end"]},
        "attribution": _located(
            row["attribution"], row["attribution_start"], row["attribution_end"]
        ),
        "hedge": _located(row["hedge"], row["hedge_start"], row["hedge_end"]),
        "note": row["appearance_note"],
        "status": row["appearance_status"],
        "status_reason": row["appearance_status_reason"],
        "version": row["appearance_version"],
    }


def _located(text: str | None, start: int, end: int) -> Located | None:
    return None if text is None else {"text": text, "start": start, "end": end}


def appearances_of(statement_ids: AnySelect, conditions: Sequence[ColumnElement[bool]] = ()) -> SQL:
    """The appearances of the statements STATEMENT_IDS selects (those that meet CONDITIONS),
    each with its source."""
    return SQL(
        select(
            *APPEARANCE_COLUMNS,
            *SOURCE_BRIEF_COLUMNS,
        )
        .join(Source, Source.id == Appearance.source_id)
        .outerjoin(Outlet, Outlet.id == Source.outlet_id)
        .where(Appearance.statement_id.in_(statement_ids), *conditions)
        .order_by(Appearance.statement_id, Source.reported_on, Source.id, Appearance.span_start)
    )


def group_appearances(rows: list[Row]) -> dict[int, list[AppearanceRead]]:
    """Appearance rows as API objects, by statement id."""
    found: dict[int, list[AppearanceRead]] = defaultdict(list)
    for row in rows:
        # Completed in place: a copy of each ({**fields, "source": ...}) cost 1% of a page of
        # statements.
        item = cast(AppearanceRead, appearance_fields(row))
        item["source"] = source_brief(row)
        found[row["statement_id"]].append(item)
    return found


def reports_shown(review: Review) -> list[ColumnElement[bool]]:
    """Which reports of a statement a list shows under REVIEW: confirmed ones; asked for
    proposed ones, those and the confirmed ones beside them; asked for rejected ones or all,
    every one."""
    if review is Review.confirmed:
        return [confirmed(Appearance.status)]
    if review is Review.proposed:
        return [Appearance.status != ReviewStatus.rejected]
    return []


def statements_in(statement_ids: AnySelect, review: Review = Review.confirmed) -> tuple[SQL, SQL]:
    """Queries for the statements STATEMENT_IDS selects, and for their appearances shown under
    REVIEW (by default, the confirmed ones)."""
    rows = SQL(STATEMENT_ROWS.where(Statement.id.in_(statement_ids)))
    return rows, appearances_of(statement_ids, reports_shown(review))


def fetch_statements(db: ReadDB, queries: tuple[SQL, SQL], values: Row) -> dict[int, StatementRead]:
    """Full statements (with appearances) keyed by id, from a pair made by statements_in."""
    rows = db.all(queries[0], values)
    appearances = group_appearances(db.all(queries[1], values)) if rows else {}
    return {
        r["id"]: {**statement_brief(r), "appearances": appearances.get(r["id"], [])} for r in rows
    }


def affiliates(param: str) -> AnySelect:
    """The ids of the actors affiliated, directly or through others, with the actor bound as
    PARAM (by slug)."""
    tree = select(Actor.id).where(Actor.affiliation_id == id_of("actor", param))
    tree_cte = tree.cte(f"affiliates_{param}", recursive=True)
    member = aliased(Actor)
    tree_cte = tree_cte.union(
        select(member.id).join(tree_cte, member.affiliation_id == tree_cte.c.id)
    )
    return select(tree_cte.c.id)

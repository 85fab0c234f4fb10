"""Statement queries: one statement in full, and filtered, keyset-paged lists of them."""

from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from sqlalchemy import ColumnElement, bindparam, select
from sqlalchemy.orm import aliased

from app.errors import NotFound
from app.lookups import id_of, require
from app.models import Actor, Appearance, Claim, Source, Statement
from app.models.enums import ActorKind, ReviewStatus
from app.pagination import PageParams, page
from app.reads import SQL, AnySelect, ReadDB, Row
from app.review import confirmed
from app.statements.filters import Review, StatementFilter

Speaker = aliased(Actor, name="speaker")
Recipient = aliased(Actor, name="recipient")
Outlet = aliased(Actor, name="outlet")

STATEMENT_COLUMNS = (
    Statement.id,
    Statement.slug,
    Statement.stance,
    Statement.said_on,
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


def actor_brief(slug: str | None, name: str | None, kind: str | None) -> Row | None:
    return None if slug is None else {"slug": slug, "name": name, "kind": kind}


def statement_brief(row: Row) -> Row:
    """A statement without its appearances, from a row of STATEMENT_COLUMNS."""
    return {
        "slug": row["slug"],
        "stance": row["stance"],
        "speaker": actor_brief(row["speaker_slug"], row["speaker_name"], row["speaker_kind"]),
        "claim": {"slug": row["claim_slug"], "text": row["claim_text"]},
        "said_on": row["said_on"],
        "context": row["context"],
        "recipient": actor_brief(
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


def source_brief(row: Row) -> Row:
    """A source with its outlet, from a row of SOURCE_BRIEF_COLUMNS."""
    return {
        "slug": row["source_slug"],
        "title": row["source_title"],
        "outlet": actor_brief(row["outlet_slug"], row["outlet_name"], row["outlet_kind"]),
        "reported_on": row["source_reported_on"],
    }


def appearance_fields(row: Row) -> Row:
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


def _located(text: str | None, start: int | None, end: int | None) -> Row | None:
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


def group_appearances(rows: list[Row]) -> dict[int, list[Row]]:
    """Appearance rows as API objects, by statement id."""
    found: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        item = appearance_fields(row)
        item["source"] = source_brief(row)
        found[row["statement_id"]].append(item)
    return found


def statements_in(statement_ids: AnySelect) -> tuple[SQL, SQL]:
    """Queries for the statements STATEMENT_IDS selects, and for their confirmed appearances."""
    rows = SQL(STATEMENT_ROWS.where(Statement.id.in_(statement_ids)))
    return rows, appearances_of(statement_ids, [confirmed(Appearance.status)])


async def fetch_statements(db: ReadDB, queries: tuple[SQL, SQL], values: Row) -> dict[int, Row]:
    """Full statements (with appearances) keyed by id, from a pair made by statements_in."""
    rows = await db.all(queries[0], values)
    appearances = group_appearances(await db.all(queries[1], values)) if rows else {}
    return {
        r["id"]: {**statement_brief(r), "appearances": appearances.get(r["id"], [])} for r in rows
    }


_ONE = SQL(STATEMENT_ROWS.where(Statement.slug == bindparam("slug")))
_ONE_APPEARANCES = appearances_of(select(Statement.id).where(Statement.slug == bindparam("slug")))


async def get_statement(db: ReadDB, slug: str) -> Row:
    """One statement with its speaker, claim and every appearance."""
    row = await db.one(_ONE, {"slug": slug})
    if row is None:
        raise NotFound.slug_of("statement", slug)
    appearances = group_appearances(await db.all(_ONE_APPEARANCES, {"slug": slug}))
    return {**statement_brief(row), "appearances": appearances[row["id"]]}


async def require_named(db: ReadDB, f: StatementFilter) -> None:
    """NotFound when a filter names a claim, actor or source that does not exist."""
    await require(db, *f.slugs())


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


def _review(shape: tuple[str, ...]) -> Review:
    found = next((x for x in shape if x.startswith("review=")), "review=confirmed")
    return Review(found.removeprefix("review="))


def statement_review(review: Review) -> ColumnElement[bool] | None:
    """Which statements a list shows in REVIEW: confirmed ones unless asked for the rest (those
    proposed or rejected, or with a report that is)."""
    if review is Review.all:
        return None
    if review is Review.confirmed:
        return confirmed(Statement.status)
    status = ReviewStatus(review.value)
    # An alias of its own: the query this goes into may join appearances already.
    report = aliased(Appearance)
    reported = select(report.id).where(report.statement_id == Statement.id, report.status == status)
    return (Statement.status == status) | reported.exists()


def appearance_review(review: Review) -> ColumnElement[bool] | None:
    """Which reports are shown in REVIEW: confirmed ones; asked for proposed ones, those and
    the confirmed ones beside them; asked for rejected ones or all, every one."""
    if review is Review.confirmed:
        return confirmed(Appearance.status)
    if review is Review.proposed:
        return Appearance.status != ReviewStatus.rejected
    return None


def shown_appearances(shape: tuple[str, ...]) -> list[ColumnElement[bool]]:
    """The conditions on the appearances a list shows: its filters and its review."""
    seen = appearance_review(_review(shape))
    return [*appearance_conditions(shape), *([] if seen is None else [seen])]


def appearance_conditions(shape: tuple[str, ...]) -> list[ColumnElement[bool]]:
    """The conditions on an appearance (joined to its source) that SHAPE's filters set."""
    on = set(shape)
    conditions: list[ColumnElement[bool]] = []
    if "source" in on:
        conditions.append(Appearance.source_id == id_of("source", "source"))
    if "outlet" in on:
        conditions.append(Source.outlet_id == id_of("actor", "outlet"))
    if "language" in on:
        # The tag or any of its sub-tags ('en', 'en-gb'), as two index ranges: '.' follows '-'.
        conditions.append(
            (Source.language == bindparam("language"))
            | (
                (Source.language > bindparam("language_sub_from"))
                & (Source.language < bindparam("language_sub_to"))
            )
        )
    if "mode" in on:
        conditions.append(Appearance.mode == bindparam("mode"))
    if "hedged=True" in on:
        conditions.append(Appearance.hedge.is_not(None))
    if "hedged=False" in on:
        conditions.append(Appearance.hedge.is_(None))
    if "reported_from" in on:
        conditions.append(Source.reported_on >= bindparam("reported_from"))
    if "reported_to" in on:
        conditions.append(Source.reported_on <= bindparam("reported_to"))
    return conditions


# Filters that pick few sources: the matching appearances are found from them through indexes.
# The others (language, mode, hedged) match most appearances: those are checked statement by
# statement, in the page's order, so that a page stops after LIMIT matches.
_SELECTIVE = {"source", "outlet", "reported_from", "reported_to"}


def filtered(shape: tuple[str, ...], query: AnySelect) -> AnySelect:
    """QUERY (over statements joined to their speaker) narrowed by the filters SHAPE turns on."""
    on = set(shape)
    if "claim" in on:
        query = query.where(Statement.claim_id == id_of("claim", "claim"))
    if "speaker" in on:
        condition = Statement.speaker_id == id_of("actor", "speaker")
        if "include_affiliated=True" in on:
            condition = condition | Statement.speaker_id.in_(affiliates("speaker"))
        query = query.where(condition)
    if "affiliated_with" in on:
        query = query.where(Statement.speaker_id.in_(affiliates("affiliated_with")))
    if "stance" in on:
        query = query.where(Statement.stance == bindparam("stance"))
    if "unnamed=True" in on or "unnamed=False" in on:
        is_unnamed = Speaker.kind == ActorKind.unnamed
        query = query.where(is_unnamed if "unnamed=True" in on else ~is_unnamed)
    if "said_from" in on:
        query = query.where(Statement.said_on >= bindparam("said_from"))
    if "said_to" in on:
        query = query.where(Statement.said_on <= bindparam("said_to"))
    reviewed = statement_review(_review(shape))
    if reviewed is not None:
        query = query.where(reviewed)
    conditions = appearance_conditions(shape)
    if conditions:
        # At least one report that meets every appearance filter, and is shown.
        conditions = shown_appearances(shape)
        matching = select(Appearance.statement_id).join(Source, Source.id == Appearance.source_id)
        if on & _SELECTIVE:
            query = query.where(Statement.id.in_(matching.where(*conditions)))
        else:
            query = query.where(
                matching.where(Appearance.statement_id == Statement.id, *conditions).exists()
            )
    return query


@cache
def _list_queries(shape: tuple[str, ...], after: bool) -> tuple[SQL, SQL]:
    """The page of statements for a filter shape, and the appearances of that page."""
    ids = filtered(shape, select(Statement.id).join(Speaker, Speaker.id == Statement.speaker_id))
    rows = filtered(shape, STATEMENT_ROWS)
    if after:
        ids = ids.where(Statement.id > bindparam("after"))
        rows = rows.where(Statement.id > bindparam("after"))
    ids = ids.order_by(Statement.id).limit(bindparam("limit"))
    rows = rows.order_by(Statement.id).limit(bindparam("limit"))
    return SQL(rows), appearances_of(ids, shown_appearances(shape))


async def list_statements(db: ReadDB, f: StatementFilter, params: PageParams) -> Row:
    """A page of statements matching F, in id order, each with its appearances."""
    after = params.after()
    rows_sql, appearances_sql = _list_queries(f.shape(), after is not None)
    values = {**f.params(), "limit": params.limit + 1, "after": after[0] if after else None}
    rows = await db.all(rows_sql, values)
    kept, next_cursor = page(rows, params, lambda r: (r["id"],))
    if not rows:
        await require_named(db, f)
    appearances = group_appearances(await db.all(appearances_sql, values)) if kept else {}
    items = [{**statement_brief(r), "appearances": appearances.get(r["id"], [])} for r in kept]
    return {"items": items, "next_cursor": next_cursor}

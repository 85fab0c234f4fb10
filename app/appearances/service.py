"""Reading one appearance: the wording, its source, and the statement it reports."""

from sqlalchemy import bindparam, select

from app.appearances.schemas import AppearanceDetail
from app.curation.addresses import as_deletion, deletion_of, gone
from app.db.reads import SQL, ReadDB
from app.db.review import confirmed
from app.models import Appearance, Claim, Source, Statement
from app.shared.statement_rows import (
    APPEARANCE_COLUMNS,
    SOURCE_BRIEF_COLUMNS,
    STATEMENT_COLUMNS,
    Outlet,
    Recipient,
    Speaker,
    appearance_fields,
    source_brief,
    statement_brief,
)
from app.web.errors import NotFound

_one = (
    select(*APPEARANCE_COLUMNS, *SOURCE_BRIEF_COLUMNS, *STATEMENT_COLUMNS)
    .select_from(Appearance)
    .join(Source, Source.id == Appearance.source_id)
    .outerjoin(Outlet, Outlet.id == Source.outlet_id)
    .join(Statement, Statement.id == Appearance.statement_id)
    .join(Speaker, Speaker.id == Statement.speaker_id)
    .join(Claim, Claim.id == Statement.claim_id)
    .outerjoin(Recipient, Recipient.id == Statement.recipient_id)
    .where(Appearance.id == bindparam("id"))
)
# By whether drafts are shown: whatever its review status, or a confirmed appearance of a
# confirmed statement.
_ONE = {
    True: SQL(_one),
    False: SQL(_one.where(confirmed(Appearance.status), confirmed(Statement.status))),
}
_DELETED = deletion_of("appearance")


def get_appearance(db: ReadDB, id: int, *, drafts: bool = False) -> AppearanceDetail:
    """One appearance with its source and its statement: with DRAFTS, whatever their review
    status; else a confirmed one of a confirmed statement (a draft is not found)."""
    row = db.one(_ONE[drafts], {"id": id})
    if row is None:
        deletion = db.one(_DELETED, {"id": id})
        if deletion is not None:
            raise gone("appearance", id, str(id), as_deletion(deletion))
        raise NotFound(f"No appearance {id}.")
    return {
        **appearance_fields(row),
        "source": source_brief(row),
        "statement": statement_brief(row),
    }

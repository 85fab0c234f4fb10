"""Appearances: where a source reports a statement; read one at a time, written by their wording."""

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from app.models.enums import QuoteMode, ReviewStatus
from app.shared.briefs import AppearanceRead, StatementBrief
from app.shared.fields import NOTE_DOC, STATUS_DOC, STATUS_REASON_DOC, RowId, text
from app.web.params import TEXT_PATTERN, Changes, Paged, Params, Slug, not_null


# The answer's shape (a TypedDict, as app/shared/briefs.py says why).
class AppearanceDetail(AppearanceRead):
    """One appearance: where a source reports a statement, with the statement it reports."""

    statement: StatementBrief


# -- writes -------------------------------------------------------------------------------------

QUOTE_DOC = (
    "The exact words as printed (for an indirect quote, the reported clause). The server finds "
    "them in the source's text, outside its page furniture."
)


OCCURRENCE_DOC = "Which occurrence of `quote` is meant (1-based), when it occurs more than once."


AFTER_DOC = "Or: the first occurrence of `quote` after this exact text."


ATTRIBUTION_DOC = (
    "The exact words that attribute it ('said Putin'), found at their occurrence nearest the quote."
)


HEDGE_DOC = "The exact hedging word(s) the source uses ('allegedly'), found nearest the quote."


def _one_hint_only(after: str | None, info: ValidationInfo) -> str | None:
    if after is not None and info.data.get("occurrence") is not None:
        raise ValueError("give 'occurrence' or 'after', not both")
    return after


class AppearanceCreate(BaseModel):
    """One report of a statement: a source and the exact wording it prints."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "source": "wire-2026-05-01-bridge-reopens",
                    "quote": "The bridge would reopen in May",
                    "mode": "indirect",
                    "attribution": "transport minister Ana Silva said",
                }
            ]
        },
    )

    source: Slug = Field(
        description="The source that prints it (one whose text is held).",
        examples=["indiatv-2024-02-14-putin-ceasefire-rejected"],
    )
    quote: str = Field(
        min_length=1,
        max_length=20_000,
        pattern=TEXT_PATTERN,
        description=QUOTE_DOC,
        examples=["No. It is not true"],
    )
    occurrence: int | None = Field(None, ge=1, le=1_000_000, description=OCCURRENCE_DOC)
    after: str | None = text(20_000, AFTER_DOC)
    mode: QuoteMode = Field(
        description="`direct` (inside quotation marks in the source) or `indirect`."
    )
    attribution: str | None = text(500, ATTRIBUTION_DOC, "Kremlin spokesman Dmitry Peskov said")
    hedge: str | None = text(100, HEDGE_DOC, "allegedly")
    note: str | None = text(5000, NOTE_DOC)
    status: ReviewStatus | None = Field(
        None,
        description="Where it stands in review. Left out, its statement's: `confirmed` for a "
        "report of a confirmed statement, `proposed` for one of a proposed (or rejected) "
        "statement. A new report of a statement not yet confirmed cannot be `confirmed` "
        "(confirming the statement confirms its proposed reports). `rejected` needs a "
        "`status_reason`.",
    )
    status_reason: str | None = text(5000, STATUS_REASON_DOC)

    _hint = field_validator("after")(_one_hint_only)


class AppearanceUpdate(Changes):
    """The fields to change; those left out stay as they are. A new `quote` (or a new
    `occurrence` or `after`) is found again in the source's text; the attribution and hedge are
    found again nearest it."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"note": "Printed under a photo caption."}]}
    )

    quote: str | None = Field(
        None, min_length=1, max_length=20_000, pattern=TEXT_PATTERN, description=QUOTE_DOC
    )
    occurrence: int | None = Field(None, ge=1, le=1_000_000, description=OCCURRENCE_DOC)
    after: str | None = text(20_000, AFTER_DOC)
    mode: QuoteMode | None = None
    attribution: str | None = text(500, ATTRIBUTION_DOC)
    hedge: str | None = text(100, HEDGE_DOC)
    note: str | None = text(5000, NOTE_DOC)
    status: ReviewStatus | None = Field(None, description=STATUS_DOC)
    status_reason: str | None = text(5000, STATUS_REASON_DOC)

    _required = not_null("quote", "mode", "status")
    _hint = field_validator("after")(_one_hint_only)


# -- parameters ---------------------------------------------------------------------------------

APPEARANCE_ID = Field(description="The appearance's id.", examples=[22])


class AppearancePath(Params):
    PATH = ("id",)
    id: RowId = APPEARANCE_ID


class AppearanceHistoryParams(Paged):
    PATH = ("id",)
    id: RowId = APPEARANCE_ID

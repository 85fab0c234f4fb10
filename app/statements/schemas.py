import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from app.actors.schemas import ActorBrief
from app.claims.schemas import ClaimBrief
from app.models.enums import QuoteMode, ReviewStatus, Stance
from app.params import (
    INCLUDE_AFFILIATED,
    TEXT_PATTERN,
    Changes,
    Paged,
    Params,
    Slug,
    not_null,
    slug_field,
)
from app.sources.schemas import Located, SourceBrief, Span
from app.statements.filters import StatementFilter, StatementNarrowing


class StatementBrief(BaseModel):
    slug: str = Field(examples=["peskov-denies-peace-proposals"])
    stance: Stance
    speaker: ActorBrief
    claim: ClaimBrief
    said_on: dt.date | None = Field(description="When it was said, if the text says.")
    context: str | None = Field(examples=["asked whether Moscow had made peace proposals"])
    recipient: ActorBrief | None = Field(description="To whom it was said ('told Reuters').")
    via: str | None = Field(
        description="Through whom, as printed.", examples=["via intermediaries"]
    )
    note: str | None
    status: ReviewStatus = Field(
        description="Where it stands in review: reads show confirmed ones unless asked."
    )
    status_reason: str | None = Field(description="Why it was rejected (or any review note).")
    version: int = Field(description="Bumped by every edit (the ETag's first part).")


class AppearanceFields(BaseModel):
    id: int
    quote: str = Field(description="The exact wording as printed; text[span.start:span.end].")
    mode: QuoteMode
    span: Span
    attribution: Located | None = Field(description="The words that attribute it ('said Putin').")
    hedge: Located | None = Field(description="The source's hedge ('allegedly'), if any.")
    note: str | None
    status: ReviewStatus
    status_reason: str | None
    version: int


class AppearanceRead(AppearanceFields):
    source: SourceBrief


class StatementRead(StatementBrief):
    appearances: list[AppearanceRead] = Field(
        description="Every source that reports the statement, with its wording there."
    )


class TimelineEntry(StatementRead):
    """A statement on a claim's timeline."""

    on: dt.date | None = Field(
        description="The day it was said where the text says, else the day it was first "
        "reported; null when neither is known (such entries come last)."
    )
    dated_by: Literal["said", "reported"] | None = Field(
        description="Which of the two days `on` is."
    )


class ChainHop(BaseModel):
    role: Literal["speaker", "via", "told", "reported_by", "re_reported_by"] = Field(
        description="speaker: who said it; via: the channel, as printed; told: to whom it was "
        "said; reported_by: the first source in the chain; re_reported_by: each source that "
        "re-printed it from the one before."
    )
    actor: ActorBrief | None = Field(description="The speaker, recipient, or the source's outlet.")
    source: SourceBrief | None
    text: str = Field(examples=["told Reuters"])


class AppearanceRef(BaseModel):
    id: int
    quote: str
    mode: QuoteMode


class Chain(BaseModel):
    appearance: AppearanceRef = Field(description="The appearance the chain ends at.")
    hops: list[ChainHop]
    text: str = Field(
        description="The chain in words.",
        examples=[
            "Three Russian sources with knowledge of the discussions -> told Reuters -> "
            "reported by Reuters (2024-02-13) -> re-reported by India TV News (2024-02-14)"
        ],
    )


class StatementChains(BaseModel):
    statement: StatementBrief
    chains: list[Chain] = Field(
        description="One chain per appearance and per path of citations behind its source."
    )


class SourceAppearance(AppearanceFields):
    """An appearance as listed under its source: with the statement it reports."""

    statement: StatementBrief


# -- writes -------------------------------------------------------------------------------------

# A row id, within what both databases' integer columns hold.
RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]


def text(max_length: int, description: str | None = None, example: str | None = None) -> Any:
    """An optional text field of at most MAX_LENGTH characters (null: none)."""
    return Field(
        None,
        min_length=1,
        max_length=max_length,
        pattern=TEXT_PATTERN,
        description=description,
        examples=[example] if example else None,
    )


NOTE_DOC = "Anything a reader of the data should know."
STATUS_DOC = (
    "Where it stands in review: `confirmed` (the default) shows in every read; `proposed` only "
    "where a read asks for it (`review=proposed`); `rejected` needs a `status_reason`."
)
STATUS_REASON_DOC = "Why it was rejected (required then), or any review note."
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

    model_config = ConfigDict(extra="forbid")

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
    status: ReviewStatus = Field(ReviewStatus.confirmed, description=STATUS_DOC)
    status_reason: str | None = text(5000, STATUS_REASON_DOC)

    _hint = field_validator("after")(_one_hint_only)


class AppearanceUpdate(Changes):
    """The fields to change; those left out stay as they are. A new `quote` (or a new
    `occurrence` or `after`) is found again in the source's text; the attribution and hedge are
    found again nearest it."""

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


class StatementCreate(BaseModel):
    """A statement and where it is reported: every statement is traceable to a source."""

    model_config = ConfigDict(extra="forbid")

    slug: Slug = Field(description="Its URL name.", examples=["peskov-denies-talks-in-may"])
    speaker: Slug = Field(description="Who said it (an actor).", examples=["dmitry-peskov"])
    claim: Slug = Field(
        description="What it is about (a claim).", examples=["putin-signalled-ceasefire-2023"]
    )
    stance: Stance
    said_on: dt.date | None = Field(None, description="When it was said, if the text says.")
    context: str | None = text(5000, "The circumstances.", "asked whether Moscow had proposed")
    recipient: Slug | None = Field(
        None, description="To whom it was said ('told Reuters'): an actor.", examples=["reuters"]
    )
    via: str | None = text(300, "Through whom, as printed.", "via intermediaries")
    note: str | None = text(5000, NOTE_DOC)
    status: ReviewStatus = Field(ReviewStatus.confirmed, description=STATUS_DOC)
    status_reason: str | None = text(5000, STATUS_REASON_DOC)
    appearances: list[AppearanceCreate] = Field(
        min_length=1,
        max_length=500,
        description="Where it is reported: at least one appearance.",
    )


class StatementUpdate(Changes):
    """The fields to change; those left out stay as they are, null clears an optional one.
    Its appearances are edited at /appearances/{id}."""

    speaker: Slug | None = Field(None, description="Who said it (an actor).")
    claim: Slug | None = Field(None, description="What it is about (a claim).")
    stance: Stance | None = None
    said_on: dt.date | None = None
    context: str | None = text(5000, "The circumstances.")
    recipient: Slug | None = Field(None, description="To whom it was said: an actor.")
    via: str | None = text(300, "Through whom, as printed.")
    note: str | None = text(5000, NOTE_DOC)
    status: ReviewStatus | None = Field(None, description=STATUS_DOC)
    status_reason: str | None = text(5000, STATUS_REASON_DOC)

    _required = not_null("speaker", "claim", "stance", "status")


# -- parameters ---------------------------------------------------------------------------------


class StatementPath(Params):
    PATH = ("slug",)
    slug: Slug = Field(
        description="The statement's slug.", examples=["peskov-denies-peace-proposals"]
    )


class StatementHistoryParams(Paged):
    PATH = ("slug",)
    slug: Slug = Field(
        description="The statement's slug (a deleted one's too).",
        examples=["peskov-denies-peace-proposals"],
    )


class StatementFilters(Paged, StatementNarrowing):
    """The filters of GET /statements; every one is optional and they combine."""

    claim: Slug | None = slug_field("Only statements on this claim.", "us-rejected-putin-ceasefire")
    speaker: Slug | None = slug_field("Only statements by this actor.", "dmitry-peskov")
    include_affiliated: bool = INCLUDE_AFFILIATED

    def to_filter(self) -> StatementFilter:
        return StatementFilter(
            claim=self.claim,
            speaker=self.speaker,
            include_affiliated=self.include_affiliated,
            **self.narrowing(),
        )

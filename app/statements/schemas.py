import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from app.actors.schemas import ActorBrief
from app.claims.schemas import ClaimBrief
from app.models.enums import QuoteMode, ReviewStatus, Stance
from app.params import INCLUDE_AFFILIATED, Paged, Params, Slug, slug_field
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


# -- parameters ---------------------------------------------------------------------------------


class StatementPath(Params):
    PATH = ("slug",)
    slug: Slug = Field(
        description="The statement's slug.", examples=["peskov-denies-peace-proposals"]
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

import datetime as dt

from pydantic import BaseModel, Field

from app.actors.schemas import ActorBrief
from app.claims.schemas import ClaimBrief
from app.models.enums import QuoteMode, Stance
from app.params import INCLUDE_AFFILIATED, STANCE, UNNAMED, Paged, Params, Slug, slug_field
from app.sources.schemas import Located, SourceBrief, Span


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


class AppearanceFields(BaseModel):
    id: int
    quote: str = Field(description="The exact wording as printed; text[span.start:span.end].")
    mode: QuoteMode
    span: Span
    attribution: Located | None = Field(description="The words that attribute it ('said Putin').")
    hedge: Located | None = Field(description="The source's hedge ('allegedly'), if any.")
    note: str | None


class AppearanceRead(AppearanceFields):
    source: SourceBrief


class StatementRead(StatementBrief):
    appearances: list[AppearanceRead] = Field(
        description="Every source that reports the statement, with its wording there."
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


class StatementFilters(Paged):
    """The filters of GET /statements; every one is optional and they combine."""

    claim: Slug | None = slug_field("Only statements on this claim.", "us-rejected-putin-ceasefire")
    speaker: Slug | None = slug_field("Only statements by this actor.", "dmitry-peskov")
    include_affiliated: bool = INCLUDE_AFFILIATED
    affiliated_with: Slug | None = slug_field(
        "Only statements by actors affiliated with this actor, directly or through others "
        "(e.g. everyone who speaks for the Kremlin).",
        "kremlin",
    )
    stance: Stance | None = STANCE
    unnamed: bool | None = UNNAMED
    source: Slug | None = slug_field(
        "Only statements this source reports.", "dantri-2024-putin-ceasefire-revealed"
    )

"""The shapes that several answers embed: an actor, a claim, a source, a statement and where it
was reported, each in brief. Every domain's answers build on these; none of them owns them."""

import datetime as dt

from pydantic import BaseModel, Field

from app.models.enums import ActorKind, QuoteMode, ReviewStatus, Stance


class ActorBrief(BaseModel):
    slug: str = Field(examples=["dmitry-peskov"])
    name: str = Field(examples=["Dmitry Peskov"])
    kind: ActorKind


class ClaimBrief(BaseModel):
    slug: str = Field(examples=["putin-signalled-ceasefire-2023"])
    text: str = Field(description="The proposition, in one plain positive sentence.")


class SourceBrief(BaseModel):
    slug: str = Field(examples=["indiatv-2024-02-14-putin-ceasefire-rejected"])
    title: str | None
    outlet: ActorBrief | None
    reported_on: dt.date | None = Field(
        description="The published date, else the updated date, else the page's own date."
    )


class Span(BaseModel):
    start: int = Field(ge=0, description="Offset of the first character (Unicode code points).")
    end: int = Field(ge=0, description="Offset just past the last character.")


class Located(BaseModel):
    text: str
    start: int
    end: int


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

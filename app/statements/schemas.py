import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

from app.appearances.schemas import AppearanceCreate
from app.models.enums import QuoteMode, ReviewStatus, Stance
from app.shared.briefs import (
    ActorBrief,
    AppearanceFields,
    SourceBrief,
    StatementBrief,
    StatementRead,
)
from app.shared.fields import NOTE_DOC, STATUS_DOC, STATUS_REASON_DOC, text
from app.statements.filters import StatementFilter, StatementNarrowing
from app.web.params import (
    INCLUDE_AFFILIATED,
    Changes,
    Counted,
    Paged,
    Params,
    Slug,
    not_null,
    slug_field,
)

# The answers' shapes (TypedDicts, as app/shared/briefs.py says why).


class TimelineEntry(StatementRead):
    """A statement on a claim's timeline."""

    on: Annotated[
        dt.date | None,
        Field(
            description="The day it was said where the text says, else the day it was first "
            "reported; null when neither is known (such entries come last)."
        ),
    ]
    dated_by: Annotated[
        Literal["said", "reported"] | None, Field(description="Which of the two days `on` is.")
    ]


class ChainHop(TypedDict):
    role: Annotated[
        Literal["speaker", "via", "told", "reported_by", "re_reported_by"],
        Field(
            description="speaker: who said it; via: the channel, as printed; told: to whom it "
            "was said; reported_by: the first source in the chain; re_reported_by: each source "
            "that re-printed it from the one before."
        ),
    ]
    actor: Annotated[
        ActorBrief | None, Field(description="The speaker, recipient, or the source's outlet.")
    ]
    source: SourceBrief | None
    text: Annotated[str, Field(examples=["told Reuters"])]


class AppearanceRef(TypedDict):
    id: int
    quote: str
    mode: QuoteMode


class Chain(TypedDict):
    appearance: Annotated[AppearanceRef, Field(description="The appearance the chain ends at.")]
    hops: list[ChainHop]
    text: Annotated[
        str,
        Field(
            description="The chain in words.",
            examples=[
                "Three Russian sources with knowledge of the discussions -> told Reuters -> "
                "reported by Reuters (2024-02-13) -> re-reported by India TV News (2024-02-14)"
            ],
        ),
    ]


class StatementChains(TypedDict):
    statement: StatementBrief
    chains: Annotated[
        list[Chain],
        Field(description="One chain per appearance and per path of citations behind its source."),
    ]


class SourceAppearance(AppearanceFields):
    """An appearance as listed under its source: with the statement it reports."""

    statement: StatementBrief


# -- writes -------------------------------------------------------------------------------------


class StatementCreate(BaseModel):
    """A statement and where it is reported: every statement is traceable to a source."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "slug": "peskov-denies-us-rejection",
                    "speaker": "dmitry-peskov",
                    "claim": "us-rejected-putin-ceasefire",
                    "stance": "denies",
                    "said_on": "2024-02-14",
                    "appearances": [
                        {
                            "source": "indiatv-2024-02-14-putin-ceasefire-rejected",
                            "quote": "No. It is not true",
                            "mode": "direct",
                            "attribution": "Kremlin spokesman Dmitry Peskov said",
                        }
                    ],
                }
            ]
        },
    )

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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "rejected",
                    "status_reason": "Reported by one outlet only; held back until a second "
                    "report is found.",
                }
            ]
        }
    )

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


class StatementFilters(Counted, StatementNarrowing):
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

    def too_costly_to_count(self) -> str | None:
        if self.claim is None and self.speaker is None and self.affiliated_with is None:
            return "without claim, speaker or affiliated_with: it would read every statement"
        return None

"""The shapes that several answers embed: an actor, a claim, a source, a statement and where it
was reported, each in brief. Every domain's answers build on these; none of them owns them.

Each shape is declared once, as a TypedDict: the read services build plain dicts of these types
(checked by mypy), and the routes name them as their `response_model` for the OpenAPI document
(the annotations' Field()s carry its descriptions and examples). Responses are not validated:
they go out as the services built them."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from app.models.enums import ActorKind, QuoteMode, ReviewStatus, Stance

# Pydantic reads TypedDicts from typing_extensions on Python 3.11 (typing's lacks what it needs).


class ActorBrief(TypedDict):
    slug: Annotated[str, Field(examples=["dmitry-peskov"])]
    name: Annotated[str, Field(examples=["Dmitry Peskov"])]
    kind: ActorKind


class ClaimBrief(TypedDict):
    slug: Annotated[str, Field(examples=["putin-signalled-ceasefire-2023"])]
    text: Annotated[str, Field(description="The proposition, in one plain positive sentence.")]


class SourceBrief(TypedDict):
    slug: Annotated[str, Field(examples=["indiatv-2024-02-14-putin-ceasefire-rejected"])]
    title: str | None
    outlet: ActorBrief | None
    reported_on: Annotated[
        dt.date | None,
        Field(description="The published date, else the updated date, else the page's own date."),
    ]


class Span(TypedDict):
    start: Annotated[
        int, Field(ge=0, description="Offset of the first character (Unicode code points).")
    ]
    end: Annotated[int, Field(ge=0, description="Offset just past the last character.")]


class Located(TypedDict):
    text: str
    start: int
    end: int


class Dated(TypedDict):
    on: Annotated[dt.date, Field(examples=["2024-02-14"])]
    by: Annotated[
        Literal["said", "reported"],
        Field(
            description="said: the day it was said (`said_on`); reported: the text does not say, "
            "and this is the day it was first reported (the earliest `reported_on` of the "
            "sources of its appearances, rejected ones aside)."
        ),
    ]


class StatementBrief(TypedDict):
    slug: Annotated[str, Field(examples=["peskov-denies-peace-proposals"])]
    stance: Stance
    speaker: ActorBrief
    claim: ClaimBrief
    said_on: Annotated[dt.date | None, Field(description="When it was said, if the text says.")]
    dated: Annotated[
        Dated | None,
        Field(
            description="Its date for the `said_from`/`said_to` filters and for timelines: when "
            "it was said, else when it was first reported; null when neither is known."
        ),
    ]
    context: Annotated[
        str | None, Field(examples=["asked whether Moscow had made peace proposals"])
    ]
    recipient: Annotated[
        ActorBrief | None, Field(description="To whom it was said ('told Reuters').")
    ]
    via: Annotated[
        str | None, Field(description="Through whom, as printed.", examples=["via intermediaries"])
    ]
    note: str | None
    status: Annotated[
        ReviewStatus,
        Field(description="Where it stands in review: reads show confirmed ones unless asked."),
    ]
    status_reason: Annotated[
        str | None, Field(description="Why it was rejected (or any review note).")
    ]
    version: Annotated[int, Field(description="Bumped by every edit (the ETag's first part).")]


class AppearanceFields(TypedDict):
    id: int
    quote: Annotated[
        str, Field(description="The exact wording as printed; text[span.start:span.end].")
    ]
    mode: QuoteMode
    span: Span
    attribution: Annotated[
        Located | None, Field(description="The words that attribute it ('said Putin').")
    ]
    hedge: Annotated[Located | None, Field(description="The source's hedge ('allegedly'), if any.")]
    note: str | None
    status: ReviewStatus
    status_reason: str | None
    version: int


class AppearanceRead(AppearanceFields):
    source: SourceBrief


class StatementRead(StatementBrief):
    appearances: Annotated[
        list[AppearanceRead],
        Field(description="Every source that reports the statement, with its wording there."),
    ]

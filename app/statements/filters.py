"""What a list of statements may be narrowed to: the parameters every statement list accepts,
and the filter they become."""

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from fastapi import Request
from pydantic import BaseModel, Field, ValidationInfo, field_validator

from app.db.review import Review
from app.models.enums import QuoteMode, Stance
from app.web.auth import review_allowed
from app.web.params import STANCE, UNNAMED, Slug, slug_field

# An appearance matches the filters below together: "direct quotes printed by India TV" asks
# for one appearance that is both.
APPEARANCE_FILTERS = (
    "source",
    "outlet",
    "language",
    "mode",
    "hedged",
    "reported_from",
    "reported_to",
)
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"


@dataclass(frozen=True)
class StatementFilter:
    """A statement list's filters; every field is optional and they combine."""

    claim: str | None = None
    speaker: str | None = None
    include_affiliated: bool = False
    affiliated_with: str | None = None
    stance: Stance | None = None
    unnamed: bool | None = None
    said_from: dt.date | None = None
    said_to: dt.date | None = None
    source: str | None = None
    outlet: str | None = None
    language: str | None = None
    mode: QuoteMode | None = None
    hedged: bool | None = None
    reported_from: dt.date | None = None
    reported_to: dt.date | None = None
    review: Review = Review.confirmed

    def shape(self) -> tuple[str, ...]:
        """Which filters are on (for yes/no filters, with their side): the queries differ by
        that alone, every other value is bound."""
        on = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Review):
                on.append(f"review={value.value}")
            elif isinstance(value, bool):
                if f.name != "include_affiliated" or value:
                    on.append(f"{f.name}={value}")
            elif value is not None:
                on.append(f.name)
        return tuple(on)

    def params(self) -> dict[str, Any]:
        """The bound values of the filters' queries."""
        language = self.language.lower() if self.language else None
        return {
            "claim": self.claim,
            "speaker": self.speaker,
            "affiliated_with": self.affiliated_with,
            "stance": self.stance,
            "said_from": _iso(self.said_from),
            "said_to": _iso(self.said_to),
            "source": self.source,
            "outlet": self.outlet,
            "language": language,
            # Sub-tags of the language: 'en' also finds 'en-gb' (see service.filtered).
            "language_sub_from": f"{language}-" if language else None,
            "language_sub_to": f"{language}." if language else None,
            "mode": self.mode,
            "reported_from": _iso(self.reported_from),
            "reported_to": _iso(self.reported_to),
        }

    def slugs(self) -> list[tuple[str, str | None]]:
        """The (kind, slug) pairs the filters name, which must exist."""
        return [
            ("claim", self.claim),
            ("actor", self.speaker),
            ("actor", self.affiliated_with),
            ("source", self.source),
            ("actor", self.outlet),
        ]


def allowed(request: Request, f: StatementFilter) -> StatementFilter:
    """F, once the reader may see what it asks for: a `review` other than confirmed shows
    drafts, which need a key (or the public_drafts setting); Unauthorized otherwise."""
    review_allowed(request, f.review)
    return f


def _iso(day: dt.date | None) -> str | None:
    # Dates are bound as ISO text: SQLite stores them so, PostgreSQL casts the literal.
    return day.isoformat() if day else None


class StatementNarrowing(BaseModel):
    """The filters of every statement list, beside the claim or actor it may be under."""

    affiliated_with: Slug | None = slug_field(
        "Only statements by actors affiliated with this actor, directly or through others "
        "(e.g. everyone who speaks for the Kremlin).",
        "kremlin",
    )
    stance: Stance | None = STANCE
    unnamed: bool | None = UNNAMED
    said_from: dt.date | None = Field(
        None,
        description="Only statements dated on or after this day: said then, or, where the text "
        "does not say when, first reported then (each statement's `dated` says which). A list "
        "narrowed to a period is in date order, then by id.",
        examples=["2024-02-14"],
    )
    said_to: dt.date | None = Field(
        None,
        description="Only statements dated on or before this day (as `said_from`).",
        examples=["2024-02-14"],
    )
    source: Slug | None = slug_field(
        "Only statements this source reports.", "dantri-2024-putin-ceasefire-revealed"
    )
    outlet: Slug | None = slug_field(
        "Only statements reported by a source of this outlet.", "india-tv-news"
    )
    language: str | None = Field(
        None,
        pattern=LANGUAGE_PATTERN,
        max_length=35,
        description="Only statements reported in this language (BCP 47, any case; `en` also "
        "matches `en-GB`).",
        examples=["vi"],
    )
    mode: QuoteMode | None = Field(
        None,
        description="Only statements quoted this way: `direct` (in quotation marks) or "
        "`indirect` (reported speech).",
        examples=["direct"],
    )
    hedged: bool | None = Field(
        None,
        description="true: only statements a source reports with a hedge ('allegedly'); "
        "false: only those reported without one.",
        examples=[True],
    )
    reported_from: dt.date | None = Field(
        None, description="Only statements reported on or after this day.", examples=["2024-02-14"]
    )
    reported_to: dt.date | None = Field(
        None,
        description="Only statements reported on or before this day.",
        examples=["2024-02-14"],
    )

    review: Review = Field(
        Review.confirmed,
        description="confirmed (the default): confirmed statements and reports only; "
        "proposed: statements proposed for review, or with a proposed report (shown beside the "
        "confirmed ones); rejected: those rejected, or with a rejected report; all: everything. "
        "Each statement and report says its `status`. Any but confirmed needs an API key "
        "(401 without one), unless the server makes drafts public.",
        examples=["proposed"],
    )

    @field_validator("said_to", "reported_to")
    @classmethod
    def _after_start(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start_name = info.field_name.replace("_to", "_from") if info.field_name else ""
        start = info.data.get(start_name)
        if start and end and start > end:
            raise ValueError(f"{info.field_name} ({end}) is before {start_name} ({start})")
        return end

    def narrowing(self) -> dict[str, Any]:
        """The filter fields, as StatementFilter's keyword arguments."""
        return {name: getattr(self, name) for name in StatementNarrowing.model_fields}


NARROWING_DOC = (
    "Filters combine. The appearance filters (`source`, `outlet`, `language`, `mode`, `hedged`, "
    "`reported_from`, `reported_to`) keep the statements with at least one appearance that "
    "matches them all, and show only the appearances that match."
)

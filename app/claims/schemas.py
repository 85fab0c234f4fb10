from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

from app.contradictions.schemas import REVIEW
from app.db.review import Review
from app.models.enums import ContradictionKind, Stance
from app.shared.briefs import ActorBrief, ClaimBrief
from app.statements.filters import StatementFilter, StatementNarrowing
from app.web.params import (
    INCLUDE_AFFILIATED,
    KIND,
    TEXT_PATTERN,
    Changes,
    Counted,
    Paged,
    Params,
    Slug,
    Text,
    not_null,
    slug_field,
)

# The answers' shapes (TypedDicts, as app/shared/briefs.py says why).


class ClaimRead(ClaimBrief):
    note: str | None
    statement_count: int
    stance_counts: Annotated[
        dict[str, int],
        Field(
            description="How many statements take each stance on the claim.",
            examples=[{"asserts": 1, "denies": 2}],
        ),
    ]
    version: Annotated[
        int, Field(description="Bumped by every edit (the ETag's first part, for If-Match).")
    ]


class PositionActor(ActorBrief):
    statements: Annotated[int, Field(description="How many of its statements take this stance.")]


class Position(TypedDict):
    stance: Stance
    statements: int
    sources: Annotated[int, Field(description="How many sources report these statements.")]
    origins: Annotated[
        int,
        Field(
            description="Independent origins: sources counted once per story they re-report "
            "(what they cite), so ten outlets re-printing one wire report are one origin."
        ),
    ]
    actors: list[PositionActor]


class ClaimPositions(TypedDict):
    claim: ClaimBrief
    positions: list[Position]


class PositionsOfClaims(TypedDict):
    claims: Annotated[
        list[ClaimPositions], Field(description="One block for each claim asked for, in order.")
    ]


# -- writes -------------------------------------------------------------------------------------

CLAIM_TEXT = Field(
    min_length=1,
    max_length=2000,
    pattern=TEXT_PATTERN,
    description="The proposition, one plain positive sentence (a denial is a statement that "
    "denies a claim, not a claim with 'not' in it).",
    examples=["The bridge reopens in May."],
)


class ContestedClaim(ClaimBrief):
    """A claim that some hold true and others deny or question, with how many do each."""

    for_it: Annotated[int, Field(description="Statements that assert, confirm or suggest it.")]
    against_it: Annotated[int, Field(description="Statements that deny or question it.")]
    statements: Annotated[int, Field(description="Every statement on it, whatever its stance.")]


class ClaimCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "slug": "putin-offered-ceasefire-via-intermediaries",
                    "text": "Putin offered Washington a ceasefire through intermediaries.",
                }
            ]
        },
    )

    slug: Slug = Field(
        description="Its URL name.", examples=["bridge-reopens-in-may"], max_length=120
    )
    text: str = CLAIM_TEXT
    note: str | None = Field(None, max_length=5000, pattern=TEXT_PATTERN)


class ClaimUpdate(Changes):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"note": "Checked against the Reuters original."}]}
    )

    text: str | None = Field(None, min_length=1, max_length=2000, pattern=TEXT_PATTERN)
    note: str | None = Field(None, max_length=5000, pattern=TEXT_PATTERN)

    _required = not_null("text")


class ClaimMerge(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"into": "putin-signalled-ceasefire-2023"}]}
    )

    into: Slug = Field(
        description="The claim to merge into: it gets every statement, and the merged claim's "
        "slug redirects to it.",
        examples=["us-rejected-putin-ceasefire"],
    )


# -- parameters ---------------------------------------------------------------------------------

CLAIM_SLUG = Field(description="The claim's slug.", examples=["putin-signalled-ceasefire-2023"])


class ClaimList(Counted):
    q: Text | None = Field(
        None,
        description="Only claims whose text or slug contains these words (any case).",
        examples=["ceasefire"],
    )

    def too_costly_to_count(self) -> str | None:
        return "with q: it would read every claim's text" if self.q is not None else None


class ClaimPath(Params):
    PATH = ("slug",)
    slug: Slug = CLAIM_SLUG


# How many claims one call to /positions may name.
MAX_POSITIONS_CLAIMS = 100


class PositionsParams(Params):
    LISTS = ("claim",)
    claim: list[Slug] = Field(
        min_length=1,
        max_length=MAX_POSITIONS_CLAIMS,
        description=f"The claims (by slug), one `claim=` each, up to {MAX_POSITIONS_CLAIMS}: "
        "e.g. every claim of a story.",
        examples=[["putin-signalled-ceasefire-2023", "us-rejected-putin-ceasefire"]],
    )


class ClaimStatementsParams(Counted, StatementNarrowing):
    PATH = ("slug",)
    slug: Slug = CLAIM_SLUG
    speaker: Slug | None = slug_field("Only statements by this actor.", "dmitry-peskov")
    include_affiliated: bool = INCLUDE_AFFILIATED

    def to_filter(self) -> StatementFilter:
        return StatementFilter(
            claim=self.slug,
            speaker=self.speaker,
            include_affiliated=self.include_affiliated,
            **self.narrowing(),
        )


class ClaimHistoryParams(Paged):
    PATH = ("slug",)
    slug: Slug = CLAIM_SLUG


class ClaimContradictionsParams(Paged):
    PATH = ("slug",)
    slug: Slug = CLAIM_SLUG
    kind: ContradictionKind | None = KIND
    review: Review = REVIEW

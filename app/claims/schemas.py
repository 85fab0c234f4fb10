from pydantic import BaseModel, Field

from app.actors.schemas import ActorBrief
from app.models.enums import ContradictionKind, Stance
from app.params import (
    INCLUDE_AFFILIATED,
    KIND,
    Paged,
    Params,
    Slug,
    Text,
    slug_field,
)
from app.statements.filters import StatementFilter, StatementNarrowing


class ClaimBrief(BaseModel):
    slug: str = Field(examples=["putin-signalled-ceasefire-2023"])
    text: str = Field(description="The proposition, in one plain positive sentence.")


class ClaimRead(ClaimBrief):
    note: str | None
    statement_count: int
    stance_counts: dict[str, int] = Field(
        description="How many statements take each stance on the claim.",
        examples=[{"asserts": 1, "denies": 2}],
    )


class PositionActor(ActorBrief):
    statements: int = Field(description="How many of its statements take this stance.")


class Position(BaseModel):
    stance: Stance
    statements: int
    sources: int = Field(description="How many sources report these statements.")
    origins: int = Field(
        description="Independent origins: sources counted once per story they re-report (what "
        "they cite), so ten outlets re-printing one wire report are one origin."
    )
    actors: list[PositionActor]


class ClaimPositions(BaseModel):
    claim: str = Field(examples=["putin-signalled-ceasefire-2023"])
    positions: list[Position]


# -- parameters ---------------------------------------------------------------------------------

CLAIM_SLUG = Field(description="The claim's slug.", examples=["putin-signalled-ceasefire-2023"])


class ClaimList(Paged):
    q: Text | None = Field(
        None,
        description="Only claims whose text or slug contains these words (any case).",
        examples=["ceasefire"],
    )


class ClaimPath(Params):
    PATH = ("slug",)
    slug: Slug = CLAIM_SLUG


class ClaimStatementsParams(Paged, StatementNarrowing):
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


class ClaimContradictionsParams(Paged):
    PATH = ("slug",)
    slug: Slug = CLAIM_SLUG
    kind: ContradictionKind | None = KIND

from pydantic import BaseModel, Field

from app.models.enums import ActorKind, ContradictionKind
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


class ActorBrief(BaseModel):
    slug: str = Field(examples=["dmitry-peskov"])
    name: str = Field(examples=["Dmitry Peskov"])
    kind: ActorKind


class ActorRead(ActorBrief):
    description: str | None = Field(examples=["Kremlin spokesman"])
    affiliation: ActorBrief | None = Field(description="The actor this one belongs to.")
    aliases: list[str] = Field(examples=[["Peskov", "Kremlin spokesman Dmitry Peskov"]])
    group_size: int | None = Field(description="For unnamed sources: how many, when the text says.")
    knowledge: str | None = Field(
        description="For unnamed sources: what the text says they know about.",
        examples=["the discussions"],
    )


class Opponent(ActorBrief):
    contradictions: int = Field(description="How many contradictions between the two.")


class ActorDetail(ActorRead):
    members: list[ActorBrief] = Field(description="Actors directly affiliated with this one.")
    statement_count: int
    stance_counts: dict[str, int] = Field(description="Statements by stance.")
    contradicts: list[Opponent] = Field(
        description="Actors this one contradicts: whose statements it denies, or with whom it "
        "is in a curated inconsistency (misreports are between sources, not actors)."
    )
    contradicted_by: list[Opponent] = Field(
        description="Actors who contradict this one: who deny its statements, or are in a "
        "curated inconsistency with it."
    )
    version: int = Field(description="Bumped by every edit (the ETag's first part, for If-Match).")


# -- parameters ---------------------------------------------------------------------------------

ACTOR_SLUG = Field(description="The actor's slug.", examples=["dmitry-peskov"])


class ActorList(Paged):
    q: Text | None = Field(
        None,
        description="Only actors whose name or any alias contains these words (any case).",
        examples=["Peskov"],
    )
    alias: Text | None = Field(
        None,
        description="Only the actor(s) going by exactly this name or alias (any case).",
        examples=["Kremlin spokesman Dmitry Peskov"],
    )
    kind: ActorKind | None = Field(
        None, description="Only actors of this kind.", examples=["unnamed"]
    )


class ActorPath(Params):
    PATH = ("slug",)
    slug: Slug = ACTOR_SLUG


class ActorStatementsParams(Paged, StatementNarrowing):
    PATH = ("slug",)
    slug: Slug = ACTOR_SLUG
    claim: Slug | None = slug_field(
        "Only statements on this claim.", "putin-signalled-ceasefire-2023"
    )
    include_affiliated: bool = INCLUDE_AFFILIATED

    def to_filter(self) -> StatementFilter:
        return StatementFilter(
            claim=self.claim,
            speaker=self.slug,
            include_affiliated=self.include_affiliated,
            **self.narrowing(),
        )


class ActorContradictionsParams(Paged):
    PATH = ("slug",)
    slug: Slug = ACTOR_SLUG
    kind: ContradictionKind | None = KIND
    include_affiliated: bool = INCLUDE_AFFILIATED

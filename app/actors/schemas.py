from pydantic import BaseModel, Field

from app.models.enums import ActorKind, ContradictionKind, Stance
from app.params import (
    INCLUDE_AFFILIATED,
    KIND,
    STANCE,
    Paged,
    Params,
    Slug,
    Text,
    slug_field,
)


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


class ActorDetail(ActorRead):
    members: list[ActorBrief] = Field(description="Actors directly affiliated with this one.")
    statement_count: int
    stance_counts: dict[str, int] = Field(description="Statements by stance.")


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


class ActorStatementsParams(Paged):
    PATH = ("slug",)
    slug: Slug = ACTOR_SLUG
    stance: Stance | None = STANCE
    claim: Slug | None = slug_field(
        "Only statements on this claim.", "putin-signalled-ceasefire-2023"
    )
    include_affiliated: bool = INCLUDE_AFFILIATED


class ActorContradictionsParams(Paged):
    PATH = ("slug",)
    slug: Slug = ACTOR_SLUG
    kind: ContradictionKind | None = KIND
    include_affiliated: bool = INCLUDE_AFFILIATED

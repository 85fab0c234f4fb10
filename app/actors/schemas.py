from pydantic import BaseModel, Field

from app.models.enums import ActorKind


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

from pydantic import BaseModel, Field


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

from pydantic import BaseModel, Field

from app.models.enums import ContradictionKind, ReviewStatus
from app.params import KIND, Paged, Slug, slug_field
from app.statements.schemas import AppearanceRead, StatementRead


class ContradictionSide(BaseModel):
    statement: StatementRead
    appearance: AppearanceRead | None = Field(
        description="For a misreport: the report of the statement on this side."
    )


class ContradictionRead(BaseModel):
    id: int
    kind: ContradictionKind = Field(
        description="denial: found by sayso from the stances (a holds the claim, b denies it); "
        "inconsistency: curated, statements on different claims; misreport: curated, two "
        "reports of one statement that cannot both be right."
    )
    rationale: str
    a: ContradictionSide
    b: ContradictionSide
    status: ReviewStatus
    status_reason: str | None
    version: int


# -- parameters ---------------------------------------------------------------------------------


class ContradictionList(Paged):
    claim: Slug | None = slug_field(
        "Only those with a statement on this claim on either side.", "us-rejected-putin-ceasefire"
    )
    actor: Slug | None = slug_field(
        "Only those in which this actor speaks on either side.", "dmitry-peskov"
    )
    kind: ContradictionKind | None = KIND

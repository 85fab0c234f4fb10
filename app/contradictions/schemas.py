from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator
from typing_extensions import TypedDict

from app.db.review import Review
from app.models.enums import ContradictionKind, ReviewStatus
from app.shared.briefs import AppearanceRead, StatementRead
from app.shared.fields import STATUS_DOC, STATUS_REASON_DOC, RowId, text
from app.web.params import KIND, TEXT_PATTERN, Changes, Paged, Params, Slug, not_null, slug_field

# The answers' shapes (TypedDicts, as app/shared/briefs.py says why).


class ContradictionSide(TypedDict):
    statement: StatementRead
    appearance: Annotated[
        AppearanceRead | None,
        Field(description="For a misreport: the report of the statement on this side."),
    ]


class ContradictionRead(TypedDict):
    id: int
    kind: Annotated[
        ContradictionKind,
        Field(
            description="denial: found by sayso from the stances (a holds the claim, b denies "
            "it); inconsistency: curated, statements on different claims; misreport: curated, "
            "two reports of one statement that cannot both be right."
        ),
    ]
    rationale: Annotated[
        str,
        Field(
            description="Why the two cannot both be true. A denial sayso found says it from the "
            "two statements as they are now (speakers' names, stances, the claim), until a "
            "person writes one."
        ),
    ]
    a: ContradictionSide
    b: ContradictionSide
    status: ReviewStatus
    status_reason: str | None
    version: int


# -- writes -------------------------------------------------------------------------------------

RATIONALE_DOC = "Why the two cannot both be right, in a sentence or two."


class ContradictionCreate(BaseModel):
    """A curated contradiction. `inconsistency`: `a` and `b` are two statements (by slug), on
    different claims, that cannot both be true. `misreport`: `statement` is reported by two of
    its appearances (`a` and `b`, by id) in ways that cannot both be right. Denials are not
    written: sayso derives them from the stances."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "inconsistency",
                    "a": "three-sources-us-rejected-ceasefire",
                    "b": "us-official-denies-backchannel-talks",
                    "rationale": "A rejection through intermediaries needs the back-channel "
                    "talks the official denies.",
                }
            ]
        },
    )

    kind: ContradictionKind = Field(
        description="inconsistency or misreport (denials are derived from stances).",
        examples=["inconsistency"],
        # The kinds a request may write (the validator below says why not a denial).
        json_schema_extra={
            "enum": [k.value for k in ContradictionKind if k is not ContradictionKind.denial]
        },
    )
    statement: Slug | None = Field(
        None,
        description="misreport: the statement the two appearances report.",
        examples=["three-sources-putin-sent-signals"],
    )
    a: Slug | RowId = Field(
        description="inconsistency: a statement's slug; misreport: an appearance's id.",
        examples=["three-sources-us-rejected-ceasefire"],
    )
    b: Slug | RowId = Field(
        description="inconsistency: the other statement's slug; misreport: the other "
        "appearance's id.",
        examples=["us-official-denies-backchannel-talks"],
    )
    rationale: str = Field(
        min_length=1, max_length=5000, pattern=TEXT_PATTERN, description=RATIONALE_DOC
    )
    status: ReviewStatus = Field(ReviewStatus.confirmed, description=STATUS_DOC)
    status_reason: str | None = text(5000, STATUS_REASON_DOC)

    @field_validator("kind")
    @classmethod
    def _not_a_denial(cls, kind: ContradictionKind) -> ContradictionKind:
        if kind is ContradictionKind.denial:
            raise ValueError(
                "denials are derived from stances, never written: give the denying statement "
                "the stance 'denies'"
            )
        return kind


class ContradictionUpdate(Changes):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"status": "rejected", "status_reason": "The two are about different months."}
            ]
        }
    )

    rationale: str | None = Field(
        None, min_length=1, max_length=5000, pattern=TEXT_PATTERN, description=RATIONALE_DOC
    )
    status: ReviewStatus | None = Field(None, description=STATUS_DOC)
    status_reason: str | None = text(5000, STATUS_REASON_DOC)

    _required = not_null("rationale", "status")


# -- parameters ---------------------------------------------------------------------------------

CONTRADICTION_ID = Field(description="The contradiction's id.", examples=[1])
# Every list of contradictions takes it: /contradictions, a claim's, an actor's.
REVIEW: Review = Field(
    Review.confirmed,
    description="confirmed (the default): confirmed contradictions between confirmed "
    "statements and reports; proposed: those proposed, or with a side (a statement or a "
    "named report) that is; rejected: the same for rejected ones; all: every one. Each "
    "side's reports are shown as a statement list shows them under the same `review`.",
    examples=["proposed"],
)


class ContradictionPath(Params):
    PATH = ("id",)
    id: RowId = CONTRADICTION_ID


class ContradictionHistoryParams(Paged):
    PATH = ("id",)
    id: RowId = CONTRADICTION_ID


class ContradictionList(Paged):
    claim: Slug | None = slug_field(
        "Only those with a statement on this claim on either side.", "us-rejected-putin-ceasefire"
    )
    actor: Slug | None = slug_field(
        "Only those in which this actor speaks on either side.", "dmitry-peskov"
    )
    kind: ContradictionKind | None = KIND
    review: Review = REVIEW

"""The annotation format `sayso/1`, as Pydantic models (see docs/annotation-format.md)."""

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app.documents.dates import storable_instant
from app.models import alias_key
from app.models.enums import (
    ActorKind,
    ContradictionKind,
    DateKind,
    FurnitureKind,
    QuoteMode,
    ReviewStatus,
    Stance,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
Text = Annotated[str, StringConstraints(min_length=1, pattern=r"^[^\x00]*$")]
# Any text, empty too, but NUL: PostgreSQL's text cannot hold it (YAML's "\0" and JSON's
# "\u0000" would write one).
AnyText = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
# Texts kept in a column of fixed width (app/models): no longer than it, as the editing API
# says too (PostgreSQL would refuse them, SQLite keep them).
Printed = Annotated[Text, Field(max_length=200)]
Attribution = Annotated[Text, Field(max_length=500)]
Hedge = Annotated[Text, Field(max_length=100)]
Line = Annotated[AnyText, Field(max_length=300)]  # a byline, a statement's 'via'


def _matchable(name: str) -> str:
    # Names and aliases are matched, and stored a second time, case-folded: "ß" is "ss" then.
    if len(alias_key(name)) > 300:
        raise ValueError("at most 300 characters once case-folded")
    return name


Name = Annotated[Text, Field(max_length=300), AfterValidator(_matchable)]
# Counts stored in an integer column (or compared with one): within what both databases hold.
Count = Annotated[int, Field(ge=1, le=2_147_483_647)]
Occurrence = Count


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reviewed(Spec):
    """Where a statement, an appearance or a contradiction stands in review: left out, it is
    what the load says (confirmed for `sayso load`; `POST /ingest?status=proposed` proposes)."""

    status: ReviewStatus | None = None
    status_reason: AnyText | None = None

    @model_validator(mode="after")
    def _rejected_has_reason(self) -> Self:
        if self.status == ReviewStatus.rejected and not self.status_reason:
            raise ValueError("a rejected one needs a 'status_reason'")
        return self

    def review(self, default: ReviewStatus) -> dict[str, Any]:
        """The status columns of a new row."""
        return {"status": self.status or default, "status_reason": self.status_reason}


def _day_or_instant(value: Any) -> Any:
    # In JSON a day is text too: "2024-12-22" is a day, not midnight of an instant.
    if isinstance(value, str) and len(value) == 10:
        return dt.date.fromisoformat(value)
    return value


def _instant_with_offset(value: dt.datetime | dt.date) -> dt.datetime | dt.date:
    # Without its offset, an instant's day and time would be the server's guess.
    if isinstance(value, dt.datetime):
        if value.utcoffset() is None:
            raise ValueError("an instant needs its UTC offset (+05:30, Z)")
        return storable_instant(value)
    return value


class DateSpec(Spec):
    kind: DateKind
    printed: Printed
    value: Annotated[
        dt.datetime | dt.date,
        BeforeValidator(_day_or_instant),
        AfterValidator(_instant_with_offset),
    ]
    occurrence: Occurrence | None = None
    note: AnyText | None = None


class CiteSpec(Spec):
    source: Slug
    evidence: Text | None = None
    occurrence: Occurrence | None = None


class FurnitureSpec(Spec):
    kind: FurnitureKind
    text: Text
    occurrence: Occurrence | Literal["all"] | None = None


class SourceFields(Spec):
    slug: Slug
    title: AnyText | None = None
    outlet: Slug | None = None
    url: AnyText | None = None
    byline: Line | None = None
    # BCP 47 tags are case-insensitive: stored in lower case, so that filters compare exactly;
    # at most 35 characters, as the column holds (PostgreSQL refuses a longer one).
    language: Annotated[
        str,
        StringConstraints(
            pattern=r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$", max_length=35, to_lower=True
        ),
    ]
    description: AnyText | None = None


class DocumentSpec(SourceFields):
    """The source a file annotates: it has a text, in a file beside it (`document`, with its
    `sha256`) or, in a request to the API, inline (`text`)."""

    document: Text | None = None
    text: AnyText | None = None
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None
    dates: list[DateSpec] = []
    # Where the page prints no publication date: the day it is dated by, and why.
    reported_on: dt.date | None = None
    reported_on_basis: AnyText | None = None
    cites: list[CiteSpec] = []
    furniture: list[FurnitureSpec] = []

    @model_validator(mode="after")
    def _one_text(self) -> Self:
        if (self.document is None) == (self.text is None):
            raise ValueError("give the document's file ('document') or its text ('text')")
        if self.document is not None and self.sha256 is None:
            raise ValueError("a 'document' needs its 'sha256'")
        return self


class CitedSourceSpec(SourceFields):
    """Another source a file introduces, such as a wire story it cites, without its text."""

    reported_on: dt.date | None = None
    reported_on_basis: AnyText | None = None


class ActorSpec(Spec):
    slug: Slug
    name: Name
    kind: ActorKind
    description: AnyText | None = None
    affiliation: Slug | None = None
    aliases: list[Name] = []
    group_size: Count | None = None
    knowledge: AnyText | None = None


class ClaimSpec(Spec):
    slug: Slug
    text: Text
    note: AnyText | None = None


class AppearanceSpec(Reviewed):
    quote: Text
    mode: QuoteMode
    attribution: Attribution | None = None
    hedge: Hedge | None = None
    occurrence: Occurrence | None = None
    after: Text | None = None
    note: AnyText | None = None

    @model_validator(mode="after")
    def _one_hint(self) -> Self:
        if self.occurrence is not None and self.after is not None:
            raise ValueError("give 'occurrence' or 'after', not both")
        return self


class StatementSpec(Reviewed):
    ref: Slug | None = None
    slug: Slug | None = None
    speaker: Slug | None = None
    claim: Slug | None = None
    stance: Stance | None = None
    said_on: dt.date | None = None
    context: AnyText | None = None
    recipient: Slug | None = None
    via: Line | None = None
    note: AnyText | None = None
    appearances: Annotated[list[AppearanceSpec], Field(min_length=1)]

    @model_validator(mode="after")
    def _declaration_or_ref(self) -> Self:
        # Run for every statement of a load: a declaration only looks at the four it needs.
        if self.ref is not None:
            # What a statement declares: all but the ref and the appearances (usually none).
            given = self.model_fields_set - {"ref", "appearances"}
            declared = [name for name in given if getattr(self, name) is not None]
            if declared:
                raise ValueError(
                    f"a 'ref' only adds appearances; remove {', '.join(sorted(declared))}"
                )
        elif self.slug is None or self.speaker is None or self.claim is None or self.stance is None:
            missing = [
                n for n in ("slug", "speaker", "claim", "stance") if getattr(self, n) is None
            ]
            raise ValueError(f"a statement needs {', '.join(missing)} (or a 'ref')")
        return self

    @property
    def key(self) -> str:
        return self.ref or self.slug or ""


class AppearanceRef(Spec):
    source: Slug
    quote: Text


class ContradictionSpec(Reviewed):
    # A denial is found from the stances, never written; a file may only record that a person
    # rejected one (what `sayso export` writes, so that a restore keeps the review).
    kind: Literal[
        ContradictionKind.inconsistency, ContradictionKind.misreport, ContradictionKind.denial
    ]
    statement: Slug | None = None
    a: Slug | AppearanceRef
    b: Slug | AppearanceRef
    rationale: Text | None = None  # a denial's, when none is given, is said when read

    @model_validator(mode="after")
    def _sides_fit_kind(self) -> Self:
        if self.rationale is None and self.kind != ContradictionKind.denial:
            raise ValueError(f"a contradiction of kind {self.kind.value!r} needs its 'rationale'")
        if self.kind == ContradictionKind.misreport:
            if self.statement is None:
                raise ValueError("a misreport names its 'statement'")
            if not (isinstance(self.a, AppearanceRef) and isinstance(self.b, AppearanceRef)):
                raise ValueError("a misreport's 'a' and 'b' are {source, quote} appearances")
            if self.a == self.b:
                raise ValueError("a misreport needs two different appearances")
        else:
            kind = self.kind.value
            if self.kind == ContradictionKind.denial and self.status != ReviewStatus.rejected:
                raise ValueError(
                    "sayso finds denials from the stances: a file only records a rejected one"
                    " (status: rejected, with a status_reason)"
                )
            if self.statement is not None:
                raise ValueError(f"an {kind} has no 'statement': 'a' and 'b' are statements")
            if not (isinstance(self.a, str) and isinstance(self.b, str)):
                raise ValueError(f"an {kind}'s 'a' and 'b' are statement slugs")
            if self.a == self.b:
                raise ValueError("a statement cannot contradict itself")
        return self


class AnnotationFile(Spec):
    format: Literal["sayso/1"]
    source: DocumentSpec
    actors: list[ActorSpec] = []
    sources: list[CitedSourceSpec] = []
    claims: list[ClaimSpec] = []
    statements: list[StatementSpec] = []
    contradictions: list[ContradictionSpec] = []

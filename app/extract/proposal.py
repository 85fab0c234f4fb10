"""What a draft proposes, before it is written out: statements (new ones, or more appearances
of stored ones), their links to what is stored, and the new claims."""

from dataclasses import dataclass, field

from app.extract.model import Attr
from app.models.enums import Stance


@dataclass
class ClaimLink:
    """Why a statement is on its claim: how sure, and what made it so."""

    confidence: float
    reasons: list[str] = field(default_factory=list)
    # The statement of the draft whose claim this one took (its own words say nothing).
    borrowed_from: int | None = None


@dataclass
class Link:
    """What the reviewer is told of one statement's link."""

    kind: str  # "ref" (a stored statement), "claim" (a stored claim), "new" (a new claim)
    target: str  # the stored statement's or claim's slug, or the new claim's key
    confidence: float
    reasons: list[str]
    # "possible contradiction with ...": a link held back because it is not sure enough.
    held_back: str | None = None

    def note(self) -> str:
        if self.kind == "ref":
            head = f"linked to statement {self.target} ({self.confidence:.2f})"
        elif self.kind == "claim":
            head = f"on claim {self.target} ({self.confidence:.2f})"
        else:
            head = "new claim"
        said = f"{head}: {', '.join(self.reasons)}" if self.reasons else head
        return f"{said}; {self.held_back}" if self.held_back else said


@dataclass
class Appearance:
    attr: Attr
    words: str
    hedge: str | None = None


@dataclass
class Proposed:
    """One statement of the draft: a new one, or more appearances of a known one (ref)."""

    entity: int
    claim: str  # a known claim's slug, or "new:N"
    stance: Stance
    appearances: list[Appearance] = field(default_factory=list)
    ref: str | None = None
    score: float = 0.0
    # How sure the statement is of its claim, and why; then its link as the reviewer reads it.
    claim_link: ClaimLink = field(default_factory=lambda: ClaimLink(1.0))
    link: Link | None = None
    about: str | None = None  # the words its claim was read from (None: they say nothing)


@dataclass
class Built:
    statements: list[Proposed]
    new_claims: dict[str, str]  # "new:N" -> claim text
    story: set[str]  # known claims the text is about
    actors: dict[int, str | None]  # entity id -> known actor slug (None: new)
    claim_notes: dict[str, str] = field(default_factory=dict)  # "new:N" -> a note for the reviewer

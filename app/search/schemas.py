from typing import Literal

from pydantic import BaseModel, Field

from app.models.enums import Stance
from app.shared.briefs import ActorBrief, ClaimBrief, Span
from app.web.params import Params, Text


class QuoteSource(BaseModel):
    slug: str
    title: str | None


class QuoteHit(BaseModel):
    appearance_id: int
    text: str = Field(description="The quote as printed.")
    span: Span
    statement: str = Field(description="The slug of the statement it reports.")
    stance: Stance
    speaker: ActorBrief
    source: QuoteSource


class SearchHit(BaseModel):
    kind: Literal["quote", "claim", "actor"]
    score: float = Field(description="Relevance: higher is better.")
    snippet: str = Field(
        description="The matching text, hits wrapped in <mark>…</mark>.",
        examples=["No. It is <mark>not</mark> <mark>true</mark>"],
    )
    quote: QuoteHit | None = Field(description="For a quote: where it was printed, and by whom.")
    claim: ClaimBrief | None = Field(description="The claim hit, or the claim a quote is about.")
    actor: ActorBrief | None = Field(description="For a name or alias: the actor.")


class SearchResults(BaseModel):
    query: str
    items: list[SearchHit]


class SearchParams(Params):
    q: Text = Field(
        description="Words to look for; a hit needs any of them, the best matches (most words, "
        "rarest words) first. Words are stemmed: 'rejected' finds 'rejects'.",
        examples=["Putin ceasefire offer rejected"],
    )
    limit: int = Field(20, ge=1, le=100, description="How many hits (at most 100).")

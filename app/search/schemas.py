from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from app.models.enums import Stance
from app.shared.briefs import ActorBrief, ClaimBrief, Span
from app.web.params import Params, Text

# The answer's shapes (TypedDicts, as app/shared/briefs.py says why).


class QuoteSource(TypedDict):
    slug: str
    title: str | None


class QuoteHit(TypedDict):
    appearance_id: int
    text: Annotated[str, Field(description="The quote as printed.")]
    span: Span
    statement: Annotated[str, Field(description="The slug of the statement it reports.")]
    stance: Stance
    speaker: ActorBrief
    source: QuoteSource


class SearchHit(TypedDict):
    kind: Literal["quote", "claim", "actor"]
    score: Annotated[float, Field(description="Relevance: higher is better.")]
    snippet: Annotated[
        str,
        Field(
            description="The matching text as HTML: escaped (a stored `<` is `&lt;`, `&` is "
            "`&amp;`, `>` is `&gt;`), the words matched in <mark>…</mark>, which is the only "
            "markup it holds; `…` where the text is cut.",
            examples=["No. It is <mark>not</mark> <mark>true</mark>"],
        ),
    ]
    quote: Annotated[
        QuoteHit | None, Field(description="For a quote: where it was printed, and by whom.")
    ]
    claim: Annotated[
        ClaimBrief | None, Field(description="The claim hit, or the claim a quote is about.")
    ]
    actor: Annotated[ActorBrief | None, Field(description="For a name or alias: the actor.")]


class SearchResults(TypedDict):
    query: str
    items: list[SearchHit]


class SearchParams(Params):
    q: Text = Field(
        description="Words to look for; a hit needs any of them, the best matches (most words, "
        "rarest words) first. Words are stemmed: 'rejected' finds 'rejects'.",
        examples=["Putin ceasefire offer rejected"],
    )
    limit: int = Field(20, ge=1, le=100, description="How many hits (at most 100).")

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator
from typing_extensions import TypedDict

from app.models.enums import QuoteMode
from app.shared.briefs import ActorBrief, ClaimBrief, Located, SourceBrief, Span, StatementBrief
from app.web.pagination import PageParams
from app.web.params import Paged, Slug, Text, slug_field

# The answer's shapes (TypedDicts, as app/shared/briefs.py says why).

SNIPPET_DOC = (
    "The matching stretch of the text, HTML-escaped (`&`, `<`, `>`, `\"` and `'` as entities), "
    "with each match wrapped in `<mark>`…`</mark>`, the only markup it holds; `…` where it was "
    "cut."
)
Kind = Literal["quote", "claim", "actor"]


class QuoteHit(TypedDict):
    appearance_id: int
    text: Annotated[str, Field(description="The quote as printed.")]
    mode: QuoteMode
    span: Span
    statement: Annotated[StatementBrief, Field(description="The statement it reports.")]
    source: SourceBrief


class SearchHit(TypedDict):
    kind: Kind
    score: Annotated[
        float,
        Field(description="Relevance, higher is better (the engine's own measure, per database)."),
    ]
    snippet: Annotated[
        str,
        Field(description=SNIPPET_DOC, examples=["No. It is <mark>not</mark> <mark>true</mark>"]),
    ]
    quote: Annotated[
        QuoteHit | None, Field(description="For a quote: where it was printed, and by whom.")
    ]
    claim: Annotated[
        ClaimBrief | None, Field(description="The claim hit, or the claim a quote is about.")
    ]
    actor: Annotated[
        ActorBrief | None, Field(description="For an actor (found by its name or any alias).")
    ]


class SourceHit(TypedDict):
    source: SourceBrief
    snippet: Annotated[str, Field(description=SNIPPET_DOC)]
    match_count: Annotated[int, Field(description="How many matches the text holds.")]
    matches: Annotated[
        list[Located],
        Field(
            description="Each match, in text order (the first 100): `text` is the source's "
            "stored text from `start` to `end` (Unicode code points), as `/sources/{slug}/text` "
            "serves it."
        ),
    ]


# -- the parameters --------------------------------------------------------------------------

Q_DOC = (
    'What to look for: words (all of them, in any order), "quoted phrases", OR, NOT or -word, '
    "prefix* and (parentheses). Words are stemmed: `rejected` finds `rejects`. See docs/api.md, "
    "Search."
)
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class _SearchPaged(Paged):
    q: Text = Field(description=Q_DOC, examples=['"back channel" OR ceasefire'])
    limit: int | None = Field(
        None,
        ge=1,
        le=MAX_LIMIT,
        description="Hits per page (default 20, at most 100).",
        examples=[5],
    )
    outlet: Slug | None = slug_field("Only hits in sources of this outlet.", "india-tv-news")
    reported_from: dt.date | None = Field(
        None,
        description="Only hits in sources reported on or after this day.",
        examples=["2024-02-14"],
    )
    reported_to: dt.date | None = Field(
        None,
        description="Only hits in sources reported on or before this day.",
        examples=["2024-02-14"],
    )

    @field_validator("said_to", "reported_to", check_fields=False)
    @classmethod
    def _after_start(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start_name = info.field_name.replace("_to", "_from") if info.field_name else ""
        start = info.data.get(start_name)
        if start and end and start > end:
            raise ValueError(f"{info.field_name} ({end}) is before {start_name} ({start})")
        return end

    @property
    def paging(self) -> PageParams:
        return PageParams(self.limit or DEFAULT_LIMIT, self.cursor)


class SearchParams(_SearchPaged):
    kind: Kind | None = Field(None, description="Only hits of this kind.", examples=["quote"])
    speaker: Slug | None = slug_field("Only quotes said by this actor.", "dmitry-peskov")
    said_from: dt.date | None = Field(
        None,
        description="Only quotes of statements dated on or after this day (said, else first "
        "reported: a statement's `dated`).",
        examples=["2024-02-14"],
    )
    said_to: dt.date | None = Field(
        None,
        description="Only quotes of statements dated on or before this day (said, else first "
        "reported: a statement's `dated`).",
        examples=["2024-02-14"],
    )


class SourceSearchParams(_SearchPaged):
    pass

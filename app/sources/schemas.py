import datetime as dt
from typing import Annotated

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from typing_extensions import TypedDict

from app.documents.dates import storable_instant
from app.models.enums import DateKind, FurnitureKind
from app.shared.briefs import Located, SourceBrief, Span
from app.shared.fields import StoredSlug
from app.web.params import (
    TEXT_PATTERN,
    Changes,
    Counted,
    Paged,
    Params,
    Slug,
    not_null,
    slug_field,
)

# The answers' shapes (TypedDicts, as app/shared/briefs.py says why).

# An instant as the API writes it: ISO 8601 text in UTC (app.db.reads.iso_instant).
Instant = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


class SourceUnderReview(TypedDict):
    """A source with reports waiting for review (the review desk's queue by source)."""

    slug: str
    title: str | None
    reports: int


class SourceDateRead(TypedDict):
    kind: Annotated[
        DateKind,
        Field(
            description="published / updated: labelled so on the page; page: shown without a label."
        ),
    ]
    printed: Annotated[str, Field(examples=["Feb 14, 2024 23:55 IST"])]
    day: dt.date
    at: Annotated[Instant | None, Field(description="The time too, when printed, with its offset.")]
    span: Span | None
    note: str | None


class CitationRead(TypedDict):
    source: SourceBrief
    evidence: Annotated[
        Located | None, Field(description="The words in the citing text that say so.")
    ]


class FurnitureRead(TypedDict):
    kind: FurnitureKind
    span: Span


class SourceRead(SourceBrief):
    reported_on_basis: Annotated[
        str | None,
        Field(
            description="Why `reported_on` is that day, where it is not a publication date the "
            "page prints (null where it is, or where nothing is known of it).",
            examples=[
                "The page prints no publication date: dated by the date it says it was updated "
                "(Feb 15, 2024)."
            ],
        ),
    ]
    url: str | None
    byline: str | None
    language: Annotated[str, Field(examples=["en"])]
    description: str | None
    sha256: Annotated[
        str | None, Field(description="SHA-256 of the document's bytes; null without text.")
    ]
    has_text: bool
    appearance_count: int


class SourceDetail(SourceRead):
    text: Annotated[
        str | None, Field(description="The document byte for byte, furniture included.")
    ]
    dates: list[SourceDateRead]
    cites: list[CitationRead]
    cited_by: list[CitationRead]
    furniture: Annotated[
        list[FurnitureRead], Field(description="Page text that is not the article.")
    ]
    version: Annotated[
        int, Field(description="Bumped by every edit (the ETag's first part, for If-Match).")
    ]


# -- writes -------------------------------------------------------------------------------------

LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$"
# BCP 47 tags are case-insensitive: stored in lower case, as the loader does (app.ingest.spec).
Language = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN, max_length=35, to_lower=True)]
Occurrence = Annotated[int, Field(ge=1, le=1_000_000)]


class SourceDateWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: DateKind = Field(
        description="published / updated: labelled so on the page; page: shown without a label."
    )
    printed: str = Field(
        min_length=1,
        max_length=200,
        pattern=TEXT_PATTERN,
        description="The date as the page prints it; found in the source's text (when it has "
        "one) for its span.",
        examples=["Feb 14, 2024 23:55 IST"],
    )
    value: AwareDatetime | dt.date = Field(
        description="What it says: a day, or an instant with its UTC offset.",
        examples=["2024-02-14T23:55:00+05:30"],
    )
    occurrence: Occurrence | None = Field(
        None, description="Which occurrence of `printed` in the text, when there are several."
    )
    note: str | None = Field(None, max_length=2000, pattern=TEXT_PATTERN)

    @field_validator("value")
    @classmethod
    def _storable(cls, value: dt.datetime | dt.date) -> dt.datetime | dt.date:
        return storable_instant(value) if isinstance(value, dt.datetime) else value


class CitationWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: StoredSlug = Field(
        description="The source cited (another source's slug).",
        examples=["reuters-2024-02-putin-ceasefire-rebuffed"],
    )
    evidence: str | None = Field(
        None,
        min_length=1,
        max_length=2000,
        pattern=TEXT_PATTERN,
        description="The words in this source's text that say so (found there for their span).",
        examples=["(with inputs from Reuters)"],
    )
    occurrence: Occurrence | None = Field(
        None, description="Which occurrence of `evidence` in the text, when there are several."
    )


OUTLET = Field(None, description="The slug of its outlet (an actor of kind outlet).")
TITLE = Field(None, max_length=2000, pattern=TEXT_PATTERN)
URL = Field(None, max_length=2000, pattern=TEXT_PATTERN)
BYLINE = Field(None, max_length=300, pattern=TEXT_PATTERN)
DESCRIPTION = Field(None, max_length=5000, pattern=TEXT_PATTERN)
LANGUAGE = Field(description="Its language, a BCP 47 tag (stored in lower case).", examples=["en"])
TEXT = Field(
    None,
    min_length=1,
    pattern=TEXT_PATTERN,
    description="The whole document, byte for byte (its `sha256` is worked out from it); "
    "null for a cited source whose text is not held. Once statements are found in it, it can "
    "no longer change.",
)
DATES_DOC = (
    "Every date the page prints, and which is which; `reported_on` is worked out from them: "
    "the publication date, else (with `reported_on_basis` saying so) the updated date, else "
    "the page's own date, unless `reported_on` is given. An update's list replaces them."
)
CITES_DOC = "What the source says it draws on. An update's list replaces them."
REPORTED_ON = Field(
    None,
    description="The day it was reported, where the page prints no publication date (a cited "
    "report without text, or a page whose dates are not its publication's): with "
    "`reported_on_basis` saying why, where the page prints other dates. Where it prints a "
    "publication date, that is the day, and this may not be given.",
)
REPORTED_ON_BASIS = Field(
    None,
    max_length=5000,
    pattern=TEXT_PATTERN,
    description="Why the source is dated `reported_on` (the evidence), where that is not a "
    "publication date the page prints.",
)


class SourceCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "slug": "wire-2026-05-01-bridge-reopens",
                    "title": "Bridge to reopen in May",
                    "outlet": "reuters",
                    "language": "en",
                    "text": "May 1, 2026\nBRUSSELS - The bridge would reopen in May, transport "
                    "minister Ana Silva said on Monday.\n",
                    "dates": [
                        {"kind": "published", "printed": "May 1, 2026", "value": "2026-05-01"}
                    ],
                }
            ]
        },
    )

    slug: StoredSlug = Field(description="Its URL name.", examples=["bridge-news-2026-05-01"])
    title: str | None = TITLE
    outlet: StoredSlug | None = OUTLET
    url: str | None = URL
    byline: str | None = BYLINE
    language: Language = LANGUAGE
    description: str | None = DESCRIPTION
    text: str | None = TEXT
    dates: list[SourceDateWrite] = Field([], max_length=100, description=DATES_DOC)
    cites: list[CitationWrite] = Field([], max_length=500, description=CITES_DOC)
    reported_on: dt.date | None = REPORTED_ON
    reported_on_basis: str | None = REPORTED_ON_BASIS


class SourceUpdate(Changes):
    """The fields to change (any but the slug); those left out stay as they are."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"byline": "Staff and agencies"}]})

    title: str | None = TITLE
    outlet: StoredSlug | None = OUTLET
    url: str | None = URL
    byline: str | None = BYLINE
    language: Language | None = Field(None, description=LANGUAGE.description)
    description: str | None = DESCRIPTION
    text: str | None = TEXT
    dates: list[SourceDateWrite] | None = Field(None, max_length=100, description=DATES_DOC)
    cites: list[CitationWrite] | None = Field(None, max_length=500, description=CITES_DOC)
    reported_on: dt.date | None = REPORTED_ON
    reported_on_basis: str | None = REPORTED_ON_BASIS

    _required = not_null("language", "dates", "cites")


# -- parameters ---------------------------------------------------------------------------------

SOURCE_SLUG = Field(
    description="The source's slug.", examples=["dantri-2024-putin-ceasefire-revealed"]
)


class SourceList(Counted):
    outlet: Slug | None = slug_field("Only sources of this outlet (an actor).", "dan-tri")
    language: str | None = Field(
        None,
        pattern=r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$",
        max_length=35,
        description="Only sources in this language (BCP 47 tag).",
        examples=["en"],
    )


class SourcePath(Params):
    PATH = ("slug",)
    slug: Slug = SOURCE_SLUG


class SourceTextParams(SourcePath):
    sha256: str | None = Field(
        None,
        pattern=r"^[0-9a-f]{64}$",
        description="The text's SHA-256 (the source's `sha256`): pins this exact text, which "
        "then never changes and may be cached for good; a 404 if the text is no longer this.",
        examples=["11677f19612196dbf6d9e3b14501b00cc9f1587af0d44b00db5ef983d964c661"],
    )


class SourceHistoryParams(Paged):
    PATH = ("slug",)
    slug: Slug = SOURCE_SLUG


class SourceStatementsParams(Paged):
    PATH = ("slug",)
    slug: Slug = SOURCE_SLUG

import datetime as dt

from pydantic import BaseModel, Field

from app.actors.schemas import ActorBrief
from app.models.enums import DateKind, FurnitureKind
from app.params import Paged, Params, Slug, slug_field


class SourceBrief(BaseModel):
    slug: str = Field(examples=["indiatv-2024-02-14-putin-ceasefire-rejected"])
    title: str | None
    outlet: ActorBrief | None
    reported_on: dt.date | None = Field(
        description="The published date, else the updated date, else the page's own date."
    )


class Span(BaseModel):
    start: int = Field(ge=0, description="Offset of the first character (Unicode code points).")
    end: int = Field(ge=0, description="Offset just past the last character.")


class Located(BaseModel):
    text: str
    start: int
    end: int


class SourceDateRead(BaseModel):
    kind: DateKind = Field(
        description="published / updated: labelled so on the page; page: shown without a label."
    )
    printed: str = Field(examples=["Feb 14, 2024 23:55 IST"])
    day: dt.date
    at: dt.datetime | None = Field(description="The time too, when printed, with its offset.")
    span: Span | None
    note: str | None


class CitationRead(BaseModel):
    source: SourceBrief
    evidence: Located | None = Field(description="The words in the citing text that say so.")


class FurnitureRead(BaseModel):
    kind: FurnitureKind
    span: Span


class SourceRead(SourceBrief):
    url: str | None
    byline: str | None
    language: str = Field(examples=["en"])
    description: str | None
    sha256: str | None = Field(description="SHA-256 of the document's bytes; null without text.")
    has_text: bool
    appearance_count: int


class SourceDetail(SourceRead):
    text: str | None = Field(description="The document byte for byte, furniture included.")
    dates: list[SourceDateRead]
    cites: list[CitationRead]
    cited_by: list[CitationRead]
    furniture: list[FurnitureRead] = Field(description="Page text that is not the article.")
    version: int = Field(description="Bumped by every edit (the ETag's first part, for If-Match).")


# -- parameters ---------------------------------------------------------------------------------

SOURCE_SLUG = Field(
    description="The source's slug.", examples=["dantri-2024-putin-ceasefire-revealed"]
)


class SourceList(Paged):
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


class SourceStatementsParams(Paged):
    PATH = ("slug",)
    slug: Slug = SOURCE_SLUG

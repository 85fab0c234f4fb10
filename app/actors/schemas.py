from typing import Annotated

from annotated_types import MaxLen
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.contradictions.schemas import REVIEW
from app.db.review import Review
from app.models import alias_key
from app.models.enums import ActorKind, ContradictionKind
from app.shared.briefs import ActorBrief
from app.shared.fields import StoredSlug
from app.statements.filters import StatementFilter, StatementNarrowing
from app.web.params import (
    INCLUDE_AFFILIATED,
    KIND,
    TEXT_PATTERN,
    Changes,
    Counted,
    Paged,
    Params,
    Slug,
    Text,
    not_null,
    slug_field,
)

# The answers' shapes (TypedDicts, as app/shared/briefs.py says why).


class ActorRead(ActorBrief):
    description: Annotated[str | None, Field(examples=["Kremlin spokesman"])]
    affiliation: Annotated[ActorBrief | None, Field(description="The actor this one belongs to.")]
    aliases: Annotated[list[str], Field(examples=[["Peskov", "Kremlin spokesman Dmitry Peskov"]])]
    group_size: Annotated[
        int | None, Field(description="For unnamed sources: how many, when the text says.")
    ]
    knowledge: Annotated[
        str | None,
        Field(
            description="For unnamed sources: what the text says they know about.",
            examples=["the discussions"],
        ),
    ]


class Opponent(ActorBrief):
    contradictions: Annotated[int, Field(description="How many contradictions between the two.")]


class ActorDetail(ActorRead):
    members: Annotated[
        list[ActorBrief], Field(description="Actors directly affiliated with this one.")
    ]
    statement_count: int
    stance_counts: Annotated[dict[str, int], Field(description="Statements by stance.")]
    contradicts: Annotated[
        list[Opponent],
        Field(
            description="Actors this one contradicts: whose statements it denies, or with whom "
            "it is in a curated inconsistency (misreports are between sources, not actors)."
        ),
    ]
    contradicted_by: Annotated[
        list[Opponent],
        Field(
            description="Actors who contradict this one: who deny its statements, or are in a "
            "curated inconsistency with it."
        ),
    ]
    version: Annotated[
        int, Field(description="Bumped by every edit (the ETag's first part, for If-Match).")
    ]


# -- writes -------------------------------------------------------------------------------------


def _matchable(name: str) -> str:
    key = alias_key(name)
    if not key:
        raise ValueError("a name needs more than spaces")
    if len(key) > 300:
        raise ValueError("at most 300 characters once case-folded")
    return name


# A name or alias: matched case-folded with its spaces collapsed (app.models.alias_key).
Name = Annotated[
    str,
    StringConstraints(min_length=1, max_length=300, pattern=TEXT_PATTERN),
    AfterValidator(_matchable),
]


def _distinct(aliases: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for alias in aliases:
        first = seen.setdefault(alias_key(alias), alias)
        if first is not alias:
            raise ValueError(
                f"'{alias}' and '{first}' are the same alias (aliases match ignoring case and "
                "spacing)"
            )
    return aliases


Aliases = Annotated[list[Name], MaxLen(200), AfterValidator(_distinct)]

ALIASES_DOC = (
    "Other names it goes by in the texts, each once (case and spacing aside). Its name is "
    "always the first alias; an update's list replaces the aliases (a renamed actor keeps its "
    "old name as an alias unless the list leaves it out)."
)
ALIASES_EXAMPLE = [["the bridge authority", "BRA"]]
AFFILIATION = Field(
    None,
    description="The slug of the actor this one belongs to (not itself, nor one of its own "
    "members).",
    examples=["kremlin"],
)
DESCRIPTION = Field(None, max_length=5000, pattern=TEXT_PATTERN, examples=["Kremlin spokesman"])
GROUP_SIZE = Field(
    None, ge=1, le=1_000_000, description="Unnamed sources only: how many, when the text says."
)
KNOWLEDGE = Field(
    None,
    max_length=1000,
    pattern=TEXT_PATTERN,
    description="Unnamed sources only: what the text says they know about.",
    examples=["the discussions"],
)


class ActorCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "slug": "maria-zakharova",
                    "name": "Maria Zakharova",
                    "kind": "person",
                    "description": "Russian foreign ministry spokeswoman",
                    "aliases": ["Zakharova"],
                }
            ]
        },
    )

    slug: StoredSlug = Field(description="Its URL name.", examples=["bridge-authority"])
    name: Name = Field(examples=["The Bridge Authority"])
    kind: ActorKind
    description: str | None = DESCRIPTION
    affiliation: StoredSlug | None = AFFILIATION
    aliases: Aliases = Field([], description=ALIASES_DOC, examples=ALIASES_EXAMPLE)
    group_size: int | None = GROUP_SIZE
    knowledge: str | None = KNOWLEDGE


class ActorUpdate(Changes):
    """The fields to change (any but the slug); those left out stay as they are."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"aliases": ["Peskov", "Mr. Peskov", "Kremlin spokesman Dmitry Peskov"]}]
        }
    )

    name: Name | None = None
    kind: ActorKind | None = None
    description: str | None = DESCRIPTION
    affiliation: StoredSlug | None = AFFILIATION
    aliases: Aliases | None = Field(None, description=ALIASES_DOC, examples=ALIASES_EXAMPLE)
    group_size: int | None = GROUP_SIZE
    knowledge: str | None = KNOWLEDGE

    _required = not_null("name", "kind", "aliases")


# -- parameters ---------------------------------------------------------------------------------

ACTOR_SLUG = Field(description="The actor's slug.", examples=["dmitry-peskov"])


class ActorList(Counted):
    q: Text | None = Field(
        None,
        description="Only actors whose name or any alias contains these words (any case).",
        examples=["Peskov"],
    )
    alias: Text | None = Field(
        None,
        description="Only the actor(s) going by exactly this name or alias (any case).",
        examples=["Kremlin spokesman Dmitry Peskov"],
    )
    kind: ActorKind | None = Field(
        None, description="Only actors of this kind.", examples=["unnamed"]
    )

    def too_costly_to_count(self) -> str | None:
        return "with q: it would read every actor's names" if self.q is not None else None


class ActorPath(Params):
    PATH = ("slug",)
    slug: Slug = ACTOR_SLUG


class ActorHistoryParams(Paged):
    PATH = ("slug",)
    slug: Slug = ACTOR_SLUG


class ActorStatementsParams(Counted, StatementNarrowing):
    PATH = ("slug",)
    slug: Slug = ACTOR_SLUG
    claim: Slug | None = slug_field(
        "Only statements on this claim.", "putin-signalled-ceasefire-2023"
    )
    include_affiliated: bool = INCLUDE_AFFILIATED

    def to_filter(self) -> StatementFilter:
        return StatementFilter(
            claim=self.claim,
            speaker=self.slug,
            include_affiliated=self.include_affiliated,
            **self.narrowing(),
        )


class ActorContradictionsParams(Paged):
    PATH = ("slug",)
    slug: Slug = ACTOR_SLUG
    kind: ContradictionKind | None = KIND
    include_affiliated: bool = INCLUDE_AFFILIATED
    review: Review = REVIEW

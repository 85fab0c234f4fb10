"""Field declarations that several domains' write bodies share."""

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from app.web.params import SLUG_PATTERN, TEXT_PATTERN

# Actors and sources keep their slugs in 120 characters.
StoredSlug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]


# A row id, within what both databases' integer columns hold.
RowId = Annotated[int, Field(ge=1, le=2_147_483_647)]


def text(max_length: int, description: str | None = None, example: str | None = None) -> Any:
    """An optional text field of at most MAX_LENGTH characters (null: none)."""
    return Field(
        None,
        min_length=1,
        max_length=max_length,
        pattern=TEXT_PATTERN,
        description=description,
        examples=[example] if example else None,
    )


NOTE_DOC = "Anything a reader of the data should know."


STATUS_DOC = (
    "Where it stands in review: `confirmed` (the default) shows in every read; `proposed` only "
    "where a read asks for it (`review=proposed`); `rejected` needs a `status_reason`."
)


STATUS_REASON_DOC = "Why it was rejected (required then), or any review note."

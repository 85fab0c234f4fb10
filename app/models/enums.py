"""Controlled vocabularies, stored as portable strings (no native database enums)."""

from enum import StrEnum

import sqlalchemy as sa


class ActorKind(StrEnum):
    person = "person"
    organization = "organization"
    government = "government"
    outlet = "outlet"
    group = "group"
    unnamed = "unnamed"


class Stance(StrEnum):
    asserts = "asserts"
    confirms = "confirms"
    suggests = "suggests"
    denies = "denies"
    questions = "questions"
    declines_to_comment = "declines_to_comment"


# Stances that hold the claim to be true; a denial contradicts each of them.
POSITIVE_STANCES = (Stance.asserts, Stance.confirms, Stance.suggests)


class QuoteMode(StrEnum):
    direct = "direct"
    indirect = "indirect"


class DateKind(StrEnum):
    published = "published"
    updated = "updated"
    page = "page"


class FurnitureKind(StrEnum):
    navigation = "navigation"
    advertisement = "advertisement"
    page_date = "page-date"
    dateline = "dateline"
    image_credit = "image-credit"
    teaser = "teaser"
    comment_count = "comment-count"
    comment_form = "comment-form"
    tags = "tags"
    promotion = "promotion"


class ContradictionKind(StrEnum):
    denial = "denial"
    inconsistency = "inconsistency"
    misreport = "misreport"


class ReviewStatus(StrEnum):
    """Where a statement, appearance or contradiction stands in review; reads show confirmed
    data unless asked for the rest."""

    proposed = "proposed"
    confirmed = "confirmed"
    rejected = "rejected"


class KeyRole(StrEnum):
    """What an API key may do: editors create, edit and review; admins also delete, restore
    and merge."""

    editor = "editor"
    admin = "admin"


class ChangeAction(StrEnum):
    create = "create"
    update = "update"
    delete = "delete"
    restore = "restore"
    merge = "merge"


def enum_column(enum: type[StrEnum], name: str) -> sa.Enum:
    """A VARCHAR + CHECK column type for a vocabulary, identical on SQLite and PostgreSQL."""
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base
from app.models.enums import ActorKind, enum_column

if TYPE_CHECKING:
    from app.models.actor_alias import ActorAlias


class Actor(Base):
    """Anyone who says something: a person, a body, an outlet, or an unnamed source."""

    __tablename__ = "actors"
    __table_args__ = (
        CheckConstraint("group_size IS NULL OR group_size > 0", name="group_size_positive"),
        CheckConstraint(
            "affiliation_id IS NULL OR affiliation_id <> id", name="not_self_affiliated"
        ),
        Index("ix_actors_affiliation_id", "affiliation_id"),
        Index("ix_actors_kind_id", "kind", "id"),
        Index("ix_actors_name_key", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # The name as aliases are matched (app.models.actor_alias.alias_key): "find by any name"
    # then reads an index, for the name as for the aliases.
    name_key: Mapped[str] = mapped_column(String(300))
    kind: Mapped[ActorKind] = mapped_column(enum_column(ActorKind, "actor_kind"))
    description: Mapped[str | None] = mapped_column(Text)
    affiliation_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    # For unnamed sources: how many people the text says there are, and what they know about.
    group_size: Mapped[int | None]
    knowledge: Mapped[str | None] = mapped_column(Text)

    # Bumped by every edit: an ETag names it, and If-Match must name the current one.
    version: Mapped[int] = mapped_column(server_default="1")

    aliases: Mapped[list["ActorAlias"]] = relationship(
        back_populates="actor", lazy="raise", cascade="all, delete-orphan"
    )

    # The ORM checks and bumps the version on every UPDATE: a concurrent edit is refused.
    __mapper_args__ = {"version_id_col": version}

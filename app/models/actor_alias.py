from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base

if TYPE_CHECKING:
    from app.models.actor import Actor


def alias_key(alias: str) -> str:
    """The form aliases are matched in: case-folded, whitespace collapsed."""
    return " ".join(alias.casefold().split())


class ActorAlias(Base):
    """A name an actor goes by in the texts ("Peskov", "Kremlin spokesman Dmitry Peskov")."""

    __tablename__ = "actor_aliases"
    __table_args__ = (
        UniqueConstraint("actor_id", "alias_key", name="uq_actor_aliases_actor_id_alias_key"),
        Index("ix_actor_aliases_alias_key", "alias_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    alias_key: Mapped[str] = mapped_column(String(300))

    actor: Mapped["Actor"] = relationship(back_populates="aliases", lazy="raise")

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.types import UTCDateTime


class Tombstone(Base):
    """A deleted object: its address answers 410 Gone until it is restored."""

    __tablename__ = "tombstones"
    __table_args__ = (
        UniqueConstraint("object_type", "object_id", name="uq_tombstones_object"),
        Index("ix_tombstones_object_type_slug", "object_type", "slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int]
    slug: Mapped[str | None] = mapped_column(String(160))
    # The deletion, whose `before` holds the rows to put back.
    change_id: Mapped[int] = mapped_column(ForeignKey("changes.id", ondelete="CASCADE"))
    deleted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.enums import FurnitureKind, enum_column


class SourceFurniture(Base):
    """A stretch of a page that is not the article: navigation, advertisements, teasers."""

    __tablename__ = "source_furniture"
    __table_args__ = (
        CheckConstraint("span_start >= 0 AND span_end > span_start", name="span_valid"),
        Index("ix_source_furniture_source_id_span_start", "source_id", "span_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    kind: Mapped[FurnitureKind] = mapped_column(enum_column(FurnitureKind, "furniture_kind"))
    span_start: Mapped[int]
    span_end: Mapped[int]

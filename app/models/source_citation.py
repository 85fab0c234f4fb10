from sqlalchemy import CheckConstraint, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class SourceCitation(Base):
    """A source saying it draws on another ("with inputs from Reuters")."""

    __tablename__ = "source_citations"
    __table_args__ = (
        UniqueConstraint("source_id", "cited_source_id", name="uq_source_citations_pair"),
        CheckConstraint("source_id <> cited_source_id", name="not_self_cited"),
        Index("ix_source_citations_cited_source_id", "cited_source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    cited_source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    evidence: Mapped[str | None] = mapped_column(Text)
    span_start: Mapped[int | None]
    span_end: Mapped[int | None]

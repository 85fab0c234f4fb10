from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.enums import QuoteMode, ReviewStatus, enum_column


class Appearance(Base):
    """Where a source reports a statement: the exact wording and its span in the source's text."""

    __tablename__ = "appearances"
    __table_args__ = (
        CheckConstraint(
            "status <> 'rejected' OR status_reason IS NOT NULL", name="rejected_has_reason"
        ),
        UniqueConstraint("statement_id", "source_id", "span_start", name="uq_appearances_place"),
        CheckConstraint("span_start >= 0 AND span_end > span_start", name="span_valid"),
        CheckConstraint(
            "(attribution IS NULL) = (attribution_start IS NULL)", name="attribution_has_span"
        ),
        CheckConstraint("(hedge IS NULL) = (hedge_start IS NULL)", name="hedge_has_span"),
        Index("ix_appearances_source_id_span_start_id", "source_id", "span_start", "id"),
        # What a claim's positions count (app/claims/service.py), read without the rows.
        Index(
            "ix_appearances_statement_id_status_source_id", "statement_id", "status", "source_id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    quote: Mapped[str] = mapped_column(Text)
    mode: Mapped[QuoteMode] = mapped_column(enum_column(QuoteMode, "quote_mode"))
    span_start: Mapped[int]
    span_end: Mapped[int]
    attribution: Mapped[str | None] = mapped_column(String(500))
    attribution_start: Mapped[int | None]
    attribution_end: Mapped[int | None]
    hedge: Mapped[str | None] = mapped_column(String(100))
    hedge_start: Mapped[int | None]
    hedge_end: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    # Bumped by every edit: an ETag names it, and If-Match must name the current one.
    version: Mapped[int] = mapped_column(server_default="1")
    status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, "review_status"), server_default=ReviewStatus.confirmed.value
    )
    status_reason: Mapped[str | None] = mapped_column(Text)

    # The ORM checks and bumps the version on every UPDATE: a concurrent edit is refused.
    __mapper_args__ = {"version_id_col": version}

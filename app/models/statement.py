import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.enums import ReviewStatus, Stance, enum_column


class Statement(Base):
    """One act of saying: a speaker's stance toward a claim, reported by one or more sources."""

    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint(
            "status <> 'rejected' OR status_reason IS NOT NULL", name="rejected_has_reason"
        ),
        # Keyset pages of a claim's statements, with and without a stance. The first carries
        # each statement's status and speaker too: a claim's positions read no statement row.
        Index(
            "ix_statements_claim_id_stance_id_status_speaker_id",
            "claim_id",
            "stance",
            "id",
            "status",
            "speaker_id",
        ),
        Index("ix_statements_claim_id_id", "claim_id", "id"),
        # On SQLite a migration stores the statements again in (speaker, id) order, every
        # column in the index, for an actor's pages (migration eda2dc8cb082; SQLite only).
        Index("ix_statements_speaker_id_id", "speaker_id", "id"),
        Index("ix_statements_recipient_id", "recipient_id"),
        # Keyset pages of one stance across claims, and statements dated in a period.
        Index("ix_statements_stance_id", "stance", "id"),
        Index("ix_statements_dated_on_id", "dated_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="RESTRICT"))
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="RESTRICT"))
    stance: Mapped[Stance] = mapped_column(enum_column(Stance, "stance"))
    said_on: Mapped[dt.date | None] = mapped_column(Date)
    # Its date for filters and timelines: said_on, else the earliest reported_on of the sources
    # of its appearances (rejected ones aside). Derived, kept by every write and load that moves
    # it (app/shared/dating.py); null when neither is known.
    dated_on: Mapped[dt.date | None] = mapped_column(Date)
    context: Mapped[str | None] = mapped_column(Text)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    via: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    # Bumped by every edit: an ETag names it, and If-Match must name the current one.
    version: Mapped[int] = mapped_column(server_default="1")
    status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, "review_status"), server_default=ReviewStatus.confirmed.value
    )
    status_reason: Mapped[str | None] = mapped_column(Text)

    # The ORM checks and bumps the version on every UPDATE: a concurrent edit is refused.
    __mapper_args__ = {"version_id_col": version}

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Source(Base):
    """A document that reports statements; a cited source may have no text of its own."""

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint(
            "(text IS NULL AND sha256 IS NULL) OR (text IS NOT NULL AND length(sha256) = 64)",
            name="text_has_sha256",
        ),
        Index("ix_sources_outlet_id", "outlet_id"),
        Index("ix_sources_reported_on_id", "reported_on", "id"),
        Index("ix_sources_language", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    url: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(35))
    description: Mapped[str | None] = mapped_column(Text)
    # The document byte for byte (decoded as UTF-8), and the SHA-256 of its bytes.
    text: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))
    # Its publication date where the page prints one (see source_dates for every date it
    # prints); else the best evidence, and reported_on_basis says what that is.
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    reported_on_basis: Mapped[str | None] = mapped_column(Text)
    # Bumped by every edit: an ETag names it, and If-Match must name the current one.
    version: Mapped[int] = mapped_column(server_default="1")

    # The ORM checks and bumps the version on every UPDATE: a concurrent edit is refused.
    __mapper_args__ = {"version_id_col": version}

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.enums import DateKind, enum_column
from app.models.types import UTCDateTime


class SourceDate(Base):
    """A date printed on a source's page, kept as printed and as read."""

    __tablename__ = "source_dates"
    __table_args__ = (Index("ix_source_dates_source_id", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    kind: Mapped[DateKind] = mapped_column(enum_column(DateKind, "date_kind"))
    printed: Mapped[str] = mapped_column(String(200))
    day: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    span_start: Mapped[int | None]
    span_end: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)

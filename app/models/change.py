import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.enums import ChangeAction, enum_column
from app.models.types import UTCDateTime


class Change(Base):
    """One change made through the API: who, when, to what, and the object before and after.

    A deletion's `before` holds every row the deletion removed (the object and what went with
    it), which is what a restore puts back.
    """

    __tablename__ = "changes"
    __table_args__ = (
        Index("ix_changes_object_type_object_id_id", "object_type", "object_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"))
    who: Mapped[str] = mapped_column(String(100))
    # actor | source | claim | statement | appearance | contradiction
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int]
    object_slug: Mapped[str | None] = mapped_column(String(160))
    action: Mapped[ChangeAction] = mapped_column(enum_column(ChangeAction, "change_action"))
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
    # What the change was, where before and after do not say: a load's "created by the load
    # of file X" (a load records no rows, only that).
    note: Mapped[str | None] = mapped_column(Text)

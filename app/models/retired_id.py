from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class RetiredId(Base):
    """The highest id a deletion has removed from a table, so that no new row takes it: a
    restore puts the old row back under its own id, and history keeps one object per id.
    (PostgreSQL's sequences never give an id twice; SQLite would give the next row the largest
    id plus one, which may be a deleted row's.)"""

    __tablename__ = "retired_ids"

    table_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    max_id: Mapped[int]

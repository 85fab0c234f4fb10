from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Claim(Base):
    """A proposition, in one plain positive sentence, that statements take a stance on."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # Bumped by every edit: an ETag names it, and If-Match must name the current one.
    version: Mapped[int] = mapped_column(server_default="1")

    # The ORM checks and bumps the version on every UPDATE: a concurrent edit is refused.
    __mapper_args__ = {"version_id_col": version}

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.enums import KeyRole, enum_column
from app.models.types import UTCDateTime


class ApiKey(Base):
    """A key that may write (and, when reads need one, read): only its SHA-256 is kept."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[KeyRole] = mapped_column(enum_column(KeyRole, "key_role"))
    # Keys are 256 random bits: a plain SHA-256 cannot be brute-forced back to one.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the key, so that a person can tell keys apart in a list.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

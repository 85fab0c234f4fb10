import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.types import UTCDateTime


class ClaimRedirect(Base):
    """The slug of a claim merged into another: it keeps resolving, to the claim it went into."""

    __tablename__ = "claim_redirects"

    id: Mapped[int] = mapped_column(primary_key=True)
    old_slug: Mapped[str] = mapped_column(String(120), unique=True)
    old_id: Mapped[int]
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    merged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

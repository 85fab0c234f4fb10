from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.enums import ContradictionKind, ReviewStatus, enum_column


class Contradiction(Base):
    """Two statements that cannot both be true, or two reports of one statement that disagree.

    A denial pairs a positive statement (a) with the statement denying its claim (b); a misreport
    names one statement (a = b) and the two appearances that disagree. A denial sayso found has
    no rationale stored (NULL): it is said when read, from the statements as they are then
    (app/contradictions/service.py), so a renamed actor or a reworded claim shows at once.
    """

    __tablename__ = "contradictions"
    __table_args__ = (
        CheckConstraint(
            "status <> 'rejected' OR status_reason IS NOT NULL", name="rejected_has_reason"
        ),
        CheckConstraint(
            "(kind = 'misreport' AND statement_a_id = statement_b_id"
            " AND appearance_a_id IS NOT NULL AND appearance_b_id IS NOT NULL"
            " AND appearance_a_id <> appearance_b_id)"
            " OR (kind <> 'misreport' AND statement_a_id <> statement_b_id"
            " AND appearance_a_id IS NULL AND appearance_b_id IS NULL)",
            name="sides_fit_kind",
        ),
        CheckConstraint("kind = 'denial' OR rationale IS NOT NULL", name="rationale_given"),
        Index("ix_contradictions_statement_a_id", "statement_a_id"),
        Index("ix_contradictions_statement_b_id", "statement_b_id"),
        Index("ix_contradictions_kind_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ContradictionKind] = mapped_column(enum_column(ContradictionKind, "contra_kind"))
    statement_a_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    statement_b_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    appearance_a_id: Mapped[int | None] = mapped_column(
        ForeignKey("appearances.id", ondelete="CASCADE")
    )
    appearance_b_id: Mapped[int | None] = mapped_column(
        ForeignKey("appearances.id", ondelete="CASCADE")
    )
    rationale: Mapped[str | None] = mapped_column(Text)
    # Bumped by every edit: an ETag names it, and If-Match must name the current one.
    version: Mapped[int] = mapped_column(server_default="1")
    status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, "review_status"), server_default=ReviewStatus.confirmed.value
    )
    status_reason: Mapped[str | None] = mapped_column(Text)

    # The ORM checks and bumps the version on every UPDATE: a concurrent edit is refused.
    __mapper_args__ = {"version_id_col": version}

"""tier overrides: the talent office sets a candidate's certification tier other than the criteria give, with a reason

Revision ID: 0012_tier_overrides
Revises: 0011_interests
Create Date: 2026-12-05 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_tier_overrides"
down_revision: str | None = "0011_interests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "tier_overrides",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("candidate_id", BIG_ID, nullable=False),
        sa.Column("tier", sa.String(length=5), nullable=True),
        sa.Column("computed_tier", sa.String(length=5), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by", BIG_ID, nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_tier_overrides_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_by"], ["accounts.id"], name=op.f("fk_tier_overrides_set_by_accounts"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tier_overrides")),
        sa.UniqueConstraint("candidate_id", name=op.f("uq_tier_overrides_candidate_id")),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("tier_overrides")

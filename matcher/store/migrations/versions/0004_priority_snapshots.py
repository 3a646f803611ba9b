"""priority snapshots

Revision ID: 0004_priority_snapshots
Revises: 0003_occupations
Create Date: 2026-11-25 05:48:24.799223
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_priority_snapshots"
down_revision: str | None = "0003_occupations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "priority_snapshots",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("config_hash", sa.String(length=12), nullable=False),
        sa.Column("jobs_counted", sa.Integer(), nullable=False),
        sa.Column("candidates_counted", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_snapshots")),
        sa.UniqueConstraint("period", name=op.f("uq_priority_snapshots_period")),
    )
    op.create_table(
        "priority_snapshot_entries",
        sa.Column("snapshot_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("major_code", sa.String(length=10), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("shortage", sa.Float(), nullable=False),
        sa.Column("demand", sa.Float(), nullable=False),
        sa.Column("supply", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["priority_snapshots.id"],
            name=op.f("fk_priority_snapshot_entries_snapshot_id_priority_snapshots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "major_code", name=op.f("pk_priority_snapshot_entries")),
    )


def downgrade() -> None:
    op.drop_table("priority_snapshot_entries")
    op.drop_table("priority_snapshots")

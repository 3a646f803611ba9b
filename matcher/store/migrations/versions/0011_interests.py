"""interests: a candidate tells an employer they are interested in one of its jobs (with their consent)

Revision ID: 0011_interests
Revises: 0010_ids_never_reused
Create Date: 2026-12-05 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_interests"
down_revision: str | None = "0010_ids_never_reused"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "interests",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("candidate_id", BIG_ID, nullable=False),
        sa.Column("job_id", BIG_ID, nullable=False),
        sa.Column("organization_id", BIG_ID, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidates.id"], name=op.f("fk_interests_candidate_id_candidates"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_interests_job_id_jobs"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_interests_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interests")),
        sa.UniqueConstraint("candidate_id", "job_id", name="uq_interests_candidate_id"),
        sqlite_autoincrement=True,  # ids are never reused (0010)
    )
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interests_job_id"), ["job_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interests_organization_id"), ["organization_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interests_organization_id"))
        batch_op.drop_index(batch_op.f("ix_interests_job_id"))
    op.drop_table("interests")

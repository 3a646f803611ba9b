"""occupations (CSCO 2022), and jobs' occupation and where their majors came from

Revision ID: 0003_occupations
Revises: 0002_major_listings
Create Date: 2026-11-25 04:49:52.801739
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_occupations"
down_revision: str | None = "0002_major_listings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "occupations",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("tasks", sa.Text(), nullable=False),
        sa.Column("parent_code", sa.String(length=12), nullable=True),
        sa.Column("green", sa.Boolean(), nullable=False),
        sa.Column("digital", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_occupations")),
    )
    with op.batch_alter_table("occupations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_occupations_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_occupations_parent_code"), ["parent_code"], unique=False)

    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("occupation_code", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("major_source", sa.String(length=10), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_jobs_occupation_code"), ["occupation_code"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_occupation_code"))
        batch_op.drop_column("major_source")
        batch_op.drop_column("occupation_code")

    with op.batch_alter_table("occupations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_occupations_parent_code"))
        batch_op.drop_index(batch_op.f("ix_occupations_level"))

    op.drop_table("occupations")

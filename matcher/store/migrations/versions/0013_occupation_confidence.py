"""occupation confidence: how sure the coder was of a job's occupation (a group's code when it backed off; none and
a confidence when it was too unsure: "occupation uncertain")

Revision ID: 0013_occupation_confidence
Revises: 0012_tier_overrides
Create Date: 2026-12-06 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_occupation_confidence"
down_revision: str | None = "0012_tier_overrides"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("occupation_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("occupation_confidence")

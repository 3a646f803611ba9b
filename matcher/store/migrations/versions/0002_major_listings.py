"""major listings

Revision ID: 0002_major_listings
Revises: 0001_initial
Create Date: 2026-11-25 02:51:12.314604
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_major_listings"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "major_listings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("class_name", sa.String(length=300), nullable=False),
        sa.Column("category_name", sa.String(length=300), nullable=False),
        sa.Column("university", sa.String(length=300), nullable=False),
        sa.Column("major_code", sa.String(length=10), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.Column("extras", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_major_listings")),
        sa.UniqueConstraint("source", "external_id", name="uq_major_listings_source_external_id"),
    )
    with op.batch_alter_table("major_listings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_major_listings_major_code"), ["major_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_major_listings_university"), ["university"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("major_listings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_major_listings_university"))
        batch_op.drop_index(batch_op.f("ix_major_listings_major_code"))

    op.drop_table("major_listings")

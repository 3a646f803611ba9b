"""person links: candidate records that are one person (linked, for review, kept apart) and each record's person

Revision ID: 0014_person_links
Revises: 0013_occupation_confidence
Create Date: 2026-12-06 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_person_links"
down_revision: str | None = "0013_occupation_confidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", BIG_ID, nullable=True))
        batch_op.create_index(batch_op.f("ix_candidates_person_id"), ["person_id"], unique=False)
    op.create_table(
        "person_links",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("first_id", BIG_ID, nullable=False),
        sa.Column("second_id", BIG_ID, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.String(length=20), nullable=False),
        sa.Column("actor_account_id", BIG_ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_id"], ["candidates.id"], name=op.f("fk_person_links_first_id_candidates"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["second_id"], ["candidates.id"], name=op.f("fk_person_links_second_id_candidates"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_links")),
        sa.UniqueConstraint("first_id", "second_id", name="uq_person_links_first_id"),
        sqlite_autoincrement=True,  # ids are never reused (0010)
    )
    with op.batch_alter_table("person_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_links_second_id"), ["second_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_links_status"), ["status"], unique=False)
    op.create_table(
        "identity_keys",
        sa.Column("candidate_id", BIG_ID, nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_identity_keys_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("candidate_id", "key", name=op.f("pk_identity_keys")),
    )
    with op.batch_alter_table("identity_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_keys_key"), ["key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("identity_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_keys_key"))
    op.drop_table("identity_keys")
    with op.batch_alter_table("person_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_links_status"))
        batch_op.drop_index(batch_op.f("ix_person_links_second_id"))
    op.drop_table("person_links")
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidates_person_id"))
        batch_op.drop_column("person_id")

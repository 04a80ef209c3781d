"""Endorsements: "ook voor mij", one per resident and place.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "endorsements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("resident_hash", sa.String(64), nullable=False),
        sa.Column("owner_token_hash", sa.String(64), nullable=False),
        sa.Column("quote", sa.String(280), nullable=False),
        sa.Column("function_types", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_endorsements")),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["places.id"],
            ondelete="CASCADE",
            name=op.f("fk_endorsements_place_id_places"),
        ),  # fmt: skip
        sa.UniqueConstraint("place_id", "resident_hash", name=op.f("uq_endorsements_place_id")),
        sa.UniqueConstraint("owner_token_hash", name=op.f("uq_endorsements_owner_token_hash")),
    )
    op.create_index(op.f("ix_endorsements_place_id"), "endorsements", ["place_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_endorsements_place_id"), table_name="endorsements")
    op.drop_table("endorsements")

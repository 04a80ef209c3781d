"""Workshops with a join code; places belong to a workshop, know how their point was placed
and get a number in the workshop's feed when they first become public.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("wijk_code", sa.String(16), nullable=False),
        sa.Column("gemeente_code", sa.String(6), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True)),
        sa.Column("moderated", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer()),
        sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("feed_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshops")),
        sa.UniqueConstraint("code", name=op.f("uq_workshops_code")),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            ondelete="SET NULL",
            name=op.f("fk_workshops_owner_id_users"),
        ),  # fmt: skip
    )
    op.create_index(op.f("ix_workshops_wijk_code"), "workshops", ["wijk_code"])
    op.create_index(op.f("ix_workshops_gemeente_code"), "workshops", ["gemeente_code"])
    with op.batch_alter_table("places") as batch:
        batch.add_column(sa.Column("workshop_id", sa.Integer()))
        batch.add_column(sa.Column("workshop_seq", sa.Integer()))
        batch.add_column(sa.Column("placement", sa.String(10)))
        batch.add_column(sa.Column("map_zoom", sa.Float()))
        batch.create_foreign_key(
            op.f("fk_places_workshop_id_workshops"), "workshops", ["workshop_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip
        batch.create_unique_constraint(
            op.f("uq_places_workshop_id"), ["workshop_id", "workshop_seq"]
        )
        batch.create_index(op.f("ix_places_workshop_id"), ["workshop_id"])


def downgrade() -> None:
    with op.batch_alter_table("places") as batch:
        batch.drop_index(op.f("ix_places_workshop_id"))
        batch.drop_constraint(op.f("uq_places_workshop_id"), type_="unique")
        batch.drop_constraint(op.f("fk_places_workshop_id_workshops"), type_="foreignkey")
        batch.drop_column("map_zoom")
        batch.drop_column("placement")
        batch.drop_column("workshop_seq")
        batch.drop_column("workshop_id")
    op.drop_index(op.f("ix_workshops_gemeente_code"), table_name="workshops")
    op.drop_index(op.f("ix_workshops_wijk_code"), table_name="workshops")
    op.drop_table("workshops")

"""Reach: who contributed, counted without names. Places and endorsements get the
contributor's home buurt, age band and the hash of their anonymous key; areas get the
CBS age groups (counts of inhabitants).

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

AGE_COLUMNS = ("age_00_14", "age_15_24", "age_25_44", "age_45_64", "age_65_plus")
CONTRIBUTOR_TABLES = ("places", "endorsements")


def upgrade() -> None:
    for table in CONTRIBUTOR_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("home_buurt", sa.String(16)))
            batch.add_column(sa.Column("age_band", sa.String(8)))
            batch.add_column(sa.Column("contributor_key_hash", sa.String(64)))
            batch.create_index(op.f(f"ix_{table}_contributor_key_hash"), ["contributor_key_hash"])
    with op.batch_alter_table("areas") as batch:
        for column in AGE_COLUMNS:
            batch.add_column(sa.Column(column, sa.Integer()))


def downgrade() -> None:
    with op.batch_alter_table("areas") as batch:
        for column in AGE_COLUMNS:
            batch.drop_column(column)
    for table in CONTRIBUTOR_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(op.f(f"ix_{table}_contributor_key_hash"))
            batch.drop_column("contributor_key_hash")
            batch.drop_column("age_band")
            batch.drop_column("home_buurt")

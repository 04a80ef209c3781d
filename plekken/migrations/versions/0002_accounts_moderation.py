"""Accounts, personal tokens, the moderation log, owner tokens, private places and
unguessable symbol image keys.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("gemeenten", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            ondelete="CASCADE",
            name=op.f("fk_api_tokens_user_id_users"),
        ),  # fmt: skip
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"])
    op.create_table(
        "moderation_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON()),
        sa.Column("after", sa.JSON()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_log")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            ondelete="SET NULL",
            name=op.f("fk_moderation_log_user_id_users"),
        ),  # fmt: skip
    )
    op.create_index(op.f("ix_moderation_log_place_id"), "moderation_log", ["place_id"])
    with op.batch_alter_table("places") as batch:
        batch.add_column(sa.Column("owner_token_hash", sa.String(64)))
        batch.add_column(
            sa.Column("show_name", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("private", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_unique_constraint(op.f("uq_places_owner_token_hash"), ["owner_token_hash"])
    # A place named before this version chose to show its name, as it was public then.
    op.execute("UPDATE places SET show_name = (contributor_name IS NOT NULL)")
    with op.batch_alter_table("symbol_images") as batch:
        batch.add_column(sa.Column("key", sa.String(32)))
    images = sa.table("symbol_images", sa.column("id", sa.Integer), sa.column("key", sa.String))
    bind = op.get_bind()
    for (image_id,) in bind.execute(sa.select(images.c.id)).all():
        bind.execute(
            images.update().where(images.c.id == image_id).values(key=secrets.token_hex(16))
        )
    with op.batch_alter_table("symbol_images") as batch:
        batch.alter_column("key", existing_type=sa.String(32), nullable=False)
        batch.create_unique_constraint(op.f("uq_symbol_images_key"), ["key"])


def downgrade() -> None:
    with op.batch_alter_table("symbol_images") as batch:
        batch.drop_constraint(op.f("uq_symbol_images_key"), type_="unique")
        batch.drop_column("key")
    with op.batch_alter_table("places") as batch:
        batch.drop_constraint(op.f("uq_places_owner_token_hash"), type_="unique")
        batch.drop_column("private")
        batch.drop_column("show_name")
        batch.drop_column("owner_token_hash")
    op.drop_table("moderation_log")
    op.drop_table("api_tokens")
    op.drop_table("users")

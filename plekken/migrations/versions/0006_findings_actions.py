"""Findings (bevindingen) with their evidence, actions (acties) with their progress updates,
and a workshop setting that lets residents write them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import plekken.storage.base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _fk(column: str, table: str, own: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{table}.id"], ondelete=ondelete, name=op.f(f"fk_{own}_{column}_{table}")
    )


def _moments() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _spatial_index(table: str, column: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(f"ix_{table}_{column}", table, [column], postgresql_using="gist")


def upgrade() -> None:
    point = plekken.storage.base.Geometry("POINT")
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("gemeente_code", sa.String(6), nullable=False),
        sa.Column("wijk_code", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("function_type", sa.String(20)),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("buurten", sa.JSON(), nullable=False),
        sa.Column("gap_geom", point),
        sa.Column("gap_function_type", sa.String(20)),
        sa.Column("gap_distance", sa.Float()),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_by", sa.Integer()),
        sa.Column("workshop_id", sa.Integer()),
        *_moments(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
        _fk("created_by", "users", "findings", "SET NULL"),
        _fk("workshop_id", "workshops", "findings", "SET NULL"),
    )
    for column in ("gemeente_code", "wijk_code", "status", "workshop_id"):
        op.create_index(op.f(f"ix_findings_{column}"), "findings", [column])
    _spatial_index("findings", "gap_geom")
    op.create_table(
        "finding_places",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("finding_id", "place_id", name=op.f("pk_finding_places")),
        _fk("finding_id", "findings", "finding_places", "CASCADE"),
    )
    op.create_index(op.f("ix_finding_places_place_id"), "finding_places", ["place_id"])
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("gemeente_code", sa.String(6), nullable=False),
        sa.Column("wijk_code", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("geom", point),
        sa.Column("starts", sa.Date()),
        sa.Column("due", sa.Date()),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("stop_reason", sa.Text(), nullable=False),
        sa.Column("owner_token_hash", sa.String(64)),
        sa.Column("moderation", sa.String(10), nullable=False),
        sa.Column("created_by", sa.Integer()),
        sa.Column("workshop_id", sa.Integer()),
        *_moments(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
        sa.UniqueConstraint("owner_token_hash", name=op.f("uq_actions_owner_token_hash")),
        _fk("created_by", "users", "actions", "SET NULL"),
        _fk("workshop_id", "workshops", "actions", "SET NULL"),
    )
    for column in ("gemeente_code", "wijk_code", "status", "moderation", "workshop_id"):
        op.create_index(op.f(f"ix_actions_{column}"), "actions", [column])
    _spatial_index("actions", "geom")
    op.create_table(
        "action_findings",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("action_id", "finding_id", name=op.f("pk_action_findings")),
        _fk("action_id", "actions", "action_findings", "CASCADE"),
        _fk("finding_id", "findings", "action_findings", "CASCADE"),
    )
    op.create_index(op.f("ix_action_findings_finding_id"), "action_findings", ["finding_id"])
    op.create_table(
        "action_updates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("image_id", sa.Integer()),
        sa.Column("status_from", sa.String(10)),
        sa.Column("status_to", sa.String(10)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_updates")),
        _fk("action_id", "actions", "action_updates", "CASCADE"),
        _fk("image_id", "symbol_images", "action_updates", "SET NULL"),
    )
    op.create_index(op.f("ix_action_updates_action_id"), "action_updates", ["action_id"])
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(
            sa.Column("residents_write", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("residents_write")
    op.drop_table("action_updates")
    op.drop_table("action_findings")
    op.drop_table("actions")
    op.drop_table("finding_places")
    op.drop_table("findings")

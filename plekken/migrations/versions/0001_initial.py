"""Areas, places, function types and symbol images.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

import plekken.storage.base

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _spatial_index(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(f"ix_{table}_geom", table, ["geom"], postgresql_using="gist")


def upgrade() -> None:
    op.create_table(
        "areas",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("parent_code", sa.String(16)),
        sa.Column("gemeente_code", sa.String(6), nullable=False),
        sa.Column("gemeente_name", sa.String(200)),
        sa.Column("inhabitants", sa.Integer()),
        sa.Column("land_area_m2", sa.Float()),
        sa.Column("water_area_m2", sa.Float()),
        sa.Column("is_water", sa.Boolean(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.Column("geom", plekken.storage.base.Geometry("MULTIPOLYGON"), nullable=False),
        sa.Column("source", sa.String(300)),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_areas")),
        sa.UniqueConstraint("code", name=op.f("uq_areas_code")),
    )
    op.create_index(op.f("ix_areas_level"), "areas", ["level"])
    op.create_index(op.f("ix_areas_parent_code"), "areas", ["parent_code"])
    op.create_index(op.f("ix_areas_gemeente_code"), "areas", ["gemeente_code"])
    _spatial_index("areas")

    op.create_table(
        "symbol_images",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_symbol_images")),
    )
    op.create_index(op.f("ix_symbol_images_sha256"), "symbol_images", ["sha256"])

    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("quote", sa.String(280), nullable=False),
        sa.Column("story", sa.Text(), nullable=False),
        sa.Column("geom", plekken.storage.base.Geometry("POINT"), nullable=False),
        sa.Column("gemeente_code", sa.String(6)),
        sa.Column("wijk_code", sa.String(16)),
        sa.Column("buurt_code", sa.String(16)),
        sa.Column("symbol_icon", sa.String(40)),
        sa.Column("symbol_image_id", sa.Integer()),
        sa.Column("access_free_entry", sa.Boolean()),
        sa.Column("access_costs", sa.Boolean()),
        sa.Column("access_wheelchair", sa.Boolean()),
        sa.Column("access_opening_hours", sa.String(200)),
        sa.Column("access_notes", sa.Text()),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("contributor_role", sa.String(20), nullable=False),
        sa.Column("contributor_name", sa.String(80)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
        sa.ForeignKeyConstraint(
            ["symbol_image_id"],
            ["symbol_images.id"],
            name=op.f("fk_places_symbol_image_id_symbol_images"),
            ondelete="SET NULL",
        ),
    )
    for column in ("gemeente_code", "wijk_code", "buurt_code", "status"):
        op.create_index(op.f(f"ix_places_{column}"), "places", [column])
    _spatial_index("places")

    op.create_table(
        "place_function_types",
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("function_type", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("place_id", "function_type", name=op.f("pk_place_function_types")),
        sa.ForeignKeyConstraint(
            ["place_id"],
            ["places.id"],
            name=op.f("fk_place_function_types_place_id_places"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        op.f("ix_place_function_types_function_type"), "place_function_types", ["function_type"]
    )


def downgrade() -> None:
    op.drop_table("place_function_types")
    op.drop_table("places")
    op.drop_table("symbol_images")
    op.drop_table("areas")

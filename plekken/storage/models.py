"""The data model: CBS areas, places and their symbols, accounts and the moderation log.

Geometries are shapely objects in EPSG:4326 (see :class:`plekken.storage.base.Geometry`).
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Geometry

__all__ = [
    "ApiToken",
    "Area",
    "Endorsement",
    "ModerationEntry",
    "Place",
    "PlaceFunctionType",
    "SymbolImage",
    "User",
    "Workshop",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


class Area(Base):
    """A CBS gemeente, wijk or buurt."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(10), index=True)
    parent_code: Mapped[str | None] = mapped_column(String(16), index=True)
    gemeente_code: Mapped[str] = mapped_column(String(6), index=True)
    gemeente_name: Mapped[str | None] = mapped_column(String(200))
    inhabitants: Mapped[int | None] = mapped_column(Integer)
    #: Inhabitants per CBS age group (counts; files with percentages are converted on import).
    age_00_14: Mapped[int | None] = mapped_column(Integer)
    age_15_24: Mapped[int | None] = mapped_column(Integer)
    age_25_44: Mapped[int | None] = mapped_column(Integer)
    age_45_64: Mapped[int | None] = mapped_column(Integer)
    age_65_plus: Mapped[int | None] = mapped_column(Integer)
    land_area_m2: Mapped[float | None] = mapped_column(Float)
    water_area_m2: Mapped[float | None] = mapped_column(Float)
    is_water: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bounding box, so both backends can prefilter point-in-area lookups in SQL.
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    geom = mapped_column(Geometry("MULTIPOLYGON"), nullable=False)
    source: Mapped[str | None] = mapped_column(String(300))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.name!r}>"


class SymbolImage(Base):
    """An uploaded symbol: a square PNG without any metadata."""

    __tablename__ = "symbol_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    png: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: The image's URL names this random key, not its sequential id.
    key: Mapped[str] = mapped_column(String(32), unique=True, default=lambda: new_image_key())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PlaceFunctionType(Base):
    """One function type of a place (a place has one or more)."""

    __tablename__ = "place_function_types"

    place_id: Mapped[int] = mapped_column(
        ForeignKey("places.id", ondelete="CASCADE"), primary_key=True
    )
    function_type: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class Place(Base):
    """A meaningful place pinned by one person, with their symbol, quote and story."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    quote: Mapped[str] = mapped_column(String(280), default="")
    story: Mapped[str] = mapped_column(Text, default="")
    geom = mapped_column(Geometry("POINT"), nullable=False)
    gemeente_code: Mapped[str | None] = mapped_column(String(6), index=True)
    wijk_code: Mapped[str | None] = mapped_column(String(16), index=True)
    buurt_code: Mapped[str | None] = mapped_column(String(16), index=True)
    symbol_icon: Mapped[str | None] = mapped_column(String(40))
    symbol_image_id: Mapped[int | None] = mapped_column(
        ForeignKey("symbol_images.id", ondelete="SET NULL")
    )
    access_free_entry: Mapped[bool | None] = mapped_column(Boolean)
    access_costs: Mapped[bool | None] = mapped_column(Boolean)
    access_wheelchair: Mapped[bool | None] = mapped_column(Boolean)
    access_opening_hours: Mapped[str | None] = mapped_column(String(200))
    access_notes: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    contributor_role: Mapped[str] = mapped_column(String(20), default="bewoner")
    contributor_name: Mapped[str | None] = mapped_column(String(80))
    #: The contributor ticked "toon mijn naam": only then is the name public.
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    #: "Bij mij thuis": public answers show the place only coarsened.
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    #: SHA-256 of the contributor's owner token (the token itself is never stored).
    owner_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="published", index=True)
    #: The workshop the place was added in, if any.
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="SET NULL"), index=True
    )
    #: Its number in the workshop's feed, given once when it first becomes public.
    workshop_seq: Mapped[int | None] = mapped_column(Integer)
    #: How the point was placed ("map", "list", "gps") and the map's zoom then: research
    #: uses both to judge the quality of the data.
    placement: Mapped[str | None] = mapped_column(String(10))
    map_zoom: Mapped[float | None] = mapped_column(Float)
    #: Who contributed, for counting reach without names (never in public answers): the
    #: buurt code where they live, their age band, the SHA-256 of their anonymous key.
    home_buurt: Mapped[str | None] = mapped_column(String(16))
    age_band: Mapped[str | None] = mapped_column(String(8))
    contributor_key_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    __table_args__ = (UniqueConstraint("workshop_id", "workshop_seq"),)

    symbol_image: Mapped[SymbolImage | None] = relationship(lazy="selectin")
    type_rows: Mapped[list[PlaceFunctionType]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=PlaceFunctionType.function_type
    )

    @property
    def function_types(self) -> list[str]:
        from ..vocab import FUNCTION_TYPES

        present = {row.function_type for row in self.type_rows}
        return [key for key in FUNCTION_TYPES if key in present]

    @function_types.setter
    def function_types(self, keys: list[str]) -> None:
        self.type_rows = [PlaceFunctionType(function_type=key) for key in dict.fromkeys(keys)]

    @property
    def lon(self) -> float:
        return self.geom.x

    @property
    def lat(self) -> float:
        return self.geom.y

    def __repr__(self) -> str:
        return f"<Place {self.id} {self.name!r}>"


def new_image_key() -> str:
    """An unguessable key for the URL of an uploaded symbol."""
    return secrets.token_hex(16)


class User(Base):
    """An account of a professional: beheerder, opbouwwerker or onderzoeker."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    #: Codes of the gemeenten this person works in (a beheerder works everywhere).
    gemeenten: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiToken(Base):
    """A personal API token; only its SHA-256 hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ModerationEntry(Base):
    """One change of a place: who, when, what, before -> after.

    ``place_id`` is no foreign key: the line saying that a place was withdrawn or deleted
    outlives the place (its content is emptied then).
    """

    __tablename__ = "moderation_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(Integer, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The account's email address, or "bijdrager" for the place's own contributor.
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RequestKey(Base):
    """An ``Idempotency-Key`` a client sent with a new place, kept for a day: a retry with
    the same key and body gets the first answer instead of a second place."""

    __tablename__ = "request_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    body_sha256: Mapped[str] = mapped_column(String(64))
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class Workshop(Base):
    """An evening session in which residents add places to one wijk, joined by a short code."""

    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    wijk_code: Mapped[str] = mapped_column(String(16), index=True)
    gemeente_code: Mapped[str] = mapped_column(String(6), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    #: After this moment no contributions are taken (optional).
    closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Contributions wait for approval before they are public (the default).
    moderated: Mapped[bool] = mapped_column(Boolean, default=True)
    question: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Closed by its facilitator: no new contributions, the places stay.
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: How many places reached the workshop's feed; the next one gets this number plus one.
    feed_count: Mapped[int] = mapped_column(Integer, default=0)
    #: Residents who joined may write findings and actions too (moderated like places).
    residents_write: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owner: Mapped[User | None] = relationship(lazy="selectin")

    def __repr__(self) -> str:
        return f"<Workshop {self.code} {self.title!r}>"


class Endorsement(Base):
    """ "Ook voor mij": another resident says a place matters to them too, perhaps with their
    own quote and types. One per resident (a random key kept by their browser) and place."""

    __tablename__ = "endorsements"
    __table_args__ = (UniqueConstraint("place_id", "resident_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the resident's key; the key itself is never stored.
    resident_hash: Mapped[str] = mapped_column(String(64))
    #: SHA-256 of the token that withdraws this endorsement.
    owner_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    quote: Mapped[str] = mapped_column(String(280), default="")
    function_types: Mapped[list] = mapped_column(JSON, default=list)
    #: As on :class:`Place`: home buurt, age band and key hash of the endorser (all optional).
    home_buurt: Mapped[str | None] = mapped_column(String(16))
    age_band: Mapped[str | None] = mapped_column(String(8))
    contributor_key_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

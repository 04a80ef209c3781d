"""The tables of "van praten naar doen": findings (bevindingen), actions (acties) and the
progress updates of actions.

A finding keeps its evidence places by id only (no foreign key): a place that is withdrawn
or deleted leaves the finding standing, and readers show it as "plek ingetrokken".
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Geometry
from .models import SymbolImage, utcnow

__all__ = ["Action", "ActionFinding", "ActionUpdate", "Finding", "FindingPlace"]


class Written:
    """Who wrote a finding or action (an account, or a resident in a workshop), and when."""

    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class FindingPlace(Base):
    """One evidence place of a finding, by id: the place may be gone since."""

    __tablename__ = "finding_places"

    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True
    )
    place_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Finding(Written, Base):
    """What a group concluded about a wijk, with its evidence."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_code: Mapped[str] = mapped_column(String(6), index=True)
    wijk_code: Mapped[str] = mapped_column(String(16), index=True)
    text: Mapped[str] = mapped_column(Text)
    function_type: Mapped[str | None] = mapped_column(String(20))
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    #: Codes of the buurten the finding is about.
    buurten: Mapped[list] = mapped_column(JSON, default=list)
    #: A witte vlek the group chose: its point and the analysis settings that produced it.
    gap_geom = mapped_column(Geometry("POINT"), nullable=True)
    gap_function_type: Mapped[str | None] = mapped_column(String(20))
    gap_distance: Mapped[float | None] = mapped_column(Float)
    #: Moderation, as for places: published, pending or hidden.
    status: Mapped[str] = mapped_column(String(10), default="published", index=True)

    place_rows: Mapped[list[FindingPlace]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=FindingPlace.position
    )

    @property
    def place_ids(self) -> list[int]:
        return [row.place_id for row in self.place_rows]

    @place_ids.setter
    def place_ids(self, ids: list[int]) -> None:
        self.place_rows = [
            FindingPlace(place_id=pid, position=i) for i, pid in enumerate(dict.fromkeys(ids))
        ]

    def __repr__(self) -> str:
        return f"<Finding {self.id} {self.wijk_code}>"


class ActionFinding(Base):
    """An action is about one or more findings."""

    __tablename__ = "action_findings"

    action_id: Mapped[int] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True
    )
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ActionUpdate(Base):
    """One line in an action's log of progress: a date, a text, perhaps a photo and a status
    change."""

    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    happened_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    image_id: Mapped[int | None] = mapped_column(
        ForeignKey("symbol_images.id", ondelete="SET NULL")
    )
    status_from: Mapped[str | None] = mapped_column(String(10))
    status_to: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    image: Mapped[SymbolImage | None] = relationship(lazy="selectin")


class Action(Written, Base):
    """What someone will do about one or more findings, and how far it got."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_code: Mapped[str] = mapped_column(String(6), index=True)
    wijk_code: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: Who does it, in free text: a resident's chosen name, a group, an organisation.
    who: Mapped[str] = mapped_column(String(200), default="")
    geom = mapped_column(Geometry("POINT"), nullable=True)
    starts: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date)
    #: Progress: idee, gepland, bezig, gedaan or gestopt.
    status: Mapped[str] = mapped_column(String(10), default="idee", index=True)
    stop_reason: Mapped[str] = mapped_column(Text, default="")
    #: SHA-256 of the private link's token (the token itself is never stored).
    owner_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: Moderation, as for places: published, pending or hidden.
    moderation: Mapped[str] = mapped_column(String(10), default="published", index=True)

    finding_rows: Mapped[list[ActionFinding]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=ActionFinding.finding_id
    )
    updates: Mapped[list[ActionUpdate]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by=(ActionUpdate.happened_on.desc(), ActionUpdate.id.desc()),
    )

    @property
    def finding_ids(self) -> list[int]:
        return [row.finding_id for row in self.finding_rows]

    @finding_ids.setter
    def finding_ids(self, ids: list[int]) -> None:
        self.finding_rows = [ActionFinding(finding_id=fid) for fid in dict.fromkeys(ids)]

    def __repr__(self) -> str:
        return f"<Action {self.id} {self.title!r}>"

"""The one visibility rule: who may see a place that is not (yet) published.

A published place is public. A pending or hidden place reaches only the professionals of its
gemeente (and a beheerder) and its own contributor, who holds its owner token. Every reader
(place lists, the single place, the map pages, the analysis, symbol images, exports) asks
this module, never the status column directly.

Flask-free: a :class:`Viewer` is built by the web layer from the login or token of a request.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from .. import storage
from ..errors import NotFoundError
from ..storage.models import Place

__all__ = [
    "MODERATOR_ROLES",
    "PROFESSIONAL_ROLES",
    "PUBLIC",
    "STATUSES",
    "Viewer",
    "can_see",
    "can_see_record",
    "iter_visible_places",
    "may_count_pending",
    "shows_details",
    "visible_markers",
    "visible_place",
    "visible_places",
    "visible_symbol",
]

#: Roles of accounts: every one of them is a professional.
PROFESSIONAL_ROLES = ("beheerder", "opbouwwerker", "onderzoeker")
#: Roles that may change places (approve, hide, edit, delete).
MODERATOR_ROLES = ("beheerder", "opbouwwerker")
STATUSES = ("published", "pending", "hidden")


@dataclass(frozen=True)
class Viewer:
    """Who asks: the public, a professional with their gemeenten, and/or a place's owner.

    ``owned`` holds the ids of the places whose owner token came with the request,
    ``owned_actions`` those of the actions.
    """

    role: str | None = None
    gemeenten: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    email: str | None = None
    owned: frozenset[int] = field(default_factory=frozenset)
    owned_actions: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_professional(self) -> bool:
        return self.role in PROFESSIONAL_ROLES

    def covers(self, gemeente_code: str | None) -> bool:
        """Whether this professional works in ``gemeente_code`` (a beheerder everywhere)."""
        if self.role == "beheerder":
            return True
        return self.is_professional and gemeente_code in self.gemeenten

    def may_moderate(self, gemeente_code: str | None) -> bool:
        """Whether this person may approve, hide, edit or delete places in the gemeente."""
        return self.role in MODERATOR_ROLES and self.covers(gemeente_code)


#: Someone without login or token.
PUBLIC = Viewer()


def can_see_record(viewer: Viewer, status: str, gemeente_code: str | None, owner: bool) -> bool:
    """The rule for anything moderated (places, findings, actions): published is public;
    pending and hidden only for the gemeente's professionals and the ``owner``."""
    return status == "published" or owner or viewer.covers(gemeente_code)


def can_see(viewer: Viewer, place: Place) -> bool:
    """The rule: published places are public; others only for their gemeente's professionals
    and their own contributor."""
    return can_see_record(viewer, place.status, place.gemeente_code, place.id in viewer.owned)


def shows_details(viewer: Viewer, place: Place) -> bool:
    """Whether the viewer sees the exact point, the name and the time of a place (professionals
    of its gemeente and its owner), rather than the public answer."""
    return place.id in viewer.owned or viewer.covers(place.gemeente_code)


def visible_places(session: Session, viewer: Viewer, **filters: Any) -> list[Place]:
    """The places matching ``filters`` (see :func:`plekken.storage.list_places`) that the
    viewer may see."""
    if not viewer.is_professional and not viewer.owned:
        return storage.list_places(session, statuses=("published",), **filters)
    found = storage.list_places(session, statuses=STATUSES, **filters)
    return [place for place in found if can_see(viewer, place)]


def visible_markers(session: Session, viewer: Viewer, **filters: Any) -> list:
    """The map markers (:func:`plekken.storage.place_markers`) of the places the viewer may
    see, each with whether it is the ``public`` answer (see :func:`shows_details`)."""
    if not viewer.is_professional and not viewer.owned:
        found = storage.place_markers(session, statuses=("published",), **filters)
        return [(record, True) for record in found]
    found = storage.place_markers(session, statuses=STATUSES, **filters)
    return [(r, not shows_details(viewer, r)) for r in found if can_see(viewer, r)]


def iter_visible_places(
    session: Session, viewer: Viewer, batch: int = 1000, **filters: Any
) -> Iterator[list[Place]]:
    """:func:`visible_places` in batches (see :func:`plekken.storage.iter_places`), for
    answers too large to hold at once, such as exports."""
    statuses = filters.pop("statuses", STATUSES)
    if not viewer.is_professional and not viewer.owned:
        statuses = [status for status in statuses if status == "published"]
    for places in storage.iter_places(session, batch, statuses=statuses, **filters):
        yield [place for place in places if can_see(viewer, place)]


def visible_place(session: Session, viewer: Viewer, place_id: int) -> Place:
    """Place ``place_id`` if the viewer may see it; otherwise :class:`NotFoundError` (as if
    it did not exist, so nobody learns that a hidden place is there)."""
    place = storage.get_place(session, place_id, statuses=STATUSES)
    if not can_see(viewer, place):
        raise NotFoundError(place_id)
    return place


def visible_symbol(session: Session, viewer: Viewer, key: str) -> bytes:
    """The PNG of uploaded symbol ``key`` when a place the viewer may see uses it, or the
    update of an action the viewer may see has it as its photo."""
    image, places = storage.symbol_image_with_places(session, key)
    if image is None:
        raise NotFoundError(key)
    if any(can_see(viewer, place) for place in places):
        return image.png
    for action in storage.actions_with_image(session, image.id):
        owner = action.id in viewer.owned_actions
        if can_see_record(viewer, action.moderation, action.gemeente_code, owner):
            return image.png
    raise NotFoundError(key)


def may_count_pending(
    session: Session, viewer: Viewer, wijk: str | None = None, gemeente: str | None = None
) -> bool:
    """Whether the viewer may have pending places counted in an analysis of the wijk or
    gemeente (code or name): the professionals of that gemeente may, the public may not."""
    if viewer.role == "beheerder":
        return True
    if not viewer.is_professional:
        return False
    if wijk:
        area = storage.wijk_outline(session, wijk.strip())
        code = area.gemeente_code if area is not None else None
    else:
        wanted = (gemeente or "").strip()
        found = storage.find_gemeente(session, code=wanted.upper()) or storage.find_gemeente(
            session, name=wanted
        )
        code = found[0] if found else None
    return viewer.covers(code)

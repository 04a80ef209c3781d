"""Endorsements ("ook voor mij") of places: storing, finding and counting them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Endorsement

__all__ = ["add_endorsement", "endorsement_by_token_hash", "endorsement_counts", "has_endorsed"]


def add_endorsement(session: Session, **values) -> Endorsement:
    """Store an endorsement with the given column values; not committed."""
    endorsement = Endorsement(**values)
    session.add(endorsement)
    session.flush()
    return endorsement


def has_endorsed(session: Session, place_id: int, resident_hash: str) -> bool:
    query = select(Endorsement.id).where(
        Endorsement.place_id == place_id, Endorsement.resident_hash == resident_hash
    )
    return session.scalar(query) is not None


def endorsement_by_token_hash(session: Session, token_hash: str) -> Endorsement | None:
    return session.scalar(select(Endorsement).where(Endorsement.owner_token_hash == token_hash))


def endorsement_counts(session: Session, place_ids: Iterable[int]) -> dict[int, int]:
    """Number of endorsements per place id (places without any are left out)."""
    ids = list(place_ids)
    if not ids:
        return {}
    query = (
        select(Endorsement.place_id, func.count())
        .where(Endorsement.place_id.in_(ids))
        .group_by(Endorsement.place_id)
    )
    return dict(session.execute(query).all())

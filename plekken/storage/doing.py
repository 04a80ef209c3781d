"""Findings, actions and action updates: storing and reading them.

Functions take a SQLAlchemy session and plain values, never a request; nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFoundError
from .doing_models import Action, ActionFinding, ActionUpdate, Finding
from .models import Place

__all__ = [
    "action_by_owner_hash",
    "actions_of_findings",
    "actions_with_image",
    "add_row",
    "get_action",
    "get_finding",
    "list_actions",
    "list_findings",
    "places_by_id",
]


def add_row(session: Session, row: Finding | Action | ActionUpdate) -> Any:
    """Add a new finding, action or update and give it its id (not committed)."""
    session.add(row)
    session.flush()
    return row


def get_finding(session: Session, finding_id: int) -> Finding:
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFoundError(finding_id)
    return finding


def get_action(session: Session, action_id: int) -> Action:
    action = session.get(Action, action_id)
    if action is None:
        raise NotFoundError(action_id)
    return action


def action_by_owner_hash(session: Session, digest: str) -> Action | None:
    """The action whose private link's token has this hash, or ``None``."""
    return session.scalar(select(Action).where(Action.owner_token_hash == digest))


def _scoped(query, model, gemeente: str | None, wijk: str | None, ids: Sequence[int] | None):
    if gemeente:
        query = query.where(model.gemeente_code == gemeente)
    if wijk:
        query = query.where(model.wijk_code == wijk)
    if ids is not None:
        query = query.where(model.id.in_(list(ids)))
    return query.order_by(model.created_at.desc(), model.id.desc())


def list_findings(
    session: Session,
    *,
    gemeente: str | None = None,
    wijk: str | None = None,
    statuses: Sequence[str] = ("published",),
    ids: Sequence[int] | None = None,
) -> list[Finding]:
    """Findings in a gemeente and/or wijk with one of ``statuses``, newest first."""
    query = select(Finding).where(Finding.status.in_(list(statuses)))
    return list(session.scalars(_scoped(query, Finding, gemeente, wijk, ids)))


def list_actions(
    session: Session,
    *,
    gemeente: str | None = None,
    wijk: str | None = None,
    moderation: Sequence[str] = ("published",),
    statuses: Sequence[str] | None = None,
) -> list[Action]:
    """Actions in a gemeente and/or wijk, newest first; ``moderation`` and progress
    ``statuses`` (all when ``None``) narrow them."""
    query = select(Action).where(Action.moderation.in_(list(moderation)))
    if statuses is not None:
        query = query.where(Action.status.in_(list(statuses)))
    return list(session.scalars(_scoped(query, Action, gemeente, wijk, None)))


def actions_of_findings(session: Session, finding_ids: Sequence[int]) -> dict[int, list[Action]]:
    """Finding id -> the actions about it (any moderation status), oldest first."""
    found: dict[int, list[Action]] = {}
    if not finding_ids:
        return found
    rows = session.execute(
        select(ActionFinding.finding_id, Action)
        .join(Action, Action.id == ActionFinding.action_id)
        .where(ActionFinding.finding_id.in_(list(finding_ids)))
        .order_by(Action.id)
    )
    for finding_id, action in rows:
        found.setdefault(finding_id, []).append(action)
    return found


def actions_with_image(session: Session, image_id: int) -> list[Action]:
    """The actions with an update whose photo is image ``image_id``."""
    query = select(Action).join(ActionUpdate).where(ActionUpdate.image_id == image_id)
    return list(session.scalars(query.distinct()))


def places_by_id(session: Session, ids: Sequence[int]) -> dict[int, Place]:
    """The stored places among ``ids`` (any status), by id."""
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Place).where(Place.id.in_(list(ids))))}

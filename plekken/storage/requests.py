"""Idempotency keys: which place a client's ``Idempotency-Key`` created, and from what body.

Functions take a SQLAlchemy session and plain values, never a request.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import RequestKey, utcnow

__all__ = ["find_request_key", "remember_request_key", "forget_request_keys_before"]


def find_request_key(session: Session, key: str, since: datetime) -> RequestKey | None:
    """The key ``key`` if it was used at ``since`` or later, else ``None``."""
    return session.scalar(
        select(RequestKey).where(RequestKey.key == key, RequestKey.created_at >= since)
    )


def remember_request_key(session: Session, key: str, body_sha256: str, place_id: int) -> None:
    """Record that ``key`` created place ``place_id`` (in the caller's transaction)."""
    session.add(
        RequestKey(key=key, body_sha256=body_sha256, place_id=place_id, created_at=utcnow())
    )
    session.flush()


def forget_request_keys_before(session: Session, moment: datetime) -> None:
    """Drop keys older than ``moment``; the same key may then be used again."""
    session.execute(delete(RequestKey).where(RequestKey.created_at < moment))

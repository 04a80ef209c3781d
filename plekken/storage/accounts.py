"""Accounts of professionals and their personal API tokens (stored as hashes)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import ApiToken, User, utcnow

__all__ = ["add_api_token", "get_user", "user_by_email", "user_for_token_hash"]


def user_by_email(session: Session, email: str) -> User | None:
    """The account with this (lower-case) email address."""
    return session.scalar(select(User).where(User.email == email))


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def add_api_token(session: Session, user: User, token_hash: str) -> ApiToken:
    """Store the hash of a new personal token of ``user``; not committed."""
    token = ApiToken(user_id=user.id, token_hash=token_hash)
    session.add(token)
    session.flush()
    return token


def user_for_token_hash(session: Session, token_hash: str) -> User | None:
    """The account whose personal token has this hash."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))
    if token is None:
        return None
    token.last_used_at = utcnow()
    return session.get(User, token.user_id)

"""Accounts of professionals: passwords, roles, gemeenten, personal API tokens and login.

Residents never need an account. Passwords are kept as argon2 hashes, tokens as SHA-256
hashes: the database never holds a secret that works when read.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from .. import storage
from ..errors import ValidationError
from ..i18n import gettext
from ..storage.models import User, utcnow
from .visibility import PROFESSIONAL_ROLES, Viewer

__all__ = [
    "LoginRefused",
    "MIN_PASSWORD",
    "authenticate",
    "create_token",
    "create_user",
    "hash_token",
    "new_token",
    "user_for_token",
    "viewer_of",
]

MIN_PASSWORD = 12
#: Failed logins in a row after which an account is slowed down.
FREE_ATTEMPTS = 5
MAX_WAIT = timedelta(minutes=15)
_HASHER = PasswordHasher()
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_GEMEENTE = re.compile(r"GM\d{4}")


class LoginRefused(Exception):
    """A login that did not succeed; ``wait`` is set when the account is slowed down."""

    def __init__(self, wait: timedelta | None = None) -> None:
        super().__init__("login refused")
        self.wait = wait


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh random token and its hash."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _check_user(email: str, password: str, role: str, gemeenten: list[str], lang: str) -> None:
    errors = {}
    if not _EMAIL.fullmatch(email):
        errors["email"] = gettext("Dit is geen e-mailadres.", lang)
    if len(password) < MIN_PASSWORD:
        errors["password"] = gettext(
            "Een wachtwoord heeft minstens {n} tekens.", lang, n=MIN_PASSWORD
        )
    if role not in PROFESSIONAL_ROLES:
        errors["role"] = gettext(
            "Kies uit: {allowed}.", lang, allowed=", ".join(PROFESSIONAL_ROLES)
        )
    wrong = [code for code in gemeenten if not _GEMEENTE.fullmatch(code)]
    if wrong:
        errors["gemeente"] = gettext(
            "Een gemeentecode ziet eruit als GM0268; niet: {codes}.", lang, codes=", ".join(wrong)
        )
    elif role != "beheerder" and not gemeenten:
        errors["gemeente"] = gettext("Geef minstens één gemeente op (--gemeente GM0268).", lang)
    if errors:
        raise ValidationError(errors)


def create_user(
    session: Session,
    email: str,
    password: str,
    role: str,
    gemeenten: Iterable[str] = (),
    lang: str = "nl",
) -> User:
    """Add an account (or replace the password, role and gemeenten of an existing one)."""
    email = email.strip().lower()
    codes = [code.strip().upper() for code in gemeenten if code.strip()]
    _check_user(email, password, role, codes, lang)
    user = storage.user_by_email(session, email) or User(email=email)
    user.password_hash = _HASHER.hash(password)
    user.role = role
    user.gemeenten = sorted(set(codes))
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    session.commit()
    return user


def authenticate(session: Session, email: str, password: str, now: datetime | None = None) -> User:
    """The active account with this email and password, or :class:`LoginRefused`.

    After :data:`FREE_ATTEMPTS` failures in a row the account waits a minute, doubling with
    every further failure up to a quarter of an hour; even the right password is refused
    while it waits.
    """
    now = now or utcnow()
    user = storage.user_by_email(session, (email or "").strip().lower())
    if user is None or not user.active:
        _HASHER.hash(password or "-")  # take as long as a real check
        raise LoginRefused()
    locked = _aware(user.locked_until)
    if locked and locked > now:
        raise LoginRefused(wait=locked - now)
    try:
        _HASHER.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= FREE_ATTEMPTS:
            wait = min(timedelta(minutes=2 ** (user.failed_logins - FREE_ATTEMPTS)), MAX_WAIT)
            user.locked_until = now + wait
        session.commit()
        raise LoginRefused(wait=_wait(user, now)) from None
    user.failed_logins = 0
    user.locked_until = None
    session.commit()
    return user


def _aware(value: datetime | None) -> datetime | None:
    from datetime import UTC

    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _wait(user: User, now: datetime) -> timedelta | None:
    locked = _aware(user.locked_until)
    return locked - now if locked and locked > now else None


def create_token(session: Session, email: str, lang: str = "nl") -> str:
    """A new personal API token for the account ``email``; only its hash is stored."""
    user = storage.user_by_email(session, email.strip().lower())
    if user is None:
        raise ValidationError({"email": gettext("Er is geen account met dit e-mailadres.", lang)})
    token, digest = new_token()
    storage.add_api_token(session, user, digest)
    session.commit()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The active account a personal API token belongs to."""
    user = storage.user_for_token_hash(session, hash_token(token))
    return user if user is not None and user.active else None


def viewer_of(
    user: User | None, owned: Iterable[int] = (), owned_actions: Iterable[int] = ()
) -> Viewer:
    """The :class:`Viewer` of an account (``None``: the public) holding owner tokens ``owned``
    (places) and ``owned_actions``."""
    owned, owned_actions = frozenset(owned), frozenset(owned_actions)
    if user is None or not user.active:
        return Viewer(owned=owned, owned_actions=owned_actions)
    return Viewer(
        role=user.role,
        gemeenten=frozenset(user.gemeenten or ()),
        user_id=user.id,
        email=user.email,
        owned=owned,
        owned_actions=owned_actions,
    )

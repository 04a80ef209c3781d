"""Who makes the current request: a logged-in professional (Flask-Login session), a personal
API token, and/or the owner token of a place (``Authorization: Bearer <token>``).

The pages and the API turn that into a :class:`plekken.services.visibility.Viewer` here, the
only place that reads logins and tokens from the request.
"""

from __future__ import annotations

from flask import Flask, abort, g, request
from flask_login import LoginManager, UserMixin, current_user

from . import storage
from .db import get_session
from .services.accounts import hash_token, user_for_token, viewer_of
from .services.visibility import PUBLIC, Viewer

__all__ = ["LoginUser", "bearer_token", "current_viewer", "init_app", "require_login"]


class LoginUser(UserMixin):
    """What Flask-Login keeps of an account for one request."""

    def __init__(self, user, via_token: bool = False) -> None:
        self.id = user.id
        self.email = user.email
        self.role = user.role
        self.gemeenten = list(user.gemeenten or [])
        self.record = user
        self.via_token = via_token


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer`` header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _load_user(user_id: str):
    if not user_id.isdigit():
        return None
    user = storage.get_user(get_session(), int(user_id))
    return LoginUser(user) if user is not None and user.active else None


def _load_from_request(_request):
    token = bearer_token()
    if token is None:
        return None
    user = user_for_token(get_session(), token)
    return LoginUser(user, via_token=True) if user is not None else None


def owned_place_ids() -> frozenset[int]:
    """The place whose owner token came as the bearer token of this request."""
    token = bearer_token()
    if token is None:
        return frozenset()
    place = storage.place_by_owner_hash(get_session(), hash_token(token))
    return frozenset() if place is None else frozenset({place.id})


def owned_action_ids() -> frozenset[int]:
    """The action whose owner token came as the bearer token of this request."""
    token = bearer_token()
    if token is None:
        return frozenset()
    action = storage.action_by_owner_hash(get_session(), hash_token(token))
    return frozenset() if action is None else frozenset({action.id})


def current_viewer() -> Viewer:
    """The :class:`Viewer` of this request (computed once)."""
    if "viewer" not in g:
        user = current_user.record if current_user.is_authenticated else None
        owned = owned_place_ids() if user is None else frozenset()
        actions = owned_action_ids() if user is None and not owned else frozenset()
        known = user is not None or owned or actions
        g.viewer = viewer_of(user, owned, actions) if known else PUBLIC
    return g.viewer


def require_login(roles: tuple[str, ...] | None = None) -> Viewer:
    """The viewer of a professional (in one of ``roles``); 401 anonymous, 403 other roles."""
    viewer = current_viewer()
    if not viewer.is_professional:
        abort(401)
    if roles is not None and viewer.role not in roles:
        abort(403)
    return viewer


def init_app(app: Flask) -> None:
    manager = LoginManager(app)
    manager.login_view = "web.login"
    manager.login_message = None
    manager.user_loader(_load_user)
    manager.request_loader(_load_from_request)
    app.jinja_env.globals["current_viewer"] = current_viewer

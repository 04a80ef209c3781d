"""Protection of every answer: the secret key, CSRF tokens, same-origin writes, rate limits
and security headers (a Content-Security-Policy with a nonce instead of inline scripts).

Uses Flask-WTF's CSRFProtect and Flask-Limiter; the headers are a small after-request hook.
"""

from __future__ import annotations

import math
import os
import re
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect, generate_csrf
from markupsafe import Markup

from .errorpages import error_response
from .services.workshops import normalise_code

__all__ = [
    "DEVELOPMENT_SECRETS",
    "csrf",
    "csp_nonce",
    "init_app",
    "with_nonce",
]

#: Secret keys published in code or documentation: the app refuses to run with them.
DEVELOPMENT_SECRETS = frozenset({"dev-only-change-me", "dev", "change-me", "secret"})
SECRET_FILE = "secret_key"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

csrf = CSRFProtect()
#: Endpoints that add places (and findings and actions, which residents may write in a
#: workshop), limited per client address by ``PLEKKEN_RATE_LIMITS``.
PLACE_ENDPOINTS = (
    "api.create_place", "web.add_place_wijk", "web.add_place_gemeente",
    "api.create_finding", "api.create_action",
)  # fmt: skip
LOGIN_ENDPOINTS = ("web.login",)


# ---------------------------------------------------------------- secret key


def ensure_secret_key(app: Flask) -> None:
    """Use the configured secret, or one generated once into the instance folder.

    Refuses the published development value, so a copied example never signs sessions.
    """
    key = app.config.get("SECRET_KEY")
    if key in DEVELOPMENT_SECRETS:
        raise RuntimeError(
            "PLEKKEN_SECRET_KEY is the published development value. Remove the setting (a "
            "random key is then kept in the instance folder) or set a long random value."
        )
    if key:
        return
    path = Path(app.instance_path) / SECRET_FILE
    if not path.exists():
        _write_once(path, secrets.token_hex(32))
    app.config["SECRET_KEY"] = path.read_text(encoding="utf-8").strip()


def _write_once(path: Path, text: str) -> None:
    """Write ``path`` whole, unless another process got there first (the server's worker
    processes start at the same time: they must all sign with the same key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)
    try:
        os.link(draft, path)  # atomic, and refuses when the key exists already
    except FileExistsError:
        pass
    finally:
        draft.unlink()


class _Sessions(SecureCookieSessionInterface):
    """Session cookies are Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


# ---------------------------------------------------------------- same origin and CSRF


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _check_origin() -> None:
    """Refuse a write whose Origin (or Referer) names another site."""
    if request.method not in WRITE_METHODS:
        return
    sender = request.headers.get("Origin")
    if sender is None or sender == "null":
        referer = request.headers.get("Referer")
        sender = _origin_of(referer) if referer else sender
    if sender is None:
        return
    allowed = {request.host_url.rstrip("/"), *current_app.config.get("TRUSTED_ORIGINS", [])}
    if sender.rstrip("/") not in allowed:
        abort(403, description="cross-origin")


def _check_api_csrf() -> None:
    """The API needs no CSRF token from anonymous or bearer requests; a request that relies
    on a logged-in session cookie must send the token (``X-CSRFToken``)."""
    if request.method not in WRITE_METHODS or request.blueprint != "api":
        return
    if not current_user.is_authenticated or current_user.via_token:
        return
    csrf.protect()


# ---------------------------------------------------------------- rate limits


def _limits() -> str:
    value = (current_app.config.get("RATE_LIMITS") or "").strip()
    return "" if value.lower() == "off" else value


def _workshop_code() -> str:
    """The join code a request to add a place names (JSON or form field ``workshop``)."""
    data = request.get_json(silent=True) if request.is_json else request.form
    code = data.get("workshop") if isinstance(data, dict) else None
    return normalise_code(code) if isinstance(code, str) else ""


def _room_key() -> str:
    return f"{get_remote_address()}/{_workshop_code()}"


def _limit_views(app: Flask) -> None:
    """One limiter per app (its counts stay with it); wraps the views that write."""
    limiter = Limiter(get_remote_address, app=app, default_limits=[])
    off = lambda: not _limits()  # noqa: E731
    # One count per address for adding places, through the API or a form; a workshop's
    # places count per address and join code instead, with a limit sized for a room of
    # residents who share the community centre's address.
    adding = limiter.shared_limit(
        _limits, scope="add-place", methods=["POST"],
        exempt_when=lambda: off() or bool(_workshop_code()),
    )  # fmt: skip
    room = limiter.shared_limit(
        lambda: current_app.config["WORKSHOP_RATE_LIMITS"], scope="workshop-place",
        key_func=_room_key, methods=["POST"], exempt_when=lambda: off() or not _workshop_code(),
    )  # fmt: skip
    for endpoint in PLACE_ENDPOINTS:
        app.view_functions[endpoint] = room(adding(app.view_functions[endpoint]))
    # Five failed logins in a row slow an address down (its account waits as well).
    failed = limiter.limit(
        lambda: current_app.config["LOGIN_RATE_LIMIT"],
        methods=["POST"],
        deduct_when=lambda response: response.status_code != 302,
        exempt_when=off,
    )
    for endpoint in LOGIN_ENDPOINTS:
        app.view_functions[endpoint] = failed(app.view_functions[endpoint])


def _too_many(exc: RateLimitExceeded):
    """The error page (or JSON) of a 429, with the seconds until the limit resets."""
    limits = [limiter.current_limit for limiter in current_app.extensions.get("limiter", ())]
    resets = [limit.reset_at for limit in limits if limit is not None]
    if resets:
        exc.retry_after = max(1, math.ceil(max(resets) - time.time()))
    return error_response(exc)


# ---------------------------------------------------------------- headers


def csp_nonce() -> str:
    """The nonce of this answer's inline scripts."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


_SCRIPT_TAG = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)")


def with_nonce(html: str) -> Markup:
    """Give every inline ``<script>`` of generated HTML (folium's map) this answer's nonce."""
    return Markup(_SCRIPT_TAG.sub(f'<script nonce="{csp_nonce()}"', str(html)))


def _tile_hosts() -> list[str]:
    hosts = []
    for layer in current_app.config.get("TILE_LAYERS") or []:
        origin = _origin_of(layer.get("url", "").replace("{s}", "*"))
        if origin:
            hosts.append(origin)
    return sorted(set(hosts))


def _security_headers(response):
    images = " ".join(["'self'", "data:", "blob:", *_tile_hosts()])
    nonce = f" 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else ""
    policy = (
        f"default-src 'self'; script-src 'self'{nonce}; style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    headers = response.headers
    headers.setdefault("Content-Security-Policy", policy)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask, api_blueprint) -> None:
    """Wire the secret key, sessions, CSRF, origin checks, rate limits and headers in.

    Call after the blueprints are registered.
    """
    ensure_secret_key(app)
    app.session_interface = _Sessions()
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)
    csrf.exempt(api_blueprint)  # the API checks CSRF itself: see _check_api_csrf
    _limit_views(app)
    app.before_request(_check_origin)
    app.before_request(_check_api_csrf)
    app.register_error_handler(RateLimitExceeded, _too_many)
    app.after_request(_security_headers)
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.filters["with_nonce"] = with_nonce

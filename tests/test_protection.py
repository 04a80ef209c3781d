"""Abuse resistance: secret key, CSRF, cross-origin writes, rate limits, security headers,
login and its slowing down, accounts from the command line."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from plekken import create_app
from plekken.db import get_session
from plekken.services.accounts import LoginRefused, authenticate
from plekken.storage.models import ApiToken, User, utcnow
from tests.conftest import close_app
from tests.factories import (
    PASSWORD,
    bearer,
    count_places,
    csrf_token,
    login,
    make_user,
    place_data,
)

# ---------------------------------------------------------------- secret key


def test_the_published_development_secret_is_refused(tmp_path):
    with pytest.raises(RuntimeError, match="development value"):
        create_app({"SECRET_KEY": "dev-only-change-me", "DATABASE_URL": "sqlite://"})


def test_without_a_secret_one_is_generated_once_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PLEKKEN_INSTANCE_PATH", str(tmp_path))
    first = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}"})
    second = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}"})
    try:
        key = (tmp_path / "secret_key").read_text()
        assert len(key) == 64 and first.secret_key == second.secret_key == key
        assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    finally:
        close_app(first)
        close_app(second)


# ---------------------------------------------------------------- CSRF and origin


def test_a_form_without_csrf_token_is_refused_and_stores_nothing(toy_client, app):
    form = {**{k: str(v) for k, v in place_data().items() if k != "function_types"},
            "function_types": "verbindend"}  # fmt: skip
    assert toy_client.post("/wijk/WK099901/plekken", data=form).status_code == 400
    form["csrf_token"] = "vals"
    assert toy_client.post("/wijk/WK099901/plekken", data=form).status_code == 400
    assert count_places(app) == 0
    form["csrf_token"] = csrf_token(toy_client)
    assert toy_client.post("/wijk/WK099901/plekken", data=form).status_code == 302
    assert count_places(app) == 1


@pytest.mark.parametrize("header", ["Origin", "Referer"])
def test_a_cross_site_write_is_refused(toy_client, app, header):
    evil = {header: "http://evil.example" + ("/page" if header == "Referer" else "")}
    response = toy_client.post("/api/v1/places", json=place_data(), headers=evil)
    assert response.status_code == 403
    form = {"name": "x", "csrf_token": csrf_token(toy_client)}
    assert toy_client.post("/wijk/WK099901/plekken", data=form, headers=evil).status_code == 403
    assert count_places(app) == 0
    same = {header: "http://localhost" + ("/wijk/WK099901" if header == "Referer" else "")}
    assert toy_client.post("/api/v1/places", json=place_data(), headers=same).status_code == 201


def test_the_api_wants_a_csrf_token_only_from_a_logged_in_session(toy_client, app):
    token = make_user(app, "opbouw@example.org", "opbouwwerker", ["GM0999"])
    # Anonymous JSON and bearer requests need none.
    place = toy_client.post("/api/v1/places", json=place_data()).get_json()
    approve = {"action": "approve"}
    url = f"/api/v1/places/{place['id']}/moderation"
    assert toy_client.post(url, json=approve, headers=bearer(token)).status_code == 200
    # A request relying on the session cookie must carry the token.
    session_client = app.test_client()
    assert login(session_client, "opbouw@example.org").status_code == 302
    assert session_client.post(url, json={"action": "hide"}).status_code == 400
    page = session_client.get("/beheer").get_data(as_text=True)
    meta = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    hidden = session_client.post(url, json={"action": "hide"}, headers={"X-CSRFToken": meta})
    assert hidden.status_code == 200 and hidden.get_json()["properties"]["status"] == "hidden"


# ---------------------------------------------------------------- rate limits


def test_adding_places_is_limited_per_address(toy_client, app):
    app.config["RATE_LIMITS"] = "3/hour"
    statuses = [toy_client.post("/api/v1/places", json=place_data()).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    refused = toy_client.post("/api/v1/places", json=place_data())
    assert refused.status_code == 429
    assert "Wacht even" in refused.get_json()["errors"]["request"]
    page = toy_client.post("/wijk/WK099901/plekken", data={"csrf_token": csrf_token(toy_client)})
    assert page.status_code == 429
    assert "Wacht even" in page.get_data(as_text=True)
    assert count_places(app) == 3


def test_rate_limits_can_be_switched_off(toy_client, app):
    app.config["RATE_LIMITS"] = "off"
    statuses = {toy_client.post("/api/v1/places", json=place_data()).status_code for _ in range(5)}
    assert statuses == {201}


# ---------------------------------------------------------------- headers


def test_security_headers_and_a_csp_without_inline_scripts(toy_client):
    response = toy_client.get("/wijk/WK099901")
    csp = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "unsafe-inline" not in script_src and "'nonce-" in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    nonce = re.search(r"'nonce-([^']+)'", script_src).group(1)
    html = response.get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or f'nonce="{nonce}"' in tag or "application/json" in tag, tag
    assert toy_client.get("/api/v1/places").headers["X-Frame-Options"] == "DENY"


def test_session_cookie_is_httponly_lax_and_secure_over_https(toy_client, app):
    make_user(app, "b@example.org", "beheerder")
    cookie = login(toy_client, "b@example.org").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = app.test_client()
    token = csrf_token(secure, "/inloggen")
    response = secure.post(
        "/inloggen",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/"},
        data={"email": "b@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Secure" in response.headers["Set-Cookie"]


# ---------------------------------------------------------------- login


def test_login_logout_and_wrong_password(toy_client, app):
    make_user(app, "opbouw@example.org", "opbouwwerker", ["GM0999"])
    assert toy_client.get("/beheer").status_code == 302  # to the login page
    wrong = login(toy_client, "opbouw@example.org", "verkeerd wachtwoord")
    assert wrong.status_code == 401
    assert "horen niet bij elkaar" in wrong.get_data(as_text=True)
    assert login(toy_client, "Opbouw@Example.org").headers["Location"] == "/beheer"
    assert toy_client.get("/beheer").status_code == 200
    token = csrf_token(toy_client, "/beheer")
    assert toy_client.post("/uitloggen", data={"csrf_token": token}).status_code == 302
    assert toy_client.get("/beheer").status_code == 302


def test_five_failed_logins_slow_the_account_down(app, session):
    make_user(app, "o@example.org", "opbouwwerker", ["GM0999"])
    now = utcnow()
    for _ in range(5):
        with pytest.raises(LoginRefused):
            authenticate(session, "o@example.org", "fout", now=now)
    with pytest.raises(LoginRefused) as refused:
        authenticate(session, "o@example.org", PASSWORD, now=now)
    assert refused.value.wait > timedelta(0)
    assert authenticate(session, "o@example.org", PASSWORD, now=now + timedelta(minutes=2))


def test_five_failed_logins_slow_the_address_down(toy_client, app):
    make_user(app, "o@example.org", "opbouwwerker", ["GM0999"])
    statuses = [login(toy_client, "o@example.org", "fout").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


# ---------------------------------------------------------------- command line


def test_create_user_and_token_from_the_command_line(app, runner):
    result = runner.invoke(
        args=["create-user", "Beheer@Example.org", "--role", "opbouwwerker",
              "--gemeente", "GM0268", "--gemeente", "gm0363"],
        input=PASSWORD + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    token = runner.invoke(args=["create-token", "beheer@example.org"]).output.strip()
    with app.app_context():
        session = get_session()
        user = session.scalar(select(User))
        assert user.gemeenten == ["GM0268", "GM0363"] and PASSWORD not in user.password_hash
        stored = session.scalar(select(ApiToken.token_hash))
        assert stored != token and len(stored) == 64
    client = app.test_client()
    assert client.get("/beheer").status_code == 302
    short = runner.invoke(
        args=["create-user", "x@example.org", "--role", "beheerder"], input="kort\n"
    )
    assert short.exit_code != 0 and "password" in short.output


def test_worker_processes_starting_together_share_one_secret(tmp_path):
    """gunicorn starts its workers at once; each must read the same generated key."""
    import os
    import subprocess
    import sys

    script = (
        "from plekken import create_app\n"
        "app = create_app({'DATABASE_URL': 'sqlite://'})\n"
        "print(app.config['SECRET_KEY'])\n"
    )
    env = {**os.environ, "PLEKKEN_INSTANCE_PATH": str(tmp_path)}
    env.pop("PLEKKEN_SECRET_KEY", None)
    workers = [
        subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    keys = {worker.communicate(timeout=120)[0].strip() for worker in workers}
    assert len(keys) == 1 and len(keys.pop()) == 64

"""Who may change what: every route that changes data × every kind of person → status.

The routes come from the app's URL map, so a new route that changes data fails
:func:`test_every_write_route_has_an_entry` until it gets a row here. Where a request is
refused, nothing may have changed.
"""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import func, select

from plekken.db import get_session
from plekken.storage.doing_models import Action, ActionUpdate, Finding
from plekken.storage.models import ModerationEntry, Place
from tests.factories import bearer, csrf_token, login, make_user, place_data

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
WHO = (
    "anonymous", "owner", "other_owner", "onderzoeker", "opbouwwerker_elsewhere",
    "opbouwwerker", "beheerder",
)  # fmt: skip
PROFESSIONALS = {
    "onderzoeker": ("onderzoeker", ["GM0999"]),
    "opbouwwerker_elsewhere": ("opbouwwerker", ["GM0363"]),
    "opbouwwerker": ("opbouwwerker", ["GM0999"]),
    "beheerder": ("beheerder", []),
}
MODERATE = (401, 403, 403, 403, 403, 200, 200)
PAGES_OF_MODERATORS = (401, 401, 401, 403, 403, 302, 302)
OWNER_PAGE = (404, 200, 404, 404, 404, 404, 404)
EDIT = {"name": "Bankje bij de vijver", "quote": "Nieuw citaat", "story": "Verhaal",
        "function_types": ["verbindend"], "lon": "5.81", "lat": "51.81"}  # fmt: skip
OWNER_EDIT = {k: v for k, v in EDIT.items() if k not in ("lon", "lat")}
ADD = {**{k: str(v) for k, v in place_data().items() if k not in ("lon", "lat", "function_types")},
       "function_types": ["verbindend"], "consent": "on", "buurt_pick": "BU09990101"}  # fmt: skip

#: Routes of findings and actions: there "owner" holds the private link of the action.
DOING = ("/api/v1/findings", "/api/v1/actions", "/actie/", "/wijk/<code>/doen/")
ONLY_MODERATORS = (401, 403, 403, 403, 403)
FINDING = {"wijk": "WK099901", "text": "Geen plek voor jongeren"}
ACTION = {"wijk": "WK099901", "title": "Jongerenavond"}

#: (method, rule) -> (request body as (kind, data), expected status per person in WHO order)
MATRIX = {
    ("POST", "/api/v1/places"): (("json", place_data()), (201,) * 7),
    ("PATCH", "/api/v1/places/<int:place_id>"): (
        ("json", {"quote": "Nieuw citaat"}), (401, 200, 403, 403, 403, 200, 200)),
    ("DELETE", "/api/v1/places/<int:place_id>"): (
        ("none", None), (401, 204, 403, 403, 403, 204, 204)),
    ("POST", "/api/v1/places/<int:place_id>/moderation"): (
        ("json", {"action": "approve"}), MODERATE),
    ("POST", "/beheer/goedkeuren"): (("form", {"place_id": "{id}"}), PAGES_OF_MODERATORS),
    ("POST", "/beheer/plekken/<int:place_id>"): (("form", EDIT), PAGES_OF_MODERATORS),
    ("POST", "/beheer/plekken/<int:place_id>/actie"): (
        ("form", {"action": "hide"}), PAGES_OF_MODERATORS),
    ("POST", "/wijk/<code>/plekken"): (("form", ADD), (302,) * 7),
    ("POST", "/gemeente/<code>/plekken"): (("form", ADD), (302,) * 7),
    ("POST", "/inloggen"): (("form", {"email": "x@example.org", "password": "fout"}), (401,) * 7),
    ("POST", "/uitloggen"): (("form", {}), (302,) * 7),
    ("POST", "/plek/<token>"): (("form", OWNER_EDIT), (404, 302, 404, 404, 404, 404, 404)),
    ("POST", "/plek/<token>/intrekken"): (("form", {}), OWNER_PAGE),
    ("POST", "/api/v1/places/<int:place_id>/endorsements"): (
        ("json", {"resident": "r" * 20}), (404,) * 7),  # only public places
    ("DELETE", "/api/v1/places/<int:place_id>/endorsements"): (
        ("none", None), (401, 404, 404, 404, 404, 404, 404)),
    ("POST", "/workshops"): (("form", {"title": "Avond", "wijk": "WK099901", "moderated": "1"}),
                             (401, 401, 401, 403, 422, 302, 302)),
    ("POST", "/w/<code>/beheer"): (("form", {"action": "close"}), PAGES_OF_MODERATORS),
    ("POST", "/api/v1/findings"): (("json", FINDING), ONLY_MODERATORS + (201, 201)),
    ("PATCH", "/api/v1/findings/<int:finding_id>"): (
        ("json", {"text": "Nieuw"}), ONLY_MODERATORS + (200, 200)),
    ("DELETE", "/api/v1/findings/<int:finding_id>"): (("none", None), ONLY_MODERATORS + (204, 204)),
    ("POST", "/api/v1/actions"): (("json", ACTION), ONLY_MODERATORS + (201, 201)),
    ("PATCH", "/api/v1/actions/<int:action_id>"): (
        ("json", {"status": "bezig"}), (401, 200, 403, 403, 403, 200, 200)),
    ("DELETE", "/api/v1/actions/<int:action_id>"): (("none", None), ONLY_MODERATORS + (204, 204)),
    ("POST", "/api/v1/actions/<int:action_id>/updates"): (
        ("json", {"text": "Verder"}), (401, 201, 403, 403, 403, 201, 201)),
    ("POST", "/wijk/<code>/bevindingen"): (
        ("form", {"text": "Geen plek", "function_type": "verbindend"}), PAGES_OF_MODERATORS),
    ("POST", "/wijk/<code>/acties"): (("form", {"title": "Jongerenavond"}), PAGES_OF_MODERATORS),
    ("POST", "/wijk/<code>/doen/moderatie"): (
        ("form", {"kind": "finding", "id": "{finding_id}", "action": "hide"}),
        PAGES_OF_MODERATORS),
    ("POST", "/actie/<token>"): (("form", {"status": "bezig", "text": "Verder"}),
                                 (404, 302, 404, 404, 404, 404, 404)),
}  # fmt: skip


def write_routes(app) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods & WRITE_METHODS
    }


def test_every_write_route_has_an_entry(app):
    assert write_routes(app) == set(MATRIX)


def _add(client) -> tuple[int, str]:
    feature = client.post("/api/v1/places", json=place_data()).get_json()
    return feature["id"], feature["owner_token"]


def _snapshot(app) -> tuple:
    with app.app_context():
        session = get_session()
        places = session.scalars(select(Place).order_by(Place.id)).all()
        rows = [(p.id, p.name, p.quote, p.status, p.lon, p.lat) for p in places]
        log = session.scalar(select(func.count()).select_from(ModerationEntry))
        findings = [(f.id, f.text, f.status) for f in session.scalars(select(Finding))]
        actions = [(a.id, a.title, a.status, a.moderation) for a in session.scalars(select(Action))]
        updates = session.scalar(select(func.count()).select_from(ActionUpdate))
        return rows, log, findings, actions, updates


def _area_or_workshop(app, rule: str) -> str:
    if rule.startswith("/gemeente"):
        return "GM0999"
    if rule.startswith("/w/"):
        from tests.test_workshops import make_workshop

        return make_workshop(app, email="leider@example.org")
    return "WK099901"


def _doing(client, professional: str) -> tuple[dict, str, str]:
    """A finding and two actions by an opbouwwerker: ids and the actions' private tokens."""
    finding = client.post("/api/v1/findings", json=FINDING, headers=bearer(professional))
    ids = {"finding_id": finding.get_json()["id"]}
    mine, other = (
        client.post("/api/v1/actions", json=ACTION, headers=bearer(professional)).get_json()
        for _ in range(2)
    )
    ids["action_id"] = mine["id"]
    return ids, mine["owner_token"], other["owner_token"]


def _request(client, method, rule, body, place_id, token, headers):
    ids = place_id if isinstance(place_id, dict) else {"place_id": place_id}
    for name, value in ids.items():
        rule = rule.replace(f"<int:{name}>", str(value))
    place_id = ids.get("place_id")
    url = rule.replace("<code>", _area_or_workshop(client.application, rule)).replace(
        "<token>", token
    )
    kind, data = body
    if kind == "json":
        return client.open(url, method=method, json=data, headers=headers)
    if kind == "form":
        form = {k: (v.format(id=place_id, **ids) if isinstance(v, str) else v)
                for k, v in data.items()}  # fmt: skip
        form["csrf_token"] = csrf_token(client, "/inloggen")
        return client.open(url, method=method, data=form, headers=headers)
    return client.open(url, method=method, headers=headers)


@pytest.mark.parametrize(("method", "rule"), sorted(MATRIX), ids=lambda v: str(v))
def test_authorisation(toy_client, app, method, rule):
    app.config["LOGIN_RATE_LIMIT"] = "1000/minute"  # this test logs in and fails on purpose
    tokens = {
        who: make_user(app, f"{who}@example.org", *role) for who, role in PROFESSIONALS.items()
    }
    body, expected = MATRIX[(method, rule)]
    for who, status in zip(WHO, expected, strict=True):
        client = app.test_client()
        place_id, owner_token = _add(client)
        _, other_token = _add(client)
        if rule.startswith(DOING):
            place_id, owner_token, other_token = _doing(client, tokens["opbouwwerker"])
        headers, token = {}, secrets.token_urlsafe(16)
        if who == "owner":
            headers, token = bearer(owner_token), owner_token
        elif who == "other_owner":
            headers = bearer(other_token)
        elif who in PROFESSIONALS:
            if rule.startswith("/api/"):
                headers = bearer(tokens[who])
            else:
                assert login(client, f"{who}@example.org").status_code == 302
        before = _snapshot(app)
        response = _request(client, method, rule, body, place_id, token, headers)
        assert response.status_code == status, (who, response.get_data(as_text=True)[:300])
        if status >= 400:
            assert _snapshot(app) == before, who

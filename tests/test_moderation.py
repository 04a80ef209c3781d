"""The one visibility rule on every public route, moderation and its log, and residents in
control of their own places: owner tokens, changes, withdrawal that leaves nothing."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from plekken.db import get_session
from plekken.privacy import coarsen
from plekken.storage.models import ModerationEntry, Place, PlaceFunctionType, SymbolImage
from tests.factories import bearer, csrf_token, login, make_user, place_data


def png_bytes(colour="purple") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(buffer, "PNG")
    return buffer.getvalue()


def add_with_image(client, name: str, colour="purple") -> dict:
    data = {k: str(v) for k, v in place_data(name=name).items() if k != "function_types"}
    data["function_types"] = "verbindend"
    data["symbol_image"] = (io.BytesIO(png_bytes(colour)), "tekening.png")
    response = client.post("/api/v1/places", data=data, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def set_status(app, place_id: int, status: str) -> None:
    with app.app_context():
        session = get_session()
        session.get(Place, place_id).status = status
        session.commit()


def counts(app) -> dict:
    with app.app_context():
        session = get_session()
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Place, PlaceFunctionType, SymbolImage, ModerationEntry)
        }


@pytest.fixture
def world(toy_client, app):
    """A published, a pending and a hidden place with uploaded symbols, and professionals."""
    app.config["RATE_LIMITS"] = "off"
    shown = add_with_image(toy_client, "Zichtbaar", "green")
    set_status(app, shown["id"], "published")
    pending = add_with_image(toy_client, "Wachtend", "red")
    hidden = add_with_image(toy_client, "Verborgen", "blue")
    set_status(app, hidden["id"], "hidden")
    tokens = {
        "opbouwwerker": make_user(app, "o@example.org", "opbouwwerker", ["GM0999"]),
        "elsewhere": make_user(app, "e@example.org", "opbouwwerker", ["GM0363"]),
        "onderzoeker": make_user(app, "r@example.org", "onderzoeker", ["GM0999"]),
    }
    return {"shown": shown, "pending": pending, "hidden": hidden, "tokens": tokens}


PUBLIC_READS = [
    "/api/v1/places", "/api/v1/places?wijk=WK099901", "/api/v1/places?gemeente=GM0999",
    "/wijk/WK099901", "/gemeente/GM0999", "/", "/api/v1/places/markers?wijk=WK099901",
    "/api/v1/analysis/summary?wijk=WK099901&format=csv",
    "/api/v1/analysis/summary?gemeente=GM0999&long=1&format=csv",
]  # fmt: skip


def test_pending_and_hidden_places_reach_no_public_route(world, toy_client):
    for url in PUBLIC_READS:
        body = toy_client.get(url).get_data(as_text=True)
        # The map pages load their markers from /api/v1/places/markers.
        assert "Zichtbaar" in body or "analysis" in url or "/api/" not in url, url
        assert "Wachtend" not in body and "Verborgen" not in body, url
    for key in ("pending", "hidden"):
        place = world[key]
        assert toy_client.get(f"/api/v1/places/{place['id']}").status_code == 404
        assert toy_client.get(place["properties"]["symbol_url"]).status_code == 404
    assert toy_client.get(world["shown"]["properties"]["symbol_url"]).status_code == 200
    summary = toy_client.get("/api/v1/analysis/summary?wijk=WK099901").get_json()
    assert summary["metadata"]["places_counted"] == 1
    assert toy_client.get("/?x").get_data(as_text=True).count("1 plek") == 1


def test_symbol_urls_are_not_guessable(world):
    urls = {world[k]["properties"]["symbol_url"] for k in ("shown", "pending", "hidden")}
    for url in urls:
        key = url.rsplit("/", 1)[1].removesuffix(".png")
        assert len(key) == 32 and not key.isdigit()


def test_the_right_professional_and_the_owner_see_them(world, toy_client):
    pending, hidden = world["pending"], world["hidden"]
    own = bearer(pending["owner_token"])
    mine = toy_client.get(f"/api/v1/places/{pending['id']}", headers=own)
    assert mine.status_code == 200 and mine.get_json()["properties"]["status"] == "pending"
    assert toy_client.get(pending["properties"]["symbol_url"], headers=own).status_code == 200
    # Another place's token shows nothing more.
    other = bearer(hidden["owner_token"])
    assert toy_client.get(f"/api/v1/places/{pending['id']}", headers=other).status_code == 404
    for who, seen in (("opbouwwerker", True), ("onderzoeker", True), ("elsewhere", False)):
        headers = bearer(world["tokens"][who])
        names = {
            f["properties"]["name"]
            for f in toy_client.get("/api/v1/places", headers=headers).get_json()["features"]
        }
        assert ({"Wachtend", "Verborgen"} <= names) is seen, who
        status = toy_client.get(f"/api/v1/places/{hidden['id']}", headers=headers).status_code
        assert status == (200 if seen else 404), who
        markers = toy_client.get("/api/v1/places/markers", headers=headers).get_json()
        statuses = {
            f["properties"]["name"]: f["properties"].get("status") for f in markers["features"]
        }
        assert (statuses.get("Wachtend") == "pending") is seen, who


def test_the_contributor_gets_a_private_link_and_only_its_hash_is_stored(toy_client, app):
    feature = toy_client.post("/api/v1/places", json=place_data()).get_json()
    token = feature["owner_token"]
    assert feature["properties"]["status"] == "pending"
    assert feature["manage_url"].endswith(f"/plek/{token}")
    assert feature["manage_qr"].startswith("data:image/svg+xml")
    with app.app_context():
        stored = get_session().scalar(select(Place.owner_token_hash))
    assert stored and token not in stored
    page = toy_client.get(f"/plek/{token}")
    assert "Wacht op goedkeuring" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert page.headers["Cache-Control"] == "private, no-store"
    assert toy_client.get("/plek/iets-anders").status_code == 404


def test_the_contributor_changes_and_withdraws_through_the_api(world, toy_client, app):
    place = world["pending"]
    url, own = f"/api/v1/places/{place['id']}", bearer(place["owner_token"])
    changed = toy_client.patch(url, json={"quote": "Een ander citaat"}, headers=own)
    assert changed.status_code == 200
    assert changed.get_json()["properties"]["quote"] == "Een ander citaat"
    bad = toy_client.patch(url, json={"name": ""}, headers=own)
    assert bad.status_code == 422 and "name" in bad.get_json()["errors"]
    assert toy_client.delete(url).status_code == 401
    assert toy_client.delete(url, headers=bearer(world["hidden"]["owner_token"])).status_code == 403
    before = counts(app)
    assert toy_client.delete(url, headers=own).status_code == 204
    after = counts(app)
    assert after["places"] == before["places"] - 1
    assert after["symbol_images"] == before["symbol_images"] - 1
    for headers in ({}, own, bearer(world["tokens"]["opbouwwerker"])):
        assert toy_client.get(url, headers=headers).status_code == 404


def test_withdrawal_leaves_nothing_but_the_fact(toy_client, app):
    feature = add_with_image(toy_client, "Mijn geheime plek")
    token = feature["owner_token"]
    form = {"name": "Mijn geheime plek", "quote": "Nieuw citaat", "story": "",
            "function_types": "verbindend", "csrf_token": csrf_token(toy_client)}  # fmt: skip
    assert toy_client.post(f"/plek/{token}", data=form).status_code == 302
    assert counts(app) == {"places": 1, "place_function_types": 1, "symbol_images": 1,
                           "moderation_log": 1}  # fmt: skip
    gone = toy_client.post(f"/plek/{token}/intrekken", data={"csrf_token": form["csrf_token"]})
    assert gone.status_code == 200 and "weggehaald" in gone.get_data(as_text=True)
    assert counts(app) == {"places": 0, "place_function_types": 0, "symbol_images": 0,
                           "moderation_log": 2}  # fmt: skip
    with app.app_context():
        entries = get_session().scalars(select(ModerationEntry)).all()
        text = repr([(e.actor, e.action, e.reason, e.before, e.after) for e in entries])
    assert "geheime" not in text and "citaat" not in text
    assert [e.action for e in entries] == ["edit", "withdraw"]
    assert toy_client.get(f"/plek/{token}").status_code == 404


def test_a_symbol_shared_with_another_place_stays(toy_client, app):
    first = add_with_image(toy_client, "Een", "orange")
    second = add_with_image(toy_client, "Twee", "orange")
    own = bearer(first["owner_token"])
    assert toy_client.delete(f"/api/v1/places/{first['id']}", headers=own).status_code == 204
    assert counts(app)["symbol_images"] == 1
    own = bearer(second["owner_token"])
    assert toy_client.get(second["properties"]["symbol_url"], headers=own).status_code == 200


def test_moderation_api_and_its_log(world, toy_client, app):
    place, token = world["pending"], world["tokens"]["opbouwwerker"]
    url = f"/api/v1/places/{place['id']}"
    moderate = f"{url}/moderation"
    assert toy_client.post(moderate, json={"action": "approve"}).status_code == 401
    elsewhere = bearer(world["tokens"]["elsewhere"])
    assert (
        toy_client.post(moderate, json={"action": "approve"}, headers=elsewhere).status_code == 403
    )
    wrong = toy_client.post(moderate, json={"action": "weg"}, headers=bearer(token))
    assert wrong.status_code == 422 and "action" in wrong.get_json()["errors"]
    fixed = toy_client.patch(url, json={"name": "Wachtend (hersteld)"}, headers=bearer(token))
    assert fixed.status_code == 200
    approved = toy_client.post(moderate, json={"action": "approve", "reason": "Mooi"},
                               headers=bearer(token))  # fmt: skip
    assert approved.get_json()["properties"]["status"] == "published"
    assert toy_client.get(url).status_code == 200
    with app.app_context():
        entries = get_session().scalars(select(ModerationEntry).order_by(ModerationEntry.id))
        log = [(e.actor, e.action, e.before, e.after, e.reason) for e in entries]
    assert log == [
        ("o@example.org", "edit", {"name": "Wachtend"}, {"name": "Wachtend (hersteld)"}, ""),
        ("o@example.org", "approve", {"status": "pending"}, {"status": "published"}, "Mooi"),
    ]


def test_moderation_page_approves_hides_and_fixes(world, toy_client, app):
    make_user(app, "m@example.org", "opbouwwerker", ["GM0999"])
    assert login(toy_client, "m@example.org").status_code == 302
    page = toy_client.get("/beheer").get_data(as_text=True)
    assert "Wachtend" in page and "Verborgen" not in page and "Zichtbaar" not in page
    token = csrf_token(toy_client, "/beheer")
    pending = world["pending"]["id"]
    edit = toy_client.post(f"/beheer/plekken/{pending}", data={
        "csrf_token": token, "name": "Wachtend!", "quote": "", "story": "",
        "function_types": ["functioneel"], "lon": "5.83", "lat": "51.81"})  # fmt: skip
    assert edit.status_code == 302
    history = toy_client.get(f"/beheer/plekken/{pending}").get_data(as_text=True)
    assert "Wachtend → Wachtend!" in history.replace("name: ", "")
    with app.app_context():
        moved = get_session().get(Place, pending)
        assert moved.buurt_code == "BU09990102" and moved.function_types == ["functioneel"]
    bulk = toy_client.post("/beheer/goedkeuren", data={"csrf_token": token, "place_id": [pending]})
    assert bulk.status_code == 302
    anonymous = app.test_client()
    assert anonymous.get(f"/api/v1/places/{pending}").status_code == 200
    hide = {"csrf_token": token, "action": "hide"}
    assert toy_client.post(f"/beheer/plekken/{pending}/actie", data=hide).status_code == 302
    assert anonymous.get(f"/api/v1/places/{pending}").status_code == 404


def test_public_answers_hide_names_times_and_private_points(toy_client, app, published):
    named = toy_client.post("/api/v1/places", json=place_data(contributor_name="Fatima")).get_json()
    shown = toy_client.post(
        "/api/v1/places",
        json=place_data(
            contributor_name="Henk", show_name=True, private=True, lon=5.8123, lat=51.8123
        ),
    ).get_json()
    public = {f["id"]: f for f in toy_client.get("/api/v1/places").get_json()["features"]}
    assert public[named["id"]]["properties"]["contributor_name"] is None
    assert public[shown["id"]]["properties"]["contributor_name"] == "Henk"
    assert len(public[named["id"]]["properties"]["created_at"]) == 10  # the day only
    lon, lat = public[shown["id"]]["geometry"]["coordinates"]
    assert (lon, lat) == pytest.approx(coarsen(5.8123, 51.8123), abs=1e-7)
    markers = toy_client.get("/api/v1/places/markers").get_json()["features"]
    marker = next(f for f in markers if f["id"] == shown["id"])
    assert marker["geometry"]["coordinates"] == pytest.approx([lon, lat], abs=1e-6)
    assert (lon, lat) != pytest.approx((5.8123, 51.8123), abs=1e-5)
    # The contributor and the opbouwwerker see the exact point and the name.
    full = toy_client.get(f"/api/v1/places/{named['id']}",
                          headers=bearer(named["owner_token"])).get_json()  # fmt: skip
    assert full["properties"]["contributor_name"] == "Fatima"
    with app.app_context():
        assert get_session().get(Place, shown["id"]).lon == pytest.approx(5.8123)


def test_only_professionals_post_as_opbouwwerker_or_student(toy_client, app):
    refused = toy_client.post("/api/v1/places", json=place_data(contributor_role="opbouwwerker"))
    assert refused.status_code == 422 and "contributor_role" in refused.get_json()["errors"]
    assert 'value="opbouwwerker"' not in toy_client.get("/wijk/WK099901").get_data(as_text=True)
    token = make_user(app, "o@example.org", "opbouwwerker", ["GM0999"])
    allowed = toy_client.post("/api/v1/places", json=place_data(contributor_role="student"),
                              headers=bearer(token))  # fmt: skip
    assert allowed.status_code == 201

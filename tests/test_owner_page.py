"""The contributor's own page through its private link: moving the pin and changing the
symbol, with the same checks as adding a place; a refused change leaves the place as it was."""

from __future__ import annotations

import io

from plekken.db import get_session
from plekken.storage.models import Place
from tests.factories import csrf_token, login, make_user
from tests.test_moderation import add_with_image, png_bytes


def owner_form(client, **overrides) -> dict:
    form = {"name": "Mijn plek", "quote": "Hier ben ik graag.", "story": "",
            "function_types": "verbindend", "csrf_token": csrf_token(client)}  # fmt: skip
    form.update(overrides)
    return form


def stored(app, place_id: int) -> dict:
    with app.app_context():
        place = get_session().get(Place, place_id)
        return {"lon": round(place.lon, 6), "lat": round(place.lat, 6),
                "buurt": place.buurt_code, "icon": place.symbol_icon,
                "image": place.symbol_image_id, "quote": place.quote}  # fmt: skip


def test_the_page_shows_a_map_to_move_the_pin_and_the_symbols(toy_client):
    token = add_with_image(toy_client, "Mijn plek")["owner_token"]
    html = toy_client.get(f"/plek/{token}").get_data(as_text=True)
    assert 'class="pinmap pinmap--editable"' in html and 'id="edit-lat"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'id="edit-symbol_icon-own"' in html  # keep the own drawing: the default
    assert 'id="edit-symbol_icon-bankje"' in html and 'id="edit-symbol_image"' in html


def test_the_contributor_moves_the_pin_to_another_buurt(toy_client, app):
    feature = add_with_image(toy_client, "Mijn plek")
    before = stored(app, feature["id"])
    assert before["buurt"] == "BU09990101"
    form = owner_form(toy_client, lon="5.83", lat="51.81")
    assert toy_client.post(f"/plek/{feature['owner_token']}", data=form).status_code == 302
    after = stored(app, feature["id"])
    assert (after["lon"], after["lat"], after["buurt"]) == (5.83, 51.81, "BU09990102")
    assert after["image"] == before["image"]  # the drawing is kept


def test_a_pin_outside_the_wijk_is_refused_and_nothing_changes(toy_client, app):
    feature = add_with_image(toy_client, "Mijn plek")
    before = stored(app, feature["id"])
    form = owner_form(toy_client, lon="6.5", lat="52.5", quote="Anders")
    response = toy_client.post(f"/plek/{feature['owner_token']}", data=form)
    assert response.status_code == 422
    assert "buiten de wijken" in response.get_data(as_text=True)
    assert stored(app, feature["id"]) == before


def test_the_contributor_picks_an_icon_or_uploads_a_new_drawing(toy_client, app):
    feature = add_with_image(toy_client, "Mijn plek")
    token = feature["owner_token"]
    form = owner_form(toy_client, symbol_icon="bankje")
    assert toy_client.post(f"/plek/{token}", data=form).status_code == 302
    assert stored(app, feature["id"])["icon"] == "bankje"
    assert stored(app, feature["id"])["image"] is None

    form = owner_form(toy_client, symbol_image=(io.BytesIO(png_bytes("orange")), "nieuw.png"))
    response = toy_client.post(f"/plek/{token}", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    now = stored(app, feature["id"])
    assert now["image"] is not None and now["icon"] is None


def test_a_broken_upload_names_the_field_and_keeps_the_text(toy_client, app):
    feature = add_with_image(toy_client, "Mijn plek")
    before = stored(app, feature["id"])
    form = owner_form(toy_client, quote="Nieuw citaat",
                      symbol_image=(io.BytesIO(b"geen plaatje"), "kapot.png"))  # fmt: skip
    response = toy_client.post(
        f"/plek/{feature['owner_token']}", data=form, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="error-symbol_image"' in html and "Nieuw citaat" in html
    assert stored(app, feature["id"]) == before


def test_the_moderation_list_shows_a_small_map_per_place(toy_client, app):
    make_user(app, "o@example.org", "opbouwwerker", ["GM0999"])
    add_with_image(toy_client, "Wachtend")
    login(toy_client, "o@example.org")
    html = toy_client.get("/beheer").get_data(as_text=True)
    assert html.count('class="pinmap"') == 1 and "js/pinmap.js" in html

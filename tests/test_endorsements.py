"""Endorsements, "ook voor mij": one per resident and public place, withdrawable with their
token, counted on the place."""

from __future__ import annotations

from sqlalchemy import func, select

from plekken.db import get_session
from plekken.storage.models import Endorsement
from tests.factories import bearer, place_data

ME = "bewoner-sleutel-0001"


def endorse(client, place_id, resident=ME, **extra):
    return client.post(
        f"/api/v1/places/{place_id}/endorsements", json={"resident": resident, **extra}
    )


def endorsement_count(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Endorsement))


def test_one_endorsement_per_resident_and_place(toy_client, published):
    place_id = toy_client.post("/api/v1/places", json=place_data()).get_json()["id"]
    first = endorse(toy_client, place_id, quote="Hier ook!", function_types=["functioneel"])
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["endorsements"] == 1
    again = endorse(toy_client, place_id)
    assert again.status_code == 422
    assert "resident" in again.get_json()["errors"]
    other = endorse(toy_client, place_id, resident="een-andere-bewoner-02")
    assert other.get_json()["endorsements"] == 2
    shown = toy_client.get(f"/api/v1/places/{place_id}").get_json()
    assert shown["properties"]["endorsements"] == 2
    # Withdrawn with its own token; then the resident may say it again.
    token = first.get_json()["owner_token"]
    assert toy_client.delete(f"/api/v1/places/{place_id}/endorsements",
                             headers=bearer(token)).status_code == 204  # fmt: skip
    assert endorsement_count(published) == 1
    assert toy_client.delete(f"/api/v1/places/{place_id}/endorsements",
                             headers=bearer(token)).status_code == 404  # fmt: skip
    assert endorse(toy_client, place_id).status_code == 201


def test_only_public_places_and_checked_fields(toy_client, app):
    pending = toy_client.post("/api/v1/places", json=place_data()).get_json()["id"]
    assert endorse(toy_client, pending).status_code == 404
    app.config["NEW_PLACE_STATUS"] = "published"
    place_id = toy_client.post("/api/v1/places", json=place_data()).get_json()["id"]
    wrong = endorse(toy_client, place_id, resident="kort", quote="x" * 300,
                    function_types=["onbekend"])  # fmt: skip
    assert set(wrong.get_json()["errors"]) == {"resident", "quote", "function_types"}
    assert endorse(toy_client, 999999).status_code == 404
    assert endorsement_count(app) == 0


def test_endorsements_go_with_their_place(toy_client, published):
    feature = toy_client.post("/api/v1/places", json=place_data()).get_json()
    endorse(toy_client, feature["id"])
    withdrawn = toy_client.delete(f"/api/v1/places/{feature['id']}",
                                  headers=bearer(feature["owner_token"]))  # fmt: skip
    assert withdrawn.status_code == 204
    assert endorsement_count(published) == 0

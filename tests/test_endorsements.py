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


def test_the_summary_weighs_places_by_endorsements(toy_client, published):
    """Two places in buurt West: a verbindend one that three residents share (pinned plus two
    endorsements) and a functioneel one of one resident. By places the types split 1:1; by
    endorsements 3:1. Each endorsement changes the answer at once (no stale cache)."""
    url = "/api/v1/analysis/summary?wijk=WK099901"
    shared = toy_client.post("/api/v1/places", json=place_data(lon=5.805, lat=51.81)).get_json()
    single = place_data(lon=5.815, lat=51.81, function_types=["functioneel"])
    toy_client.post("/api/v1/places", json=single)

    def west(weight):
        answer = toy_client.get(f"{url}&weight={weight}").get_json()
        return next(r for r in answer["records"] if r["code"] == "BU09990101")

    assert west("endorsements")["n_verbindend"] == 1
    for resident in ("bewoner-sleutel-0002", "bewoner-sleutel-0003"):
        assert endorse(toy_client, shared["id"], resident=resident).status_code == 201
    by_places, by_people = west("places"), west("endorsements")
    assert (by_places["n_verbindend"], by_places["n_functioneel"]) == (1, 1)
    assert by_places["share_verbindend"] == 0.5 and by_places["n_weighted"] == 2
    assert (by_people["n_verbindend"], by_people["n_functioneel"]) == (3, 1)
    assert by_people["share_verbindend"] == 0.75 and by_people["n_weighted"] == 4
    assert by_people["n_places"] == 2
    wrong = toy_client.get(f"{url}&weight=likes")
    assert wrong.status_code == 422 and list(wrong.get_json()["errors"]) == ["weight"]

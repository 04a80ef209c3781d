"""Retries without duplicates: ``Idempotency-Key`` on POST /api/v1/places and the form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from plekken.db import get_session
from plekken.storage.models import RequestKey, utcnow
from tests.factories import csrf_token, place_data

API = "/api/v1/places"

# Counted through the public list, so new places are published at once.
pytestmark = pytest.mark.usefixtures("published")


def count(client) -> int:
    return len(client.get(API).get_json()["features"])


def test_the_same_key_and_body_return_the_first_answer(toy_client):
    headers = {"Idempotency-Key": "a1b2c3"}
    first = toy_client.post(API, json=place_data(), headers=headers)
    again = toy_client.post(API, json=place_data(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert count(toy_client) == 1


def test_the_same_key_with_another_body_is_a_422(toy_client):
    headers = {"Idempotency-Key": "a1b2c3"}
    toy_client.post(API, json=place_data(), headers=headers)
    response = toy_client.post(API, json=place_data(name="Iets anders"), headers=headers)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["errors"]
    assert count(toy_client) == 1


def test_a_refused_post_does_not_use_up_the_key(toy_client):
    headers = {"Idempotency-Key": "k-1"}
    assert toy_client.post(API, json=place_data(name=""), headers=headers).status_code == 422
    assert toy_client.post(API, json=place_data(), headers=headers).status_code == 201


def test_other_keys_and_no_key_store_again(toy_client):
    toy_client.post(API, json=place_data(), headers={"Idempotency-Key": "k-1"})
    toy_client.post(API, json=place_data(), headers={"Idempotency-Key": "k-2"})
    toy_client.post(API, json=place_data())
    assert count(toy_client) == 3


def test_a_key_is_remembered_for_a_day(app, toy_client):
    headers = {"Idempotency-Key": "k-1"}
    toy_client.post(API, json=place_data(), headers=headers)
    with app.app_context():
        session = get_session()
        session.execute(update(RequestKey).values(created_at=utcnow() - timedelta(days=2)))
        session.commit()
    assert toy_client.post(API, json=place_data(), headers=headers).status_code == 201
    assert count(toy_client) == 2


def test_bad_keys_are_named(toy_client):
    for key in ("", "x" * 101, "sleutel\u00e9"):
        response = toy_client.post(API, json=place_data(), headers={"Idempotency-Key": key})
        assert response.status_code == 422
        assert "Idempotency-Key" in response.get_json()["errors"]
    assert count(toy_client) == 0


def test_the_form_sent_twice_stores_one_place(toy_client):
    page = toy_client.get("/wijk/WK099901").get_data(as_text=True)
    assert 'name="idempotency_key"' in page
    form = {
        "name": "Mijn bankje",
        "lon": "5.81",
        "lat": "51.81",
        "function_types": "verbindend",
        "consent": "1",
        "idempotency_key": "form-1",
        "csrf_token": csrf_token(toy_client),
    }
    first = toy_client.post("/wijk/WK099901/plekken", data=form)
    again = toy_client.post("/wijk/WK099901/plekken", data=form)
    assert first.status_code == again.status_code == 302
    # The same private link to manage the place, both times.
    assert first.headers["Location"] == again.headers["Location"]
    assert count(toy_client) == 1

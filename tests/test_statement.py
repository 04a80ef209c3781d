"""The accessibility statement and the question "which wijk holds this point?"."""

from __future__ import annotations

import pytest


def test_statement_in_both_languages(client):
    dutch = client.get("/toegankelijkheid").get_data(as_text=True)
    assert "Toegankelijkheidsverklaring" in dutch
    assert "WCAG" in dutch and "EN 301 549" in dutch
    assert "voldoet gedeeltelijk" in dutch
    assert "Probleem melden" in dutch
    english = client.get("/toegankelijkheid?lang=en").get_data(as_text=True)
    assert "Accessibility statement" in english and "partly meets" in english


def test_statement_names_the_contact(app, client):
    app.config["ACCESSIBILITY_CONTACT"] = "toegankelijkheid@example.org"
    page = client.get("/toegankelijkheid").get_data(as_text=True)
    assert 'href="mailto:toegankelijkheid@example.org"' in page


@pytest.mark.parametrize("path", ["/", "/privacy", "/mijn-plekken", "/wijk/WK099901"])
def test_every_footer_links_the_statement(toy_client, path):
    page = toy_client.get(path).get_data(as_text=True)
    assert 'href="/toegankelijkheid"' in page


def test_where_names_wijk_and_buurt(toy_client):
    answer = toy_client.get("/waar?lon=5.805&lat=51.805")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["wijk"] == {"code": "WK099901", "name": "Testwijk", "url": "/wijk/WK099901"}
    assert body["buurt"]["code"].startswith("BU0999")


def test_where_outside_every_area(toy_client):
    assert toy_client.get("/waar?lon=4.0&lat=52.0").get_json() == {"wijk": None, "buurt": None}


@pytest.mark.parametrize(
    "query", ["", "?lon=5.8", "?lon=x&lat=51.8", "?lon=nan&lat=51.8", "?lon=500&lat=51.8"]
)
def test_where_refuses_bad_coordinates(toy_client, query):
    assert toy_client.get("/waar" + query).status_code == 400

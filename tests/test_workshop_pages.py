"""The workshop pages in the room: the facilitator's page (counts, this workshop's queue,
closing), the form that creates a workshop, the resident's flow and the wall map."""

from __future__ import annotations

import re

from plekken.db import get_session
from plekken.services import workshops
from plekken.storage.models import Place
from tests.factories import csrf_token, login, make_user, place_data
from tests.test_workshops import make_workshop, post


def facilitator(app, client):
    make_user(app, "leider@example.org", "opbouwwerker", ["GM0999"])
    assert login(client, "leider@example.org").status_code == 302
    return client


def test_facilitator_sees_counts_and_only_this_workshops_queue(toy_client, app):
    code, other = make_workshop(app), make_workshop(app)
    mine = post(toy_client, code, name="Bankje van ons").get_json()["id"]
    post(toy_client, other, name="Elders")
    toy_client.post("/api/v1/places", json=place_data(name="Zonder workshop"))
    anonymous = app.test_client().get(f"/w/{code}/beheer")
    assert anonymous.status_code == 302 and "/inloggen" in anonymous.headers["Location"]
    client = facilitator(app, app.test_client())
    html = client.get(f"/w/{code}/beheer").get_data(as_text=True)
    assert "Bankje van ons" in html
    assert "Elders" not in html and "Zonder workshop" not in html
    assert "<main" in html
    assert re.search(r'data-type="verbindend">.*?<strong>1</strong>', html, re.S)
    # One tap approves and comes back to this page.
    token = csrf_token(client, "/inloggen")
    form = {"action": "approve", "next": f"/w/{code}/beheer", "csrf_token": token}
    answer = client.post(f"/beheer/plekken/{mine}/actie", data=form)
    assert answer.headers["Location"].endswith(f"/w/{code}/beheer")
    with app.app_context():
        assert get_session().get(Place, mine).status == "published"


def test_next_never_leads_to_another_site(toy_client, app):
    code = make_workshop(app)
    place_id = post(toy_client, code).get_json()["id"]
    client = facilitator(app, app.test_client())
    answer = client.post(f"/beheer/plekken/{place_id}/actie", data={
        "action": "hide", "next": "//evil.example/", "csrf_token": csrf_token(client, "/inloggen"),
    })  # fmt: skip
    assert answer.headers["Location"].endswith("/beheer")


def test_closing_and_reopening_from_the_facilitator_page(toy_client, app):
    code = make_workshop(app)
    client = facilitator(app, app.test_client())
    token = csrf_token(client, "/inloggen")
    client.post(f"/w/{code}/beheer", data={"action": "close", "csrf_token": token})
    assert toy_client.get(f"/w/{code}").status_code == 410
    assert post(toy_client, code).status_code == 422
    assert "Workshop weer openen" in client.get(f"/w/{code}/beheer").get_data(as_text=True)
    client.post(f"/w/{code}/beheer", data={"action": "reopen", "csrf_token": token})
    assert post(toy_client, code).status_code == 201


def test_opbouwwerker_creates_a_workshop_with_the_form(toy_client, app):
    client = facilitator(app, app.test_client())
    page = client.get("/workshops").get_data(as_text=True)
    assert "WK099901" in page and "Welke plek in de wijk" in page
    form = {"title": "De Goffert", "wijk": "WK099901", "held_on": "2026-12-10",
            "closes_at": "2026-12-10T21:00", "question": "Waar kom je graag?", "moderated": "1",
            "csrf_token": csrf_token(client, "/inloggen")}  # fmt: skip
    created = client.post("/workshops", data=form)
    assert created.status_code == 302
    code = created.headers["Location"].rstrip("/").split("/")[-2]
    with app.app_context():
        workshop = workshops.find_workshop(get_session(), code)
        assert (workshop.title, workshop.question, workshop.moderated) == (
            "De Goffert", "Waar kom je graag?", True)  # fmt: skip
        assert workshop.closes_at is not None
    refused = client.post("/workshops", data={**form, "title": ""})
    assert refused.status_code == 422
    assert 'href="#field-title"' in refused.get_data(as_text=True)


def test_flow_and_wall_pages(toy_client, app):
    code = make_workshop(app)
    flow = toy_client.get(f"/w/{code.lower()}/plek").get_data(as_text=True)
    assert flow.count('class="flow-step"') == 7
    assert f'"code": "{code}"' in flow
    wall = toy_client.get(f"/w/{code}/muur").get_data(as_text=True)
    assert "<main" in wall and "<h1>" in wall
    assert f"/w/{code}/qr.svg" in wall and code in wall
    with app.app_context():
        session = get_session()
        workshops.set_closed(session, workshops.find_workshop(session, code), True)
    assert toy_client.get(f"/w/{code}/plek").headers["Location"].endswith(f"/w/{code}")
    assert toy_client.get(f"/w/{code}/muur").status_code == 200  # the wall stays up

"""Findings (bevindingen) through the API, on SQLite and PostGIS: creation with evidence,
validation naming the field, who may write and see, filters, GeoJSON, and a withdrawn
evidence place that leaves the finding standing as "plek ingetrokken"."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from plekken.db import get_session
from plekken.storage.doing_models import Finding
from tests.factories import bearer, make_user, place_data
from tests.test_workshops import make_workshop

FINDINGS = "/api/v1/findings"


@pytest.fixture
def people(toy_client, published, app) -> dict[str, str]:
    """Personal API tokens of an opbouwwerker and an onderzoeker of the toy gemeente, an
    opbouwwerker elsewhere and a beheerder."""
    return {
        "opbouwwerker": make_user(app, "ow@example.org", "opbouwwerker", ["GM0999"]),
        "onderzoeker": make_user(app, "oz@example.org", "onderzoeker", ["GM0999"]),
        "elders": make_user(app, "el@example.org", "opbouwwerker", ["GM0363"]),
        "beheerder": make_user(app, "bh@example.org", "beheerder"),
    }


def add_place(client, **overrides) -> tuple[int, str]:
    feature = client.post("/api/v1/places", json=place_data(**overrides)).get_json()
    return feature["id"], feature["owner_token"]


def finding_body(**overrides) -> dict:
    body = {"wijk": "WK099901", "text": "In Testwijk is geen plek waar jongeren elkaar ontmoeten."}
    body.update(overrides)
    return body


def count(app, model) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model))


def test_a_professional_writes_a_finding_with_its_evidence(toy_client, people):
    place_id, _ = add_place(toy_client, quote="Hier zit altijd iemand.")
    body = finding_body(
        places=[place_id], buurten=["BU09990101"], function_type="verbindend",
        conditions=["sociale_cohesie"],
        gap={"lon": 5.835, "lat": 51.815, "function_type": "verbindend", "distance": 400},
    )  # fmt: skip
    response = toy_client.post(FINDINGS, json=body, headers=bearer(people["opbouwwerker"]))
    assert response.status_code == 201, response.get_json()
    feature = response.get_json()
    assert response.headers["Location"].endswith(f"/findings/{feature['id']}")
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [5.835, 51.815]}
    props = feature["properties"]
    assert props["status"] == "published" and props["gemeente"] == "GM0999"
    assert props["places"] == [{
        "id": place_id, "state": "present", "label": "Bankje bij de vijver",
        "name": "Bankje bij de vijver", "quote": "Hier zit altijd iemand.",
        "function_types": ["verbindend"], "buurt": "BU09990101",
    }]  # fmt: skip
    assert props["gap"] == {"lon": 5.835, "lat": 51.815, "function_type": "verbindend",
                            "distance": 400.0}  # fmt: skip
    assert toy_client.get(f"{FINDINGS}/{feature['id']}").get_json() == feature


def test_a_finding_without_gap_has_no_geometry(toy_client, people):
    toy_client.post(FINDINGS, json=finding_body(), headers=bearer(people["beheerder"]))
    listed = toy_client.get(FINDINGS).get_json()
    assert listed["type"] == "FeatureCollection"
    assert [f["geometry"] for f in listed["features"]] == [None]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"wijk": "WK000000"}, "wijk"),
        ({"places": [999]}, "places"),
        ({"places": "een"}, "places"),
        ({"buurten": ["BU00000000"]}, "buurten"),
        ({"function_type": "gezellig"}, "function_type"),
        ({"conditions": ["geluk"]}, "conditions"),
        ({"gap": {"lon": 5.835, "lat": 51.815, "function_type": "verbindend"}}, "gap.distance"),
        ({"gap": {"lon": 6.5, "lat": 51.815, "function_type": "verbindend", "distance": 400}},
         "gap.lon"),
        ({"gap": "hier"}, "gap"),
        ({"kleur": "rood"}, "kleur"),
        ({"workshop": "ZZZZZZ"}, "workshop"),
    ],
)  # fmt: skip
def test_wrong_fields_are_named_and_nothing_is_stored(toy_client, people, app, overrides, field):
    response = toy_client.post(
        FINDINGS, json=finding_body(**overrides), headers=bearer(people["opbouwwerker"])
    )
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert count(app, Finding) == 0


def test_not_a_json_object_is_refused(toy_client, people):
    response = toy_client.post(FINDINGS, json=[1, 2], headers=bearer(people["opbouwwerker"]))
    assert response.status_code == 422 and "body" in response.get_json()["errors"]


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("onderzoeker", 403), ("elders", 403), ("opbouwwerker", 201),
     ("beheerder", 201)],
)  # fmt: skip
def test_who_may_write_a_finding(toy_client, people, app, who, status):
    headers = bearer(people[who]) if who else {}
    response = toy_client.post(FINDINGS, json=finding_body(), headers=headers)
    assert response.status_code == status
    assert count(app, Finding) == (1 if status == 201 else 0)


def test_residents_write_only_in_a_workshop_that_allows_it(toy_client, people, app):
    closed_door = make_workshop(app)
    refused = toy_client.post(FINDINGS, json=finding_body(workshop=closed_door))
    assert refused.status_code == 422 and "workshop" in refused.get_json()["errors"]
    code = make_workshop(app, residents_write=True)
    created = toy_client.post(FINDINGS, json=finding_body(workshop=code))
    assert created.status_code == 201
    assert created.get_json()["properties"]["status"] == "pending"
    # Pending: not public, but the gemeente's professionals see it and may publish it.
    finding_id = created.get_json()["id"]
    assert toy_client.get(f"{FINDINGS}/{finding_id}").status_code == 404
    assert toy_client.get(FINDINGS).get_json()["features"] == []
    ow = bearer(people["opbouwwerker"])
    assert toy_client.get(f"{FINDINGS}/{finding_id}", headers=ow).status_code == 200
    assert (
        toy_client.get(f"{FINDINGS}/{finding_id}", headers=bearer(people["elders"])).status_code
        == 404
    )
    patched = toy_client.patch(f"{FINDINGS}/{finding_id}", json={"status": "published"}, headers=ow)
    assert patched.status_code == 200
    assert toy_client.get(f"{FINDINGS}/{finding_id}").status_code == 200
    unmoderated = make_workshop(app, moderated=False, residents_write=True)
    direct = toy_client.post(FINDINGS, json=finding_body(workshop=unmoderated)).get_json()
    assert direct["properties"]["status"] == "published"


def test_a_withdrawn_place_leaves_the_finding_standing(toy_client, people, app):
    kept, _ = add_place(toy_client, name="Speeltuin")
    gone, token = add_place(toy_client, name="Bankje")
    body = finding_body(places=[gone, kept])
    created = toy_client.post(FINDINGS, json=body, headers=bearer(people["opbouwwerker"]))
    assert toy_client.delete(f"/api/v1/places/{gone}", headers=bearer(token)).status_code == 204
    places = toy_client.get(f"{FINDINGS}/{created.get_json()['id']}").get_json()["properties"][
        "places"
    ]
    assert places[0] == {"id": gone, "state": "withdrawn", "label": "plek ingetrokken"}
    assert places[1]["name"] == "Speeltuin"
    english = toy_client.get(f"{FINDINGS}/{created.get_json()['id']}",
                             headers={"Accept-Language": "en"}).get_json()  # fmt: skip
    assert english["properties"]["places"][0]["label"] == "place withdrawn"
    # A later change keeps the withdrawn place linked, still shown as withdrawn.
    url = f"{FINDINGS}/{created.get_json()['id']}"
    changed = toy_client.patch(
        url, json={"function_type": "functioneel"}, headers=bearer(people["opbouwwerker"])
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["properties"]["places"][0]["state"] == "withdrawn"
    page = toy_client.get("/wijk/WK099901/doen").get_data(as_text=True)
    assert "plek ingetrokken" in page and "Speeltuin" in page


def test_change_and_delete_by_moderators_only(toy_client, people, app):
    ow = bearer(people["opbouwwerker"])
    finding_id = toy_client.post(FINDINGS, json=finding_body(), headers=ow).get_json()["id"]
    url = f"{FINDINGS}/{finding_id}"
    assert toy_client.patch(url, json={"text": "Anders"}).status_code == 401
    assert toy_client.patch(url, json={"text": "Anders"},
                            headers=bearer(people["onderzoeker"])).status_code == 403  # fmt: skip
    wrong = toy_client.patch(url, json={"text": "", "function_type": "x"}, headers=ow)
    assert wrong.status_code == 422
    assert set(wrong.get_json()["errors"]) == {"text", "function_type"}
    assert toy_client.get(url).get_json()["properties"]["text"].startswith("In Testwijk")
    changed = toy_client.patch(url, json={"function_type": "functioneel"}, headers=ow).get_json()
    assert changed["properties"]["function_type"] == "functioneel"
    assert changed["properties"]["text"].startswith("In Testwijk")
    assert toy_client.delete(url, headers=bearer(people["elders"])).status_code == 403
    assert toy_client.delete(url, headers=ow).status_code == 204
    assert toy_client.get(url).status_code == 404


def test_lists_filter_by_gemeente_wijk_type_condition_and_status(toy_client, people, app):
    ow = bearer(people["opbouwwerker"])
    first = finding_body(function_type="verbindend", conditions=["sociale_inclusie"])
    gap = {"lon": 5.81, "lat": 51.81, "function_type": "functioneel", "distance": 800}
    toy_client.post(FINDINGS, json=first, headers=ow)
    toy_client.post(FINDINGS, json=finding_body(text="Geen winkel", gap=gap), headers=ow)

    def texts(query: str, headers=None) -> list[str]:
        answer = toy_client.get(f"{FINDINGS}?{query}", headers=headers or {})
        assert answer.status_code == 200, answer.get_json()
        return [f["properties"]["text"][:11] for f in answer.get_json()["features"]]

    assert texts("") == ["Geen winkel", "In Testwijk"]  # newest first
    assert texts("function_type=functioneel") == ["Geen winkel"]
    assert texts("condition=sociale_inclusie") == ["In Testwijk"]
    assert texts("gemeente=GM0999&wijk=WK099901") == ["Geen winkel", "In Testwijk"]
    assert texts("gemeente=GM0363") == []
    assert texts("status=pending", ow) == []
    wrong = toy_client.get(f"{FINDINGS}?function_type=x&kleur=rood").get_json()["errors"]
    assert set(wrong) == {"function_type", "kleur"}


def test_a_workshop_lets_residents_write_by_the_cli_or_the_form(toy_client, people, app):
    from plekken.storage.models import Workshop
    from tests.factories import csrf_token, login

    result = app.test_cli_runner().invoke(args=[
        "workshop", "create", "--wijk", "WK099901", "--title", "Doen", "--owner",
        "ow@example.org", "--residents-write",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    login(toy_client, "ow@example.org")
    form = {"title": "Avond", "wijk": "WK099901", "residents_write": "1",
            "csrf_token": csrf_token(toy_client, "/workshops")}  # fmt: skip
    assert toy_client.post("/workshops", data=form).status_code == 302
    with app.app_context():
        flags = get_session().scalars(select(Workshop.residents_write)).all()
    assert flags == [True, True]


def test_an_opbouwwerker_writes_a_finding_and_an_action_on_the_doen_page(toy_client, people, app):
    from tests.factories import csrf_token, login

    place_id, _ = add_place(toy_client, name="Speeltuin", quote="Hier spelen we")
    page = "/wijk/WK099901/doen"
    assert "Bevinding schrijven" not in toy_client.get(page).get_data(as_text=True)
    login(toy_client, "ow@example.org")
    html = toy_client.get(page).get_data(as_text=True)
    assert f'name="places" value="{place_id}"' in html and "Hier spelen we" in html
    token = csrf_token(toy_client, page)
    wrong = toy_client.post("/wijk/WK099901/bevindingen", data={"csrf_token": token, "text": ""})
    assert wrong.status_code == 422
    assert "Wat concludeert de groep?: Vul dit in." in wrong.get_data(as_text=True)
    assert count(app, Finding) == 0
    written = toy_client.post("/wijk/WK099901/bevindingen", data={
        "csrf_token": token, "text": "Te weinig <speelplekken>", "function_type": "verbindend",
        "places": [str(place_id)], "buurten": ["BU09990101"], "conditions": ["sociale_cohesie"],
    })  # fmt: skip
    assert written.status_code == 302, written.get_data(as_text=True)[:500]
    finding = toy_client.get(FINDINGS).get_json()["features"][0]
    assert finding["properties"]["places"][0]["name"] == "Speeltuin"
    assert finding["properties"]["buurten"] == ["BU09990101"]
    action = toy_client.post("/wijk/WK099901/acties", data={
        "csrf_token": token, "findings": str(finding["id"]), "title": "Speelmiddag", "who": "Ali",
    })  # fmt: skip
    assert action.status_code == 302 and "/actie/" in action.headers["Location"]
    handed_on = toy_client.get(action.headers["Location"]).get_data(as_text=True)
    assert "De actie staat erin." in handed_on
    shown = toy_client.get(page).get_data(as_text=True)
    assert "Te weinig &lt;speelplekken&gt;" in shown and "Speelmiddag" in shown


def test_a_moderator_approves_a_residents_finding_on_the_doen_page(toy_client, people, app):
    from tests.factories import csrf_token, login

    code = make_workshop(app, residents_write=True)
    finding_id = toy_client.post(FINDINGS, json=finding_body(workshop=code)).get_json()["id"]
    page = "/wijk/WK099901/doen"
    assert "In Testwijk" not in toy_client.get(page).get_data(as_text=True)
    login(toy_client, "ow@example.org")
    assert "Wacht op goedkeuring" in toy_client.get(page).get_data(as_text=True)
    form = {"csrf_token": csrf_token(toy_client, page), "kind": "finding", "id": str(finding_id)}
    assert toy_client.post(f"{page}/moderatie", data={**form, "action": "x"}).status_code == 404
    assert (
        toy_client.post(f"{page}/moderatie", data={**form, "action": "approve"}).status_code == 302
    )
    assert toy_client.get(f"{FINDINGS}/{finding_id}").status_code == 200


def test_a_closed_workshops_link_leads_to_the_doen_page(toy_client, people, app):
    code = make_workshop(app, residents_write=True)
    toy_client.post(FINDINGS, json=finding_body(), headers=bearer(people["opbouwwerker"]))
    with app.app_context():
        from plekken.services import workshops

        session = get_session()
        workshops.set_closed(session, workshops.find_workshop(session, code), True)
    closed = toy_client.get(f"/w/{code}")
    assert closed.status_code == 410
    assert 'href="/wijk/WK099901/doen"' in closed.get_data(as_text=True)

"""Actions (acties) through the API and the private link, on SQLite and PostGIS: creation,
validation naming the field, owner-token changes and updates (401/403), moderation,
filters and GeoJSON."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from plekken.storage.doing_models import Action, ActionUpdate
from tests import test_findings
from tests.factories import bearer, csrf_token
from tests.test_findings import count, finding_body
from tests.test_workshops import make_workshop

ACTIONS = "/api/v1/actions"
#: The accounts of the toy gemeente and others (a fixture shared with the findings' tests).
people = test_findings.people


def action_body(**overrides) -> dict:
    body = {"wijk": "WK099901", "title": "Jongerenavond in het buurthuis"}
    body.update(overrides)
    return body


def add_finding(client, token, **overrides) -> int:
    answer = client.post("/api/v1/findings", json=finding_body(**overrides), headers=bearer(token))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def add_action(client, token, **overrides) -> dict:
    answer = client.post(ACTIONS, json=action_body(**overrides), headers=bearer(token))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_an_action_about_a_finding_with_a_private_link(toy_client, people):
    finding = add_finding(toy_client, people["opbouwwerker"])
    created = add_action(
        toy_client, people["opbouwwerker"], findings=[finding], who="Buurtteam Oost",
        description="Elke vrijdag", lon=5.83, lat=51.81, starts="2027-01-10", due="2027-06-01",
    )  # fmt: skip
    assert created["geometry"] == {"type": "Point", "coordinates": [5.83, 51.81]}
    props = created["properties"]
    assert props["status"] == "idee" and props["moderation"] == "published"
    assert props["findings"] == [finding] and props["who"] == "Buurtteam Oost"
    assert props["starts"] == "2027-01-10" and props["due"] == "2027-06-01"
    assert created["manage_url"].endswith(f"/actie/{created['owner_token']}")
    fetched = toy_client.get(f"{ACTIONS}/{created['id']}").get_json()
    assert "owner_token" not in fetched and fetched["properties"]["title"] == props["title"]
    linked = toy_client.get(f"/api/v1/findings/{finding}").get_json()["properties"]["actions"]
    assert linked == [created["id"]]
    bare = add_action(toy_client, people["opbouwwerker"])
    assert bare["geometry"] is None


def test_only_the_hash_of_the_token_is_stored(toy_client, people, app):
    from sqlalchemy import select

    from plekken.db import get_session

    created = add_action(toy_client, people["opbouwwerker"])
    with app.app_context():
        stored = get_session().scalar(select(Action))
        assert stored.owner_token_hash and created["owner_token"] not in stored.owner_token_hash


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"wijk": "BU09990101"}, "wijk"),
        ({"findings": [12345]}, "findings"),
        ({"lon": 5.83}, "lat"),
        ({"lon": "oost", "lat": 51.81}, "lon"),
        ({"starts": "10-01-2027"}, "starts"),
        ({"starts": "2027-02-01", "due": "2027-01-01"}, "due"),
        ({"status": "misschien"}, "status"),
        ({"status": "gestopt"}, "stop_reason"),
        ({"who": ["a"]}, "who"),
    ],
)
def test_wrong_fields_are_named_and_nothing_is_stored(toy_client, people, app, overrides, field):
    answer = toy_client.post(ACTIONS, json=action_body(**overrides),
                             headers=bearer(people["opbouwwerker"]))  # fmt: skip
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]
    assert count(app, Action) == 0


def test_the_private_link_changes_its_own_action_only(toy_client, people, app):
    mine = add_action(toy_client, people["opbouwwerker"])
    other = add_action(toy_client, people["opbouwwerker"], title="Andere actie")
    url = f"{ACTIONS}/{mine['id']}"
    assert toy_client.patch(url, json={"status": "bezig"}).status_code == 401
    assert toy_client.patch(url, json={"status": "bezig"},
                            headers=bearer(other["owner_token"])).status_code == 403  # fmt: skip
    changed = toy_client.patch(url, json={"status": "gepland", "due": "2027-05-01"},
                               headers=bearer(mine["owner_token"]))  # fmt: skip
    assert changed.status_code == 200, changed.get_json()
    props = changed.get_json()["properties"]
    assert props["status"] == "gepland" and props["due"] == "2027-05-01"
    assert props["updates"][0]["status_from"] == "idee"
    assert props["updates"][0]["status_to"] == "gepland"
    # The owner cannot moderate nor relink; nor delete.
    refused = toy_client.patch(url, json={"moderation": "hidden"},
                               headers=bearer(mine["owner_token"]))  # fmt: skip
    assert refused.status_code == 422 and "moderation" in refused.get_json()["errors"]
    assert toy_client.delete(url, headers=bearer(mine["owner_token"])).status_code == 403
    updates = f"{url}/updates"
    assert toy_client.post(updates, json={"text": "x"}).status_code == 401
    assert toy_client.post(updates, json={"text": "x"},
                           headers=bearer(other["owner_token"])).status_code == 403  # fmt: skip
    assert count(app, ActionUpdate) == 1


def test_updates_log_progress_with_an_optional_photo(toy_client, people, app):
    mine = add_action(toy_client, people["opbouwwerker"])
    owner = bearer(mine["owner_token"])
    updates = f"{ACTIONS}/{mine['id']}/updates"
    empty = toy_client.post(updates, json={"text": "", "status": "klaar"}, headers=owner)
    assert empty.status_code == 422
    assert set(empty.get_json()["errors"]) == {"text", "status"}
    assert count(app, ActionUpdate) == 0
    answer = toy_client.post(updates, json={"text": "Eerste avond: 12 jongeren!",
                                            "status": "bezig", "date": "2020-01-17"},
                             headers=owner)  # fmt: skip
    assert answer.status_code == 201, answer.get_json()
    props = answer.get_json()["properties"]
    assert props["status"] == "bezig"
    assert props["updates"][0] == {"date": "2020-01-17", "text": "Eerste avond: 12 jongeren!",
                                   "status_from": "idee", "status_to": "bezig",
                                   "image_url": None}  # fmt: skip
    photo = io.BytesIO()
    Image.new("RGB", (300, 200), "orange").save(photo, "JPEG")
    with_photo = toy_client.post(
        updates, data={"text": "Foto", "image": (io.BytesIO(photo.getvalue()), "a.jpg")},
        headers=owner, content_type="multipart/form-data",
    )  # fmt: skip
    assert with_photo.status_code == 201, with_photo.get_json()
    url = with_photo.get_json()["properties"]["updates"][0]["image_url"]
    assert url and toy_client.get(url).mimetype == "image/png"
    broken = toy_client.post(
        updates, data={"text": "Foto", "image": (io.BytesIO(b"geen foto"), "a.jpg")},
        headers=owner, content_type="multipart/form-data",
    )  # fmt: skip
    assert broken.status_code == 422 and "image" in broken.get_json()["errors"]
    stopped = toy_client.post(updates, json={"text": "Geen ruimte", "status": "gestopt"},
                              headers=owner)  # fmt: skip
    assert "stop_reason" in stopped.get_json()["errors"]


def test_a_workshop_action_waits_for_approval_but_its_owner_sees_it(toy_client, people, app):
    code = make_workshop(app, residents_write=True)
    created = toy_client.post(ACTIONS, json=action_body(workshop=code, who="Fatima"))
    assert created.status_code == 201, created.get_json()
    action = created.get_json()
    assert action["properties"]["moderation"] == "pending"
    url = f"{ACTIONS}/{action['id']}"
    assert toy_client.get(url).status_code == 404
    assert toy_client.get(url, headers=bearer(action["owner_token"])).status_code == 200
    assert toy_client.get(ACTIONS).get_json()["features"] == []
    ow = bearer(people["opbouwwerker"])
    assert toy_client.patch(url, json={"moderation": "published"}, headers=ow).status_code == 200
    assert toy_client.get(url).status_code == 200
    assert (
        toy_client.post(ACTIONS, json=action_body(workshop=make_workshop(app))).status_code == 422
    )


def test_lists_filter_by_status_type_and_condition(toy_client, people):
    ow = people["opbouwwerker"]
    meeting = add_finding(toy_client, ow, function_type="verbindend",
                          conditions=["sociale_cohesie"])  # fmt: skip
    shop = add_finding(toy_client, ow, function_type="functioneel")
    add_action(toy_client, ow, title="Ontmoeten", findings=[meeting], status="bezig")
    add_action(toy_client, ow, title="Winkel", findings=[shop])

    def titles(query: str) -> list[str]:
        answer = toy_client.get(f"{ACTIONS}?{query}")
        assert answer.status_code == 200, answer.get_json()
        return [f["properties"]["title"] for f in answer.get_json()["features"]]

    assert titles("") == ["Winkel", "Ontmoeten"]
    assert titles("status=bezig") == ["Ontmoeten"]
    assert titles("function_type=functioneel") == ["Winkel"]
    assert titles("condition=sociale_cohesie") == ["Ontmoeten"]
    assert titles("gemeente=GM0999&wijk=WK099901&status=idee") == ["Winkel"]
    assert "status" in toy_client.get(f"{ACTIONS}?status=klaar").get_json()["errors"]


def test_a_resident_marks_the_action_bezig_on_its_private_page(toy_client, people):
    mine = add_action(toy_client, people["opbouwwerker"], title="Moestuin")
    page = f"/actie/{mine['owner_token']}"
    assert toy_client.get(page).status_code == 200
    token = csrf_token(toy_client, page)
    wrong = toy_client.post(page, data={"csrf_token": token, "status": "bezig", "text": ""})
    assert wrong.status_code == 422
    assert "Wat is er gebeurd?: Vul dit in." in wrong.get_data(as_text=True)
    done = toy_client.post(page, data={"csrf_token": token, "status": "bezig",
                                       "text": "De eerste bakken staan <er>."})  # fmt: skip
    assert done.status_code == 302
    doing = toy_client.get("/wijk/WK099901/doen").get_data(as_text=True)
    assert "De eerste bakken staan &lt;er&gt;." in doing and "Bezig" in doing
    assert toy_client.get("/actie/onbekend").status_code == 404
    listed = toy_client.get("/acties?status=bezig").get_data(as_text=True)
    assert "Moestuin" in listed
    assert "Moestuin" not in toy_client.get("/acties?status=gedaan").get_data(as_text=True)


def test_answers_follow_the_openapi_document(toy_client, people):
    from tests.test_fuzz_api import conforms

    document = toy_client.get("/api/v1/openapi.json").get_json()
    ow = bearer(people["opbouwwerker"])
    calls = [
        ("/findings", "post", toy_client.post("/api/v1/findings", json=finding_body(), headers=ow)),
        ("/findings", "post", toy_client.post("/api/v1/findings", json=finding_body())),
        ("/findings", "get", toy_client.get("/api/v1/findings?function_type=x")),
        ("/findings/{id}", "get", toy_client.get("/api/v1/findings/1")),
        ("/findings/{id}", "patch", toy_client.patch("/api/v1/findings/1", json={"text": ""},
                                                     headers=ow)),
        ("/actions", "post", toy_client.post(ACTIONS, json=action_body(findings=[1]), headers=ow)),
        ("/actions", "get", toy_client.get(ACTIONS)),
        ("/actions/{id}", "get", toy_client.get(f"{ACTIONS}/99")),
        ("/actions/{id}/updates", "post", toy_client.post(f"{ACTIONS}/1/updates", json={},
                                                          headers=ow)),
        ("/actions/{id}", "delete", toy_client.delete(f"{ACTIONS}/1", headers=ow)),
        ("/findings/{id}", "delete", toy_client.delete("/api/v1/findings/1")),
    ]  # fmt: skip
    assert [c[2].status_code for c in calls] == [201, 401, 422, 200, 422, 201, 200, 404, 422,
                                                 204, 401]  # fmt: skip
    for path, method, response in calls:
        if response.status_code == 204:  # no body
            assert str(204) in document["paths"][path][method]["responses"]
        else:
            conforms(document, path, method, response)

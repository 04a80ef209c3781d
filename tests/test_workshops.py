"""Workshops: join codes, closing, the workshop's own moderation, the cursor feed of the wall
map, the rate limit sized for a room, the CLI and the QR codes."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from plekken.db import get_session
from plekken.errors import ValidationError
from plekken.services import workshops
from plekken.services.accounts import viewer_of
from plekken.storage.models import Place, User, Workshop
from tests.factories import bearer, make_user, place_data

AMBIGUOUS = set("0O1lIL")


def make_workshop(app, moderated: bool = True, email: str = "ow@example.org", **values):
    """A workshop in the toy wijk run by an opbouwwerker of its gemeente; returns its code."""
    with app.app_context():
        session = get_session()
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            make_user(app, email, "opbouwwerker", ["GM0999"])
            user = session.scalar(select(User).where(User.email == email))
        workshop = workshops.create_workshop(
            session, viewer_of(user), wijk="WK099901", title="De Goffert", moderated=moderated,
            **values,
        )  # fmt: skip
        return workshop.code


def post(client, code, **overrides):
    return client.post("/api/v1/places", json=place_data(workshop=code, **overrides))


def feed(client, code, since=0):
    response = client.get(f"/api/v1/workshops/{code}/places?since={since}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def place_count(app) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(Place))


def test_codes_are_short_unambiguous_and_unique(toy_client, app):
    codes = {make_workshop(app) for _ in range(40)}
    assert len(codes) == 40
    for code in codes:
        assert re.fullmatch(r"[A-Z2-9]{6}", code)
        assert not AMBIGUOUS & set(code)


def test_code_is_read_in_any_case_with_spaces_or_dashes(toy_client, app):
    code = make_workshop(app)
    typed = f"{code[:3].lower()}-{code[3:]}"
    page = toy_client.get(f"/w/{typed}")
    assert page.status_code == 200
    assert "De Goffert" in page.get_data(as_text=True)
    assert (
        toy_client.get(f"/w?code={code[:3]} {code[3:].lower()}")
        .headers["Location"]
        .endswith(f"/w/{code}")
    )


def test_unknown_and_closed_codes_get_a_friendly_page(toy_client, app):
    unknown = toy_client.get("/w/ZZZZZZ")
    assert unknown.status_code == 404
    assert "<main" in unknown.get_data(as_text=True)
    assert "Deze code kennen we niet" in unknown.get_data(as_text=True)
    code = make_workshop(app)
    with app.app_context():
        session = get_session()
        workshops.set_closed(session, workshops.find_workshop(session, code), True)
    closed = toy_client.get(f"/w/{code}")
    assert closed.status_code == 410
    assert "gesloten" in closed.get_data(as_text=True)
    assert toy_client.get(f"/w/{code}/blad").status_code == 200  # the sheet stays printable


def test_closing_time_closes_and_reopening_lifts_it(toy_client, app):
    past = datetime.now(UTC) - timedelta(minutes=1)
    code = make_workshop(app, closes_at=past)
    assert toy_client.get(f"/w/{code}").status_code == 410
    refused = post(toy_client, code)
    assert refused.status_code == 422
    assert "gesloten" in refused.get_json()["errors"]["workshop"]
    with app.app_context():
        session = get_session()
        workshop = workshops.find_workshop(session, code)
        assert not workshops.is_open(workshop)
        workshops.set_closed(session, workshop, False)
        assert workshops.is_open(workshop)
    assert post(toy_client, code).status_code == 201


def test_create_checks_wijk_title_and_owner(toy_client, app):
    make_user(app, "elders@example.org", "opbouwwerker", ["GM0363"])
    with app.app_context():
        session = get_session()
        user = session.scalar(select(User).where(User.email == "elders@example.org"))
        elsewhere = viewer_of(user)
        with pytest.raises(ValidationError) as caught:
            workshops.create_workshop(session, elsewhere, wijk="WK099901", title="  ")
        assert set(caught.value.errors) == {"title", "owner"}
        with pytest.raises(ValidationError) as caught:
            workshops.create_workshop(session, elsewhere, wijk="WK000000", title="Avond")
        assert set(caught.value.errors) == {"wijk"}
        assert session.scalar(select(func.count()).select_from(Workshop)) == 0


def test_workshop_place_gets_the_workshops_moderation_and_wijk(toy_client, published):
    moderated, open_door = make_workshop(published), make_workshop(published, moderated=False)
    held = post(toy_client, moderated, placement="gps", map_zoom=17)
    assert held.status_code == 201, held.get_json()
    assert held.get_json()["properties"]["status"] == "pending"  # despite the site's "published"
    shown = post(toy_client, open_door.lower())
    assert shown.get_json()["properties"]["status"] == "published"
    with published.app_context():
        place = get_session().get(Place, held.get_json()["id"])
        assert (place.wijk_code, place.placement, place.map_zoom) == ("WK099901", "gps", 17.0)
        assert place.workshop_id is not None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"workshop": "ZZZZZZ"}, "workshop"),
        ({"placement": "ouija"}, "placement"),
        ({"map_zoom": "hoog"}, "map_zoom"),
        ({"lon": 5.9, "lat": 51.9}, "location"),  # outside the workshop's wijk
    ],
)
def test_wrong_workshop_place_is_refused_naming_the_field(toy_client, app, overrides, field):
    code = make_workshop(app)
    response = toy_client.post("/api/v1/places", json=place_data(**{"workshop": code, **overrides}))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert place_count(app) == 0


@pytest.mark.parametrize("code", [123, ["ABC"], {"a": 1}, "Ａ１２", ""])
def test_a_code_that_is_no_text_is_unknown(toy_client, app, code):
    response = toy_client.post("/api/v1/places", json=place_data(workshop=code))
    assert response.status_code == 422
    assert "workshop" in response.get_json()["errors"]


def test_unknown_code_names_the_other_wrong_fields_too(toy_client, app):
    response = post(toy_client, "ZZZZZZ", name="")
    assert set(response.get_json()["errors"]) == {"workshop", "name"}


def test_feed_returns_each_public_place_exactly_once(toy_client, app):
    code = make_workshop(app, moderated=False)
    other = make_workshop(app, moderated=False)
    first = [post(toy_client, code, name=f"Plek {i}").get_json()["id"] for i in range(3)]
    post(toy_client, other, name="Elders")
    page = feed(toy_client, code)
    assert [f["id"] for f in page["features"]] == first
    assert page["counts"] == {"verbindend": 3}
    later = post(toy_client, code, name="Later", function_types=["functioneel"]).get_json()["id"]
    again = feed(toy_client, code, page["cursor"])
    assert [f["id"] for f in again["features"]] == [later]
    assert feed(toy_client, code, again["cursor"])["features"] == []
    assert feed(toy_client, code, again["cursor"])["counts"] == {"verbindend": 3, "functioneel": 1}


def test_feed_shows_moderated_places_once_they_are_approved(toy_client, app):
    code = make_workshop(app)
    token = make_user(app, "mod@example.org", "opbouwwerker", ["GM0999"])
    ids = [post(toy_client, code, name=f"Plek {i}").get_json()["id"] for i in range(3)]
    assert feed(toy_client, code)["features"] == []
    for place_id, action in zip(ids, ("approve", "hide", "approve"), strict=True):
        moderated = toy_client.post(
            f"/api/v1/places/{place_id}/moderation", json={"action": action}, headers=bearer(token)
        )
        assert moderated.status_code == 200
    shown = feed(toy_client, code)
    assert [f["id"] for f in shown["features"]] == [ids[0], ids[2]]
    # Approving again, or hiding and approving, never brings a place back into the feed.
    toy_client.post(f"/api/v1/places/{ids[0]}/moderation", json={"action": "hide"},
                    headers=bearer(token))  # fmt: skip
    toy_client.post(f"/api/v1/places/{ids[0]}/moderation", json={"action": "approve"},
                    headers=bearer(token))  # fmt: skip
    assert feed(toy_client, code, shown["cursor"])["features"] == []


def test_feed_refuses_a_bad_cursor_and_an_unknown_code(toy_client, app):
    code = make_workshop(app)
    bad = toy_client.get(f"/api/v1/workshops/{code}/places?since=-1")
    assert bad.status_code == 422
    assert "since" in bad.get_json()["errors"]
    unknown = toy_client.get("/api/v1/workshops/ZZZZZZ/places")
    assert unknown.status_code == 404
    assert "workshop" in unknown.get_json()["errors"]


def test_a_room_on_one_address_has_its_own_limit(toy_client, app):
    app.config.update(RATE_LIMITS="2/hour", WORKSHOP_RATE_LIMITS="4/hour")
    code = make_workshop(app, moderated=False)
    statuses = [post(toy_client, code, name=f"Plek {i}").status_code for i in range(5)]
    assert statuses == [201] * 4 + [429]
    # The address's own limit for places outside a workshop is counted apart.
    alone = [toy_client.post("/api/v1/places", json=place_data()).status_code for _ in range(3)]
    assert alone == [201, 201, 429]
    # Another workshop in the same room counts on its own.
    assert post(toy_client, make_workshop(app, moderated=False)).status_code == 201


def decode_png(data: bytes) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


def test_qr_png_decodes_to_the_join_url(toy_client, app):
    code = make_workshop(app)
    png = toy_client.get(f"/w/{code.lower()}/qr.png", base_url="http://192.168.1.20:5000")
    assert png.mimetype == "image/png"
    assert decode_png(png.data) == [f"http://192.168.1.20:5000/w/{code}"]
    app.config["PUBLIC_URL"] = "https://plekken.example.nl/"
    assert decode_png(toy_client.get(f"/w/{code}/qr.png").data) == [
        f"https://plekken.example.nl/w/{code}"
    ]
    svg = toy_client.get(f"/w/{code}/qr.svg")
    assert svg.mimetype == "image/svg+xml"
    assert svg.data.startswith(b"<svg")
    assert toy_client.get("/w/ZZZZZZ/qr.png").status_code == 404


def test_sheet_shows_code_qr_and_three_steps(toy_client, app):
    code = make_workshop(app)
    html = toy_client.get(f"/w/{code}/blad").get_data(as_text=True)
    assert code in html
    assert f"/w/{code}/qr.svg" in html
    steps = html.split('<ol class="sheet-steps">', 1)[1].split("</ol>", 1)[0]
    assert steps.count("<li>") == 3


def test_user_text_is_escaped(toy_client, app):
    code = make_workshop(app, question="<script>alert(1)</script>")
    html = toy_client.get(f"/w/{code}").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_cli_creates_a_workshop_and_prints_code_and_url(toy_client, app, runner):
    make_user(app, "ow@example.org", "opbouwwerker", ["GM0999"])
    app.config["PUBLIC_URL"] = "http://192.168.1.20:5000"
    result = runner.invoke(args=[
        "workshop", "create", "--wijk", "WK099901", "--title", "De Goffert", "--owner",
        "OW@example.org", "--no-moderation", "--closes", "2026-12-10 21:00",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    code = re.search(r"Join code: (\w+)", result.output).group(1)
    assert f"Join URL:  http://192.168.1.20:5000/w/{code}" in result.output
    with app.app_context():
        workshop = workshops.find_workshop(get_session(), code)
        assert not workshop.moderated
        assert workshop.closes_at is not None


def test_cli_names_what_is_wrong(toy_client, app, runner):
    nobody = runner.invoke(args=["workshop", "create", "--wijk", "WK099901", "--title", "x",
                                 "--owner", "niemand@example.org"])  # fmt: skip
    assert nobody.exit_code != 0
    assert "no account" in nobody.output
    make_user(app, "r@example.org", "onderzoeker", ["GM0999"])
    refused = runner.invoke(args=["workshop", "create", "--wijk", "WK099901", "--title", "x",
                                  "--owner", "r@example.org"])  # fmt: skip
    assert refused.exit_code != 0
    assert "owner" in refused.output


def test_migration_goes_down_and_up_again(app):
    from alembic import command
    from alembic.script import ScriptDirectory

    from plekken import migrate

    engine = app.extensions["plekken_engine"]
    config = migrate.alembic_config(engine)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision(engine)


def test_a_workshops_places_export_on_their_own(toy_client, published, tmp_path):
    """The export's ``workshop`` filter: the places of that workshop, its wijk as scope."""
    code = make_workshop(published, moderated=False)
    other = make_workshop(published, moderated=False)
    for name in ("Bankje", "Speeltuin"):
        assert post(toy_client, code, name=name).status_code == 201
    assert post(toy_client, other, name="Elders").status_code == 201
    assert toy_client.post("/api/v1/places", json=place_data(name="Los")).status_code == 201
    answer = toy_client.get(f"/api/v1/export?workshop={code.lower()}&format=geojson")
    assert answer.status_code == 200
    body = answer.get_json()
    assert sorted(f["properties"]["name"] for f in body["features"]) == ["Bankje", "Speeltuin"]
    assert body["metadata"]["filters"]["workshop"] == code
    scoped = toy_client.get(f"/api/v1/export?wijk=WK099901&workshop={other}&format=csv")
    assert scoped.status_code == 200 and "Elders" in scoped.get_data(as_text=True)
    assert "Bankje" not in scoped.get_data(as_text=True)
    wrong = toy_client.get("/api/v1/export?workshop=ZZZZZZ&format=csv")
    assert wrong.status_code == 422 and "workshop" in wrong.get_json()["errors"]
    out = tmp_path / "workshop.csv"
    runner = published.test_cli_runner()
    result = runner.invoke(args=["export-data", "--workshop", code, "--format", "csv",
                                 "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2 places" in result.output
    unknown = runner.invoke(args=["export-data", "--workshop", "ZZZZZZ", "--format", "csv",
                                  "--out", str(out)])  # fmt: skip
    assert unknown.exit_code != 0 and "--workshop" in unknown.output

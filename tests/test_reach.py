"""Reach ("wie bereiken we?"): contributor fields on places and endorsements, and distinct
contributors per home buurt, with numbers worked out by hand on a small wijk."""

from __future__ import annotations

import hashlib

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import MultiPolygon, box
from sqlalchemy import select

from plekken import storage
from plekken.analysis.reach import mask_small, people, reach, reach_totals
from plekken.db import get_session
from plekken.io.cbs_columns import normalise
from plekken.storage.models import Endorsement, Place
from tests.factories import bearer, make_user, place_data

WIJK = "WK099901"
WEST, EAST, ZUID, NOORD = "BU09990101", "BU09990102", "BU09990103", "BU09990201"
POINT = {WEST: (5.81, 51.81), EAST: (5.83, 51.81), ZUID: (5.81, 51.79)}


def reach_areas() -> gpd.GeoDataFrame:
    """One wijk of three buurten (1500, 500 and 30 inhabitants) and a buurt of another wijk."""
    rows = [
        (WIJK, "Testwijk", "wijk", "GM0999", 2030, box(5.80, 51.78, 5.84, 51.82)),
        ("WK099902", "Buurwijk", "wijk", "GM0999", 700, box(5.84, 51.80, 5.86, 51.82)),
        (WEST, "West", "buurt", WIJK, 1500, box(5.80, 51.80, 5.82, 51.82)),
        (EAST, "Oost", "buurt", WIJK, 500, box(5.82, 51.80, 5.84, 51.82)),
        (ZUID, "Zuid", "buurt", WIJK, 30, box(5.80, 51.78, 5.84, 51.80)),
        (NOORD, "Noord", "buurt", "WK099902", 700, box(5.84, 51.80, 5.86, 51.82)),
    ]
    frame = pd.DataFrame({
        "code": [r[0] for r in rows], "name": [r[1] for r in rows],
        "level": [r[2] for r in rows], "parent_code": [r[3] for r in rows],
        "gemeente_code": "GM0999", "gemeente_name": "Testgemeente",
        "inhabitants": pd.array([r[4] for r in rows], dtype="Int64"),
        "land_area_m2": float("nan"), "water_area_m2": float("nan"), "is_water": False,
    })  # fmt: skip
    return gpd.GeoDataFrame(frame, geometry=[MultiPolygon([r[5]]) for r in rows], crs=4326)


@pytest.fixture
def wijk_client(published, client):
    with published.app_context():
        session = get_session()
        storage.upsert_areas(session, reach_areas(), source="test")
        session.commit()
    return client


def _add(client, where: str, **fields) -> int:
    lon, lat = POINT[where]
    response = client.post("/api/v1/places", json=place_data(lon=lon, lat=lat, **fields))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _contribute(client) -> None:
    """Seven distinct people: three live in West, two in Oost, one in the other wijk and
    one did not say; one of them also endorses a place, which adds nobody."""
    _add(client, WEST, contributor_key="sleutel-aaaa1", home_buurt=WEST, age_band="18-29")
    _add(client, EAST, contributor_key="sleutel-aaaa1", home_buurt=WEST)
    _add(client, WEST, contributor_key="sleutel-bbbb2", home_buurt=WEST, age_band="65+")
    _add(client, WEST, home_buurt=WEST)  # no key: one person of its own
    fifth = _add(client, EAST, home_buurt=EAST.lower())
    _add(client, EAST, contributor_key="sleutel-cccc3", home_buurt=NOORD)
    _add(client, WEST)  # says nothing about themselves
    for key, home in (("sleutel-dddd4", EAST), ("sleutel-aaaa1", "")):
        body = {"resident": key * 2, "contributor_key": key, "home_buurt": home}
        response = client.post(f"/api/v1/places/{fifth}/endorsements", json=body)
        assert response.status_code == 201, response.get_json()


def _rows(answer: dict) -> dict[str, dict]:
    return {row["code"]: row for row in answer["records"]}


def test_reach_counted_by_hand_public(wijk_client):
    _contribute(wijk_client)
    answer = wijk_client.get(f"/api/v1/analysis/reach?wijk={WIJK}").get_json()
    rows = _rows(answer)
    assert set(rows) == {WEST, EAST, ZUID}
    assert rows[WEST]["contributors"] == "< 5" and rows[EAST]["contributors"] == "< 5"
    assert rows[WEST]["contributors_per_1000"] is None  # would give 3 away
    assert rows[WEST]["representation"] is None
    assert rows[ZUID]["contributors"] == 0 and rows[ZUID]["not_reached"] is False  # 30 < 50
    assert [rows[c]["places_in_buurt"] for c in (WEST, EAST, ZUID)] == [4, 3, 0]
    totals = answer["metadata"]["totals"]
    assert totals == {"contributors": 7, "living_in_scope": 5, "living_elsewhere": "< 5",
                      "home_unknown": "< 5"}  # fmt: skip
    assert answer["metadata"]["exact_counts"] is False
    low = wijk_client.get(f"/api/v1/analysis/reach?wijk={WIJK}&min_inhabitants=20").get_json()
    assert _rows(low)[ZUID]["not_reached"] is True


def test_reach_exact_for_the_gemeente_professionals(wijk_client, app):
    _contribute(wijk_client)
    token = make_user(app, "ow@example.org", "opbouwwerker", ["GM0999"])
    answer = wijk_client.get(f"/api/v1/analysis/reach?wijk={WIJK}", headers=bearer(token))
    rows = _rows(answer.get_json())
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert (rows[WEST]["contributors"], rows[EAST]["contributors"]) == (3, 2)
    assert (rows[WEST]["contributors_per_1000"], rows[EAST]["contributors_per_1000"]) == (2.0, 4.0)
    # West: (3/5) / (1500/2030) = 0.812; Oost: (2/5) / (500/2030) = 1.624; Zuid: 0.
    assert [rows[c]["representation"] for c in (WEST, EAST, ZUID)] == [0.81, 1.62, 0.0]
    assert answer.get_json()["metadata"]["totals"]["living_elsewhere"] == 1
    elsewhere = make_user(app, "ow2@example.org", "opbouwwerker", ["GM0363"])
    public = wijk_client.get(f"/api/v1/analysis/reach?wijk={WIJK}", headers=bearer(elsewhere))
    assert _rows(public.get_json())[WEST]["contributors"] == "< 5"


def test_reach_csv_and_gemeente(wijk_client):
    _contribute(wijk_client)
    csv = wijk_client.get("/api/v1/analysis/reach?gemeente=GM0999&format=csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].startswith("code,name,inhabitants,contributors,")
    # In the gemeente the Noord resident is inside the scope, in their own buurt.
    noord = next(line for line in lines if line.startswith(NOORD))
    assert noord.split(",")[3] == "< 5"


@pytest.mark.parametrize(
    ("query", "field"),
    [("wijk=WK099901&level=wijk", "level"), ("wijk=WK099901&min_inhabitants=-1",
     "min_inhabitants"), ("wijk=WK099901&nope=1", "nope"), ("", "wijk"),
     ("wijk=WK099999", "wijk")],
)  # fmt: skip
def test_reach_query_errors_name_the_field(wijk_client, query, field):
    response = wijk_client.get(f"/api/v1/analysis/reach?{query}")
    assert response.status_code in (404, 422)
    assert field in response.get_json()["errors"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"home_buurt": "BU12345678"}, "home_buurt"),
        ({"home_buurt": WIJK}, "home_buurt"),  # a wijk, not a buurt
        ({"home_buurt": ["BU09990101"]}, "home_buurt"),
        ({"age_band": "50+"}, "age_band"),
        ({"age_band": ["65+"]}, "age_band"),
        ({"contributor_key": "kort"}, "contributor_key"),
        ({"contributor_key": "met een spatie"}, "contributor_key"),
        ({"contributor_key": "x" * 65}, "contributor_key"),
        ({"contributor_key": "sleutél-123"}, "contributor_key"),
        ({"contributor_key": 12345678}, "contributor_key"),
    ],
)
def test_contributor_fields_are_checked(wijk_client, app, fields, field):
    response = wijk_client.post("/api/v1/places", json=place_data(**fields))
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {field}
    with app.app_context():
        assert get_session().scalar(select(Place.id)) is None


def test_endorsement_fields_are_checked(wijk_client):
    place = _add(wijk_client, WEST)
    body = {"resident": "r" * 20, "home_buurt": "BU00000000", "age_band": "oud"}
    response = wijk_client.post(f"/api/v1/places/{place}/endorsements", json=body)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"home_buurt", "age_band"}


def test_only_a_hash_is_stored_and_nothing_is_public(wijk_client, app):
    place = _add(wijk_client, WEST, contributor_key="sleutel-aaaa1", home_buurt=WEST,
                 age_band="30-44")  # fmt: skip
    body = {"resident": "r" * 20, "contributor_key": "sleutel-eeee5", "age_band": "<18"}
    assert wijk_client.post(f"/api/v1/places/{place}/endorsements", json=body).status_code == 201
    with app.app_context():
        session = get_session()
        stored = session.get(Place, place)
        assert stored.contributor_key_hash == hashlib.sha256(b"sleutel-aaaa1").hexdigest()
        assert (stored.home_buurt, stored.age_band) == (WEST, "30-44")
        endorsement = session.scalar(select(Endorsement))
        assert endorsement.contributor_key_hash == hashlib.sha256(b"sleutel-eeee5").hexdigest()
        assert endorsement.age_band == "<18"
    urls = (
        f"/api/v1/places/{place}",
        f"/api/v1/places?wijk={WIJK}",
        f"/api/v1/places/markers?wijk={WIJK}",
        f"/api/v1/export?wijk={WIJK}&format=csv",
    )
    for url in urls:
        text = wijk_client.get(url).get_data(as_text=True)
        for secret in ("home_buurt", "age_band", "contributor_key", "sleutel", "30-44"):
            assert secret not in text, (url, secret)


# ---------------------------------------------------------------- the pure core


def _frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["kind", "id", "key", "home_buurt", "age_band", "buurt_code"]
    return pd.DataFrame(rows, columns=columns)


def test_people_take_the_home_buurt_given_most_often():
    contributions = _frame([
        ("place", 1, "k", "BU1", "18-29", "BU1"), ("place", 2, "k", "BU2", None, "BU1"),
        ("place", 3, "k", "BU2", None, "BU1"), ("endorsement", 1, None, None, None, "BU1"),
        ("place", 4, None, None, None, "BU1"),
    ])  # fmt: skip
    who = people(contributions)
    assert who["person"].tolist() == ["k", "endorsement:1", "place:4"]
    assert who["home_buurt"].fillna("-").tolist() == ["BU2", "-", "-"]
    assert who["age_band"].fillna("-").tolist() == ["18-29", "-", "-"]


def test_age_mix_only_from_ten_contributors_with_an_age_band():
    areas = pd.DataFrame({
        "code": ["BU1", "BU2"], "name": ["A", "B"], "inhabitants": [1000, 1000],
        "age_00_14": [100, 200], "age_15_24": [100, 200], "age_25_44": [400, 200],
        "age_45_64": [200, 200], "age_65_plus": [200, 200],
    })  # fmt: skip
    bands = ["18-29"] * 4 + ["65+"] * 6
    rows = [("place", i, f"a{i}", "BU1", band, "BU1") for i, band in enumerate(bands)]
    rows += [("place", 100 + i, f"b{i}", "BU2", "30-44", "BU2") for i in range(9)]
    rows += [("place", 200, "b-no-age", "BU2", None, "BU2")]
    table = reach(areas, _frame(rows)).set_index("code")
    assert table.loc["BU1", "contributors_age_18-29"] == 0.4
    assert table.loc["BU1", "contributors_age_65+"] == 0.6
    assert table.loc["BU2", "contributors"] == 10
    assert table.loc["BU2", "contributors_with_age"] == 9
    assert pd.isna(table.loc["BU2", "contributors_age_30-44"])  # only 9 gave their age
    assert table.loc["BU1", "inhabitants_age_25_44"] == 0.4
    assert table.loc["BU2", "inhabitants_age_25_44"] == 0.2


def test_reach_without_contributions_or_inhabitants():
    areas = pd.DataFrame({"code": ["BU1", "BU2"], "name": ["A", "B"],
                          "inhabitants": pd.array([None, 80], dtype="Int64")})  # fmt: skip
    table = reach(areas, _frame([]))
    assert table["contributors"].tolist() == [0, 0]
    assert table["not_reached"].tolist() == [False, True]
    assert table["representation"].isna().all()
    assert "inhabitants_age_00_14" not in table
    assert reach_totals(areas, _frame([]))["contributors"] == 0
    assert [mask_small(n) for n in (0, 4, 5, 12)] == [0, "< 5", 5, 12]


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"P_00_14_JR": 10, "P_15_24_JR": 20, "P_25_44_JR": 30, "P_45_64_JR": 25,
          "P_65_EO_JR": 15}, [120, 240, 360, 300, 180]),  # percentages, old names
        ({"A_00_14": 100, "A_15_24": 200, "A_25_44": 300, "A_45_64": 400, "A_65_EO": 200},
         [100, 200, 300, 400, 200]),  # counts, newer names
        ({"pct_0_14": 5, "pct_15_24": 20, "pct_25_44": 27, "pct_45_64": 32, "pct_65plus": 16},
         [60, 240, 324, 384, 192]),
        ({}, [None] * 5),
    ],
)  # fmt: skip
def test_cbs_age_groups_old_and_new_names(columns, expected):
    raw = gpd.GeoDataFrame(
        {"BU_CODE": ["BU09990101"], "BU_NAAM": ["West"], "AANT_INW": [1200], **columns},
        geometry=[box(5.80, 51.80, 5.82, 51.82)], crs=4326,
    )  # fmt: skip
    row = normalise(raw, "test", None).iloc[0]
    groups = ["age_00_14", "age_15_24", "age_25_44", "age_45_64", "age_65_plus"]
    assert [None if pd.isna(row[g]) else int(row[g]) for g in groups] == expected


def test_real_nijmegen_reach(app, runner, client, shared_data):
    """The real Nijmegen buurten with CBS inhabitants and age groups: every buurt of the
    gemeente has a row, and a place from a known home buurt counts there."""
    for name in ("nijmegen_wijken.geojson", "nijmegen_buurten.geojson"):
        result = runner.invoke(args=["import-areas", str(shared_data / name)])
        assert result.exit_code == 0, result.output
    app.config["NEW_PLACE_STATUS"] = "published"
    with app.app_context():
        buurten = storage.areas_frame(get_session(), level="buurt", gemeente="GM0268")
        first = buurten.iloc[0]
        ages = storage.area_ages(get_session(), [first["code"]]).iloc[0]
    assert ages.notna().all()  # the file has the percentages
    point = first.geometry.representative_point()
    body = place_data(lon=point.x, lat=point.y, home_buurt=first["code"], contributor_key="k" * 16)
    assert client.post("/api/v1/places", json=body).status_code == 201
    answer = client.get("/api/v1/analysis/reach?gemeente=Nijmegen").get_json()
    rows = _rows(answer)
    assert len(rows) == len(buurten[~buurten["is_water"]])
    assert rows[first["code"]]["contributors"] == "< 5"
    assert rows[first["code"]]["inhabitants"] == int(first["inhabitants"])
    reached = [code for code, row in rows.items() if row["not_reached"]]
    big = buurten[buurten["inhabitants"].fillna(0) >= 50]["code"]
    assert set(reached) == set(big) - {first["code"]}
    assert "inhabitants_age_65_plus" in rows[first["code"]]


def test_cli_prints_and_writes_the_reach_table(wijk_client, app, tmp_path):
    _contribute(wijk_client)
    runner = app.test_cli_runner()
    public = runner.invoke(args=["analyse", "--wijk", WIJK, "--reach"])
    assert public.exit_code == 0, public.output
    west = next(line for line in public.output.splitlines() if line.startswith(WEST))
    assert "< 5" in west and "7 contributors: 5 live in these buurten" in public.output
    out = tmp_path / "reach.csv"
    exact = runner.invoke(args=["analyse", "--wijk", WIJK, "--reach", "--exact", "--out", out])
    assert exact.exit_code == 0, exact.output
    table = pd.read_csv(out).set_index("code")
    assert table.loc[WEST, "contributors"] == 3 and table.loc[EAST, "representation"] == 1.62
    unknown = runner.invoke(args=["analyse", "--wijk", "WK099999", "--reach"])
    assert unknown.exit_code != 0 and "import-areas" in unknown.output
    no_out = runner.invoke(args=["analyse", "--wijk", WIJK])
    assert no_out.exit_code != 0 and "--out" in no_out.output


def test_wijk_form_asks_about_the_contributor(wijk_client, app):
    from tests.factories import csrf_token

    page = wijk_client.get(f"/wijk/{WIJK}").get_data(as_text=True)
    assert 'id="field-home_buurt"' in page and f'value="{NOORD}"' in page  # the gemeente's
    assert 'value="65+"' in page and "Zeg ik liever niet" in page
    form = {"name": "Bankje", "function_types": "verbindend", "consent": "on", "lon": "5.81",
            "lat": "51.81", "home_buurt": "BU99999999", "age_band": "45-64"}  # fmt: skip
    form["csrf_token"] = csrf_token(wijk_client, f"/wijk/{WIJK}")
    wrong = wijk_client.post(f"/wijk/{WIJK}/plekken", data=form)
    assert wrong.status_code == 422
    assert 'id="error-home_buurt"' in wrong.get_data(as_text=True)
    form["home_buurt"] = EAST
    assert wijk_client.post(f"/wijk/{WIJK}/plekken", data=form).status_code == 302
    with app.app_context():
        place = get_session().scalar(select(Place))
        assert (place.home_buurt, place.age_band, place.contributor_key_hash) == (
            EAST,
            "45-64",
            None,
        )


def test_wijk_and_gemeente_pages_show_where_the_voices_come_from(wijk_client, app):
    from tests.factories import login

    _contribute(wijk_client)
    page = wijk_client.get(f"/wijk/{WIJK}").get_data(as_text=True)
    assert "Waar komen de stemmen vandaan?" in page
    table = page.split('class="analysis-table reach-table"')[1].split("</table>")[0]
    west = table.split('<th scope="row">West')[1].split("</tr>")[0]
    assert '<td class="num">&lt; 5</td>' in west and '<td class="num">4</td>' in west
    assert "7 mensen brachten plekken in" in page
    english = wijk_client.get(f"/wijk/{WIJK}?lang=en", headers={"Accept-Language": "en"})
    assert "Where do the voices come from?" in english.get_data(as_text=True)
    gemeente = wijk_client.get("/gemeente/GM0999").get_data(as_text=True)
    assert '<th scope="row">Noord' in gemeente
    make_user(app, "prof@example.org", "onderzoeker", ["GM0999"])
    professional = app.test_client()
    assert login(professional, "prof@example.org").status_code == 302
    exact = professional.get(f"/wijk/{WIJK}").get_data(as_text=True)
    west = exact.split('<th scope="row">West')[1].split("</tr>")[0]
    assert '<td class="num">3</td>' in west and "&lt; 5" not in west

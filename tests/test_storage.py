"""Storage on both backends: areas, locating places, adding places atomically."""

from __future__ import annotations

import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import MultiPolygon, box
from sqlalchemy import func, select, text

from plekken import storage
from plekken.errors import ValidationError
from plekken.services.places import add_place
from plekken.storage.models import Area, Place, SymbolImage
from tests.factories import place_data, toy_areas


@pytest.fixture
def toy(session):
    storage.upsert_areas(session, toy_areas(), source="toy")
    session.commit()
    return session


def test_upsert_areas_updates_instead_of_duplicating(toy):
    frame = toy_areas()
    frame.loc[frame["code"] == "BU09990101", "name"] = "West (nieuw)"
    counts = storage.upsert_areas(toy, frame)
    toy.commit()
    assert counts == {"created": 0, "updated": 3}
    assert toy.scalar(select(func.count()).select_from(Area)) == 3
    assert storage.get_area(toy, "BU09990101").name == "West (nieuw)"


def test_areas_frame_round_trips_geometry(toy):
    frame = storage.areas_frame(toy, level="buurt")
    stored = toy_areas().query("level == 'buurt'").reset_index(drop=True)
    # The importer leaves unknown land and water areas as NaN; the database gives None back.
    stored[["land_area_m2", "water_area_m2"]] = None
    assert_geodataframe_equal(frame, stored[[*storage.AREA_COLUMNS, "geometry"]])
    assert frame["inhabitants"].isna().iloc[1]


def test_locate_derives_wijk_and_buurt(toy):
    assert storage.locate(toy, 5.83, 51.81) == {
        "gemeente_code": "GM0999",
        "wijk_code": "WK099901",
        "buurt_code": "BU09990102",
    }
    assert storage.locate(toy, 6.5, 52.0)["wijk_code"] is None


def test_add_place_stores_everything(toy):
    place = add_place(
        toy,
        place_data(conditions=["sociale_cohesie"], access_wheelchair="ja",
                   function_types=["verbindend", "functioneel"]),
    )  # fmt: skip
    toy.expire_all()
    stored = toy.get(Place, place.id)
    assert stored.buurt_code == "BU09990101"
    assert stored.wijk_code == "WK099901"
    assert stored.function_types == ["functioneel", "verbindend"]
    assert stored.conditions == ["sociale_cohesie"]
    assert stored.access_wheelchair is True
    assert (round(stored.lon, 6), round(stored.lat, 6)) == (5.81, 51.81)


def test_place_outside_every_area_is_refused_and_nothing_stored(toy):
    with pytest.raises(ValidationError) as caught:
        add_place(toy, place_data(lon=6.5, lat=52.0))
    assert "buiten de wijken" in caught.value.errors["location"]
    assert toy.scalar(select(func.count()).select_from(Place)) == 0


def test_bad_image_refuses_whole_place(toy):
    with pytest.raises(ValidationError) as caught:
        add_place(toy, place_data(), image=b"not an image at all")
    assert "symbol_image" in caught.value.errors
    assert toy.scalar(select(func.count()).select_from(Place)) == 0
    assert toy.scalar(select(func.count()).select_from(SymbolImage)) == 0


def test_list_and_frame_filter_by_type_and_status(toy):
    add_place(toy, place_data(function_types=["functioneel"]))
    add_place(toy, place_data(lon=5.83, function_types=["verbindend", "ideologisch"]))
    add_place(toy, place_data(lon=5.831), status="hidden")
    assert len(storage.list_places(toy, wijk="WK099901")) == 2
    assert [p.buurt_code for p in storage.list_places(toy, types=["ideologisch"])] == ["BU09990102"]
    frame = storage.places_frame(toy, buurt="BU09990102")
    assert list(frame["function_types"]) == [["verbindend", "ideologisch"]]
    assert frame.crs.to_epsg() == 4326


def test_relocate_after_new_boundaries(toy):
    place = add_place(toy, place_data(lon=5.83))
    frame = toy_areas()
    # move the border east: the place now lies in West
    frame.loc[frame["code"] == "BU09990101", "geometry"] = MultiPolygon(
        [box(5.80, 51.80, 5.835, 51.82)]
    )
    frame.loc[frame["code"] == "BU09990102", "geometry"] = MultiPolygon(
        [box(5.835, 51.80, 5.84, 51.82)]
    )
    storage.upsert_areas(toy, frame)
    toy.commit()
    assert toy.get(Place, place.id).buurt_code == "BU09990101"


@pytest.mark.postgis
def test_postgis_columns_are_real_geometries(app, backend, toy):
    if backend != "postgis":
        pytest.skip("PostGIS only")
    rows = toy.execute(
        text(
            "SELECT f_table_name, type, srid FROM geometry_columns "
            "WHERE f_table_schema = current_schema() ORDER BY f_table_name"
        )  # fmt: skip
    ).all()
    assert [tuple(r) for r in rows] == [
        ("actions", "POINT", 4326),  # where an action happens, if anywhere
        ("areas", "MULTIPOLYGON", 4326),
        ("findings", "POINT", 4326),  # the witte vlek a finding is about, if any
        ("places", "POINT", 4326),
    ]
    indexes = toy.execute(
        text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_places_geom'")
    )
    assert "gist" in indexes.scalar().lower()
    add_place(toy, place_data())
    inside = toy.execute(
        text("SELECT count(*) FROM places p JOIN areas a ON ST_Contains(a.geom, p.geom) "
             "WHERE a.code = 'BU09990101'")
    ).scalar()  # fmt: skip
    assert inside == 1

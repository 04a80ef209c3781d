"""The CBS importer on the real Nijmegen data, in the file shapes people actually have."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import box

from plekken.io.cbs import CBSFormatError, read_cbs_areas
from plekken.storage.models import Area

#: Recent column names → those of the editions before 2020 (Shapefile era).
OLD_NAMES = {
    "buurtcode": "BU_CODE",
    "buurtnaam": "BU_NAAM",
    "wijkcode": "WK_CODE",
    "wijknaam_2015": "WK_NAAM",
    "gemeentecode": "GM_CODE",
    "gemeentenaam": "GM_NAAM",
    "aantal_inwoners": "AANT_INW",
    "opp_land_ha": "OPP_LAND",
    "opp_water_ha": "OPP_WATER",
}


@pytest.fixture(scope="module")
def buurten(shared_data) -> gpd.GeoDataFrame:
    return gpd.read_file(shared_data / "nijmegen_buurten.geojson")


def _old_style(buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The buurten as a pre-2020 CBS Shapefile would hold them, in RD New."""
    return buurten[[*OLD_NAMES, "geometry"]].rename(columns=OLD_NAMES).to_crs(28992)


@pytest.fixture(scope="module")
def wijken(shared_data) -> gpd.GeoDataFrame:
    return gpd.read_file(shared_data / "nijmegen_wijken.geojson")


def _check_buurten(areas: gpd.GeoDataFrame) -> None:
    assert len(areas) == 44
    assert set(areas["level"]) == {"buurt"}
    assert areas["inhabitants"].sum() == 170_620
    assert areas.crs.to_epsg() == 4326
    assert set(areas.geom_type) == {"MultiPolygon"}
    goffert = areas.set_index("code").loc["BU02680512"]
    assert goffert["name"] == "Goffert"
    assert goffert["parent_code"] == "WK026805"
    assert goffert["gemeente_code"] == "GM0268"
    # Real lon/lat of Nijmegen, whatever CRS the file had.
    minx, miny, maxx, maxy = areas.total_bounds
    assert 5.7 < minx < maxx < 6.0 and 51.7 < miny < maxy < 51.95


def test_recent_column_names_geojson_wgs84(shared_data):
    areas = read_cbs_areas(shared_data / "nijmegen_buurten.geojson")
    _check_buurten(areas)
    benedenstad = areas.set_index("code").loc["BU02680100"]
    assert benedenstad["land_area_m2"] == pytest.approx(330_000)
    assert benedenstad["water_area_m2"] == pytest.approx(180_000)


def test_old_column_names_shapefile_rd_new(buurten, tmp_path):
    old = _old_style(buurten)
    path = tmp_path / "buurt_2015.shp"
    old.to_file(path)
    areas = read_cbs_areas(path)
    _check_buurten(areas)
    # Same outlines as the WGS84 original (differences are rounding slivers).
    original = buurten.set_index("buurtcode").to_crs(28992).geometry
    back = areas.set_index("code").to_crs(28992).geometry
    assert back.loc[original.index].distance(original.centroid).max() == 0  # centroid inside
    sliver = back.loc[original.index].symmetric_difference(original).area / original.area
    assert sliver.max() < 1e-5


def test_geopackage_with_layers_in_rd_new(buurten, wijken, shared_data, tmp_path):
    path = tmp_path / "wijkenbuurten_2024.gpkg"
    gemeente = gpd.read_file(shared_data / "nijmegen_gemeente.geojson")
    gemeente.to_crs(28992).to_file(path, layer="gemeenten")
    wijken.to_crs(28992).to_file(path, layer="wijken")
    buurten.to_crs(28992).to_file(path, layer="buurten")

    everything = read_cbs_areas(path)
    assert everything["level"].value_counts().to_dict() == {"buurt": 44, "wijk": 9, "gemeente": 1}
    assert list(everything["level"].iloc[[0, 1, -1]]) == ["gemeente", "wijk", "buurt"]

    only_wijken = read_cbs_areas(path, level="wijk")
    assert len(only_wijken) == 9
    assert only_wijken["inhabitants"].sum() == 187_040
    assert read_cbs_areas(path, layer="buurten")["level"].unique().tolist() == ["buurt"]


def test_secret_values_become_unknown(buurten, tmp_path):
    frame = buurten.copy()
    frame.loc[0, "aantal_inwoners"] = -99999999
    frame.loc[1, "aantal_inwoners"] = -99999997
    frame.loc[2, "opp_water_ha"] = -99995
    path = tmp_path / "secret.geojson"
    frame.to_file(path)
    areas = read_cbs_areas(path).set_index("code")
    codes = frame["buurtcode"].iloc[:3]
    assert areas.loc[codes.iloc[0], "inhabitants"] is not None
    assert areas.loc[codes.iloc[:2], "inhabitants"].isna().all()
    assert areas.loc[codes.iloc[2], "water_area_m2"] != areas.loc[codes.iloc[2], "water_area_m2"]
    assert (areas["inhabitants"].dropna() >= 0).all()


def test_gemeente_filter_by_code_or_name(buurten, tmp_path):
    other = gpd.GeoDataFrame(
        {"buurtcode": ["BU99990101"], "buurtnaam": ["Elders"], "gemeentecode": ["GM9999"],
         "gemeentenaam": ["Elders"], "aantal_inwoners": [10]},
        geometry=[box(5.0, 52.0, 5.01, 52.01)], crs=4326,
    )  # fmt: skip
    path = tmp_path / "twee.geojson"
    gpd.GeoDataFrame(gpd.pd.concat([buurten, other], ignore_index=True), crs=4326).to_file(path)
    assert len(read_cbs_areas(path)) == 45
    for wanted in ("GM0268", "0268", "268", "nijmegen", "Nijmegen"):
        assert len(read_cbs_areas(path, gemeente=wanted)) == 44, wanted
    with pytest.raises(CBSFormatError, match="no areas of gemeente GM0363.*GM0268 Nijmegen"):
        read_cbs_areas(path, gemeente="GM0363")


def test_wijken_dissolved_from_buurten(shared_data):
    wijken = read_cbs_areas(shared_data / "nijmegen_buurten.geojson", level="wijk")
    assert len(wijken) == 9
    assert wijken["inhabitants"].sum() == 170_620
    assert set(wijken["parent_code"]) == {"GM0268"}
    midden = wijken.set_index("code").loc["WK026805"]
    assert "Nijmegen-Midden" in midden["name"]


def test_file_without_crs_is_recognised_by_its_coordinates(buurten, tmp_path):
    path = tmp_path / "zonder_prj.shp"
    _old_style(buurten).to_file(path)
    path.with_suffix(".prj").unlink()
    areas = read_cbs_areas(path)
    _check_buurten(areas)


def test_unknown_columns_say_what_was_found_and_needed(tmp_path):
    path = tmp_path / "iets.geojson"
    gpd.GeoDataFrame(
        {"naam": ["x"], "inwoners": [3]}, geometry=[box(5.8, 51.8, 5.81, 51.81)], crs=4326
    ).to_file(path)
    with pytest.raises(CBSFormatError) as info:
        read_cbs_areas(path)
    message = str(info.value)
    assert "Found columns: naam, inwoners" in message
    assert "buurtcode or bu_code" in message and "wijkcode or wk_code" in message


def test_points_and_non_gis_files_are_refused(tmp_path):
    points = tmp_path / "punten.geojson"
    gpd.GeoDataFrame(
        {"buurtcode": ["BU02680512"]}, geometry=gpd.points_from_xy([5.85], [51.82]), crs=4326
    ).to_file(points)
    with pytest.raises(CBSFormatError, match="needs polygon boundaries"):
        read_cbs_areas(points)
    text = tmp_path / "notities.geojson"
    text.write_text("dit is geen kaart", encoding="utf-8")
    with pytest.raises(CBSFormatError, match="cannot be read"):
        read_cbs_areas(text)
    with pytest.raises(CBSFormatError, match="level must be"):
        read_cbs_areas(text, level="provincie")


def test_numeric_codes_get_their_cbs_prefix(tmp_path):
    path = tmp_path / "codes.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"buurtcode": "02680512", "buurtnaam": "Goffert"},
                        "geometry": box(5.84, 51.81, 5.85, 51.82).__geo_interface__,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    (area,) = read_cbs_areas(path).to_dict("records")
    assert (area["code"], area["parent_code"], area["gemeente_code"]) == (
        "BU02680512", "WK026805", "GM0268",
    )  # fmt: skip


def test_cli_import_twice_updates_instead_of_duplicating(app, runner, session, shared_data):
    for _ in range(2):
        result = runner.invoke(
            args=["import-areas", str(shared_data / "nijmegen_buurten.geojson"),
                  "--gemeente", "Nijmegen"]
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    assert "44 buurt" in result.output and "0 new, 44 updated" in result.output
    result = runner.invoke(args=["import-areas", str(shared_data / "nijmegen_wijken.geojson")])
    assert result.exit_code == 0, result.output
    assert session.query(Area).count() == 53
    goffert = session.query(Area).filter_by(code="BU02680512").one()
    assert goffert.parent_code == "WK026805" and goffert.inhabitants > 0


def test_cli_reports_an_unreadable_file(runner, tmp_path):
    path = tmp_path / "iets.geojson"
    gpd.GeoDataFrame({"naam": ["x"]}, geometry=[box(5.8, 51.8, 5.81, 51.81)], crs=4326).to_file(
        path
    )
    result = runner.invoke(args=["import-areas", str(path)])
    assert result.exit_code != 0
    assert "Found columns: naam" in result.output


def test_cbs_gebiedsindelingen_with_statcode(buurten, wijken, shared_data, tmp_path):
    """The CBS gebiedsindelingen name every area by ``statcode`` / ``statnaam``."""
    gemeente = gpd.read_file(shared_data / "nijmegen_gemeente.geojson")
    path = tmp_path / "cbsgebiedsindelingen2023.gpkg"
    for frame, code, name, layer in [
        (gemeente, "gemeentecode", "gemeentenaam", "gemeente_gegeneraliseerd"),
        (wijken, "wijkcode", "wijknaam", "wijk_gegeneraliseerd"),
        (buurten, "buurtcode", "buurtnaam", "buurt_gegeneraliseerd"),
    ]:
        gpd.GeoDataFrame(
            {"statcode": frame[code], "statnaam": frame[name], "jrstatcode": "2023" + frame[code],
             "rubriek": layer.split("_")[0]},
            geometry=frame.geometry, crs=4326,
        ).to_crs(28992).to_file(path, layer=layer)  # fmt: skip
    areas = read_cbs_areas(path, gemeente="Nijmegen")  # the name is only on the gemeente row
    assert areas["level"].value_counts().to_dict() == {"buurt": 44, "wijk": 9, "gemeente": 1}
    goffert = areas.set_index("code").loc["BU02680512"]
    assert (goffert["name"], goffert["parent_code"]) == ("Goffert", "WK026805")
    assert areas["inhabitants"].isna().all()  # these files carry no figures


def test_zipped_shapefiles_in_a_folder(buurten, wijken, tmp_path):
    """CBS ships Shapefiles zipped, in a folder inside the archive."""
    folder = tmp_path / "shape"
    folder.mkdir()
    _old_style(buurten).to_file(folder / "buurt_2015_v3.shp")
    old_wijken = wijken[["wijkcode", "wijknaam", "gemeentecode", "aantal_inwoners", "geometry"]]
    old_wijken = old_wijken.rename(
        columns={"wijkcode": "WK_CODE", "wijknaam": "WK_NAAM", "gemeentecode": "GM_CODE",
                 "aantal_inwoners": "AANT_INW"}
    ).to_crs(28992)  # fmt: skip
    old_wijken.to_file(folder / "wijk_2015_v3.shp")
    archive = tmp_path / "WijkBuurtkaart 2015.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in folder.iterdir():
            zipped.write(file, f"Uitvoer_shape/{file.name}")
    areas = read_cbs_areas(archive)
    assert areas["level"].value_counts().to_dict() == {"buurt": 44, "wijk": 9}
    _check_buurten(areas[areas["level"] == "buurt"])
    assert read_cbs_areas(archive, level="wijk")["inhabitants"].sum() == 187_040

    empty = tmp_path / "leeg.zip"
    with zipfile.ZipFile(empty, "w") as zipped:
        zipped.writestr("lees mij.txt", "niets")
    with pytest.raises(CBSFormatError, match="holds no .shp"):
        read_cbs_areas(empty)


def test_buurten_alone_still_give_wijk_maps(app, runner, client, shared_data):
    """Many people have only the buurt file: its wijken are made by joining their buurten."""
    result = runner.invoke(args=["import-areas", str(shared_data / "nijmegen_buurten.geojson")])
    assert result.exit_code == 0, result.output
    assert "no outline of 9 wijk(en)" in result.output
    wijken = client.get("/api/v1/areas?level=wijk").get_json()["features"]
    assert len(wijken) == 9
    midden = next(f["properties"] for f in wijken if f["properties"]["code"] == "WK026805")
    assert midden["name"] == "Wijk 05 Nijmegen-Midden"  # the buurt file's own wijk name
    assert midden["inhabitants"] == sum(
        f["properties"]["inhabitants"]
        for f in client.get("/api/v1/areas?level=buurt&parent=WK026805").get_json()["features"]
    )
    assert client.get("/wijk/WK026805").status_code == 200
    # The real wijk outlines, imported later, replace the joined ones.
    result = runner.invoke(args=["import-areas", str(shared_data / "nijmegen_wijken.geojson")])
    assert "0 new, 9 updated" in result.output and "no outline" not in result.output
    wijken = client.get("/api/v1/areas?level=wijk").get_json()["features"]
    assert {f["properties"]["name"] for f in wijken} >= {"Nijmegen-Midden"}

"""The comparison page for students: its table agrees with the analysis, sorts, downloads as
CSV, its charts come as SVG and PNG, and the visibility rule holds (pending places only for
the gemeente's professionals; private places coarsened on the small maps)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from lxml import etree
from PIL import Image

from plekken.db import get_session
from plekken.privacy import coarsen
from plekken.services.comparison import compare
from tests.factories import login, make_user, place_data

WIJK = "/wijk/WK026805/vergelijk"
GEMEENTE = "/gemeente/GM0268/vergelijk"
GOFFERT = "BU02680512"


@pytest.fixture
def demo(demo_app):
    demo_app.config["RATE_LIMITS"] = "off"
    return demo_app.test_client()


def rows(client, url: str) -> pd.DataFrame:
    response = client.get(url)
    assert response.status_code == 200
    return pd.read_csv(io.StringIO(response.get_data(as_text=True)), dtype={"code": str})


def test_the_table_agrees_with_the_summary_and_the_coverage(demo):
    table = rows(demo, f"{WIJK}.csv")
    summary = pd.DataFrame(demo.get("/api/v1/analysis/summary?wijk=WK026805").get_json()["records"])
    merged = table.merge(summary, on="code", suffixes=("", "_summary"))
    assert len(merged) == len(table) == len(summary) > 1
    for column in ("n_places", "n_functioneel", "n_verbindend", "n_ideologisch", "diversity"):
        assert (merged[column] - merged[f"{column}_summary"]).abs().max() < 1e-9
    coverage = demo.get("/api/v1/analysis/coverage?wijk=WK026805&type=any").get_json()
    shares = {f["properties"]["code"]: f["properties"]["covered_share"]
              for f in coverage["features"]}  # fmt: skip
    for code, share in zip(table["code"], table["coverage_share"], strict=True):
        assert share == pytest.approx(shares[code], abs=1e-9)
    assert table["coverage_share"].between(0, 1).all() and table["coverage_share"].min() < 1
    assert (table["mean_distance_m"] > 0).all()


def test_the_page_lists_every_buurt_and_sorts_on_a_column(demo):
    html = demo.get(f"{GEMEENTE}?sort=n_places&order=desc").get_data(as_text=True)
    table = rows(demo, f"{GEMEENTE}.csv")
    codes = [part.split('"')[0] for part in html.split('data-code="')[1:]]
    assert sorted(codes) == sorted(table["code"])
    by_code = table.set_index("code")["n_places"]
    counts = [by_code[code] for code in codes]
    assert counts == sorted(counts, reverse=True)
    assert 'aria-sort="descending"' in html
    ascending = demo.get(f"{GEMEENTE}?sort=name").get_data(as_text=True)
    names = [part.split("<")[0] for part in ascending.split('<th scope="row">')[1:]]
    assert names == sorted(names)
    # An unknown column or order keeps the default order: no error for a hand-typed URL.
    assert demo.get(f"{GEMEENTE}?sort=onzin&order=raar").status_code == 200


def test_the_charts_come_as_svg_and_png(demo):
    table = rows(demo, f"{WIJK}.csv")
    for chart in ("typen", "dekking", "kaarten"):
        svg = demo.get(f"{WIJK}/{chart}.svg")
        assert svg.status_code == 200 and svg.content_type == "image/svg+xml"
        root = etree.fromstring(svg.data)
        assert root.tag.endswith("svg")
        png = demo.get(f"{WIJK}/{chart}.png?download=1")
        assert png.headers["Content-Disposition"] == f'attachment; filename="{chart}-WK026805.png"'
        image = Image.open(io.BytesIO(png.data))
        assert image.format == "PNG" and image.width > 600
    text = demo.get(f"{WIJK}/typen.svg").get_data(as_text=True)
    assert all(name in text for name in table["name"])  # the names stay text in the SVG
    assert demo.get(f"{WIJK}/taart.svg").status_code == 404
    assert demo.get(f"{WIJK}/typen.gif").status_code == 404
    assert demo.get("/wijk/WK999999/vergelijk").status_code == 404


def test_pending_places_count_only_for_the_gemeentes_professionals(demo, demo_app):
    before = rows(demo, f"{WIJK}.csv").set_index("code")["n_places"]
    quote = "Een citaat dat nog wacht op goedkeuring."
    response = demo.post("/api/v1/places", json=place_data(lon=5.8633, lat=51.8276, quote=quote))
    assert response.status_code == 201
    assert rows(demo, f"{WIJK}.csv").set_index("code")["n_places"].equals(before)
    assert quote not in demo.get(WIJK).get_data(as_text=True)
    assert demo.get(f"{WIJK}?include_pending=1").status_code == 401
    make_user(demo_app, "elders@example.org", "opbouwwerker", ["GM0363"])
    make_user(demo_app, "hier@example.org", "opbouwwerker", ["GM0268"])
    login(demo, "elders@example.org")
    assert demo.get(f"{WIJK}.csv?include_pending=1").status_code == 403
    other = demo_app.test_client()
    login(other, "hier@example.org")
    counted = rows(other, f"{WIJK}.csv?include_pending=1").set_index("code")["n_places"]
    assert counted.sum() == before.sum() + 1
    page = other.get(f"{WIJK}?include_pending=1").get_data(as_text=True)
    assert 'id="pending-note"' in page and "include_pending=1" in page
    assert quote not in page  # quotes are read by anyone: published places only


def test_private_places_are_coarsened_on_the_small_maps(demo, demo_app):
    demo_app.config["NEW_PLACE_STATUS"] = "published"
    lon, lat = 5.8633, 51.8276
    demo.post("/api/v1/places", json=place_data(lon=lon, lat=lat, private=True, name="Thuis"))
    with demo_app.app_context():
        result = compare(get_session(), wijk="WK026805")
    home = result.places[result.places["name"] == "Thuis"].geometry.iloc[0]
    assert (home.x, home.y) == pytest.approx(coarsen(lon, lat))
    assert (home.x, home.y) != pytest.approx((lon, lat))


def test_the_wijk_page_links_to_the_comparison(demo):
    html = demo.get("/wijk/WK026805").get_data(as_text=True)
    assert f'href="{WIJK}"' in html
    assert 'href="/gemeente/GM0268/vergelijk"' in demo.get("/gemeente/GM0268").get_data(
        as_text=True
    )

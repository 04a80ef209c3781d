"""The printable poster: page size, resolution, a map that is not empty, no text on text,
the built-in symbols as vectors, and the command and the web download that make it."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from plekken.db import get_session
from plekken.maps.poster_text import overlapping_texts
from plekken.maps.vector_symbols import symbol_shapes
from plekken.services.exports import ExportQuery, resolve_scope
from plekken.services.exports.poster import write_poster
from plekken.symbols import ICONS, icon_path

WIJK = "WK026805"
#: Drawing is the same on both backends (tests/test_exports.py reads the data from both).
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
MM_TO_PT = 72 / 25.4


def media_box(pdf: bytes) -> tuple[float, float]:
    found = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return float(found.group(1)), float(found.group(2))


def poster(app, out, **options):
    with app.app_context():
        session = get_session()
        query = ExportQuery(resolve_scope(session, wijk=WIJK))
        return write_poster(session, query, out, **options)


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("size", "orientation", "mm"),
    [("A3", "portrait", (297, 420)), ("A4", "landscape", (297, 210))],
)
def test_the_pdf_has_the_page_size(demo_app, size, orientation, mm):
    out = io.BytesIO()
    figure = poster(demo_app, out, fmt="pdf", size=size, orientation=orientation)
    width, height = media_box(out.getvalue())
    assert width == pytest.approx(mm[0] * MM_TO_PT, abs=0.5)
    assert height == pytest.approx(mm[1] * MM_TO_PT, abs=0.5)
    assert overlapping_texts(figure) == []
    assert b"/Subtype /Image" not in out.getvalue()  # built-in symbols are vectors


@SQLITE_ONLY
def test_the_png_is_300_dpi_with_a_map_and_no_text_on_text(demo_app):
    out = io.BytesIO()
    figure = poster(demo_app, out, fmt="png", size="A4", layer="coverage")
    image = Image.open(io.BytesIO(out.getvalue()))
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.1)
    assert image.size == pytest.approx((2480, 3508), abs=2)
    pixels = np.asarray(image.convert("RGB"))
    middle = pixels[900:2600, 200:2280]
    assert len(np.unique(middle.reshape(-1, 3), axis=0)) > 50  # symbols, areas, colours
    assert overlapping_texts(figure) == []
    texts = [text.get_text() for text in figure.texts]
    assert any(text.startswith("“") for text in texts)  # quotes around the map
    assert any("CBS" in text for text in texts)  # attribution


def test_every_built_in_symbol_has_vector_shapes():
    for key in ICONS:
        shapes = symbol_shapes(icon_path(key))
        assert shapes and shapes[0].fill == "#ffffff", key
        vertices = np.concatenate([shape.path.vertices for shape in shapes])
        assert np.abs(vertices).max() <= 0.5 + 1e-6, key


@SQLITE_ONLY
def test_export_map_command(demo_app, tmp_path):
    out = tmp_path / "poster.pdf"
    args = ["export-map", "--wijk", WIJK, "--format", "pdf", "--size", "A3", "--orientation",
            "landscape", "--layer", "gaps", "--out", str(out)]  # fmt: skip
    result = demo_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert media_box(out.read_bytes()) == pytest.approx((420 * MM_TO_PT, 297 * MM_TO_PT), abs=0.5)


@SQLITE_ONLY
def test_the_wijk_page_offers_the_exports(demo_app):
    client = demo_app.test_client()
    page = client.get(f"/wijk/{WIJK}").get_data(as_text=True)
    assert "Exporteren" in page and f"/wijk/{WIJK}/poster" in page and "format=xlsx" in page
    answer = client.get(f"/wijk/{WIJK}/poster?format=png&size=A4&orientation=portrait")
    assert answer.status_code == 200 and answer.content_type == "image/png"
    assert "attachment" in answer.headers["Content-Disposition"]
    assert client.get(f"/wijk/{WIJK}/poster?format=tiff").status_code == 400
    offline = client.get(f"/wijk/{WIJK}/poster?format=html")
    assert offline.status_code == 200 and offline.content_type.startswith("text/html")
    assert b"plek-marker" in offline.data and b'src="http' not in offline.data
    gemeente = client.get("/gemeente/GM0268").get_data(as_text=True)
    assert "format=gpkg" in gemeente and "/poster" not in gemeente


def test_the_quotes_of_the_most_shared_places_come_first():
    from datetime import datetime

    from plekken.services.exports.poster import _quotes

    def record(place_id, day, quote="Mooi"):
        return {"id": place_id, "quote": quote, "name": f"Plek {place_id}", "lon": 5.8,
                "lat": 51.8, "function_types": ["verbindend"],
                "created_at": datetime(2026, 1, day).isoformat()}  # fmt: skip

    records = [record(1, 1), record(2, 2), record(3, 3), record(4, 4, quote=" ")]
    names = [q[1] for q in _quotes(records, None, 3, {1: 4, 2: 1})]
    assert names == ["Plek 1", "Plek 2", "Plek 3"]  # shared most, then newest; no empty quote
    assert [q[1] for q in _quotes(records, None, 2, {})] == ["Plek 3", "Plek 2"]
    assert [q[1] for q in _quotes(records, [2, 99], 6, {1: 4})] == ["Plek 2"]  # chosen ones

"""Writers of an export, one batch of records at a time: GeoJSON and CSV as chunks of bytes,
XLSX and GeoPackage into a file. None of them holds all places at once.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .codebook import codebook_rows
from .records import COLUMNS, Summary, records_frame

__all__ = ["csv_chunks", "geojson_chunks", "write_geopackage", "write_xlsx"]

Batches = Iterable[list[dict[str, Any]]]
#: CSV cells that spreadsheet programs would run as a formula get a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLACES_LAYER = "plekken: places (EPSG:4326)"
TEXT_COLUMNS = ("name", "quote", "story", "contributor_name", "access_opening_hours",
                "access_notes")  # fmt: skip


def geojson_chunks(batches: Batches, metadata: Callable[[int], dict]) -> Iterator[bytes]:
    """A FeatureCollection (RFC 7946) of the records, feature by feature; ``metadata(count)``
    gives its ``metadata`` member (a foreign member, RFC 7946 section 6.1), written last."""
    yield b'{"type": "FeatureCollection", "features": ['
    count = 0
    for records in batches:
        parts = []
        for record in records:
            properties = {k: v for k, v in record.items() if k not in ("lon", "lat")}
            feature = {
                "type": "Feature", "id": record["id"], "properties": properties,
                "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]},
            }  # fmt: skip
            parts.append(("," if count else "") + json.dumps(feature, ensure_ascii=False))
            count += 1
        if parts:
            yield "\n".join(parts).encode("utf-8")
    tail = json.dumps(metadata(count), ensure_ascii=False)
    yield f'], "metadata": {tail}}}\n'.encode()


def _csv_value(name: str, value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if name in TEXT_COLUMNS and isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_chunks(batches: Batches) -> Iterator[bytes]:
    """The records as CSV, UTF-8 with a byte order mark (so Excel reads the accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for records in batches:
        for record in records:
            writer.writerow([_csv_value(name, record[name]) for name in COLUMNS])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _cell(sheet, value: Any, bold: bool = False) -> Any:
    """A value for a write-only sheet: plain where possible (fast); a text cell where the
    text would otherwise be read as a formula; bold for headers."""
    if isinstance(value, list):
        value = ";".join(value)
    if value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not (bold or value.startswith("=")):
            return value
    elif not bold:
        return value
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold:
        cell.font = Font(bold=True)
    return cell


def _rows(sheet, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    sheet.append([_cell(sheet, name, bold=True) for name in header])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])


def write_xlsx(
    path: Path, batches: Batches, buurten: pd.DataFrame, metadata: Callable[[int], dict],
    lang: str = "nl",
) -> int:  # fmt: skip
    """A workbook with the sheets ``places``, ``buurten`` (a summary per buurt) and
    ``codebook``, written row by row (openpyxl's write-only mode). Returns the place count."""
    book = Workbook(write_only=True)
    places, per_buurt, codebook = (book.create_sheet(n) for n in ("places", "buurten", "codebook"))
    summary, count = Summary(), 0
    places.append([_cell(places, name, bold=True) for name in COLUMNS])
    for records in batches:
        summary.add(records)
        count += len(records)
        for record in records:
            places.append([_cell(places, record[name]) for name in COLUMNS])
    table = summary.table(buurten)
    _rows(per_buurt, list(table.columns), table.itertuples(index=False))
    _rows(codebook, ["section", "name", "text"], codebook_rows(metadata(count), lang))
    book.save(path)
    return count


def _write_layer(path: Path, frame: pd.DataFrame, layer: str, description: str, **options):
    pyogrio.write_dataframe(
        frame, path, layer=layer, driver="GPKG",
        layer_options={"DESCRIPTION": description}, **options,
    )  # fmt: skip


def _places_frame(records: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    frame = records_frame(records)
    points = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=points)


def write_geopackage(
    path: Path,
    batches: Batches,
    areas: Mapping[str, gpd.GeoDataFrame],
    metadata: Callable[[int], dict],
    analysis: Mapping[str, pd.DataFrame] | None = None,
    lang: str = "nl",
) -> tuple[int, list[str]]:
    """A GeoPackage with the layers ``places`` (appended batch by batch), the ``areas``
    (``buurten``, ``wijken``), the ``analysis`` layers, and the tables ``codebook`` and
    ``metadata``. Returns the place count and the layer names."""
    path.unlink(missing_ok=True)
    count = 0
    for records in batches:
        if records:
            append = {"append": True} if count else {}
            _write_layer(path, _places_frame(records), "places", PLACES_LAYER, **append)
            count += len(records)
    if not count:
        _write_layer(path, _places_frame([]), "places", PLACES_LAYER, geometry_type="Point")
    layers = ["places"]
    for name, frame in {**areas, **(analysis or {})}.items():
        options = {"promote_to_multi": True}
        if frame.empty:
            options["geometry_type"] = "MultiPolygon"
        _write_layer(path, frame, name, f"plekken {name} (EPSG:4326)", **options)
        layers.append(name)
    meta = metadata(count)
    book = pd.DataFrame(codebook_rows(meta, lang), columns=["section", "name", "text"])
    pyogrio.write_dataframe(book, path, layer="codebook", driver="GPKG")
    table = pd.DataFrame(
        [(k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items()], columns=["key", "value"]
    )
    pyogrio.write_dataframe(table, path, layer="metadata", driver="GPKG")
    return count, [*layers, "codebook", "metadata"]

"""Exports of the places of a wijk or gemeente that people hand on: GeoJSON, GeoPackage, CSV
and XLSX, with a codebook, and the symbols in a ZIP when asked.

Flask-free. Places pass in batches (:func:`plekken.storage.iter_places`), so memory stays
bounded however many there are: GeoJSON and CSV come as chunks of bytes
(:func:`iter_export`), the others are written into a file (:func:`write_export`).
What an export shows is what the visibility rule lets the viewer see
(:mod:`plekken.services.exports.records`).

Example
-------
>>> query = ExportQuery(resolve_scope(session, wijk="WK026805"))  # doctest: +SKIP
>>> write_export(session, PUBLIC, query, "gpkg", Path("bottendaal.gpkg"))  # doctest: +SKIP
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
from sqlalchemy.orm import Session

from ... import storage
from ...errors import NotFoundError
from ...symbols import SYMBOLS_DIR
from .. import analysis as analysis_service
from ..scope import resolve_scope
from ..visibility import Viewer, visible_symbol
from .codebook import codebook_markdown
from .records import SYMBOL_FOLDER, ExportQuery, export_metadata, iter_records
from .writers import csv_chunks, geojson_chunks, write_geopackage, write_xlsx

__all__ = [
    "FORMATS",
    "STREAMED",
    "ZIP_TYPE",
    "ExportQuery",
    "export_filename",
    "iter_export",
    "resolve_scope",
    "write_export",
]

#: format -> (media type, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "geojson": ("application/geo+json", "geojson"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "gpkg": ("application/geopackage+sqlite3", "gpkg"),
}
ZIP_TYPE = "application/zip"
STREAMED = ("geojson", "csv")


def export_filename(query: ExportQuery, fmt: str, with_images: bool = False) -> str:
    """``plekken-<code>[-<buurt>].<ext>`` (``.zip`` with the symbols)."""
    name = "-".join(part for part in ("plekken", query.scope.code, query.buurt) if part)
    return f"{name}.{'zip' if with_images else FORMATS[fmt][1]}"


class _SymbolTracker:
    """Passes batches of records on and remembers the symbol files they name."""

    def __init__(self, batches) -> None:
        self.batches, self.files = batches, set()

    def __iter__(self):
        for records in self.batches:
            self.files.update(record["symbol_file"] for record in records)
            yield records


def iter_export(
    session: Session, viewer: Viewer, query: ExportQuery, fmt: str, batch: int = 1000
) -> Iterator[bytes]:
    """GeoJSON or CSV of the places, chunk by chunk."""
    batches = iter_records(session, viewer, query, batch)
    if fmt == "csv":
        return csv_chunks(batches)
    return geojson_chunks(batches, lambda count: export_metadata(query, viewer, count))


def _areas(session: Session, query: ExportQuery) -> dict[str, gpd.GeoDataFrame]:
    scope = query.scope
    if scope.kind == "gemeente":
        return {
            "buurten": storage.areas_frame(session, level="buurt", gemeente=scope.code),
            "wijken": storage.areas_frame(session, level="wijk", gemeente=scope.code),
        }
    return {
        "buurten": storage.areas_frame(session, level="buurt", parent=scope.code),
        "wijken": storage.areas_frame(session, level="wijk", codes=[scope.code]),
    }


def _analysis_layers(session: Session, query: ExportQuery) -> dict[str, gpd.GeoDataFrame]:
    """Coverage (400 and 800 m) per buurt and the gaps in reach of a verbindend place."""
    scope = {query.scope.kind: query.scope.code, "lang": query.lang}
    coverage = analysis_service.coverage_result(session, distances=(400, 800), **scope)
    gaps = analysis_service.gaps_result(session, distance=400.0, **scope)
    return {"analysis_coverage": coverage.frame, "analysis_gaps": gaps.frame}


def _write_data(session, viewer, query, fmt, path: Path, batches, with_analysis: bool) -> int:
    def metadata(count: int) -> dict:
        return export_metadata(query, viewer, count)

    if fmt == "gpkg":
        layers = _analysis_layers(session, query) if with_analysis else None
        count, _ = write_geopackage(path, batches, _areas(session, query), metadata, layers,
                                    query.lang)  # fmt: skip
        return count
    if fmt == "xlsx":
        return write_xlsx(path, batches, _areas(session, query)["buurten"], metadata, query.lang)
    counter = _Counter(batches)
    chunks = csv_chunks(counter) if fmt == "csv" else geojson_chunks(counter, metadata)
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    return counter.count


class _Counter:
    def __init__(self, batches) -> None:
        self.batches, self.count = batches, 0

    def __iter__(self):
        for records in self.batches:
            self.count += len(records)
            yield records


def _symbol_bytes(session: Session, viewer: Viewer, file: str) -> bytes | None:
    name = file.rsplit("/", 1)[-1]
    if name.endswith(".svg"):
        path = SYMBOLS_DIR / name
        return path.read_bytes() if path.is_file() else None
    try:
        return visible_symbol(session, viewer, name.removesuffix(".png"))
    except NotFoundError:
        return None


def write_export(
    session: Session,
    viewer: Viewer,
    query: ExportQuery,
    fmt: str,
    path: Path,
    *,
    with_images: bool = False,
    with_analysis: bool = False,
) -> int:
    """Write the export to ``path``; with ``with_images`` a ZIP holding the data file,
    ``codebook.md`` and the symbols (``symbols/``). Returns the number of places.

    ``with_analysis`` adds the analysis layers to a GeoPackage.
    """
    batches = _SymbolTracker(iter_records(session, viewer, query))
    if not with_images:
        return _write_data(session, viewer, query, fmt, path, batches, with_analysis)
    folder = Path(tempfile.mkdtemp(prefix="plekken-export-"))
    try:
        data = folder / export_filename(query, fmt)
        count = _write_data(session, viewer, query, fmt, data, batches, with_analysis)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(data, data.name)
            markdown = codebook_markdown(export_metadata(query, viewer, count), query.lang)
            archive.writestr("codebook.md", markdown)
            for file in sorted(batches.files):
                content = _symbol_bytes(session, viewer, file)
                if content is not None:
                    archive.writestr(f"{SYMBOL_FOLDER}/{file.rsplit('/', 1)[-1]}", content)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return count

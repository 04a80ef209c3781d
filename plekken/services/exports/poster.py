"""The printable poster of a wijk: what it shows, gathered from storage through the visibility
rule (public content only: a poster hangs on a wall), drawn by :mod:`plekken.maps.poster`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import IO

import geopandas as gpd
import pandas as pd
from sqlalchemy.orm import Session

from ... import storage
from ...errors import NotFoundError, ValidationError
from ...i18n import gettext
from ...maps.poster import PAGE_SIZES, PosterContent, render_poster
from ...vocab import FUNCTION_TYPE_COLOURS, FUNCTION_TYPES, label
from .. import analysis as analysis_service
from ..visibility import PUBLIC, visible_symbol
from .records import OWN_IMAGE, ExportQuery, iter_records

__all__ = [
    "LAYERS",
    "MAP_FORMATS",
    "offline_html",
    "ORIENTATIONS",
    "SHAPES",
    "poster_content",
    "write_poster",
]

MAP_FORMATS = ("pdf", "png", "html")
ORIENTATIONS = ("portrait", "landscape")
LAYERS = ("coverage", "gaps")
#: The shape of each function type in the web map's legend (colour is never the only cue).
SHAPES = {"functioneel": "square", "verbindend": "circle", "ideologisch": "triangle"}
#: Quotes around the map, by page size.
QUOTES = {"A4": 6, "A3": 8}
LAYER_DISTANCE = 400.0


def _places(session: Session, query: ExportQuery) -> tuple[gpd.GeoDataFrame, list[dict]]:
    records = [record for batch in iter_records(session, PUBLIC, query) for record in batch]
    pngs = {}
    for record in records:
        if record["symbol"] == OWN_IMAGE:
            key = record["symbol_file"].rsplit("/", 1)[-1].removesuffix(".png")
            try:
                pngs[record["id"]] = visible_symbol(session, PUBLIC, key)
            except NotFoundError:
                pngs[record["id"]] = None
    frame = pd.DataFrame(
        {
            "function_types": [r["function_types"] for r in records],
            "symbol_icon": [None if r["symbol"] == OWN_IMAGE else r["symbol"] for r in records],
            "symbol_png": [pngs.get(r["id"]) for r in records],
        }
    )
    points = gpd.points_from_xy([r["lon"] for r in records], [r["lat"] for r in records])
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326"), records


def _quotes(
    records: list[dict], chosen: list[int] | None, count: int, endorsed: dict[int, int]
) -> list[tuple]:
    """Quotes the opbouwwerker chose (by place id), else those of the places most residents
    share ("ook voor mij"), then the most recent ones."""
    with_quote = [r for r in records if (r["quote"] or "").strip()]
    if chosen:
        by_id = {r["id"]: r for r in with_quote}
        picked = [by_id[i] for i in chosen if i in by_id]
    else:
        picked = sorted(
            with_quote,
            key=lambda r: (endorsed.get(r["id"], 0), r["created_at"], r["id"]),
            reverse=True,
        )
    return [
        (r["quote"].strip(), r["name"], r["lon"], r["lat"], (r["function_types"] or [""])[0])
        for r in picked[:count]
    ]


def _layer(session: Session, wijk: str, layer: str | None, types, lang: str):
    """The analysis layer: coverage per buurt (``value``: the share of land within reach) or
    the gaps; with its legend text."""
    if layer is None:
        return None, ""
    kind = types[0] if types else None
    if layer == "coverage":
        result = analysis_service.coverage_result(
            session, wijk=wijk, distances=(LAYER_DISTANCE,), types=[kind or "any"], lang=lang
        )
        frame = result.frame[result.frame["function_type"] == (kind or "any")]
        frame = frame.assign(value=frame["covered_share"])[["value", "geometry"]]
        text = gettext("Deel binnen {m} m van een plek", lang, m=int(LAYER_DISTANCE))
        return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326"), text
    kind = kind or "verbindend"
    result = analysis_service.gaps_result(
        session, wijk=wijk, distance=LAYER_DISTANCE, function_type=kind, lang=lang
    )
    text = gettext("Verder dan {m} m van een plek van het type {type}", lang,
                   m=int(LAYER_DISTANCE), type=label(FUNCTION_TYPES, kind, lang))  # fmt: skip
    return result.frame[["geometry"]], text


def poster_content(
    session: Session, query: ExportQuery, *, layer: str | None = None,
    quotes: list[int] | None = None, size: str = "A4",
) -> PosterContent:  # fmt: skip
    """What the poster of the query's wijk shows (public content only)."""
    scope, lang = query.scope, query.lang
    if scope.kind != "wijk":
        raise ValidationError({"wijk": gettext("Een poster is er per wijk.", lang)})
    outline = storage.areas_frame(session, codes=[scope.code])
    buurten = storage.areas_frame(session, level="buurt", parent=scope.code)
    buurten = buurten[~buurten["is_water"].astype(bool)].reset_index(drop=True)
    if outline.empty:
        outline = gpd.GeoDataFrame(geometry=[buurten.union_all()], crs="EPSG:4326")
    places, records = _places(session, query)
    endorsed = storage.endorsement_counts(session, [r["id"] for r in records])
    frame, layer_label = _layer(session, scope.code, layer, query.types, lang)
    today = datetime.now(UTC).date().isoformat()
    subtitle = gettext("Plekken die ertoe doen · {n} plekken · {day}", lang, n=len(records),
                       day=today)  # fmt: skip
    attribution = gettext(
        "Grenzen: CBS Wijk- en buurtkaart (CBS, Kadaster), CC-BY 4.0 · Plekken, citaten en "
        "symbolen: bewoners van de wijk via plekken {version} · privéplekken op 250 m",
        lang, version=version("plekken"),
    )  # fmt: skip
    types = [(key, label(FUNCTION_TYPES, key, lang), FUNCTION_TYPE_COLOURS[key], SHAPES[key])
             for key in FUNCTION_TYPES]  # fmt: skip
    return PosterContent(
        title=scope.name or scope.code, subtitle=subtitle, outline=outline, buurten=buurten,
        places=places, types=types, attribution=attribution,
        quotes=_quotes(records, quotes, QUOTES.get(size, 6), endorsed), layer=frame,
        layer_label=layer_label, own_symbol_label=gettext("Eigen tekening of foto", lang),
        legend_title=gettext("Functietype: de kleur van de ring om het symbool", lang),
        records=records,
    )  # fmt: skip


def write_poster(
    session: Session, query: ExportQuery, out: str | Path | IO[bytes], *, fmt: str = "pdf",
    size: str = "A4", orientation: str = "portrait", layer: str | None = None,
    quotes: list[int] | None = None,
):  # fmt: skip
    """Draw the poster of the query's wijk to ``out`` (PDF or 300 dpi PNG); returns the
    figure."""
    if fmt not in ("pdf", "png") or size not in PAGE_SIZES or orientation not in ORIENTATIONS:
        raise ValidationError({"format": "pdf, png"})
    content = poster_content(session, query, layer=layer, quotes=quotes, size=size)
    return render_poster(content, out, fmt, size, orientation)


def offline_html(session: Session, query: ExportQuery, *, layer: str | None = None,
                 tile_layers=()) -> str:  # fmt: skip
    """The wijk map as one HTML file that works offline (public content only)."""
    from ...maps.offline_html import OfflinePlace, offline_map_html

    content = poster_content(session, query, layer=layer)
    places = [
        OfflinePlace(row.geometry.x, row.geometry.y, record["name"], record["quote"] or "",
                     list(row.function_types), row.symbol_icon, row.symbol_png)
        for row, record in zip(content.places.itertuples(), content.records, strict=True)
    ]  # fmt: skip
    types = [(key, text, colour) for key, text, colour, _shape in content.types]
    labels = {"buurten": gettext("Buurten", query.lang), "namen": gettext("Buurtnamen", query.lang)}
    return offline_map_html(
        content.outline, content.buurten, places, types, title=content.title,
        tile_layers=tile_layers, layer=content.layer, layer_label=content.layer_label,
        labels=labels,
    )  # fmt: skip

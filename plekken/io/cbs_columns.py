"""Column names, codes and geometry of CBS area files: one frame shape out of many editions.

:func:`normalise` turns one layer of a CBS file, as GDAL reads it, into rows with our columns
(see :data:`OUTPUT_COLUMNS`); :mod:`plekken.io.cbs` decides which files and layers to read
and which areas to keep.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = [
    "AGE_ALIASES", "CBSFormatError", "COLUMN_ALIASES", "LEVELS", "OUTPUT_COLUMNS", "normalise",
    "polygon_part",
]  # fmt: skip

#: Area levels from coarse to fine.
LEVELS = ("gemeente", "wijk", "buurt")

#: Our column → the names CBS used for it over the editions (compared case-insensitively).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "buurt_code": ("buurtcode", "bu_code", "code_buurt"),  # also statcode, see STATCODE
    "buurt_name": ("buurtnaam", "bu_naam", "naam_buurt"),
    "wijk_code": ("wijkcode", "wk_code", "code_wijk"),
    "wijk_name": ("wijknaam", "wk_naam", "naam_wijk", "wijknaam_2015"),
    "gemeente_code": ("gemeentecode", "gm_code", "code_gemeente"),
    "gemeente_name": ("gemeentenaam", "gm_naam", "naam_gemeente"),
    "inhabitants": ("aantal_inwoners", "aant_inw", "aantalinwoners", "inwoners"),
    "land_ha": ("oppervlakte_land_in_ha", "opp_land", "opp_land_ha", "oppervlakte_land"),
    "water_ha": ("oppervlakte_water_in_ha", "opp_water", "opp_water_ha", "oppervlakte_water"),
    "water_flag": ("water",),
}

#: Age group → the CBS names of its count (newer files) and of its percentage of the
#: inhabitants (older files, and this project's test extracts), compared case-insensitively.
AGE_ALIASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "age_00_14": (("a_00_14", "aantal_personen_0_tot_15_jaar"),
                  ("p_00_14_jr", "pct_0_14", "percentage_personen_0_tot_15_jaar")),
    "age_15_24": (("a_15_24", "aantal_personen_15_tot_25_jaar"),
                  ("p_15_24_jr", "pct_15_24", "percentage_personen_15_tot_25_jaar")),
    "age_25_44": (("a_25_44", "aantal_personen_25_tot_45_jaar"),
                  ("p_25_44_jr", "pct_25_44", "percentage_personen_25_tot_45_jaar")),
    "age_45_64": (("a_45_64", "aantal_personen_45_tot_65_jaar"),
                  ("p_45_64_jr", "pct_45_64", "percentage_personen_45_tot_65_jaar")),
    "age_65_plus": (("a_65_eo", "aantal_personen_65_jaar_en_ouder"),
                    ("p_65_eo_jr", "pct_65plus", "percentage_personen_65_jaar_en_ouder")),
}  # fmt: skip
AGE_COLUMNS = list(AGE_ALIASES)

_CODE_PREFIX = {"gemeente": ("GM", 4), "wijk": ("WK", 6), "buurt": ("BU", 8)}
_LEVEL_BY_LAYER = {"gemeenten": "gemeente", "wijken": "wijk", "buurten": "buurt"}
OUTPUT_COLUMNS = [
    "code", "name", "level", "parent_code", "gemeente_code", "gemeente_name",
    "inhabitants", *AGE_COLUMNS, "land_area_m2", "water_area_m2", "is_water", "wijk_name",
    "geometry",
]  # fmt: skip


class CBSFormatError(ValueError):
    """The file is not a CBS wijk/buurt file we can read; the message says why."""


def _find(columns: Iterable[str], key: str) -> str | None:
    lower = {c.lower(): c for c in columns}
    for alias in COLUMN_ALIASES[key]:
        if alias in lower:
            return lower[alias]
    return None


def _detect_level(frame: pd.DataFrame, layer: str | None) -> str | None:
    if layer is not None:
        hinted = _LEVEL_BY_LAYER.get(layer.lower().split("_")[-1])
        if hinted and _find(frame.columns, f"{hinted}_code"):
            return hinted
    for candidate in reversed(LEVELS):
        if _find(frame.columns, f"{candidate}_code"):
            return candidate
    return None


def _format_hint(frame: pd.DataFrame, where: str) -> str:
    found = [c for c in frame.columns if c != frame.geometry.name] if len(frame.columns) else []
    need = "; ".join(
        f"{lvl}en: {' or '.join(COLUMN_ALIASES[f'{lvl}_code'][:2])}"
        if lvl != "buurt"
        else f"buurten: {' or '.join(COLUMN_ALIASES['buurt_code'][:2])}"
        for lvl in LEVELS
    )
    return (
        f"{where}: no CBS area code column. Found columns: {', '.join(found) or '(none)'}. "
        f"Needed a code column for {need} (names are matched case-insensitively)."
    )


# ------------------------------------------------------------------ normalising


#: The CBS *gebiedsindelingen* files name every area by one code and name column.
STATCODE = ("statcode", "statnaam")
_LEVEL_BY_PREFIX = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}


def _split_statcode(raw: gpd.GeoDataFrame) -> list[gpd.GeoDataFrame] | None:
    """Rows of a ``statcode``/``statnaam`` file as frames with the usual column names."""
    lower = {c.lower(): c for c in raw.columns}
    if STATCODE[0] not in lower or _detect_level(raw, None):
        return None
    code = raw[lower[STATCODE[0]]].astype("string").str.strip().str.upper()
    parts = []
    for prefix, level in _LEVEL_BY_PREFIX.items():
        rows = raw[code.str.startswith(prefix).fillna(False).to_numpy()]
        if rows.empty:
            continue
        renamed = {lower[STATCODE[0]]: f"{level}code"}
        if STATCODE[1] in lower:
            renamed[lower[STATCODE[1]]] = f"{level}naam"
        parts.append(rows.rename(columns=renamed))
    return parts


def normalise(raw: gpd.GeoDataFrame, label: str, layer: str | None) -> pd.DataFrame:
    """One layer of a CBS file (``label`` names it in messages) as rows of our columns."""
    where = label + (f" layer {layer!r}" if layer else "")
    if not isinstance(raw, gpd.GeoDataFrame) or raw.geometry.name not in raw.columns:
        raise CBSFormatError(f"{where}: has no geometry")
    parts = _split_statcode(raw)
    if parts:
        return pd.concat([normalise(part, label, layer) for part in parts], ignore_index=True)
    level = _detect_level(raw, layer)
    if level is None:
        raise CBSFormatError(_format_hint(raw, where))
    frame = _to_wgs84(_polygons(raw, where), where)
    cols = {key: _find(frame.columns, key) for key in COLUMN_ALIASES}

    code = _normalise_codes(frame[cols[f"{level}_code"]], level)
    out = pd.DataFrame(index=frame.index)
    out["code"] = code
    out["level"] = level
    name_col = cols[f"{level}_name"]
    names = _text(frame[name_col]) if name_col else pd.Series(pd.NA, index=frame.index)
    out["name"] = names.fillna(code)

    gm = (
        _normalise_codes(frame[cols["gemeente_code"]], "gemeente")
        if cols["gemeente_code"]
        else pd.Series(pd.NA, index=frame.index, dtype=object)
    )
    out["gemeente_code"] = gm.fillna(code.map(lambda c: _derive(c, "gemeente")))
    out["gemeente_name"] = _text(frame[cols["gemeente_name"]]) if cols["gemeente_name"] else pd.NA
    if level == "gemeente":
        out["gemeente_code"] = code
        out["gemeente_name"] = out["gemeente_name"].fillna(out["name"])
        out["parent_code"] = pd.NA
    elif level == "wijk":
        out["parent_code"] = out["gemeente_code"]
    else:
        wk = (
            _normalise_codes(frame[cols["wijk_code"]], "wijk")
            if cols["wijk_code"]
            else pd.Series(pd.NA, index=frame.index, dtype=object)
        )
        out["parent_code"] = wk.fillna(code.map(lambda c: _derive(c, "wijk")))
    out["wijk_name"] = (
        _text(frame[cols["wijk_name"]]) if cols["wijk_name"] and level == "buurt" else pd.NA
    )
    out["inhabitants"] = _count(frame, cols["inhabitants"])
    for column, (counts, shares) in AGE_ALIASES.items():
        out[column] = _age_group(frame, counts, shares, out["inhabitants"])
    out["land_area_m2"] = _numbers(frame, cols["land_ha"]) * 10_000  # CBS gives hectares
    out["water_area_m2"] = _numbers(frame, cols["water_ha"]) * 10_000
    if cols["water_flag"]:
        out["is_water"] = _text(frame[cols["water_flag"]]).str.upper().isin(["JA", "J", "YES"])
    else:
        out["is_water"] = False
    out["geometry"] = frame.geometry.to_numpy()
    missing = out["code"].isna()
    if missing.all():
        raise CBSFormatError(f"{where}: the {level} code column is empty")
    return out[~missing]


def _polygons(frame: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    geoms = shapely.force_2d(frame.geometry.to_numpy())
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    frame = frame[present].copy()
    geoms = geoms[present]
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    # Keep only the polygonal parts (make_valid may leave lines or points next to them).
    polygonal = [polygon_part(g) for g in geoms]
    if all(p is None for p in polygonal):
        found = sorted({shapely.get_type_id(g) for g in geoms}) if len(geoms) else []
        raise CBSFormatError(
            f"{where}: needs polygon boundaries, found geometry type ids {found or 'none'}"
        )
    frame = frame.set_geometry(gpd.GeoSeries(polygonal, index=frame.index, crs=frame.crs))
    return frame[frame.geometry.notna()]


def polygon_part(geom) -> shapely.MultiPolygon | None:
    if geom is None:
        return None
    if isinstance(geom, shapely.MultiPolygon):
        return geom
    if isinstance(geom, shapely.Polygon):
        return shapely.MultiPolygon([geom])
    if isinstance(geom, shapely.GeometryCollection):
        parts = [p for g in geom.geoms for p in getattr(polygon_part(g), "geoms", [])]
        return shapely.MultiPolygon(parts) if parts else None
    return None


def _to_wgs84(frame: gpd.GeoDataFrame, where: str) -> gpd.GeoDataFrame:
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90:
            frame = frame.set_crs(4326)
        elif minx >= -7_000 and maxx <= 300_000 and miny >= 289_000 and maxy <= 629_000:
            frame = frame.set_crs(28992)
        else:
            raise CBSFormatError(
                f"{where}: has no coordinate reference system and its coordinates fit neither "
                "EPSG:4326 nor EPSG:28992; add a .prj file or re-export it with its CRS"
            )
    return frame.to_crs(4326)


def _text(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.mask(text == "").astype(object)


def _normalise_codes(values: pd.Series, level: str) -> pd.Series:
    return _text(values).map(lambda v: _code(v, level) if isinstance(v, str) else pd.NA)


def _code(value: str, level: str) -> str:
    prefix, digits = _CODE_PREFIX[level]
    value = value.strip().upper()
    if re.fullmatch(r"\d+(\.0)?", value):
        return prefix + value.split(".")[0].zfill(digits)
    return value


def _derive(code, level: str):
    """The gemeente or wijk code that a finer CBS code is built on (BU02680512 → WK026805)."""
    if not isinstance(code, str):
        return pd.NA
    match = re.fullmatch(r"(?:WK|BU)(\d{4})(\d{2})?(\d{2})?", code)
    if not match:
        return pd.NA
    if level == "gemeente":
        return "GM" + match.group(1)
    if level == "wijk" and match.group(2):
        return "WK" + match.group(1) + match.group(2)
    return pd.NA


def _numbers(frame: pd.DataFrame, column: str | None) -> pd.Series:
    if column is None:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    values = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return values.mask(values < 0)  # CBS secret / unknown codes


def _count(frame: pd.DataFrame, column: str | None) -> pd.Series:
    return _numbers(frame, column).round().astype("Int64")


def _column(columns: Iterable[str], aliases: tuple[str, ...]) -> str | None:
    lower = {c.lower(): c for c in columns}
    return next((lower[alias] for alias in aliases if alias in lower), None)


def _age_group(frame, counts: tuple, shares: tuple, inhabitants: pd.Series) -> pd.Series:
    """Inhabitants of one age group: the file's count, or its percentage of the inhabitants."""
    column = _column(frame.columns, counts)
    if column is not None:
        return _count(frame, column)
    percent = _numbers(frame, _column(frame.columns, shares))
    return (percent / 100 * inhabitants.astype("float64")).round().astype("Int64")

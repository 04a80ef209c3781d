"""Read CBS wijk- en buurtkaart boundaries in the shapes people actually have.

The CBS publishes the *Wijk- en buurtkaart* every year as GeoPackage (one layer each for
gemeenten, wijken and buurten) and, in older editions, as Shapefiles; others pass it on as
GeoJSON. Column names changed over the years: recent editions write ``buurtcode``,
``wijknaam``, ``aantal_inwoners``, older ones ``BU_CODE``, ``WK_NAAM``, ``AANT_INW``. Files come
in EPSG:28992 (RD New) or EPSG:4326. :func:`read_cbs_areas` reads any of these into one frame
shaped for :func:`plekken.storage.upsert_areas`.

CBS marks secret or unknown figures with negative numbers (``-99999999``, ``-99999997``,
``-99995`` ...); they become missing values, never negative inhabitants.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

__all__ = ["CBSFormatError", "read_cbs_areas", "missing_wijken", "LEVELS", "COLUMN_ALIASES"]

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

_ZIPPED_GIS = (".shp", ".gpkg", ".geojson", ".json")
_CODE_PREFIX = {"gemeente": ("GM", 4), "wijk": ("WK", 6), "buurt": ("BU", 8)}
_LEVEL_BY_LAYER = {"gemeenten": "gemeente", "wijken": "wijk", "buurten": "buurt"}
OUTPUT_COLUMNS = [
    "code", "name", "level", "parent_code", "gemeente_code", "gemeente_name",
    "inhabitants", "land_area_m2", "water_area_m2", "is_water", "wijk_name", "geometry",
]  # fmt: skip


class CBSFormatError(ValueError):
    """The file is not a CBS wijk/buurt file we can read; the message says why."""


# ------------------------------------------------------------------ public entry


def read_cbs_areas(
    path: str | Path,
    gemeente: str | Iterable[str] | None = None,
    level: str = "auto",
    layer: str | None = None,
) -> gpd.GeoDataFrame:
    """Read CBS gemeente/wijk/buurt boundaries from a GeoPackage, Shapefile or GeoJSON.

    Parameters
    ----------
    path
        The file. A GeoPackage may hold several layers (``gemeenten``, ``wijken``,
        ``buurten``); without ``layer`` every layer that looks like CBS areas is read.
    gemeente
        Keep only this gemeente (or these): a code (``GM0268``, ``0268``, ``268``) or a name
        (``Nijmegen``, case-insensitive).
    level
        ``"auto"`` keeps each layer's own level. ``"gemeente"``, ``"wijk"`` or ``"buurt"`` keeps
        that level only; asking a coarser level than a file holds dissolves the finer areas
        (buurten into wijken, inhabitants summed).
    layer
        One layer of a multi-layer file.

    Returns
    -------
    GeoDataFrame in EPSG:4326 with ``code``, ``name``, ``level``, ``parent_code``,
    ``gemeente_code``, ``gemeente_name``, ``inhabitants`` (nullable Int64),
    ``land_area_m2``, ``water_area_m2`` (from the CBS area columns, NaN when absent),
    ``is_water`` and MultiPolygon geometry.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> feature = {"type": "Feature", "properties": {"WK_CODE": "WK026805",
    ...     "WK_NAAM": "Nijmegen-Midden", "GM_CODE": "GM0268", "AANT_INW": -99999999},
    ...     "geometry": {"type": "Polygon", "coordinates": [[[5.83, 51.82], [5.85, 51.82],
    ...     [5.85, 51.83], [5.83, 51.82]]]}}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "wijken.geojson"
    >>> _ = path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    >>> areas = read_cbs_areas(path)
    >>> areas[["code", "level", "parent_code"]].to_dict("records")
    [{'code': 'WK026805', 'level': 'wijk', 'parent_code': 'GM0268'}]
    >>> areas["inhabitants"].isna().all()  # -99999999 is CBS's "secret", not a count
    np.True_
    """
    path = Path(path)
    if level != "auto" and level not in LEVELS:
        raise CBSFormatError(f"level must be auto, {', '.join(LEVELS)}; got {level!r}")
    if not path.exists():
        raise CBSFormatError(f"{path}: file not found")
    frames = []
    problems = []
    sources = _sources(path)
    for uri, label in sources:
        for name in _layers(uri, label, layer):
            raw = _read_layer(uri, label, name)
            try:
                frames.append(_normalise(raw, label, name))
            except CBSFormatError as exc:
                if layer is not None or (name is None and len(sources) == 1):
                    raise
                problems.append(str(exc))
    if not frames:
        raise CBSFormatError(f"{path.name}: no layer with CBS areas. " + " ".join(problems))
    areas = pd.concat(frames, ignore_index=True)
    if gemeente is not None:
        areas = _filter_gemeente(areas, gemeente, path)
    if level != "auto":
        areas = _at_level(areas, level, path)
    areas = _dissolve_duplicates(areas)
    result = gpd.GeoDataFrame(areas[OUTPUT_COLUMNS], geometry="geometry", crs=4326)
    order = result["level"].map({lvl: i for i, lvl in enumerate(LEVELS)})
    return (
        result.assign(_o=order)
        .sort_values(["_o", "code"])
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def missing_wijken(areas: gpd.GeoDataFrame, known: Iterable[str] = ()) -> gpd.GeoDataFrame:
    """Wijken dissolved from buurten whose wijk is neither in ``areas`` nor in ``known``.

    CBS buurt files name the wijk of every buurt, but people often have only the buurt file;
    the wijk map needs the wijk. The outline is the union of its buurten, the inhabitants
    their sum, the name the file's wijk name or "Wijk 05". Importing the real wijk file later
    replaces them (same codes).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> buurten = gpd.GeoDataFrame({"code": ["BU02680510", "BU02680511"], "name": ["A", "B"],
    ...     "level": "buurt", "parent_code": "WK026805", "gemeente_code": "GM0268",
    ...     "gemeente_name": "Nijmegen", "inhabitants": pd.array([10, 20], dtype="Int64"),
    ...     "land_area_m2": float("nan"), "water_area_m2": float("nan"), "is_water": False,
    ...     "wijk_name": pd.NA}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326)
    >>> missing_wijken(buurten)[["code", "name", "inhabitants"]].to_dict("records")
    [{'code': 'WK026805', 'name': 'Wijk 05', 'inhabitants': 30}]
    """
    have = set(areas["code"]) | set(known)
    buurten = areas[(areas["level"] == "buurt") & areas["parent_code"].notna()]
    buurten = buurten[~buurten["parent_code"].isin(have)]
    if buurten.empty:
        return gpd.GeoDataFrame(columns=OUTPUT_COLUMNS, geometry="geometry", crs=4326)
    wijken = _dissolve_to(pd.DataFrame(buurten), "wijk")
    return gpd.GeoDataFrame(wijken[OUTPUT_COLUMNS], geometry="geometry", crs=4326)


# ------------------------------------------------------------------ reading


def _sources(path: Path) -> list[tuple[str, str]]:
    """``(uri, label)`` of each GIS file to read: the file, or the GIS files in a ZIP archive.

    CBS ships its Shapefiles zipped, often in a folder inside the archive.
    """
    if path.suffix.lower() != ".zip":
        return [(str(path), path.name)]
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(_ZIPPED_GIS)]
    except zipfile.BadZipFile as exc:
        raise CBSFormatError(f"{path.name}: not a readable ZIP archive ({exc})") from exc
    if not members:
        raise CBSFormatError(f"{path.name}: the archive holds no {', '.join(_ZIPPED_GIS)} file")
    return [(f"/vsizip/{path}/{m}", f"{path.name}/{m}") for m in sorted(members)]


def _layers(uri: str, label: str, layer: str | None) -> list[str | None]:
    try:
        listed = pyogrio.list_layers(uri)
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise CBSFormatError(f"{label}: cannot be read as GIS data ({exc})") from exc
    if layer is not None:
        names = [str(row[0]) for row in listed]
        if layer not in names:
            raise CBSFormatError(
                f"{label}: no layer {layer!r}; it has {', '.join(names) or 'no layers'}"
            )
        return [layer]
    if len(listed) <= 1:
        return [None]
    return [str(row[0]) for row in listed if row[1] is not None]


def _read_layer(uri: str, label: str, layer: str | None) -> gpd.GeoDataFrame:
    try:
        with warnings.catch_warnings():
            # GDAL renumbers duplicate feature ids of GeoJSON files; nothing to act on.
            warnings.filterwarnings("ignore", "Several features with id", RuntimeWarning)
            return gpd.read_file(uri, layer=layer, engine="pyogrio")
    except Exception as exc:
        where = f" layer {layer!r}" if layer else ""
        raise CBSFormatError(f"{label}{where}: cannot be read as GIS data ({exc})") from exc


def _find(columns: Iterable[str], key: str) -> str | None:
    lower = {c.lower(): c for c in columns}
    for alias in COLUMN_ALIASES[key]:
        if alias in lower:
            return lower[alias]
    return None


def _detect_level(frame: pd.DataFrame, layer: str | None) -> str | None:
    if layer is not None:
        hinted = _LEVEL_BY_LAYER.get(layer.lower().split("_")[-1]) or _LEVEL_BY_LAYER.get(
            layer.lower()
        )
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


def _normalise(raw: gpd.GeoDataFrame, label: str, layer: str | None) -> pd.DataFrame:
    where = label + (f" layer {layer!r}" if layer else "")
    if not isinstance(raw, gpd.GeoDataFrame) or raw.geometry.name not in raw.columns:
        raise CBSFormatError(f"{where}: has no geometry")
    parts = _split_statcode(raw)
    if parts:
        return pd.concat([_normalise(part, label, layer) for part in parts], ignore_index=True)
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
    out["land_area_m2"] = _hectares(frame, cols["land_ha"]) * 10_000
    out["water_area_m2"] = _hectares(frame, cols["water_ha"]) * 10_000
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
    polygonal = [_polygon_part(g) for g in geoms]
    if all(p is None for p in polygonal):
        found = sorted({shapely.get_type_id(g) for g in geoms}) if len(geoms) else []
        raise CBSFormatError(
            f"{where}: needs polygon boundaries, found geometry type ids {found or 'none'}"
        )
    frame = frame.set_geometry(gpd.GeoSeries(polygonal, index=frame.index, crs=frame.crs))
    return frame[frame.geometry.notna()]


def _polygon_part(geom) -> shapely.MultiPolygon | None:
    if geom is None:
        return None
    if isinstance(geom, shapely.MultiPolygon):
        return geom
    if isinstance(geom, shapely.Polygon):
        return shapely.MultiPolygon([geom])
    if isinstance(geom, shapely.GeometryCollection):
        parts = [p for g in geom.geoms for p in getattr(_polygon_part(g), "geoms", [])]
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


def _hectares(frame: pd.DataFrame, column: str | None) -> pd.Series:
    return _numbers(frame, column)


# ------------------------------------------------------------------ selecting


def _filter_gemeente(areas: pd.DataFrame, gemeente, path: Path) -> pd.DataFrame:
    wanted = [gemeente] if isinstance(gemeente, str) else list(gemeente)
    codes, names = set(), set()
    for value in wanted:
        value = value.strip()
        if re.fullmatch(r"(?i)(gm)?\d{1,4}", value):
            codes.add("GM" + re.sub(r"(?i)^gm", "", value).zfill(4))
        else:
            names.add(value.casefold())
    gm_names = areas["gemeente_name"].astype("string").str.casefold()
    # A file may name its gemeenten only on their own rows (CBS gebiedsindelingen).
    gemeenten = areas[areas["level"] == "gemeente"]
    codes |= set(gemeenten.loc[gemeenten["name"].str.casefold().isin(names), "code"])
    keep = areas["gemeente_code"].isin(codes) | gm_names.isin(names).fillna(False)
    if not keep.any():
        present = (
            areas.drop_duplicates("gemeente_code")
            .sort_values("gemeente_code")
            .apply(
                lambda r: (
                    f"{r['gemeente_code']}"
                    + (f" {r['gemeente_name']}" if isinstance(r["gemeente_name"], str) else "")
                ),
                axis=1,
            )
            .tolist()
        )
        shown = ", ".join(present[:12]) + (" …" if len(present) > 12 else "")
        raise CBSFormatError(
            f"{path.name}: no areas of gemeente {', '.join(wanted)}; it holds {shown}"
        )
    return areas[keep.to_numpy()]


def _at_level(areas: pd.DataFrame, level: str, path: Path) -> pd.DataFrame:
    present = areas[areas["level"] == level]
    if len(present):
        return present
    finer = [lvl for lvl in LEVELS[LEVELS.index(level) + 1 :] if (areas["level"] == lvl).any()]
    if not finer:
        held = ", ".join(sorted(areas["level"].unique()))
        raise CBSFormatError(f"{path.name}: holds no {level} areas (it holds {held})")
    return _dissolve_to(areas[areas["level"] == finer[0]], level)


def _dissolve_to(areas: pd.DataFrame, level: str) -> pd.DataFrame:
    """Merge finer areas into their wijk or gemeente."""
    key = "parent_code" if level == "wijk" else "gemeente_code"
    if level == "wijk" and (areas["level"] != "buurt").any():
        key = "gemeente_code"
    rows = []
    for code, group in areas.groupby(key, sort=True):
        inhabitants = group["inhabitants"]
        name = f"Wijk {code[-2:]}" if level == "wijk" else code
        if level == "wijk" and "wijk_name" in group and group["wijk_name"].notna().any():
            name = group["wijk_name"].dropna().iloc[0]
        elif level == "gemeente" and group["gemeente_name"].notna().any():
            name = group["gemeente_name"].dropna().iloc[0]
        rows.append(
            {
                "code": code,
                "name": name,
                "level": level,
                "parent_code": group["gemeente_code"].iloc[0] if level == "wijk" else pd.NA,
                "gemeente_code": group["gemeente_code"].iloc[0],
                "gemeente_name": group["gemeente_name"].iloc[0],
                "inhabitants": inhabitants.sum() if inhabitants.notna().all() else pd.NA,
                "land_area_m2": group["land_area_m2"].sum(min_count=len(group)),
                "water_area_m2": group["water_area_m2"].sum(min_count=len(group)),
                "is_water": bool(group["is_water"].all()),
                "wijk_name": pd.NA,
                "geometry": _as_multi(shapely.union_all(group["geometry"].to_numpy())),
            }
        )
    out = pd.DataFrame(rows)
    out["inhabitants"] = out["inhabitants"].astype("Int64")
    return out


def _dissolve_duplicates(areas: pd.DataFrame) -> pd.DataFrame:
    """One row per code: CBS files sometimes split an area over several features."""
    if not areas["code"].duplicated().any():
        return areas
    merged = areas.groupby("code", sort=False, as_index=False).agg(
        {
            **{c: "first" for c in OUTPUT_COLUMNS if c not in ("code", "geometry")},
            "geometry": lambda g: _as_multi(shapely.union_all(g.to_numpy())),
        }
    )
    return merged


def _as_multi(geom):
    return _polygon_part(geom)

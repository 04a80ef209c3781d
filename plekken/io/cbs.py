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
import pandas as pd
import pyogrio
import shapely

from .cbs_columns import (
    AGE_COLUMNS,
    COLUMN_ALIASES,
    LEVELS,
    OUTPUT_COLUMNS,
    CBSFormatError,
    normalise,
    polygon_part,
)

__all__ = ["CBSFormatError", "read_cbs_areas", "missing_wijken", "LEVELS", "COLUMN_ALIASES"]

_ZIPPED_GIS = (".shp", ".gpkg", ".geojson", ".json")


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
                frames.append(normalise(raw, label, name))
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
                **{c: _known_sum(group[c]) if c in group else pd.NA for c in AGE_COLUMNS},
                "land_area_m2": group["land_area_m2"].sum(min_count=len(group)),
                "water_area_m2": group["water_area_m2"].sum(min_count=len(group)),
                "is_water": bool(group["is_water"].all()),
                "wijk_name": pd.NA,
                "geometry": polygon_part(shapely.union_all(group["geometry"].to_numpy())),
            }
        )
    out = pd.DataFrame(rows)
    for column in ("inhabitants", *AGE_COLUMNS):
        out[column] = out[column].astype("Int64")
    return out


def _known_sum(values: pd.Series):
    """The sum of counts that are all known, else missing."""
    return values.sum() if values.notna().all() else pd.NA


def _dissolve_duplicates(areas: pd.DataFrame) -> pd.DataFrame:
    """One row per code: CBS files sometimes split an area over several features."""
    if not areas["code"].duplicated().any():
        return areas
    merged = areas.groupby("code", sort=False, as_index=False).agg(
        {
            **{c: "first" for c in OUTPUT_COLUMNS if c not in ("code", "geometry")},
            "geometry": lambda g: polygon_part(shapely.union_all(g.to_numpy())),
        }
    )
    return merged

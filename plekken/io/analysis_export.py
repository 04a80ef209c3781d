"""Write analysis results to a GeoPackage (one layer per measure) or a CSV table.

A GeoPackage gets every result as a layer, in EPSG:4326, with a short layer description, and a
non-spatial ``metadata`` table: one row per layer and metadata field, the value as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

__all__ = ["as_table", "write_geopackage", "write_csv", "metadata_table"]


def metadata_table(metadata: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """``layer``, ``key``, ``value`` (JSON text) for the metadata of each layer.

    Examples
    --------
    >>> metadata_table({"gaps": {"distance_m": 400.0}})
      layer         key  value
    0  gaps  distance_m  400.0
    """
    rows = [
        (layer, key, json.dumps(value, ensure_ascii=False))
        for layer, fields in metadata.items()
        for key, value in fields.items()
    ]
    return pd.DataFrame(rows, columns=["layer", "key", "value"])


def _description(layer: str, metadata: Mapping[str, Any]) -> str:
    method = metadata.get("distance_method", "")
    distance = metadata.get("distance_m", "")
    return f"plekken {layer} {method} {distance}".strip() + "; see the metadata table"


def write_geopackage(
    path: str | Path,
    layers: Mapping[str, pd.DataFrame],
    metadata: Mapping[str, Mapping[str, Any]],
) -> list[str]:
    """Write ``layers`` (GeoDataFrames or plain tables) and a ``metadata`` table to ``path``.

    An existing file is replaced. Returns the names of the layers written.
    """
    path = Path(path)
    path.unlink(missing_ok=True)
    written = []
    for name, frame in layers.items():
        options: dict[str, Any] = {}
        if isinstance(frame, gpd.GeoDataFrame):
            options = {
                "promote_to_multi": True,
                "layer_options": {"DESCRIPTION": _description(name, metadata.get(name, {}))},
            }
            if frame.empty:  # nothing to infer the geometry type from
                options["geometry_type"] = "MultiPolygon"
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", **options)
        written.append(name)
    pyogrio.write_dataframe(metadata_table(metadata), path, layer="metadata", driver="GPKG")
    return [*written, "metadata"]


def as_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a plain table: its geometry column left out."""
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))


def write_csv(path: str | Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` without its geometry as UTF-8 CSV."""
    as_table(frame).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")

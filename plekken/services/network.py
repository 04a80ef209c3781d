"""The walking network of an instance: read once from OpenStreetMap, kept in the instance folder.

``plekken import-network FILE.osm.pbf [--gemeente X]`` reads the walkable streets
(:func:`plekken.analysis.network_io.read_osm`), keeps those within :data:`MARGIN_M` of the
gemeente's areas when one is named, and saves the prepared network as
:data:`FILE_NAME` in the instance folder. The API and the web page then measure along it
(``distance_method=network``); the network stays in memory with what it has built, so
asking again is quick.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy.orm import Session

from .. import storage
from ..analysis import METRIC_CRS, as_network
from ..analysis.inputs import points_by_type, prepare_places, prepare_population, resolve_types
from ..analysis.network import Network, network_from_arrays
from ..analysis.network_io import load_network, read_osm, save_network
from ..analysis.network_reach import walking_distances
from ..errors import ValidationError
from ..i18n import gettext
from .scope import Inputs, resolve_scope

__all__ = [
    "FILE_NAME",
    "MARGIN_M",
    "WIDTH_M",
    "compute_walking",
    "import_network",
    "kept_network",
    "network_file",
    "require_network",
]

FILE_NAME = "walking-network.npz"
#: Streets this far outside the gemeente are kept too: walks cross its border.
MARGIN_M = 1000.0
#: The width of the frontage (see :mod:`plekken.analysis.network_reach`).
WIDTH_M = 50.0

_LOADED: dict[Path, tuple[float, Network]] = {}
_LOCK = threading.Lock()


def network_file(instance_path: str | Path) -> Path:
    """Where the instance keeps its walking network."""
    return Path(instance_path) / FILE_NAME


def _clip(net: Network, outline) -> Network:
    """The part of ``net`` with both ends of a segment within the outline."""
    shapely.prepare(outline)
    inside = shapely.contains_xy(outline, net.xy[:, 0], net.xy[:, 1])
    keep = inside[net.start] & inside[net.end]
    return network_from_arrays(net.xy, net.start[keep], net.end[keep])


def _gemeente_outline(session: Session, gemeente: str):
    """The gemeente's areas widened by :data:`MARGIN_M`, in EPSG:28992, and its code."""
    scope = resolve_scope(session, gemeente=gemeente, lang="en")
    areas = storage.areas_frame(session, gemeente=scope.code)
    if areas.empty:
        raise ValidationError({"gemeente": f"{gemeente} has no areas; import them first"})
    metric = areas.to_crs(METRIC_CRS).geometry.to_numpy()
    return shapely.buffer(shapely.union_all(metric), MARGIN_M), scope.code


def import_network(
    session: Session, source: Path, instance_path: str | Path, gemeente: str | None = None
) -> dict[str, Any]:
    """Read ``source`` (.osm/.osm.pbf), prepare it and keep it; returns what was kept."""
    net = as_network(read_osm(source))
    code = None
    if gemeente:
        outline, code = _gemeente_outline(session, gemeente)
        net = _clip(net, outline)
    about = {
        "source": Path(source).name,
        "gemeente": code,
        "imported": datetime.now(UTC).isoformat(timespec="seconds"),
        "street_km": round(float(net.length.sum()) / 1000, 1),
        "segments": len(net.start),
        "pieces_set_aside": net.set_aside[0],
        "set_aside_m": round(net.set_aside[1], 1),
    }
    target = network_file(instance_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    save_network(net, target, about)
    return about


def kept_network(instance_path: str | Path) -> Network | None:
    """The instance's walking network (loaded once per file version), or ``None``."""
    path = network_file(instance_path)
    if not path.exists():
        return None
    stamp = path.stat().st_mtime
    with _LOCK:
        loaded = _LOADED.get(path)
        if loaded is None or loaded[0] != stamp:
            _LOADED[path] = loaded = (stamp, load_network(path))
    return loaded[1]


def require_network(instance_path: str | Path, lang: str = "nl") -> Network:
    """The kept walking network, or a clear error on ``distance_method`` without one."""
    net = kept_network(instance_path)
    if net is None:
        raise ValidationError({"distance_method": gettext(
            "Er is nog geen stratennetwerk ingelezen; dat doet de beheerder met "
            "'plekken import-network BESTAND.osm.pbf'.", lang,
        )})  # fmt: skip
    return net


def compute_walking(inputs: Inputs, types, network: Network) -> gpd.GeoDataFrame:
    """Per population point, the walking distance (m) to the nearest place of each type.

    ``walk_<type>`` is empty where no reached street lies within :data:`WIDTH_M` of the point.
    """
    population = prepare_population(inputs.population, None)
    xy = population[0]
    frame = pd.DataFrame(index=range(len(xy)))
    places = prepare_places(inputs.places, inputs.include_pending)
    for function_type, place_xy in points_by_type(places, resolve_types(types)).items():
        walked = walking_distances(network, place_xy, xy, WIDTH_M)
        frame[f"walk_{function_type}"] = np.where(np.isfinite(walked), walked.round(1), np.nan)
    result = gpd.GeoDataFrame(frame, geometry=shapely.points(xy), crs=METRIC_CRS).to_crs(4326)
    result.attrs = {"measure": "walking_distances", "distance_method": "network",
                    "network_width_m": WIDTH_M}  # fmt: skip
    return result

"""The map of a wijk or of a whole gemeente: its areas from storage, drawn by the map builder.

No request needed: the caller passes the language, the base maps and how to build the URL of a
static file, so the pages and the command line draw the same map.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
from sqlalchemy.orm import Session

from .. import storage
from ..i18n import gettext
from ..maps import build_wijk_map
from ..storage.models import Area

__all__ = ["MapScope", "map_frames", "scope_map", "wijk_scope"]


@dataclass(frozen=True)
class MapScope:
    """What a map shows: one wijk, or a whole gemeente."""

    kind: str  # "wijk" or "gemeente"
    code: str
    name: str
    gemeente_code: str
    gemeente_name: str | None


def wijk_scope(area: Area) -> MapScope:
    """The map scope of a stored wijk."""
    return MapScope("wijk", area.code, area.name, area.gemeente_code, area.gemeente_name)


def map_frames(session: Session, scope: MapScope):
    """(outline, buurten, label frame) of the map: a wijk with its buurten, or a gemeente."""
    if scope.kind == "wijk":
        outline = storage.areas_frame(session, codes=[scope.code])
        buurten = storage.areas_frame(session, level="buurt", parent=scope.code)
    else:
        outline = storage.areas_frame(session, level="wijk", gemeente=scope.code)
        if outline.empty:
            outline = storage.areas_frame(session, level="gemeente", codes=[scope.code])
        buurten = storage.areas_frame(session, level="buurt", gemeente=scope.code)
    buurten = buurten[~buurten["is_water"].astype(bool)]
    # A gemeente has too many buurten to name them all on the map: its wijken are named.
    labelled = buurten if scope.kind == "wijk" else outline
    return outline, buurten, labelled


def scope_map(
    session: Session,
    scope: MapScope,
    *,
    static_url: Callable[[str], str],
    tile_layers: Sequence[dict] = (),
    lang: str = "nl",
) -> tuple[folium.Map, gpd.GeoDataFrame]:
    """The folium map of ``scope`` and the buurten drawn on it (land only).

    Examples
    --------
    >>> urls = lambda path: f"/static/{path}"
    >>> m, buurten = scope_map(session, scope, static_url=urls)  # doctest: +SKIP
    """
    outline, buurten, labelled = map_frames(session, scope)
    names = gettext("Buurtnamen", lang) if scope.kind == "wijk" else gettext("Namen", lang)
    m = build_wijk_map(
        outline,
        buurten,
        tile_layers=tile_layers,
        static_url=static_url,
        labels={"buurten": gettext("Buurten", lang), "namen": names},
        labelled=labelled,
    )
    return m, buurten

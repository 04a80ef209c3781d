"""Folium map builders. They return ``folium.Map`` objects; pages and exports render them."""

from .wijk import build_wijk_map, map_parts

__all__ = ["build_wijk_map", "map_parts"]

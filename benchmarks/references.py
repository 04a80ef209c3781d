"""The references plekken is measured against: what a competent GIS user writes by hand.

Both buffer every place with the default 8 segments per quarter circle, dissolve the buffers
and overlay the result with each buurt: once in geopandas/shapely, once in PostGIS SQL
(``ST_Buffer`` / ``ST_Union`` / ``ST_Intersection`` / ``ST_Difference``). The dissolve is
shared by coverage and gaps of the same type, so each is timed once and added to both.
"""

from __future__ import annotations

import io
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


def select_type(places: gpd.GeoDataFrame, function_type: str) -> gpd.GeoDataFrame:
    """The places carrying ``function_type`` (all places for ``"any"``)."""
    if function_type == "any":
        return places
    return places[places["function_types"].map(lambda kinds: function_type in kinds)]


def shapely_reference(buurten, places, distance, function_type) -> dict:
    """Seconds and per-buurt results of buffer → union → intersection / difference."""
    start = time.perf_counter()
    points = select_type(places, function_type).geometry.to_numpy()
    union = shapely.union_all(shapely.buffer(points, distance))  # 8 segments per quarter
    dissolve = time.perf_counter() - start
    start = time.perf_counter()
    covered = buurten.geometry.intersection(union).area / buurten.area
    intersect = time.perf_counter() - start
    start = time.perf_counter()
    gap_m2 = buurten.geometry.difference(union).area
    difference = time.perf_counter() - start
    return {
        "coverage_s": dissolve + intersect,
        "gaps_s": dissolve + difference,
        "covered_share": covered.to_numpy(),
        "gap_share": (gap_m2 / buurten.area).to_numpy(),
    }


class PostGIS:
    """A scratch schema holding the buurten and the places of one case."""

    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        self.conn.autocommit = True
        self.schema = f"bench_{int(time.time() * 1000) % 10**9}"
        self.conn.execute(f"CREATE SCHEMA {self.schema}")
        self.conn.execute(f"SET search_path TO {self.schema}, public")

    def close(self) -> None:
        self.conn.execute(f"DROP SCHEMA {self.schema} CASCADE")
        self.conn.close()

    def load(self, buurten: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> None:
        """Replace the tables with these buurten and places (EPSG:28992)."""
        self.conn.execute("DROP TABLE IF EXISTS buurten, places")
        self.conn.execute("CREATE TABLE buurten (code text, geom geometry(MultiPolygon, 28992))")
        self.conn.execute("CREATE TABLE places (id int, types text[], geom geometry(Point, 28992))")
        self._copy("buurten (code, geom)", zip(buurten["code"], _hex(buurten), strict=True))
        kinds = ["{" + ",".join(k) + "}" for k in places["function_types"]]
        self._copy("places (id, types, geom)", zip(places["id"], kinds, _hex(places), strict=True))
        self.conn.execute("ANALYZE buurten; ANALYZE places")

    def _copy(self, target: str, rows) -> None:
        buffer = io.StringIO("".join("\t".join(map(str, row)) + "\n" for row in rows))
        with self.conn.cursor().copy(f"COPY {target} FROM STDIN") as copy:
            copy.write(buffer.read())

    def reference(self, codes: pd.Series, distance: float, function_type: str) -> dict:
        """Seconds and per-buurt results, as :func:`shapely_reference`, computed by PostGIS."""
        where = "" if function_type == "any" else "WHERE %(type)s = ANY(types)"
        params = {"d": distance, "type": function_type}
        self.conn.execute("DROP TABLE IF EXISTS reach")
        start = time.perf_counter()
        dissolve_sql = "CREATE TABLE reach AS SELECT ST_Union(ST_Buffer(geom, %(d)s)) AS g"
        self.conn.execute(f"{dissolve_sql} FROM places {where}", params)
        dissolve = time.perf_counter() - start
        timings, values = {}, {}
        for name, op in (("coverage", "ST_Intersection"), ("gaps", "ST_Difference")):
            start = time.perf_counter()
            rows = self.conn.execute(
                f"SELECT b.code, ST_Area({op}(b.geom, r.g)) / ST_Area(b.geom) "
                "FROM buurten b CROSS JOIN reach r"
            ).fetchall()
            timings[name] = dissolve + time.perf_counter() - start
            values[name] = pd.Series({c: v for c, v in rows}).reindex(codes).to_numpy(float)
        return {
            "coverage_s": timings["coverage"],
            "gaps_s": timings["gaps"],
            "covered_share": values["coverage"],
            "gap_share": values["gaps"],
        }


def _hex(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Hex EWKB with SRID 28992, as COPY takes it."""
    geoms = shapely.set_srid(frame.geometry.to_numpy(), 28992)
    return shapely.to_wkb(geoms, hex=True, include_srid=True)

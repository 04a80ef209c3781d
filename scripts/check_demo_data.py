"""Check the authored demo data in ``data/demo/``.

Usage::

    python scripts/check_demo_data.py [DATA_DIR]

``DATA_DIR`` defaults to ``data/demo`` next to this script's parent folder. The script
prints a summary and exits with status 1 when a problem is found. Tests can call
:func:`check` directly: it returns a list of problems, empty when everything is fine.

What is checked:

* ``wijken.geojson`` and ``buurten.geojson`` are RFC 7946 FeatureCollections of valid
  polygons in lon/lat, with counter-clockwise exterior rings, at most 4 decimals, and the
  CBS 2024 columns (``gemeentecode``, ``gemeentenaam``, ``wijkcode``, ``wijknaam`` /
  ``buurtcode``, ``buurtnaam``, ``aantal_inwoners``);
* every wijk has 4–6 buurten, the buurten of a wijk tile it exactly (no gaps, no overlaps,
  measured in EPSG:28992) and the wijk's ``aantal_inwoners`` is the sum of its buurten;
* the wijken do not overlap and together form one area without holes (shared borders);
* ``places.geojson`` holds points with at most 6 decimals, each at least 20 m inside one
  buurt, every buurt has a place, and all properties use the fixed vocabularies.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Polygon, shape
from shapely.ops import unary_union

FUNCTION_TYPES = ("functioneel", "verbindend", "ideologisch")
CONDITIONS = (
    "sociaal_economische_zekerheid",
    "sociale_inclusie",
    "sociale_cohesie",
    "sociale_empowerment",
)
ROLES = ("bewoner", "opbouwwerker", "student")
SYMBOL_ICONS = (
    "zon", "boom", "bankje", "huis", "hart", "koffie", "boek", "bal", "bloem",
    "handen", "muziek", "fiets", "winkelmand", "schommel", "ster", "paden",
    "kiemplant", "water",
)  # fmt: skip

WIJK_COLUMNS = ("gemeentecode", "gemeentenaam", "wijkcode", "wijknaam", "aantal_inwoners")
BUURT_COLUMNS = (
    "gemeentecode", "gemeentenaam", "wijkcode", "buurtcode", "buurtnaam", "aantal_inwoners",
)  # fmt: skip
PLACE_COLUMNS = (
    "name", "quote", "story", "function_types", "symbol_icon", "contributor_role",
    "contributor_name", "conditions", "access_free_entry", "access_costs",
    "access_wheelchair", "access_opening_hours", "access_notes",
)  # fmt: skip

#: Largest allowed area (m²) of a gap or overlap between buurten and their wijk.
AREA_TOLERANCE_M2 = 1.0
#: Smallest distance (m) of a place to the border of its buurt.
MIN_BORDER_DISTANCE_M = 20.0
#: Each function type must be used at least this often.
MIN_PER_TYPE = 6
BUURTEN_PER_WIJK = (4, 6)

_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
_WIJK_RE = re.compile(r"^WK\d{6}$")
_BUURT_RE = re.compile(r"^BU\d{8}$")


def _rd(geom):
    """Project a lon/lat geometry to RD New (metres)."""
    return shapely.transform(geom, _project_coords)


def _project_coords(coords: np.ndarray) -> np.ndarray:
    x, y = _TO_RD.transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def _load(path: Path, problems: list[str]) -> list[dict]:
    if not path.is_file():
        problems.append(f"{path.name}: file missing")
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        problems.append(f"{path.name}: not readable JSON ({exc})")
        return []
    if data.get("type") != "FeatureCollection":
        problems.append(f"{path.name}: not a FeatureCollection")
        return []
    if "crs" in data:
        problems.append(f"{path.name}: RFC 7946 GeoJSON has no 'crs' member")
    return data.get("features") or []


def _decimals_ok(coords, ndigits: int) -> bool:
    if isinstance(coords[0], (int, float)):
        return all(round(c, ndigits) == c for c in coords)
    return all(_decimals_ok(c, ndigits) for c in coords)


def _in_lonlat_nl(geom) -> bool:
    minx, miny, maxx, maxy = geom.bounds
    return minx >= 3.0 and maxx <= 7.5 and miny >= 50.5 and maxy <= 53.8


def _check_polygons(name: str, feats: list[dict], columns, key: str, problems) -> dict:
    """Check polygon features; return {code: (props, lon/lat geometry)}."""
    out: dict[str, tuple[dict, Polygon]] = {}
    for i, f in enumerate(feats):
        props = f.get("properties") or {}
        code = props.get(key) or f"#{i}"
        where = f"{name} {code}"
        missing = [c for c in columns if c not in props]
        if missing:
            problems.append(f"{where}: missing columns {missing}")
            continue
        if props["gemeentecode"] != "GM0268" or props["gemeentenaam"] != "Nijmegen":
            problems.append(f"{where}: gemeente is not GM0268 Nijmegen")
        inh = props["aantal_inwoners"]
        if not isinstance(inh, int) or isinstance(inh, bool) or inh <= 0:
            problems.append(f"{where}: aantal_inwoners must be a positive integer")
        gj = f.get("geometry") or {}
        if gj.get("type") != "Polygon":
            problems.append(f"{where}: geometry must be a Polygon, got {gj.get('type')}")
            continue
        if not _decimals_ok(gj["coordinates"], 4):
            problems.append(f"{where}: coordinates have more than 4 decimals")
        geom = shape(gj)
        if not geom.is_valid:
            problems.append(f"{where}: invalid polygon")
        if not geom.exterior.is_ccw:
            problems.append(f"{where}: exterior ring is not counter-clockwise")
        if not _in_lonlat_nl(geom):
            problems.append(f"{where}: coordinates are not lon/lat in the Netherlands")
        if code in out:
            problems.append(f"{where}: duplicate code")
        out[code] = (props, geom)
    return out


def _check_areas(wijken: dict, buurten: dict, problems: list[str]) -> None:
    for code, (props, _) in buurten.items():
        if not _BUURT_RE.match(code) or code[2:8] != props["wijkcode"][2:]:
            problems.append(f"buurt {code}: code does not belong to wijk {props['wijkcode']}")
        if props["wijkcode"] not in wijken:
            problems.append(f"buurt {code}: unknown wijkcode {props['wijkcode']}")
    for code, (props, wijk) in wijken.items():
        if not _WIJK_RE.match(code):
            problems.append(f"wijk {code}: malformed wijkcode")
        own = {bc: g for bc, (bp, g) in buurten.items() if bp["wijkcode"] == code}
        lo, hi = BUURTEN_PER_WIJK
        if not lo <= len(own) <= hi:
            problems.append(f"wijk {code}: has {len(own)} buurten, expected {lo}–{hi}")
        if not own:
            continue
        total = sum(buurten[bc][0]["aantal_inwoners"] for bc in own)
        if props["aantal_inwoners"] != total:
            problems.append(
                f"wijk {code}: aantal_inwoners {props['aantal_inwoners']} != sum of buurten {total}"
            )
        wijk_rd = _rd(wijk)
        own_rd = {bc: _rd(g) for bc, g in own.items()}
        diff = wijk_rd.symmetric_difference(unary_union(list(own_rd.values()))).area
        if diff >= AREA_TOLERANCE_M2:
            problems.append(f"wijk {code}: buurten differ from the wijk by {diff:.2f} m²")
        codes = sorted(own_rd)
        for i, a in enumerate(codes):
            for b in codes[i + 1 :]:
                overlap = own_rd[a].intersection(own_rd[b]).area
                if overlap >= AREA_TOLERANCE_M2:
                    problems.append(f"buurten {a} and {b} overlap by {overlap:.2f} m²")
    codes = sorted(wijken)
    wijk_rd = {c: _rd(wijken[c][1]) for c in codes}
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            overlap = wijk_rd[a].intersection(wijk_rd[b]).area
            if overlap >= AREA_TOLERANCE_M2:
                problems.append(f"wijken {a} and {b} overlap by {overlap:.2f} m²")
    if codes:
        merged = unary_union([wijken[c][1] for c in codes])
        if merged.geom_type != "Polygon" or len(merged.interiors) > 0:
            problems.append("wijken do not share their borders: their union is not one area")


def _is_tristate(value) -> bool:
    return value is None or isinstance(value, bool)


def _check_place_props(where: str, p: dict, problems: list[str]) -> None:
    missing = [c for c in PLACE_COLUMNS if c not in p]
    if missing:
        problems.append(f"{where}: missing properties {missing}")
        return
    for key in ("name", "quote", "story"):
        if not isinstance(p[key], str) or not p[key].strip():
            problems.append(f"{where}: {key} must be a non-empty string")
    types = p["function_types"]
    if (
        not isinstance(types, list)
        or not types
        or len(set(types)) != len(types)
        or not set(types) <= set(FUNCTION_TYPES)
    ):
        problems.append(f"{where}: function_types {types!r} is not a non-empty subset")
    if p["symbol_icon"] not in SYMBOL_ICONS:
        problems.append(f"{where}: unknown symbol_icon {p['symbol_icon']!r}")
    if p["contributor_role"] not in ROLES:
        problems.append(f"{where}: unknown contributor_role {p['contributor_role']!r}")
    name = p["contributor_name"]
    if name is not None and (not isinstance(name, str) or not name.strip()):
        problems.append(f"{where}: contributor_name must be a string or null")
    cond = p["conditions"]
    if (
        not isinstance(cond, list)
        or len(set(cond)) != len(cond)
        or not set(cond) <= set(CONDITIONS)
    ):
        problems.append(f"{where}: conditions {cond!r} is not a subset of the vocabulary")
    for key in ("access_free_entry", "access_costs", "access_wheelchair"):
        if not _is_tristate(p[key]):
            problems.append(f"{where}: {key} must be true, false or null")
    for key in ("access_opening_hours", "access_notes"):
        if p[key] is not None and not isinstance(p[key], str):
            problems.append(f"{where}: {key} must be a string or null")


def _check_places(feats: list[dict], buurten: dict, problems: list[str]) -> dict:
    buurt_rd = {code: _rd(g) for code, (_, g) in buurten.items()}
    per_buurt: Counter = Counter()
    per_type: Counter = Counter()
    for i, f in enumerate(feats):
        p = f.get("properties") or {}
        where = f"place #{i} {p.get('name', '?')!r}"
        _check_place_props(where, p, problems)
        for t in p.get("function_types") or []:
            per_type[t] += 1
        gj = f.get("geometry") or {}
        if gj.get("type") != "Point":
            problems.append(f"{where}: geometry must be a Point")
            continue
        if not _decimals_ok(gj["coordinates"], 6):
            problems.append(f"{where}: coordinates have more than 6 decimals")
        pt = shape(gj)
        if not _in_lonlat_nl(pt):
            problems.append(f"{where}: coordinates are not lon/lat in the Netherlands")
            continue
        pt_rd = _rd(pt)
        inside = [c for c, g in buurt_rd.items() if g.contains(pt_rd)]
        if len(inside) != 1:
            problems.append(f"{where}: lies in {len(inside)} buurten, expected 1")
            continue
        dist = buurt_rd[inside[0]].exterior.distance(pt_rd)
        if dist < MIN_BORDER_DISTANCE_M:
            problems.append(f"{where}: only {dist:.1f} m from the border of {inside[0]}")
        per_buurt[inside[0]] += 1
    for code in buurten:
        if per_buurt[code] == 0:
            problems.append(f"buurt {code}: has no places")
    for t in FUNCTION_TYPES:
        if per_type[t] < MIN_PER_TYPE:
            problems.append(
                f"function type {t}: used {per_type[t]} times, expected ≥ {MIN_PER_TYPE}"
            )
    return {"per_buurt": per_buurt, "per_type": per_type}


def _analyse(data_dir: Path) -> tuple[list[str], dict]:
    data_dir = Path(data_dir)
    problems: list[str] = []
    wijk_feats = _load(data_dir / "wijken.geojson", problems)
    buurt_feats = _load(data_dir / "buurten.geojson", problems)
    place_feats = _load(data_dir / "places.geojson", problems)
    wijken = _check_polygons("wijk", wijk_feats, WIJK_COLUMNS, "wijkcode", problems)
    buurten = _check_polygons("buurt", buurt_feats, BUURT_COLUMNS, "buurtcode", problems)
    _check_areas(wijken, buurten, problems)
    counts = _check_places(place_feats, buurten, problems)
    summary = {"wijken": wijken, "buurten": buurten, "places": place_feats, **counts}
    return problems, summary


def check(data_dir: Path) -> list[str]:
    """Check the demo data in ``data_dir``; return a list of problems (empty when fine)."""
    return _analyse(data_dir)[0]


def _summary_lines(summary: dict) -> list[str]:
    lines = []
    wijken, buurten = summary["wijken"], summary["buurten"]
    for wc, (wp, wg) in sorted(wijken.items()):
        area = _rd(wg).area / 10_000
        lines.append(
            f"{wc} {wp['wijknaam']}: {wp['aantal_inwoners']} inwoners, {area:.0f} ha, "
            f"{len(wg.exterior.coords) - 1} hoekpunten"
        )
        for bc, (bp, bg) in sorted(buurten.items()):
            if bp["wijkcode"] == wc:
                lines.append(
                    f"  {bc} {bp['buurtnaam']:<13} {bp['aantal_inwoners']:>6} inwoners "
                    f"{_rd(bg).area / 10_000:>6.1f} ha  {summary['per_buurt'][bc]:>2} plekken"
                )
    places = summary["places"]
    props = [f.get("properties") or {} for f in places]
    lines.append(f"plekken: {len(places)}")
    lines.append(
        "functietypen: " + ", ".join(f"{t} {summary['per_type'][t]}" for t in FUNCTION_TYPES)
    )
    multi = sum(1 for p in props if len(p.get("function_types") or []) > 1)
    lines.append(f"plekken met meer dan één type: {multi}")
    icons = Counter(p.get("symbol_icon") for p in props)
    lines.append(f"symbolen: {len(icons)} van {len(SYMBOL_ICONS)} gebruikt")
    roles = Counter(p.get("contributor_role") for p in props)
    lines.append("rollen: " + ", ".join(f"{r} {roles[r]}" for r in ROLES))
    conds = Counter(c for p in props for c in p.get("conditions") or [])
    lines.append("voorwaarden: " + ", ".join(f"{c} {conds[c]}" for c in CONDITIONS))
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    data_dir = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "data" / "demo"
    problems, summary = _analyse(data_dir)
    if not problems:
        for line in _summary_lines(summary):
            print(line)
    for problem in problems:
        print(f"PROBLEEM: {problem}")
    print("OK" if not problems else f"{len(problems)} problemen gevonden")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

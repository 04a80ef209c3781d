"""What an export holds: the query, the places as flat records (privacy by default), and the
per-buurt summary gathered while they pass.

A record comes from :func:`plekken.io.geojson.place_feature`, the same answer the API gives,
so an export shows exactly what the viewer may see: published places for everyone, a name
only when its contributor chose to show it, dates to the day, private places coarsened;
exact points, names and times only with ``full`` for the professionals of the place's
gemeente (see :mod:`plekken.services.visibility`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from importlib.metadata import version
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from ... import storage
from ...io.geojson import place_feature
from ...vocab import CONDITIONS, FUNCTION_TYPES
from ..scope import Scope
from ..visibility import Viewer, iter_visible_places, shows_details

__all__ = [
    "BOOLEAN_COLUMNS",
    "COLUMNS",
    "ExportQuery",
    "Summary",
    "export_metadata",
    "iter_records",
    "place_record",
    "records_frame",
]

TYPE_COLUMNS = [f"type_{key}" for key in FUNCTION_TYPES]
CONDITION_COLUMNS = [f"cond_{key}" for key in CONDITIONS]
#: Columns of the places table, in order (GeoJSON properties leave out lon and lat).
COLUMNS = [
    "id", "name", "quote", "story", "function_types", *TYPE_COLUMNS, "conditions",
    *CONDITION_COLUMNS, "symbol", "symbol_file", "gemeente_code", "wijk_code", "wijk_name",
    "buurt_code", "buurt_name", "status", "contributor_role", "contributor_name", "private",
    "location_coarsened", "access_free_entry", "access_costs", "access_wheelchair",
    "access_opening_hours", "access_notes", "created_at", "updated_at", "lon", "lat",
]  # fmt: skip
BOOLEAN_COLUMNS = [*TYPE_COLUMNS, *CONDITION_COLUMNS, "private", "location_coarsened"]
UNKNOWN_BOOLEAN_COLUMNS = ["access_free_entry", "access_costs", "access_wheelchair"]
#: Symbol files inside an export's ZIP.
SYMBOL_FOLDER = "symbols"
OWN_IMAGE = "eigen_afbeelding"


@dataclass(frozen=True)
class ExportQuery:
    """Which places an export holds and how much of them it shows.

    ``until`` is inclusive (the whole day). ``statuses`` other than published and ``full``
    (exact points, names and times) take effect only for the professionals of a place's
    gemeente; for anyone else the visibility rule leaves them out.
    """

    scope: Scope
    buurt: str | None = None
    types: tuple[str, ...] | None = None
    since: date | None = None
    until: date | None = None
    statuses: tuple[str, ...] = ("published",)
    full: bool = False
    lang: str = "nl"
    #: Only the places added in this workshop: ``(id, join code)``.
    workshop: tuple[int, str] | None = None

    def filters(self) -> dict[str, Any]:
        """Keyword filters of :func:`plekken.storage.list_places`."""
        return {
            "wijk": self.scope.code if self.scope.kind == "wijk" else None,
            "gemeente": self.scope.code if self.scope.kind == "gemeente" else None,
            "buurt": self.buurt,
            "types": list(self.types) if self.types else None,
            "since": _moment(self.since),
            "until": _moment(self.until + timedelta(days=1)) if self.until else None,
            "statuses": self.statuses,
            "workshop": self.workshop[0] if self.workshop else None,
        }

    def described(self) -> dict[str, Any]:
        """The query as the metadata and the codebook tell it."""
        return {
            "scope": self.scope.as_dict(),
            "buurt": self.buurt,
            "types": list(self.types or []),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "statuses": list(self.statuses),
            "workshop": self.workshop[1] if self.workshop else None,
        }


def _moment(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(), tzinfo=UTC)


def _relative(path: str) -> str:
    """Where a symbol lies in the export's ZIP (``symbols/<key>.svg`` or ``.png``)."""
    return f"{SYMBOL_FOLDER}/{path.rsplit('/', 1)[-1]}"


def place_record(place, names: dict[str, str], lang: str, public: bool) -> dict[str, Any]:
    """One place as a flat record with the :data:`COLUMNS` (lists kept as lists)."""
    feature = place_feature(
        place, names, lang, static_url=_relative, image_url=lambda key: _relative(f"{key}.png"),
        public=public,
    )  # fmt: skip
    props = feature["properties"]
    lon, lat = feature["geometry"]["coordinates"]
    types, conditions = props["function_types"], props["conditions"]
    uploaded = props["symbol_label"] is None
    record = {name: props.get(name) for name in COLUMNS if name in props}
    record.update(
        {f"type_{key}": key in types for key in FUNCTION_TYPES},
        **{f"cond_{key}": key in conditions for key in CONDITIONS},
        symbol=OWN_IMAGE if uploaded else (props["symbol_icon"] or "ster"),
        symbol_file=props["symbol_url"],
        location_coarsened=bool(public and props["private"]),
        lon=lon,
        lat=lat,
    )
    return {name: record.get(name) for name in COLUMNS}


def iter_records(
    session: Session, viewer: Viewer, query: ExportQuery, batch: int = 1000
) -> Iterator[list[dict[str, Any]]]:
    """The records of the places the query selects and the viewer may see, in batches."""
    for places in iter_visible_places(session, viewer, batch, **query.filters()):
        names = storage.area_names(
            session, {p.wijk_code for p in places} | {p.buurt_code for p in places}
        )
        yield [
            place_record(p, names, query.lang, not (query.full and shows_details(viewer, p)))
            for p in places
        ]


def records_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Records as a table with fixed column types (lists joined with ``;``)."""
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    for name in ("function_types", "conditions"):
        frame[name] = frame[name].map(lambda keys: ";".join(keys or []))
    frame["id"] = frame["id"].astype("int64")
    for name in BOOLEAN_COLUMNS:
        frame[name] = frame[name].astype(bool)
    for name in UNKNOWN_BOOLEAN_COLUMNS:
        frame[name] = frame[name].astype("boolean")
    for name in ("lon", "lat"):
        frame[name] = frame[name].astype(float)
    return frame


@dataclass
class Summary:
    """Counts per buurt of the exported places: places, per function type, per condition."""

    places: Counter = field(default_factory=Counter)
    types: dict[str, Counter] = field(default_factory=dict)
    conditions: dict[str, Counter] = field(default_factory=dict)

    def add(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            buurt = record["buurt_code"] or ""
            self.places[buurt] += 1
            self.types.setdefault(buurt, Counter()).update(
                key for key in FUNCTION_TYPES if record[f"type_{key}"]
            )
            self.conditions.setdefault(buurt, Counter()).update(
                key for key in CONDITIONS if record[f"cond_{key}"]
            )

    def table(self, buurten: pd.DataFrame) -> pd.DataFrame:
        """One row per buurt of ``buurten`` (code, name, inhabitants) and per other code."""
        codes = list(buurten["code"]) + sorted(set(self.places) - set(buurten["code"]))
        names = dict(zip(buurten["code"], buurten["name"], strict=True))
        people = dict(zip(buurten["code"], buurten["inhabitants"], strict=True))
        rows = []
        for code in codes:
            inhabitants = people.get(code)
            count = self.places.get(code, 0)
            known = inhabitants is not None and not pd.isna(inhabitants) and inhabitants > 0
            rows.append({
                "buurt_code": code or None, "buurt_name": names.get(code),
                "inhabitants": int(inhabitants) if known else None, "places": count,
                "places_per_1000": round(count / inhabitants * 1000, 2) if known else None,
                **{f"type_{k}": self.types.get(code, Counter())[k] for k in FUNCTION_TYPES},
                **{f"cond_{k}": self.conditions.get(code, Counter())[k] for k in CONDITIONS},
            })  # fmt: skip
        return pd.DataFrame.from_records(rows)


def export_metadata(query: ExportQuery, viewer: Viewer, places: int | None = None) -> dict:
    """What the file says about itself: title, filters, date, software, audience."""
    professional = query.full and viewer.is_professional
    audience = (
        "professional: exact locations, names and times of the places of the exporter's "
        "gemeenten; not for publication"
        if professional
        else "public: published places only, names only when chosen, dates to the day, "
        "private places coarsened to 250 m"
    )
    scope = query.scope
    meta = {
        "title": f"plekken {scope.kind} {scope.name or ''} ({scope.code})".replace("  ", " "),
        "filters": query.described(),
        "exported_on": datetime.now(UTC).date().isoformat(),
        "software": f"plekken {version('plekken')}",
        "audience": audience,
        "crs": "EPSG:4326",
    }
    if places is not None:
        meta["places"] = places
    return meta

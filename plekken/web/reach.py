"""The "waar komen de stemmen vandaan?" table of a wijk or gemeente page."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy.orm import Session

from ..auth import current_viewer
from ..errors import NotFoundError
from ..http import request_lang
from ..services.maps import MapScope
from ..services.reach import plain, reach_result
from ..services.visibility import may_count_pending
from ..vocab import AGE_BANDS, AGE_GROUPS, label

__all__ = ["reach_context"]


def _age_rows(table) -> list[dict[str, Any]]:
    """Buurten with a contributors' age mix, beside the buurt's own (percentages)."""
    bands = [f"contributors_age_{band}" for band in AGE_BANDS]
    groups = [f"inhabitants_{group}" for group in AGE_GROUPS]
    rows = []
    for record in table.to_dict("records"):
        if plain(record.get(bands[0])) is None:
            continue
        mix = [round(record[c] * 100) for c in bands]
        own = [round(record[c] * 100) if plain(record.get(c)) is not None else None for c in groups]
        rows.append({"name": record["name"], "contributors": mix, "inhabitants": own})
    return rows


def reach_context(session: Session, scope: MapScope) -> dict[str, Any] | None:
    """Rows, totals and age mixes of the scope's reach (``None`` without buurten).

    The gemeente's professionals see exact counts; everyone else sees 1–4 people as "< 5".
    """
    lang = request_lang()
    where = {scope.kind: scope.code}
    exact = may_count_pending(session, current_viewer(), **where)
    try:
        result = reach_result(session, exact=exact, lang=lang, **where)
    except NotFoundError:
        return None
    table = result.frame
    columns = ["code", "name", "inhabitants", "contributors", "contributors_per_1000",
               "places_in_buurt", "representation", "not_reached"]  # fmt: skip
    rows = [{k: plain(v) for k, v in r.items()} for r in table[columns].to_dict("records")]
    return {
        "rows": rows,
        "totals": result.metadata["totals"],
        "exact": exact,
        "min_inhabitants": result.metadata["min_inhabitants"],
        "age_rows": _age_rows(table),
        "age_bands": [label(AGE_BANDS, band, lang) for band in AGE_BANDS],
        "age_groups": [label(AGE_GROUPS, group, lang) for group in AGE_GROUPS],
        "csv": url_for("api.analysis_reach", **where, format="csv"),
    }

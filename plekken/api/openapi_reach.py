"""The OpenAPI parts about reach: the contributor fields of a new place or endorsement and
``/analysis/reach`` (joined into the document by :mod:`plekken.api.openapi`)."""

from __future__ import annotations

from ..vocab import AGE_BANDS, AGE_GROUPS

__all__ = ["CONTRIBUTOR_PROPERTIES", "reach_path", "reach_schemas"]

#: Optional fields about the contributor of a place or endorsement; never in any answer.
CONTRIBUTOR_PROPERTIES = {
    "home_buurt": {"type": "string", "maxLength": 16, "description": "Code of the stored "
                   "buurt the contributor lives in (optional; never shown)."},
    "age_band": {"enum": list(AGE_BANDS), "description": "The contributor's age band "
                 "(optional; never shown)."},
    "contributor_key": {"type": "string", "pattern": "^[!-~]{8,64}$", "description":
                        "A random key the contributor's device keeps, 8–64 printable ASCII "
                        "characters without spaces, to count distinct people; only its "
                        "SHA-256 is stored."},
}  # fmt: skip

_COUNT = {"oneOf": [{"type": "integer", "minimum": 0}, {"const": "< 5"}]}
_SHARE = {"type": ["number", "null"]}


def reach_schemas(ref) -> dict:
    """The schemas of a reach answer; ``ref(name)`` makes a ``$ref``."""
    row = {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "inhabitants": {"type": ["integer", "null"]},
        "contributors": _COUNT,
        "contributors_per_1000": _SHARE,
        "places_in_buurt": {"type": "integer"},
        "representation": _SHARE,
        "not_reached": {"type": "boolean"},
        "contributors_with_age": _COUNT,
        **{f"contributors_age_{band}": _SHARE for band in AGE_BANDS},
        **{f"inhabitants_{group}": _SHARE for group in AGE_GROUPS},
    }
    return {
        "ReachTable": {
            "type": "object",
            "properties": {
                "records": {"type": "array", "items": {"type": "object", "properties": row}},
                "metadata": ref("AnalysisMetadata"),
            },
        }
    }


def reach_path(scope: list, query, answer, failures: dict, invalid: dict) -> dict:
    """``/analysis/reach``: ``scope`` are the shared scope parameters, ``query(name, text,
    enum)`` and ``answer(schema, text)`` build parameters and answers."""
    description = (
        "Per buurt of the wijk or gemeente: inhabitants (CBS), contributors (distinct "
        "anonymous contributor keys whose home buurt it is; a place or endorsement without a "
        "key counts as one person), contributors_per_1000, places_in_buurt, representation "
        "(the buurt's share of the contributors living in the scope divided by its share of "
        "the inhabitants) and not_reached. Where the CBS areas carry age groups and "
        "contributors gave an age band, both age mixes (shares), for buurten where at least "
        'ten contributors gave one. Public answers show 1–4 people as "< 5" and leave '
        "contributors_per_1000 and representation out there; the gemeente's professionals "
        "get exact counts. metadata.totals counts everyone, also those living elsewhere."
    )
    params = [p for p in scope if p["name"] != "level"] + [
        query("min_inhabitants", "A buurt with at least this many inhabitants and no "
              "contributor is not reached, 0–100000 (default 50)."),
        query("format", "json (default) or csv.", ("json", "csv")),
    ]  # fmt: skip
    table = answer("ReachTable", "Records and metadata as JSON, or CSV.")
    table["content"]["text/csv"] = {"schema": {"type": "string"}}
    return {"/analysis/reach": {"get": {
        "summary": "Whose voices the map holds: contributors per home buurt",
        "description": description,
        "parameters": params,
        "responses": {"200": table, "401": answer("Errors", "include_pending without login."),
                      "403": answer("Errors", "include_pending by others than the gemeente's "
                                    "professionals."),
                      "404": answer("Errors", "No such wijk or gemeente."), "422": invalid,
                      **failures},
    }}}  # fmt: skip

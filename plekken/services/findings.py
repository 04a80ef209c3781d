"""Findings (bevindingen): what a group concluded about a wijk, with its evidence.

A finding names places (with their quotes), buurten, perhaps a witte vlek from the gaps
analysis (the point the group chose and the settings that produced it), a function type and
social-quality conditions. Either the whole finding is stored or changed, or nothing is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shapely.geometry import Point
from sqlalchemy.orm import Session

from .. import storage
from ..analysis import ANY
from ..checks import parse_number
from ..errors import NotFoundError, ValidationError
from ..i18n import gettext
from ..storage.doing_models import Finding
from ..vocab import CONDITIONS, FUNCTION_TYPES
from . import doing
from .visibility import STATUSES, Viewer, can_see

__all__ = [
    "FIELDS",
    "GAP_DISTANCE",
    "TEXT_LIMIT",
    "change_finding",
    "create_finding",
    "delete_finding",
    "finding_values",
    "finding_matches",
    "visible_finding",
    "visible_findings",
]

TEXT_LIMIT = 2000
#: The distances (metres) the gaps analysis takes.
GAP_DISTANCE = (50, 5000)
#: Fields of a finding, as in the API.
FIELDS = ("wijk", "text", "places", "buurten", "gap", "function_type", "conditions")


def _body_error(lang: str) -> ValidationError:
    return ValidationError({"body": gettext("Stuur een JSON-object met de velden.", lang)})


def _conditions(data: Mapping, lang: str, errors: dict) -> list[str]:
    values = data.get("conditions")
    values = [] if values in (None, "") else values
    values = [v.strip() for v in values.split(",")] if isinstance(values, str) else values
    if not isinstance(values, list) or not all(isinstance(v, str) and v in CONDITIONS
                                                for v in values):  # fmt: skip
        errors["conditions"] = gettext(
            "Onbekende voorwaarde. Kies uit {known}.", lang, known=", ".join(CONDITIONS)
        )
        return []
    return [key for key in CONDITIONS if key in values]


def _gap(session: Session, data: Mapping, wijk: str | None, lang: str, errors: dict):
    """``(point, function_type, distance)`` of the witte vlek, or ``None``."""
    raw = data.get("gap")
    if raw is None or raw == {}:
        return None
    if not isinstance(raw, Mapping):
        errors["gap"] = gettext("Stuur de witte vlek als object met lon, lat, function_type "
                                "en distance.", lang)  # fmt: skip
        return None
    point = doing.check_point(raw, lang, errors, prefix="gap.")
    if point is None and not any(k in errors for k in ("gap.lon", "gap.lat")):
        errors["gap.lon"] = gettext("Kies de plek van de witte vlek op de kaart.", lang)
    kind = doing.check_choice(
        raw.get("function_type"), "gap.function_type", (*FUNCTION_TYPES, ANY), lang, errors
    )
    distance = parse_number(raw.get("distance"))
    if distance is None or not GAP_DISTANCE[0] <= distance <= GAP_DISTANCE[1]:
        errors["gap.distance"] = gettext(
            "Dit moet een getal tussen {low} en {high} meter zijn.",
            lang, low=GAP_DISTANCE[0], high=GAP_DISTANCE[1],
        )  # fmt: skip
    if point is not None and wijk and storage.locate(session, *point)["wijk_code"] != wijk:
        errors["gap.lon"] = gettext("Deze witte vlek ligt buiten de wijk.", lang)
    return (Point(point), kind, distance) if point and "gap.distance" not in errors else None


def _places(session: Session, viewer: Viewer, ids: list[int], lang: str, errors: dict) -> None:
    found = storage.places_by_id(session, ids)
    unknown = [str(i) for i in ids if i not in found or not can_see(viewer, found[i])]
    if unknown:
        errors["places"] = gettext(
            "Deze plekken bestaan niet: {ids}.", lang, ids=", ".join(unknown)
        )


def _buurten(session: Session, codes: list[str], wijk: str | None, lang: str, errors: dict):
    parents = {code: storage.area_parent(session, code) for code in codes}
    wrong = [code for code, parent in parents.items() if wijk and parent != wijk]
    if wrong:
        errors["buurten"] = gettext(
            "Deze buurten liggen niet in de wijk: {codes}.", lang, codes=", ".join(wrong)
        )


def _checked(
    session: Session, viewer: Viewer, data: Mapping, lang: str, links: bool = True
) -> tuple[dict, Any]:
    """Clean values of a finding and its wijk, or :class:`ValidationError` naming each field.

    With ``links=False`` the evidence places are not looked up (a change that keeps them:
    a place withdrawn since stays linked, shown as "plek ingetrokken")."""
    if not isinstance(data, Mapping):
        raise _body_error(lang)
    errors: dict[str, str] = {}
    area = doing.check_wijk(session, data, lang, errors)
    wijk = area.code if area is not None else None
    clean = {
        "text": doing.check_text(data, "text", TEXT_LIMIT, lang, errors, required=True),
        "function_type": doing.check_choice(
            data.get("function_type"), "function_type", FUNCTION_TYPES, lang, errors
        ),
        "conditions": _conditions(data, lang, errors),
        "place_ids": doing.check_ids(data, "places", lang, errors),
        "buurten": doing.check_codes(data, "buurten", lang, errors),
        "gap": _gap(session, data, wijk, lang, errors),
    }
    if links and "places" not in errors:
        _places(session, viewer, clean["place_ids"], lang, errors)
    if "buurten" not in errors:
        _buurten(session, clean["buurten"], wijk, lang, errors)
    if errors:
        raise ValidationError(errors)
    return clean, area


def _apply(finding: Finding, clean: dict) -> None:
    gap = clean.pop("gap")
    for key, value in clean.items():
        setattr(finding, key, value)
    finding.gap_geom, finding.gap_function_type, finding.gap_distance = gap or (None,) * 3


def create_finding(
    session: Session, viewer: Viewer, data: Mapping[str, Any], lang: str = "nl"
) -> Finding:
    """Check and store a finding (see :data:`FIELDS`; ``workshop`` is a join code); commit.

    Raises :class:`plekken.services.doing.NotAllowed` for someone who may not write in the
    wijk and :class:`ValidationError` naming every wrong field; stores nothing then.
    """
    writer, errors = doing.writer_of(session, viewer, data, lang)
    errors.update(doing.unknown_fields(data, (*FIELDS, "workshop"), lang))
    clean, area = doing.checked_with(lambda: _checked(session, viewer, data, lang), errors)
    finding = Finding(
        gemeente_code=area.gemeente_code, wijk_code=area.code, status=writer.status,
        created_by=writer.user_id, workshop_id=writer.workshop_id,
    )  # fmt: skip
    _apply(finding, clean)
    storage.add_row(session, finding)
    session.commit()
    return finding


def finding_values(finding: Finding) -> dict[str, Any]:
    """The fields of a finding as the API takes them."""
    gap = None
    if finding.gap_geom is not None:
        gap = {
            "lon": finding.gap_geom.x,
            "lat": finding.gap_geom.y,
            "function_type": finding.gap_function_type,
            "distance": finding.gap_distance,
        }
    return {
        "wijk": finding.wijk_code, "text": finding.text, "places": finding.place_ids,
        "buurten": list(finding.buurten or []), "gap": gap,
        "function_type": finding.function_type, "conditions": list(finding.conditions or []),
    }  # fmt: skip


def change_finding(
    session: Session, viewer: Viewer, finding: Finding, data: Mapping[str, Any], lang: str = "nl"
) -> Finding:
    """Change fields of a finding (the others stay) and perhaps its moderation ``status``:
    moderators of its gemeente only. The wijk stays. Commit; nothing changes on an error."""
    doing.may_change(viewer, finding.gemeente_code)
    if not isinstance(data, Mapping):
        raise _body_error(lang)
    errors = doing.unknown_fields(data, (*FIELDS[1:], "status"), lang)
    status = doing.moderation_choice(data.get("status"), lang, errors, "status")
    merged = {**finding_values(finding), **{k: v for k, v in data.items() if k in FIELDS[1:]}}
    links = "places" in data
    clean, _area = doing.checked_with(
        lambda: _checked(session, viewer, merged, lang, links), errors
    )
    _apply(finding, clean)
    finding.status = status or finding.status
    session.commit()
    return finding


def delete_finding(session: Session, viewer: Viewer, finding: Finding) -> None:
    """Delete a finding (moderators of its gemeente); actions about it stay; commit."""
    doing.delete_row(session, viewer, finding)


def visible_finding(session: Session, viewer: Viewer, finding_id: int) -> Finding:
    """Finding ``finding_id`` if the viewer may see it, else :class:`NotFoundError`."""
    finding = storage.get_finding(session, finding_id)
    if not doing.can_see(viewer, finding.status, finding.gemeente_code):
        raise NotFoundError(finding_id)
    return finding


def finding_matches(finding: Finding, function_type: str | None, condition: str | None) -> bool:
    """Whether the finding is about ``function_type`` (its own or its witte vlek's) and
    ``condition`` (either ``None``: anything)."""
    types = {finding.function_type, finding.gap_function_type}
    return (function_type is None or function_type in types) and (
        condition is None or condition in (finding.conditions or [])
    )


def visible_findings(
    session: Session,
    viewer: Viewer,
    *,
    gemeente: str | None = None,
    wijk: str | None = None,
    statuses=None,
    function_type: str | None = None,
    condition: str | None = None,
) -> list[Finding]:
    """The findings the viewer may see, newest first, narrowed by the filters."""
    found = storage.list_findings(
        session, gemeente=gemeente, wijk=wijk, statuses=statuses or STATUSES
    )
    return [
        f for f in found
        if doing.can_see(viewer, f.status, f.gemeente_code)
        and finding_matches(f, function_type, condition)
    ]  # fmt: skip

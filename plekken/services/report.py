"""The wijkverslag: what an opbouwwerker takes to the municipality. The map with the places,
the quotes most residents share, the findings with their evidence, the actions with their
status and progress, whose voices the map holds (reach per buurt), the date and the sources.

Public content only, gathered through the one visibility rule; drawn by
:mod:`plekken.maps.report`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.metadata import version
from typing import IO, Any

from sqlalchemy.orm import Session

from .. import storage
from ..errors import NotFoundError, ValidationError
from ..i18n import gettext
from ..maps.report import ReportContent, render_report
from ..vocab import ACTION_STATUS_LABELS, FUNCTION_TYPE_COLOURS, FUNCTION_TYPES, label
from . import actions as action_service
from . import findings as finding_service
from .comparison import compare
from .doing_answers import evidence, newest_first
from .reach import plain, reach_result
from .visibility import PUBLIC

__all__ = ["report_content", "write_report"]

#: Quotes in the report.
QUOTES = 8


def _findings(session: Session, wijk: str, names: dict[str, str], lang: str) -> list[dict]:
    found = finding_service.visible_findings(session, PUBLIC, wijk=wijk)
    places = evidence(session, PUBLIC, found, lang)
    rows = []
    for finding in found:
        evidence_lines = []
        for pid in finding.place_ids:
            seen = places[pid]
            if seen["state"] == "present" and seen.get("quote"):
                evidence_lines.append(f"{seen['name']}: \u201c{seen['quote']}\u201d")
            else:
                evidence_lines.append(seen["label"])
        about = (
            [label(FUNCTION_TYPES, finding.function_type, lang)] if finding.function_type else []
        )
        about += [names.get(code, code) for code in finding.buurten or []]
        if finding.gap_geom is not None:
            about.append(gettext("witte vlek binnen {d} m", lang, d=int(finding.gap_distance or 0)))
        rows.append({"text": finding.text, "about": about, "evidence": evidence_lines,
                     "day": finding.created_at.date().isoformat()})  # fmt: skip
    return rows


def _actions(session: Session, wijk: str, lang: str) -> list[dict]:
    rows = []
    for action in action_service.visible_actions(session, PUBLIC, wijk=wijk, public_only=True):
        updates = newest_first(action.updates)
        latest = updates[0] if updates else None
        rows.append({
            "title": action.title,
            "who": action.who or "",
            "status": label(ACTION_STATUS_LABELS, action.status, lang),
            "due": action.due.isoformat() if action.due else "",
            "stop_reason": action.stop_reason or "",
            "latest": f"{latest.happened_on.isoformat()}: {latest.text}" if latest else "",
        })  # fmt: skip
    return rows


def _reach(session: Session, wijk: str, lang: str) -> tuple[list[dict], dict]:
    try:
        result = reach_result(session, wijk=wijk, lang=lang)  # public: "< 5" for few people
    except (NotFoundError, ValidationError):
        return [], {}
    columns = ["name", "inhabitants", "contributors", "contributors_per_1000",
               "representation", "not_reached"]  # fmt: skip
    rows = [{k: plain(r[k]) for k in columns} for r in result.frame.to_dict("records")]
    return rows, result.metadata.get("totals", {})


def _words(lang: str) -> dict[str, str]:
    """The report's headings and column names in ``lang``."""
    dutch = {
        "quotes": "Wat bewoners zeggen", "findings": "Bevindingen", "actions": "Acties",
        "reach": "Wie bereiken we?", "none": "Nog niets vastgelegd.", "who": "wie",
        "due": "klaar op", "latest": "laatste nieuws", "stopped": "gestopt omdat",
        "buurt": "Buurt", "inhabitants": "Inwoners", "contributors": "Bewoners",
        "per_1000": "Per 1.000", "representation": "Verhouding", "not_reached": "Niet bereikt",
        "yes": "ja",
        "reach_note": "Bewoners die meededen per buurt waar ze wonen; 1 tot 4 mensen staat er "
                      "als < 5. Verhouding: het aandeel van de buurt onder de deelnemers "
                      "gedeeld door haar aandeel onder de inwoners.",
    }  # fmt: skip
    return {key: gettext(text, lang) for key, text in dutch.items()}


def report_content(session: Session, wijk: str, lang: str = "nl") -> ReportContent:
    """What the wijkverslag of ``wijk`` shows (public content only).

    Raises :class:`NotFoundError` for an unknown wijk.
    """
    area = storage.get_area(session, wijk)
    if area.level != "wijk":
        raise NotFoundError(wijk, field="wijk")
    comparison = compare(session, wijk=area.code, lang=lang)
    names = dict(zip(comparison.table["code"], comparison.table["name"], strict=True))
    quotes: list[dict[str, Any]] = []
    for per_type in comparison.quotes.values():
        for quote in per_type:
            if quote not in quotes:
                quotes.append(quote)
    reach_rows, reach_totals = _reach(session, area.code, lang)
    today = datetime.now(UTC).date().isoformat()
    return ReportContent(
        title=gettext("Wijkverslag {name}", lang, name=area.name),
        subtitle=gettext(
            "{gemeente} · {day} · {n} plekken",
            lang,
            gemeente=area.gemeente_name or area.gemeente_code,
            day=today,
            n=len(comparison.places),
        ),  # fmt: skip
        areas=comparison.areas,
        places=comparison.places,
        types=[
            (key, label(FUNCTION_TYPES, key, lang), FUNCTION_TYPE_COLOURS[key])
            for key in FUNCTION_TYPES
        ],  # fmt: skip
        quotes=quotes[:QUOTES],
        findings=_findings(session, area.code, names, lang),
        actions=_actions(session, area.code, lang),
        reach=reach_rows,
        reach_totals=reach_totals,
        sources=gettext(
            "Bronnen: grenzen en inwoners uit de CBS Wijk- en buurtkaart (CBS, Kadaster), "
            "CC-BY 4.0; plekken, citaten, bevindingen en acties van bewoners en opbouwwerkers "
            "via plekken {version}; gemaakt op {day}. Alleen openbare inhoud; plekken bij "
            "iemand thuis op 250 m nauwkeurig.",
            lang,
            version=version("plekken"),
            day=today,
        ),  # fmt: skip
        words=_words(lang),
    )


def write_report(session: Session, wijk: str, out: str | IO[bytes], lang: str = "nl") -> int:
    """Write the wijkverslag of ``wijk`` as a PDF to ``out``; returns its number of pages."""
    return render_report(report_content(session, wijk, lang), out)

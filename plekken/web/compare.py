"""The comparison page for students: the buurten of a wijk or gemeente side by side, with
its charts (SVG or PNG) and its table (CSV) to download. Published places for the public;
the professionals of the gemeente may add ``?include_pending=1``."""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for

from ..auth import current_viewer
from ..db import get_session
from ..http import analysis_cache, gettext, request_lang
from ..io.analysis_export import as_table
from ..maps.charts import FORMATS, ChartTexts, chart_bytes, coverage_chart, type_maps, types_chart
from ..services.comparison import COLUMNS, Comparison, compare, sort_table
from ..services.maps import MapScope, wijk_scope
from ..services.visibility import may_count_pending
from ..vocab import FUNCTION_TYPE_COLOURS, FUNCTION_TYPES, label
from .blueprint import bp
from .views import get_gemeente_or_404, get_wijk_or_404

CHARTS = ("typen", "dekking", "kaarten")


def _scope(kind: str, code: str) -> MapScope:
    return wijk_scope(get_wijk_or_404(code)) if kind == "wijk" else get_gemeente_or_404(code)


def _comparison(scope: MapScope) -> tuple[Comparison, bool]:
    pending = request.args.get("include_pending") in ("1", "true")
    if pending:
        viewer = current_viewer()
        allowed = may_count_pending(get_session(), viewer, **{scope.kind: scope.code})
        if not allowed:
            abort(403 if viewer.is_professional else 401)
    result = compare(get_session(), include_pending=pending, cache=analysis_cache(),
                     lang=request_lang(), **{scope.kind: scope.code})  # fmt: skip
    return result, pending


def headings() -> dict[str, str]:
    """The table's column headings in the request's language."""
    lang = request_lang()
    words = {
        "name": gettext("Buurt"),
        "inhabitants": gettext("Inwoners"),
        "n_places": gettext("Plekken"),
        "places_per_1000_inhabitants": gettext("Plekken per 1.000 inwoners"),
        "coverage_share": gettext("Dekking binnen 400 m"),
        "mean_distance_m": gettext("Gemiddelde afstand tot een plek (m)"),
        "diversity": gettext("Diversiteit (0–1)"),
        "small_sample": gettext("Weinig gegevens"),
    }
    for key in FUNCTION_TYPES:
        words[f"n_{key}"] = label(FUNCTION_TYPES, key, lang)
    return words


def _texts(title: str, axis: str = "") -> ChartTexts:
    lang = request_lang()
    return ChartTexts(
        title=title,
        types={key: label(FUNCTION_TYPES, key, lang) for key in FUNCTION_TYPES},
        colours=dict(FUNCTION_TYPE_COLOURS),
        axis=axis,
    )


def _page(kind: str, code: str):
    scope = _scope(kind, code)
    result, pending = _comparison(scope)
    sort = request.args.get("sort") if request.args.get("sort") in dict(COLUMNS) else None
    descending = request.args.get("order") == "desc"
    table = sort_table(result.table, sort, descending)
    extra = {"include_pending": 1} if pending else {}
    return render_template(
        "vergelijk.html", scope=scope, table=table.to_dict("records"), columns=COLUMNS,
        headings=headings(), sort=sort, descending=descending, quotes=result.quotes,
        types={key: label(FUNCTION_TYPES, key, request_lang()) for key in FUNCTION_TYPES},
        pending=pending, extra=extra, charts=CHARTS, formats=FORMATS,
        back=url_for(f"web.{kind}", code=code),
    )  # fmt: skip


def _chart(kind: str, code: str, chart: str, fmt: str):
    if chart not in CHARTS or fmt not in FORMATS:
        abort(404)
    scope = _scope(kind, code)
    result, _ = _comparison(scope)
    if chart == "typen":
        title = gettext("Soorten plekken per buurt: {name}", name=scope.name)
        figure = types_chart(result.table, _texts(title, gettext("Aantal plekken")))
    elif chart == "dekking":
        title = gettext("Dekking per buurt: deel van het land binnen 400 m van een plek")
        figure = coverage_chart(result.table, _texts(title, gettext("Dekking (%)")))
    else:
        title = gettext("Plekken per soort: {name}", name=scope.name)
        figure = type_maps(result.areas, result.places, _texts(title))
    body = chart_bytes(figure, fmt, title)
    response = Response(body, content_type="image/svg+xml" if fmt == "svg" else "image/png")
    if request.args.get("download"):
        name = f"{chart}-{scope.code}.{fmt}"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv(kind: str, code: str):
    scope = _scope(kind, code)
    result, _ = _comparison(scope)
    body = as_table(result.table).to_csv(index=False, lineterminator="\n")
    response = Response(body, content_type="text/csv; charset=utf-8")
    name = f"vergelijk-{scope.code}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/wijk/<code>/vergelijk")
def compare_wijk(code: str):
    """The buurten of a wijk compared."""
    return _page("wijk", code)


@bp.get("/gemeente/<code>/vergelijk")
def compare_gemeente(code: str):
    """The buurten of a gemeente compared."""
    return _page("gemeente", code)


@bp.get("/wijk/<code>/vergelijk/<chart>.<fmt>")
def compare_chart_wijk(code: str, chart: str, fmt: str):
    return _chart("wijk", code, chart, fmt)


@bp.get("/gemeente/<code>/vergelijk/<chart>.<fmt>")
def compare_chart_gemeente(code: str, chart: str, fmt: str):
    return _chart("gemeente", code, chart, fmt)


@bp.get("/wijk/<code>/vergelijk.csv")
def compare_csv_wijk(code: str):
    return _csv("wijk", code)


@bp.get("/gemeente/<code>/vergelijk.csv")
def compare_csv_gemeente(code: str):
    return _csv("gemeente", code)

"""Analysis endpoints: coverage, accessibility surface, gaps, distances to the nearest place
and summaries of a wijk or gemeente, as GeoJSON (RFC 7946) with a ``metadata`` member, or as CSV.

Thin views: parse the query (:mod:`plekken.api.params`), call
:mod:`plekken.services.analysis`, render.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import shapely
from flask import Response, abort, current_app, jsonify, request

from ..analysis.summary import WEIGHTS
from ..auth import current_viewer
from ..db import get_session
from ..http import LIMITED_KEY, gettext, network_folder, request_lang
from ..io.analysis_export import as_table
from ..services import analysis as service
from ..services.cache import ResultCache
from ..services.network import require_network
from ..services.reach import MIN_INHABITANTS, reach_result
from ..services.visibility import may_count_pending
from .answers import ANSWERS_KEY, AnswerCache, LimitedCache, Slots, cached_answer
from .blueprint import bp
from .params import CELL_RANGE, DISTANCE_RANGE, INHABITANTS_RANGE, MIN_PLACES_RANGE, QueryParams

CACHE_KEY = "plekken_analysis_cache"


def _add_cache(state) -> None:
    """Per app: a result cache sized by ``ANALYSIS_CACHE_SIZE``, at most ``HEAVY_ANALYSES``
    computations at once in all processes of the instance, and ``ANALYSIS_ANSWER_BYTES`` of
    encoded answers."""
    app = state.app
    config, extensions = app.config, app.extensions
    cache = extensions.setdefault(CACHE_KEY, ResultCache(config.get("ANALYSIS_CACHE_SIZE", 64)))
    slots = Slots(Path(app.instance_path) / "locks", int(config["HEAVY_ANALYSES"]))
    wait = float(config["ANALYSIS_WAIT"])
    limited = LimitedCache(cache, slots, config.get("RETRY_AFTER", 30), wait)
    extensions.setdefault(LIMITED_KEY, limited)
    extensions.setdefault(ANSWERS_KEY, AnswerCache(config["ANALYSIS_ANSWER_BYTES"]))


bp.record_once(_add_cache)


def analysis_cache() -> ResultCache:
    """The result cache of the current app."""
    return current_app.extensions[CACHE_KEY]


def _limited() -> LimitedCache:
    """The result cache, through which at most ``HEAVY_ANALYSES`` computations run at once."""
    return current_app.extensions[LIMITED_KEY]


def _method(params: QueryParams) -> str:
    """``distance_method``: straight_line (default) or network."""
    return params.choice("distance_method", ("straight_line", "network"), "straight_line")


def _walking(method: str):
    """The kept walking network for ``network`` (a 422 naming the field without one)."""
    if method != "network":
        return None
    return require_network(network_folder(), request_lang())


def _geojson(result: service.AnalysisResult):
    """A FeatureCollection with the result's metadata as a foreign member (RFC 7946 §6.1).

    Coordinates are rounded to 7 decimals (about 1 cm), as RFC 7946 §11.2 suggests.
    """
    frame = result.frame.copy()
    frame.geometry = shapely.transform(frame.geometry.to_numpy(), lambda xy: np.round(xy, 7))
    features = frame.to_geo_dict(na="null", drop_id=True)["features"]
    return jsonify(type="FeatureCollection", features=features, metadata=result.metadata)


def _grid(result: service.AnalysisResult):
    """A grid compactly: per cell its id (which names it in EPSG:28992, see
    :func:`plekken.analysis.make_grid`), its centre and one array per value, instead of a
    polygon per cell. Coordinates are rounded to 6 decimals (about 10 cm)."""
    frame = result.frame
    centres = shapely.centroid(frame.geometry.to_numpy())
    values = {
        name: frame[name].astype(object).where(frame[name].notna(), None).tolist()
        for name in frame.columns
        if name not in ("cell_id", frame.geometry.name)
    }
    cells = {
        "cell_id": frame["cell_id"].tolist(),
        "lon": np.round(shapely.get_x(centres), 6).tolist(),
        "lat": np.round(shapely.get_y(centres), 6).tolist(),
    }
    return jsonify(type="Grid", cells=cells, values=values, metadata=result.metadata)


def _csv(result: service.AnalysisResult, measure: str) -> Response:
    scope = result.metadata["scope"]
    filename = f"{measure}-{scope['code']}-{scope['level']}.csv"
    body = as_table(result.frame).to_csv(index=False, lineterminator="\n")
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _records(result: service.AnalysisResult):
    records = json.loads(as_table(result.frame).to_json(orient="records", double_precision=15))
    return jsonify(records=records, metadata=result.metadata)


def _scope(params: QueryParams) -> dict:
    """The scope of the request; counting pending places is for its professionals only."""
    scope = params.scope()
    if scope["include_pending"] and not params.errors:
        viewer = current_viewer()
        allowed = may_count_pending(get_session(), viewer, scope["wijk"], scope["gemeente"])
        if not allowed:
            abort(403 if viewer.is_professional else 401)
    return scope


@bp.get("/analysis/coverage")
def analysis_coverage():
    params = QueryParams(request.args)
    scope = _scope(params)
    distances, types = params.distances(), params.types()
    output = params.choice("format", ("json", "csv"), "json")
    method = _method(params)
    params.check()

    def render():
        result = service.coverage_result(
            get_session(), distances=distances, types=types, network=_walking(method),
            cache=_limited(), lang=request_lang(), **scope,
        )  # fmt: skip
        return _csv(result, "coverage") if output == "csv" else _geojson(result)

    return cached_answer(render, keep=method != "network")


@bp.get("/analysis/surface")
def analysis_surface():
    params = QueryParams(request.args)
    scope = _scope(params)
    cell = params.metres("cell", CELL_RANGE, 100.0)
    distances, types = params.distances(), params.types()
    shape = params.choice("shape", ("square", "hex"), "square")
    output = params.choice("format", ("json", "grid"), "json")
    method = _method(params)
    params.check()
    encode = _grid if output == "grid" else _geojson
    return cached_answer(lambda: encode(service.surface_result(
        get_session(), cell=cell, distances=distances, types=types, shape=shape,
        network=_walking(method), cache=_limited(), lang=request_lang(), **scope,
    )), keep=method != "network")  # fmt: skip


@bp.get("/analysis/gaps")
def analysis_gaps():
    params = QueryParams(request.args)
    scope = _scope(params)
    distance = params.metres("distance", DISTANCE_RANGE, 400.0)
    function_type = (params.types(many=False) or ["verbindend"])[0]
    method = _method(params)
    params.check()
    return cached_answer(lambda: _geojson(service.gaps_result(
        get_session(), distance=distance, function_type=function_type,
        network=_walking(method), cache=_limited(), lang=request_lang(), **scope,
    )), keep=method != "network")  # fmt: skip


@bp.get("/analysis/summary")
def analysis_summary():
    params = QueryParams(request.args)
    scope = _scope(params)
    types = params.types()
    output = params.choice("format", ("json", "csv"), "json")
    long = params.flag("long")
    min_places = params.integer("min_places", MIN_PLACES_RANGE, 5)
    weight = params.choice("weight", WEIGHTS, "places")
    params.check()

    def render():
        common = {"types": types, "cache": _limited(), "lang": request_lang(), **scope}
        if long:
            result = service.summary_long_result(get_session(), **common)
        else:
            result = service.summary_result(
                get_session(), min_places=min_places, weight=weight, **common
            )
        name = "summary_long" if long else "summary"
        return _csv(result, name) if output == "csv" else _records(result)

    return cached_answer(render)


@bp.get("/analysis/proximity")
def analysis_proximity():
    """Per area and type: mean and median distance from residents to the nearest place, and
    the places within 400, 800 and 1,600 m, the way CBS's Nabijheidsstatistiek reports them."""
    params = QueryParams(request.args)
    scope = _scope(params)
    cell = params.metres("cell", CELL_RANGE, 100.0)
    types = params.types()
    output = params.choice("format", ("json", "csv"), "json")
    params.check()

    def render():
        result = service.proximity_result(
            get_session(), cell=cell, types=types, cache=_limited(), lang=request_lang(),
            **scope,
        )  # fmt: skip
        return _csv(result, "proximity") if output == "csv" else _geojson(result)

    return cached_answer(render)


@bp.get("/analysis/reach")
def analysis_reach():
    """Per buurt: inhabitants, distinct contributors who live there, representation and
    whether it was reached. Counts of one to four people are ``"< 5"``, except for the
    professionals of the gemeente."""
    params = QueryParams(request.args)
    scope = _scope(params)
    if scope.pop("level") != "buurt":
        params.errors["level"] = gettext("Bereik is per buurt: laat level weg of kies buurt.")
    minimum = params.integer("min_inhabitants", INHABITANTS_RANGE, MIN_INHABITANTS)
    output = params.choice("format", ("json", "csv"), "json")
    params.check()
    session = get_session()
    exact = may_count_pending(session, current_viewer(), scope["wijk"], scope["gemeente"])
    result = reach_result(
        session, exact=exact, min_inhabitants=minimum, lang=request_lang(), **scope
    )
    response = _csv(result, "reach") if output == "csv" else _records(result)
    response.headers["Cache-Control"] = "private, no-store" if exact else "no-cache"
    response.headers["Vary"] = "Cookie, Authorization, Accept-Language"
    return response

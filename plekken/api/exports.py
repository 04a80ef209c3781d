"""``GET /api/v1/export``: the places of a wijk or gemeente as GeoJSON, CSV, XLSX or
GeoPackage (a ZIP with the codebook and symbols when asked), streamed.

Thin view: parse the query, call :mod:`plekken.services.exports`, stream the answer.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from flask import Response, abort, request, stream_with_context

from ..auth import current_viewer
from ..db import get_session
from ..http import gettext, request_lang
from ..services.exports import (
    FORMATS,
    STREAMED,
    ZIP_TYPE,
    ExportQuery,
    export_filename,
    iter_export,
    resolve_scope,
    write_export,
)
from ..services.visibility import STATUSES
from ..services.workshops import find_workshop
from .blueprint import bp
from .params import QueryParams


def _day(params: QueryParams, name: str) -> date | None:
    value = (params.args.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        params.errors[name] = gettext("Geef een datum als JJJJ-MM-DD, bijvoorbeeld 2025-03-01.")
        return None


def _statuses(params: QueryParams) -> tuple[str, ...]:
    parts = params._parts("status") or ["published"]
    if any(part not in STATUSES for part in parts):
        params.errors["status"] = gettext("Kies uit: {allowed}.", allowed=", ".join(STATUSES))
        return ("published",)
    return tuple(dict.fromkeys(parts))


def _workshop(params: QueryParams, session) -> tuple[tuple[int, str] | None, str | None]:
    """The workshop of ``workshop`` (a join code) as ``(id, code)``, and its wijk."""
    raw = (params.args.get("workshop") or "").strip()
    if not raw:
        return None, None
    workshop = find_workshop(session, raw)
    if workshop is None:
        params.errors["workshop"] = gettext(
            "Deze workshopcode kennen we niet. Kijk de code nog eens na."
        )
        return None, None
    return (workshop.id, workshop.code), workshop.wijk_code


def _query(params: QueryParams) -> tuple[ExportQuery, str]:
    workshop, workshop_wijk = _workshop(params, get_session())
    if workshop_wijk and not (params.args.get("wijk") or params.args.get("gemeente")):
        scope = {"wijk": workshop_wijk, "gemeente": None}  # a workshop alone: its wijk
    else:
        scope = params.scope()
    fmt = params.choice("format", FORMATS, "geojson")
    types = [key for key in params.types() or [] if key != "any"]
    since, until = _day(params, "since"), _day(params, "until")
    statuses, full = _statuses(params), params.flag("full")
    params.check()
    if (statuses != ("published",) or full) and not current_viewer().is_professional:
        abort(401)
    found = resolve_scope(get_session(), scope["wijk"], scope["gemeente"], lang=request_lang())
    buurt = (params.args.get("buurt") or "").strip().upper() or None
    query = ExportQuery(
        found, buurt=buurt, types=tuple(types) or None, since=since, until=until,
        statuses=statuses, full=full, lang=request_lang(), workshop=workshop,
    )  # fmt: skip
    return query, fmt


def _download(response: Response, name: str, private: bool) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/export")
def export():
    """The places as a file to hand on; public content unless a professional asks for more."""
    params = QueryParams(request.args)
    # Read outside QueryParams' own getters: named here, so they are no unknown parameter.
    params.known.update(("buurt", "since", "until", "with_images", "with_analysis", "workshop"))
    query, fmt = _query(params)
    with_images, with_analysis = params.flag("with_images"), params.flag("with_analysis")
    params.check()
    private = query.full or query.statuses != ("published",)
    name = export_filename(query, fmt, with_images)
    viewer, session = current_viewer(), get_session()
    if fmt in STREAMED and not with_images:
        chunks = stream_with_context(iter_export(session, viewer, query, fmt))
        return _download(Response(chunks, content_type=FORMATS[fmt][0]), name, private)
    folder = Path(tempfile.mkdtemp(prefix="plekken-export-"))
    try:
        path = folder / name
        write_export(session, viewer, query, fmt, path, with_images=with_images,
                     with_analysis=with_analysis)  # fmt: skip
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    response = Response(_file_chunks(folder, path), mimetype=ZIP_TYPE if with_images else None,
                        content_type=None if with_images else FORMATS[fmt][0])  # fmt: skip
    response.headers["Content-Length"] = str(path.stat().st_size)
    return _download(response, name, private)


def _file_chunks(folder: Path, path: Path, size: int = 64 * 1024):
    """The file in chunks; its temporary folder goes as soon as the file is open."""
    try:
        with path.open("rb") as handle:
            shutil.rmtree(folder, ignore_errors=True)
            while chunk := handle.read(size):
                yield chunk
    finally:
        shutil.rmtree(folder, ignore_errors=True)

"""Commands for exports: ``plekken export-data``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from .db import get_session
from .errors import NotFoundError, ValidationError
from .services.exports import FORMATS, ExportQuery, resolve_scope, write_export
from .services.visibility import PUBLIC, STATUSES, Viewer
from .services.workshops import find_workshop
from .vocab import FUNCTION_TYPES

__all__ = ["export_data_command", "export_map_command", "export_report_command", "scope_options"]

#: The command line is run by whoever keeps the server: with --full it sees everything.
FULL_VIEWER = Viewer(role="beheerder")


def scope_options(command):
    """``--gemeente`` and ``--wijk`` (exactly one), shared by the export commands."""
    command = click.option("--wijk", help="A wijk code, e.g. WK026805.")(command)
    return click.option("--gemeente", help="A gemeente: code (GM0268) or name.")(command)


def resolve(gemeente: str | None, wijk: str | None, lang: str = "en"):
    """The scope of the options, or a usage error naming the option."""
    try:
        return resolve_scope(get_session(), wijk=wijk, gemeente=gemeente, lang=lang)
    except NotFoundError as exc:
        raise click.BadParameter(f"unknown: {exc.args[0]}", param_hint=f"--{exc.field}") from exc
    except ValidationError as exc:
        raise click.UsageError("give exactly one of --gemeente and --wijk") from exc


def _types(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    types = tuple(part.strip() for part in value.split(",") if part.strip())
    wrong = [key for key in types if key not in FUNCTION_TYPES]
    if wrong:
        raise click.BadParameter(f"choose from {', '.join(FUNCTION_TYPES)}", param_hint="--type")
    return types


def _statuses(value: str) -> tuple[str, ...]:
    statuses = tuple(part.strip() for part in value.split(",") if part.strip())
    if not statuses or any(status not in STATUSES for status in statuses):
        raise click.BadParameter(f"choose from {', '.join(STATUSES)}", param_hint="--status")
    return statuses


@click.command("export-data")
@scope_options
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--buurt", help="Only this buurt code.")
@click.option("--type", "types", help="Only these function types (comma separated).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Added on or after this day.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Added on or before this day.")
@click.option(
    "--status",
    default="published",
    show_default=True,
    help="Statuses (comma separated): published, pending, hidden. Needs --full.",
)
@click.option("--full", is_flag=True, help="Exact points, names and times: not for publication.")
@click.option("--with-images", is_flag=True, help="A ZIP with the file, codebook and symbols.")
@click.option("--with-analysis", is_flag=True, help="Analysis layers in the GeoPackage.")
@click.option("--workshop", help="Only the places of this workshop (its join code).")
@with_appcontext
def export_data_command(
    gemeente, wijk, fmt, out: Path, buurt, types, since, until, status, full, with_images,
    with_analysis, workshop,
) -> None:  # fmt: skip
    """Export the places of a wijk or gemeente, with a codebook (public content by default)."""
    statuses = _statuses(status)
    if statuses != ("published",) and not full:
        raise click.BadParameter("places that are not published need --full",
                                 param_hint="--status")  # fmt: skip
    found = _workshop(workshop)
    if found is not None and not (gemeente or wijk):
        wijk = found.wijk_code  # a workshop alone: its wijk
    query = ExportQuery(
        resolve(gemeente, wijk), buurt=buurt or None, types=_types(types),
        since=_day(since), until=_day(until), statuses=statuses, full=full,
        workshop=(found.id, found.code) if found is not None else None,
    )  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    count = write_export(
        get_session(), FULL_VIEWER if full else PUBLIC, query, fmt, out,
        with_images=with_images, with_analysis=with_analysis,
    )  # fmt: skip
    kind = "ZIP" if with_images else fmt
    click.echo(f"Wrote {out} ({kind}): {count} places of {query.scope.kind} {query.scope.code}.")


def _workshop(code: str | None):
    if not code:
        return None
    found = find_workshop(get_session(), code)
    if found is None:
        raise click.BadParameter(f"no workshop has the code {code!r}", param_hint="--workshop")
    return found


def _day(moment) -> date | None:
    return moment.date() if moment is not None else None


@click.command("export-map")
@click.option("--wijk", required=True, help="A wijk code, e.g. WK026805.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "png", "html"]), default="pdf",
              show_default=True, help="html: one file that works offline.")  # fmt: skip
@click.option("--size", type=click.Choice(["A4", "A3"]), default="A4", show_default=True)
@click.option("--orientation", type=click.Choice(["portrait", "landscape"]), default="portrait",
              show_default=True)  # fmt: skip
@click.option("--layer", type=click.Choice(["coverage", "gaps"]), help="One analysis layer.")
@click.option("--type", "types", help="Only places of this function type (and its layer).")
@click.option(
    "--quote",
    "quotes",
    multiple=True,
    type=int,
    help="Id of a place whose quote goes on the poster (repeat; default: the most shared).",
)
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def export_map_command(wijk, fmt, size, orientation, layer, types, quotes, lang, out) -> None:
    """A printable poster of a wijk (PDF with vectors, PNG at 300 dpi) or its map as one HTML
    file that works offline; public content only."""
    from flask import current_app

    from .services.exports.poster import offline_html, write_poster

    query = ExportQuery(resolve(None, wijk), types=_types(types), lang=lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        tiles = current_app.config["TILE_LAYERS"]
        html = offline_html(get_session(), query, layer=layer, tile_layers=tiles)
        out.write_text(html, encoding="utf-8")
        click.echo(f"Wrote {out} (HTML, works offline) of wijk {query.scope.code}.")
        return
    write_poster(get_session(), query, out, fmt=fmt, size=size, orientation=orientation,
                 layer=layer, quotes=list(quotes) or None)  # fmt: skip
    click.echo(f"Wrote {out} ({size} {orientation} {fmt}) of wijk {query.scope.code}.")


@click.command("export-report")
@click.option("--wijk", required=True, help="A wijk code, e.g. WK026805.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def export_report_command(wijk, lang, out) -> None:
    """The wijkverslag as an A4 PDF: the map, quotes, findings, actions, reach and sources;
    public content only."""
    from .services.report import write_report

    scope = resolve(None, wijk)
    out.parent.mkdir(parents=True, exist_ok=True)
    pages = write_report(get_session(), scope.code, out, lang=lang)
    click.echo(f"Wrote {out} (PDF, {pages} pages): the wijkverslag of {scope.code}.")

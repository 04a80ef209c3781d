"""``plekken analyse --reach``: whose voices the map holds, per buurt, as a table."""

from __future__ import annotations

from pathlib import Path

import click

from .db import get_session
from .errors import NotFoundError, ValidationError

__all__ = ["not_imported", "print_reach"]

#: The columns printed in the terminal (a CSV file gets them all).
SHOWN = ["code", "name", "inhabitants", "contributors", "contributors_per_1000",
         "places_in_buurt", "representation", "not_reached"]  # fmt: skip


def not_imported(exc: NotFoundError) -> click.BadParameter:
    """The command-line error for a wijk or gemeente whose areas are not imported."""
    return click.BadParameter(
        f"{exc.args[0]} is not in the database; import its areas with 'plekken import-areas' first",
        param_hint=f"--{exc.field}",
    )


def print_reach(
    wijk: str | None,
    gemeente: str | None,
    include_pending: bool,
    exact: bool,
    min_inhabitants: int,
    out: Path | None,
) -> None:
    """Print the reach table of a wijk or gemeente, and write it to ``out`` (.csv) if given."""
    from .io.analysis_export import write_csv
    from .services.reach import reach_result

    if out is not None and out.suffix.lower() != ".csv":
        raise click.BadParameter("with --reach the file must end in .csv", param_hint="--out")
    try:
        result = reach_result(
            get_session(), wijk=wijk, gemeente=gemeente, include_pending=include_pending,
            exact=exact, min_inhabitants=min_inhabitants,
        )  # fmt: skip
    except NotFoundError as exc:
        raise not_imported(exc) from exc
    except ValidationError as exc:
        raise click.ClickException(str(exc)) from exc
    table = result.frame
    click.echo(table[SHOWN].to_string(index=False, na_rep="-"))
    totals = result.metadata["totals"]
    click.echo(
        f"{totals['contributors']} contributors: {totals['living_in_scope']} live in these "
        f"buurten, {totals['living_elsewhere']} elsewhere, {totals['home_unknown']} did not say."
        + ("" if exact else " Counts of 1-4 people show as '< 5' (--exact shows them).")
    )
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_csv(out, table)
        click.echo(f"Wrote {out}: reach ({len(table)} rows).")

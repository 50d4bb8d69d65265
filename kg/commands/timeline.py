"""`kg timeline`: the dated history of a measure, or of every measure an entity imposes or is targeted by."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg.commands.common import command, fail, out, safe

_FORMATS = ("table", "csv", "json")


@command("timeline")
def timeline_cmd(
    outdir: Path = typer.Argument(..., help="A folder written by `kg build` (holds graph.ttl)."),
    name: Optional[str] = typer.Argument(None, metavar="[MEASURE-or-ENTITY]",
                                         help="A measure's label or alias (\"US tariffs on China\"), or an entity "
                                              "(\"China\"): the measures it imposes or is targeted by. Default: every measure."),
    fmt: str = typer.Option("table", "--format", "-f", help="table (default), csv or json."),
) -> None:
    """Show measures' histories in date order: each reported change (announced, imposed, raised, reduced,
    paused, extended, exempted, lifted, struck down) with its date, rates and sources.

    Example: kg timeline out "US tariffs on China" --format csv
    """
    from kg.timeline import NoSuchMeasure, timeline, to_csv, to_json

    f = fmt.lower()
    if f not in _FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of: {', '.join(_FORMATS)}", code=2)
    if not (outdir / "graph.ttl").is_file() and not outdir.is_file():
        raise fail(f"{outdir / 'graph.ttl'} not found: run `kg build INPUT -o {outdir}` first")
    try:
        rows = timeline(outdir, name)
    except NoSuchMeasure as exc:
        raise fail(str(exc)) from None
    if f == "json":
        out.file.write(to_json(rows))
        return
    if f == "csv":
        out.file.write(to_csv(rows))
        return
    if not rows:
        out.print("no reported changes of measures" + (f" for {safe(name)!s}" if name else ""), highlight=False)
        return
    from rich.table import Table

    table = Table(title=f"History of {name}" if name else "History of measures", show_lines=False)
    for col in ("measure", "date", "event", "rate", "sources"):
        table.add_column(col, overflow="fold")
    for r in rows:
        date = r.date or (f"(reported {r.reported})" if r.reported else "")
        rate = f"{r.rate_before}% → {r.rate_after}%" if r.rate_before and r.rate_after else (
            f"{r.rate_after}%" if r.rate_after else (f"from {r.rate_before}%" if r.rate_before else ""))
        event = r.event + (" (scheduled)" if r.modality == "future" else "")
        table.add_row(safe(r.measure), date, event, rate, safe(r.documents))
    out.print(table)

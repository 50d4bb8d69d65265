"""`kg export OUTDIR [-f FORMAT] [-o DEST]`: the built graph in another format."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg.commands.common import command, console, fail, out


@command("export", no_args_is_help=True)
def export_cmd(
    outdir: Path = typer.Argument(..., metavar="OUTDIR", help="A folder written by `kg build` (holds graph.ttl)."),
    fmt: Optional[str] = typer.Option(
        None, "-f", "--format",
        help="ttl, nt, trig, nq, jsonld, graphml, gexf, neo4j, cypher, kuzu (default: from the -o suffix).",
    ),
    dest: Optional[Path] = typer.Option(
        None, "-o", "--output", help="File (or folder, for neo4j/kuzu) to write; default OUTDIR/graph.<suffix>."
    ),
) -> None:
    """Write the graph in OUTDIR as another RDF syntax or for a graph database.

    Examples: [cyan]kg export out -f trig[/] (one named graph per article),
    [cyan]kg export out -o graph.jsonld[/], [cyan]kg export out -f neo4j[/] (out/neo4j/*.csv + import.sh).

    Exit codes: 0 written; 1 OUTDIR has no graph.ttl or the graph cannot be written; 2 bad usage.
    """
    from kg.export import UnknownFormatError, export, format_for_path, resolve_format

    try:
        f = resolve_format(fmt) if fmt else (format_for_path(dest) if dest else None)
    except UnknownFormatError as exc:
        raise fail(str(exc), code=2) from None
    if f is None:
        raise fail("give --format (e.g. -f trig) or an output file whose suffix names one (e.g. -o g.nt)", code=2)
    try:
        files = export(outdir, f.name, dest)
    except FileNotFoundError as exc:
        raise fail(str(exc)) from None
    except ValueError as exc:
        raise fail(f"cannot export as {f.name}: {exc}") from None
    for p in files:
        out.print(str(p), highlight=False, soft_wrap=True)
    console.print(f"[green]wrote[/] {len(files)} file(s) as {f.name}: {f.description}", highlight=False)

"""`kg view OUTDIR [-o FILE] [--focus ENTITY --depth N] ...`: (re)write the interactive HTML view."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg.commands.common import command, console, fail, out


@command("view", no_args_is_help=True)
def view_cmd(
    outdir: Path = typer.Argument(..., metavar="OUTDIR", help="A folder written by `kg build` (holds graph.ttl)."),
    dest: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML file to write; default OUTDIR/graph.html."),
    focus: Optional[str] = typer.Option(
        None, "--focus", help="Draw only this entity's neighbourhood (label or alias, any case): \"Scott Bessent\"."
    ),
    depth: int = typer.Option(1, "--depth", "-d", min=0, help="With --focus: how many hops out."),
    max_nodes: int = typer.Option(
        300, "--max-nodes", min=1, help="Draw at most this many entities, the most central (see --size-by)."
    ),
    classes: Optional[str] = typer.Option(
        None, "--classes", help="Only these classes, comma-separated: Person,Country,GovernmentAgency,..."
    ),
    properties: Optional[str] = typer.Option(
        None, "--properties", help="Only these relations, comma-separated: imposes,targets,..."
    ),
    min_confidence: float = typer.Option(
        0.0, "--min-confidence", min=0.0, max=1.0, help="Drop relations below this confidence."
    ),
    size_by: str = typer.Option("degree", "--size-by", help="Node size and centrality: degree or pagerank."),
) -> None:
    """Write the graph in OUTDIR as one self-contained HTML page (opens from disk, no network).

    Examples: [cyan]kg view out[/] (rewrites out/graph.html),
    [cyan]kg view out --focus "Scott Bessent" --depth 2 -o bessent.html[/],
    [cyan]kg view out --classes Person,Country --properties imposes,targets[/].

    Exit codes: 0 written; 1 no graph.ttl, no entity called --focus, or cannot write; 2 bad usage.
    """
    from kg.graph import load_graph, to_networkx
    from kg.io import atomic_write
    from kg.view import EntityNotFound, ViewError, ViewOptions, render

    try:
        opts = ViewOptions(max_nodes=max_nodes, focus=focus, depth=depth, classes=classes, properties=properties,
                           min_confidence=min_confidence, size_by=size_by.lower())
    except ViewError as exc:
        raise fail(str(exc), code=2) from None
    try:
        G = to_networkx(load_graph(outdir))
    except FileNotFoundError as exc:
        raise fail(str(exc)) from None
    try:
        html, sel = render(G, opts)
    except EntityNotFound as exc:
        hint = "" if exc.suggestions else "; list entities with `kg rank OUTDIR --by degree --top 50`"
        raise fail(f"{exc}{hint}") from None
    if dest is None:
        dest = (outdir if outdir.is_dir() else outdir.parent) / "graph.html"
    try:
        path = atomic_write(dest, html)
    except OSError as exc:
        raise fail(f"cannot write {dest}: {exc}") from None
    out.print(str(path), highlight=False, soft_wrap=True)
    msg = f"[green]wrote[/] {len(sel.nodes):,} entities and {len(sel.edges):,} relations"
    if sel.left_out_nodes or sel.left_out_edges:
        msg += f"; left out {sel.left_out_nodes:,} entities and {sel.left_out_edges:,} relations (--max-nodes {max_nodes})"
    console.print(msg, highlight=False)

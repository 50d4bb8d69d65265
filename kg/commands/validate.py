"""`kg validate OUTDIR`: check a build against the SHACL shapes in ontology/shapes.ttl."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from kg.commands.common import command, console, fail, out


def render(report, names, limit: int):
    """The rich renderables of a report: one table per (severity, message) group."""
    from rich.markup import escape
    from rich.table import Table

    from kg.validate import node_name

    items = []
    for (severity, message), vs in report.by_message().items():
        colour = {"Violation": "red", "Warning": "yellow"}.get(severity, "blue")
        table = Table(
            title=f"[bold {colour}]{severity}[/] ({len(vs)}): {escape(message)}",
            title_justify="left",
            show_header=True,
            header_style="bold",
            highlight=False,
            expand=False,
        )
        table.add_column("focus node", overflow="fold")
        table.add_column("label", overflow="fold")
        table.add_column("property", overflow="fold")
        table.add_column("value", overflow="fold")
        for v in vs[:limit]:
            table.add_row(
                escape(node_name(v.focus, names)),
                escape(v.label),
                escape(node_name(v.path, names)),
                escape(node_name(v.value, names) if v.value is not None and v.value != v.focus else ""),
            )
        if len(vs) > limit:
            table.add_row(f"… and {len(vs) - limit} more (use --limit)", "", "", "")
        items.append(table)
    return items


@command("validate", no_args_is_help=True)
def validate_cmd(
    outdir: Optional[Path] = typer.Argument(
        None, metavar="OUTDIR", help="A folder written by `kg build` (holds graph.ttl and mentions.ttl)."
    ),
    mentions: bool = typer.Option(
        True, "--mentions/--no-mentions", help="Also validate OUTDIR/mentions.ttl (NIF mentions)."
    ),
    limit: int = typer.Option(20, "--limit", min=1, help="Show at most this many focus nodes per kind of violation."),
    engine: str = typer.Option(
        "native", "--engine",
        help="SHACL engine: native (newskg's own, seconds for a million triples) or pyshacl (the reference, minutes).",
    ),
) -> None:
    """Validate a build against the newskg SHACL shapes (ontology/shapes.ttl).

    Checks what the output contract promises: one core class and one label per
    entity, domain and range of every relation, a provenance node (rdf:Statement
    with document, sentence, confidence in [0, 1] and modality) behind every
    relation triple, quotations, documents, and NIF mention offsets.

    [cyan]kg validate out[/]

    Exit codes: 0 the graph conforms; 1 it does not (or a file is not valid
    Turtle); 2 bad usage (OUTDIR missing or holds no graph.ttl, unknown --engine).
    """
    from kg.validate import ENGINES, OutdirTriples, load_outdir, validate, validate_triples
    from kg.vocab import bind_prefixes
    from rdflib import Graph

    if outdir is None:
        raise fail("give the OUTDIR a `kg build` wrote, e.g. `kg validate out`", 2)
    if engine not in ENGINES:
        raise fail(f"--engine {engine!r} is not a SHACL engine; valid: {', '.join(ENGINES)}", 2)
    t0 = time.perf_counter()
    try:
        if engine == "pyshacl":
            g = load_outdir(outdir, mentions=mentions)
            report, n_triples = validate(g, engine="pyshacl"), len(g)
        else:
            report = validate_triples(OutdirTriples(outdir, mentions=mentions))
            n_triples = report.triples
    except FileNotFoundError as e:
        raise fail(str(e), 2)
    except ValueError as e:
        raise fail(str(e), 1)
    seconds = time.perf_counter() - t0
    names = bind_prefixes(Graph())
    files = "graph.ttl" + (" + mentions.ttl" if mentions and (outdir / "mentions.ttl").is_file() else "")
    n_viol = sum(1 for v in report.violations if v.severity == "Violation")
    if report.conforms:
        out.print(
            f"[bold green]conforms[/]: {outdir}/{files} ({n_triples:,} triples) satisfies every shape "
            f"in ontology/shapes.ttl [dim]({seconds:.1f} s)[/]",
            highlight=False,
        )
        for item in render(report, names, limit):  # warnings, if any
            out.print(item)
        raise typer.Exit(0)
    for item in render(report, names, limit):
        out.print(item)
        out.print()
    groups = len(report.by_message())
    console.print(
        f"[bold red]does not conform[/]: {n_viol} violation(s) of {groups} kind(s) in {outdir}/{files} "
        f"({n_triples:,} triples) [dim]({seconds:.1f} s)[/]",
        highlight=False,
    )
    raise typer.Exit(1)

"""`kg query OUTDIR "SPARQL" | -f FILE.rq | -q NAME`: run SPARQL over a build."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import List, Optional

import typer

from kg.commands.common import command, console, fail, out


def _table(result):
    from rich.table import Table

    from kg.query import shorten

    table = Table(show_lines=False, header_style="bold", highlight=False)
    for v in result.vars:
        table.add_column(v, overflow="fold")
    for row in result.rows:
        table.add_row(*(shorten(t) for t in row))
    return table


@command("query", no_args_is_help=True)
def query_cmd(
    outdir: Optional[Path] = typer.Argument(
        None, metavar="OUTDIR", help="A folder written by `kg build` (holds graph.ttl), or a .ttl/.nt file."
    ),
    sparql: Optional[str] = typer.Argument(None, metavar="SPARQL", help="The query text (or use -f / -q)."),
    file: Optional[Path] = typer.Option(None, "-f", "--file", help="Read the query from this .rq file."),
    name: Optional[str] = typer.Option(
        None, "-q", "--query", help="Run a ready-made query from queries/ by name (see --list)."
    ),
    param: List[str] = typer.Option(
        [], "-p", "--param", metavar="NAME=VALUE",
        help="Bind ?NAME to VALUE (a string literal, or an IRI written <…>); repeatable.",
    ),
    fmt: Optional[str] = typer.Option(
        None, "--format",
        help="table, json, xml, csv, tsv (SELECT/ASK); ttl, nt (CONSTRUCT/DESCRIBE). "
        "Default: a table on a terminal, tsv when piped; ttl for graph results.",
    ),
    engine: Optional[str] = typer.Option(None, "--engine", help="oxigraph or rdflib (default: kg.query.DEFAULT_ENGINE, oxigraph, the faster on large graphs)."),
    mentions: bool = typer.Option(False, "--mentions", help="Also load OUTDIR/mentions.ttl (NIF mentions)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write the result to this file (atomically)."),
    list_: bool = typer.Option(False, "--list", help="List the ready-made queries and their parameters, then exit."),
) -> None:
    """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) over OUTDIR/graph.ttl.

    The prefixes kg:, rdfs:, skos:, prov:, dcterms:, country:, person:, policy:
    … are predeclared. Examples:

    [cyan]kg query out "SELECT ?p ?l WHERE { ?p a kg:Person ; rdfs:label ?l }"[/]
    [cyan]kg query out -q quotes-by-speaker --param speaker="Marco Rubio" --format csv[/]

    Exit codes: 0 answered; 1 OUTDIR has no graph.ttl; 2 bad usage (syntax error,
    an update, an unknown parameter, query name or format).
    """
    from kg.query import (
        DEFAULT_ENGINE,
        ENGINES,
        GRAPH_FORMATS,
        SELECT_FORMATS,
        QueryError,
        check_query,
        list_queries,
        normalize_format,
        open_engine,
        parse_param_args,
        query_description,
        query_params,
        read_query,
        serialize_result,
    )
    from kg.resources import read_text

    if list_:
        for qname, path in list_queries().items():
            text = read_text(path)
            out.print(f"[bold]{qname}[/]  {query_description(text)}", highlight=False)
            for pname, desc in query_params(text).items():
                out.print(f"    --param {pname}=…  {desc}", highlight=False, markup=False)
        return
    if outdir is None:
        raise fail("give OUTDIR, the folder `kg build` wrote (e.g. kg query out \"SELECT …\")", code=2)
    engine = engine or DEFAULT_ENGINE  # resolved here: importing kg.query at start-up costs every command
    if engine not in ENGINES:
        raise fail(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}", code=2)
    given = [x for x in (sparql, file, name) if x is not None]
    if len(given) != 1:
        raise fail("give exactly one query: SPARQL text, -f FILE.rq or -q NAME (see kg query --list)", code=2)
    if fmt is not None:
        fmt = normalize_format(fmt)
        valid = ("table",) + SELECT_FORMATS + GRAPH_FORMATS
        if fmt not in valid:
            raise fail(f"unknown format {fmt!r}; choose one of: {', '.join(valid)}", code=2)
    try:
        if name is not None:
            text = read_query(name)
        elif file is not None:
            if not file.is_file():
                raise fail(f"{file} not found: give a .rq file, or a ready-made query with -q (see --list)", code=2)
            text = file.read_text(encoding="utf-8")
        else:
            text = sparql or ""
        params = parse_param_args(param)
        declared = query_params(text)
        missing = [p for p, d in declared.items() if d.lower().startswith("required") and p not in params]
        if missing:
            raise fail(
                "this query needs " + ", ".join(f"--param {p}=VALUE ({declared[p]})" for p in missing), code=2
            )
        check_query(text)  # SERVICE, FROM: refused before the graph is loaded
        t0 = time.perf_counter()
        eng = open_engine(outdir, engine, mentions)
        t1 = time.perf_counter()
        result = eng.query(text, params=params)
        t2 = time.perf_counter()
    except FileNotFoundError as exc:
        raise fail(str(exc)) from None
    except QueryError as exc:
        raise fail(str(exc), code=2) from None

    if fmt is None:
        if result.kind == "graph":
            fmt = "ttl"
        elif output is not None:
            suffix = output.suffix.lower().lstrip(".")
            fmt = {"srj": "json", "srx": "xml"}.get(suffix, suffix) if suffix in SELECT_FORMATS + ("srj", "srx") else "json"
        else:
            fmt = "table" if sys.stdout.isatty() else "tsv"
    if fmt == "table" and (result.kind == "graph" or output is not None):
        raise fail("--format table is for SELECT/ASK on a terminal; use json, csv, tsv, xml (or ttl, nt for graphs)", code=2)

    if fmt == "table":
        if result.kind == "ask":
            out.print("true" if result.boolean else "false", highlight=False)
        else:
            out.print(_table(result))
    else:
        try:
            data = serialize_result(result, fmt)
        except QueryError as exc:
            raise fail(str(exc), code=2) from None
        if output is not None:
            from kg.io import atomic_write

            atomic_write(output, data)
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
    what = {"select": f"{result.count} row(s)", "ask": "boolean", "graph": f"{result.count} triple(s)"}[result.kind]
    console.print(
        f"[dim]{what} · {eng.name} · {len(eng):,} triples loaded in {t1 - t0:.2f} s · query {t2 - t1:.3f} s[/]",
        highlight=False,
    )

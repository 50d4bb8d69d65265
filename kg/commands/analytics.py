"""`kg neighbors`, `kg path`, `kg rank`, `kg communities`: analytics on the networkx view."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from kg.commands.common import command, console, fail, out

_FORMATS = ("text", "json")
_OUTDIR_HELP = "A folder written by `kg build` (holds graph.ttl)."
_FORMAT_HELP = "text (default) or json (for machines)."
_ALL_HELP = "Also link entities by relations read as negated or hypothetical."


def _load(outdir: Path):
    from kg.graph import load_graph, to_networkx

    try:
        return to_networkx(load_graph(outdir))
    except FileNotFoundError as exc:
        raise fail(str(exc)) from None


def _check_format(fmt: str) -> str:
    f = fmt.lower()
    if f not in _FORMATS:
        raise fail(f"unknown format {fmt!r}; choose one of: {', '.join(_FORMATS)}", code=2)
    return f


def _entity(G, name: str) -> str:
    from kg.graph import close_matches, find_entities

    found = find_entities(G, name)
    if not found:
        hint = close_matches(G, name)
        msg = f"no entity is called {name!r} (label or alias, any case)"
        msg += f"; did you mean: {', '.join(hint)}?" if hint else "; list entities with `kg rank OUTDIR --by degree --top 50`"
        raise fail(msg)
    if len(found) > 1:
        others = ", ".join(f"{G.nodes[n]['label']} ({G.nodes[n].get('cls', '')})" for n in found[1:4])
        console.print(f"[dim]{name!r} also names {others}; using {G.nodes[found[0]]['label']}[/]", highlight=False)
    return found[0]


def _json(data) -> None:
    out.file.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _arrow(prop: str, direction: str) -> str:
    return f"—{prop}→" if direction == "forward" else f"←{prop}—"


def _sources(rel: dict, indent: str = "      ") -> None:
    for s in rel.get("sources", []):
        out.print(f"{indent}“{s['sentence']}” ({s['doc']})", highlight=False, markup=False, soft_wrap=True)


@command("neighbors", no_args_is_help=True)
def neighbors_cmd(
    outdir: Path = typer.Argument(..., metavar="OUTDIR", help=_OUTDIR_HELP),
    entity: str = typer.Argument(..., metavar="ENTITY", help="Label or alias, any case: \"China\", \"Bessent\"."),
    depth: int = typer.Option(1, "--depth", "-d", min=1, help="How many hops out."),
    fmt: str = typer.Option("text", "--format", help=_FORMAT_HELP),
    all_edges: bool = typer.Option(False, "--all", help=_ALL_HELP),
) -> None:
    """The entities related to ENTITY within --depth hops, with the relation and its sentences.

    Exit codes: 0 ok; 1 no graph.ttl or no such entity; 2 bad usage.
    """
    from kg.analytics import neighbors

    fmt = _check_format(fmt)
    G = _load(outdir)
    node = _entity(G, entity)
    items = neighbors(G, node, depth=depth, asserted_only=not all_edges)
    if fmt == "json":
        _json({"entity": node, "label": G.nodes[node]["label"], "depth": depth, "neighbors": items})
        return
    out.print(f"[bold]{G.nodes[node]['label']}[/] ({G.nodes[node].get('cls', '')}): {len(items)} within {depth} hop(s)")
    for it in items:
        out.print(f"  [{it['distance']}] [bold]{it['label']}[/] ({it['cls']})", highlight=False)
        for r in it["relations"]:
            out.print(f"      {r['via_label']} {_arrow(r['property'], r['direction'])} {it['label']}"
                      + ("" if r["modality"] == "asserted" else f" [{r['modality']}]"), highlight=False, markup=False)
            _sources(r, "        ")


@command("path", no_args_is_help=True)
def path_cmd(
    outdir: Path = typer.Argument(..., metavar="OUTDIR", help=_OUTDIR_HELP),
    a: str = typer.Argument(..., metavar="A", help="From this entity (label or alias)."),
    b: str = typer.Argument(..., metavar="B", help="To this entity (label or alias)."),
    limit: int = typer.Option(5, "--limit", min=1, help="Print at most this many shortest paths."),
    fmt: str = typer.Option("text", "--format", help=_FORMAT_HELP),
    all_edges: bool = typer.Option(False, "--all", help=_ALL_HELP),
) -> None:
    """The shortest paths between A and B, each hop with its relation, direction and sentences.

    Exit codes: 0 a path was found; 1 no graph.ttl, no such entity, or no path; 2 bad usage.
    """
    from kg.analytics import shortest_paths

    fmt = _check_format(fmt)
    G = _load(outdir)
    na, nb = _entity(G, a), _entity(G, b)
    paths = shortest_paths(G, na, nb, limit=limit, asserted_only=not all_edges)
    if fmt == "json":
        _json({"from": na, "to": nb, "paths": paths})
    else:
        la, lb = G.nodes[na]["label"], G.nodes[nb]["label"]
        if paths:
            out.print(f"{len(paths)} shortest path(s) of {len(paths[0])} hop(s) from {la} to {lb}", highlight=False)
        for i, p in enumerate(paths, 1):
            out.print(f"[bold]path {i}[/]: " + " · ".join([la] + [h["to_label"] for h in p]), highlight=False)
            for h in p:
                for r in h["relations"]:
                    out.print(f"  {h['from_label']} {_arrow(r['property'], r['direction'])} {h['to_label']}"
                              + ("" if r["modality"] == "asserted" else f" [{r['modality']}]"),
                              highlight=False, markup=False)
                    _sources(r, "      ")
    if not paths:
        raise fail(f"no path links {G.nodes[na]['label']} and {G.nodes[nb]['label']}"
                   + ("" if all_edges else " by asserted relations (try --all)"))


@command("rank", no_args_is_help=True)
def rank_cmd(
    outdir: Path = typer.Argument(..., metavar="OUTDIR", help=_OUTDIR_HELP),
    by: str = typer.Option("pagerank", "--by", help="pagerank, degree or betweenness (sampled on big graphs)."),
    top: int = typer.Option(10, "--top", "-n", min=1, help="How many entities."),
    cls: Optional[str] = typer.Option(None, "--class", help="Only this core class: Person, Country, Policy, …"),
    seed: int = typer.Option(0, "--seed", help="Seed of the betweenness sample."),
    fmt: str = typer.Option("text", "--format", help=_FORMAT_HELP),
    all_edges: bool = typer.Option(False, "--all", help=_ALL_HELP),
) -> None:
    """The most central entities.

    Exit codes: 0 ok; 1 no graph.ttl; 2 bad usage.
    """
    from kg.analytics import RANK_MEASURES, rank
    from kg.vocab import CORE_CLASSES

    fmt = _check_format(fmt)
    if by not in RANK_MEASURES:
        raise fail(f"unknown measure {by!r}; choose one of: {', '.join(RANK_MEASURES)}", code=2)
    if cls is not None:
        match = [c for c in CORE_CLASSES if c.lower() == cls.lower()]
        if not match:
            raise fail(f"unknown class {cls!r}; choose one of: {', '.join(CORE_CLASSES)}", code=2)
        cls = match[0]
    G = _load(outdir)
    items = rank(G, by=by, top=top, cls=cls, seed=seed, asserted_only=not all_edges)
    if fmt == "json":
        _json({"by": by, "class": cls, "ranking": items})
        return
    from rich.table import Table

    t = Table("#", "entity", "class", by, highlight=False)
    for i, it in enumerate(items, 1):
        t.add_row(str(i), it["label"], it["cls"], f"{it['score']:.4g}")
    out.print(t)


@command("communities", no_args_is_help=True)
def communities_cmd(
    outdir: Path = typer.Argument(..., metavar="OUTDIR", help=_OUTDIR_HELP),
    seed: int = typer.Option(0, "--seed", help="Seed of the Louvain method."),
    min_size: int = typer.Option(2, "--min-size", min=1, help="Hide communities smaller than this."),
    fmt: str = typer.Option("text", "--format", help=_FORMAT_HELP),
    all_edges: bool = typer.Option(False, "--all", help=_ALL_HELP),
) -> None:
    """Groups of closely related entities (Louvain, seeded), each listed by label.

    Exit codes: 0 ok; 1 no graph.ttl; 2 bad usage.
    """
    from kg.analytics import communities

    fmt = _check_format(fmt)
    G = _load(outdir)
    found = [c for c in communities(G, seed=seed, asserted_only=not all_edges) if len(c) >= min_size]
    if fmt == "json":
        _json({"seed": seed, "communities": [[{"node": n, "label": G.nodes[n]["label"]} for n in c] for c in found]})
        return
    for i, c in enumerate(found, 1):
        labels = ", ".join(G.nodes[n]["label"] for n in c)
        out.print(f"[bold]{i}[/] ({len(c)}): {labels}", highlight=False, soft_wrap=True)
    if not found:
        console.print(f"no community of {min_size} or more entities", highlight=False)

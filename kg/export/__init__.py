"""Export a built graph to other RDF syntaxes and to property-graph databases.

``export(outdir, fmt, dest=None)`` reads what ``kg build`` wrote in OUTDIR
(``graph.ttl``, plus ``mentions.ttl`` for the dataset formats) and writes one
format; it returns the files written. Formats are looked up in a registry of
names and aliases (like rdflib's plugin table) and their writers are imported
only when used:

>>> resolve_format("json-ld").name
'jsonld'
>>> resolve_format("ntriples").suffix
'.nt'
>>> format_for_path("out/graph.trig").name
'trig'
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path


class UnknownFormatError(ValueError):
    """A format name (or file suffix) that no writer handles."""


@dataclass(frozen=True)
class Format:
    """One export format: its names, where it goes by default, and its writer.

    ``writer`` is ``"module:function"`` inside :mod:`kg.export`; the function
    is called as ``function(outdir, dest) -> list[Path]``. ``folder`` formats
    write several files into a directory (``dest`` is that directory).
    """

    name: str
    aliases: tuple[str, ...]
    suffix: str  # file suffix, or "" for folder formats
    default: str  # default file or folder name inside OUTDIR
    writer: str
    description: str
    folder: bool = False

    def default_dest(self, outdir: Path) -> Path:
        return Path(outdir) / self.default


FORMATS: tuple[Format, ...] = (
    Format("ttl", ("turtle",), ".ttl", "graph.ttl", "rdf:write_turtle",
           "Turtle (graph.ttl itself, re-serialised with the project's prefixes)"),
    Format("nt", ("ntriples", "n-triples"), ".nt", "graph.nt", "rdf:write_ntriples",
           "N-Triples of graph.ttl (streamed)"),
    Format("trig", (), ".trig", "graph.trig", "rdf:write_trig",
           "TriG: graph.ttl + mentions.ttl, one named graph per source document"),
    Format("nq", ("nquads", "n-quads"), ".nq", "graph.nq", "rdf:write_nquads",
           "N-Quads: graph.ttl + mentions.ttl, one named graph per source document"),
    Format("jsonld", ("json-ld",), ".jsonld", "graph.jsonld", "rdf:write_jsonld",
           "JSON-LD compacted with ontology/context.jsonld (embedded inline)"),
    Format("graphml", (), ".graphml", "graph.graphml", "pg:write_graphml",
           "GraphML of the networkx projection (lists as JSON strings)"),
    Format("gexf", (), ".gexf", "graph.gexf", "pg:write_gexf",
           "GEXF of the networkx projection, for Gephi"),
    Format("neo4j", ("neo4j-csv",), "", "neo4j", "neo4j:write_neo4j_csv",
           "folder of CSVs for `neo4j-admin database import full` + import.sh", folder=True),
    Format("cypher", (), ".cypher", "graph.cypher", "neo4j:write_cypher",
           "idempotent Cypher script (CREATE CONSTRAINT, MERGE … SET) for cypher-shell"),
    Format("kuzu", ("ladybug", "ladybugdb"), "", "kuzu", "kuzu:write_kuzu",
           "folder for Kùzu/LadybugDB: schema.cypher, CSVs, load.cypher", folder=True),
)

_BY_NAME: dict[str, Format] = {}
for _f in FORMATS:
    for _n in (_f.name, *_f.aliases):
        _BY_NAME[_n] = _f
_BY_SUFFIX: dict[str, Format] = {f.suffix: f for f in FORMATS if f.suffix}
_BY_SUFFIX[".json"] = _BY_NAME["jsonld"]


def format_names() -> list[str]:
    """``name (alias, …)`` for every format, in registry order."""
    return [f.name + (f" ({', '.join(f.aliases)})" if f.aliases else "") for f in FORMATS]


def resolve_format(name: str) -> Format:
    """The :class:`Format` called ``name`` (case-insensitive; aliases allowed)."""
    f = _BY_NAME.get(name.strip().lower())
    if f is None:
        raise UnknownFormatError(
            f"unknown export format {name!r}; valid formats: {', '.join(format_names())}"
        )
    return f


def format_for_path(path: str | Path) -> Format:
    """The format a destination path implies: its suffix, or a known folder name."""
    p = Path(path)
    f = _BY_SUFFIX.get(p.suffix.lower())
    if f is None and not p.suffix:
        f = _BY_NAME.get(p.name.lower())  # e.g. `-o out/neo4j`
    if f is None:
        raise UnknownFormatError(
            f"cannot tell the export format from {str(path)!r}; give --format, one of: "
            f"{', '.join(format_names())}; or use a file suffix: {', '.join(sorted(_BY_SUFFIX))}"
        )
    return f


def export(outdir: Path, fmt: str, dest: Path | None = None) -> list[Path]:
    """Export the graph in ``outdir`` as ``fmt``; return the files written.

    ``dest`` defaults to ``OUTDIR/<format default>`` (``graph.nt``, ``neo4j/`` …).
    Raises :class:`UnknownFormatError` for an unknown ``fmt`` and
    :class:`FileNotFoundError` when ``OUTDIR/graph.ttl`` is missing.
    """
    f = resolve_format(fmt)
    outdir = Path(outdir)
    src = outdir / "graph.ttl"
    if not src.is_file():
        raise FileNotFoundError(f"{src} not found: run `kg build INPUT... -o {outdir}` first")
    target = Path(dest) if dest is not None else f.default_dest(outdir)
    module, func = f.writer.split(":")
    writer = getattr(importlib.import_module(f"kg.export.{module}"), func)
    return writer(outdir, target)


__all__ = [
    "FORMATS",
    "Format",
    "UnknownFormatError",
    "export",
    "format_for_path",
    "format_names",
    "resolve_format",
]

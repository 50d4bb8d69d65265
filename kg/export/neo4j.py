"""Neo4j exports: bulk-import CSVs for ``neo4j-admin database import full`` and a Cypher script.

CSV folder (``OUTDIR/neo4j/``)::

    nodes.csv          iri:ID,:LABEL,label,cls,aliases:string[],…,mentions:int,…,rate:float
    relationships.csv  :START_ID,:END_ID,:TYPE,property,confidence:float,modality,count:int,documents:string[],sentences:string[]
    import.sh          the exact neo4j-admin command (array delimiter, multi-line fields)

The ID column is named ``iri`` so the import stores each node's IRI in the
``iri`` property, the key the Cypher script MERGEs on: both routes give the
same graph. Nodes carry two labels, ``Entity`` and their core class
(``Entity;Country``). Arrays are split by neo4j-admin on one character with no
escape, so the delimiter is ``;`` (the default) unless some element contains
one; then the next free one of ``| ¦ U+001F`` is used and import.sh passes it.

``graph.cypher`` is idempotent (``CREATE CONSTRAINT … IF NOT EXISTS``,
``MERGE`` … ``SET``), one statement per line, every string literal escaped by
:func:`cypher_string`. :func:`validate_import` checks a CSV folder against
the documented neo4j-admin header grammar.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path
from typing import Iterable, Iterator

import networkx as nx

from kg.export.pg import (
    EDGE_FIELDS,
    NODE_FIELDS,
    array_values,
    edge_records,
    load_networkx,
    node_records,
    pick_delimiter,
)
from kg.io import atomic_open, atomic_write

NODE_LABEL = "Entity"
_NEO_TYPE = {"string": "", "string[]": ":string[]", "int": ":int", "float": ":float"}


# ---------------------------------------------------------------- CSV

def node_header() -> list[str]:
    return ["iri:ID", ":LABEL"] + [k + _NEO_TYPE[t] for k, t in NODE_FIELDS.items() if k != "iri"]


def rel_header() -> list[str]:
    return [":START_ID", ":END_ID", ":TYPE"] + [k + _NEO_TYPE[t] for k, t in EDGE_FIELDS.items()]


def _cell(value: object, typ: str, delim: str) -> str:
    if value is None:
        return ""
    if typ == "string[]":
        return delim.join(value)  # empty list -> empty cell -> no property
    if typ == "float":
        return repr(float(value)) if math.isfinite(float(value)) else ""
    return str(value)


def node_rows(G: nx.MultiDiGraph, delim: str) -> Iterator[list[str]]:
    for r in node_records(G):
        yield [r["iri"], f"{NODE_LABEL};{r['cls']}"] + [
            _cell(r[k], t, delim) for k, t in NODE_FIELDS.items() if k != "iri"
        ]


def rel_rows(G: nx.MultiDiGraph, delim: str) -> Iterator[list[str]]:
    for r in edge_records(G):
        yield [r["start"], r["end"], r["type"]] + [_cell(r[k], t, delim) for k, t in EDGE_FIELDS.items()]


def import_command(delim: str, database: str = "neo4j") -> str:
    """The neo4j-admin command for the CSVs (run inside the folder)."""
    d = delim if delim in ";|" else f"U+{ord(delim):04X}"
    return (
        f"neo4j-admin database import full {database} --overwrite-destination "
        f"--nodes=nodes.csv --relationships=relationships.csv "
        f"--array-delimiter='{d}' --multiline-fields=true"
    )


def write_neo4j_csv(outdir: Path, dest: Path) -> list[Path]:
    """``nodes.csv``, ``relationships.csv`` and ``import.sh`` in the folder ``dest``."""
    G = load_networkx(outdir)
    delim = pick_delimiter(array_values(G))
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, header, rows in (
        ("nodes.csv", node_header(), node_rows(G, delim)),
        ("relationships.csv", rel_header(), rel_rows(G, delim)),
    ):
        with atomic_open(dest / name, "w") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
        written.append(dest / name)
    script = (
        "#!/bin/sh\n"
        "# Bulk-import this folder into a new Neo4j 5 database (the database must be stopped;\n"
        "# this REPLACES it). Usage: sh import.sh [DATABASE]   (default: neo4j)\n"
        "set -e\ncd \"$(dirname \"$0\")\"\n"
        + import_command(delim, '"${1:-neo4j}"')
        + "\n"
    )
    atomic_write(dest / "import.sh", script)
    written.append(dest / "import.sh")
    return written


# ---------------------------------------------------------------- header grammar

NEO4J_TYPES = frozenset(
    "int long float double boolean byte short char string point date localtime time "
    "localdatetime datetime duration".split()
)
_FIELD = re.compile(r"^(?P<name>[^:]*)(?::(?P<type>[A-Za-z_]+)(?P<array>\[\])?(?:\((?P<group>[^()]*)\))?(?:\{.*\})?)?$")
_SPECIAL = {"ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE"}


def parse_header_field(field: str) -> tuple[str, str, bool]:
    """``(name, type, is_array)`` of one neo4j-admin header field, or ValueError.

    ``type`` is a property type (``string`` when none is given) or one of
    ``ID LABEL START_ID END_ID TYPE IGNORE``.

    >>> parse_header_field("aliases:string[]")
    ('aliases', 'string', True)
    >>> parse_header_field(":START_ID(Entity)")
    ('', 'START_ID', False)
    """
    m = _FIELD.match(field)
    if not m or (m.group("type") is None and ":" in field):
        raise ValueError(f"header field {field!r} is not name, name:type, name:type[] or :KEYWORD")
    name, typ, array, group = m.group("name"), m.group("type"), bool(m.group("array")), m.group("group")
    if typ is None:
        if not name:
            raise ValueError("empty header field")
        return name, "string", False
    if typ in _SPECIAL:
        if array:
            raise ValueError(f"{field!r}: {typ} cannot be an array")
        if group is not None and typ not in ("ID", "START_ID", "END_ID"):
            raise ValueError(f"{field!r}: only ID, START_ID and END_ID take an (ID space)")
        if name and typ not in ("ID", "IGNORE"):
            raise ValueError(f"{field!r}: {typ} takes no property name")
        return name, typ, False
    if typ.lower() not in NEO4J_TYPES:
        raise ValueError(f"{field!r}: unknown type {typ!r}; valid: {', '.join(sorted(NEO4J_TYPES))}")
    if group is not None:
        raise ValueError(f"{field!r}: a property type takes no (ID space)")
    if not name:
        raise ValueError(f"{field!r}: a property needs a name")
    return name, typ.lower(), array


def _check_value(v: str, typ: str) -> bool:
    if v == "":
        return True
    try:
        if typ in ("int", "long", "short", "byte"):
            int(v)
        elif typ in ("float", "double"):
            float(v)
        elif typ == "boolean":
            return v.lower() in ("true", "false")
        elif typ == "char":
            return len(v) == 1
    except ValueError:
        return False
    return True


def validate_import(node_files: Iterable[Path], rel_files: Iterable[Path], array_delimiter: str = ";") -> list[str]:
    """Problems neo4j-admin would report for these CSVs ([] when none).

    Checks each header against the documented grammar (a node file has one
    ``:ID``, no ``:START_ID``/``:END_ID``/``:TYPE``; a relationship file has one
    ``:START_ID``, one ``:END_ID`` and one ``:TYPE``), that every row has as many
    fields as its header, typed values parse, IDs are unique, and every
    ``:START_ID``/``:END_ID`` names a node.
    """
    errors: list[str] = []
    ids: set[str] = set()

    def read(path: Path, kind: str) -> Iterator[tuple[int, dict]]:
        with open(path, encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            header = next(rows, None)
            if not header:
                errors.append(f"{path.name}: empty file, no header")
                return
            cols = []
            for h in header:
                try:
                    cols.append(parse_header_field(h))
                except ValueError as e:
                    errors.append(f"{path.name}: {e}")
                    return
            kinds = [t for _, t, _ in cols]
            need = {"node": {"ID": 1}, "rel": {"START_ID": 1, "END_ID": 1, "TYPE": 1}}[kind]
            banned = {"node": ("START_ID", "END_ID", "TYPE"), "rel": ("ID", "LABEL")}[kind]
            for k, n in need.items():
                if kinds.count(k) != n:
                    errors.append(f"{path.name}: needs exactly {n} :{k} column, has {kinds.count(k)}")
            for k in banned:
                if k in kinds:
                    errors.append(f"{path.name}: a {kind} file cannot have :{k}")
            for lineno, row in enumerate(rows, start=2):
                if len(row) != len(cols):
                    errors.append(f"{path.name} row {lineno}: {len(row)} fields, header has {len(cols)}")
                    continue
                rec: dict = {}
                for (name, typ, arr), v in zip(cols, row):
                    if typ in _SPECIAL:
                        rec[typ] = v
                        continue
                    parts = v.split(array_delimiter) if arr and v else [v]
                    if not all(_check_value(p, typ) for p in parts):
                        errors.append(f"{path.name} row {lineno}: {name}={v!r} is not a {typ}")
                yield lineno, rec

    for p in node_files:
        for lineno, rec in read(Path(p), "node"):
            i = rec.get("ID", "")
            if not i:
                errors.append(f"{Path(p).name} row {lineno}: empty :ID")
            elif i in ids:
                errors.append(f"{Path(p).name} row {lineno}: duplicate :ID {i!r}")
            ids.add(i)
            if "LABEL" in rec and any(not lab for lab in rec["LABEL"].split(";")):
                errors.append(f"{Path(p).name} row {lineno}: empty label in {rec['LABEL']!r}")
    for p in rel_files:
        for lineno, rec in read(Path(p), "rel"):
            for end in ("START_ID", "END_ID"):
                if rec.get(end) not in ids:
                    errors.append(f"{Path(p).name} row {lineno}: :{end} {rec.get(end)!r} is no node's :ID")
            if not rec.get("TYPE"):
                errors.append(f"{Path(p).name} row {lineno}: empty :TYPE")
    return errors


# ---------------------------------------------------------------- Cypher

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r"[\\'\x00-\x1f\x7f\u2028\u2029]")


def cypher_string(s: str) -> str:
    """``s`` as a single-quoted Cypher string literal, safe for any text.

    >>> print(cypher_string("it's a \\\\ and\\na line"))
    'it\\'s a \\\\ and\\na line'
    """
    return "'" + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), s) + "'"


def cypher_name(name: str) -> str:
    """A label, relationship type or property name, backtick-quoted when not a plain identifier."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    return "`" + name.replace("`", "``") + "`"


def cypher_value(value: object, typ: str) -> str | None:
    """A Cypher literal for ``value`` (None: leave the property unset)."""
    if value is None or value == "" or value == []:
        return None
    if typ == "string[]":
        return "[" + ", ".join(cypher_string(v) for v in value) + "]"
    if typ == "float":
        f = float(value)
        return repr(f) if math.isfinite(f) else None
    if typ == "int":
        return str(int(value))
    return cypher_string(str(value))


def _sets(var: str, rec: dict, fields: dict[str, str], skip: tuple[str, ...] = ()) -> str:
    parts = []
    for k, t in fields.items():
        if k in skip:
            continue
        lit = cypher_value(rec[k], t)
        if lit is not None:
            parts.append(f"{var}.{cypher_name(k)} = {lit}")
    return (" SET " + ", ".join(parts)) if parts else ""


def cypher_statements(G: nx.MultiDiGraph) -> Iterator[str]:
    """The statements of ``graph.cypher``, one per item, each ending in ``;``.

    Order: the constraint, one ``MERGE … SET`` per node, one ``SET n:Class`` per
    node (separate, since only Neo4j has multiple labels), one
    ``MATCH … MERGE (a)-[r:TYPE]->(b) SET …`` per edge.
    """
    yield f"CREATE CONSTRAINT entity_iri IF NOT EXISTS FOR (n:{NODE_LABEL}) REQUIRE n.iri IS UNIQUE;"
    nodes = list(node_records(G))
    for r in nodes:
        yield f"MERGE (n:{NODE_LABEL} {{iri: {cypher_string(r['iri'])}}}){_sets('n', r, NODE_FIELDS, ('iri',))};"
    for r in nodes:
        if r["cls"]:
            yield f"MATCH (n:{NODE_LABEL} {{iri: {cypher_string(r['iri'])}}}) SET n:{cypher_name(r['cls'])};"
    for r in edge_records(G):
        yield (
            f"MATCH (a:{NODE_LABEL} {{iri: {cypher_string(r['start'])}}}), "
            f"(b:{NODE_LABEL} {{iri: {cypher_string(r['end'])}}}) "
            f"MERGE (a)-[r:{cypher_name(r['type'])}]->(b){_sets('r', r, EDGE_FIELDS)};"
        )


def to_cypher(G: nx.MultiDiGraph) -> str:
    """The whole ``graph.cypher`` text (see :func:`cypher_statements`)."""
    return "".join(s + "\n" for s in iter_cypher(G))


def iter_cypher(G: nx.MultiDiGraph) -> Iterator[str]:
    yield "// newskg graph for Neo4j 5: cypher-shell -f graph.cypher (idempotent: safe to run again)"
    yield from cypher_statements(G)


def write_cypher(outdir: Path, dest: Path) -> list[Path]:
    """``graph.cypher``: the idempotent Cypher script, written line by line."""
    G = load_networkx(outdir)
    dest = Path(dest)
    with atomic_open(dest, "w") as f:
        for line in iter_cypher(G):
            f.write(line + "\n")
    return [dest]

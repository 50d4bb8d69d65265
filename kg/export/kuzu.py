"""Kùzu / LadybugDB export: ``schema.cypher``, ``nodes.csv``, ``relations.csv``, ``load.cypher``.

Schema choice: one node table ``Entity`` (primary key ``iri``, the core class
in ``cls``) and **one REL TABLE per relation property** (``IMPOSES``,
``NEGOTIATES_WITH`` …, all FROM Entity TO Entity), created for every contract
property whether or not the graph has such edges. That way the same Cypher
(``MATCH (a:Entity)-[:IMPOSES]->(p)``) runs on Neo4j and on Kùzu/LadybugDB,
``graph.cypher``'s ``MERGE (a)-[r:IMPOSES]->(b)`` statements run unchanged
here, and each table stays typed; ``label(r)`` gives the type when a query
matches any relation (``MATCH (a)-[r]->(b)``).

Loading: run ``schema.cypher`` then ``load.cypher`` from inside the folder
(the COPY paths are relative). Kùzu's CSV reader escapes with a backslash by
default and splits quoted newlines only when not parallel, so every load
passes ``PARALLEL=false, QUOTE='"', ESCAPE='"'`` for RFC 4180 CSV (what
Python writes), gives the column types (``LOAD WITH HEADERS (…)``: type
sniffing would turn a label like "2025" into a number), and builds list
columns with ``string_split`` on a delimiter that occurs in no element.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterator

import networkx as nx

from kg.export.neo4j import cypher_string
from kg.export.pg import (
    EDGE_FIELDS,
    NODE_FIELDS,
    array_values,
    edge_records,
    load_networkx,
    node_records,
    pick_delimiter,
    rel_type,
)
from kg.io import atomic_open, atomic_write
from kg.vocab import RELATION_PROPERTIES

_KUZU_TYPE = {"string": "STRING", "string[]": "STRING[]", "int": "INT64", "float": "DOUBLE"}
NODE_TABLE = "Entity"
REL_TYPES: tuple[str, ...] = tuple(rel_type(p) for p in RELATION_PROPERTIES if p != "title")
CSV_OPTIONS = "(HEADER=true, PARALLEL=false, QUOTE='\"', ESCAPE='\"')"


def _q(name: str) -> str:
    return f"`{name}`"


def to_schema() -> str:
    """``schema.cypher``: the node table and one rel table per relation property."""
    cols = ", ".join(f"{_q(k)} {_KUZU_TYPE[t]}" for k, t in NODE_FIELDS.items())
    lines = [f"CREATE NODE TABLE IF NOT EXISTS {NODE_TABLE}({cols}, PRIMARY KEY(iri));"]
    rcols = ", ".join(f"{_q(k)} {_KUZU_TYPE[t]}" for k, t in EDGE_FIELDS.items())
    for t in REL_TYPES:
        lines.append(f"CREATE REL TABLE IF NOT EXISTS {t}(FROM {NODE_TABLE} TO {NODE_TABLE}, {rcols});")
    return "\n".join(lines) + "\n"


def _load_column(name: str, typ: str, delim: str) -> str:
    if typ == "string[]":
        return (f"CASE WHEN {_q(name)} IS NULL OR {_q(name)} = '' THEN CAST([] AS STRING[]) "
                f"ELSE string_split({_q(name)}, {cypher_string(delim)}) END")
    return _q(name)


def _load_source(file: str, fields: dict[str, str], extra: tuple[str, ...] = ()) -> str:
    # arrays are read as STRING and split; everything else is typed on read
    cols = [f"{_q(k)} STRING" for k in extra] + [
        f"{_q(k)} {_KUZU_TYPE[t] if t != 'string[]' else 'STRING'}" for k, t in fields.items()
    ]
    return f"LOAD WITH HEADERS ({', '.join(cols)}) FROM '{file}' {CSV_OPTIONS}"


def to_load(delim: str, rel_types: list[str]) -> str:
    """``load.cypher``: COPY the node CSV, then each present relation type from the rel CSV."""
    node_ret = ", ".join(_load_column(k, t, delim) for k, t in NODE_FIELDS.items())
    lines = [f"COPY {NODE_TABLE} FROM ({_load_source('nodes.csv', NODE_FIELDS)} RETURN {node_ret});"]
    rel_ret = ", ".join(["`from`", "`to`"] + [_load_column(k, t, delim) for k, t in EDGE_FIELDS.items()])
    src = _load_source("relations.csv", EDGE_FIELDS, ("from", "to", "type"))
    for t in rel_types:
        lines.append(f"COPY {t} FROM ({src} WHERE `type` = {cypher_string(t)} RETURN {rel_ret});")
    return "\n".join(lines) + "\n"


def _cell(v: object, typ: str, delim: str) -> str:
    if v is None:
        return ""
    if typ == "string[]":
        return delim.join(v)
    return repr(float(v)) if typ == "float" else str(v)


def node_rows(G: nx.MultiDiGraph, delim: str) -> Iterator[list[str]]:
    for r in node_records(G):
        yield [_cell(r[k], t, delim) for k, t in NODE_FIELDS.items()]


def rel_rows(G: nx.MultiDiGraph, delim: str) -> Iterator[list[str]]:
    for r in edge_records(G):
        yield [r["start"], r["end"], r["type"]] + [_cell(r[k], t, delim) for k, t in EDGE_FIELDS.items()]


def write_kuzu(outdir: Path, dest: Path) -> list[Path]:
    """The Kùzu/LadybugDB folder: schema.cypher, nodes.csv, relations.csv, load.cypher."""
    G = load_networkx(outdir)
    delim = pick_delimiter(array_values(G))
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name, header, rows in (
        ("nodes.csv", list(NODE_FIELDS), node_rows(G, delim)),
        ("relations.csv", ["from", "to", "type", *EDGE_FIELDS], rel_rows(G, delim)),
    ):
        with atomic_open(dest / name, "w") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
    present = sorted({r["type"] for r in edge_records(G)})
    unknown = [t for t in present if t not in REL_TYPES]
    if unknown:
        raise ValueError(f"relation types {unknown} are not in the Kùzu schema; valid: {', '.join(REL_TYPES)}")
    atomic_write(dest / "schema.cypher", to_schema())
    atomic_write(dest / "load.cypher", to_load(delim, present))
    return [dest / n for n in ("schema.cypher", "nodes.csv", "relations.csv", "load.cypher")]


def run_script(conn, path: Path) -> int:
    """Run a ``.cypher`` file (one statement per line, ``//`` comments) on a Kùzu/LadybugDB
    connection; return the number of statements run."""
    n = 0
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        stmt = line.strip()
        if stmt and not stmt.startswith("//"):
            conn.execute(stmt)
            n += 1
    return n

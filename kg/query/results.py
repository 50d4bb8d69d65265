"""Query results, engine-independent: :class:`QueryResult`, the display and N-Triples
forms of terms, and the W3C SPARQL 1.1 results formats (pure functions).

* :func:`serialize_result`: JSON, XML, CSV, TSV for SELECT/ASK; Turtle or
  N-Triples for graphs (CONSTRUCT/DESCRIBE).
* Numeric literals are put in their XSD 1.1 canonical form (:func:`canonical`),
  so both engines print identical answers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_attr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.query.errors import QueryError
from kg.vocab import PREFIXES, bind_prefixes

SELECT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("ttl", "nt")
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
}
_FORMAT_ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "srj": "json", "srx": "xml"}

_XSD_INTEGERS = {
    XSD[t]
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "nonPositiveInteger",
        "positiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    )
}
_SPARQL_NS = "http://www.w3.org/2005/sparql-results#"


@dataclass
class QueryResult:
    """The answer to one query, engine-independent.

    ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE). SELECT:
    ``vars`` and ``rows`` (lists of rdflib terms, ``None`` where unbound).
    ASK: ``boolean``. Graph: ``triples``. ``truncated`` is set when a row cap
    cut the answer short.
    """

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[list[Node | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)
    truncated: bool = False

    @property
    def count(self) -> int:
        """Number of rows (SELECT), triples (graph) or 1 (ASK)."""
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1

    def tuples(self) -> set[tuple[str, ...]]:
        """Rows (or triples) as a set of tuples of N-Triples terms, to compare answers."""
        if self.kind == "ask":
            return {(str(self.boolean).lower(),)}
        src = self.rows if self.kind == "select" else self.triples
        return {tuple(to_ntriples(t) if t is not None else "" for t in row) for row in src}

    def records(self) -> list[dict[str, str]]:
        """SELECT rows as ``{var: str(value)}`` dicts (unbound variables omitted)."""
        return [{v: str(t) for v, t in zip(self.vars, row) if t is not None} for row in self.rows]


# --------------------------------------------------------------------------- terms


def _decimal_canonical(lex: str) -> str | None:
    try:
        d = Decimal(lex.strip())
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    if d == d.to_integral_value():
        return str(int(d))
    s = format(d.normalize(), "f")
    return s


def canonical(term: Node | None) -> Node | None:
    """Numeric literals in XSD 1.1 canonical form, ``xsd:string`` as a plain literal."""
    if not isinstance(term, Literal):
        return term
    dt = term.datatype
    if dt is None:
        return term
    lex = str(term)
    if dt == XSD.string:
        return Literal(lex)
    canon = None
    if dt in _XSD_INTEGERS:
        try:
            canon = str(int(lex.strip()))
        except ValueError:
            canon = None
    elif dt == XSD.decimal:
        canon = _decimal_canonical(lex)
    elif dt in (XSD.double, XSD.float):
        try:
            f = float(lex.strip())
            canon = "NaN" if f != f else ("INF" if f == float("inf") else "-INF" if f == float("-inf") else repr(f))
        except ValueError:
            canon = None
    if canon is None or canon == lex:
        return term
    return Literal(canon, datatype=dt)


def _nt_escape(s: str) -> str:
    return (
        s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )


def to_ntriples(term: Node) -> str:
    """The N-Triples form of a term (one line: newlines and tabs escaped).

    >>> to_ntriples(Literal('say "hi"\\n', lang="en"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    """
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        body = f'"{_nt_escape(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{body}^^<{term.datatype}>"
        return body
    return str(term)


_SHORT = sorted(((str(ns), p) for p, ns in PREFIXES.items()), key=lambda x: -len(x[0]))
_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")


def shorten(term: Node | None) -> str:
    """A compact display form: ``country:china`` for IRIs, the text of literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        s = str(term)
        for ns, prefix in _SHORT:
            if s.startswith(ns) and _PN_LOCAL.match(s[len(ns):]):
                return f"{prefix}:{s[len(ns):]}"
        return f"<{s}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


# --------------------------------------------------------------------------- serialisation


def _json_term(t: Node) -> dict:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    d = {"type": "literal", "value": str(t)}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype is not None and t.datatype != XSD.string:
        d["datatype"] = str(t.datatype)
    return d


def _to_json(r: QueryResult) -> str:
    if r.kind == "ask":
        doc = {"head": {}, "boolean": bool(r.boolean)}
    else:
        doc = {
            "head": {"vars": r.vars},
            "results": {
                "bindings": [{v: _json_term(t) for v, t in zip(r.vars, row) if t is not None} for row in r.rows]
            },
        }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _xml_term(t: Node) -> str:
    if isinstance(t, URIRef):
        return f"<uri>{_xml_escape(str(t))}</uri>"
    if isinstance(t, BNode):
        return f"<bnode>{_xml_escape(str(t))}</bnode>"
    attr = ""
    if t.language:
        attr = f" xml:lang={_xml_attr(t.language)}"
    elif t.datatype is not None and t.datatype != XSD.string:
        attr = f" datatype={_xml_attr(str(t.datatype))}"
    return f"<literal{attr}>{_xml_escape(str(t))}</literal>"


def _to_xml(r: QueryResult) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{_SPARQL_NS}">', "  <head>"]
    for v in r.vars:
        out.append(f"    <variable name={_xml_attr(v)}/>")
    out.append("  </head>")
    if r.kind == "ask":
        out.append(f"  <boolean>{'true' if r.boolean else 'false'}</boolean>")
    else:
        out.append("  <results>")
        for row in r.rows:
            out.append("    <result>")
            for v, t in zip(r.vars, row):
                if t is not None:
                    out.append(f"      <binding name={_xml_attr(v)}>{_xml_term(t)}</binding>")
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _csv_field(t: Node | None) -> str:
    if t is None:
        return ""
    s = f"_:{t}" if isinstance(t, BNode) else str(t)
    if any(c in s for c in ',"\r\n') or s != s.strip():
        s = '"' + s.replace('"', '""') + '"'
    return s


def _to_csv(r: QueryResult) -> str:
    # SPARQL 1.1 CSV: CRLF line ends, values without type information. The
    # spec leaves ASK undefined; we write a one-column table like Jena.
    if r.kind == "ask":
        return "_askResult\r\n" + ("true" if r.boolean else "false") + "\r\n"
    lines = [",".join(_csv_field(Literal(v)) for v in r.vars)]
    lines += [",".join(_csv_field(t) for t in row) for row in r.rows]
    return "\r\n".join(lines) + "\r\n"


def _to_tsv(r: QueryResult) -> str:
    # SPARQL 1.1 TSV: "?var" headers, terms in Turtle/N-Triples syntax.
    if r.kind == "ask":
        return "?_askResult\n" + ("true" if r.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in r.vars)]
    lines += ["\t".join(to_ntriples(t) if t is not None else "" for t in row) for row in r.rows]
    return "\n".join(lines) + "\n"


def _graph_of(r: QueryResult) -> Graph:
    g = bind_prefixes(Graph())
    for t in r.triples:
        g.add(t)
    return g


def _to_turtle(r: QueryResult) -> str:
    return _graph_of(r).serialize(format="turtle")


def _to_nt(r: QueryResult) -> str:
    lines = sorted({" ".join(to_ntriples(t) for t in tr) + " ." for tr in r.triples})
    return "".join(line + "\n" for line in lines)


_SERIALIZERS = {"json": _to_json, "xml": _to_xml, "csv": _to_csv, "tsv": _to_tsv}
_GRAPH_SERIALIZERS = {"ttl": _to_turtle, "nt": _to_nt}


def normalize_format(fmt: str) -> str:
    f = fmt.strip().lower()
    return _FORMAT_ALIASES.get(f, f)


def serialize_result(result: QueryResult, fmt: str) -> str:
    """Serialise a result: json/xml/csv/tsv for SELECT and ASK, ttl/nt for graphs (pure)."""
    f = normalize_format(fmt)
    if result.kind == "graph":
        if f not in _GRAPH_SERIALIZERS:
            raise QueryError(
                f"format {fmt!r} is not available for a CONSTRUCT/DESCRIBE result; use one of: {', '.join(GRAPH_FORMATS)}"
            )
        return _GRAPH_SERIALIZERS[f](result)
    if f not in _SERIALIZERS:
        raise QueryError(
            f"format {fmt!r} is not available for a {result.kind.upper()} result; use one of: {', '.join(SELECT_FORMATS)}"
        )
    return _SERIALIZERS[f](result)

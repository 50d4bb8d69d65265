"""SPARQL over what ``kg build`` wrote, on two engines that give the same answers.

>>> from kg.query import run_query, serialize_result
>>> r = run_query("tests/fixtures/sample_graph.ttl",
...               "SELECT ?label WHERE { ?p kg:imposes ?x ; rdfs:label ?label }")
>>> r.kind, r.vars, [[str(t) for t in row] for row in r.rows]
('select', ['label'], [['Donald Trump']])
>>> print(serialize_result(r, "tsv"), end="")
?label
"Donald Trump"

* :func:`run_query` loads ``OUTDIR/graph.ttl`` (plus ``mentions.ttl`` with
  ``mentions=True``) into an engine and runs one query; :func:`open_engine`
  loads once for many queries (``kg serve``, the notebook).
* Engines: ``oxigraph`` (pyoxigraph's in-memory Rust store, the default) and
  ``rdflib``. Result terms are rdflib terms from both; numeric literals are
  put in their XSD 1.1 canonical form (oxigraph canonicalises at load time,
  rdflib keeps the lexical form of the file), so both engines print
  identical answers. ``DESCRIBE`` is implementation-defined by SPARQL:
  rdflib returns the concise bounded description (which includes the
  reification nodes about the resource), oxigraph the resource's own triples.
* :func:`serialize_result` is pure: the W3C SPARQL 1.1 results formats
  (JSON, XML, CSV, TSV) for SELECT/ASK, Turtle or N-Triples for graphs.
* :func:`bind_params` binds ``?NAME`` placeholders by injecting a ``VALUES``
  block whose values are serialised RDF terms: user text never becomes
  SPARQL syntax.
* The prefixes of :data:`kg.vocab.PREFIXES` are predeclared (the engines'
  own ``initNs``/``prefixes`` options, so a ``PREFIX`` the query declares
  wins and error line numbers stay those of the query text).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_attr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.resources import list_folder, query_folder
from kg.vocab import PREFIXES, bind_prefixes

__all__ = [
    "ENGINES",
    "DEFAULT_ENGINE",
    "SELECT_FORMATS",
    "GRAPH_FORMATS",
    "QueryResult",
    "QueryError",
    "QuerySyntaxError",
    "UpdateNotAllowed",
    "ParamError",
    "QueryCancelled",
    "open_engine",
    "run_query",
    "serialize_result",
    "bind_params",
    "to_ntriples",
    "shorten",
    "queries_dir",
    "list_queries",
    "resolve_query",
    "query_params",
    "is_update",
]

ENGINES = ("oxigraph", "rdflib")
# The default is oxigraph, chosen by measurement (bench/bench_query.py, table
# in docs/query.md). On a generated 1M-triple graph.ttl of the built shape it
# loaded in 2.5 s against rdflib's 36 s, answered all eight queries/ in 10 s
# (at most 5.1 s each) where rdflib took 2-64 s for five of them and had not
# answered entity, imposes or negotiations after 120 s each (rdflib joins
# nested groups by nested loops), and peaked at 631 MiB against 1.6 GiB.
# Both return identical rows wherever both answer. rdflib stays available as
# the pure-Python reference.
DEFAULT_ENGINE = "oxigraph"

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

_INIT_NS = {k: str(v) for k, v in PREFIXES.items()}
_XSD_INTEGERS = {
    XSD[t]
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "nonPositiveInteger",
        "positiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    )
}
_SPARQL_NS = "http://www.w3.org/2005/sparql-results#"


# --------------------------------------------------------------------------- results


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


class QueryError(ValueError):
    """A query that cannot be run; the message says why and how to fix it."""


class QuerySyntaxError(QueryError):
    """The query does not parse; ``line``/``column`` are 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0, text: str = ""):
        self.line, self.column, self.detail = line, column, message
        where = f" at line {line}, column {column}" if line else ""
        snippet = ""
        if line and text:
            lines = text.splitlines()
            if 0 < line <= len(lines):
                snippet = f"\n    {lines[line - 1]}\n    {' ' * max(column - 1, 0)}^"
        super().__init__(f"SPARQL syntax error{where}: {message}{snippet}")


class UpdateNotAllowed(QueryError):
    """A SPARQL Update was sent where only queries are accepted."""


class ParamError(QueryError):
    """A ``--param`` that the query cannot take."""


class QueryCancelled(QueryError):
    """The query was cancelled (time limit) before it finished."""


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


def _canon(term: Node | None) -> Node | None:
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


# --------------------------------------------------------------------------- lexing, params


_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z0-9_\-.%:]*)?|:[A-Za-z0-9_\-.%:]*)
  | (?P<brace>[{}])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(text: str) -> Iterable[tuple[str, str, int]]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "other" and m.group().isspace():
            continue
        yield kind, m.group(), m.start()


def _body_brace(text: str) -> int:
    """Offset of the ``{`` opening the query's WHERE group."""
    depth, first, after_where = 0, -1, False
    for kind, tok, pos in _tokens(text):
        if kind == "brace":
            if tok == "{":
                if depth == 0:
                    if after_where:
                        return pos
                    if first < 0:
                        first = pos
                depth += 1
            else:
                depth -= 1
        elif kind == "word" and depth == 0 and tok.upper() == "WHERE":
            after_where = True
    if first < 0:
        raise QuerySyntaxError("the query has no WHERE { … } group to bind parameters in")
    return first


def query_variables(text: str) -> list[str]:
    """The variable names a query mentions (outside strings, IRIs and comments), in order."""
    seen: dict[str, None] = {}
    for kind, tok, _ in _tokens(text):
        if kind == "var":
            seen.setdefault(tok[1:], None)
    return list(seen)


def _subquery_scopes(text: str) -> dict[str, int]:
    """For each variable, the ``{`` of the innermost subquery holding every use of it (-1: none).

    A variable whose every mention (outside strings, IRIs and comments) lies
    inside one ``{ SELECT … WHERE { … } }`` subquery and is not projected by
    it can only be bound usefully there: the outer query does not see it.
    """
    stack: list[tuple[int, bool]] = []  # open braces: (offset, opens a subquery's WHERE group)
    select_at = -1  # depth of a SELECT keyword inside a group, until its WHERE group opens
    uses: dict[str, list[tuple[tuple[int, bool], ...]]] = {}
    for kind, tok, pos in _tokens(text):
        if kind == "word" and tok.upper() == "SELECT" and stack:
            select_at = len(stack)
        elif kind == "brace":
            if tok == "{":
                sub = select_at == len(stack)
                if sub:
                    select_at = -1
                stack.append((pos, sub))
            elif stack:
                stack.pop()
        elif kind == "var":
            uses.setdefault(tok[1:], []).append(tuple(stack))
    out: dict[str, int] = {}
    for name, stacks in uses.items():
        common = stacks[0]
        for st in stacks[1:]:
            n = 0
            while n < min(len(common), len(st)) and common[n] == st[n]:
                n += 1
            common = common[:n]
        subs = [pos for pos, sub in common if sub]
        out[name] = subs[-1] if subs else -1
    return out


def _param_term(value: str | Node) -> Node:
    if isinstance(value, Node):
        return value
    v = value
    if len(v) >= 2 and v.startswith("<") and v.endswith(">"):
        iri = v[1:-1]
        if not re.fullmatch(r"[^<>\"{}|^`\\\x00-\x20]+", iri) or ":" not in iri:
            raise ParamError(f"{value!r} is not a valid absolute IRI; write <https://…> or give plain text for a literal")
        return URIRef(iri)
    return Literal(v)


def bind_params(sparql: str, params: Mapping[str, str | Node]) -> str:
    """Bind ``?NAME`` variables of ``sparql`` to values, by VALUES injection.

    Each value becomes an RDF term (a plain string literal, or an IRI when
    written ``<…>``; rdflib terms are used as they are), serialised in
    N-Triples syntax, so quotes or braces in the value cannot change the
    query. The block goes right after the ``{`` of the WHERE group, on the
    same line, so error line numbers are unchanged and FILTERs of that group
    see the binding; a variable used only inside a subquery (``{ SELECT …
    WHERE { … } }``) is bound at the start of that subquery's WHERE group
    instead, which is the only place it is visible. That also lets engines
    narrow the subquery first: ``queries/entity.rq`` picks the entity there,
    so pyoxigraph looks up one entity's facts instead of every entity's
    (0.6 s instead of over 5 minutes on a 1M-triple graph).

    >>> print(bind_params('SELECT ?q WHERE { ?s kg:quote ?q }', {"q": 'He said "no" }'}))
    SELECT ?q WHERE { VALUES (?q) { ("He said \\"no\\" }") } ?s kg:quote ?q }
    """
    if not params:
        return sparql
    used = query_variables(sparql)
    for name in params:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ParamError(f"bad parameter name {name!r}: use a SPARQL variable name such as speaker")
        if name not in used:
            listed = ", ".join(f"?{v}" for v in used) or "none"
            raise ParamError(f"the query has no variable ?{name} to bind; its variables are: {listed}")
    where = _body_brace(sparql)
    scopes = _subquery_scopes(sparql)
    at: dict[int, list[str]] = {}
    for name in params:
        pos = scopes.get(name, -1)
        at.setdefault(pos if pos >= 0 else where, []).append(name)
    for pos in sorted(at, reverse=True):  # from the end, so earlier offsets stay valid
        names = at[pos]
        terms = [to_ntriples(_param_term(params[n])) for n in names]
        block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }} "
        sparql = sparql[: pos + 1] + " " + block + sparql[pos + 1 :].lstrip(" ")
    return sparql


def parse_param_args(args: Sequence[str]) -> dict[str, str]:
    """``["speaker=Marco Rubio"]`` → ``{"speaker": "Marco Rubio"}`` (``--param`` options)."""
    out: dict[str, str] = {}
    for a in args:
        name, sep, value = a.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise ParamError(f"--param {a!r}: write NAME=VALUE, e.g. --param speaker=\"Marco Rubio\"")
        out[name] = value
    return out


_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_QUERY_WORDS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def is_update(sparql: str) -> bool:
    """True when ``sparql`` is (or starts as) a SPARQL Update rather than a query."""
    for kind, tok, _ in _tokens(sparql):
        if kind == "word":
            w = tok.upper()
            if w in ("PREFIX", "BASE"):
                continue
            if w in _QUERY_WORDS:
                return False
            if w in _UPDATE_WORDS:
                return True
    try:
        from rdflib.plugins.sparql.parser import parseUpdate

        parseUpdate(sparql)
        return True
    except Exception:
        return False


# --------------------------------------------------------------------------- engines


def _source_files(source: str | Path, mentions: bool) -> list[Path]:
    p = Path(source)
    if p.is_dir():
        graph = p / "graph.ttl"
        if not graph.is_file():
            raise FileNotFoundError(
                f"{graph} not found: {p} is not a build output; run `kg build INPUT... -o {p}` first"
            )
        files = [graph]
        if mentions:
            m = p / "mentions.ttl"
            if not m.is_file():
                raise FileNotFoundError(f"{m} not found: rebuild with `kg build INPUT... -o {p}` or drop --mentions")
            files.append(m)
        return files
    if p.is_file():
        if mentions:
            m = p.with_name("mentions.ttl")
            return [p, m] if m.is_file() else [p]
        return [p]
    raise FileNotFoundError(f"{p} not found: give a folder written by `kg build INPUT... -o {p}` (or a .ttl/.nt file)")


def _rdf_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".nt", ".ntriples"):
        return "nt"
    if suffix in (".ttl", ".turtle", ""):
        return "ttl"
    raise QueryError(f"{path}: cannot read {suffix!r} files; give Turtle (.ttl) or N-Triples (.nt)")


class _Engine:
    name = ""

    def __init__(self, files: Sequence[Path] = ()):
        self.files = list(files)
        for f in self.files:
            self._load(f)

    def _load(self, path: Path) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __len__(self) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def query(
        self,
        sparql: str,
        params: Mapping[str, str | Node] | None = None,
        max_rows: int | None = None,
        cancel: threading.Event | None = None,
    ) -> QueryResult:
        """Run one query; stop after ``max_rows`` rows (``truncated``) or when ``cancel`` is set."""
        text = bind_params(sparql, params or {})
        raw = self._run(text)
        return self._collect(raw, max_rows, cancel)

    def _collect(self, raw, max_rows, cancel) -> QueryResult:
        kind, vars_, it = raw
        if kind == "ask":
            return QueryResult("ask", boolean=bool(it))
        res = QueryResult(kind, vars=list(vars_))
        target = res.rows if kind == "select" else res.triples
        for i, item in enumerate(it):
            if cancel is not None and cancel.is_set():
                raise QueryCancelled("the query was cancelled (time limit reached)")
            if max_rows is not None and i >= max_rows:
                res.truncated = True
                break
            target.append(item if kind == "select" else tuple(item))
        return res

    def _syntax(self, text: str, exc: Exception) -> QueryError:
        if is_update(text):
            return UpdateNotAllowed(
                "this is a SPARQL Update (INSERT/DELETE/LOAD/…); the graph is read-only here: "
                "send a SELECT, ASK, CONSTRUCT or DESCRIBE query"
            )
        return self._syntax_error(text, exc)

    def _syntax_error(self, text: str, exc: Exception) -> QueryError:  # pragma: no cover - abstract
        raise NotImplementedError


class OxigraphEngine(_Engine):
    """pyoxigraph's in-memory store."""

    name = "oxigraph"

    def __init__(self, files: Sequence[Path] = ()):
        import pyoxigraph

        self._ox = pyoxigraph
        self.store = pyoxigraph.Store()
        super().__init__(files)

    def _load(self, path: Path) -> None:
        fmt = self._ox.RdfFormat.N_TRIPLES if _rdf_format(path) == "nt" else self._ox.RdfFormat.TURTLE
        try:
            self.store.bulk_load(path=str(path), format=fmt)
        except SyntaxError as e:
            raise QueryError(f"{path} is not valid RDF ({e}); rebuild it with `kg build`") from None

    def __len__(self) -> int:
        return len(self.store)

    def _term(self, t) -> Node | None:
        ox = self._ox
        if t is None:
            return None
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if isinstance(t, ox.Literal):
            if t.language:
                return Literal(t.value, lang=t.language)
            dt = t.datatype.value
            if dt == str(XSD.string):
                return Literal(t.value)
            return _canon(Literal(t.value, datatype=URIRef(dt)))
        return Literal(str(t))  # RDF-star triple terms: not produced by kg build

    def _run(self, text: str):
        ox = self._ox
        try:
            r = self.store.query(text, prefixes=_INIT_NS)
        except SyntaxError as e:
            raise self._syntax(text, e) from None
        if isinstance(r, ox.QueryBoolean):
            return "ask", [], bool(r)
        if isinstance(r, ox.QuerySolutions):
            names = [v.value for v in r.variables]
            return "select", names, ([self._term(sol[i]) for i in range(len(names))] for sol in r)
        return "graph", [], ((self._term(tr.subject), self._term(tr.predicate), self._term(tr.object)) for tr in r)

    def _syntax_error(self, text: str, exc: Exception) -> QueryError:
        msg = str(exc)
        m = re.match(r"error at (\d+):(\d+):\s*(.*)", msg, re.S)
        if m:
            return QuerySyntaxError(m.group(3), int(m.group(1)), int(m.group(2)), text)
        return QuerySyntaxError(msg, text=text)


class RdflibEngine(_Engine):
    """rdflib's in-memory graph and SPARQL evaluator (pure Python)."""

    name = "rdflib"

    def __init__(self, files: Sequence[Path] = ()):
        self.graph = Graph()
        super().__init__(files)

    def _load(self, path: Path) -> None:
        try:
            self.graph.parse(path, format="nt" if _rdf_format(path) == "nt" else "turtle")
        except Exception as e:  # rdflib raises several parser exception types
            raise QueryError(f"{path} is not valid RDF ({e}); rebuild it with `kg build`") from None

    def __len__(self) -> int:
        return len(self.graph)

    def _run(self, text: str):
        from rdflib.plugins.sparql import prepareQuery

        try:
            prepared = prepareQuery(text, initNs=_INIT_NS)
        except Exception as e:  # pyparsing.ParseException, or a plain Exception for unknown prefixes
            raise self._syntax(text, e) from None
        r = self.graph.query(prepared)
        if r.type == "ASK":
            return "ask", [], bool(r.askAnswer)
        if r.type == "SELECT":
            names = [str(v) for v in (r.vars or [])]
            return "select", names, ([_canon(t) for t in row] for row in r)
        return "graph", [], ((_canon(s), _canon(p), _canon(o)) for s, p, o in r.graph)

    def _syntax_error(self, text: str, exc: Exception) -> QueryError:
        line = getattr(exc, "lineno", 0) or 0
        col = getattr(exc, "col", 0) or 0
        msg = str(exc)
        m = re.match(r"Unknown namespace prefix : (\S*)", msg)
        if m and not line:  # rdflib names the prefix but not where it is
            for kind, tok, pos in _tokens(text):
                if kind == "word" and tok.startswith(m.group(1) + ":"):
                    line = text.count("\n", 0, pos) + 1
                    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
                    break
        msg = re.sub(r",?\s*\(line:\d+, col:\d+\)$", "", msg)
        return QuerySyntaxError(msg, line, col, text)


_ENGINE_CLASSES = {"oxigraph": OxigraphEngine, "rdflib": RdflibEngine}


def _engine_class(engine: str):
    try:
        return _ENGINE_CLASSES[engine]
    except KeyError:
        raise QueryError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}") from None


def open_engine(source: str | Path, engine: str = DEFAULT_ENGINE, mentions: bool = False) -> _Engine:
    """Load ``OUTDIR/graph.ttl`` (or a .ttl/.nt file), plus mentions when asked, into an engine."""
    cls = _engine_class(engine)
    return cls(_source_files(source, mentions))


def run_query(
    outdir_or_graph_path: str | Path | _Engine,
    sparql: str,
    engine: str = DEFAULT_ENGINE,
    mentions: bool = False,
    params: Mapping[str, str | Node] | None = None,
    max_rows: int | None = None,
) -> QueryResult:
    """Run ``sparql`` over a build output folder, a graph file, or an engine from :func:`open_engine`."""
    if isinstance(outdir_or_graph_path, _Engine):
        eng = outdir_or_graph_path
    else:
        _engine_class(engine)
        if params:  # fail on a bad parameter before spending time loading
            bind_params(sparql, params)
        eng = open_engine(outdir_or_graph_path, engine, mentions)
    return eng.query(sparql, params=params, max_rows=max_rows)


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


# --------------------------------------------------------------------------- the queries/ library


def queries_dir() -> Traversable:
    """The folder of ready-made ``.rq`` files (``queries/`` as installed: package data ``kg.queries``)."""
    return query_folder()


def list_queries() -> dict[str, Traversable]:
    """``{name: file}`` of the ready-made queries, by file name without ``.rq``, sorted.

    :class:`kg.resources.DataFileError` when the installation lacks the folder.
    """
    return {f.name[:-3]: f for f in list_folder(query_folder()) if f.name.endswith(".rq") and f.is_file()}


def resolve_query(name: str) -> Traversable:
    """The file of the ready-made query ``name`` (``imposes`` or ``imposes.rq``)."""
    stem = name[:-3] if name.endswith(".rq") else name
    found = list_queries()
    if stem not in found:
        listed = ", ".join(found) or "(none installed)"
        raise QueryError(f"no ready-made query named {name!r}; available: {listed} (or give a file with -f)")
    return found[stem]


def query_description(text: str) -> str:
    """The first line of a .rq file's header comment."""
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("#"):
            s = s.lstrip("#").strip()
            if s:
                return s
        elif s:
            break
    return ""


def query_params(text: str) -> dict[str, str]:
    """``# @param NAME description`` lines of a .rq header: ``{NAME: description}``."""
    out = {}
    for m in re.finditer(r"^\s*#\s*@param\s+\??([A-Za-z_][A-Za-z0-9_]*)\s*(.*)$", text, re.M):
        out[m.group(1)] = m.group(2).strip()
    return out


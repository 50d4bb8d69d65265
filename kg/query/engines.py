"""The two engines that run SPARQL over what ``kg build`` wrote, with the same answers.

* ``oxigraph`` (pyoxigraph's in-memory Rust store, the default) and
  ``rdflib``. Result terms are rdflib terms from both (numeric literals in
  canonical form: :mod:`kg.query.results`). ``DESCRIBE`` is
  implementation-defined by SPARQL: rdflib returns the concise bounded
  description (which includes the reification nodes about the resource),
  oxigraph the resource's own triples.
* :func:`open_engine` loads ``OUTDIR/graph.ttl`` (plus ``mentions.ttl`` with
  ``mentions=True``) once for many queries; :func:`run_query` loads and runs one.
* The prefixes of :data:`kg.vocab.PREFIXES` are predeclared (the engines'
  own ``initNs``/``prefixes`` options, so a ``PREFIX`` the query declares
  wins and error line numbers stay those of the query text).
* Before an engine sees a query, :func:`kg.query.params.check_query` refuses
  ``SERVICE`` and ``FROM``: no query makes a network request.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Mapping, Sequence

from rdflib import Graph, Literal
from rdflib.term import Node

from kg.oxterms import from_ox
from kg.query.errors import QueryCancelled, QueryError, QuerySyntaxError, UpdateNotAllowed
from kg.query.params import bind_params, check_query, is_update, tokens
from kg.query.results import QueryResult, canonical
from kg.vocab import PREFIXES

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


_INIT_NS = {k: str(v) for k, v in PREFIXES.items()}


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


class Engine:
    """An engine with files loaded: ``len()`` triples, :meth:`query` to ask."""

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
        """Run one query; stop after ``max_rows`` rows (``truncated``) or when ``cancel`` is set.

        A query with ``SERVICE`` or ``FROM`` is refused before the engine sees it
        (:func:`~kg.query.params.check_query`): no query makes a network request.
        """
        check_query(sparql)
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


class OxigraphEngine(Engine):
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
        if isinstance(t, (ox.NamedNode, ox.BlankNode, ox.Literal)):
            term = from_ox(t)
            return canonical(term) if isinstance(term, Literal) and term.datatype is not None else term
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


class RdflibEngine(Engine):
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
            return "select", names, ([canonical(t) for t in row] for row in r)
        return "graph", [], ((canonical(s), canonical(p), canonical(o)) for s, p, o in r.graph)

    def _syntax_error(self, text: str, exc: Exception) -> QueryError:
        line = getattr(exc, "lineno", 0) or 0
        col = getattr(exc, "col", 0) or 0
        msg = str(exc)
        m = re.match(r"Unknown namespace prefix : (\S*)", msg)
        if m and not line:  # rdflib names the prefix but not where it is
            for kind, tok, pos in tokens(text):
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


def open_engine(source: str | Path, engine: str = DEFAULT_ENGINE, mentions: bool = False) -> Engine:
    """Load ``OUTDIR/graph.ttl`` (or a .ttl/.nt file), plus mentions when asked, into an engine."""
    cls = _engine_class(engine)
    return cls(_source_files(source, mentions))


def run_query(
    outdir_or_graph_path: str | Path | Engine,
    sparql: str,
    engine: str = DEFAULT_ENGINE,
    mentions: bool = False,
    params: Mapping[str, str | Node] | None = None,
    max_rows: int | None = None,
) -> QueryResult:
    """Run ``sparql`` over a build output folder, a graph file, or an engine from :func:`open_engine`."""
    if isinstance(outdir_or_graph_path, Engine):
        eng = outdir_or_graph_path
    else:
        _engine_class(engine)
        if params:  # fail on a bad parameter before spending time loading
            bind_params(sparql, params)
        eng = open_engine(outdir_or_graph_path, engine, mentions)
    return eng.query(sparql, params=params, max_rows=max_rows)

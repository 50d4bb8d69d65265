"""SPARQL over what ``kg build`` wrote, on two engines that give the same answers.

>>> from kg.query import run_query, serialize_result
>>> r = run_query("tests/fixtures/sample_graph.ttl",
...               "SELECT ?label WHERE { ?p kg:imposes ?x ; rdfs:label ?label }")
>>> r.kind, r.vars, [[str(t) for t in row] for row in r.rows]
('select', ['label'], [['Donald Trump']])
>>> print(serialize_result(r, "tsv"), end="")
?label
"Donald Trump"

The package, one module a concern (everything is importable from here):

* :mod:`kg.query.engines`: :func:`run_query` loads ``OUTDIR/graph.ttl`` (plus
  ``mentions.ttl`` with ``mentions=True``) into an engine and runs one query;
  :func:`open_engine` loads once for many queries (``kg serve``, the
  notebook). Engines: ``oxigraph`` (the default) and ``rdflib``, with
  identical answers.
* :mod:`kg.query.params`: the query text before an engine sees it.
  :func:`bind_params` binds ``?NAME`` placeholders by injecting a ``VALUES``
  block (user text never becomes SPARQL syntax); :func:`check_query` refuses
  ``SERVICE`` and ``FROM`` (kg makes no network requests); :func:`is_update`.
* :mod:`kg.query.results`: :class:`QueryResult` and :func:`serialize_result`
  (pure): the W3C SPARQL 1.1 results formats (JSON, XML, CSV, TSV) for
  SELECT/ASK, Turtle or N-Triples for graphs.
* :mod:`kg.query.catalog`: the ready-made queries of ``queries/`` (package
  data ``kg.queries``), their descriptions and declared parameters.
* :mod:`kg.query.errors`: every error is a :class:`QueryError` whose message
  says how to fix the query.
"""

from kg.query.catalog import list_queries, queries_dir, query_description, query_params, read_query, resolve_query
from kg.query.engines import (
    DEFAULT_ENGINE,
    ENGINES,
    Engine,
    OxigraphEngine,
    RdflibEngine,
    open_engine,
    run_query,
)
from kg.query.errors import (
    DatasetNotAllowed,
    ParamError,
    QueryCancelled,
    QueryError,
    QuerySyntaxError,
    RemoteAccessRefused,
    ServiceNotAllowed,
    UpdateNotAllowed,
)
from kg.query.params import bind_params, check_query, is_update, outgoing_clause, parse_param_args, query_variables
from kg.query.results import (
    GRAPH_FORMATS,
    MEDIA_TYPES,
    SELECT_FORMATS,
    QueryResult,
    normalize_format,
    serialize_result,
    shorten,
    to_ntriples,
)

__all__ = [
    "ENGINES",
    "DEFAULT_ENGINE",
    "SELECT_FORMATS",
    "GRAPH_FORMATS",
    "MEDIA_TYPES",
    "QueryResult",
    "QueryError",
    "QuerySyntaxError",
    "UpdateNotAllowed",
    "ParamError",
    "QueryCancelled",
    "RemoteAccessRefused",
    "ServiceNotAllowed",
    "DatasetNotAllowed",
    "Engine",
    "OxigraphEngine",
    "RdflibEngine",
    "open_engine",
    "run_query",
    "serialize_result",
    "normalize_format",
    "bind_params",
    "parse_param_args",
    "query_variables",
    "check_query",
    "outgoing_clause",
    "to_ntriples",
    "shorten",
    "queries_dir",
    "list_queries",
    "resolve_query",
    "read_query",
    "query_description",
    "query_params",
    "is_update",
]

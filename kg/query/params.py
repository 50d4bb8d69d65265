"""The text of a query before an engine sees it: tokens, ``--param`` values bound by
``VALUES`` injection, and the checks that refuse what kg does not run.

* :func:`bind_params` binds ``?NAME`` placeholders by injecting a ``VALUES``
  block whose values are serialised RDF terms: user text never becomes
  SPARQL syntax.
* :func:`check_query` refuses a query that would make an engine reach the
  network: ``SERVICE`` (:class:`~kg.query.errors.ServiceNotAllowed`) and
  ``FROM``/``FROM NAMED`` (:class:`~kg.query.errors.DatasetNotAllowed`).
  Every engine query runs it (:meth:`kg.query.engines.Engine.query`), and so
  do ``kg query`` and ``kg serve`` through it.
* :func:`is_update` tells a SPARQL Update from a query.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.query.errors import DatasetNotAllowed, ParamError, QuerySyntaxError, ServiceNotAllowed
from kg.query.results import to_ntriples

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


def tokens(text: str) -> Iterable[tuple[str, str, int]]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "other" and m.group().isspace():
            continue
        yield kind, m.group(), m.start()


def _body_brace(text: str) -> int:
    """Offset of the ``{`` opening the query's WHERE group."""
    depth, first, after_where = 0, -1, False
    for kind, tok, pos in tokens(text):
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
    for kind, tok, _ in tokens(text):
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
    for kind, tok, pos in tokens(text):
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
    for kind, tok, _ in tokens(sparql):
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


_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _decode_uchars(sparql: str) -> str:
    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code < 0x110000 else m.group(0)

    return _UCHAR.sub(one, sparql)


def outgoing_clause(sparql: str) -> str | None:
    """``"SERVICE"``, ``"FROM"`` when the query has a clause that could make the engine fetch a URL, else ``None``.

    Keywords are matched as tokens, so the words inside strings, IRIs and
    comments do not count; ``\\uXXXX`` escapes are decoded first, as SPARQL
    (and rdflib) decode them anywhere in a query.

    >>> outgoing_clause("SELECT * WHERE { service <http://x/> { ?s ?p ?o } }")
    'SERVICE'
    >>> outgoing_clause("SELECT * WHERE { SERVI\\u0043E <http://x/> { ?s ?p ?o } }")
    'SERVICE'
    >>> outgoing_clause('SELECT * WHERE { ?s ?p "SERVICE FROM" } # FROM')
    """
    for kind, tok, _ in tokens(_decode_uchars(sparql)):
        if kind == "word" and tok.upper() in ("SERVICE", "FROM"):
            return tok.upper()
    return None


def check_query(sparql: str) -> None:
    """Refuse a query that could make an engine reach the network (both engines would
    fetch a ``SERVICE`` endpoint, rdflib may load ``FROM`` graphs from their IRIs).

    >>> check_query("SELECT * WHERE { ?s ?p ?o }")
    >>> check_query("SELECT * FROM <http://x/g> WHERE { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    kg.query.errors.DatasetNotAllowed: FROM / FROM NAMED are not supported: kg queries only the built graph, one graph, and makes no network requests; drop the clause
    """
    clause = outgoing_clause(sparql)
    if clause == "SERVICE":
        raise ServiceNotAllowed(
            "SERVICE (federated query) is not supported: kg queries only the built graph and makes no network requests"
        )
    if clause == "FROM":
        raise DatasetNotAllowed(
            "FROM / FROM NAMED are not supported: kg queries only the built graph, one graph, and makes no network "
            "requests; drop the clause"
        )

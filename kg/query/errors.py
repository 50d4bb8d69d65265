"""The errors of :mod:`kg.query`: every one is a :class:`QueryError` whose message says
why the query cannot run and how to fix it (``kg query`` exits 2 with it, ``kg serve``
answers 4xx)."""

from __future__ import annotations


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


class RemoteAccessRefused(QueryError):
    """The query names something an engine would fetch over the network; kg makes no network requests."""


class ServiceNotAllowed(RemoteAccessRefused):
    """``SERVICE``: a federated query."""


class DatasetNotAllowed(RemoteAccessRefused):
    """``FROM`` / ``FROM NAMED``: a dataset of other graphs (rdflib may load them from their IRIs)."""

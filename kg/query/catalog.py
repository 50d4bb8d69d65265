"""The ready-made queries: the ``*.rq`` files of ``queries/``, installed as package data
(``kg.queries``) and read through :mod:`kg.resources`.

Each file starts with a comment whose first line describes it; ``# @param
NAME description`` lines declare the parameters it takes (a description that
starts with "required" makes it mandatory for ``kg query``).
"""

from __future__ import annotations

import re
from importlib.resources.abc import Traversable

from kg.query.errors import QueryError
from kg.resources import list_folder, query_folder, read_text


def queries_dir() -> Traversable:
    """The folder of ready-made ``.rq`` files (``queries/`` as installed)."""
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


def read_query(name: str) -> str:
    """The text of the ready-made query ``name``."""
    return read_text(resolve_query(name))


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

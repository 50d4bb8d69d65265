"""Pause Python's cyclic garbage collector around work that makes millions of long-lived objects.

The build's reduce and the SHACL engine's indexes make millions of objects
that live to the end (rdflib and pyoxigraph terms, tuples, lists, index
dicts); each full collection walks all of them again, which cost ~45% of the
RDF stage at 2,000 documents and grows faster than the graph. That work
leaves little cyclic garbage, so nothing piles up meanwhile; reference
counting goes on.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Disable the cyclic collector for the block (and re-enable it after, if it was on).

    >>> with no_cyclic_gc():
    ...     gc.isenabled()
    False
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()

"""What SHACL Core asks of a literal: is its lexical form valid for its datatype, and how does it order.

Pure functions over pyoxigraph terms, used by the constraint components
``sh:datatype`` (a value must be a *well-formed* literal of the datatype),
``sh:minInclusive`` and the other range components, and ``sh:lessThan`` /
``sh:lessThanOrEquals`` (SPARQL's ``<`` between two values).

>>> import pyoxigraph as ox
>>> well_formed(ox.Literal("12", datatype=ox.NamedNode(XSD + "nonNegativeInteger")))
True
>>> well_formed(ox.Literal("-1", datatype=ox.NamedNode(XSD + "nonNegativeInteger")))
False
>>> compare(ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("3.5", datatype=ox.NamedNode(XSD + "decimal")))
-1
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal, InvalidOperation
from typing import Callable

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_INT = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DOUBLE = re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$")
_TZ = r"(Z|[+-]\d{2}:\d{2})?"
_DATE = re.compile(r"^-?\d{4,}-\d{2}-\d{2}" + _TZ + "$")
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?" + _TZ + "$")
_TIME = re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d+)?" + _TZ + "$")
_GYEAR = re.compile(r"^-?\d{4,}" + _TZ + "$")
_GYEARMONTH = re.compile(r"^-?\d{4,}-\d{2}" + _TZ + "$")
_BOOLEAN = frozenset({"true", "false", "1", "0"})

# integer types: (lowest, highest) value, None for unbounded
_INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-(2**7), 2**7 - 1),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 2**8 - 1),
}


def _month_ok(lexical: str, month_at: int) -> bool:
    """The month (and day, when present) of a date-like lexical form are in range."""
    body = lexical.lstrip("-")
    parts = body.split("T", 1)[0].split("-")
    try:
        month = int(parts[month_at])
        if not 1 <= month <= 12:
            return False
        if len(parts) > month_at + 1:
            day = int(parts[month_at + 1][:2])
            return 1 <= day <= 31
    except (IndexError, ValueError):
        return False
    return True


def _integer_check(lo: int | None, hi: int | None) -> Callable[[str], bool]:
    def ok(lexical: str) -> bool:
        if not _INT.match(lexical):
            return False
        n = int(lexical)
        return (lo is None or n >= lo) and (hi is None or n <= hi)

    return ok


_LEXICAL: dict[str, Callable[[str], bool]] = {
    **{XSD + name: _integer_check(lo, hi) for name, (lo, hi) in _INTEGER_RANGES.items()},
    XSD + "decimal": lambda s: bool(_DECIMAL.match(s)),
    XSD + "double": lambda s: bool(_DOUBLE.match(s)),
    XSD + "float": lambda s: bool(_DOUBLE.match(s)),
    XSD + "boolean": lambda s: s in _BOOLEAN,
    XSD + "date": lambda s: bool(_DATE.match(s)) and _month_ok(s, 1),
    XSD + "dateTime": lambda s: bool(_DATETIME.match(s)) and _month_ok(s, 1),
    XSD + "time": lambda s: bool(_TIME.match(s)),
    XSD + "gYear": lambda s: bool(_GYEAR.match(s)),
    XSD + "gYearMonth": lambda s: bool(_GYEARMONTH.match(s)) and _month_ok(s, 1),
}


def well_formed(lit: ox.Literal) -> bool:
    """Whether ``lit``'s lexical form is valid for its datatype (datatypes not checked here pass)."""
    check = _LEXICAL.get(lit.datatype.value)
    return True if check is None else check(lit.value)


_NUMERIC = frozenset({XSD + n for n in (*_INTEGER_RANGES, "decimal", "double", "float")})
_ORDERED_AS_TEXT = {  # datatype -> family; values of one family compare by their lexical forms
    XSD + "string": "string",
    XSD + "date": "date",
    XSD + "dateTime": "dateTime",
    XSD + "time": "time",
    XSD + "gYear": "gYear",
    XSD + "gYearMonth": "gYearMonth",
}


def lexical_check(datatype: str) -> Callable[[str], bool] | None:
    """The test a lexical form of ``datatype`` must pass (None: any form is valid here)."""
    return _LEXICAL.get(datatype)


@functools.lru_cache(maxsize=1 << 16)  # offsets, counts and confidences repeat a lot
def order_key(term: object) -> tuple[str, object] | None:
    """``(family, value)`` that orders ``term`` against others of its family, or None when SPARQL's
    ``<`` is not defined for it (an IRI, a blank node, a language-tagged or ill-formed literal)."""
    if not isinstance(term, ox.Literal):
        return None
    dt = term.datatype.value
    if dt in _NUMERIC:
        if not well_formed(term):
            return None
        text = term.value
        if dt.endswith(("double", "float")):
            value = float(text.replace("INF", "inf"))
            return None if math.isnan(value) else ("number", value)
        try:
            return "number", Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regexes let no such text through
            return None
    family = _ORDERED_AS_TEXT.get(dt)
    if family is None or not well_formed(term):
        return None
    return family, term.value


def compare(a: object, b: object) -> int | None:
    """-1, 0 or 1 as ``a`` is less than, equal to or greater than ``b``; None when they do not compare."""
    ka, kb = order_key(a), order_key(b)
    if ka is None or kb is None or ka[0] != kb[0]:
        return None
    x, y = ka[1], kb[1]
    if isinstance(x, float) or isinstance(y, float):
        x, y = float(x), float(y)
    return (x > y) - (x < y)  # type: ignore[operator]

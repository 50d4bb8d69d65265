"""rdflib terms ↔ pyoxigraph terms.

The build makes its triples with rdflib terms (:mod:`kg.rdf`); pyoxigraph
writes the Turtle and the SHACL engine (:mod:`kg.shacl`) reads pyoxigraph
terms. These two functions are the one place that crosses between them.

>>> from rdflib import Literal, URIRef, XSD
>>> to_ox(Literal("5", datatype=XSD.integer))
<Literal value=5 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
>>> from_ox(to_ox(URIRef("https://example.org/a"))) == URIRef("https://example.org/a")
True
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_ox(term: Node) -> OxTerm:
    """The pyoxigraph term for an rdflib ``URIRef``, ``Literal`` or ``BNode``."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.BlankNode(str(term))


def from_ox(term: OxTerm) -> Node:
    """The rdflib term for a pyoxigraph term (a plain ``xsd:string`` literal stays plain)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value) if dt == _XSD_STRING else Literal(term.value, datatype=URIRef(dt))
    return BNode(term.value)

"""The closed vocabulary of the graph and the one place IRIs are minted.

`KG` is a closed :class:`rdflib.namespace.DefinedNamespace`: a typo such as
``KG.impose`` raises ``AttributeError`` instead of writing a wrong IRI.
The contract (../shared/CONTRACT.md) fixes the core names; the rest are ours
and are documented in ``ontology/newskg.ttl``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from urllib.parse import quote

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/newskg/ontology"
BASE = "https://w3id.org/newskg/"


class KG(DefinedNamespace):
    """newskg ontology terms (https://w3id.org/newskg/ontology#)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # core classes (contract)
    Person: URIRef
    Country: URIRef
    GovernmentAgency: URIRef
    Organization: URIRef
    Place: URIRef
    Policy: URIRef
    Sector: URIRef
    Statement: URIRef  # a direct quotation
    # our classes
    Actor: URIRef
    Entity: URIRef
    Instrument: URIRef  # skos:Concept scheme member: kind of policy instrument
    PolicyStatus: URIRef
    Modality: URIRef
    MediaOutlet: URIRef
    InternationalOrganization: URIRef
    Company: URIRef
    PolicyEvent: URIRef  # a dated change of a measure (its history)
    Evidence: URIRef  # a sentence that reports a PolicyEvent
    EventType: URIRef

    # relations (contract)
    title: URIRef
    memberOf: URIRef
    leaderOf: URIRef
    partOf: URIRef
    locatedIn: URIRef
    imposes: URIRef
    targets: URIRef
    negotiatesWith: URIRef
    urges: URIRef
    criticizes: URIRef
    threatens: URIRef
    retaliatesAgainst: URIRef
    spokeTo: URIRef
    # statements (contract)
    speaker: URIRef
    quote: URIRef
    # provenance on reification nodes (contract: sentence, confidence)
    sentence: URIRef
    confidence: URIRef
    modality: URIRef
    method: URIRef
    sentenceBegin: URIRef
    sentenceEnd: URIRef
    date: URIRef
    # entity annotations
    actorCode: URIRef
    isoCode: URIRef
    mentionCount: URIRef
    documentCount: URIRef
    # policy facts
    instrument: URIRef
    rate: URIRef
    status: URIRef
    startDate: URIRef
    amount: URIRef
    resolution: URIRef  # "ambiguous": a vague mention's measure that could be several
    # policy history
    history: URIRef  # Policy -> PolicyEvent
    policy: URIRef  # PolicyEvent -> Policy
    eventType: URIRef
    reportedOn: URIRef
    rateBefore: URIRef
    rateAfter: URIRef
    evidence: URIRef  # PolicyEvent -> Evidence
    # schemes and individuals
    instruments: URIRef  # skos:ConceptScheme of instruments
    statuses: URIRef  # skos:ConceptScheme of statuses
    modalities: URIRef  # skos:ConceptScheme of modalities
    eventTypes: URIRef  # skos:ConceptScheme of event types
    # instrument concepts
    tariff: URIRef
    duty: URIRef
    sanction: URIRef
    exportControl: URIRef
    importBan: URIRef
    ban: URIRef
    quota: URIRef
    subsidy: URIRef
    embargo: URIRef
    agreement: URIRef
    entityListing: URIRef
    investigation: URIRef
    law: URIRef
    assetFreeze: URIRef
    visaRestriction: URIRef
    measure: URIRef
    # status concepts
    proposed: URIRef
    threatened: URIRef
    announced: URIRef
    inForce: URIRef
    suspended: URIRef
    lifted: URIRef
    # event types (threatened, announced, lifted are also statuses)
    imposed: URIRef
    raised: URIRef
    reduced: URIRef
    extended: URIRef
    exempted: URIRef
    paused: URIRef
    struckDown: URIRef
    # modality individuals
    asserted: URIRef
    negated: URIRef
    hypothetical: URIRef
    future: URIRef
    # event-ontology alignment annotations on relation properties (ontology/newskg.ttl)
    cameoCode: URIRef
    ploverCategory: URIRef


NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")
SCHEMA = Namespace("https://schema.org/")

# Where instances live (not fixed by the contract; stable across releases).
ID = Namespace(BASE + "id/")  # entities: id/country/china
DOC = Namespace(BASE + "doc/")  # documents: doc/<identifier>
REL = Namespace(BASE + "rel/")  # reified relations: rel/<hash>
QUOTE = Namespace(BASE + "quote/")  # statements: quote/<hash>
EVENT = Namespace(BASE + "event/")  # policy events and their evidence: event/<hash>

PREFIXES: dict[str, Namespace | str] = {
    "kg": KG._NS,
    "nif": NIF,
    "itsrdf": ITSRDF,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "rdfs": RDFS,
    "rdf": RDF,
    "owl": OWL,
    "xsd": XSD,
    "wd": WD,
    "schema": SCHEMA,
    **{slug: Namespace(f"{ID}{slug}/") for slug in ("country", "person", "agency", "organization", "place", "policy", "sector")},
    "doc": DOC,
    "rel": REL,
    "quote": QUOTE,
    "event": EVENT,
}

CORE_CLASSES: tuple[str, ...] = (
    "Person",
    "Country",
    "GovernmentAgency",
    "Organization",
    "Place",
    "Policy",
    "Sector",
)
ACTOR_CLASSES = frozenset({"Person", "Country", "GovernmentAgency", "Organization"})

# core relation properties (contract), in a fixed order
RELATION_PROPERTIES: tuple[str, ...] = (
    "title",
    "memberOf",
    "leaderOf",
    "partOf",
    "locatedIn",
    "imposes",
    "targets",
    "negotiatesWith",
    "urges",
    "criticizes",
    "threatens",
    "retaliatesAgainst",
    "spokeTo",
)
SYMMETRIC_PROPERTIES = frozenset({"negotiatesWith"})
MODALITIES: tuple[str, ...] = ("asserted", "negated", "hypothetical", "future")

# class -> IRI path segment
CLASS_SLUG = {
    "Person": "person",
    "Country": "country",
    "GovernmentAgency": "agency",
    "Organization": "organization",
    "Place": "place",
    "Policy": "policy",
    "Sector": "sector",
}


def bind_prefixes(g: Graph) -> Graph:
    """Bind the project's prefixes (replacing rdflib's defaults) and return ``g``."""
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


# letters that Unicode does not decompose into a base letter and a mark
_FOLD = str.maketrans({
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i", "ħ": "h", "Ħ": "H",
})


def fold_accents(text: str) -> str:
    """``text`` with accents folded to plain letters: ``"Brasília Łódź"`` → ``"Brasilia Lodz"``."""
    t = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in t if not unicodedata.combining(c)).translate(_FOLD)


def slugify(text: str, max_len: int = 80) -> str:
    """A readable, IRI-safe, lower-case slug: ``"Ministry of Commerce"`` → ``ministry-of-commerce``.

    Accents are folded, anything that is not a letter or digit becomes ``-``.
    A slug never drops information silently: when letters or digits of other
    scripts had to be dropped, or the slug was cut at ``max_len``, a hash of
    the whole text is appended, so distinct names do not share a slug (and
    text with no letters or digits at all is ``x-<hash>``).

    >>> slugify("Zürich & Łódź"), slugify("习近平"), slugify("习近平") == slugify("李强")
    ('zurich-and-lodz', 'x-12560155', False)
    """
    t = fold_accents(text).replace("&", " and ").replace("%", " pct ")
    dropped = any(c.isalnum() and not c.isascii() for c in t)
    t = re.sub(r"[^0-9A-Za-z]+", "-", t).strip("-").lower()
    if len(t) > max_len:
        dropped = True
        t = t[: max_len - 9].rstrip("-")
    if dropped or not t:
        t = f"{t or 'x'}-{short_hash(text, n=8)}"
    return t


def short_hash(*parts: object, n: int = 12) -> str:
    """A stable hex digest of ``parts`` (used to mint opaque, deterministic IRIs)."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:n]


def entity_iri(cls: str, key: str) -> URIRef:
    """The IRI of an entity of core class ``cls`` whose canonical key is ``key``.

    >>> entity_iri("Country", "China")
    rdflib.term.URIRef('https://w3id.org/newskg/id/country/china')
    """
    if cls not in CLASS_SLUG:
        raise ValueError(f"unknown core class {cls!r}; expected one of {', '.join(CLASS_SLUG)}")
    return ID[f"{CLASS_SLUG[cls]}/{slugify(key)}"]


def is_iri(text: str) -> bool:
    """True when ``text`` is an absolute IRI by the syntax of RFC 3987.

    Checked by pyoxigraph's IRI parser, the one that writes our Turtle, so an
    IRI that passes here never fails at serialisation (rdflib's ``URIRef``
    only warns).

    >>> is_iri("https://example.org/a?b=c#d"), is_iri("https://example.org/100%"), is_iri("no scheme")
    (True, False, False)
    """
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return True


def web_iri(url: str) -> URIRef | None:
    """``url`` as an IRI when it is a valid ``http(s)`` IRI with a host, else ``None`` (keep it as a literal)."""
    if not re.match(r"^https?://[^/?#\s]", url) or not is_iri(url):
        return None
    return URIRef(url)


def document_iri(identifier: str) -> URIRef:
    """The ``nif:Context`` IRI of a document: its identifier, percent-encoded."""
    return DOC[quote(identifier, safe="-._~")]


def mention_iri(identifier: str, begin: int, end: int) -> URIRef:
    """A NIF RFC 5147 string IRI: ``…/doc/<id>#char=<begin>,<end>``."""
    if not 0 <= begin < end:
        raise ValueError(f"bad mention offsets {begin},{end}")
    return URIRef(f"{document_iri(identifier)}#char={begin},{end}")


_DOMAIN_RANGE_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?p ?end ?cls WHERE {
  VALUES ?end { rdfs:domain rdfs:range }
  ?p ?end ?d .
  OPTIONAL { ?d owl:unionOf/rdf:rest*/rdf:first ?member }
  BIND(COALESCE(?member, ?d) AS ?c)
  FILTER(isIRI(?c))
  ?cls rdfs:subClassOf* ?c .
}
"""


@functools.lru_cache(maxsize=1)
def domain_range() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """For each relation property, the core classes its subject and its object may have,
    read from the ontology's ``rdfs:domain`` and ``rdfs:range`` (through ``owl:unionOf``
    and ``rdfs:subClassOf``: a domain of ``kg:Actor`` admits Person, Country,
    GovernmentAgency and Organization). A literal range (``kg:title``) admits no class.

    >>> dom, rng = domain_range()["targets"]
    >>> sorted(dom), "Sector" in rng, "Policy" in rng
    (['Policy'], True, False)
    >>> sorted(domain_range()["imposes"][0]) == sorted(ACTOR_CLASSES)
    True
    """
    import pyoxigraph

    from kg.resources import DataFileError, ontology_file, read_bytes

    store = pyoxigraph.Store()
    path = ontology_file("newskg.ttl")
    try:
        store.load(read_bytes(path), pyoxigraph.RdfFormat.TURTLE)
    except SyntaxError as exc:
        raise DataFileError(str(path), f"is not valid Turtle ({exc}): it is damaged") from None
    ends: dict[str, tuple[set[str], set[str]]] = {p: (set(), set()) for p in RELATION_PROPERTIES}
    kg_ns = str(KG._NS)
    for row in store.query(_DOMAIN_RANGE_QUERY):
        p, end, cls = (str(row[k].value) for k in ("p", "end", "cls"))
        name, cname = p.removeprefix(kg_ns), cls.removeprefix(kg_ns)
        if name in ends and cname in CORE_CLASSES:
            ends[name][0 if end.endswith("domain") else 1].add(cname)
    missing = [p for p in RELATION_PROPERTIES if not ends[p][0]]
    if missing:
        raise ValueError(f"{path}: no rdfs:domain for {missing}")
    return {p: (frozenset(d), frozenset(r)) for p, (d, r) in ends.items()}

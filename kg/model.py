"""Typed records passed between the pipeline stages.

All are frozen dataclasses carrying the document id and character offsets
(Unicode code points into ``Document.text``), so every fact points back to
the sentence it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Document:
    """One article as read from the input.

    ``id`` is stable: the file's base name, or the JSONL record's ``id``.
    ``text`` is exactly the text that mention offsets count into.
    ``body`` lists the (start, end) spans of ``text`` that are the article
    body; extraction ignores everything outside them (site chrome).
    """

    id: str
    text: str
    title: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) when known
    url: str | None = None
    source: Path | None = None
    body: tuple[tuple[int, int], ...] | None = None  # None: the whole text

    def body_spans(self) -> tuple[tuple[int, int], ...]:
        return self.body if self.body is not None else ((0, len(self.text)),)


@dataclass(frozen=True)
class IngestError:
    """A file (or JSONL line) that could not be read; the build goes on without it."""

    path: Path
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


class Key(str):
    """An entity key: what a mention or an entity is, as ``kind:id`` ("country:CHN",
    "agency:us_treasury", "person:scott-bessent", "agency:CHN:commerce").

    A ``str``, so that it keys dictionaries, sorts and pickles as the text it is, with the
    parts read once, typed: code asks ``key.kind`` and ``key.id``, never splits the text.

    >>> k = Key.of("country", "CHN"); (k, k.kind, k.id, k == "country:CHN")
    ('country:CHN', 'country', 'CHN', True)
    >>> Key("agency:CHN:commerce").id, Key("agency:CHN:commerce").parts
    ('CHN:commerce', ('CHN', 'commerce'))
    """

    __slots__ = ()

    def __new__(cls, text: str) -> Key:
        if ":" not in text:
            raise ValueError(f"an entity key is kind:id, not {text!r}")
        return super().__new__(cls, text)

    @classmethod
    def of(cls, kind: str, *parts: str) -> Key:
        return cls(":".join((kind, *parts)))

    @property
    def kind(self) -> str:
        return self.partition(":")[0]

    @property
    def id(self) -> str:
        return self.partition(":")[2]

    @property
    def parts(self) -> tuple[str, ...]:
        """The parts of the id: ``("CHN", "commerce")`` of ``agency:CHN:commerce``."""
        return tuple(self.id.split(":"))


def as_key(value: str | None) -> Key | None:
    """``value`` as a :class:`Key` (``None`` stays ``None``)."""
    return value if value is None or isinstance(value, Key) else Key(value)


@dataclass(frozen=True)
class Mention:
    """A span of a document that names an entity.

    ``cls`` is the core class the span was read as; ``key`` a canonical
    :class:`Key` from a gazetteer (``country:CHN``) when the span was linked to
    one, else ``None`` (resolution then clusters by name).
    """

    doc_id: str
    start: int
    end: int
    text: str
    cls: str
    key: Key | None = None  # a str given here becomes a Key
    source: str = "ner"  # ner | gazetteer | pattern | metonym | demonym | coref
    sent: int = 0  # index of the sentence in the document

    def __post_init__(self) -> None:
        if self.key is not None and not isinstance(self.key, Key):
            object.__setattr__(self, "key", Key(self.key))

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(frozen=True)
class PolicyFacts:
    """What the text states about a policy mention (issue: policies as facts)."""

    instrument: str | None = None  # kg instrument concept local name: tariff, sanction …
    rate: str | None = None  # decimal as text, "145"
    status: str | None = None  # proposed | threatened | announced | inForce | suspended | lifted
    start_date: str | None = None  # xsd:date or xsd:gYearMonth lexical form
    amount: str | None = None  # "$34 billion"


@dataclass(frozen=True)
class Relation:
    """A relation read from one sentence, between two mentions (or a mention and a literal)."""

    doc_id: str
    subject: Mention
    prop: str  # local name in kg:, one of vocab.RELATION_PROPERTIES
    object: Mention | str  # a literal for kg:title
    sentence: str
    sent_start: int
    sent_end: int
    method: str  # which rule found it, e.g. "kg.relations.v2:impose-active"
    confidence: float = 0.7
    modality: str = "asserted"  # asserted | negated | hypothetical | future
    date: str | None = None  # the date the fact refers to, when stated


@dataclass(frozen=True)
class Quote:
    """A direct quotation with its speaker (a mention, possibly found by coreference)."""

    doc_id: str
    text: str  # the quoted words, without the marks
    start: int  # offsets of the quoted words in Document.text
    end: int
    speaker: Mention | None
    sentence: str
    method: str = "kg.quotes.v2:speech-verb"  # which rule found the speaker
    confidence: float = 0.8


Span = tuple[int, int]  # (start, end) character offsets of a mention in Document.text


@dataclass(frozen=True)
class PolicyEvent:
    """A change of a measure one sentence reports: "raised the tariffs from 10% to 25% on
    June 1" is a ``raised`` event of the measure the mention at ``policy`` names.

    ``kind`` is one of :data:`kg.history.EVENT_TYPES`; ``date`` the date the sentence
    gives (``xsd:date`` or ``xsd:gYearMonth`` form, resolved against the document's
    date), ``None`` when it gives none; the rates are decimals as text ("145").
    """

    doc_id: str
    policy: Span  # the policy mention whose measure changed
    kind: str
    sentence: str
    sent_start: int
    sent_end: int
    method: str  # the rule that read it
    confidence: float = 0.7
    modality: str = "asserted"  # asserted | future | hypothetical (threatened)
    date: str | None = None
    rate_before: str | None = None
    rate_after: str | None = None


@dataclass
class Extraction:
    """Everything read from one document.

    Policy mentions are keyed by their character span: what the text states of
    each (``policy_facts``), its phrase with its modifiers (``policy_long_forms``,
    an alias), whether it is a specific measure rather than a generic word
    (``policy_specific``: a rate, an imposer, a target or a name), and the
    document's cluster of mentions of one measure (``policy_clusters``).
    ``home`` is the state the document is mostly about; ``agency_country`` the
    state each agency (or demonym, or person) mention belongs to; ``policy_events``
    the changes of measures the document reports (:class:`PolicyEvent`), which
    resolution turns into each measure's dated history.
    """

    doc: Document
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    policy_facts: dict[Span, PolicyFacts] = field(default_factory=dict)
    sentences: list[Span] = field(default_factory=list)
    policy_long_forms: dict[Span, str] = field(default_factory=dict)
    policy_specific: set[Span] = field(default_factory=set)
    policy_clusters: dict[Span, int | None] = field(default_factory=dict)
    home: str | None = None  # ISO3
    agency_country: dict[Span, str] = field(default_factory=dict)  # ISO3
    policy_events: list[PolicyEvent] = field(default_factory=list)  # the changes of measures it reports


# --- serialisation of extraction results (the per-document build cache, Dask transfers) ---

EXTRACTION_FORMAT = 3  # bump when the encoding below or the fields of Extraction change
_MAGIC = b"newskg-extraction"


class BadRecord(ValueError):
    """Bytes that are not a whole, intact, matching serialised :class:`Extraction`."""


def dump_extraction(ex: Extraction, *, key: str = "", version: str = "") -> bytes:
    """``ex`` as bytes: one header line, then the pickled record.

    The header (JSON) names the format, the caller's ``key`` and ``version``
    (the cache uses the document's content hash and the pipeline version)
    and the SHA-256 and length of the payload, so :func:`load_extraction`
    can refuse a truncated, corrupt or mis-filed record instead of serving it.

    >>> ex = Extraction(Document("a.txt", "Tokyo held talks."))
    >>> load_extraction(dump_extraction(ex, key="k"), key="k") == ex
    True
    """
    import hashlib
    import json
    import pickle

    payload = pickle.dumps(ex, protocol=pickle.HIGHEST_PROTOCOL)
    header = {"format": EXTRACTION_FORMAT, "key": key, "version": version, "size": len(payload),
              "sha256": hashlib.sha256(payload).hexdigest()}
    return _MAGIC + b" " + json.dumps(header, sort_keys=True).encode("ascii") + b"\n" + payload


def load_extraction(data: bytes, *, key: str | None = None, version: str | None = None) -> Extraction:
    """The :class:`Extraction` in ``data`` from :func:`dump_extraction`.

    Raises :class:`BadRecord` when the header is missing or of another
    format, when ``key`` or ``version`` (if given) differ from the header's,
    or when the payload's length or checksum do not match. The payload is a
    pickle: load only records this program wrote (the cache in your own
    output folder), never ones from elsewhere.
    """
    import hashlib
    import json
    import pickle

    head, sep, payload = data.partition(b"\n")
    if not sep or not head.startswith(_MAGIC + b" "):
        raise BadRecord("not a newskg extraction record")
    try:
        header = json.loads(head[len(_MAGIC) + 1 :])
    except ValueError as exc:
        raise BadRecord(f"unreadable header: {exc}") from None
    if header.get("format") != EXTRACTION_FORMAT:
        raise BadRecord(f"format {header.get('format')!r}, this version reads {EXTRACTION_FORMAT}")
    if key is not None and header.get("key") != key:
        raise BadRecord(f"record of {header.get('key')!r}, expected {key!r}")
    if version is not None and header.get("version") != version:
        raise BadRecord(f"record of pipeline version {header.get('version')!r}, expected {version!r}")
    if header.get("size") != len(payload) or header.get("sha256") != hashlib.sha256(payload).hexdigest():
        raise BadRecord("payload truncated or corrupt (length or checksum differ)")
    ex = pickle.loads(payload)
    if not isinstance(ex, Extraction):
        raise BadRecord(f"payload is a {type(ex).__name__}, not an Extraction")
    return ex

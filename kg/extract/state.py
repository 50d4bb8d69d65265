"""The working state of one document's extraction, and the helpers every pass uses.

:class:`DocState` holds what the passes of :mod:`kg.extract` build up: the
mentions with their token spans (``tms``) and the policy mentions
(``policies``), the document-level facts the typing pass derives (the home
state, agency countries), the quotation spans, the policy clusters and the
relations and quotes recorded so far. Its methods find mentions by token,
give a token's sentence and its date, and record a relation once
(:meth:`DocState.add`).
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from spacy.tokens import Span, Token

from kg.extract import lexicon as L
from kg.extract.dates import parse_anchor, resolve_date
from kg.extract.mentions import TM
from kg.extract.policies import PolicyTM
from kg.extract.syntax import target_tokens
from kg.gazetteer import Gazetteer
from kg.model import Document, Key, Mention, PolicyEvent, Quote, Relation
from kg.nlp import Paragraph
from kg.vocab import ACTOR_CLASSES

ACTORS = ACTOR_CLASSES
# relations about what something is, not events: no date is read for them
STATIC_PROPS = frozenset({"title", "partOf", "locatedIn", "memberOf", "leaderOf"})
TARGET_CLASSES = frozenset({"Country", "Sector", "Organization", "Person", "GovernmentAgency"})


class QuoteSpan(NamedTuple):
    para: int
    start: int  # token indices of the quotation (marks included) in the paragraph
    end: int
    speaker: Mention | None


@dataclass
class PolicyCluster:
    """Policy mentions of one document that name one measure (see :mod:`kg.extract.coref`)."""

    family: str
    imposers: set[str]
    targets: set[str]
    states: set[str] = field(default_factory=set)
    members: list[PolicyTM] = field(default_factory=list)


@dataclass
class DocState:
    doc: Document
    paras: list[Paragraph]
    gz: Gazetteer
    disabled: frozenset[str] = frozenset()  # rule names left out (tests)
    # mentions (pass "mentions")
    tms: list[TM] = field(default_factory=list)
    policies: list[PolicyTM] = field(default_factory=list)
    by_tok: dict[tuple[int, int], TM] = field(default_factory=dict)
    sent_base: list[int] = field(default_factory=list)  # index of each paragraph's first sentence
    # document-level facts (pass "doc-types")
    home: str | None = None  # ISO3 of the state the document is mostly about
    named_states: set[str] = field(default_factory=set)  # ISO3 of every state named (or of a named agency)
    salience: dict[str, float] = field(default_factory=dict)  # ISO3 -> how much the document names it
    voice: Mention | None = None  # who speaks the unquoted text ("Remarks by X"), if the document says
    explicit: dict[str, str] = field(default_factory=dict)  # agency domain -> the country the document gives it
    # quotations (pass "quotes")
    quote_spans: list[QuoteSpan] = field(default_factory=list)
    # policy clusters (pass "clusters")
    clusters: list[PolicyCluster] = field(default_factory=list)
    policy_cluster: dict[int, int] = field(default_factory=dict)  # id(PolicyTM) -> cluster index
    cluster_targets: dict[int, list[Mention]] = field(default_factory=dict)
    # results
    relations: list[Relation] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[PolicyEvent] = field(default_factory=list)  # changes of measures (rules of the history family)
    seen_rel: set[tuple] = field(default_factory=set)
    # what rule families read once per document and share between their rules
    memos: dict[str, dict] = field(default_factory=dict)
    anchor: date | None = field(init=False)  # the document's date: relative dates resolve against it
    _sents: dict[int, tuple[list[Span], list[int]]] = field(default_factory=dict, repr=False)  # sentences, their starts

    def __post_init__(self) -> None:
        self.anchor = parse_anchor(self.doc.date)

    def memo(self, name: str) -> dict:
        """A dictionary a rule family keeps for this document (readings shared by its rules)."""
        return self.memos.setdefault(name, {})

    # ----------------------------------------------------------------- look-ups
    def tm_at(self, para: int, tok: Token) -> TM | None:
        """The mention covering ``tok`` (names before measures), if any."""
        return self.by_tok.get((para, tok.i))

    def before(self, para: int, i: int) -> Iterator[TM]:
        """Mentions that start before token ``i`` of paragraph ``para``, newest first."""
        for tm in reversed(self.tms):
            if (tm.para, tm.span.start) < (para, i):
                yield tm

    def sent(self, para: int, tok: Token) -> Span:
        """``tok``'s sentence (``Token.sent`` walks the parse for each call; this looks it up)."""
        got = self._sents.get(para)
        if got is None:
            sents = list(self.paras[para].spacy_doc.sents)
            got = self._sents[para] = (sents, [s.start for s in sents])
        sents, starts = got
        return sents[bisect.bisect_right(starts, tok.i) - 1]

    def sentence_of(self, para: int, tok: Token) -> tuple[str, int, int]:
        """The text and document offsets of ``tok``'s sentence (the text as the document
        writes it: the parse reads a few characters normalised, :mod:`kg.nlp`)."""
        s = self.sent(para, tok)
        off = self.paras[para].offset
        a, b = off + s.start_char, off + s.end_char
        return self.doc.text[a:b], a, b

    def in_quote(self, para: int, tok: Token) -> Mention | None | bool:
        """The speaker of the quotation ``tok`` is in; ``False`` inside a quotation with
        no speaker; ``None`` outside quotations."""
        for q in self.quote_spans:
            if q.para == para and q.start <= tok.i < q.end:
                return q.speaker if q.speaker is not None else False
        return None

    def targets_in(self, para: int, roots: Iterable[Token]) -> list[Mention]:
        """Possible targets (states, sectors, bodies, people) named under ``roots``
        (:func:`kg.extract.syntax.target_tokens`)."""
        out: list[Mention] = []
        for r in roots:
            for t in target_tokens(r, L.ORIGIN_VERBS):
                tm = self.tm_at(para, t)
                if tm is None or tm.m.cls not in TARGET_CLASSES or tm.m in out:
                    continue
                if t.dep_ == "pobj" and t.head.lower_ == "of" and is_title_word(t.head.head, self.gz):
                    continue  # "the President of Venezuela": the office's state, not a target
                out.append(tm.m)
        return out

    def policy_at(self, para: int, tok: Token) -> PolicyTM | None:
        """The policy mention headed by or covering ``tok``."""
        for pt in self.policies:
            if pt.tm.para == para and (pt.head.i == tok.i or pt.tm.covers(tok)):
                return pt
        return None

    def policies_under(self, para: int, tok: Token) -> list[PolicyTM]:
        """Policies named by a token and its coordinated siblings, also through a quantity
        noun ("a fourth round of sanctions")."""
        out = []
        for t in [tok] + [c for c in tok.children if c.dep_ == "conj"]:
            pt = self.policy_at(para, t)
            if pt is None and t.pos_ in ("NOUN", "PROPN"):
                for pr in t.children:
                    if pr.dep_ == "prep" and pr.lower_ == "of":
                        for o in pr.children:
                            if o.dep_ == "pobj":
                                pt = self.policy_at(para, o)
            if pt is None:
                pt = self.law_before(para, t)
            if pt is not None:
                out.append(pt)
        return out

    def law_before(self, para: int, tok: Token) -> PolicyTM | None:
        """ "the act", "the legislation" (definite, unqualified): the last law named before it."""
        if tok.lower_ not in L.LAW_ANAPHORS or not any(c.dep_ == "det" and c.lower_ in L.DEMONSTRATIVES for c in tok.children) \
                or any(c.dep_ in ("amod", "compound", "poss") for c in tok.children):
            return None
        laws = [pt for pt in self.policies if pt.instrument == "law" and (pt.tm.para, pt.tm.span.start) < (para, tok.i)]
        return max(laws, key=lambda pt: (pt.tm.para, pt.tm.span.start)) if laws else None

    def country_mention(self, iso: str, near: TM) -> Mention:
        """A mention standing for country ``iso`` (the nearest one), or one implied at ``near``."""
        best = None
        for tm in self.tms:
            if tm.m.cls == "Country" and tm.m.key == Key.of("country", iso):
                if best is None or abs(tm.para - near.para) < abs(best.para - near.para):
                    best = tm
        if best is not None:
            return best.m
        return Mention(self.doc.id, near.m.start, near.m.end, near.m.text, "Country", Key.of("country", iso), "implied", near.m.sent)

    def agency_mention(self, key: Key, near: TM) -> Mention:
        """A mention of the gazetteer agency ``key``, or one implied at ``near``."""
        for tm in self.tms:
            if tm.m.key == key:
                return tm.m
        return Mention(self.doc.id, near.m.start, near.m.end, near.m.text, "GovernmentAgency", key, "implied", near.m.sent)

    # ---------------------------------------------------------------- recording
    def add(self, subj: Mention, prop: str, obj: Mention | str, para: int, tok: Token, method: str,
            conf: float, modality: str = "asserted") -> None:
        """Record a relation read at ``tok`` once per (subject, property, object, sentence, modality)."""
        if isinstance(obj, Mention) and (obj.start, obj.end) == (subj.start, subj.end):
            return  # also drops bodies only implied by a title: entities are what the text names
        if isinstance(obj, Mention) and subj.key and subj.key == obj.key:
            return
        text, a, b = self.sentence_of(para, tok)
        key = (subj.start, subj.end, prop, obj if isinstance(obj, str) else (obj.start, obj.end), a, modality)
        if key in self.seen_rel:
            return
        self.seen_rel.add(key)
        when = self.date_near(para, tok) if prop not in STATIC_PROPS else None
        self.relations.append(Relation(self.doc.id, subj, prop, obj, text, a, b, method, round(conf, 3), modality, when))
        if prop == "imposes" and when and modality == "asserted" and isinstance(obj, Mention):
            for pt in self.policies:
                if pt.tm.m is obj and pt.facts.start_date is None:
                    pt.facts = dataclasses.replace(pt.facts, start_date=when)

    def add_event(self, policy: Mention, kind: str, para: int, tok: Token, method: str, conf: float,
                  modality: str = "asserted", rate_before: str | None = None, rate_after: str | None = None) -> None:
        """Record a change ``kind`` of the measure ``policy`` names, read at ``tok``, once per
        (mention, kind, sentence), dated by its clause (a scheduled one looks ahead)."""
        text, a, b = self.sentence_of(para, tok)
        if any(e.policy == (policy.start, policy.end) and e.kind == kind and e.sent_start == a for e in self.events):
            return
        when = self.date_near(para, tok, ahead=modality == "future", hops=5, own_clause=True)
        self.events.append(PolicyEvent(self.doc.id, (policy.start, policy.end), kind, text, a, b, method, round(conf, 3),
                                       modality, when, rate_before, rate_after))

    def date_near(self, para: int, tok: Token, ahead: bool = False, hops: int = 3, own_clause: bool = False) -> str | None:
        """The date a clause states for its event ("imposed … on April 26", "earlier this month");
        ``ahead``: a scheduled event's ("will take effect on June 1" is the next June 1); ``hops``:
        how far up the parse from the date its clause's verb may be ("raised … from 10% to 25%
        on March 3" hangs the date on the rate); ``own_clause``: a date of another verb on the way
        is that verb's ("the sanctions, which were suspended in January, were reimposed")."""
        verb = tok
        for _ in range(3):
            if verb.pos_ in ("VERB", "AUX"):
                break
            if verb.head.i == verb.i:
                break
            verb = verb.head
        for e in self.sent(para, tok).ents:
            if e.label_ != "DATE":
                continue
            if own_clause and e.root.dep_ == "pobj" and e.root.head.lower_ in L.UNTIL_WORDS:
                continue  # "extended until December": the end of a period
            h = e.root
            for _ in range(hops):
                if h.i in (verb.i, tok.i):
                    d = resolve_date(e.text, self.anchor, ahead)
                    if d:
                        return d
                    break
                if h.head.i == h.i or own_clause and h.pos_ in ("VERB", "AUX") and h is not e.root:
                    break
                h = h.head
        return None


def is_counter_measure(pt: PolicyTM) -> bool:
    """A measure that answers another: "retaliatory tariffs", "counter-tariffs", "reciprocal duties"."""
    return any(c.lower_ in L.COUNTER_WORDS for c in pt.head.lefts) \
        or pt.tm.m.text.lower().startswith(L.COUNTER_PREFIXES)


def is_title_word(tok: Token, gz: Gazetteer) -> bool:
    """Is ``tok`` an office word of the gazetteer ("minister", "Secretaries")?"""
    low = tok.lower_
    return low in gz.titles or tok.lemma_.lower() in gz.titles or (low.endswith("s") and low[:-1] in gz.titles)

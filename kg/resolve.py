"""The resolution stage: one entity per real thing, within and across documents.

``resolve(extractions, gz) -> Resolved`` (named ``kg.resolve.v1``) turns the
mentions of every document into entities:

* gazetteer keys first (countries with their capitals, demonyms and metonyms;
  agencies; organisations; people; sectors);
* agencies without a gazetteer row by (country, domain): "Commerce Ministry"
  of China is "China's Ministry of Commerce";
* people by full name; a bare surname joins the full name of its own
  document, and another document's full name only with evidence (one
  candidate in the corpus and a shared title, or a gazetteer identity);
* organisations and places by normalised name, acronyms by their expansion;
* policies by the document's policy clusters, merged across documents when
  instrument family, imposing state and targeted state agree.

IRIs are minted by :mod:`kg.vocab` from canonical keys, so the same input
gives the same IRIs.
"""

from __future__ import annotations

from bisect import bisect_left

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from kg.extract.policies import family
from kg.gazetteer import Gazetteer, actor_code
from kg.history import HistoryEvent, latest_state, merge_events
from kg.model import Extraction, Key, Mention, Quote, Relation
from kg.vocab import domain_range, entity_iri, short_hash

NAME = "kg.resolve.v1"

SHORT_COUNTRY = {"United States": "US", "United Kingdom": "UK", "European Union": "EU", "United Arab Emirates": "UAE"}
INSTRUMENT_PLURAL = {
    "tariff": "tariffs", "duty": "duties", "sanction": "sanctions", "exportControl": "export controls",
    "ban": "ban", "importBan": "import ban", "quota": "quotas", "subsidy": "subsidies", "embargo": "embargo",
    "agreement": "agreement", "entityListing": "Entity List additions", "investigation": "investigation",
    "law": "law", "assetFreeze": "asset freeze", "visaRestriction": "visa restrictions", "measure": "measures",
}
WINDOW_DAYS = 365  # a vague mention links to a measure of the corpus reported within this many days


class _Reading(NamedTuple):
    """What one document's cluster of mentions says of its measure (see ``_policy_keys``)."""

    ck: tuple[str, int]
    inst: str
    fam: str
    imp: tuple[str, ...]
    tgt: tuple[str, ...]
    oth: tuple[str, ...]
    date: str | None
    law: bool
    amounts: tuple[str, ...] = ()  # the amounts and rates it states ("$16 billion", "25%")

    @property
    def signature(self) -> tuple:
        return (self.fam, self.imp, self.tgt, self.oth)


def _eras(readings: dict[tuple[str, int], "_Reading"], days: int = WINDOW_DAYS) -> dict[tuple[str, int], int]:
    """The era of each specific reading among the readings of its signature: the dated ones
    in date order, a new era where more than ``days`` pass between two reports (the same
    measure reported on and off stays one; the US tariffs on China of 2018 and those of 2025
    are two). Undated readings, named laws and vague ones are not listed: era 0.

    >>> R = lambda d: _Reading(("a", 0), "tariff", "tariff", ("USA",), ("CHN",), (), d, False)
    >>> sorted(_eras({("a", 0): R("2018-03-01"), ("b", 0): R("2018-09-01"), ("c", 0): R("2025-04-02"), ("d", 0): R(None)}).items())
    [(('a', 0), 0), (('b', 0), 0), (('c', 0), 1)]
    """
    from datetime import date as _date

    def day(r: _Reading) -> _date | None:
        try:
            return _date.fromisoformat((r.date or "")[:10])
        except ValueError:
            return None

    by_sig: dict[tuple, list[tuple[_date, tuple[str, int]]]] = defaultdict(list)
    for ck, r in readings.items():
        d = day(r)
        if d is not None and not r.law and r.imp and (r.tgt or r.oth):
            by_sig[r.signature].append((d, ck))
    out: dict[tuple[str, int], int] = {}
    for dated in by_sig.values():
        dated.sort()
        n, prev = 0, dated[0][0]
        for d, ck in dated:
            if (d - prev).days > days:
                n += 1
            out[ck], prev = n, d
    return out


def _ordinal(date: str | None) -> int | None:
    """The day number of an ISO date (its first ten characters), ``None`` when there is none."""
    from datetime import date as _date

    try:
        return _date.fromisoformat((date or "")[:10]).toordinal()
    except ValueError:
        return None


@dataclass
class Entity:
    key: Key
    cls: str
    iri: str = ""
    label: str = ""
    surfaces: Counter = field(default_factory=Counter)
    wikidata: str = ""
    actor_code: str | None = None
    iso: str = ""
    docs: set = field(default_factory=set)
    mentions: int = 0
    facts: dict = field(default_factory=dict)  # policies: instrument, rate, status, startDate, amount


@dataclass
class RRelation:
    subject: str  # entity IRI
    prop: str
    object: str  # entity IRI, or the literal for kg:title
    literal: bool
    rel: Relation


@dataclass
class RQuote:
    speaker: str
    quote: Quote


@dataclass
class Resolved:
    entities: dict[str, Entity]  # IRI -> entity
    mentions: list[tuple[Mention, str]]  # text mention -> entity IRI
    relations: list[RRelation]
    quotes: list[RQuote]
    events: list[HistoryEvent] = field(default_factory=list)  # the measures' histories (kg.history)
    broader: list[tuple[str, str]] = field(default_factory=list)  # (measure IRI, the ambiguous family node it is part of)


def norm_name(text: str) -> str:
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    t = t.replace("’", "'")
    t = re.sub(r"'s\b", "", t)
    t = re.sub(r"\b(u)\.(s)\.", r"\1\2", t)
    t = re.sub(r"[^\w]+", " ", t).strip()
    t = re.sub(r"^(the|a|an) ", "", t)
    return t


# AP style abbreviations of US states, as datelines and captions write them ("Arkadelphia, Ark.")
US_STATE_ABBREVIATIONS = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California", "Colo.": "Colorado",
    "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida", "Ga.": "Georgia", "Ill.": "Illinois",
    "Ind.": "Indiana", "Kan.": "Kansas", "Ky.": "Kentucky", "La.": "Louisiana", "Md.": "Maryland",
    "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota", "Miss.": "Mississippi", "Mo.": "Missouri",
    "Mont.": "Montana", "Neb.": "Nebraska", "Nev.": "Nevada", "N.H.": "New Hampshire", "N.J.": "New Jersey",
    "N.M.": "New Mexico", "N.Y.": "New York", "N.C.": "North Carolina", "N.D.": "North Dakota", "Okla.": "Oklahoma",
    "Ore.": "Oregon", "Pa.": "Pennsylvania", "R.I.": "Rhode Island", "S.C.": "South Carolina", "S.D.": "South Dakota",
    "Tenn.": "Tennessee", "Vt.": "Vermont", "Va.": "Virginia", "Wash.": "Washington State", "W.Va.": "West Virginia",
    "Wis.": "Wisconsin", "Wyo.": "Wyoming",
}


def place_norm(text: str) -> str:
    """Place names: 'Ark.' is Arkansas, 'WASHINGTON, D.C.' is Washington."""
    text = US_STATE_ABBREVIATIONS.get(text.strip(), text)
    n = norm_name(text)
    return re.sub(r"\s+(d c|dc)$", "", n)


def _initials(text: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’.-]*", text) if w.lower() not in ("of", "and", "the", "for", "on", "in")]
    return "".join(w[0].upper() for w in words)


def _expansion(words: str, acronym: str) -> str | None:
    """The end of the capitalised run ``words`` that ``acronym`` abbreviates: "The U.S. Commerce
    Department's Bureau of Industry and Security" + "BIS" → "Bureau of Industry and Security".

    >>> _expansion("The U.S. Commerce Department's Bureau of Industry and Security", "BIS")
    'Bureau of Industry and Security'
    >>> _expansion("Office of Foreign Assets Control", "OFAC"), _expansion("Acme Group", "XYZ")
    ('Office of Foreign Assets Control', None)
    """
    parts = words.split()
    for k in range(len(parts) - 1, -1, -1):
        tail = " ".join(parts[k:])
        if _initials(tail) == acronym:
            return tail
    return None


def _clean_person(text: str) -> str:
    return re.sub(r"[’']s$", "", text).strip()


def _extend_names(fulls: dict[str, str]) -> None:
    """Within one document, a full name that one longer name of it extends is that person:
    "Mohammad Javad Zarif" … "Javad Zarif", "Nicolas Maduro Moros" … "Nicolas Maduro" (the
    longer name's key wins, also over a gazetteer key of the shorter, which then joins it).

    >>> f = {"nicolas maduro": "person:a", "nicolas maduro moros": "person:b", "maduro": "person:c"}
    >>> _extend_names(f); f["nicolas maduro"]
    'person:b'
    >>> f = {"ana lopez": "person:a", "ana lopez garcia": "person:b", "maria ana lopez": "person:c"}
    >>> _extend_names(f); f["ana lopez"]
    'person:a'
    """
    for n in sorted(fulls, key=len, reverse=True):
        longer = [fn for fn in fulls if fn != n and (fn.endswith(" " + n) or fn.startswith(n + " "))]
        if " " in n and len(longer) == 1:
            target = fulls[longer[0]]
            old = fulls[n]
            for fn, k in fulls.items():
                if k == old:
                    fulls[fn] = target


class _Resolver:
    def __init__(self, exs: list[Extraction], gz: Gazetteer):
        self.exs = exs
        self.gz = gz
        self.key_of: dict[tuple[str, int, int, str], Key] = {}  # (doc, start, end, cls) -> entity key
        self.ents: dict[str, Entity] = {}

    @staticmethod
    def mid(m: Mention) -> tuple[str, int, int, str]:
        return (m.doc_id, m.start, m.end, m.cls)

    def entity(self, key: Key, cls: str) -> Entity:
        e = self.ents.get(key)
        if e is None:
            e = self.ents[key] = Entity(key=key, cls=cls)
        return e

    def run(self) -> Resolved:
        self.keyed()
        self.people()
        self.names()
        self.policies()
        self.sectors_and_rest()
        return self.finish()

    def _all(self):
        for ex in self.exs:
            for m in ex.mentions:
                yield ex, m
            for r in ex.relations:
                for m in (r.subject, r.object):
                    if isinstance(m, Mention) and m.source == "implied":
                        yield ex, m

    # keyed mentions (gazetteer, agency domain keys, administrations, sectors, capitals)
    def keyed(self) -> None:
        for ex, m in self._all():
            if m.key is None or m.cls == "Person" and m.key.kind != "person":
                continue
            if m.cls == "Policy":
                continue
            k = m.key
            if k.kind == "place":
                k = Key.of("place", place_norm(k.id))
            if k.kind == "administration":
                k = Key.of("administration", k.id.lower())
            self.key_of[self.mid(m)] = k
            self.entity(k, m.cls)

    def people(self) -> None:
        gz = self.gz
        by_doc: dict[str, list[Mention]] = defaultdict(list)
        for ex in self.exs:
            for m in ex.mentions:
                if m.cls == "Person" and self.mid(m) not in self.key_of:
                    by_doc[m.doc_id].append(m)
        gz_people = {norm_name(f): k for f, k in gz.names.items() if k.kind == "person"}
        surname_index: dict[str, set[str]] = defaultdict(set)
        doc_short: list[tuple[Mention, str]] = []
        exs_of: dict[str, list[Extraction]] = defaultdict(list)  # doc id -> its extractions, in order
        for ex in self.exs:
            exs_of[ex.doc.id].append(ex)
        fulls_of: dict[str, dict[str, str]] = {}
        extended: dict[str, set[str]] = defaultdict(set)  # a full name's key -> the longer names' keys it joins
        for doc_id, ms in sorted(by_doc.items()):
            fulls = {}
            for m in ms:
                name = _clean_person(m.text)
                toks = name.split()
                if len(toks) >= 2:
                    n = norm_name(name)
                    fulls[n] = gz_people.get(n) or Key.of("person", n)
            # keyed people of this document also anchor surnames
            for ex in exs_of[doc_id]:
                for m in ex.mentions:
                    k = self.key_of.get(self.mid(m))
                    if k and k.kind == "person":
                        e = gz.entries.get(k)
                        if e is not None:
                            fulls[norm_name(e.label)] = k
            before = dict(fulls)
            _extend_names(fulls)
            for fn, k in fulls.items():
                if k != before[fn]:
                    extended[before[fn]].add(k)
            fulls_of[doc_id] = fulls
        # "Nicolas Maduro" of a document that never says "Nicolas Maduro Moros" is him too,
        # when another document joined those names (and no document joined it otherwise)
        moved = {k: next(iter(ks)) for k, ks in extended.items() if len(ks) == 1}
        for doc_id, ms in sorted(by_doc.items()):
            fulls = {fn: moved.get(k, k) for fn, k in fulls_of[doc_id].items()}
            for fn, k in fulls.items():
                surname_index[fn.split()[-1]].add(k)
            for m in ms:
                name = _clean_person(m.text)
                toks = name.split()
                n = norm_name(name)
                if len(toks) >= 2:
                    key = fulls[n]
                else:
                    cands = sorted({k for fn, k in fulls.items() if fn.split()[-1] == n or n in fn.split()})
                    if len(cands) == 1:
                        key = cands[0]
                    else:
                        doc_short.append((m, n))
                        continue
                self.key_of[self.mid(m)] = key
                self.entity(key, "Person")
        # a bare surname with a title ("President Biden") is the one known person of that
        # surname whose office the title names, when the corpus offers no full name
        titles: dict[tuple, list[str]] = defaultdict(list)
        for ex in self.exs:
            for r in ex.relations:
                if r.prop == "title" and isinstance(r.object, str):
                    titles[self.mid(r.subject)].append(r.object)
        offices: dict[str, set[str]] = defaultdict(set)  # person key -> the office words of their titles
        for mid, ts in titles.items():
            k = self.key_of.get(mid)
            if k:
                offices[k] |= {w for t in ts for w in t.lower().split() if w in gz.titles}
        for m, n in doc_short:
            cands = surname_index.get(n, set())
            if not cands:
                hits = {e.key for t in titles.get(self.mid(m), ()) if (e := gz.person_with_office(m.text, t))}
                cands = hits if len(hits) == 1 else cands
            mine = {w for t in titles.get(self.mid(m), ()) for w in t.lower().split() if w in gz.titles}
            # the corpus's one person of that surname, known to the gazetteer or given the same office
            one = next(iter(cands)) if len(cands) == 1 else None
            key = one if one and (one in gz.entries or mine & offices.get(one, set())) else Key.of("person", n)
            self.key_of[self.mid(m)] = key
            self.entity(key, "Person")

    def names(self) -> None:
        """Organisations, places and agencies without a key: by normalised name and acronym."""
        pending: list[Mention] = []
        for ex, m in self._all():
            if m.cls in ("Organization", "Place", "GovernmentAgency") and self.mid(m) not in self.key_of:
                pending.append(m)
        # acronym -> expansion, from "Bureau of Industry and Security (BIS)" and initials
        full_by_initials: dict[tuple[str, str], str] = {}
        for m in pending:
            if " " in m.text:
                full_by_initials.setdefault((m.cls, _initials(m.text)), norm_name(m.text))
        for ex in self.exs:
            for mt in re.finditer(r"([A-Z][\w&’'.-]*(?:\s+(?:of|and|for|the|&|[A-Z][\w’'.-]*))+)\s+\(([A-Z]{2,8})\)", ex.doc.text):
                full = _expansion(mt.group(1), mt.group(2))
                if full:
                    for cls in ("Organization", "GovernmentAgency", "Place"):
                        full_by_initials[(cls, mt.group(2))] = norm_name(full)
        for m in pending:
            n = place_norm(m.text) if m.cls == "Place" else norm_name(m.text)
            if re.fullmatch(r"[A-Z]{2,8}", m.text) and (m.cls, m.text) in full_by_initials:
                n = full_by_initials[(m.cls, m.text)]
            key = Key.of(m.cls.lower(), n)
            self.key_of[self.mid(m)] = key
            self.entity(key, m.cls)

    def _named_policy(self, text: str) -> bool:
        """Does a policy mention read as a name ("Section 301", "Entity List")? A capital
        that only starts a demonym or a state's name ("Chinese-backed deals") does not count."""
        if not text[:1].isupper() or text.lower() in ("tariffs", "sanctions"):
            return False
        first = text.split()[0].split("-")[0]
        return first not in self.gz.demonyms and first not in self.gz.country_names

    def policies(self) -> None:
        # per-document clusters, then signatures across documents
        clusters: dict[tuple[str, int], list[Mention]] = defaultdict(list)
        for ex in self.exs:
            cl = ex.policy_clusters
            for m in ex.mentions:
                if m.cls == "Policy":
                    c = cl.get((m.start, m.end))
                    if c is None:
                        c = 10_000 + m.start
                    clusters[(ex.doc.id, c)].append(m)
            for r in ex.relations:
                for m in (r.subject, r.object):
                    if isinstance(m, Mention) and m.cls == "Policy":
                        c = cl.get((m.start, m.end))
                        c = 10_000 + m.start if c is None else c
                        if m not in clusters[(ex.doc.id, c)]:
                            clusters[(ex.doc.id, c)].append(m)
        member_of: dict[tuple[str, int, int], tuple[str, int]] = {}
        for ck, ms in clusters.items():
            for m in ms:
                member_of[(m.doc_id, m.start, m.end)] = ck
        specific_clusters = {member_of[(ex.doc.id, *span)] for ex in self.exs for span in ex.policy_specific
                             if (ex.doc.id, *span) in member_of}
        facts_by_cluster: dict[tuple[str, int], list] = defaultdict(list)
        long_forms: dict[tuple[str, int], list[str]] = defaultdict(list)
        for ex in self.exs:
            lf = ex.policy_long_forms
            for span, f in ex.policy_facts.items():
                ck = member_of.get((ex.doc.id, *span))
                if ck:
                    facts_by_cluster[ck].append(f)
                    if span in lf:
                        long_forms[ck].append(lf[span])
        imposers: dict[tuple[str, int], set[str]] = defaultdict(set)
        targets: dict[tuple[str, int], set[str]] = defaultdict(set)
        named: dict[tuple[str, int], set[str]] = defaultdict(set)  # people and organisations targeted, as written
        others: dict[tuple[str, int], set[str]] = defaultdict(set)  # targets that are no state: their keys
        related: set[tuple[str, int]] = set()
        for ex in self.exs:
            for r in ex.relations:
                if r.prop == "imposes" and isinstance(r.object, Mention):
                    ck = member_of.get((r.object.doc_id, r.object.start, r.object.end))
                    if ck:
                        related.add(ck)
                        c = self._country_key(r.subject, ex)
                        if c and r.modality == "asserted":
                            imposers[ck].add(c)
                if r.prop == "targets" and isinstance(r.object, Mention):
                    ck = member_of.get((r.subject.doc_id, r.subject.start, r.subject.end))
                    if ck:
                        related.add(ck)
                        k = self.key_of.get(self.mid(r.object))
                        if k and k.kind == "country":
                            targets[ck].add(k)
                        elif k and r.object.cls in ("Person", "Organization"):
                            named[ck].add(_clean_person(r.object.text))
                        if k and k.kind != "country" and r.modality == "asserted":
                            others[ck].add(k)
                for m in (r.subject, r.object):
                    if isinstance(m, Mention) and m.cls == "Policy":
                        ck = member_of.get((m.doc_id, m.start, m.end))
                        if ck:
                            related.add(ck)
        # what each kept cluster says of its measure: instrument family, imposing states,
        # targeted states, other targets (sectors, bodies, people), its document's date
        self.dropped_policies: set[tuple[str, int]] = set()
        date_of = {ex.doc.id: ex.doc.date for ex in self.exs}
        readings: dict[tuple[str, int], _Reading] = {}
        for ck in sorted(clusters):
            fs = facts_by_cluster.get(ck, [])
            insts = Counter(f.instrument for f in fs if f.instrument and f.instrument != "measure")
            inst = insts.most_common(1)[0][0] if insts else (fs[0].instrument if fs else "measure")
            inst = inst or "measure"
            named_measure = any(self._named_policy(m.text) for m in clusters[ck])
            specific = ck in specific_clusters or any(f.rate or f.amount for f in fs) or ck in related or named_measure
            if not specific:
                self.dropped_policies.add(ck)
                continue
            readings[ck] = _Reading(ck, inst, family(inst), tuple(sorted(imposers.get(ck, ()))),
                                    tuple(sorted(targets.get(ck, ()))), tuple(sorted(others.get(ck, ()))),
                                    date_of.get(ck[0]), inst == "law" or named_measure and not imposers.get(ck),
                                    tuple(sorted({f.amount for f in fs if f.amount} | {f.rate + "%" for f in fs if f.rate})))
        keys = self._policy_keys(readings, clusters, long_forms, named)
        for ck, r in readings.items():
            key, resolution = keys[ck]
            fs = facts_by_cluster.get(ck, [])
            e = self.entity(key, "Policy")
            e.label = e.label or key.id.rsplit("|", 1)[0]
            if resolution:
                e.facts["resolution"] = resolution
            for m in clusters[ck]:
                self.key_of[self.mid(m)] = key
            for lf in long_forms.get(ck, []):
                if lf and len(lf) <= 120:
                    e.surfaces[lf] += 0  # an alias, not a counted mention
            merged = e.facts
            for f in fs:
                if f.instrument and (merged.get("instrument") in (None, "measure")):
                    merged["instrument"] = f.instrument if f.instrument != "measure" or "instrument" not in merged else merged["instrument"]
                if f.rate and "rate" not in merged:
                    merged["rate"] = f.rate
                if f.amount and "amount" not in merged:
                    merged["amount"] = f.amount
                if f.status:
                    merged.setdefault("statuses", []).append(f.status)
                if f.start_date and "startDate" not in merged:
                    merged["startDate"] = f.start_date
            if r.inst and merged.get("instrument") in (None, "measure"):
                merged["instrument"] = r.inst

    def _policy_keys(self, readings: dict[tuple[str, int], _Reading], clusters, long_forms, named) -> dict[tuple[str, int], tuple[Key, str]]:
        """The measure each cluster names, across documents: (its key, ``"ambiguous"`` or "").

        A cluster that names its imposer and its targets (states, else sectors, bodies or
        people) is the measure of that signature, in every document. A named law is the
        law of that name. A vague cluster (imposer or targets not given: "US sanctions",
        "the tariffs") is the most specific compatible measure of the same family: the one
        of the corpus within :data:`WINDOW_DAYS` of its document's date; where there are
        several it is the family's own node, marked ambiguous, and each candidate is
        ``skos:broader`` it; where there is none, it is the measure of its (partial)
        signature. Within its own article the document's coreference
        (:mod:`kg.extract.clusters`) has linked what it could: a vague cluster it kept apart
        from a compatible measure there ("the initial sanctions"), and one that states an
        amount or rate no candidate has, is a measure of its own, the same in every article
        that names it with the same words."""
        out: dict[tuple[str, int], tuple[Key, str]] = {}
        by_sig: dict[tuple, Key] = {}
        span: dict[Key, list[str]] = defaultdict(list)  # a measure's document dates
        docs_of: dict[Key, set[str]] = defaultdict(set)
        label_of = lambda ck, r: self._policy_label(r.inst, r.imp, r.tgt, clusters[ck], long_forms.get(ck, []), named.get(ck, set()))

        era = _eras(readings)

        def keyed(ck: tuple[str, int], r: _Reading, suffix: str) -> Key:
            n = era.get(ck, 0)
            sig = (r.signature, n)
            if sig not in by_sig:
                # a later era of a signature is another measure ("the 2018 tariffs" and those of 2025)
                by_sig[sig] = Key.of("policy", f"{label_of(ck, r)}|{suffix if not n else short_hash(suffix, str(n))}")
            return by_sig[sig]

        vague: list[tuple[str, int]] = []
        for ck in sorted(readings):
            r = readings[ck]
            if r.law:  # a law, or a measure known by a name: by that name
                label = label_of(ck, r)
                key = by_sig.setdefault((r.fam, norm_name(label)), Key.of("policy", f"{label}|x"))
            elif r.imp and r.tgt:
                key = keyed(ck, r, "x")
            elif r.imp and r.oth:
                key = keyed(ck, r, short_hash(*r.signature))
            else:
                vague.append(ck)
                continue
            out[ck] = (key, "")
            docs_of[key].add(ck[0])
            if r.date:
                span[key].append(r.date)
        specific = {ck: readings[ck] for ck in out}
        amounts_of: dict[Key, set[str]] = defaultdict(set)
        for c, (k, _) in out.items():
            amounts_of[k] |= set(readings[c].amounts)
        broader: dict[Key, set[Key]] = defaultdict(set)
        # the specific measures a vague reading may be, found through an index by family and by
        # one imposer or target it names (a scan of every specific one per vague one grew with
        # the square of the corpus: 165 s of a 10,000-article build)
        rows: dict[tuple, set[str]] = {}  # (measure, family, imposers, targets, others) -> its documents
        for c, s in specific.items():
            if not s.law:
                rows.setdefault((out[c][0], s.fam, frozenset(s.imp), frozenset(s.tgt), frozenset(s.oth)), set()).add(c[0])
        pools: dict[tuple, list[tuple]] = defaultdict(list)
        for (k, fam, si, st, so), docs in rows.items():
            entry = (k, si, st, so, docs)
            pools[(fam,)].append(entry)
            for i in si:
                pools[(fam, "imp", i)].append(entry)
            for t in st:
                pools[(fam, "tgt", t)].append(entry)
        days_of = {k: sorted({d for d in map(_ordinal, v) if d is not None}) for k, v in span.items()}

        def near(d: int | None, k: Key) -> bool:
            """Is day ``d`` within the window of a day measure ``k`` was reported on? Never when
            the date is unknown: an undated article cannot be placed beside a measure."""
            ds = days_of.get(k, [])
            i = bisect_left(ds, d - WINDOW_DAYS) if d is not None else len(ds)
            return i < len(ds) and ds[i] <= d + WINDOW_DAYS

        # vague readings repeat (the same words in many articles, many articles of one day): the
        # measures that fit a reading, their documents and amounts, and the candidates of a day
        # are worked out once per distinct reading and day (per reading they cost 16 s at 10,000
        # articles, where most vague readings of a family fit every measure of it)
        fitting: dict[tuple, tuple[list, set[str], set[str]]] = {}
        near_day: dict[tuple, list[Key]] = {}
        widened: set[tuple] = set()
        for ck in vague:
            r = readings[ck]
            at = (r.fam, "imp", r.imp[0]) if r.imp else (r.fam, "tgt", r.tgt[0]) if r.tgt else (r.fam,)
            fkey = (at, frozenset(r.imp), frozenset(r.tgt), frozenset(r.oth))
            if fkey not in fitting:
                _, imp, tgt, oth = fkey
                fits = [(k, docs) for k, si, st, so, docs in pools.get(at, ()) if imp <= si and tgt <= st and oth <= so]
                fitting[fkey] = (fits, set().union(*(docs for _, docs in fits)),
                                 set().union(*(amounts_of.get(k, ()) for k, _ in fits)))
            fits, fit_docs, fit_amounts = fitting[fkey]
            if ck[0] in fit_docs or r.amounts and not set(r.amounts) & fit_amounts:
                # its article's coreference kept it apart from a compatible measure there ("the initial
                # sanctions"), or it states an amount or rate none of them has ("$16 billion"): another
                # measure, the same in every article that names it so
                form = min(long_forms.get(ck, []) + [m.text for m in clusters[ck]], key=lambda t: (-len(t), t))
                key = keyed(ck, r._replace(oth=r.oth + (norm_name(form),) + r.amounts), short_hash(*r.signature, norm_name(form)))
                out[ck] = (key, "")
                continue
            dkey = (fkey, _ordinal(r.date))
            cands = near_day.get(dkey)
            if cands is None:
                near_day[dkey] = cands = sorted({k for k, _ in fits if near(dkey[1], k)})
            if len(cands) == 1:
                out[ck] = (cands[0], "")
                continue
            suffix = "x" if r.imp or r.tgt else short_hash(r.fam, norm_name(label_of(ck, r)))
            key = keyed(ck, r if r.imp or r.tgt else r._replace(oth=(norm_name(label_of(ck, r)),)), suffix)
            out[ck] = (key, "ambiguous" if len(cands) > 1 or not (r.imp or r.tgt) else "")
            if (key, dkey) not in widened:
                widened.add((key, dkey))
                broader[key].update(cands)
        # a family node that is ambiguous somewhere is ambiguous; its candidates are narrower
        ambiguous = {k for k, res in out.values() if res}
        self.broader = {c: sorted(k for k in ambiguous if c in broader[k]) for k in ambiguous for c in broader[k]}
        return {ck: (k, "ambiguous" if k in ambiguous else "") for ck, (k, _) in out.items()}

    def _country_key(self, m: Mention, ex: Extraction) -> str | None:
        k = self.key_of.get(self.mid(m))
        if k is None:
            return None
        if k.kind == "country":
            return k
        if m.cls == "GovernmentAgency":
            e = self.gz.entries.get(k)
            if e is not None:  # a known body: its own state, or the bloc it belongs to (European Commission → EU)
                if e.country:
                    return Key.of("country", e.country)
                if e.parent is not None and e.parent.kind == "org":
                    return e.parent
                return None
            iso = ex.agency_country.get((m.start, m.end))
            if iso:
                return Key.of("country", iso)
        if m.cls == "Person":
            e = self.gz.entries.get(k)
            if e is not None and e.country:
                return Key.of("country", e.country)
        if k.kind == "org":
            return k
        return None

    def _short(self, key: Key) -> str:
        if key.kind == "country":
            c = self.gz.countries.get(key)
            name = c.name if c else key.id
        else:
            e = self.gz.entries.get(key)
            name = (e.acronym or e.label) if e else key.id
        return SHORT_COUNTRY.get(name, name)

    def _policy_label(self, inst: str, imp: tuple, tgt: tuple, ms: list[Mention], long_forms: list[str],
                      named: set[str] = frozenset()) -> str:
        """ "US tariffs on China", "EU sanctions on Russia", "US sanctions on Nicolas Maduro" (a
        person or body targeted, when no state is); a law, a measure of no known party and an
        agreement of one ("Canada agreement" names no deal) by its longest name."""
        tgt = tuple(t for t in tgt if t not in imp)  # never "US tariffs on US"
        if inst == "law" or (not imp and not tgt) or inst == "agreement" and not (imp and tgt):
            forms = sorted({m.text for m in ms} | set(long_forms), key=lambda s: (-len(s.split()) if len(s) < 80 else 0, s))
            return forms[0] if forms else INSTRUMENT_PLURAL.get(inst, inst)
        words = INSTRUMENT_PLURAL.get(inst, inst)
        lab = " and ".join(self._short(k) for k in imp)
        lab = f"{lab} {words}" if lab else words[:1].upper() + words[1:]
        if tgt:
            lab += " on " + " and ".join(self._short(k) for k in tgt)
        elif named and len(named) <= 2:
            # the longest form of each, one name per person ("Maduro" is in "Nicolas Maduro Moros")
            longest = sorted(named, key=len, reverse=True)
            keep = [n for i, n in enumerate(longest) if not any(n in m for m in longest[:i])]
            lab += " on " + " and ".join(sorted(keep))
        return lab

    def sectors_and_rest(self) -> None:
        for ex, m in self._all():
            if self.mid(m) not in self.key_of and m.cls not in ("Policy",):
                key = Key.of(m.cls.lower(), norm_name(m.text))
                self.key_of[self.mid(m)] = key
                self.entity(key, m.cls)

    # ------------------------------------------------------------------ finish
    def finish(self) -> Resolved:
        gz = self.gz
        mentions: list[tuple[Mention, str]] = []
        for ex in self.exs:
            for m in ex.mentions:
                k = self.key_of.get(self.mid(m))
                if k is None:
                    continue
                e = self.ents[k]
                e.surfaces[m.text] += 1
                e.mentions += 1
                e.docs.add(m.doc_id)
                mentions.append((m, k))
        # canonical labels and identifiers
        for k, e in self.ents.items():
            if k.kind == "country":
                c = gz.countries.get(k)
                e.label = c.name if c else k
                e.iso = c.iso3 if c else ""
                e.wikidata = c.wikidata if c else ""
                e.actor_code = actor_code(gz, "Country", e.iso)
            elif k in gz.entries:
                g = gz.entries[k]
                e.label = g.label
                e.wikidata = g.wikidata
                e.actor_code = actor_code(gz, e.cls, g.country, g.kind, g.acronym)
            elif e.cls == "Person":
                names = [s for s in e.surfaces if len(_clean_person(s).split()) >= 2] or list(e.surfaces) or [k.id.title()]
                e.label = _clean_person(max(names, key=lambda s: (len(s.split()), e.surfaces[s], s)))
            elif k.kind == "administration":
                forms = [s for s in e.surfaces] or [k.id.title() + " administration"]
                e.label = max(forms, key=lambda s: (e.surfaces[s], -len(s), s))
            elif e.cls == "Policy":
                pass
            else:
                # the most frequent form, but a name before its acronym ("Bureau of Industry and
                # Security", not "BIS", however often the text says "BIS")
                forms = list(e.surfaces) or [k.id]
                e.label = re.sub(r"^(the|The)\s+", "", max(forms, key=lambda s: (
                    not re.fullmatch(r"[A-Z]{2,8}", s), e.surfaces[s], len(s), s)))
            if e.cls == "Sector" and k.kind == "sector":
                e.label = k.id
            if e.cls == "Place" and k.kind == "place":
                caps = [s for s in e.surfaces]
                if caps:
                    e.label = max(caps, key=lambda s: (e.surfaces[s], s))
        # agency and person actor codes from their country
        iri_of: dict[str, str] = {}
        for k, e in sorted(self.ents.items()):
            slug = k.id
            if e.cls == "Policy":
                slug = slug.replace("|x", "").replace("|", "-")
            elif k.kind == "country":
                slug = e.label
            elif k in gz.entries:
                slug = gz.entries[k].label if e.cls == "Person" else slug.replace("_", "-")
            elif k.kind == "administration":
                slug = f"{slug} administration"  # agency:trump-administration, agency:usa-administration
            e.iri = str(entity_iri(e.cls, slug))
            iri_of[k] = e.iri
        # relations
        rels: list[RRelation] = []
        agency_country: dict[Key, Key] = {}
        ends = domain_range()  # the classes each property admits, from the ontology
        for ex in self.exs:
            for r in ex.relations:
                sk = self.key_of.get(self.mid(r.subject))
                if sk is None:
                    continue
                scls = self.ents[sk].cls
                if r.prop == "title":
                    if scls == "Person":
                        rels.append(RRelation(iri_of[sk], "title", str(r.object), True, r))
                    continue
                ok = self.key_of.get(self.mid(r.object)) if isinstance(r.object, Mention) else None
                if ok is None or ok == sk:
                    continue
                dom, rng = ends[r.prop]
                if scls not in dom or self.ents[ok].cls not in rng:
                    continue
                s_iri, o_iri = iri_of[sk], iri_of[ok]
                if r.prop == "negotiatesWith" and o_iri < s_iri:
                    s_iri, o_iri = o_iri, s_iri
                rels.append(RRelation(s_iri, r.prop, o_iri, False, r))
                for key in (sk, ok):
                    e = self.ents[key]
                    e.docs.add(r.doc_id)
                if r.prop == "partOf" and ok.kind == "country":
                    agency_country[sk] = ok
        for k, e in self.ents.items():
            if e.actor_code is None and e.cls in ("GovernmentAgency", "Person"):
                iso = ""
                if k in agency_country:
                    iso = agency_country[k].id
                elif k.kind == "agency" and len(k.parts) == 2:  # agency:ISO3:domain
                    iso = k.parts[0]
                if e.cls == "Person":
                    for rr in rels:
                        if rr.subject == e.iri and rr.prop in ("leaderOf", "memberOf"):
                            target = next((x for x in self.ents.values() if x.iri == rr.object), None)
                            if target is not None and target.actor_code:
                                iso = target.actor_code[:3]
                                break
                if iso:
                    e.actor_code = actor_code(gz, e.cls, iso)
        # drop entities that nothing points to and that were only implied
        quotes: list[RQuote] = []
        for ex in self.exs:
            for q in ex.quotes:
                if q.speaker is None:
                    continue
                k = self.key_of.get(self.mid(q.speaker))
                if k is None:
                    continue
                quotes.append(RQuote(iri_of[k], q))
                self.ents[k].docs.add(q.doc_id)
        used = {e.iri for e in self.ents.values() if e.mentions}
        used |= {r.subject for r in rels} | {r.object for r in rels if not r.literal} | {q.speaker for q in quotes}
        entities = {e.iri: e for e in self.ents.values() if e.iri in used}
        for e in entities.values():
            if not e.label:
                e.label = e.key.id
        events = self.histories(iri_of, entities)
        broader = sorted((iri_of[c], iri_of[k]) for c, ks in getattr(self, "broader", {}).items() for k in ks
                         if iri_of.get(c) in entities and iri_of.get(k) in entities)
        return Resolved(entities=entities, mentions=[(m, iri_of[k]) for m, k in mentions], relations=rels, quotes=quotes,
                        events=events, broader=broader)

    def histories(self, iri_of: dict[str, str], entities: dict[str, Entity]) -> list[HistoryEvent]:
        """Every measure's events (:func:`kg.history.merge_events`); a measure's latest
        asserted event sets its status and rate."""
        items = []
        for ex in self.exs:
            for ev in ex.policy_events:
                k = self.key_of.get((ex.doc.id, ev.policy[0], ev.policy[1], "Policy"))
                if k is not None and iri_of.get(k) in entities:
                    items.append((iri_of[k], ev, ex.doc.date))
        events = merge_events(items)
        by_policy: dict[str, list[HistoryEvent]] = defaultdict(list)
        for h in events:
            by_policy[h.policy].append(h)
        for iri, hs in by_policy.items():
            status, rate = latest_state(hs)
            if status:
                entities[iri].facts["latestStatus"] = status
            if rate:
                entities[iri].facts["latestRate"] = rate
        return events


def resolve(extractions: list[Extraction], gz: Gazetteer) -> Resolved:
    """Resolve the mentions of all documents to entities (see module doc)."""
    return _Resolver(extractions, gz).run()

"""Reference data for linking, loaded once from ``ontology/gazetteer/``.

Countries, ISO/COW codes and Wikidata ids come from ``countries.csv`` and
capitals/demonyms from ``capitals_demonyms.csv`` (see SOURCES.md there for
their licences). Agencies, organisations, people, sectors, policy terms and
titles are curated CSVs described in ``ontology/gazetteer/README.md``.

Everything is keyed: a country is ``country:CHN``, an agency ``agency:us_treasury``,
an organisation ``org:wto``, a person ``person:donald_trump``. The extraction
stage attaches these keys to mentions; resolution turns keys into IRIs.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib.resources.abc import Traversable

from kg.model import Key
from kg.resources import ontology_file, read_text
from kg.vocab import fold_accents


@dataclass(frozen=True)
class Country:
    key: Key  # country:CHN
    iso3: str
    name: str
    cow: str
    wikidata: str
    capital: str
    demonyms: tuple[str, ...]
    names: tuple[str, ...]  # every name form (not demonyms or capitals)


@dataclass(frozen=True)
class GazEntry:
    """An agency, organisation or person of the curated gazetteers."""

    key: Key
    cls: str  # core class
    label: str
    aliases: tuple[str, ...]
    acronym: str = ""
    country: str = ""  # ISO3
    parent: Key | None = None  # the parent agency or organisation
    kind: str = ""
    wikidata: str = ""
    title: str = ""  # people: the main title
    titles: tuple[str, ...] = ()
    term: tuple[str, str] = ("", "")  # people: (from, to) ISO dates of the office in `title`; "" unknown / ongoing
    generic: tuple[str, ...] = ()  # agency names that need a country: "Commerce Ministry"


@dataclass(frozen=True)
class Office:
    """What ``titles.csv`` says of an office word."""

    leader: bool  # the holder heads the body named with the title ("Secretary of Commerce")
    heads_body: bool  # … also any organisation named after it ("president of Acme")
    head_of_state: bool  # the holder leads their state ("President X")


@dataclass
class Gazetteer:
    countries: dict[Key, Country] = field(default_factory=dict)  # key -> Country
    entries: dict[Key, GazEntry] = field(default_factory=dict)  # key -> entry
    # surface form (exact case) -> key, for the EntityRuler
    country_names: dict[str, Key] = field(default_factory=dict)
    capitals: dict[str, Key] = field(default_factory=dict)  # "Beijing" -> country:CHN
    demonyms: dict[str, Key] = field(default_factory=dict)  # "Chinese" -> country:CHN
    metonyms: dict[str, Key] = field(default_factory=dict)  # "Kremlin" -> country:RUS
    names: dict[str, Key] = field(default_factory=dict)  # agency/org/person surface -> key
    generic_agencies: dict[tuple[str, str], Key] = field(default_factory=dict)  # (ISO3, domain) -> key
    sectors: dict[str, str] = field(default_factory=dict)  # lower surface -> canonical label
    policy_terms: dict[str, str] = field(default_factory=dict)  # lower lemma/term -> instrument
    titles: dict[str, Office] = field(default_factory=dict)  # lower title word/phrase -> office

    @cached_property
    def policy_last_words(self) -> frozenset[str]:
        """The last word of every policy term (what a policy mention can end with)."""
        return frozenset(t.rsplit(" ", 1)[-1] for t in self.policy_terms)

    @cached_property
    def body_heads(self) -> frozenset[str]:
        """Office words whose holder heads whatever organisation the title names."""
        return frozenset(t for t, o in self.titles.items() if o.heads_body)

    @cached_property
    def heads_of_state(self) -> frozenset[str]:
        """Offices whose holder leads a state ("president", "prime minister")."""
        return frozenset(t for t, o in self.titles.items() if o.head_of_state)

    @cached_property
    def sector_terms(self) -> tuple[str, ...]:
        """Every sector surface, sorted (the key of the sector matcher)."""
        return tuple(sorted(self.sectors))

    def country_by_iso(self, iso3: str) -> Country | None:
        return self.countries.get(Key.of("country", iso3))

    def holds_office(self, country: str, office: str, when: str | None) -> bool:
        """Does the gazetteer know who held ``office`` ("prime minister") of ``country`` on the
        ISO date ``when`` (today, when ``None``)?"""
        for e in self.entries.values():
            if e.cls != "Person" or e.country != country or e.title.lower() != office:
                continue
            start, end = e.term
            if when is None and not end or when is not None and (not start or start <= when) and (not end or when <= end):
                return True
        return False

    def person_with_office(self, name: str, title: str) -> GazEntry | None:
        """The known person called ``name`` (full name, alias or unique surname)
        whose office ``title`` names: "President" + "Biden" is Joe Biden."""
        key = self.names.get(name)
        if key is None:
            last = name.split()[-1] if name.split() else ""
            keys = [k for k, e in self.entries.items()
                    if e.cls == "Person" and e.label.split()[-1] == last]
            key = keys[0] if len(keys) == 1 else None
        e = self.entries.get(key) if key else None
        if e is None or e.cls != "Person":
            return None
        office = {w.lower() for t in (e.title, *e.titles) for w in t.split()} - {"of", "the", "for"}
        return e if {w.lower() for w in title.split()} & office else None


def _split(v: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (v or "").split("|") if x.strip())


def _clean_alias(a: str, safe_codes: frozenset[str]) -> bool:
    """Drop aliases that are codes (but the ``safe_codes`` English news uses), mojibake or
    data-source artefacts."""
    if any(ord(c) < 32 or 0x80 <= ord(c) < 0xA0 for c in a) or "Ã" in a:
        return False
    if "(" in a or "," in a or "." in a.replace("U.S.", "") and len(a) < 6:
        return False
    if len(a) <= 3 and a not in safe_codes:
        return False
    return True


def _read_csv(path: Traversable) -> list[dict[str, str]]:
    # a missing or unreadable file raises kg.resources.DataFileError: never a gazetteer with a part left out
    f = io.StringIO(read_text(path), newline="")
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(f)]


def agency_domain(name: str) -> str | None:
    """The policy domain an agency name is about: 'Commerce Ministry' → 'commerce'.

    Generic agency names ("Ministry of Commerce", "Commerce Department",
    "Department of Commerce") share a domain; with the country they identify
    one agency.
    """
    t = unicodedata.normalize("NFKC", name).casefold()
    t = re.sub(r"[’']s\b", "", t)
    t = re.sub(r"\b(the|of|for|and|&|u\.?s\.?|us|china|chinese|japan|japanese)\b", " ", t)
    words = [w for w in re.findall(r"[a-z]+", t)]
    kinds = {"ministry", "department", "dept", "office", "bureau", "secretariat", "secretary", "minister"}
    core = [w for w in words if w not in kinds]
    if not core or not any(w in kinds for w in words) and words[-1:] != ["treasury"]:
        return None
    return " ".join(core)


@lru_cache(maxsize=4)
def load(folder: Traversable | None = None) -> Gazetteer:
    """Load every gazetteer file under ``folder`` (default: ``ontology/gazetteer`` as installed).

    A missing or unreadable file raises :class:`kg.resources.DataFileError`.
    """
    folder = folder or ontology_file("gazetteer")
    gz = Gazetteer()
    # forms news uses that the country data lacks: names, demonyms, metonyms, safe short codes
    forms: dict[str, list[tuple[str, str]]] = {}
    for r in _read_csv(folder / "name_forms.csv"):
        forms.setdefault(r["kind"], []).append((r["form"], r["key"]))
    safe_codes = frozenset(f for f, _ in forms.get("code", ()))
    extra_names: dict[str, list[str]] = {}
    extra_demonyms: dict[str, list[str]] = {}
    for f, k in forms.get("name", ()):
        extra_names.setdefault(Key(k).id, []).append(f)
    for f, k in forms.get("demonym", ()):
        extra_demonyms.setdefault(Key(k).id, []).append(f)
    caps = {r["owid_code"]: r for r in _read_csv(folder / "capitals_demonyms.csv")}
    # sovereign states first, so that "American" is the United States, not a territory
    rows = _read_csv(folder / "countries.csv")
    rows.sort(key=lambda r: (caps.get(r["code"], {}).get("un_member") != "true", r["code"]))
    for r in rows:
        iso3 = r.get("iso_alpha3") or ""
        if not iso3 or r.get("region_type") not in ("country", ""):
            continue
        cap = caps.get(r["code"], {})
        names = {r["name"], r.get("short_name", ""), cap.get("name_common", ""), cap.get("name_official", "")}
        try:
            names |= set(json.loads(r.get("aliases") or "[]"))
            names |= set(json.loads(cap.get("alt_spellings") or "[]"))
        except json.JSONDecodeError:
            pass
        names = {n for n in names if n and _clean_alias(n, safe_codes) and not re.search(r"[^\x00-\u024f’]", n)}
        names |= set(extra_names.get(iso3, []))  # curated forms are no data-source artefacts ("U.S")
        demonyms = {cap.get("demonym_eng_m", ""), cap.get("demonym_eng_f", "")} | set(extra_demonyms.get(iso3, []))
        demonyms = {d for d in demonyms if d and len(d) > 3}
        # several capitals are written "Pretoria|Bloemfontein|Cape Town": each stands for the state
        capitals = [re.sub(r",?\s*D\.?C\.?$", "", c).strip() for c in cap.get("capital", "").split("|")]
        capitals = [c for c in capitals if c]
        key = Key.of("country", iso3)
        c = Country(
            key=key,
            iso3=iso3,
            name=r["name"],
            cow=r.get("cow_letter", ""),
            wikidata=r.get("wikidata_code", ""),
            capital=capitals[0] if capitals else "",
            demonyms=tuple(sorted(demonyms)),
            names=tuple(sorted(names)),
        )
        gz.countries[key] = c
        for n in names:
            gz.country_names.setdefault(n, key)
            gz.country_names.setdefault(fold_accents(n), key)  # "Turkiye", "Cote d'Ivoire"
        for d in demonyms:
            gz.demonyms.setdefault(d, key)
            if not d.endswith("s") and not d.endswith("ese") and not d.endswith("ch") and not d.endswith("sh"):
                gz.demonyms.setdefault(d + "s", key)
        for capital in capitals:
            gz.capitals.setdefault(capital, key)
            # English news often drops the accents: "Brasilia", "Bogota", "Asuncion"
            gz.capitals.setdefault(fold_accents(capital), key)
    gz.metonyms.update((f, Key(k)) for f, k in forms.get("metonym", ()))

    for r in _read_csv(folder / "agencies.csv"):
        key = Key.of("agency", r["id"])
        e = GazEntry(
            key=key,
            cls="GovernmentAgency",
            label=r["label"],
            aliases=_split(r.get("aliases")),
            acronym=r.get("acronym", ""),
            country=r.get("country", ""),
            parent=Key.of("agency", r["parent"]) if r.get("parent") else None,
            kind=r.get("kind", ""),
            wikidata=r.get("wikidata", ""),
            generic=_split(r.get("generic")),
        )
        gz.entries[key] = e
        # "United States Department of State" is the State Department of the USA:
        # the country's own names are not part of the domain
        c = gz.country_by_iso(e.country) if e.country else None
        strip = sorted({*(c.names if c else ()), *(c.demonyms if c else ())}, key=len, reverse=True)
        for g in (e.label, *e.generic):
            for n in strip:
                g = re.sub(rf"(?i)\b{re.escape(n)}\b", " ", g)
            dom = agency_domain(g)
            if dom and e.country:
                gz.generic_agencies.setdefault((e.country, dom), key)
    for r in _read_csv(folder / "organizations.csv"):
        key = Key.of("org", r["id"])
        gz.entries[key] = GazEntry(
            key=key,
            cls="Organization",
            label=r["label"],
            aliases=_split(r.get("aliases")),
            acronym=r.get("acronym", ""),
            country=r.get("country", ""),
            kind=r.get("kind", ""),
            wikidata=r.get("wikidata", ""),
        )
    for r in _read_csv(folder / "people.csv"):
        key = Key.of("person", r["id"])
        gz.entries[key] = GazEntry(
            key=key,
            cls="Person",
            label=r["label"],
            aliases=_split(r.get("aliases")),
            country=r.get("country", ""),
            parent=(Key.of("agency", r["org"]) if r.get("org") and Key.of("agency", r["org"]) in gz.entries
                    else Key.of("org", r["org"]) if r.get("org") else None),
            wikidata=r.get("wikidata", ""),
            title=r.get("title", ""),
            titles=_split(r.get("titles")),
            term=(r.get("from", ""), r.get("to", "")),
        )
    # parents of agencies may point at organisations (EU institutions)
    for key, e in list(gz.entries.items()):
        if e.cls == "GovernmentAgency" and e.parent and e.parent not in gz.entries:
            alt = Key.of("org", e.parent.id)
            gz.entries[key] = GazEntry(**{**e.__dict__, "parent": alt if alt in gz.entries else None})
    for key, e in sorted(gz.entries.items()):
        forms = {e.label, *e.aliases}
        if e.acronym and len(e.acronym) >= 2:
            forms.add(e.acronym)
        for f in forms:
            if f and f not in gz.country_names:
                gz.names.setdefault(f, key)

    for r in _read_csv(folder / "sectors.csv"):
        label = r["label"]
        for s in (label, *_split(r.get("aliases"))):
            gz.sectors.setdefault(s.casefold(), label)
    for r in _read_csv(folder / "policy_terms.csv"):
        inst = r.get("instrument", "")
        for t in (r.get("term", ""), r.get("plural", "")):
            if t and inst:
                gz.policy_terms.setdefault(t.casefold(), inst)
    for r in _read_csv(folder / "titles.csv"):
        t = r.get("title", "").casefold()
        if t:
            gz.titles[t] = Office(*(r.get(c, "").lower() == "true" for c in ("leader", "heads_body", "head_of_state")))
    return gz


def actor_code(gz: Gazetteer, cls: str, country_iso: str | None, kind: str = "", acronym: str = "") -> str | None:
    """A CAMEO-style actor code: ``CHN`` for a country, ``CHNGOV`` for its agencies
    and officials, ``USAMED`` for a media outlet, ``IGO`` + acronym for
    international bodies. ``None`` when nothing can be derived."""
    c = gz.country_by_iso(country_iso) if country_iso else None
    code = (c.iso3 if c else country_iso) or ""
    if cls == "Country":
        return code or None
    if cls == "GovernmentAgency":
        role = "MIL" if kind == "military" else "GOV"
        return f"{code}{role}" if code else None
    if cls == "Person":
        return f"{code}GOV" if code else None
    if cls == "Organization":
        if kind in ("international", "bloc"):
            return "IGO" + re.sub(r"[^A-Z]", "", acronym.upper())[:6] if acronym else "IGO"
        role = {"media": "MED", "company": "BUS", "trade_group": "BUS", "armed_group": "REB", "ngo": "NGO"}.get(kind)
        return f"{code}{role}" if code and role else None
    return None

"""Structure: which body belongs to which state or body, which place lies where.

``agency`` rules give ``kg:partOf`` from a nested name ("the Commerce
Department's Bureau of Industry and Security"), from the gazetteer's parent
of a body the article also names, and from the body's state; ``place``
rules give ``kg:locatedIn`` from "Skopje, North Macedonia", "Mariupol, a
port city in eastern Ukraine" and from a capital's country.
"""

from __future__ import annotations

from kg.extract.mentions import TM
from kg.extract.registry import Match, rule
from kg.extract.syntax import is_possessive


@rule("nested-name", family="structure", on="agency", emits=("partOf",), confidence=0.8)
def nested_name(x: Match) -> bool:
    """ "the Commerce Department's Bureau of Industry and Security", "White House National
    Trade Council": a body named right before another (possessive or not) is its parent.
    A body with a named parent takes no parent from the gazetteer."""
    tm: TM = x.item
    sdoc = tm.span.doc
    prev = tm.span.start - 1
    if prev >= 0 and is_possessive(sdoc[prev]):
        prev -= 1
    o = x.st.tm_at(x.para, sdoc[prev]) if prev >= 0 else None
    if o is not None and o.m.cls == "GovernmentAgency" and o is not tm:
        x.emit(tm.m, "partOf", o.m)
        x.st.memo("structure.nested").setdefault(id(tm), True)
    return False


@rule("gazetteer-parent", family="structure", on="agency", emits=("partOf",), confidence=0.85,
      reads=("parse", "mentions", "doc-types"))
def gazetteer_parent(x: Match) -> bool:
    """The parent body the gazetteer gives (OFAC → the Treasury), when the article names it too."""
    tm: TM = x.item
    if id(tm) in x.st.memo("structure.nested"):
        return False
    e = x.st.gz.entries.get(tm.m.key or "")
    if e is not None and e.parent:
        pm = next((t.m for t in x.st.tms if t.m.key == e.parent), None)
        if pm is not None:
            x.emit(tm.m, "partOf", pm)
    return False


@rule("gazetteer-country", family="structure", on="agency", emits=("partOf",), confidence=0.85)
def gazetteer_country(x: Match) -> bool:
    """A body of the gazetteer is part of its state ("the Treasury" of the United States)."""
    tm: TM = x.item
    if tm.country and tm.m.key in x.st.gz.entries:
        x.emit(tm.m, "partOf", x.st.country_mention(tm.country, tm))
    return False


@rule("agency-country", family="structure", on="agency", emits=("partOf",), confidence=0.85,
      reads=("parse", "mentions", "doc-types"))
def agency_country(x: Match) -> bool:
    """A body the gazetteer does not know is part of the state its name gives ("China's
    Ministry of Commerce", "U.S. Commerce Department"), else of the one the document gives
    such bodies, else of the home state."""
    tm: TM = x.item
    if tm.country and tm.m.key not in x.st.gz.entries:
        x.emit(tm.m, "partOf", x.st.country_mention(tm.country, tm))
    return False


@rule("place-comma", family="structure", on="place", emits=("locatedIn",), confidence=0.8)
def place_comma(x: Match) -> bool:
    """ "Skopje, North Macedonia", "Arkadelphia, Ark.": a place followed by its country or region.
    Found, it settles where the place is (no other place rule runs on it). Items of a list
    ("Lagos, Accra, Dakar and Abidjan") are not in one another."""
    tm: TM = x.item
    sdoc = tm.span.doc
    j = tm.span.end
    if j + 1 < len(sdoc) and sdoc[j].text == ",":
        o = x.st.tm_at(x.para, sdoc[j + 1])
        listed = o is not None and any(t.dep_ == "conj" or any(c.dep_ == "conj" for c in t.children) for t in (tm.root, o.root))
        # "in Vienna, U.S. Secretary of State John Kerry said": a modifier of the next phrase
        modifier = o is not None and o.root.dep_ in ("compound", "amod", "nmod", "poss")
        if o is not None and o.m.cls in ("Country", "Place") and o is not tm and not listed and not modifier:
            x.emit(tm.m, "locatedIn", o.m)
            return True
    return False


@rule("place-apposition", family="structure", on="place", emits=("locatedIn",), confidence=0.75)
def place_apposition(x: Match) -> bool:
    """ "Mariupol, a major port city in eastern Ukraine": the place its apposition puts it in."""
    st, tm = x.st, x.item
    for c in tm.root.children:
        if c.dep_ != "appos":
            continue
        for p in c.children:
            if p.dep_ == "prep" and p.lower_ == "in":
                for o in p.children:
                    ot = st.tm_at(x.para, o) or next((st.tm_at(x.para, t) for t in o.subtree if st.tm_at(x.para, t)), None)
                    if ot is not None and ot.m.cls in ("Country", "Place"):
                        x.emit(tm.m, "locatedIn", ot.m)
    return False


@rule("capital", family="structure", on="place", emits=("locatedIn",), confidence=0.9)
def capital(x: Match) -> bool:
    """A capital named as a place ("talks in Beijing") lies in its state."""
    tm: TM = x.item
    m = tm.m
    done = x.st.memo("structure.capital")
    if m.key and m.key.kind == "place" and tm.country and (m.key, tm.country) not in done:
        done[(m.key, tm.country)] = True
        x.emit(m, "locatedIn", x.st.country_mention(tm.country, tm))
    return False


def structure_items(tms: list[TM]) -> tuple[list[tuple[int, object, TM]], list[tuple[int, object, TM]]]:
    """The agency mentions (the first of each entity: key, else name) and the place mentions of a document."""
    agencies, places = [], []
    seen: set = set()
    for tm in tms:
        if tm.m.cls == "GovernmentAgency" and (tm.m.key or tm.m.text) not in seen:
            seen.add(tm.m.key or tm.m.text)
            agencies.append((tm.para, tm.root, tm))
        elif tm.m.cls == "Place":
            places.append((tm.para, tm.root, tm))
    return agencies, places

"""Titles and roles: who holds which title, and so leads or serves which body.

``person`` rules find the words of a title around a person's name (before the
name, in an apposition, in a relative clause, after "serving as"); each title
found is read (:func:`read_title`: a leading state is the affiliation, "of
X" after the office is the body) and emitted as ``kg:title``, then the
``title`` rules draw the roles it implies: ``kg:leaderOf`` / ``kg:memberOf``
the body it names or serves, ``kg:leaderOf`` the state of a head of state.
A former office ("the former president of X") gives its roles too: a title is a
position held or once held.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract import lexicon as L
from kg.extract.coref import refs, subj_refs
from kg.extract.mentions import TM
from kg.extract.modality import modality
from kg.extract.registry import Match, rule, run_mention_rules
from kg.extract.state import DocState, is_title_word
from kg.gazetteer import agency_domain
from kg.model import Mention

DASHES = ("-", "—", "–", ":", "--")
CLAUSE_BREAKS = (",", ";", "—", "–", "(")
POSSESSIVE = ("'s", "’s")
ORG_LIKE = ("Organization", "GovernmentAgency")


@dataclass
class Title:
    """A title read for a person: its words, and what it says of affiliation."""

    tm: TM  # the person
    toks: list[Token]  # the title's words ("Treasury Secretary")
    text: str
    country: str | None  # ISO3 of a leading state or demonym ("Japan's trade minister")
    org: Mention | None  # the body after "of"/"at" ("CEO of Acme")

    @property
    def words(self) -> set[str]:
        return {t.lower_ for t in self.toks}

    @property
    def subordinate(self) -> bool:
        """A deputy, an adviser, a spokesperson: no leader of anything."""
        return bool(self.words & L.SUBORDINATE_WORDS)

    def heads(self, gz) -> bool:
        """Does the office head the body of its domain ("Treasury Secretary", "Trade Minister",
        "Trade Representative"; not "Under Secretary", "ministry adviser")? The office is the
        last office word of the title, or the office phrase it ends."""
        if self.subordinate:
            return False
        low = [t.lower_ for t in self.toks]
        for k in range(len(low) - 1, -1, -1):
            for phrase in (" ".join(low[k - 1 : k + 1]) if k else "", low[k]):
                if phrase in gz.titles:
                    return gz.titles[phrase].leader
        return False


def names_office(tok: Token, gz) -> bool:
    """Is ``tok`` an office word, or the head of one ("executive" of "chief executive")?"""
    return is_title_word(tok, gz) or any(is_title_word(t, gz) for t in tok.lefts if t.dep_ in ("amod", "compound"))


def cut_clause(toks: list[Token]) -> list[Token]:
    """``toks`` up to a clause break (a comma, a relative clause)."""
    out = []
    for t in toks:
        if t.text in CLAUSE_BREAKS or t.dep_ in ("relcl", "acl") and out:
            break
        out.append(t)
    return out


def read_title(st: DocState, tm: TM, toks: list[Token]) -> Title | None:
    """The :class:`Title` in ``toks``, or ``None`` when they hold no office word."""
    gz = st.gz
    pi = tm.para
    sdoc = tm.span.doc
    # a dateline or lead-in before a spaced dash or colon is not part of the title ("WASHINGTON -
    # Secretary …"; the hyphen of "Director-General" is)
    cuts = [k for k, t in enumerate(toks) if t.text in DASHES and (t.whitespace_ or k == 0 or toks[k - 1].whitespace_)]
    if cuts:
        toks = toks[cuts[-1] + 1 :]
    # drop determiners and modifiers that are not part of the title
    while toks and (toks[0].lower_ in L.TITLE_STOP or toks[0].pos_ == "DET"):
        toks = toks[1:]
    # a leading country or demonym is the affiliation, not the title
    country: str | None = None
    while toks:
        t0 = st.tm_at(pi, toks[0])
        if t0 is None or t0.m.cls != "Country" or (t0.span.end - 1) > toks[-1].i:
            break
        country = t0.country
        toks = [t for t in toks if t.i >= t0.span.end]
        while toks and (toks[0].tag_ == "POS" or toks[0].lower_ in POSSESSIVE):
            toks = toks[1:]
    while toks and toks[0].lower_ in L.TITLE_STOP:
        toks = toks[1:]
    # "the company's chief executive": an owner before a possessive is not part of the title
    owner_end = max((k for k, t in enumerate(toks) if t.tag_ == "POS" or t.lower_ in POSSESSIVE), default=-1)
    org_owner: Mention | None = None
    if owner_end >= 0:
        o = st.tm_at(pi, toks[owner_end - 1]) if owner_end else None
        org_owner = o.m if o is not None and o.m.cls in ORG_LIKE else None
        toks = toks[owner_end + 1 :]
    while toks and (toks[-1].is_punct or toks[-1].lower_ in L.TITLE_LINKS and toks[-1].lower_ != "&"):
        toks = toks[:-1]
    if not toks or not any(is_title_word(t, gz) for t in toks):
        return None
    # "president and CEO of the Arkadelphia Area Chamber of Commerce": the organisation is the affiliation
    org: Mention | None = None
    cut = len(toks)
    for k, t in enumerate(toks):
        if t.lower_ in L.AFFILIATION_PREPS and k + 1 < len(toks):
            nxt = [x for x in toks[k + 1 :] if x.lower_ != "the"]
            o = st.tm_at(pi, nxt[0]) if nxt else None
            if o is not None and o.m.cls in ORG_LIKE:
                org, cut = o.m, k
                break
            if o is not None and o.m.cls == "Country" and country is None:
                country = o.country  # "President of Venezuela": the state, the title kept whole
    if country is None:
        # "President William Ruto of Kenya", "Yukiya Amano of Japan": the state after the name
        for p in tm.root.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                o = next((st.tm_at(pi, g) for g in p.children if g.dep_ == "pobj"), None)
                if o is not None and o.m.cls == "Country":
                    country = o.country
    title_toks = toks[:cut]
    org = org or org_owner  # "Acme's chief executive"
    if not title_toks or not any(is_title_word(t, gz) for t in title_toks):
        return None
    text = sdoc[title_toks[0].i : title_toks[-1].i + 1].text.strip(" ,")
    if len(text) < 3 or len(text) > 90:
        return None
    return Title(tm, title_toks, text, country, org)


def found_title(x: Match, toks: list[Token]) -> None:
    """Emit the title in ``toks`` (if it is one) for the person ``x.item``, then run the
    role rules on it."""
    title = read_title(x.st, x.item, toks)
    if title is None:
        return
    x.emit(x.item.m, "title", title.text, at=x.item.root)
    if title.country:
        x.st.memo("titles.state").setdefault((x.item.m.start, x.item.m.end), title.country)
    run_mention_rules(x.st, "title", [(x.para, x.item.root, title)])


# ------------------------------------------------------------- finding titles
def _acronym_aside(st: DocState, pi: int, sdoc, i: int) -> int:
    """How many tokens end at ``i`` that set a body's acronym aside after its name (", IAEA,"
    or "(WTO)"), so that a title before a name reads through it; 0 when none."""
    closing = {",": ",", ")": "("}.get(sdoc[i].text)
    if closing is None or i < 3 or sdoc[i - 2].text != closing:
        return 0
    acr, name = st.tm_at(pi, sdoc[i - 1]), st.tm_at(pi, sdoc[i - 3])
    if acr is None or name is None or not sdoc[i - 1].text.isupper() or acr.m.cls not in ORG_LIKE or name.m.cls not in ORG_LIKE:
        return 0
    return 3


@rule("title-prenominal", family="titles", on="person", emits=("title",), confidence=0.9)
def title_prenominal(x: Match) -> None:
    """ "Treasury Secretary Scott Bessent", "EU trade chief Maros Sefcovic", "Minister of
    Economy, Trade and Industry Yoji Muto": the capitalised office words before the name."""
    st, pi, tm, gz = x.st, x.para, x.item, x.st.gz
    sdoc = tm.span.doc
    i = tm.span.start - 1
    toks: list[Token] = []
    while i >= 0:
        t = sdoc[i]
        other = st.tm_at(pi, t)
        if other is not None and other.m.cls == "Person":
            break
        skip = _acronym_aside(st, pi, sdoc, i)
        if skip:
            i -= skip  # "Director General of the International Atomic Energy Agency, IAEA, Yukiya Amano"
            continue
        if t.is_punct and t.text not in ("-", "&", "."):
            # "Minister of Economy, Trade and Industry": a list of capitalised words inside a title
            if not (t.text == "," and toks and toks[0].text[:1].isupper() and i > 0 and sdoc[i - 1].text[:1].isupper()
                    and any(w.lower_ == "and" for w in toks)):
                break
            toks.insert(0, t)
            i -= 1
            continue
        if t.pos_ in ("VERB", "AUX", "DET", "PRON", "ADP", "SCONJ") and t.lower_ not in L.TITLE_LINKS \
                and not (t.lower_ == "the" and i > 0 and sdoc[i - 1].lower_ == "of") \
                and not (t.text == "Under" and toks and is_title_word(toks[0], gz)):  # "Under Secretary"
            break
        if (t.tag_ == "POS" or t.lower_ in POSSESSIVE) and toks and i > 0:
            # "Nigeria's former president X", "China's Commerce Minister X": the owning state
            # is the title's affiliation, and nothing before it belongs to the title
            owner = st.tm_at(pi, sdoc[i - 1])
            if owner is not None and owner.m.cls == "Country":
                toks = [sdoc[k] for k in range(owner.span.start, i + 1)] + toks
            break
        if t.lower_ == "and" and not (i > 0 and (sdoc[i - 1].text[:1].isupper() or is_title_word(sdoc[i - 1], gz))):
            break
        if not (t.text[:1].isupper() or is_title_word(t, gz) or t.lower_ in L.TITLE_JOINERS
                or other is not None and other.m.cls not in ("Policy", "Sector")
                or toks and t.lower_ in L.TITLE_DOMAIN_WORDS):  # "EU trade chief", "the bloc's foreign policy chief"
            break
        toks.insert(0, t)
        i -= 1
    while toks and toks[0].lower_ in L.TITLE_LINKS:
        toks.pop(0)
    if toks and any(is_title_word(t, gz) for t in toks):
        found_title(x, toks)


@rule("title-appositive", family="titles", on="person", emits=("title",), confidence=0.85)
def title_appositive(x: Match) -> None:
    """ "John Gong, a former Commerce Ministry adviser": an office word in apposition after the name."""
    tm = x.item
    root = tm.span.root
    for c in root.children:
        if c.dep_ == "appos" and names_office(c, x.st.gz) and c.i > root.i:
            sub = cut_clause([t for t in c.subtree if t.i >= tm.span.end])
            if sub:
                found_title(x, sub)


@rule("title-relative-clause", family="titles", on="person", emits=("title",), confidence=0.8)
def title_relative_clause(x: Match) -> None:
    """ "Jonas Berg, who is the chief executive of Nordic Steel Group", "X, serving as …": the
    office a clause on the name says the person is or serves as."""
    root = x.item.span.root
    for c in root.children:
        if c.dep_ in ("acl", "relcl", "advcl") and c.lemma_ in L.SERVE_AS_VERBS:
            for p in c.children:
                if (p.dep_ == "prep" and p.lower_ == "as") or p.dep_ == "attr":
                    objs = [p] if p.dep_ == "attr" else [o for o in p.children if o.dep_ == "pobj"]
                    for o in objs:
                        if names_office(o, x.st.gz):
                            found_title(x, cut_clause(list(o.subtree)))


@rule("title-appositive-before", family="titles", on="person", emits=("title",), confidence=0.8)
def title_appositive_before(x: Match) -> None:
    """ "Japan's trade minister, Yoji Muto, told reporters", "the President of Venezuela, Nicolas
    Maduro": the title before the name, set off by a comma, with the name in apposition to it."""
    tm = x.item
    root = tm.span.root
    sdoc = tm.span.doc
    if root.dep_ == "appos" and root.head.i < tm.span.start and names_office(root.head, x.st.gz) \
            and sdoc[tm.span.start - 1].text == ",":
        # "the President of Venezuela, Nicolas Maduro": the office with its "of" phrase
        sub = cut_clause([t for t in root.head.subtree if t.i < tm.span.start - 1 and t.i >= root.head.left_edge.i])
        if sub and not any(t.pos_ in ("VERB", "AUX") for t in sub):
            found_title(x, sub)


@rule("title-serving-as", family="titles", on="person", emits=("title",), confidence=0.8)
def title_serving_as(x: Match) -> None:
    """ "Rubio — now also serving as interim national security adviser — told …": the subject
    of "serve as"/"act as" holds the office."""
    root = x.item.span.root
    if root.dep_ == "nsubj" and root.head.lemma_ in L.SERVE_VERBS:
        for p in root.head.children:
            if p.dep_ == "prep" and p.lower_ == "as":
                for o in p.children:
                    if o.dep_ == "pobj" and names_office(o, x.st.gz):
                        found_title(x, cut_clause(list(o.subtree)))


@rule("title-comma", family="titles", on="person", emits=("title",), confidence=0.75)
def title_comma(x: Match) -> None:
    """ "Maria Keller, senior trade negotiator, said": a comma-separated title after the name
    that the parser did not attach (no verb inside)."""
    tm = x.item
    sdoc = tm.span.doc
    root = tm.span.root
    j = tm.span.end
    if not (j + 1 < len(sdoc) and sdoc[j].text == "," and not any(c.dep_ == "appos" for c in root.children)):
        return
    k = j + 1
    sub = []
    while k < len(sdoc) and sdoc[k].text not in (",", ";", "—", "–", ".", "(") and len(sub) < 12:
        sub.append(sdoc[k])
        k += 1
    # a title, not a clause ("Jonas Berg, who is the chief executive of …": the relative clause's rule)
    if k < len(sdoc) and sdoc[k].text in (",", "—", "–") and sub and any(is_title_word(t, x.st.gz) for t in sub) \
            and not any(t.pos_ in ("VERB", "AUX") or t.tag_ in ("WP", "WDT", "WRB") for t in sub):
        found_title(x, sub)


# ---------------------------------------------------------------------- roles
def _leads(title: Title, gz_heads: frozenset[str]) -> bool:
    low = title.text.lower()
    return (bool(title.words & gz_heads) or any(ph in low for ph in L.LEADER_PHRASES)) and not title.subordinate


@rule("role-affiliation", family="titles", on="title", emits=("leaderOf", "memberOf"), confidence=0.75)
def role_affiliation(x: Match) -> None:
    """ "president and CEO of the Arkadelphia Area Chamber of Commerce", "a spokesperson for the
    Timber Association": the holder of a heading office leads the body named after it; other
    offices are members of it."""
    title: Title = x.item
    if title.org is not None:
        x.emit(title.tm.m, "leaderOf" if _leads(title, x.st.gz.body_heads) else "memberOf", title.org)


def _inside(x: Match) -> list[Mention]:
    title: Title = x.item
    out: list[Mention] = []
    for t in title.toks:
        o = x.st.tm_at(x.para, t)
        if o is not None and o.m.cls in ORG_LIKE and o.m not in out:
            out.append(o.m)
    return out


@rule("role-inside", family="titles", on="title", emits=("leaderOf", "memberOf"), confidence=0.7)
def role_inside(x: Match) -> None:
    """ "White House National Trade Council Director Peter Navarro": the last body named
    inside the title; its director leads it."""
    title: Title = x.item
    inside = _inside(x)
    if inside and title.org is None:
        leader = title.toks[-1].lower_ in x.st.gz.body_heads and not title.subordinate
        x.emit(title.tm.m, "leaderOf" if leader else "memberOf", inside[-1])


def _office(title: Title) -> str:
    """The office before an "of" phrase, in lower case: "President of Venezuela" → "president"."""
    office = list(itertools.takewhile(lambda t: t.lower_ not in L.AFFILIATION_PREPS, title.toks))
    return " ".join(t.lower_ for t in office) if office else title.text.lower()


@rule("role-same-sentence", family="titles", on="title", emits=("memberOf",), confidence=0.6)
def role_same_sentence(x: Match) -> None:
    """ "The ministry's spokesman … Minister X" — a "minister" (or "secretary") with no body
    in the title serves in the ministry (department) named in the same sentence."""
    title: Title = x.item
    if title.org is not None or _inside(x) or DOMAIN_TITLE.search(title.text) or _office(title) in x.st.gz.heads_of_state:
        return  # a prime minister serves in no ministry the sentence names
    want = {L.TITLE_KINDS[w] for w in title.words if w in L.TITLE_KINDS}
    if not want:
        return
    sent = title.tm.root.sent
    for o in x.st.tms:
        if o.para == x.para and o.m.cls == "GovernmentAgency" and sent.start <= o.span.start < sent.end \
                and any(k in o.m.text.lower() for k in want):
            x.emit(title.tm.m, "memberOf", o.m)
            break


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w.capitalize()) for w in words)


# "Secretary of Commerce", "Minister for Foreign Affairs", "Commerce Secretary" (not "Prime Minister")
DOMAIN_TITLE = re.compile(
    rf"\b(?:(?:{_alternatives(L.DOMAIN_HEADS)})\s+(?:of|for)\s+(?:the\s+)?([A-Z][a-z]+(?:\s+Affairs)?)"
    rf"|(?!(?:{_alternatives(L.NOT_DOMAIN_WORDS)})\b)([A-Z][a-z]+)\s+(?:{_alternatives(L.DOMAIN_HEADS)}))"
)


def domain_of(title: str) -> str | None:
    """The policy domain an office names: "Secretary of Commerce", "Commerce Secretary" →
    "commerce"; "foreign minister" → "foreign affairs" (:data:`kg.extract.lexicon.TITLE_DOMAINS`).

    >>> domain_of("Secretary of Commerce"), domain_of("Commerce Secretary"), domain_of("foreign minister")
    ('commerce', 'commerce', 'foreign affairs')
    >>> domain_of("Prime Minister") is None
    True
    """
    m = DOMAIN_TITLE.search(title)
    dom = agency_domain(f"ministry of {m.group(1) or m.group(2)}") if m else None
    low = title.lower()
    for phrase, d in L.TITLE_DOMAINS.items():
        if phrase in low:
            dom = d
    return dom


@rule("role-domain", family="titles", on="title", emits=("leaderOf", "memberOf"), confidence=0.65, reads=("parse", "mentions", "doc-types"))
def role_domain(x: Match) -> None:
    """ "Secretary of Commerce X", "Commerce Minister X": the holder heads (a deputy or an
    adviser serves in) the agency of
    that domain of their state (a leading state; a known person's own; the state the
    document gives such an agency; the home state) whose agency is of the kind the title
    names (a secretary serves a department, a minister a ministry), when the document names it."""
    st, title = x.st, x.item
    gz = st.gz
    if title.org is not None or _inside(x):
        return
    dom = domain_of(title.text)
    if not dom:
        return
    kind = next((k for w, k in L.TITLE_KINDS.items() if w in title.words), "")

    def fits(c: str | None) -> bool:
        k = gz.generic_agencies.get((c or "", dom))
        return bool(c) and (not kind or k is None or gz.entries[k].kind == kind)

    known = gz.entries.get(title.tm.m.key) if title.tm.m.key else None
    home = title.country or (known.country if known is not None and known.cls == "Person" else "") \
        or next((c for c in (st.explicit.get(dom), st.home) if fits(c)), None) \
        or next((c for (c, d) in gz.generic_agencies if d == dom and fits(c) and c in st.named_states), None)
    key = gz.generic_agencies.get((home, dom)) if home else None
    if key:
        x.emit(title.tm.m, "leaderOf" if title.heads(gz) else "memberOf", st.agency_mention(key, title.tm))


@rule("head-of-state", family="titles", on="title", emits=("leaderOf",), confidence=0.8)
def head_of_state(x: Match) -> None:
    """ "French President Emmanuel Macron", "President Biden": a head of state or government
    leads the state named with the title, else the state the gazetteer gives that person,
    else the document's home state when the gazetteer knows no other holder of the office then."""
    st, title = x.st, x.item
    gz = st.gz
    if title.subordinate:
        return
    # an office qualified by a word left out of the title ("opposition leader") is another office
    head = title.toks[-1]
    if any(c.dep_ in ("amod", "compound", "nmod") and c not in title.toks and st.tm_at(x.para, c) is None
           and c.lower_ not in L.TITLE_STOP for c in head.lefts):
        return
    low = _office(title)
    # the office alone: "President", "Prime Minister" (not "opposition leader", "Senate President")
    for hos in gz.heads_of_state:
        if low == hos:
            c = title.country
            m = title.tm.m
            if c is None:
                e = gz.entries.get(m.key) if m.key else gz.person_with_office(m.text, title.text)
                if e is not None and e.title.lower().endswith(hos):
                    c = e.country
                elif e is None and st.home and not gz.holds_office(st.home, hos, st.doc.date):
                    # "Prime Minister Scott Morrison" in an article about Australia: the home
                    # state, unless the gazetteer knows its holder of that office at that date
                    c = st.home
            if c:
                x.emit(title.tm.m, "leaderOf", st.country_mention(c, title.tm))
            return


@rule("lead-verb", family="titles", on="verb", triggers=L.LEAD_VERBS, emits=("leaderOf",), confidence=0.75)
def lead_verb(x: Match) -> None:
    """ "Ana Ruiz heads Andes Freight", "the council, led by General Ivo Sarkis", "the panel is
    chaired by Senator Lee": a person who leads, heads, chairs or runs a body or a state named
    as such leads it ("led the Chilean delegation" names no body)."""
    st, pi, v = x.st, x.para, x.tok
    if modality(v, "leaderOf") != "asserted":
        return
    agents = [g for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if v.dep_ == "acl" and v.tag_ == "VBN":
        leaders, bodies = [m for a in agents for m in refs(st, pi, a)], [v.head]
    elif any(c.dep_ == "nsubjpass" for c in v.children):
        leaders = [m for a in agents for m in refs(st, pi, a)]
        bodies = [c for c in v.children if c.dep_ == "nsubjpass"]
    else:
        leaders, bodies = subj_refs(st, pi, v), [c for c in v.children if c.dep_ == "dobj"]
    named = [tm.m for b in bodies for t in (b, *b.conjuncts) for tm in [st.tm_at(pi, t)]
             if tm is not None and tm.m.cls in ("Organization", "GovernmentAgency", "Country")]
    for p in leaders:
        if p.cls == "Person":
            for b in named:
                x.emit(p, "leaderOf", b)

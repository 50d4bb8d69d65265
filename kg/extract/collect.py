"""The document-level mention passes: collect, type, complete and index the mentions.

``collect`` reads every paragraph's names (NER and gazetteer, :mod:`kg.extract.mentions`),
policies and sectors (:mod:`kg.extract.policies`); ``fix_types`` decides, with the whole
document in view, what each name stands for (the home state, agency countries, names
NER mistyped, demonyms that stand for a state); ``surname_mentions`` adds a known
person's bare surname; ``index`` maps each token to its mention.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from spacy.attrs import ORTH
from spacy.strings import hash_string
from spacy.tokens import Span

from kg.extract import lexicon as L
from kg.extract.mentions import TM, _mk, foreign_body_country, paragraph_mentions
from kg.extract.policies import PolicyTM, policy_mentions, sector_mentions, target_sectors
from kg.extract.state import DocState
from kg.gazetteer import Gazetteer
from kg.model import Key, PolicyFacts


def _about_trade(sent: Span) -> bool:
    """A sentence about trade or measures: a trade word outside any name ("for Export
    Administration" is a name), a measure verb, or entities added to a list."""
    for t in sent:
        if t.ent_type_ in ("ORG", "FAC", "WORK_OF_ART", "LAW"):
            continue
        if t.lower_ in L.TRADE_WORDS or t.lemma_ in L.IMPOSE_VERBS or t.lemma_ in L.SANCTION_VERBS:
            return True
        if t.lemma_ in L.LISTING_VERBS and any(c.dep_ in ("nsubjpass", "dobj") and c.lemma_ in L.LISTED_NOUNS for c in t.children):
            return True
    return False


def collect(st: DocState) -> None:
    """Mentions of every paragraph: names (NER and gazetteer), policies and sectors."""
    base = 0
    for i, p in enumerate(st.paras):
        st.sent_base.append(base)
        ents = paragraph_mentions(p, i, st.gz, base)
        # a span that is exactly a sector term is the sector, whatever NER said ("UAVs" as ORG)
        ents = [e for e in ents if not (e.m.key is None and e.m.cls == "Organization"
                                        and e.span.text.casefold() in st.gz.sectors)]
        taken = {t for tm in ents for t in range(tm.span.start, tm.span.end)}
        pols = policy_mentions(p, i, st.gz, taken, base)
        secs = sector_mentions(p, i, st.gz, taken, base)
        # the goods and industries a measure targets, read from the construction
        secs += target_sectors(p, i, st.gz, pols, taken | {t for s in secs for t in range(s.span.start, s.span.end)}
                               | {t for pt in pols for t in range(pt.tm.span.start, pt.tm.span.end)}, base)
        pol_sents = {pt.tm.m.sent for pt in pols}
        tokens_in_targets = {t.i for pt in pols for r in pt.target_roots for t in r.subtree}
        for e in ents:
            if e.extra.get("demonym") and e.span.start in tokens_in_targets:
                e.extra["target"] = True  # "a duty on Chinese electric vehicles": the state is targeted
            elif e.extra.get("demonym") and e.span.root.dep_ in ("amod", "compound"):
                # "two Venezuelan oil traders were sanctioned": what a measure verb is done to;
                # "duties … imposed on Malaysian palm oil": what an imposing verb puts them on
                head = e.span.root.head
                while head.dep_ in ("compound", "amod") and head.head is not head:
                    head = head.head
                if head.dep_ in ("dobj", "nsubjpass") and (head.head.lemma_ in L.SANCTION_VERBS or head.head.lemma_ in L.MEASURE_VERBS):
                    e.extra["target"] = True
                elif head.dep_ == "pobj" and head.head.lower_ in ("on", "against") and head.head.head.pos_ == "VERB" \
                        and head.head.head.lemma_ in L.MEASURE_LEMMAS:
                    e.extra["target"] = True
        keep_secs = []
        for s in secs:
            sent = s.span.sent
            if s.m.sent in pol_sents or s.span.start in tokens_in_targets or _about_trade(sent):
                keep_secs.append(s)
        # an organisation name that is really a named measure ("the Entity List", "Executive Orders",
        # "the Paycheck Protection Program"); a sector word inside one is its name's ("the CHIPS Act")
        named_pol = [pt for pt in pols if pt.instrument in ("entityListing", "law") or pt.tm.extra.get("named")]
        ents = [e for e in ents if not (e.m.key is None and any(
            pt.tm.span.start <= e.span.start and e.span.end <= pt.tm.span.end for pt in named_pol))]
        keep_secs = [s for s in keep_secs if not any(
            pt.tm.span.start <= s.span.start and s.span.end <= pt.tm.span.end for pt in named_pol if pt.tm.extra.get("named"))]
        st.tms.extend(ents)
        st.tms.extend(pt.tm for pt in pols)
        st.tms.extend(keep_secs)
        st.policies.extend(pols)
        base += len(list(p.spacy_doc.sents))
    st.tms.sort(key=lambda t: (t.para, t.span.start, -t.span.end))


def index(st: DocState) -> None:
    """Mentions in document order, and each token's mention. A token in both a name and a
    measure's phrase is the name's ("the European Union's latest sanctions": "Union" is the
    EU, the imposer); the measure keeps its other tokens."""
    st.tms.sort(key=lambda t: (t.para, t.span.start, -t.span.end))
    for tm in sorted(st.tms, key=lambda t: t.m.cls == "Policy"):
        for t in range(tm.span.start, tm.span.end):
            st.by_tok.setdefault((tm.para, t), tm)


def fix_types(st: DocState) -> None:
    """Document-level typing: the home state, agency countries, names that NER mistyped,
    demonyms that do not stand for a state."""
    gz = st.gz
    # the home country: most named country (demonyms and metonyms count less)
    cnt: Counter = Counter()
    for tm in st.tms:
        if tm.m.cls == "Country":
            cnt[tm.country] += 1 if tm.m.source in ("gazetteer",) else 0.5
        if tm.m.cls == "GovernmentAgency" and tm.country:
            cnt[tm.country] += 2
    st.home = cnt.most_common(1)[0][0] if cnt else None
    st.salience = dict(cnt)
    st.named_states = set(cnt)  # ISO3 of every state the document names or names an agency of
    named_countries = {tm.country for tm in st.tms if tm.m.cls == "Country" and not tm.extra.get("demonym")}
    explicit: dict[str, str] = st.explicit  # agency domain -> the country this document gives it ("U.S. Commerce Department")
    for tm in st.tms:
        if tm.m.cls == "GovernmentAgency" and tm.domain and tm.country:
            explicit.setdefault(tm.domain, tm.country)
        elif tm.m.cls == "GovernmentAgency" and tm.m.key in gz.entries and gz.entries[tm.m.key].country:
            for (c, d), k in gz.generic_agencies.items():
                if k == tm.m.key:
                    explicit.setdefault(d, c)
    # people: full names and their last names
    person_names = {tm.m.text for tm in st.tms if tm.m.cls == "Person"}
    surnames = {n.split()[-1] for n in person_names if " " in n}
    # "Norvana Motors was fined … Norvana said": a company's first word alone is the company
    # (not a leader's regime or government's, nor a person's name in any part: "al-Assad")
    org_words = {tm.span[0].text for tm in st.tms if tm.m.cls == "Organization" and tm.m.key is None
                 and len(tm.span) > 1 and tm.span[-1].lower_ not in L.GOVERNMENT_NOUNS | L.ADMINISTRATION_WORDS}
    org_words -= {part for n in person_names if " " in n for w in n.split() for part in w.split("-")}
    out: list[TM] = []
    for tm in st.tms:
        m = tm.m
        if m.cls in ("Organization", "Place", "GovernmentAgency") and m.key is None and (m.text in person_names or m.text in surnames):
            tm.m = dataclasses.replace(m, cls="Person")
        elif m.cls == "Place" and m.key is None and _told(tm.span.root):
            tm.m = dataclasses.replace(m, cls="Organization")  # "told El Comercio that …": a news outlet
        elif m.cls == "Person" and m.key is None and len(tm.span) == 1 and m.text in org_words:
            tm.m = dataclasses.replace(m, cls="Organization")
        elif m.cls == "Country" and tm.extra.get("demonym"):
            # a demonym stands for the state when the state is named, or when it modifies an
            # actor, the goods a measure targets or a measure ("Japanese tariffs": Japan's)
            root = tm.span.root
            head = root.head.lower_ if root.dep_ in ("amod", "compound", "nmod") else ""
            if not (tm.country in named_countries or head in L.ACTOR_HEADS or head in L.GOODS_HEADS
                    or head in gz.policy_terms or head in gz.sectors
                    or tm.extra.get("target") or root.head.lower_ in gz.titles
                    or root.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")):
                continue
        elif m.cls == "GovernmentAgency" and m.key is None:
            country = tm.country
            if country is None and tm.domain and tm.domain in explicit:
                country = explicit[tm.domain]
            if country is None and tm.domain:
                # "Treasury", "Commerce Ministry": the mentioned state that has such an agency
                options = [c for (c, d) in gz.generic_agencies if d == tm.domain]
                # "Commerce Ministry" is not the US Commerce Department: keep the states
                # whose agency of that domain is of the kind the text names
                kinds = {t.lower_ for t in tm.span} & L.AGENCY_KINDS
                same_kind = [c for c in options if gz.entries[gz.generic_agencies[(c, tm.domain)]].kind in kinds]
                options = same_kind or options
                if options:
                    country = max(options, key=lambda c: (cnt.get(c, 0), -options.index(c)))
            if country is None and not tm.domain and foreign_body_country(tm, st.tms, gz, st.home or "") is not None:
                # "the National Assembly" in a US release about Venezuela: a body the home state has
                # none of by that name is the state's its sentence (else its paragraph) names, nearest first
                sent = tm.span.sent
                near = [t for t in st.tms if t.para == tm.para and t.m.cls == "Country" and t.country]
                if near:
                    country = min(near, key=lambda t: (not sent.start <= t.span.start < sent.end,
                                                       abs(t.span.start - tm.span.start))).country
            country = country or st.home
            tm.country = country
            if tm.domain == "administration" or m.key and m.key.kind == "administration":
                pass
            elif tm.domain and country:
                key = gz.generic_agencies.get((country, tm.domain)) or Key.of("agency", country, tm.domain)
                tm.m = dataclasses.replace(m, key=key)
        if tm.m.cls == "GovernmentAgency" and tm.m.key and tm.m.key.kind == "administration":
            tm.country = tm.country or _leader_country(gz, tm.m.key.id) or st.home
        if tm.m.cls == "GovernmentAgency" and tm.m.key and tm.m.key.kind == "agency" and tm.m.key in gz.entries:
            tm.country = gz.entries[tm.m.key].country or tm.country
        out.append(tm)
    st.tms = out


def _told(tok) -> bool:
    """Is ``tok`` the one told something ("X told El Comercio that …"): the object of a verb
    of telling that reports a clause? A place is told nothing."""
    v = tok.head
    return tok.dep_ in ("dobj", "dative") and v.lemma_.lower() in L.SPOKE_TO_VERBS and any(c.dep_ == "ccomp" for c in v.children)


def surname_mentions(st: DocState) -> None:
    """A known person's surname that NER missed ("According Demers, …") is a mention too."""
    surnames = {}
    for tm in st.tms:
        if tm.m.cls == "Person" and len(tm.span) >= 2:
            surnames.setdefault(tm.span[-1].text, tm)
    if not surnames:
        return
    covered = {(tm.para, t) for tm in st.tms for t in range(tm.span.start, tm.span.end)}
    wanted = {hash_string(s) for s in surnames if s[:1].isupper()}
    for pi, p in enumerate(st.paras):
        # found in the doc's array: a Token object only for a word that is such a surname
        for i, orth in enumerate(p.spacy_doc.to_array(ORTH).tolist()):
            if orth in wanted and (pi, i) not in covered:
                span = p.spacy_doc[i : i + 1]
                st.tms.append(TM(pi, span, _mk(p, span, "Person", None, "coref", st.sent_base[pi])))

def _leader_country(gz: Gazetteer, surname: str) -> str | None:
    for e in gz.entries.values():
        if e.cls == "Person" and e.label.split()[-1].lower() == surname and e.country:
            return e.country
    return None


def voice(st: DocState) -> None:
    """The voice of a document whose heading names who speaks it ("Remarks by Treasury
    Secretary Steven T. Mnuchin on Sanctions"): the person named in that heading, among the
    first paragraphs. News articles have none: their reporter's words are nobody's stance."""
    for pi, p in enumerate(st.paras[:6]):
        low = p.text.lower()
        at = min((low.find(h) for h in L.VOICE_HEADINGS if h in low), default=-1)
        if at < 0 or at > 40:
            continue
        people = [tm for tm in st.tms if tm.para == pi and tm.m.cls == "Person" and tm.span.start_char > at]
        if people:
            st.voice = people[0].m
            return


def acronym_mentions(st: DocState) -> None:
    """An acronym the document defines after a name ("the Strategic Trade and Investment
    Partnership (STIP)") names that entity wherever it stands alone later ("launched the
    U.S.-Kenya STIP"): a mention of the same class and key (a measure's, a measure too)."""
    defined: dict[str, TM] = {}
    for tm in st.tms:
        sdoc = tm.span.doc
        j = tm.span.end
        if tm.m.cls in ("Policy", "Organization", "GovernmentAgency") and len(tm.span) >= 2 and j + 2 < len(sdoc) \
                and sdoc[j].text == "(" and sdoc[j + 2].text == ")":
            acr = sdoc[j + 1].text
            if acr.isupper() and len(acr) >= 2 and acr == "".join(w[0] for w in tm.m.text.split() if w[:1].isupper()):
                defined.setdefault(acr, tm)
    if not defined:
        return
    by_policy = {id(pt.tm): pt for pt in st.policies}
    covered = {(tm.para, t): tm for tm in st.tms for t in range(tm.span.start, tm.span.end)}
    wanted = {hash_string(a): a for a in defined}
    for pi, p in enumerate(st.paras):
        for i, orth in enumerate(p.spacy_doc.to_array(ORTH).tolist()):
            if orth not in wanted:
                continue
            src = defined[wanted[orth]]
            old = covered.get((pi, i))
            if old is not None and (old is src or old.m.key is not None or len(old.span) > 1 or old.m.cls == src.m.cls):
                continue
            span = p.spacy_doc[i : i + 1]
            tm = TM(pi, span, _mk(p, span, src.m.cls, src.m.key, "coref", st.sent_base[pi]), country=src.country,
                    domain=src.domain)
            if old is not None:  # the NER's guess at the acronym alone ("AFA" as an organisation)
                st.tms.remove(old)
            st.tms.append(tm)
            pt = by_policy.get(id(src))
            if pt is not None:
                st.policies.append(PolicyTM(tm=tm, head=span.root, instrument=pt.instrument, long_text=pt.long_text,
                                            facts=PolicyFacts(instrument=pt.instrument), specific=True))

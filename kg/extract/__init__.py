"""The extraction stage: mentions, titles, relations, quotes of one document.

``extract(doc, paragraphs, gz) -> Extraction`` (named ``kg.extract.v1``).
It works over the dependency parse with closed lexicons (``lexicon.py``)
and the gazetteers; nothing here knows any particular article.

Order of work inside a document:

1. mentions per paragraph (NER + gazetteer, policies, sectors);
2. document-level fixes: the home country, agency countries, names that NER
   mistyped, demonyms that do not stand for a state;
3. quotations and their speakers (a salience-based coreference for "he",
   "the ministry", "the bloc", "Chinese officials");
4. relations from verbs, nouns and appositions, with their modality.
"""

from __future__ import annotations

import re

import dataclasses
import itertools
from collections import Counter
from typing import Iterable

from spacy.tokens import Span, Token

from kg.extract import lexicon as L
from kg.extract.dates import parse_anchor, resolve_date
from kg.extract.mentions import TM, foreign_body_country, paragraph_mentions
from kg.extract.policies import _verb_of_object, PolicyTM, family, policy_mentions, sector_mentions, target_sectors
from kg.gazetteer import Gazetteer, agency_domain
from kg.model import Document, Extraction, Mention, PolicyFacts, Quote, Relation
from kg.nlp import Paragraph

NAME = "kg.extract.v1"

DOMAIN_TITLE = re.compile(
    r"\b(?:(?:Secretary|Minister|Ministry|Department|Secretariat)\s+(?:of|for)\s+(?:the\s+)?([A-Z][a-z]+(?:\s+Affairs)?)"
    r"|(?!(?:Vice|Deputy|Assistant|Under|Prime|Chief|First|Senior|Acting|Junior|Cabinet|Permanent)\b)([A-Z][a-z]+)\s+(?:Secretary|Minister|Ministry|Department))"
)


def _same_name(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")




def _about_trade(sent, trade_words: set[str]) -> bool:
    """A sentence about trade or measures: a trade word outside any name ("for Export
    Administration" is a name), a measure verb, or entities added to a list."""
    for t in sent:
        if t.ent_type_ in ("ORG", "FAC", "WORK_OF_ART", "LAW"):
            continue
        if t.lower_ in trade_words or t.lemma_ in L.IMPOSE_VERBS or t.lemma_ in L.SANCTION_VERBS:
            return True
        if t.lemma_ == "add" and any(c.dep_ in ("nsubjpass", "dobj") and c.lemma_ in ("entity", "company", "firm", "individual")
                                     for c in t.children):
            return True
    return False


def _is_title_word(tok: Token, gz: Gazetteer) -> bool:
    low = tok.lower_
    return low in gz.titles or tok.lemma_.lower() in gz.titles or (low.endswith("s") and low[:-1] in gz.titles)




def _is_subject(tok: Token) -> bool:
    """Is ``tok`` a clause's subject, or the owner or modifier of one ("China's ministry said")?"""
    for _ in range(2):
        if tok.dep_ in ("nsubj", "nsubjpass"):
            return True
        if tok.dep_ not in ("poss", "compound", "appos") or tok.head is tok:
            return False
        tok = tok.head
    return False


def _disparaging(pred: Token) -> bool:
    """Is this predicate noun a disparaging description ("a threat", "a state sponsor of terrorism")?"""
    lemma = pred.lemma_.lower()
    if lemma in L.DISPARAGING_NOUNS or pred.lower_ in L.DISPARAGING_ADJECTIVES:
        return True
    cues = L.QUALIFIED_DISPARAGING.get(lemma)
    # whole words that start with a cue: "destabilizing", not "Islamabad" for "bad"
    return bool(cues) and any(t.lower_.startswith(c) for t in pred.subtree for c in cues)


def _is_counter_measure(pt: PolicyTM) -> bool:
    """A measure that answers another: "retaliatory tariffs", "counter-tariffs", "reciprocal duties"."""
    return any(c.lower_ in ("retaliatory", "counter", "reciprocal") for c in pt.head.lefts) \
        or pt.tm.m.text.lower().startswith(("counter-", "counter ", "countermeasure"))


def _subtree_without_clauses(root: Token) -> list[Token]:
    """``root``'s subtree without its relative clauses: "sanctions on Syria, a move President
    Trump had promised during a visit to Saudi Arabia" target Syria, not Saudi Arabia or Trump."""
    out, stack = [], [root]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ != "relcl")
    return sorted(out, key=lambda t: t.i)

class _Doc:
    """Working state for one document."""

    def __init__(self, doc: Document, paras: list[Paragraph], gz: Gazetteer):
        self.doc = doc
        self.paras = paras
        self.gz = gz
        self.tms: list[TM] = []
        self.policies: list[PolicyTM] = []
        self.by_tok: dict[tuple[int, int], TM] = {}
        self.relations: list[Relation] = []
        self.quotes: list[Quote] = []
        self.quote_spans: list[tuple[int, int, int, Mention | None]] = []  # para, start tok, end tok, speaker
        self.sent_base: list[int] = []
        self.policy_cluster: dict[int, int] = {}  # id(PolicyTM) -> cluster index
        self.cluster_targets: dict[int, list[Mention]] = {}
        self.pending_threats: list[tuple[Mention, PolicyTM, Token, int]] = []
        self.seen_rel: set = set()
        self.anchor = parse_anchor(doc.date)
        self.explicit: dict[str, str] = {}  # agency domain -> the country this document gives it

    # ------------------------------------------------------------------ mentions
    def collect(self) -> None:
        base = 0
        for i, p in enumerate(self.paras):
            self.sent_base.append(base)
            ents = paragraph_mentions(p, i, self.gz, base)
            # a span that is exactly a sector term is the sector, whatever NER said ("UAVs" as ORG)
            ents = [e for e in ents if not (e.m.key is None and e.m.cls == "Organization"
                                            and e.span.text.casefold() in self.gz.sectors)]
            taken = {t for tm in ents for t in range(tm.span.start, tm.span.end)}
            pols = policy_mentions(p, i, self.gz, taken, base)
            secs = sector_mentions(p, i, self.gz, taken, base)
            # the goods and industries a measure targets, read from the construction
            secs += target_sectors(p, i, self.gz, pols, taken | {t for s in secs for t in range(s.span.start, s.span.end)}
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
            trade_words = {"import", "imports", "export", "exports", "goods", "products", "sector", "sectors", "industry", "industries", "trade"}
            keep_secs = []
            for s in secs:
                sent = s.span.sent
                if s.m.sent in pol_sents or s.span.start in tokens_in_targets or _about_trade(sent, trade_words):
                    keep_secs.append(s)
            # an organisation name that is really a named measure ("the Entity List", "Executive Orders",
            # "the Paycheck Protection Program"); a sector word inside one is its name's ("the CHIPS Act")
            named_pol = [pt for pt in pols if pt.instrument in ("entityListing", "law") or pt.tm.extra.get("named")]
            ents = [e for e in ents if not (e.m.key is None and any(
                pt.tm.span.start <= e.span.start and e.span.end <= pt.tm.span.end for pt in named_pol))]
            keep_secs = [s for s in keep_secs if not any(
                pt.tm.span.start <= s.span.start and s.span.end <= pt.tm.span.end for pt in named_pol if pt.tm.extra.get("named"))]
            self.tms.extend(ents)
            self.tms.extend(pt.tm for pt in pols)
            self.tms.extend(keep_secs)
            self.policies.extend(pols)
            base += len(list(p.spacy_doc.sents))
        self.tms.sort(key=lambda t: (t.para, t.span.start, -t.span.end))
        self._fix_types()
        self._surname_mentions()
        self.tms.sort(key=lambda t: (t.para, t.span.start, -t.span.end))
        # a token in both a name and a measure's phrase is the name's ("the European Union's latest
        # sanctions": "Union" is the EU, the imposer); the measure keeps its other tokens
        for tm in sorted(self.tms, key=lambda t: t.m.cls == "Policy"):
            for t in range(tm.span.start, tm.span.end):
                self.by_tok.setdefault((tm.para, t), tm)

    def _fix_types(self) -> None:
        gz = self.gz
        # the home country: most named country (demonyms and metonyms count less)
        cnt: Counter = Counter()
        for tm in self.tms:
            if tm.m.cls == "Country":
                cnt[tm.country] += 1 if tm.m.source in ("gazetteer",) else 0.5
            if tm.m.cls == "GovernmentAgency" and tm.country:
                cnt[tm.country] += 2
        self.home = cnt.most_common(1)[0][0] if cnt else None
        self.named_states = set(cnt)  # ISO3 of every state the document names or names an agency of
        named_countries = {tm.country for tm in self.tms if tm.m.cls == "Country" and not tm.extra.get("demonym")}
        explicit: dict[str, str] = self.explicit  # agency domain -> the country this document gives it ("U.S. Commerce Department")
        for tm in self.tms:
            if tm.m.cls == "GovernmentAgency" and tm.domain and tm.country:
                explicit.setdefault(tm.domain, tm.country)
            elif tm.m.cls == "GovernmentAgency" and tm.m.key in gz.entries and gz.entries[tm.m.key].country:
                for (c, d), k in gz.generic_agencies.items():
                    if k == tm.m.key:
                        explicit.setdefault(d, c)
        # people: full names and their last names
        person_names = {tm.m.text for tm in self.tms if tm.m.cls == "Person"}
        surnames = {n.split()[-1] for n in person_names if " " in n}
        # "Norvana Motors was fined … Norvana said": a company's first word alone is the company
        # (not a leader's regime or government's, nor a person's name in any part: "al-Assad")
        org_words = {tm.span[0].text for tm in self.tms if tm.m.cls == "Organization" and tm.m.key is None
                     and len(tm.span) > 1 and tm.span[-1].lower_ not in L.GOVERNMENT_NOUNS | L.ADMINISTRATION_WORDS}
        org_words -= {part for n in person_names if " " in n for w in n.split() for part in w.split("-")}
        out: list[TM] = []
        for tm in self.tms:
            m = tm.m
            if m.cls in ("Organization", "Place", "GovernmentAgency") and m.key is None and (m.text in person_names or m.text in surnames):
                tm.m = dataclasses.replace(m, cls="Person")
            elif m.cls == "Person" and m.key is None and len(tm.span) == 1 and m.text in org_words:
                tm.m = dataclasses.replace(m, cls="Organization")
            elif m.cls == "Country" and tm.extra.get("demonym"):
                # a demonym stands for the state when the state is named, or when it
                # modifies an actor or the goods a measure targets
                root = tm.span.root
                head = root.head.lower_ if root.dep_ in ("amod", "compound", "nmod") else ""
                if not (tm.country in named_countries or head in L.ACTOR_HEADS or head in L.GOODS_HEADS
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
                if country is None and not tm.domain and self.home:
                    # a body the home state has none of by that name ("the National Assembly" in a
                    # US release about Venezuela): the state its paragraph names, nearest first
                    country = foreign_body_country(tm, self.tms, gz, self.home)
                country = country or self.home
                tm.country = country
                if tm.domain == "administration" or m.key and m.key.startswith("administration:"):
                    pass
                elif tm.domain and country:
                    key = gz.generic_agencies.get((country, tm.domain)) or f"agency:{country}:{tm.domain}"
                    tm.m = dataclasses.replace(m, key=key)
            if tm.m.cls == "GovernmentAgency" and tm.m.key and tm.m.key.startswith("administration:"):
                tm.country = tm.country or self._leader_country(tm.m.key.split(":", 1)[1]) or self.home
            if tm.m.cls == "GovernmentAgency" and tm.m.key and tm.m.key.startswith("agency:") and tm.m.key in gz.entries:
                tm.country = gz.entries[tm.m.key].country or tm.country
            out.append(tm)
        self.tms = out

    def _surname_mentions(self) -> None:
        """A known person's surname that NER missed ("According Demers, …") is a mention too."""
        from kg.extract.mentions import _mk

        surnames = {}
        for tm in self.tms:
            if tm.m.cls == "Person" and len(tm.span) >= 2:
                surnames.setdefault(tm.span[-1].text, tm)
        if not surnames:
            return
        covered = {(tm.para, t) for tm in self.tms for t in range(tm.span.start, tm.span.end)}
        for pi, p in enumerate(self.paras):
            for tok in p.spacy_doc:
                if tok.text in surnames and (pi, tok.i) not in covered and tok.text[:1].isupper():
                    span = p.spacy_doc[tok.i : tok.i + 1]
                    self.tms.append(TM(pi, span, _mk(p, span, "Person", None, "coref", self.sent_base[pi])))

    def _leader_country(self, surname: str) -> str | None:
        for e in self.gz.entries.values():
            if e.cls == "Person" and e.label.split()[-1].lower() == surname and e.country:
                return e.country
        return None

    # --------------------------------------------------------------- navigation
    def tm_at(self, para: int, tok: Token) -> TM | None:
        return self.by_tok.get((para, tok.i))

    def before(self, para: int, i: int):
        for tm in reversed(self.tms):
            if (tm.para, tm.span.start) < (para, i):
                yield tm

    def sentence_of(self, para: int, tok: Token) -> tuple[str, int, int]:
        s = tok.sent
        off = self.paras[para].offset
        return s.text, off + s.start_char, off + s.end_char

    def in_quote(self, para: int, tok: Token) -> Mention | None | bool:
        for qp, a, b, spk in self.quote_spans:
            if qp == para and a <= tok.i < b:
                return spk if spk is not None else False
        return None

    # ----------------------------------------------------------- coreference
    def refs(self, para: int, tok: Token, actors_only: bool = True, depth: int = 0) -> list[Mention]:
        """The entity mentions a token stands for (with its coordinated siblings)."""
        out = self._ref1(para, tok, actors_only)
        if depth == 0:
            for c in tok.children:
                if c.dep_ == "conj":
                    out += self.refs(para, c, actors_only, depth=1)
                    for cc in c.children:
                        if cc.dep_ == "conj":
                            out += self.refs(para, cc, actors_only, depth=1)
        seen, uniq = set(), []
        for m in out:
            if (m.start, m.end) not in seen:
                seen.add((m.start, m.end))
                uniq.append(m)
        return uniq

    def _ok(self, m: Mention, actors_only: bool) -> bool:
        return not actors_only or m.cls in ("Person", "Country", "GovernmentAgency", "Organization")

    def _ref1(self, para: int, tok: Token, actors_only: bool) -> list[Mention]:
        tm = self.tm_at(para, tok)
        if tm is not None:
            # "the Department of the Treasury's Office of Foreign Assets Control designated …" parsed
            # with "Department" as the subject: the possessed body is the actor, not its owner
            sdoc = tok.doc
            end = tm.span.end
            if tm.m.cls in ("GovernmentAgency", "Organization", "Country") and end + 1 < len(sdoc) \
                    and sdoc[end].tag_ == "POS" and tok.left_edge.i <= end < tok.right_edge.i:
                owned = self.tm_at(para, sdoc[end + 1])
                if owned is not None and owned is not tm and owned.m.cls in ("GovernmentAgency", "Organization") \
                        and owned.span.end - 1 <= tok.right_edge.i:
                    return [owned.m] if self._ok(owned.m, actors_only) else []
            return [tm.m] if self._ok(tm.m, actors_only) else []
        low = tok.lower_
        if low in L.PRONOUNS_PERSON:
            for t in self.before(para, tok.i):
                if t.m.cls == "Person" and self.in_quote(t.para, t.root) is None:
                    return [t.m]
            return []
        if low in L.PRONOUNS_WE:
            spk = self.in_quote(para, tok)
            if spk is None and tok.dep_ in ("nsubj", "nsubjpass"):
                # outside quotes "we" is the voice of a statement ("The United States is imposing …
                # We call on the government to …"): the last state or body that was a subject
                for t in self.before(para, tok.i):
                    if t.m.cls in ("Country", "GovernmentAgency") and _is_subject(t.root) and self.in_quote(t.para, t.root) is None:
                        return [t.m]
                return []
            return [spk] if isinstance(spk, Mention) else []
        if low in L.PRONOUNS_IT and tok.dep_ in ("nsubj", "nsubjpass"):
            quoted = self.in_quote(para, tok) is not None  # outside a quote, "it" skips what the quote names
            near = list(itertools.islice((t for t in self.before(para, tok.i)  # newest first; the last three
                                          if t.m.cls in ("Country", "GovernmentAgency", "Organization")
                                          and (t.para, t.span.start) >= (para - 1, 0)
                                          and (quoted or self.in_quote(t.para, t.root) is None)), 3))
            # a subject among the last few is the salient one ("China's Commerce Ministry said it
            # had filed a challenge at the WTO. '…,' it said": the ministry, not the WTO)
            subj = [t for t in near if _is_subject(t.root)]
            return [(subj or near)[0].m] if near else []
        if tok.pos_ not in ("NOUN", "PROPN"):
            return []
        if low in ("departments", "ministries", "agencies"):
            found = [t.m for t in self.tms if t.para == para and t.m.cls == "GovernmentAgency" and t.span.end <= tok.i
                     and t.span.start >= tok.left_edge.i]
            if found:
                return found
        # modifiers that name the actor: "Chinese officials", "the U.S. government", "Beijing's position"
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nmod")]
        if low in L.ACTOR_HEADS or low in L.GOVERNMENT_NOUNS or low in L.SIDE_NOUNS:
            for c in mods:
                t = self.tm_at(para, c)
                if t is not None and self._ok(t.m, True):
                    return [t.m]
                if c.lower_ == "administration":
                    for t2 in self.before(para, tok.i):
                        if t2.m.cls == "GovernmentAgency" and t2.domain == "administration" or (t2.m.key or "").startswith("administration:"):
                            return [t2.m]
        if low in ("sides", "countries", "nations", "governments", "economies") and any(c.lower_ in ("both", "two") for c in tok.subtree):
            if True:
                pair: list[Mention] = []
                for t in self.before(para, tok.i):
                    if t.m.cls == "Country" and all(t.m.key != x.key for x in pair):
                        pair.append(t.m)
                    if len(pair) == 2:
                        return pair
                return []
        det = any(c.lower_ in ("the", "this", "that") for c in tok.children if c.dep_ == "det")
        owner = any(c.dep_ == "poss" for c in tok.children)
        if (det or owner) and _is_title_word(tok, self.gz) and (tok.pos_ == "NOUN" or tok.pos_ == "PROPN" and det):
            # "the EU's top diplomat", "the minister": the last person named, preferring
            # one whose title has that word ("the Secretary" after "Secretary of State X")
            people = [t for t in self.before(para, tok.i) if t.m.cls == "Person" and not self.in_quote(t.para, t.root)]
            titled = [t for t in people if any(tok.lemma_.lower() in r.object.lower().split()
                                               for r in self.relations if r.prop == "title" and r.subject == t.m)]
            pick = titled or people
            if pick:
                # within the sentence of the last one named, the subject is the salient one
                # ("Secretary Rubio spoke with Secretary Manalo. The Secretary reaffirmed …")
                last = pick[0]
                sent = last.root.sent
                same = [t for t in pick if t.para == last.para and sent.start <= t.root.i < sent.end]
                subj = [t for t in same if t.root.dep_ in ("nsubj", "nsubjpass")
                        or t.root.dep_ in ("appos", "compound") and t.root.head.dep_ in ("nsubj", "nsubjpass")]
                return [(subj or same)[0].m]
        if det and not mods:
            if low in L.AGENCY_NOUNS:
                for t in self.before(para, tok.i):
                    if t.m.cls == "GovernmentAgency" and (low in t.m.text.lower() or low == "administration" and t.domain == "administration"):
                        return [t.m]
                for t in self.before(para, tok.i):
                    if t.m.cls == "GovernmentAgency":
                        return [t.m]
            if low in L.BLOC_NOUNS:
                # "the bloc": the last bloc named (the EU, ASEAN), else the last body of a bloc
                # (the European Commission speaks for the EU); never a global body like the WTO
                for t in self.before(para, tok.i):
                    e = self.gz.entries.get(t.m.key or "")
                    if t.m.cls == "Organization" and (e is not None and e.kind == "bloc" or "union" in t.m.text.lower()):
                        return [t.m]
                for t in self.before(para, tok.i):
                    e = self.gz.entries.get(t.m.key or "")
                    parent = self.gz.entries.get(e.parent) if e is not None and e.parent else None
                    if t.m.cls == "GovernmentAgency" and parent is not None and parent.kind == "bloc":
                        return [t.m]
            if low in L.COMPANY_NOUNS:
                for t in self.before(para, tok.i):
                    if t.m.cls == "Organization":
                        return [t.m]
        # a noun phrase owned by an actor: "China's willingness" is not China; no ref
        return []

    def subj_refs(self, para: int, verb: Token) -> list[Mention]:
        """Actors who do ``verb``: its subject, or the subject of the verb it depends on."""
        v = verb
        for _ in range(4):
            subs = [c for c in v.children if c.dep_ in ("nsubj", "csubj")]
            agents = [g for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if agents:
                return [m for a in agents for m in self.refs(para, a)]
            if subs:
                out = [m for s in subs for m in self.refs(para, s)]
                if out:
                    return out
                # "administration officials maintain", "the two sides will"
                return []
            # a headline's subject the parser took for a modifier of the verb ("EU slaps duties …",
            # "US hits Chinese steel"): an actor right before a verb with no subject
            lead = [c for c in v.children if c.dep_ in ("compound", "npadvmod", "nmod") and c.i < v.i
                    and c.right_edge.i == v.i - 1 and v.pos_ == "VERB"]
            for c in lead:
                r = self.refs(para, c)
                if r:
                    return r
            # a subject the parser hung on a clause before the verb ("Rubio — now serving as … — told")
            left_clauses = [c for c in v.children if c.dep_ in ("ccomp", "advcl") and c.i < v.i]
            for c in left_clauses:
                for s in c.children:
                    if s.dep_ == "nsubj":
                        r = self.refs(para, s)
                        if r:
                            return r
            if v.pos_ in ("NOUN", "PROPN") and v.dep_ in ("dobj", "pobj", "attr") and v.head.i != v.i:
                # "issued a statement saying …": the one who issued it
                v = v.head
                if v.pos_ == "ADP":
                    v = v.head
                continue
            if v.dep_ == "xcomp" and v.head.i != v.i:
                # object control: "X urged Japan to expand its controls": Japan expands
                objs = [c for c in v.head.children if c.dep_ == "dobj" and c.i < v.i]
                if objs:
                    r = [m for o in objs for m in self.refs(para, o)]
                    if r:
                        return r
            if v.dep_ in ("xcomp", "advcl", "conj", "pcomp", "acl", "ccomp", "relcl", "prep", "pobj") and v.head.i != v.i:
                h = v.head
                if v.dep_ == "conj" and h.dep_ == "ccomp" and v.tag_ != h.tag_ and v.tag_ == h.head.tag_:
                    # coordinated verbs share their form: "X said Washington was abusing …, and urged
                    # the US to stop" coordinates "urged" with "said", whatever the parser attached it to
                    v = h.head
                    continue
                if v.dep_ in ("acl", "relcl") and v.head.pos_ in ("NOUN", "PROPN"):
                    r = self.refs(para, v.head)
                    if r:
                        return r
                v = v.head
                if v.pos_ == "ADP":
                    v = v.head
                continue
            break
        return []

    # --------------------------------------------------------------- modality
    def modality(self, tok: Token, prop: str) -> str:
        v = tok
        came = ""  # how the previous step hung on ``v``: a coordinated verb is not what an urge asks for
        for hop in range(5):
            if any(c.dep_ == "neg" for c in v.children) or (hop > 0 and v.lemma_ in L.NEGATING_VERBS):
                return "negated"
            if v.lemma_ in L.NEGATING_VERBS and hop == 0 and v is not tok:
                return "negated"
            if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in v.children):
                return "hypothetical"
            aux = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
            if aux & L.HYPOTHETICAL_AUX:
                return "hypothetical" if prop not in ("negotiatesWith",) else "asserted"
            if aux & L.FUTURE_AUX:
                return "asserted" if prop in ("negotiatesWith", "imposes") else "future"
            if hop > 0 and v.lemma_ in L.URGE_VERBS and prop != "urges" and came != "conj":
                return "hypothetical"  # "urged Japan to expand its controls": asked for, not done
            if hop > 0 and v.lemma_ in L.INTENT_VERBS and v.lemma_ not in ("expect",):
                if prop in ("negotiatesWith",) or prop == "imposes" and v.lemma_ in ("poise", "set", "prepare", "plan"):
                    return "asserted"
                return "hypothetical" if v.lemma_ in ("threaten", "consider", "weigh", "mull", "contemplate", "explore") else "future"
            if v.dep_ in ("ROOT", "relcl") or v.head.i == v.i:
                break  # a relative clause keeps its own modality ("relief from the tariffs Trump placed")
            if v.dep_ in ("advcl",) and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in v.children):
                return "hypothetical"
            came = v.dep_
            v = v.head
        if tok.lower_ in ("refrained",) or any(c.lemma_ in L.NEGATING_VERBS for c in [tok.head]):
            return "negated" if tok.head.lemma_ in L.NEGATING_VERBS else "asserted"
        return "asserted"

    # --------------------------------------------------------------- records
    def add(self, subj: Mention, prop: str, obj: Mention | str, para: int, tok: Token, method: str,
            conf: float, modality: str = "asserted") -> None:
        if isinstance(obj, Mention) and (obj.start, obj.end) == (subj.start, subj.end):
            return  # also drops bodies only implied by a title: entities are what the text names
        if isinstance(obj, Mention) and subj.key and subj.key == obj.key:
            return
        text, a, b = self.sentence_of(para, tok)
        key = (subj.start, subj.end, prop, obj if isinstance(obj, str) else (obj.start, obj.end), a, modality)
        if key in self.seen_rel:
            return
        self.seen_rel.add(key)
        when = self.date_near(tok) if prop not in ("title", "partOf", "locatedIn", "memberOf", "leaderOf") else None
        self.relations.append(Relation(self.doc.id, subj, prop, obj, text, a, b, method, round(conf, 3), modality, when))
        if prop == "imposes" and when and modality == "asserted" and isinstance(obj, Mention):
            for pt in self.policies:
                if pt.tm.m is obj and pt.facts.start_date is None:
                    pt.facts = dataclasses.replace(pt.facts, start_date=when)

    def date_near(self, tok: Token) -> str | None:
        """The date a clause states for its event ("imposed … on April 26", "earlier this month")."""
        verb = tok
        for _ in range(3):
            if verb.pos_ in ("VERB", "AUX"):
                break
            if verb.head.i == verb.i:
                break
            verb = verb.head
        for e in tok.sent.ents:
            if e.label_ != "DATE":
                continue
            h = e.root
            for _ in range(3):
                if h.i in (verb.i, tok.i):
                    d = resolve_date(e.text, self.anchor)
                    if d:
                        return d
                    break
                if h.head.i == h.i:
                    break
                h = h.head
        return None

    def run(self) -> Extraction:
        self.collect()
        self.title_pass()  # first: "the Secretary" later refers back through the titles
        self.quotes_pass()
        self.policy_pass()
        self.verb_pass()
        self.structural_pass()
        facts = {(pt.tm.m.start, pt.tm.m.end): pt.facts for pt in self.policies}
        sents = []
        for p in self.paras:
            for s in p.spacy_doc.sents:
                sents.append((p.offset + s.start_char, p.offset + s.end_char))
        long_forms = {(pt.tm.m.start, pt.tm.m.end): pt.long_text for pt in self.policies}
        ex = Extraction(doc=self.doc, mentions=[tm.m for tm in self.tms], relations=self.relations,
                        quotes=self.quotes, policy_facts=facts, sentences=sents)
        ex.policy_long_forms = long_forms  # type: ignore[attr-defined]
        ex.policy_specific = {(pt.tm.m.start, pt.tm.m.end) for pt in self.policies if pt.specific}  # type: ignore[attr-defined]
        ex.policy_clusters = {(pt.tm.m.start, pt.tm.m.end): self.policy_cluster.get(id(pt)) for pt in self.policies}  # type: ignore[attr-defined]
        ex.home = self.home  # type: ignore[attr-defined]
        ex.agency_country = {(tm.m.start, tm.m.end): tm.country for tm in self.tms if tm.country}  # type: ignore[attr-defined]
        return ex

    # ---------------------------------------------------------------- quotes
    def quotes_pass(self) -> None:
        last_speaker: Mention | None = None
        for pi, p in enumerate(self.paras):
            sdoc = p.spacy_doc
            text = p.text
            spans = []
            i = 0
            while i < len(text):
                ch = text[i]
                if ch in L.QUOTE_MARKS:
                    close = L.QUOTE_MARKS[ch]
                    j = text.find(close, i + 1)
                    if j == -1:
                        break
                    spans.append((i, j))
                    i = j + 1
                    continue
                i += 1
            para_speaker: Mention | None = None
            for a, b in spans:
                inner = text[a + 1 : b]
                stripped = inner.strip().rstrip(",.;: ").strip()
                if len(stripped.split()) < 2:
                    continue
                lead = inner.find(stripped[:1]) if stripped else 0
                qs = a + 1 + max(lead, 0)
                qe = qs + len(stripped)
                span = sdoc.char_span(a, b + 1, alignment_mode="expand")
                if span is None:
                    continue
                # registered before its speaker is sought, so that '…,' it said' does not take
                # a name from inside the quote ("… Chinese companies," it said)
                self.quote_spans.append((pi, span.start, span.end, None))
                speaker = self._speaker(pi, span)
                full_sentence = span.start == span.sent.start or (span.start > 0 and sdoc[span.start - 1].is_punct and sdoc[span.start - 1].i == span.sent.start)
                if speaker is None and full_sentence:
                    speaker = para_speaker or (last_speaker if pi > 0 else None)
                self.quote_spans[-1] = (pi, span.start, span.end, speaker)
                if speaker is None:
                    continue
                para_speaker = speaker
                last_speaker = speaker
                s_text, s_a, s_b = self.sentence_of(pi, span[0])
                self.quotes.append(Quote(self.doc.id, stripped, p.offset + qs, p.offset + qe, speaker, s_text,
                                         confidence=0.85))
            if para_speaker is not None:
                last_speaker = para_speaker

    def _speaker(self, para: int, qspan: Span) -> Mention | None:
        sdoc = qspan.doc
        sents = {qspan.sent.start: qspan.sent, sdoc[qspan.end - 1].sent.start: sdoc[qspan.end - 1].sent}
        # '“…!” he tweeted.' when the parser starts a new sentence after the quote
        if qspan.end < len(sdoc) and sdoc[qspan.end].sent.start == qspan.end:
            nxt = sdoc[qspan.end].sent
            if nxt[0].is_lower or nxt[0].pos_ == "PRON":
                sents[nxt.start] = nxt
        cands: list[tuple[int, Token]] = []
        according: Mention | None = None
        for s in sents.values():
            for t in s:
                if qspan.start <= t.i < qspan.end:
                    continue
                if t.lemma_ in L.SPEECH_VERBS and t.pos_ in ("VERB", "AUX"):
                    dist = qspan.start - t.i if t.i < qspan.start else t.i - qspan.end
                    cands.append((dist, t))
                if t.lower_ == "according" and according is None:
                    for k in range(t.i + 1, min(t.i + 4, len(sdoc))):
                        tm = self.tm_at(para, sdoc[k])
                        if tm is not None and self._ok(tm.m, True):
                            according = tm.m
                            break
        # 'X said the talks were "progressing well," according to the news agency': the speaker
        # is X; "according to" names the source only when no speech verb has a subject
        for _, v in sorted(cands, key=lambda x: x[0]):
            refs = self.subj_refs(para, v)
            if refs:
                return refs[0]
            # 'said Under Secretary … Alan Estevez': the speaker named after an inverted verb
            after = [t for t in self.tms if t.para == para and t.span.start > v.i and t.span.start < v.sent.end
                     and not (qspan.start <= t.span.start < qspan.end) and t.m.cls in ("Person", "GovernmentAgency", "Organization", "Country")]
            if after and v.i >= qspan.end and (after[0].span.start - v.i) <= 14:
                people = [t for t in after if t.m.cls == "Person"]
                return (people[0] if people else after[0]).m
        return according

    # --------------------------------------------------------------- policies
    def policy_pass(self) -> None:
        """Imposers and targets written in the policy phrases; policy coreference."""
        clusters: list[dict] = []
        # states this document names as targets of some measure ("sanctions on Iran")
        targeted = {m.key for pt in self.policies for m in self._targets(pt.tm.para, pt.target_roots) if m.cls == "Country"}
        tm_of = {id(t.m): t for t in self.tms}
        for pt in self.policies:
            para = pt.tm.para
            imposers, targets = [], []
            for t in pt.imposer_toks:
                tm = self.tm_at(para, t)
                if (tm is None or tm is pt.tm) and t.lower_ in ("its", "their"):
                    # "Canada lifted its counter-tariffs": the owner is the subject of a verb that
                    # imposes or lifts the measure (elsewhere "its" may be anyone's: left alone)
                    verb = _verb_of_object(pt.head)
                    if verb is not None and (verb.lemma_ in L.IMPOSE_VERBS or verb.lemma_ in L.LIFT_VERBS):
                        owners = [m for m in self.subj_refs(para, verb) if m.cls in ("Country", "GovernmentAgency", "Organization")]
                        imposers += owners[:1]
                    continue
                if tm is not None and tm.m.cls in ("Country", "GovernmentAgency", "Organization", "Person") and tm is not pt.tm:
                    # "Iran sanctions": a state's name as a noun modifier of sanctions is their target
                    # when the article names it as a target elsewhere; "US sanctions" stay the imposer's
                    if (t.dep_ == "compound" and tm.m.cls == "Country" and family(pt.instrument) == "sanction"
                            and tm.m.key in targeted and not tm.extra.get("demonym")):
                        targets.append(tm.m)
                    else:
                        imposers.append(tm.m)
            targets += self._targets(para, pt.target_roots)
            # the sectors of the trade a measure is aimed at ("for selling Iranian petrochemicals")
            targets += [m for m in self._targets(para, pt.reason_roots) if m.cls == "Sector" and m not in targets]
            retaliatory = _is_counter_measure(pt)
            for m in imposers:
                self.add(m, "imposes", pt.tm.m, para, pt.head, "kg.relations.v1:policy-modifier", 0.75)
            for m in targets:
                self.add(pt.tm.m, "targets", m, para, pt.head, "kg.relations.v1:policy-target", 0.8)
            if retaliatory:
                for a in imposers:
                    for t in targets:
                        if t.cls == "Country":
                            self.add(a, "retaliatesAgainst", t, para, pt.head, "kg.relations.v1:retaliatory", 0.7)
            # coreference: a bare mention joins the last compatible policy of the document;
            # the actor of the verb counts ("China will take all necessary measures" are China's, not the EU's)
            actors = imposers
            if not actors and pt.head.dep_ in ("dobj", "nsubjpass") and pt.head.head.lemma_ in L.IMPOSE_VERBS:  # take, adopt … included
                actors = [m for m in self.subj_refs(para, pt.head.head)
                          if m.cls in ("Country", "GovernmentAgency", "Organization", "Person")]
            if not actors and pt.head.dep_ == "pobj" and pt.head.head.lower_ == "with" \
                    and pt.head.head.head.lemma_ in L.RETALIATE_VERBS | {"respond", "answer"}:
                # "Brussels has threatened to retaliate with tariffs on U.S. goods": Brussels's
                actors = [m for m in self.subj_refs(para, pt.head.head.head)
                          if m.cls in ("Country", "GovernmentAgency", "Organization", "Person")]
            if not actors:  # "the duties announced by President Trump"
                actors = [m for v in pt.head.children if v.dep_ == "acl" and v.lemma_ in L.IMPOSE_VERBS
                          for a in v.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"
                          for m in self.refs(para, g) if m.cls in ("Country", "GovernmentAgency", "Organization", "Person")]
            states = {f"country:{tm_of[id(m)].country}" if id(m) in tm_of and tm_of[id(m)].country
                      else f"country:{self.gz.entries[m.key].country}" if m.key in self.gz.entries and self.gz.entries[m.key].country
                      else m.key or m.text for m in actors}
            sig = (family(pt.instrument), tuple(sorted({m.key or m.text for m in imposers})),
                   tuple(sorted({m.key or m.text for m in targets if m.cls == "Country"})))
            target = None
            if pt.instrument != "law":
                # the last cluster of the same instrument first ("the sanctions" after visa restrictions
                # are the sanctions named before), then any compatible one
                same = [ci for ci in range(len(clusters)) if pt.instrument in {m.instrument for m in clusters[ci]["members"]}]
                others = [ci for ci in range(len(clusters)) if ci not in same]
                for ci in reversed(others + same):
                    c = clusters[ci]
                    # a different amount or rate is a different measure ("$16 billion" after "$34 billion")
                    if any(getattr(pt.facts, a) and getattr(m.facts, a) and getattr(m.facts, a) != getattr(pt.facts, a)
                           for m in c["members"] for a in ("amount", "rate")):
                        continue
                    restrictive = sig[0] not in L.NOT_MEASURES and c["family"] not in L.NOT_MEASURES
                    # sanctions and entity listings are one family but different measures when both are named
                    insts = {m.instrument for m in c["members"]} - {"measure"}
                    distinct = pt.instrument in L.LISTED_INSTRUMENTS and insts and pt.instrument not in insts and insts <= L.LISTED_INSTRUMENTS
                    # a generic "measures" of a known actor does not adopt a measure whose actor the
                    # text never gave ("Tesla will face a 7.8% duty … China will take all necessary measures")
                    generic = c["family"] != sig[0] and "measure" in (sig[0], c["family"])
                    if generic and states and not c["states"] and not c["imposers"]:
                        continue
                    if (c["family"] == sig[0] and not distinct) or restrictive and "measure" in (sig[0], c["family"]):
                        if (not sig[1] or not c["imposers"] or set(sig[1]) & c["imposers"]) and (
                            not sig[2] or not c["targets"] or set(sig[2]) & c["targets"]) and (
                            not states or not c["states"] or states & c["states"]) and not (states & c["targets"]):
                            target = ci
                            break
            if pt.instrument == "law":
                for ci, c in enumerate(clusters):
                    if c["family"] == "law" and any(_same_name(pt.tm.m.text, m.tm.m.text) for m in c["members"]):
                        target = ci
                        break
            if target is None:
                clusters.append({"family": sig[0], "imposers": set(sig[1]), "targets": set(sig[2]), "states": set(),
                                 "members": []})
                target = len(clusters) - 1
            c = clusters[target]
            c["imposers"] |= set(sig[1])
            c["states"] |= states
            c["targets"] |= set(sig[2])
            if c["family"] == "measure" and sig[0] != "measure":
                c["family"] = sig[0]
            c["members"].append(pt)
            self.policy_cluster[id(pt)] = target
            self.cluster_targets.setdefault(target, []).extend(targets)
        self.clusters = clusters

    def _targets(self, para: int, roots: Iterable[Token]) -> list[Mention]:
        out: list[Mention] = []
        for r in roots:
            for t in _subtree_without_clauses(r):
                tm = self.tm_at(para, t)
                if tm is None or tm.m.cls == "Policy":
                    continue
                if tm.m.cls in ("Country", "Sector", "Organization", "Person", "GovernmentAgency") and tm.m not in out:
                    out.append(tm.m)
        return out

    def _policy_of(self, para: int, tok: Token) -> PolicyTM | None:
        for pt in self.policies:
            if pt.tm.para == para and (pt.head.i == tok.i or pt.tm.covers(tok)):
                return pt
        return None

    def _policies_under(self, para: int, tok: Token) -> list[PolicyTM]:
        """Policies named by a token and its coordinated siblings."""
        out = []
        for t in [tok] + [c for c in tok.children if c.dep_ == "conj"]:
            pt = self._policy_of(para, t)
            if pt is None and t.pos_ in ("NOUN", "PROPN"):
                # "a fourth round of sanctions", "the same percentage of retaliatory tariffs"
                for pr in t.children:
                    if pr.dep_ == "prep" and pr.lower_ == "of":
                        for o in pr.children:
                            if o.dep_ == "pobj":
                                pt = self._policy_of(para, o)
            if pt is not None:
                out.append(pt)
        return out

    # ------------------------------------------------------------------ verbs
    def verb_pass(self) -> None:
        for pi, p in enumerate(self.paras):
            for tok in p.spacy_doc:
                if tok.pos_ in ("VERB", "AUX"):
                    self._verb(pi, tok)
                elif tok.pos_ in ("NOUN", "PROPN"):
                    self._noun(pi, tok)

    def _objs(self, verb: Token, deps=("dobj",)) -> list[Token]:
        return [c for c in verb.children if c.dep_ in deps]

    def _verb(self, pi: int, v: Token) -> None:
        lemma = v.lemma_.lower()
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)
        if lemma in L.MEASURE_LEMMAS:
            self._impose(pi, v, lemma, passive)
        if lemma in L.NEGOTIATE_VERBS:
            subs = self.subj_refs(pi, v)
            objs = [m for o in self._objs(v, ("dobj",)) for m in self.refs(pi, o)]
            for pr in v.children:
                if pr.dep_ == "prep" and pr.lower_ in ("with",):
                    objs += [m for o in pr.children if o.dep_ == "pobj" for m in self.refs(pi, o)]
            if lemma in L.WITH_ONLY_VERBS:  # "spoke with Reuters" is an interview (spokeTo), not talks
                objs = [m for m in objs if m.cls in ("Country", "GovernmentAgency", "Person")]
            mod = self.modality(v, "negotiatesWith")
            if objs:
                for s in subs:
                    for o in objs:
                        self.add(s, "negotiatesWith", o, pi, v, "kg.relations.v1:svo", 0.8, mod)
            elif len(subs) >= 2 and lemma not in L.WITH_ONLY_VERBS:
                self._pairs(subs, pi, v, mod, "kg.relations.v1:coordinated")
        if lemma in L.URGE_VERBS:
            subs = self.subj_refs(pi, v)
            objs = [m for o in self._objs(v, ("dobj",)) for m in self.refs(pi, o)]
            if lemma == "call":
                objs = [m for pr in v.children if pr.dep_ == "prep" and pr.lower_ in ("on", "upon")
                        for o in pr.children if o.dep_ == "pobj" for m in self.refs(pi, o)]
                if any(c.dep_ in ("prt", "prep") and c.lower_ in ("on", "upon") and not any(g.dep_ == "pobj" for g in c.children)
                       for c in v.children):
                    objs += [m for o in self._objs(v, ("dobj",)) for m in self.refs(pi, o)]  # "call on" as a particle
            mod = self.modality(v, "urges")
            for s in subs:
                for o in objs:
                    self.add(s, "urges", o, pi, v, "kg.relations.v1:svo", 0.8, mod)
        if lemma in L.CRITICIZE_VERBS:
            subs = self.subj_refs(pi, v)
            objs = []
            for o in self._objs(v, ("dobj",)):
                r = self.refs(pi, o, actors_only=False)
                if not r and lemma not in L.PHYSICAL_ATTACK_VERBS:  # "attack Ukraine's cities" is no criticism of Ukraine
                    r = [m for c in o.children if c.dep_ == "poss" for m in self.refs(pi, c)]
                objs += [m for m in r if m.cls != "Sector"]
            mod = self.modality(v, "criticizes")
            for s in subs:
                for o in objs:
                    self.add(s, "criticizes", o, pi, v, "kg.relations.v1:svo", 0.75, mod)
        if lemma in ("be", "remain", "call", "label", "brand", "describe"):
            self._characterisation(pi, v, lemma)
        if lemma in L.REMEDY_VERBS:
            # "promised to fix China's longtime abuse of the system": criticism of the owner
            bad = [o for o in self._objs(v, ("dobj",))
                   if o.lemma_ in L.MISCONDUCT_NOUNS or o.lemma_ == "practice" and any(
                       a.lower_ in ("unfair", "abusive", "predatory", "coercive", "illegal") for a in o.children)]
            owners = [m for o in bad for c in o.children if c.dep_ == "poss" for m in self.refs(pi, c)]
            if owners:
                subs = self.subj_refs(pi, v)
                mod = self.modality(v, "criticizes")
                for s in subs:
                    for o in owners:
                        if o.cls in ("Country", "GovernmentAgency", "Organization", "Person"):
                            self.add(s, "criticizes", o, pi, v, "kg.relations.v1:remedy", 0.65, mod)
        if lemma in ("claim", "allege", "believe", "charge", "say", "argue", "contend", "complain"):
            comp = [c for c in v.children if c.dep_ == "ccomp"]
            for c in comp:
                if c.lemma_ in L.NEGATIVE_ACTION_VERBS or any(g.lemma_ in L.NEGATIVE_ACTION_VERBS and g.dep_ in ("xcomp", "conj") for g in c.children):
                    subs = self.subj_refs(pi, v)
                    objs = [m for s in c.children if s.dep_ in ("nsubj",) for m in (self.refs(pi, s) or [m2 for g in s.children if g.dep_ in ("amod", "compound", "poss") for m2 in self.refs(pi, g)])]
                    for s in subs:
                        for o in objs:
                            if o.cls in ("Country", "GovernmentAgency", "Organization", "Person"):
                                self.add(s, "criticizes", o, pi, v, "kg.relations.v1:accusation", 0.65, self.modality(v, "criticizes"))
        if lemma == "threaten":
            subs = self.subj_refs(pi, v)
            objs = [m for o in self._objs(v, ("dobj",)) for m in self.refs(pi, o)]
            pols: list[PolicyTM] = []
            for x in v.children:
                if x.dep_ == "xcomp":
                    for o in self._objs(x, ("dobj",)):
                        pols += self._policies_under(pi, o)
                    for pr in x.children:  # "threatened to retaliate with tariffs on U.S. goods"
                        if pr.dep_ == "prep" and pr.lower_ == "with":
                            for o in pr.children:
                                pols += self._policies_under(pi, o)
                if x.dep_ == "prep" and x.lower_ == "with":
                    for o in x.children:
                        pols += self._policies_under(pi, o)
            for o in self._objs(v, ("dobj",)):
                pols += self._policies_under(pi, o)
            mod = self.modality(v, "threatens")
            for s in subs:
                for o in objs:
                    if o.cls != "Policy":
                        self.add(s, "threatens", o, pi, v, "kg.relations.v1:svo", 0.75, mod)
                for pt in pols:
                    self.add(s, "imposes", pt.tm.m, pi, v, "kg.relations.v1:threat", 0.6, "hypothetical")
                    pt.facts = dataclasses.replace(pt.facts, status="threatened")
                    ci = self.policy_cluster.get(id(pt))
                    for t in self.cluster_targets.get(ci, []):
                        if t.cls in ("Country", "Organization", "Person", "GovernmentAgency") and not objs:
                            self.add(s, "threatens", t, pi, v, "kg.relations.v1:threat", 0.65, mod)
        if lemma == "retaliate":
            subs = self.subj_refs(pi, v)
            objs = [m for pr in v.children if pr.dep_ == "prep" and pr.lower_ == "against" for o in pr.children if o.dep_ == "pobj" for m in self.refs(pi, o, actors_only=False)]
            if not objs:
                objs = self._counterpart(subs, pi, v)
            mod = self.modality(v, "retaliatesAgainst")
            for s in subs:
                for o in objs:
                    self.add(s, "retaliatesAgainst", o, pi, v, "kg.relations.v1:svo", 0.7, mod)
            # "retaliated with duties on American soybeans": the counter-measure is imposed
            for pr in v.children:
                if pr.dep_ == "prep" and pr.lower_ == "with":
                    for o in pr.children:
                        for pt in self._policies_under(pi, o):
                            for s in subs:
                                self.add(s, "imposes", pt.tm.m, pi, v, "kg.relations.v1:retaliation", 0.7, mod)
        if lemma in L.TELL_VERBS or lemma in ("speak", "say"):
            subs = [m for m in self.subj_refs(pi, v) if m.cls == "Person"]
            objs = [m for o in self._objs(v, ("dobj",)) for m in self.refs(pi, o) if m.cls == "Organization"]
            for pr in v.children:
                if pr.dep_ == "prep" and pr.lower_ in ("in", "to", "with"):
                    for o in pr.children:
                        if o.dep_ == "pobj" and o.lower_ in ("interview", "interviews"):
                            objs += [m for w in o.children if w.dep_ == "prep" and w.lower_ == "with" for x in w.children if x.dep_ == "pobj" for m in self.refs(pi, x) if m.cls == "Organization"]
                        elif o.dep_ == "pobj" and lemma == "speak":
                            objs += [m for m in self.refs(pi, o) if m.cls == "Organization"]
            for s in subs:
                for o in objs:
                    self.add(s, "spokeTo", o, pi, v, "kg.relations.v1:svo", 0.85)
        # "hold/resume/begin talks", "lay out positions" handled via the noun pass

    def _pairs(self, ms: list[Mention], pi: int, tok: Token, mod: str, method: str) -> None:
        for i in range(len(ms)):
            for j in range(i + 1, len(ms)):
                self.add(ms[i], "negotiatesWith", ms[j], pi, tok, method, 0.75, mod)

    def _counterpart(self, subs: list[Mention], pi: int, tok: Token) -> list[Mention]:
        """The other party of a retaliation: the last actor that imposed a measure."""
        keys = {m.key for m in subs}
        for r in reversed(self.relations):
            if r.prop == "imposes" and r.subject.key not in keys and r.subject.cls in ("Country", "GovernmentAgency", "Person"):
                if r.subject.cls == "Country":
                    return [r.subject]
        for r in reversed(self.relations):
            if r.prop == "targets" and isinstance(r.object, Mention) and r.object.cls == "Country" and r.object.key in keys:
                for r2 in self.relations:
                    if r2.prop == "imposes" and r2.object == r.subject:
                        return [r2.subject]
        return []

    def _later_targets(self, pi: int, v: Token, noun: Token, pt: PolicyTM) -> None:
        """'added 11 entities to the Entity List. The 11 entities are under the destinations of
        China (6), Russia (3) …': the countries a later sentence gives the listed nouns."""
        if noun.lemma_.lower() not in L.GOODS_HEADS:
            return
        seen = 0
        for p2 in range(pi, min(pi + 3, len(self.paras))):
            for sent in self.paras[p2].spacy_doc.sents:
                if p2 == pi and sent.start <= v.i:
                    continue
                seen += 1
                if seen > 2:
                    return
                subj = [t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.lemma_.lower() == noun.lemma_.lower()]
                if not subj:
                    continue
                for t in sent:
                    tm = self.tm_at(p2, t)
                    if tm is not None and tm.m.cls == "Country" and not tm.extra.get("demonym"):
                        self.add(pt.tm.m, "targets", tm.m, p2, t, "kg.relations.v1:listing-followup", 0.6)
                return

    def _impose(self, pi: int, v: Token, lemma: str, passive: bool) -> None:
        pols: list[PolicyTM] = []
        subs: list[Mention] = []
        if passive:
            for c in v.children:
                if c.dep_ == "nsubjpass":
                    pols += self._policies_under(pi, c)
                if c.dep_ == "prep" and c.lower_ == "to" and lemma == "add":  # "was added to the Entity List by …"
                    for g in c.children:
                        pols += self._policies_under(pi, g)
            subs = [m for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj" for m in self.refs(pi, g)]
        elif v.dep_ in ("acl",) and v.tag_ == "VBN":
            # "tariffs imposed by President Donald Trump"
            pols = self._policies_under(pi, v.head)
            subs = [m for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj" for m in self.refs(pi, g)]
        else:
            for c in v.children:
                if c.dep_ in ("dobj",):
                    pols += self._policies_under(pi, c)
                if c.dep_ == "prep" and c.lower_ in ("to",) and lemma == "add":
                    for g in c.children:
                        pols += self._policies_under(pi, g)
            if v.dep_ == "relcl" and not any(c.dep_ == "dobj" for c in v.children):
                # "the 50% tariffs President Trump placed on Indian goods": the measure is the
                # noun the relative clause describes, its object gap
                pols += self._policies_under(pi, v.head)
            subs = self.subj_refs(pi, v)
        mod = self.modality(v, "imposes")
        verb_instrument = "sanction" if lemma in L.SANCTION_VERBS else L.MEASURE_VERBS.get(lemma)
        # the verb's objects: what it is done to ("sanctioned three banks"; passive: "three banks were sanctioned")
        objects = [c for c in v.children if c.dep_ == ("nsubjpass" if passive else "dobj")]
        if verb_instrument and not pols:
            # "the US sanctioned Russian banks", "Beijing banned exports of gallium to the United
            # States", "three firms were sanctioned by the Treasury": the verb is the measure
            targets = [m for c in objects for m in self._targets(pi, [c])]
            if lemma in L.MEASURE_VERBS:
                targets += [m for c in v.children if c.dep_ == "prep" and c.lower_ in ("to", "from", "on", "against")
                            for m in self._targets(pi, [c]) if m not in targets]
            if subs and targets:
                span = v.doc[v.i : v.i + 1]
                from kg.extract.mentions import _mk
                tm = TM(pi, span, _mk(self.paras[pi], span, "Policy", None, "pattern", self.sent_base[pi]),
                        extra={"instrument": verb_instrument})
                pt = PolicyTM(tm=tm, head=v, instrument=verb_instrument, long_text=span.text,
                              facts=PolicyFacts(instrument=verb_instrument), specific=True)  # status: below
                self.policies.append(pt)
                self.tms.append(tm)
                self.by_tok.setdefault((pi, v.i), tm)
                pols = [pt]
                for t in targets:
                    self.add(tm.m, "targets", t, pi, v, f"kg.relations.v1:{lemma}-verb" if lemma in L.MEASURE_VERBS
                             else "kg.relations.v1:sanction-verb", 0.75)
        if (lemma == "add" or lemma in L.SANCTION_VERBS) and pols:
            targets = [m for c in objects for m in self._targets(pi, [c])]
            for pt in pols:
                for t in targets:
                    self.add(pt.tm.m, "targets", t, pi, v, "kg.relations.v1:listing", 0.7)
                if not targets:
                    for c in objects:
                        self._later_targets(pi, v, c, pt)
        verb_targets = self._targets(pi, [o for pr in v.children if pr.dep_ == "prep" and pr.lower_ in ("on", "against")
                                          for o in pr.children if o.dep_ == "pobj"])
        for pt in pols:
            for t in verb_targets:
                self.add(pt.tm.m, "targets", t, pi, v, "kg.relations.v1:verb-target", 0.7)
            if _is_counter_measure(pt) and mod == "asserted":
                tg = [t for t in verb_targets + [r.object for r in self.relations if r.prop == "targets" and r.subject == pt.tm.m]
                      if isinstance(t, Mention) and t.cls == "Country"]
                for s_ in subs:
                    for t in tg:
                        self.add(s_, "retaliatesAgainst", t, pi, v, "kg.relations.v1:retaliatory", 0.7)
        for pt in pols:
            if lemma in ("lift", "suspend", "remove"):
                continue
            if mod == "asserted" and pt.facts.status is None:
                pt.facts = dataclasses.replace(pt.facts, status="inForce" if v.tag_ in ("VBD", "VBN") else "announced")
            for s in subs:
                if s.cls in ("Person", "Country", "GovernmentAgency", "Organization"):
                    self.add(s, "imposes", pt.tm.m, pi, v, "kg.relations.v1:" + ("passive" if passive or v.dep_ == "acl" else "svo"), 0.8, mod)

    def _characterisation(self, pi: int, v: Token, lemma: str) -> None:
        """Disparaging someone is criticising them: a speaker quoted saying "Iran continues to be
        a state sponsor of terrorism", or "X called China a threat"."""
        # the predicates first: most copulas describe nothing disparaging, and the rest is costlier
        if lemma in ("be", "remain"):
            preds = [c for c in v.children if c.dep_ in ("attr", "acomp")]
        else:
            preds = [c for c in v.children if c.dep_ in ("oprd", "attr")] + [
                g for c in v.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children if g.dep_ == "pobj"]
        if not any(_disparaging(p) for p in preds + [c for p in preds for c in p.conjuncts]):
            return
        if lemma in ("be", "remain"):
            speaker = self.in_quote(pi, v)
            if not isinstance(speaker, Mention):
                return  # the reporter's own description is not a fact about anyone's stance
            # the subject of "be" or of the verb it completes ("Iran continues to be …")
            subj_tok = [c for c in v.children if c.dep_ == "nsubj"] or (
                [c for c in v.head.children if c.dep_ == "nsubj"] if v.dep_ == "xcomp" else [])
            targets = [m for t in subj_tok for m in self.refs(pi, t)]
            subs = [speaker]
        else:
            targets = [m for o in self._objs(v, ("dobj",)) for m in self.refs(pi, o, actors_only=False)]
            subs = self.subj_refs(pi, v)
        mod = self.modality(v, "criticizes")
        for s in subs:
            for t in targets:
                if t.cls in ("Country", "GovernmentAgency", "Organization", "Person", "Policy"):
                    self.add(s, "criticizes", t, pi, v, "kg.relations.v1:characterisation", 0.65, mod)

    def _noun(self, pi: int, n: Token) -> None:
        low = n.lower_
        if low in L.COMPLAINT_NOUNS and n.dep_ == "dobj" and n.head.lemma_ in L.COMPLAINT_VERBS:
            # "China has filed a complaint at the WTO against U.S. export controls": the parser
            # hangs "against" on whatever comes before it, so any "against" in the clause counts
            v = n.head
            against = [o for t in _subtree_without_clauses(v) if t.lower_ == "against" and t.dep_ == "prep"
                       for o in t.children if o.dep_ == "pobj"]
            objs = [m for o in against for m in self.refs(pi, o, actors_only=False)
                    if m.cls in ("Country", "GovernmentAgency", "Organization", "Person", "Policy")]
            if objs:
                mod = self.modality(v, "criticizes")
                for s in self.subj_refs(pi, v):
                    for o in objs:
                        self.add(s, "criticizes", o, pi, n, "kg.relations.v1:complaint", 0.7, mod)
        if low in L.NEGOTIATION_NOUNS:
            withs = [m for pr in n.children if pr.dep_ == "prep" and pr.lower_ == "with" for o in pr.children if o.dep_ == "pobj" for m in self.refs(pi, o)]
            betw = [m for pr in n.children if pr.dep_ == "prep" and pr.lower_ == "between" for o in pr.children if o.dep_ == "pobj" for m in self.refs(pi, o)]
            owners = [m for c in n.children if c.dep_ == "poss" for m in self.refs(pi, c)]
            gov = n.head
            hops = 0
            while not owners and hops < 6 and gov is not None:
                if gov.pos_ in ("VERB", "AUX"):
                    owners = self.subj_refs(pi, gov)
                    break
                if gov.head.i == gov.i:
                    break
                gov = gov.head
                hops += 1
            mod = self.modality(gov if gov is not None and gov.pos_ in ("VERB", "AUX") else n, "negotiatesWith")
            if withs:
                for o in owners:
                    for w in withs:
                        self.add(o, "negotiatesWith", w, pi, n, "kg.relations.v1:nominal", 0.75, mod)
            elif len(betw) >= 2:
                self._pairs(betw, pi, n, mod, "kg.relations.v1:nominal")
            elif len(owners) >= 2 and (n.dep_ == "dobj" or gov is not None and gov.lemma_ in L.HOLD_VERBS):
                self._pairs(owners, pi, n, mod, "kg.relations.v1:coordinated")
        if low in L.RETALIATION_NOUNS or (low in ("action", "actions", "measures", "steps", "response") and any(c.lower_ == "retaliatory" for c in n.children)):
            if self._policy_of(pi, n) is not None:
                return
            subs = [m for pr in n.children if pr.dep_ == "prep" and pr.lower_ in ("from", "by") for o in pr.children if o.dep_ == "pobj" for m in self.refs(pi, o)]
            gov = n.head
            if gov.pos_ == "ADP":
                gov = gov.head
            if not subs and gov.pos_ in ("VERB", "AUX"):
                subs = self.subj_refs(pi, gov)
            objs = [m for pr in n.children if pr.dep_ == "prep" and pr.lower_ == "against" for o in pr.children if o.dep_ == "pobj" for m in self.refs(pi, o)]
            if not objs:
                objs = self._counterpart(subs, pi, n)
            mod = "asserted"
            if gov.lemma_ in L.NEGATING_VERBS or any(c.dep_ == "neg" for c in gov.children):
                mod = "negated"
            elif gov.lemma_ in ("warn", "fear", "risk", "threaten", "consider") or gov.lower_ in ("of",):
                mod = "hypothetical"
            else:
                mod = self.modality(gov, "retaliatesAgainst") if gov.pos_ in ("VERB", "AUX") else "asserted"
            for s in subs:
                for o in objs:
                    self.add(s, "retaliatesAgainst", o, pi, n, "kg.relations.v1:nominal", 0.6, mod)
        if low in ("imposition",):
            pols = [pt for pr in n.children if pr.dep_ == "prep" and pr.lower_ == "of" for o in pr.children for pt in self._policies_under(pi, o)]
            subs = [m for pr in n.children if pr.dep_ == "prep" and pr.lower_ == "by" for o in pr.children if o.dep_ == "pobj" for m in self.refs(pi, o)]
            subs += [m for c in n.children if c.dep_ == "poss" for m in self.refs(pi, c)]
            for s in subs:
                for pt in pols:
                    self.add(s, "imposes", pt.tm.m, pi, n, "kg.relations.v1:nominal", 0.7)

    # ------------------------------------------------------------------ titles
    def title_pass(self) -> None:
        gz = self.gz
        for tm in self.tms:
            if tm.m.cls != "Person":
                continue
            sdoc = tm.span.doc
            pi = tm.para
            # 1. words before the name: "Treasury Secretary Scott Bessent"
            i = tm.span.start - 1
            toks: list[Token] = []
            while i >= 0:
                t = sdoc[i]
                other = self.tm_at(pi, t)
                if other is not None and other.m.cls == "Person":
                    break
                if t.is_punct and t.text not in ("-", "&", "."):
                    # "Minister of Economy, Trade and Industry": a list of capitalised words inside a title
                    if not (t.text == "," and toks and toks[0].text[:1].isupper() and i > 0 and sdoc[i - 1].text[:1].isupper()
                            and any(x.lower_ == "and" for x in toks)):
                        break
                    toks.insert(0, t)
                    i -= 1
                    continue
                if t.pos_ in ("VERB", "AUX", "DET", "PRON", "ADP") and t.lower_ not in ("of", "for", "and", "&") \
                        and not (t.lower_ == "the" and i > 0 and sdoc[i - 1].lower_ == "of") \
                        and not (t.text == "Under" and toks and _is_title_word(toks[0], gz)):  # "Under Secretary"
                    break
                if t.lower_ in ("and",) and not (i > 0 and (sdoc[i - 1].text[:1].isupper() or _is_title_word(sdoc[i - 1], gz))):
                    break
                if not (t.text[:1].isupper() or _is_title_word(t, gz) or t.lower_ in ("of", "for", "and", "&", "-", "vice", "deputy", "assistant", "under", "former", "interim", "acting", "the") or other is not None and other.m.cls not in ("Policy", "Sector")
                        or toks and t.lower_ in L.TITLE_DOMAIN_WORDS):  # "EU trade chief", "the bloc's foreign policy chief"
                    break
                toks.insert(0, t)
                i -= 1
            while toks and toks[0].lower_ in ("of", "for", "and", "&"):
                toks.pop(0)
            if toks and any(_is_title_word(t, gz) for t in toks):
                self._title(tm, toks, sdoc, "kg.titles.v1:prenominal", 0.9)
            # 2. apposition: "John Gong, a former Commerce Ministry adviser"
            root = tm.span.root
            for c in root.children:
                if c.dep_ == "appos" and _is_title_word(c, gz) and c.i > root.i:
                    sub = [t for t in c.subtree if t.i >= tm.span.end]
                    sub = self._cut_clause(sub)
                    if sub:
                        self._title(tm, sub, sdoc, "kg.titles.v1:appositive", 0.85)
                if c.dep_ in ("acl", "relcl", "advcl") and c.lemma_ in ("serve", "act", "be", "work"):
                    for pr in c.children:
                        if (pr.dep_ == "prep" and pr.lower_ == "as") or pr.dep_ == "attr":
                            objs = [pr] if pr.dep_ == "attr" else [o for o in pr.children if o.dep_ == "pobj"]
                            for o in objs:
                                if _is_title_word(o, gz):
                                    self._title(tm, self._cut_clause(list(o.subtree)), sdoc, "kg.titles.v1:clause", 0.8)
            # the title before the name: "Japan's trade minister, Yoji Muto, told reporters"
            if root.dep_ == "appos" and root.head.i < tm.span.start and _is_title_word(root.head, gz):
                head = root.head
                sub = [t for t in head.subtree if t.i <= head.i]
                if sub and sdoc[head.i + 1].text == ",":
                    self._title(tm, sub, sdoc, "kg.titles.v1:appositive", 0.8)
            # "Rubio — now also serving as interim national security adviser —"
            if root.dep_ == "nsubj" and root.head.lemma_ in ("serve", "act"):
                for pr in root.head.children:
                    if pr.dep_ == "prep" and pr.lower_ == "as":
                        for o in pr.children:
                            if o.dep_ == "pobj" and _is_title_word(o, gz):
                                self._title(tm, self._cut_clause(list(o.subtree)), sdoc, "kg.titles.v1:clause", 0.8)
            # a comma-separated title right after the name that the parser did not attach
            j = tm.span.end
            if j + 1 < len(sdoc) and sdoc[j].text == "," and not any(c.dep_ == "appos" for c in root.children):
                k = j + 1
                sub = []
                while k < len(sdoc) and sdoc[k].text not in (",", ";", "—", "–", ".", "(") and len(sub) < 12:
                    sub.append(sdoc[k])
                    k += 1
                if k < len(sdoc) and sdoc[k].text in (",", "—", "–") and sub and any(_is_title_word(t, gz) for t in sub) \
                        and not any(t.pos_ == "VERB" for t in sub):
                    self._title(tm, sub, sdoc, "kg.titles.v1:appositive", 0.75)

    @staticmethod
    def _cut_clause(toks: list[Token]) -> list[Token]:
        out = []
        for t in toks:
            if t.text in (",", ";", "—", "–", "(") or t.dep_ in ("relcl", "acl") and out:
                break
            out.append(t)
        return out

    def _title(self, tm: TM, toks: list[Token], sdoc, method: str, conf: float) -> None:
        gz = self.gz
        pi = tm.para
        former = any(t.lower_ in ("former", "ex", "then") for t in toks)
        # a dateline or lead-in before a dash or colon is not part of the title ("WASHINGTON - Secretary …")
        cuts = [k for k, t in enumerate(toks) if t.text in ("-", "—", "–", ":", "--")]
        if cuts:
            toks = toks[cuts[-1] + 1 :]
        # drop determiners and modifiers that are not part of the title
        while toks and (toks[0].lower_ in L.TITLE_STOP or toks[0].pos_ == "DET"):
            toks = toks[1:]
        # a leading country or demonym is the affiliation, not the title
        country: str | None = None
        while toks:
            t0 = self.tm_at(pi, toks[0])
            if t0 is not None and t0.m.cls == "Country" and (t0.span.end - 1) <= toks[-1].i:
                country = t0.country
                toks = [t for t in toks if t.i >= t0.span.end]
                while toks and (toks[0].tag_ == "POS" or toks[0].lower_ in ("'s", "’s")):
                    toks = toks[1:]
                continue
            break
        while toks and (toks[0].lower_ in L.TITLE_STOP):
            toks = toks[1:]
        while toks and (toks[-1].is_punct or toks[-1].lower_ in ("of", "for", "and")):
            toks = toks[:-1]
        if not toks or not any(_is_title_word(t, gz) for t in toks):
            return
        # "president and CEO of the Arkadelphia Area Chamber of Commerce": the organisation is the affiliation
        org: Mention | None = None
        cut = len(toks)
        for k, t in enumerate(toks):
            if t.lower_ in ("of", "at") and k + 1 < len(toks):
                nxt = [x for x in toks[k + 1 :] if x.lower_ != "the"]
                o = self.tm_at(pi, nxt[0]) if nxt else None
                if o is not None and o.m.cls in ("Organization", "GovernmentAgency"):
                    org, cut = o.m, k
                    break
        title_toks = toks[:cut]
        if not title_toks or not any(_is_title_word(t, gz) for t in title_toks):
            return
        title = sdoc[title_toks[0].i : title_toks[-1].i + 1].text.strip(" ,")
        if len(title) < 3 or len(title) > 90:
            return
        self.add(tm.m, "title", title, pi, tm.root, method, conf)
        low = title.lower()
        head_word = title_toks[-1].lower_ if cut == len(toks) else title_toks[-1].lower_
        words = {t.lower_ for t in title_toks}
        deputy = bool(words & {"vice", "deputy", "assistant", "under", "undersecretary", "spokesperson", "spokesman", "adviser", "advisor"})
        if former:
            return
        if org is not None:
            leader = (bool(words & gz.body_heads) or any(ph in low for ph in L.LEADER_PHRASES)) and not deputy
            self.add(tm.m, "leaderOf" if leader else "memberOf", org, pi, tm.root, "kg.titles.v1:affiliation", 0.75)
        # agencies named inside the title: "White House National Trade Council Director"
        inside = []
        for t in title_toks:
            o = self.tm_at(pi, t)
            if o is not None and o.m.cls in ("GovernmentAgency", "Organization") and o.m not in inside:
                inside.append(o.m)
        if inside and org is None:
            last = inside[-1]
            leader = head_word in gz.body_heads and not deputy
            self.add(tm.m, "leaderOf" if leader else "memberOf", last, pi, tm.root, "kg.titles.v1:affiliation", 0.7)
        if not inside and org is None:
            kinds = {"minister": "ministry", "secretary": "department"}
            want = {kinds[w] for w in words if w in kinds}
            if want and not DOMAIN_TITLE.search(title):
                sent = tm.root.sent
                for o in self.tms:
                    if o.para == pi and o.m.cls == "GovernmentAgency" and sent.start <= o.span.start < sent.end \
                            and any(k in o.m.text.lower() for k in want):
                        self.add(tm.m, "memberOf", o.m, pi, tm.root, "kg.titles.v1:same-sentence", 0.6)
                        break
        # "Secretary of Commerce", "Commerce Secretary": the department of that domain
        if not inside and org is None:
            m = DOMAIN_TITLE.search(title)
            dom = agency_domain(f"ministry of {m.group(1) or m.group(2)}") if m else None
            for phrase, d in L.TITLE_DOMAINS.items():
                if phrase in low:
                    dom = d
            known = gz.entries.get(tm.m.key) if tm.m.key else None  # a known person's own state
            # a state whose agency of that domain is of the kind the title names: a "Secretary of
            # Commerce" serves a department (the US), a "Commerce Minister" a ministry (China)
            kind = "department" if "secretary" in words else "ministry" if "minister" in words else ""

            def fits(c: str | None) -> bool:
                k = self.gz.generic_agencies.get((c or "", dom or ""))
                return bool(c) and (not kind or k is None or self.gz.entries[k].kind == kind)

            home = country or (known.country if known is not None and known.cls == "Person" else "") \
                or next((c for c in (self.explicit.get(dom or ""), self.home) if fits(c)), None) \
                or next((c for (c, d) in self.gz.generic_agencies if d == dom and fits(c) and c in self.named_states), None)
            if dom and home:
                key = self.gz.generic_agencies.get((home, dom or ""))
                if key:
                    target = self._agency_mention(key, tm)
                    if target is not None:
                        self.add(tm.m, "memberOf", target, pi, tm.root, "kg.titles.v1:domain", 0.65)
        # heads of state: "U.S. President Donald Trump"
        if not deputy:
            for hos in gz.heads_of_state:
                if low == hos or low.endswith(" " + hos) and len(low.split()) <= 3:
                    c = country
                    if c is None:
                        e = gz.entries.get(tm.m.key) if tm.m.key else gz.person_with_office(tm.m.text, title)
                        if e is not None and e.title.lower().endswith(hos):
                            c = e.country
                    if c:
                        cm = self._country_mention(c, tm)
                        if cm is not None:
                            self.add(tm.m, "leaderOf", cm, pi, tm.root, "kg.titles.v1:head-of-state", 0.8)
                    break

    def _country_mention(self, iso: str, near: TM) -> Mention | None:
        """A mention standing for country ``iso`` (the nearest one), or a synthetic one at ``near``."""
        best = None
        for tm in self.tms:
            if tm.m.cls == "Country" and tm.m.key == f"country:{iso}":
                if best is None or abs(tm.para - near.para) < abs(best.para - near.para):
                    best = tm
        if best is not None:
            return best.m
        return Mention(self.doc.id, near.m.start, near.m.end, near.m.text, "Country", f"country:{iso}", "implied", near.m.sent)

    def _agency_mention(self, key: str, near: TM) -> Mention | None:
        for tm in self.tms:
            if tm.m.key == key:
                return tm.m
        return Mention(self.doc.id, near.m.start, near.m.end, near.m.text, "GovernmentAgency", key, "implied", near.m.sent)

    # ------------------------------------------------------------- structure
    def structural_pass(self) -> None:
        gz = self.gz
        done: set = set()
        for tm in self.tms:
            m = tm.m
            pi = tm.para
            if m.cls == "GovernmentAgency" and m.key not in done:
                parent = gz.entries[m.key].parent if m.key in gz.entries else ""
                explicit = None
                # "the Commerce Department's Bureau", "White House National Trade Council"
                prev = tm.span.start - 1
                sdoc = tm.span.doc
                if prev >= 0 and sdoc[prev].tag_ == "POS":
                    prev -= 1
                if prev >= 0:
                    o = self.tm_at(pi, sdoc[prev])
                    if o is not None and o.m.cls == "GovernmentAgency" and o is not tm:
                        explicit = o.m
                if explicit is not None:
                    self.add(m, "partOf", explicit, pi, tm.root, "kg.relations.v1:nested-name", 0.8)
                elif parent:
                    # the parent body, when the article names it too
                    pm = next((t.m for t in self.tms if t.m.key == parent), None)
                    if pm is not None:
                        self.add(m, "partOf", pm, pi, tm.root, "kg.gazetteer.v1:parent", 0.85)
                if tm.country:
                    cm = self._country_mention(tm.country, tm)
                    if cm is not None:
                        self.add(m, "partOf", cm, pi, tm.root, "kg.gazetteer.v1:country" if m.key in gz.entries else "kg.relations.v1:country-modifier", 0.85)
                done.add(m.key)
            if m.cls == "Place":
                sdoc = tm.span.doc
                j = tm.span.end
                # "Skopje, North Macedonia", "Arkadelphia, Ark."
                if j + 1 < len(sdoc) and sdoc[j].text == ",":
                    o = self.tm_at(pi, sdoc[j + 1])
                    if o is not None and o.m.cls in ("Country", "Place") and o is not tm:
                        self.add(m, "locatedIn", o.m, pi, tm.root, "kg.relations.v1:apposition", 0.8)
                        continue
                # "Mariupol, a major port city in eastern Ukraine"
                for c in tm.root.children:
                    if c.dep_ == "appos":
                        for pr in c.children:
                            if pr.dep_ == "prep" and pr.lower_ == "in":
                                for o in pr.children:
                                    ot = self.tm_at(pi, o) or next((self.tm_at(pi, x) for x in o.subtree if self.tm_at(pi, x)), None)
                                    if ot is not None and ot.m.cls in ("Country", "Place"):
                                        self.add(m, "locatedIn", ot.m, pi, tm.root, "kg.relations.v1:apposition", 0.75)
                if m.key and m.key.startswith("place:") and tm.country:
                    cm = self._country_mention(tm.country, tm)
                    if cm is not None and (m.key, tm.country) not in done:
                        done.add((m.key, tm.country))
                        self.add(m, "locatedIn", cm, pi, tm.root, "kg.gazetteer.v1:capital", 0.9)


def extract(doc: Document, paras: list[Paragraph], gz: Gazetteer) -> Extraction:
    """Read one parsed document (see module doc)."""
    return _Doc(doc, paras, gz).run()

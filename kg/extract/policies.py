"""Policy mentions (noun phrases headed by a policy term) and sector mentions.

A policy mention carries what its phrase states: instrument, rate, amount,
status, and the tokens that name its imposer ("US tariffs", "China's
duties") and its targets ("on Chinese imports", "targeting … semiconductors").
Relations are drawn from these by :mod:`kg.extract.relations`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy

from spacy.attrs import LEMMA, LOWER, POS, SENT_START
from spacy.matcher import PhraseMatcher
from spacy.parts_of_speech import NOUN, PROPN, VERB
from spacy.tokens import Doc, Token

from kg.extract import lexicon as L
from kg.extract.syntax import is_possessive
from kg.extract.mentions import TM, _is_date_word, _mk, _trim
from kg.gazetteer import Gazetteer
from kg.model import PolicyFacts
from kg.nlp import RECASED, SPANS_KEY, Paragraph


_RATE = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|(?:" + L.alternation(L.PERCENT_WORDS) + r")\b)")
# "$34 billion", "C$30 billion", "US$5bn", "€2.1 billion", "50 billion yuan"
_AMOUNT = re.compile(
    r"(?:(?<![A-Za-z])(?:[A-Z]{1,3})?[$€£¥]\s?\d[\d.,]*(?:\s?(?:" + L.alternation(L.AMOUNT_SCALES) + r")\b)?"
    r"|\b\d[\d.,]*\s?(?:" + L.alternation(L.AMOUNT_SCALES_SPELLED) + r")\s(?:" + L.alternation(L.CURRENCY_WORDS) + r")\b)"
)
_NAMED_LAW = re.compile(r"\b(?:" + L.alternation(L.SECTION_WORDS) + r")\s+\d[\d-]*[A-Za-z]?\b")
# the capitalised last word of a measure's name, and the nouns of list removals: what the text
# must hold before the parse is read for named measures
_NAMED_HEAD_FORMS = sorted({w.title() for w in L.NAMED_HEADS} | {w.upper() for w in L.NAMED_HEADS})
_NAMED_HEAD = re.compile(r"\b(?:" + L.alternation(_NAMED_HEAD_FORMS) + r")\b")


@lru_cache(maxsize=4)
def _sector_hashes(vocab) -> tuple[frozenset[int], frozenset[int]]:
    """The string ids in ``vocab`` of the goods cue words (trade activities, sector nouns)
    and of the targeting verbs' lemmas, to meet a doc's arrays."""
    return (frozenset(vocab.strings.add(w) for w in L.TRADE_ACTIVITIES | L.SECTOR_NOUNS),
            frozenset(vocab.strings.add(w) for w in L.TARGETING_VERBS))
_LIST_CHANGE = re.compile(r"(?i)\b(?:" + L.alternation(L.LIST_REMOVALS | L.LIST_ADDITIONS) + r")\b")


@dataclass(eq=False)
class PolicyTM:
    tm: TM
    head: Token
    instrument: str
    long_text: str  # the phrase with its prepositional modifiers, for an alias
    facts: PolicyFacts
    imposer_toks: list[Token] = field(default_factory=list)
    target_roots: list[Token] = field(default_factory=list)  # subtrees holding the targets
    specific: bool = False  # has a rate, an imposer, a target or a name
    reason_roots: list[Token] = field(default_factory=list)  # "for buying Iranian petrochemicals"


def family(instrument: str) -> str:
    return L.FAMILY.get(instrument, instrument)


def _term_at(tok: Token, gz: Gazetteer) -> tuple[str, int] | None:
    """(instrument, start token index) if a policy term ends at ``tok``."""
    if tok.i > 0:
        two = f"{tok.doc[tok.i - 1].lower_} {tok.lower_}"
        if two in gz.policy_terms:
            return gz.policy_terms[two], tok.i - 1
    for form in (tok.lower_, tok.lemma_.lower()):
        if form in gz.policy_terms and " " not in form:
            return gz.policy_terms[form], tok.i
    if _is_action_against(tok):
        return "measure", tok.i
    return None


def _is_action_against(tok: Token) -> bool:
    """ "Treasury is taking action against Russia's top financial institutions": in sanctions
    releases "take action against X" is the measure itself (not legal or military action)."""
    return (tok.lower_ in L.ACTION_NOUNS and tok.dep_ == "dobj" and tok.head.lemma_ in L.ACTION_VERBS
            and any(c.dep_ == "prep" and c.lower_ in L.ACTION_PREPS for c in tok.children)
            and not any(c.lower_ in L.NOT_MEASURE_ACTIONS for c in tok.lefts))


def _verb_of_object(tok: Token) -> Token | None:
    """The verb ``tok`` is the object of, also through a quantifier ("lifted most of its tariffs")."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in L.PARTITIVES:
        tok = tok.head.head
    if tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
        return tok.head
    return None


def _status(head: Token, left: list[Token]) -> str | None:
    for t in left:
        if t.lower_ in L.STATUS_CUES:
            return L.STATUS_CUES[t.lower_]
    gov = head.head
    if head.dep_ in ("dobj", "nsubjpass", "pobj", "conj") and gov.pos_ in ("VERB", "AUX", "ADP"):
        if gov.pos_ == "ADP":
            gov = gov.head
            if gov.lower_ in L.PARTITIVES and gov.head.pos_ == "VERB":
                gov = gov.head  # "lifted most of its counter-tariffs"
        if gov.lemma_ in L.STATUS_CUES:
            return L.STATUS_CUES[gov.lemma_]
    for c in head.children:
        if c.dep_ == "acl" and c.lemma_ in L.STATUS_CUES:
            return L.STATUS_CUES[c.lemma_]
    return None


_NOUNS = frozenset((NOUN, PROPN))


def _candidates(sdoc: Doc, last_words: frozenset[str], terms: dict[str, str]) -> list[int]:
    """Indices of nouns whose lower form or lemma ends a policy term (what ``_term_at`` can
    match), read from the doc's arrays: a ``Token`` object per word cost more than the rest
    of the policy pass. A two-word term counts whatever the tagger made of its second word
    ("imposing asset freezes on …" tags "freezes" as a verb)."""
    strings = sdoc.vocab.strings
    rows = sdoc.to_array([LOWER, LEMMA, POS]).tolist()
    out = []
    for i, (low, lem, pos) in enumerate(rows):
        if not (strings[low] in last_words or strings[lem].lower() in last_words or strings[low] in L.ACTION_NOUNS):
            continue
        if pos in _NOUNS or i > 0 and rows[i - 1][2] in _NOUNS and f"{strings[rows[i - 1][0]]} {strings[low]}" in terms:
            out.append(i)
    return out


def policy_mentions(p: Paragraph, para_index: int, gz: Gazetteer, taken: set[int], sent_base: int) -> list[PolicyTM]:
    sdoc = p.spacy_doc
    out: list[PolicyTM] = []
    used: set[int] = set()
    # measures named by a number, first ("Section 301 of the Trade Act of 1974", "Executive Order 14257")
    for m in _NAMED_LAW.finditer(p.text):
        span = sdoc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None or any(t.i in used for t in span):
            continue
        end = span.end
        # extend with "of the Trade Act of 1974"
        while end < len(sdoc) and (sdoc[end].lower_ in L.LAW_NAME_JOINERS or sdoc[end].text[:1].isupper() or sdoc[end].like_num):
            end += 1
        span = sdoc[span.start : end]
        span = _trim(span) or span
        tm = TM(para_index, span, _mk(p, span, "Policy", None, "pattern", sent_base), extra={"instrument": "law"})
        out.append(PolicyTM(tm=tm, head=span.root, instrument="law", long_text=span.text,
                            facts=PolicyFacts(instrument="law"), specific=True))
        used.update(range(span.start, span.end))
    # measures known by their names ("the Agreement on Fisheries Subsidies"), before the terms
    out += named_measures(p, para_index, gz, used, sent_base)
    for i in _candidates(sdoc, gz.policy_last_words, gz.policy_terms):
        tok = sdoc[i]
        if tok.i in used:
            continue
        hit = _term_at(tok, gz)
        if hit is None:
            continue
        instrument, start = hit
        # "counter-tariffs", "anti-dumping duties": spaCy splits the hyphenated word; the prefix
        # belongs to the measure's name (and makes it a counter-measure)
        if start >= 2 and sdoc[start - 1].text == "-" and sdoc[start - 2].lower_ in L.MEASURE_PREFIXES:
            start -= 2
        # a policy word modifying another noun ("tariff battle", "sanctions regime" stays)
        if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
            h = _term_at(tok.head, gz)
            if h is None and tok.head.lower_ not in L.CARRIER_NOUNS:
                continue
            if h is None:
                # "sanctions announcement", "sanctions package": the measure is the modifier
                pass
            else:
                # "tariff measures": the head noun carries the phrase, the modifier the instrument
                continue
        if tok.i in taken and not (tok.ent_type_ in ("ORG", "LAW") and instrument in ("entityListing", "law")):
            continue
        # instrument of a generic head from its modifier ("tariff measures" -> tariff)
        for c in tok.lefts:
            if c.dep_ == "compound":
                h = _term_at(c, gz)
                if h is not None and h[0] != "measure":
                    instrument = h[0] if instrument == "measure" else instrument
        left = [c for c in tok.lefts if c.dep_ in ("amod", "compound", "nummod", "nmod", "quantmod", "npadvmod", "poss", "advmod")]
        if tok.dep_ == "compound" and tok.head.lower_ in L.CARRIER_NOUNS:
            # "President Biden’s initial sanctions announcement": the carrier's modifiers are the measure's
            left += [c for c in tok.head.lefts if c.dep_ in ("amod", "poss", "compound", "nmod") and c.i < tok.i]
        # a verb-attached target: "imposed 25 percent tariffs on more than 800 Chinese products"
        verb_roots = []
        verb = _verb_of_object(tok)
        if verb is not None:
            verb_roots = [g for c in verb.children if c.dep_ == "prep" and c.lower_ in L.VERB_TARGET_PREPS and c.i > tok.i
                          for g in c.children if g.dep_ == "pobj"]
        lo = min([start] + [c.left_edge.i for c in left])
        # "a fourth round of sanctions": the quantity noun belongs to the phrase
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN" and tok.head.head.lower_ in L.QUANTITY_NOUNS:
            q = tok.head.head
            lo = min(lo, min([q.i] + [c.left_edge.i for c in q.lefts if c.dep_ != "det"]))
            left = left + [c for c in q.lefts if c.dep_ in ("amod", "compound", "poss", "nmod")]
            q_targets = [g for c in q.rights if c.dep_ == "prep" and c.lower_ in L.NOUN_TARGET_PREPS for g in c.children if g.dep_ == "pobj"]
        else:
            q_targets = []
        # never start inside a person/organisation name that is not a modifier, nor inside a
        # measure named before ("the Trade Act tariffs": the law, then the tariffs)
        lo = max([lo] + [t + 1 for t in used if lo <= t < tok.i])
        span = sdoc[lo : tok.i + 1]
        span = _trim(span) or sdoc[start : tok.i + 1]
        if is_possessive(span[0]):
            span = sdoc[span.start + 1 : span.end]
        # the phrase with its prepositional target ("duty on Chinese imports")
        end = tok.i + 1
        target_roots: list[Token] = []
        reason_roots: list[Token] = []
        for c in tok.rights:
            # "an investigation into China's shipbuilding practices": the investigated party
            if c.dep_ == "prep" and (c.lower_ in L.NOUN_TARGET_PREPS or c.lower_ == "into" and instrument == "investigation"):
                pobj = [g for g in c.children if g.dep_ == "pobj"]
                if pobj:
                    target_roots.append(pobj[0])
                    end = max(end, c.right_edge.i + 1)
                # "on drones … and on firms …": a coordinated preposition names more targets
                target_roots += [g for p2 in c.children if p2.dep_ == "conj" and p2.pos_ == "ADP"
                                 for g in p2.children if g.dep_ == "pobj"]
            elif c.dep_ == "prep" and c.lower_ == "for" and any(g.dep_ == "pcomp" for g in c.children):
                # "sanctions on 11 entities for buying and selling Iranian petrochemicals": the trade
                # the measure is aimed at (its sectors become targets in kg.extract)
                reason_roots += [g for g in c.children if g.dep_ == "pcomp"]
            elif c.dep_ == "prep" and c.lower_ in L.RATE_PREPS and _RATE.search(sdoc[c.i : c.right_edge.i + 1].text):
                end = max(end, c.right_edge.i + 1)  # "tariffs of 15%", "duties at 25 percent": the rate
                # "tariffs of 25% on steel and 10% on aluminium": what each rate is put on
                target_roots += [g for t in c.subtree if t.dep_ == "prep" and t.lower_ in L.NOUN_TARGET_PREPS
                                 for g in t.children if g.dep_ == "pobj"]
            elif c.dep_ == "conj" and _RATE.search(sdoc[c.left_edge.i : c.i + 1].text):
                # "tariffs of 10% on aircraft, and 25% on a range of other goods": a rate coordinated
                # with the measure names more of what it is put on
                target_roots += [g for p2 in c.children if p2.dep_ == "prep" and p2.lower_ in L.NOUN_TARGET_PREPS
                                 for g in p2.children if g.dep_ == "pobj"]
            elif c.dep_ in ("acl", "relcl") and c.lemma_ in L.TARGET_VERBS:
                for g in c.children:
                    if g.dep_ in ("dobj", "attr"):
                        target_roots.append(g)
                    if g.dep_ == "prep" and g.lower_ in L.CLAUSE_TARGET_PREPS:
                        target_roots += [x for x in g.children if x.dep_ == "pobj"]
        target_roots += q_targets + verb_roots
        if verb is not None:  # "announced sanctions on four firms for transporting Venezuelan oil"
            reason_roots += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "for" and c.i > tok.i
                             for g in c.children if g.dep_ == "pcomp"]
        long_text = sdoc[span.start : min(end, span.start + 25)].text
        imposer = [c for c in left if c.dep_ in ("poss", "compound", "amod", "nmod") and (c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") or c.text[:1].isupper())]
        # "its tariffs", "their sanctions": the owner is resolved with the clause (kg.extract)
        imposer += [c for c in left if c.dep_ == "poss" and c.lower_ in L.OWNER_PRONOUNS]
        phrase = sdoc[span.start : end].text
        rate = _RATE.search(phrase)
        reach = max([end] + [r.right_edge.i + 1 for r in target_roots])
        amount = _AMOUNT.search(sdoc[span.start : min(len(sdoc), reach + 6)].text)
        facts = PolicyFacts(
            instrument=instrument,
            rate=rate.group(1) if rate else None,
            status=_status(tok, left),
            amount=amount.group(0) if amount else None,
        )
        named = bool(_NAMED_LAW.search(span.text)) or tok.ent_type_ in ("LAW",) or (tok.pos_ == "PROPN" and tok.text[:1].isupper()) \
            or any(t.text in L.NAME_QUOTES for t in sdoc[max(0, span.start - 6) : tok.i])
        tm = TM(para_index, span, _mk(p, span, "Policy", None, "pattern", sent_base), extra={"instrument": instrument})
        out.append(PolicyTM(tm=tm, head=tok, instrument=instrument, long_text=long_text, facts=facts,
                            imposer_toks=imposer, target_roots=target_roots, reason_roots=reason_roots,
                            specific=bool(rate or imposer or target_roots or named)))
        used.update(range(span.start, span.end))
    return out


def _capitalised(tok: Token, recased: str | None) -> bool:
    """Is ``tok`` a capitalised word of a name (on a title-case line: one its re-reading kept)?"""
    return tok.text[:1].isupper() and tok.pos_ != "DET" and not (recased and recased[tok.idx].islower())


def named_measures(p: Paragraph, para_index: int, gz: Gazetteer, used: set[int], sent_base: int) -> list[PolicyTM]:
    """Measures known by their names, whatever the NER made of them (an organisation, or
    nothing): a run of capitalised words ending in a measure's name word ("the Inflation
    Reduction Act", "the CHIPS and Science Act", "the Belt and Road Initiative"), with what
    continues it after "of", "for" or "on" ("the Trade Expansion Act of 1962"); and the removal
    of a party from a list or its addition to one ("South Korea's removal from the list of
    trusted trading partners"), whose possessor is its target unless "of" names it. ``used``: tokens already in a
    measure's phrase, updated."""
    sdoc, text = p.spacy_doc, p.text
    out: list[PolicyTM] = []
    recased = sdoc.user_data.get(RECASED)
    heads = list(_NAMED_HEAD.finditer(text)) if any(w in text for w in _NAMED_HEAD_FORMS) else []
    gaz = {t for s in sdoc.spans.get(SPANS_KEY, ()) for t in range(s.start, s.end)} if heads else set()
    for m in heads:
        head = sdoc.char_span(m.start(), m.end())
        if head is None or head.start in used or head.start in gaz or not _capitalised(head[0], recased):
            continue
        h = head[0]
        start = h.i
        while start > 0:
            prev = sdoc[start - 1]
            if _capitalised(prev, recased) and prev.tag_ != "POS":
                start -= 1
            elif prev.lower_ in L.MEASURE_NAME_JOINERS and start > 1 and _capitalised(sdoc[start - 2], recased):
                start -= 1
            else:
                break
        end = h.i + 1
        if end < len(sdoc) and _capitalised(sdoc[end], recased) or h.dep_ == "compound" and h.head.i > h.i:
            continue  # not the name's last word ("the Economic Partnership Agreement", "Caesar Act sanctions")
        # "… of 1962", "… for Fiscal Year 2026", but not "… of 2024 on Tuesday"
        while end + 1 < len(sdoc) and sdoc[end].lower_ in L.MEASURE_NAME_JOINERS and sdoc[end].text[:1].islower() \
                and (sdoc[end + 1].like_num or _capitalised(sdoc[end + 1], recased)) \
                and not _is_date_word(sdoc[end + 1]) and end - start < 16:
            end += 2
            while end < len(sdoc) and (sdoc[end].like_num or _capitalised(sdoc[end], recased)) \
                    and not _is_date_word(sdoc[end]):
                end += 1
        if start == h.i and end == h.i + 1:
            continue  # "the Act" alone refers back; a name has more words than its head
        span = sdoc[start:end]
        if any(t.i in used for t in span):
            continue
        instrument = L.NAMED_HEADS[h.lower_]
        tm = TM(para_index, span, _mk(p, span, "Policy", None, "pattern", sent_base),
                extra={"instrument": instrument, "named": True})
        out.append(PolicyTM(tm=tm, head=h, instrument=instrument, long_text=span.text,
                            facts=PolicyFacts(instrument=instrument), specific=True))
        used.update(range(span.start, span.end))
    lower = text.lower()
    for m in _LIST_CHANGE.finditer(text) if any(w in lower for w in L.LIST_NOUNS) else ():
        noun = sdoc.char_span(m.start(), m.end())
        if noun is None or noun.start in used or noun[0].pos_ != "NOUN":
            continue
        n = noun[0]
        # the list hangs from the noun, or from the verb the noun is the object of
        # ("protested Japan's removal from its list …")
        preps = [c for c in n.children if c.dep_ == "prep"]
        if n.dep_ == "dobj":
            preps += [c for c in n.head.children if c.dep_ == "prep" and c.i > n.i]
        lists = [g for c in preps if c.lower_ in L.LIST_PREPS
                 for g in c.children if g.dep_ == "pobj" and (g.lemma_.lower() in L.LIST_NOUNS
                                                              or gz.policy_terms.get(g.lower_) == "entityListing")]
        if not lists:
            continue
        span = sdoc[min([n.i] + [c.left_edge.i for c in n.lefts if c.dep_ != "poss"]) : lists[0].right_edge.i + 1]
        span = _trim(span) or span
        if any(t.i in used for t in span):
            continue
        instrument = "entityListing" if n.lower_ in L.LIST_ADDITIONS else "measure"
        tm = TM(para_index, span, _mk(p, span, "Policy", None, "pattern", sent_base),
                extra={"instrument": instrument, "named": True})
        # the party taken off: after "of" ("Tokyo's removal of Seoul from …", whose possessor
        # acts), else the possessor ("South Korea's removal from …")
        owners = [c for c in n.children if c.dep_ == "poss"]
        parties = [g for c in n.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        out.append(PolicyTM(tm=tm, head=n, instrument=instrument, long_text=span.text,
                            facts=PolicyFacts(instrument=instrument), target_roots=parties or owners,
                            imposer_toks=owners if parties else [], specific=True))
        used.update(range(span.start, span.end))
    return out


@lru_cache(maxsize=4)
def _sector_matcher(vocab_id: int, vocab, terms: tuple[str, ...]) -> PhraseMatcher:
    # Patterns are tokenised by spaCy's English tokenizer rules (the same
    # rules every English pipeline uses) and rebuilt on the document's vocab.
    tok = _english_tokenizer()
    m = PhraseMatcher(vocab, attr="LOWER")
    m.add("SECTOR", [Doc(vocab, words=[t.text for t in tok(term)]) for term in terms])
    return m


@lru_cache(maxsize=1)
def _english_tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def sector_mentions(p: Paragraph, para_index: int, gz: Gazetteer, taken: set[int], sent_base: int) -> list[TM]:
    if not gz.sectors:
        return []
    sdoc = p.spacy_doc
    matcher = _sector_matcher(id(sdoc.vocab), sdoc.vocab, gz.sector_terms)
    spans = [sdoc[s:e] for _, s, e in matcher(sdoc)]
    spans = sorted(spans, key=lambda s: (-(s.end - s.start), s.start))
    out: list[TM] = []
    used: set[int] = set(taken)
    recased = sdoc.user_data.get(RECASED)
    for s in spans:
        if any(t.i in used for t in s):
            continue
        if s.root.pos_ not in ("NOUN", "PROPN"):  # "will travel", "chip in"
            continue
        # a sector word inside a longer proper name is not a sector ("Energy Department"), nor is
        # one capitalised inside a sentence, a title's domain ("Minister of Trade, Tourism and …");
        # on a title-case line, the re-reading says which words are names (kg.nlp.recase)
        if s.end < len(sdoc) and sdoc[s.end].text[:1].isupper() and sdoc[s.end].pos_ == "PROPN":
            continue
        first = s[0]
        if first.text[:1].isupper() and first.text[1:].islower() and first.i != first.sent.start and (
                recased is None or not recased[first.idx].islower()):
            continue
        # a compound modifier of something else ("energy security") is not the sector itself
        if s.root.dep_ == "compound" and s.root.head.i >= s.end and s.root.head.lower_ not in L.SECTOR_GENERIC_HEADS:
            continue
        label = gz.sectors[s.text.lower()]
        used.update(range(s.start, s.end))
        out.append(TM(para_index, s, _mk(p, s, "Sector", f"sector:{label}", "gazetteer", sent_base)))
    return out


def target_sectors(p: Paragraph, para_index: int, gz: Gazetteer, pols: list[PolicyTM], used: set[int],
                   sent_base: int) -> list[TM]:
    """Sectors read from the construction, gazetteer or not: the goods a measure is put on
    ("a duty on Australian barley", "levies of 30% on bicycles"), the goods of a trade
    activity in a measure's sentence ("restrictions on the export of 9 chemical precursors",
    "their procurement of microelectronics", "barley exports"), the members of goods or of
    industries ("a range of other products, including wool sweaters and cheese", "industries,
    including those related to shipbuilding and rail maintenance"), and the sectors a measure
    hits by name ("its fishing, tourism and banking sectors"). Only common nouns that are no
    actor, no generic goods and no measure; the name is the noun with its noun modifiers and
    classifying adjectives ("chemical precursors", not "high-priority" or "Australian").
    ``used``: tokens already in a mention (not read again)."""
    sdoc = p.spacy_doc
    # the cue words and verbs are found in the doc's arrays (no Token per word, no regex scan)
    cue_hashes, verb_hashes = _sector_hashes(sdoc.vocab)
    rows = sdoc.to_array([LOWER, LEMMA, POS, SENT_START])
    verbs = [sdoc[int(i)] for h in verb_hashes.intersection(rows[:, 1].tolist())
             for i in numpy.nonzero((rows[:, 1] == h) & (rows[:, 2] == VERB))[0]]
    if not pols and not verbs:
        return []
    cues = sorted(int(i) for h in cue_hashes.intersection(rows[:, 0].tolist())
                  for i in numpy.nonzero((rows[:, 0] == h) & (rows[:, 2] == NOUN))[0])
    gaz: list[set[int]] = []  # the gazetteer's tokens, made when first asked for

    def in_gazetteer(i: int) -> bool:
        if not gaz:
            gaz.append({t for s in sdoc.spans.get(SPANS_KEY, ()) for t in range(s.start, s.end)})
        return i in gaz[0]

    seen = set(used)
    out: list[TM] = []

    def emit(h: Token) -> None:
        start = h.i
        while start > 0:
            t = sdoc[start - 1]
            if t.i in seen or t.head.i < start or t.head.i > h.i or not t.is_alpha or not t.is_lower or in_gazetteer(t.i):
                break
            if not (t.dep_ == "compound" and t.pos_ in ("NOUN", "PROPN") or t.dep_ == "amod" and t.pos_ == "ADJ"
                    and t.tag_ == "JJ" and t.lower_ not in L.NOT_CLASSIFYING):
                break
            start -= 1
        span = sdoc[start : h.i + 1]
        if any(t.i in seen for t in span):
            return
        text = span.text.lower()
        label = gz.sectors.get(text, text)
        seen.update(range(span.start, span.end))
        out.append(TM(para_index, span, _mk(p, span, "Sector", f"sector:{label}", "pattern", sent_base)))

    visited: set[int] = set()

    def read(h: Token, depth: int = 0) -> None:
        if depth > 8 or h.i in visited:
            return
        visited.add(h.i)
        low = h.lower_
        actor = low in L.NOT_SECTORS or low in L.ACTOR_HEADS or low in L.LISTED_NOUNS
        generic = (h.pos_ == "PRON" or actor or low in L.GOODS_NOUNS or low in L.SECTOR_NOUNS
                   or low in L.THROUGH_NOUNS or low in gz.policy_terms or h.lemma_.lower() in gz.policy_terms)
        if generic or low in L.TRADE_ACTIVITIES:
            for c in h.children:
                # "a range of …", "investment in …", "goods, including …", "those related to …"; an actor or
                # an abstract noun is read through what it includes, never through its "of" ("the basis of")
                such_as = c.lower_ == "as" and any(x.lower_ in L.INCLUSION_WORDS for x in c.lefts)  # "such as"
                if c.dep_ == "prep" and (c.lower_ in L.INCLUSION_WORDS or such_as or not actor and (
                        c.lower_ == "of" or c.lower_ == "in" and low in L.TRADE_ACTIVITIES)) \
                        or c.dep_ in ("acl", "amod") and c.pos_ == "VERB":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            read(g, depth + 1)
                        elif g.dep_ == "prep":
                            for x in g.children:
                                if x.dep_ == "pobj":
                                    read(x, depth + 1)
                elif c.dep_ == "appos":
                    read(c, depth + 1)
                elif c.dep_ in ("compound", "nmod") and c.pos_ == "NOUN" and (
                        low in L.TRADE_ACTIVITIES or low in L.SECTOR_NOUNS or low in L.THROUGH_NOUNS or low in L.GOODS_NOUNS):
                    read(c, depth + 1)  # "barley exports", "its construction … sectors", "oil traders", "drone parts"
            # "its fishing, tourism and banking sectors", "drone parts and turbine components"
            for c in h.conjuncts:
                read(c, depth + 1)
            return
        # a common noun (a lower-case word the tagger called a name is one: "Canadian canola")
        if h.i in seen:  # already a sector or a name: its coordinated nouns may still be goods
            for c in h.conjuncts:
                read(c, depth + 1)
            return
        if h.pos_ not in ("NOUN", "PROPN") or not h.is_alpha or not h.is_lower or h.ent_type_ or in_gazetteer(h.i):
            return
        if low.endswith("ing") and (low[:-3] in gz.policy_terms or low[:-3] in L.MEASURE_LEMMAS) or any(
                c.dep_ in ("dobj", "agent") or c.dep_ == "prep" and c.lower_ == "by" for c in h.children):
            return  # an act, not goods ("including sanctioning by far its two largest banks")
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in h.children):
            return  # a part or a use of something ("the core infrastructure of …", "the use of force")
        acts = [c for c in h.children if c.dep_ == "acl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
        if acts:  # "China's ability to make advanced chips": what the ability is for names the goods
            for a in acts:
                for c in a.children:
                    if c.dep_ == "dobj":
                        read(c, depth + 1)
            return
        emit(h)
        for c in h.conjuncts:
            read(c, depth + 1)

    for pt in pols:
        # what the measure is put on, also through coordinated rates ("levies of 15% on X and 30% on Y")
        for x in [pt.head, *pt.head.conjuncts]:
            for c in x.children:
                if c.dep_ == "prep" and c.lower_ in L.SECTOR_TARGET_PREPS:
                    for g in c.children:
                        if g.dep_ == "pobj":
                            read(g)
        for r in pt.target_roots + pt.reason_roots:
            read(r)
    # in a measure's sentence: trade activities and sector nouns, and what a targeting verb hits
    if cues:
        sent_of = (rows[:, 3] == 1).cumsum()  # the sentence of each token
        measure_sents = {sent_of[pt.head.i] for pt in pols} | {sent_of[v.i] for v in verbs}
        for i in cues:
            if sent_of[i] in measure_sents:
                read(sdoc[i])
    for v in verbs:
        for c in v.children:
            if c.dep_ in ("dobj", "nsubjpass"):
                read(c)
    return out

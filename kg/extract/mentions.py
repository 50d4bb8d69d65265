"""Entity mentions of one parsed paragraph: NER and gazetteer merged, typed, keyed.

Pure functions over spaCy docs (tested with hand-built ``Doc`` objects and
with the model). Each mention keeps its token span (``TM.span``) for the
relation extractors and its document offsets (``TM.m``) for NIF.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Collection

from spacy.tokens import Span, Token

from kg.extract import lexicon as L
from kg.extract.syntax import is_possessive
from kg.extract.dates import MONTHS, WEEKDAYS
from kg.gazetteer import Gazetteer, agency_domain
from kg.model import Mention
from kg.nlp import RECASED, SPANS_KEY, Paragraph

@dataclass(eq=False)
class TM:
    """A mention with its token span inside a parsed paragraph."""

    para: int
    span: Span
    m: Mention
    country: str | None = None  # ISO3 the mention belongs to (agencies, demonyms, people)
    domain: str | None = None  # agency domain ("commerce")
    extra: dict = field(default_factory=dict)

    @property
    def root(self) -> Token:
        return self.span.root

    def covers(self, tok: Token) -> bool:
        return self.span.start <= tok.i < self.span.end


def _trim(span: Span) -> Span | None:
    """Drop a leading determiner and trailing possessive/punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in L.LEADING_DROP or doc[start].text in L.LEADING_QUANTIFIERS or doc[start].is_punct):
        start += 1
    for k in range(start, end):
        if doc[k].text in L.OPEN_BRACKETS and k > start:
            end = k
            break
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].lower_ in L.POSSESSIVES):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


def _is_date_word(tok: Token) -> bool:
    """A weekday, a word of time ("today"), a month before its day ("March 3") or a word the
    NER read as part of a date or time: never part of a name ("Minister Jane Roe Tuesday
    said"). A month alone may be a name ("Theresa May")."""
    low = tok.lower_.rstrip(".")
    if low in WEEKDAYS or low in L.TIME_WORDS:
        return True
    if tok.ent_type_ in L.DATE_LABELS and not tok.like_num:
        return True
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return low in MONTHS and nxt is not None and nxt.like_num


def _cut_dates(span: Span) -> Span:
    """``span`` without the date words at its end ("Jane Roe Tuesday" → "Jane Roe")."""
    end = span.end
    while end - span.start > 1 and _is_date_word(span.doc[end - 1]):
        end -= 1
    return span.doc[span.start : end] if end < span.end else span


_CREDIT_WORD = re.compile(r"(?i)\b(?:" + L.alternation(L.CREDIT_WORDS) + r")\b")
_CREDITS = (
    re.compile(r"\([^()\n]*\b(?i:" + L.alternation(L.CREDIT_WORDS) + r")\b[^()\n]*\)"),  # (AP Photo/Jane Roe)
    # Photo: Jane Roe/Getty Images (a label before capitalised names; "FILE PHOTO: Trucks wait …" is a caption)
    re.compile(r"\b(?i:" + L.alternation(L.CREDIT_WORDS) + r")\s*:\s*[A-Z][\w.&'’-]*(?:[ /][A-Z][\w.&'’-]*)*"),
    # REUTERS/Jane Roe/File Photo: capitalised words joined by slashes, one of them a credit word
    re.compile(r"[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*)*(?:/[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*)*)+"),
)


def credit_regions(text: str) -> list[tuple[int, int]]:
    """Character ranges of a paragraph's photo credits: the names in them are page furniture.

    >>> credit_regions("Crowds in Halifax. (AP Photo/Jane Roe)")[0], credit_regions("Peace/War")
    ((19, 38), [])
    """
    lower = text.lower()
    if not any(w in lower for w in L.CREDIT_WORDS) or not _CREDIT_WORD.search(text):
        return []
    return [m.span() for rx in _CREDITS for m in rx.finditer(text) if _CREDIT_WORD.search(m.group())]


def _cut_at_label(span: Span) -> Span | None:
    """A name never runs over a spaced dash or a colon: "FILE - Canada's" is a caption's label,
    then a name. The part after a label in capitals is kept, else the part before."""
    doc = span.doc
    for k in range(span.start + 1, span.end - 1):
        t = doc[k]
        if (t.text in L.DASHES and t.whitespace_ and doc[k - 1].whitespace_) or t.text == ":":
            before = doc[span.start : k]
            return _trim(doc[k + 1 : span.end]) if before.text.isupper() else _trim(before)
    return span


def _abstract(tok: Token) -> bool:
    """A word with the ending of an abstract noun ("Competitiveness"): a title's domain, no name."""
    return len(tok.text) > 5 and tok.lower_.endswith(L.ABSTRACT_SUFFIXES)


_SURNAMES: dict[int, frozenset[str]] = {}


def _surnames(gz: Gazetteer) -> frozenset[str]:
    """The last names of the gazetteer's people ("Biden"), made once per gazetteer."""
    if id(gz) not in _SURNAMES:
        _SURNAMES[id(gz)] = frozenset(e.label.split()[-1] for e in gz.entries.values() if e.cls == "Person")
    return _SURNAMES[id(gz)]


_ADMINISTRATION = re.compile(r"(?i)\b(?:" + L.alternation(L.ADMINISTRATION_WORDS) + r")\b")
_COMPANY_NOUN = re.compile(r"(?i)\b(?:" + L.alternation(L.COMPANY_NOUNS) + r")s?\b")


def _acts_as_company(tok: Token) -> bool:
    """Is the one-word name ``tok`` a company by what the sentence says of it: an appositive
    company noun ("Kestrel, the Swedish truck maker, said …"), or, as a subject, the first
    possessive or personal pronoun after it in its sentence is "its" ("Norvana warned the
    sanctions would hit its exports"; "he", "his", "her" make it a person; "it" may be empty,
    as in "said it was time")?"""
    if any(c.dep_ == "appos" and c.lemma_.lower() in L.COMPANY_NOUNS for c in tok.children):
        return True
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    for t in tok.doc[tok.i + 1 :]:
        if t.is_sent_start:
            break
        if t.tag_ == "PRP$" or t.lower_ in L.PRONOUNS_PERSON:
            return t.tag_ == "PRP$" and t.lower_ in L.PRONOUNS_IT
    return False


def _select(cands: list[tuple[Span, str, str, str]], titles: Collection[str] = ()) -> list[tuple[Span, str, str, str]]:
    """Non-overlapping candidates, longer first; on equal length the gazetteer's, then a
    construction's (a title's name, "the Biden-Harris Administration"), then the NER's; and
    of those, one that does not open with a title ("Xi Jinping" over the alias "President Xi"
    in "President Xi Jinping": the title is the title rules' to read)."""
    rank = {"gazetteer": 0, "pattern": 1}
    order = sorted(cands, key=lambda c: (-(c[0].end - c[0].start), rank.get(c[3], 2),
                                         c[0][0].lower_ in titles, c[0].start))
    taken: set[int] = set()
    out = []
    for c in order:
        idx = set(range(c[0].start, c[0].end))
        if idx & taken:
            continue
        taken |= idx
        out.append(c)
    return sorted(out, key=lambda c: c[0].start)


def _is_location_use(tok: Token) -> bool:
    """Is this capital/place name used as a location ("in Beijing") rather than the state?"""
    head = tok
    if head.dep_ == "compound":
        return False
    if head.dep_ == "pobj":
        prep = head.head
        if prep.lower_ in L.LOCATION_PREPS:
            return True
        if prep.lower_ == "to" and prep.head.lemma_ in L.MOTION_VERBS:
            return True
        if prep.lower_ == "of" and prep.head.lower_ in L.DIRECTION_WORDS:
            return True
        if prep.lower_ == "from" and prep.head.lemma_ in L.MOTION_VERBS:
            return True
    # dateline: "WASHINGTON —" or "BEIJING, May 2 (Reuters) -"
    sent = tok.sent
    if tok.i == sent.start or (tok.i > 0 and tok.doc[tok.i - 1].text in ("\n",)):
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if tok.text.isupper() and len(tok.text) > 3:
            return True
        if nxt is not None and nxt.text in L.DASHES:
            return True
    if head.dep_ == "appos" or (head.head.ent_type_ in ("GPE",) and head.dep_ in ("npadvmod",)):
        return True
    # "Skopje, North Macedonia": a place followed by its country
    if tok.i + 2 < len(tok.doc) and tok.doc[tok.i + 1].text == "," and tok.doc[tok.i + 2].ent_type_ == "GPE":
        return True
    return False


def _extend_of(span: Span) -> Span:
    """'Chamber' + 'of Commerce', 'Bureau' + 'of Industry and Security': names continue after 'of'."""
    doc = span.doc
    end = span.end
    while end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].text[:1].isupper() and doc[end + 1].pos_ == "PROPN":
        k = end + 1
        while k < len(doc) and (doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper() or doc[k].lower_ in L.NAME_JOINERS and k + 1 < len(doc) and doc[k + 1].text[:1].isupper()):
            k += 1
        end = k
    return doc[span.start : end] if end > span.end else span


def _looks_like_place(span: Span) -> bool:
    """'Arkadelphia, Ark.', 'Mariupol, a major port city', 'the city of Mariupol'."""
    doc = span.doc
    root = span.root
    if any(c.dep_ == "appos" and c.lower_ in L.PLACE_NOUNS for c in root.children):
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in L.PLACE_NOUNS:
        return True
    j = span.end
    if j + 1 < len(doc) and doc[j].text == "," and doc[j + 1].ent_type_ == "GPE" and len(span) == 1:
        return True
    if j + 2 < len(doc) and doc[j].text == "," and doc[j + 1].text in L.ARTICLES:
        # the head of the appositive phrase, its last noun ("a major port city"; not the
        # modifier of "the state potash producer")
        k = j + 2
        while k < len(doc) and doc[k].pos_ in ("ADJ", "NOUN") and k < j + 6:
            k += 1
        return k > j + 2 and doc[k - 1].lower_ in L.PLACE_NOUNS
    return False


def _country_of_span(span: Span, gz: Gazetteer, gaz_by_tok: dict[int, tuple[str, str]]) -> str | None:
    """ISO3 of a country named inside or right before a span ("China's Ministry", "U.S. Treasury")."""
    doc = span.doc
    toks = list(span)
    # possessor or modifier just before the span
    if span.start > 0:
        j = span.start - 1
        if is_possessive(doc[j]) and j > 0:
            j -= 1
        toks = [doc[j]] + toks
    # "of China" right after
    if span.end + 1 < len(doc) and doc[span.end].lower_ == "of":
        toks.append(doc[span.end + 1])
        if doc[span.end + 1].lower_ == "the" and span.end + 2 < len(doc):
            toks.append(doc[span.end + 2])
    for t in toks:
        hit = gaz_by_tok.get(t.i)
        if hit and (hit[0].startswith("country:") or hit[0].startswith("capital:")):
            return hit[0].split(":", 1)[1]
    return None


def paragraph_mentions(p: Paragraph, para_index: int, gz: Gazetteer, sent_base: int) -> list[TM]:
    """All entity mentions of a paragraph (not yet coreference-resolved)."""
    sdoc = p.spacy_doc
    cands: list[tuple[Span, str, str, str]] = []  # span, label, key, source
    gaz_by_tok: dict[int, tuple[str, str]] = {}
    gspans = list(sdoc.spans.get(SPANS_KEY, []))
    for s in gspans:
        key, label = s.id_, s.label_
        # "the Department of the Treasury's Office of Foreign Assets Control": an alias
        # "Treasury's Office …" overlapping a name that ends at the owner keeps its part after "'s"
        poss = [t.i for t in s if t.tag_ == "POS" or t.lower_ in L.POSSESSIVES]
        if poss and any(o.start < s.start < o.end for o in gspans):
            tail = sdoc[poss[-1] + 1 : s.end]
            if len(tail) and gz.names.get(tail.text) == key:
                s = tail
        elif poss and poss[-1] + 1 < s.end and not sdoc[poss[-1] + 1].is_lower and any(
                o.start == s.start and o.end == poss[0] and o.id_ != key for o in gspans):
            # "China's Ministry of Commerce", "the Commerce Department’s Bureau of Industry and
            # Security": an owner the gazetteer names itself is a mention of its own when what it
            # owns is written as a name ("France's foreign ministry" is one mention of that ministry)
            s = sdoc[poss[-1] + 1 : s.end]
        cands.append((s, label or "ORG", key, "gazetteer"))
        for t in s:
            gaz_by_tok[t.i] = (key, label)
    people = title_names(sdoc, gz)
    person_toks = {t.i for sp in people for t in sp}
    for sp in credit_names(sdoc, p.text):
        if not any(t.i in person_toks for t in sp):
            people.append(sp)
            person_toks.update(t.i for t in sp)
    for sp in people:
        cands.append((sp, "PERSON", "", "pattern"))
    for e in sdoc.ents:
        if e.label_ not in L.NER_LABELS:
            continue
        t = _trim(e)
        if t is not None:
            t = _cut_at_label(t)
        while t is not None and (t[0].lower_ in L.MARKUP_WORDS or e.label_ == "PERSON" and _abstract(t[0])):
            t = t[1:] if len(t) > 1 else None  # "Infobox", "Competitiveness Lena Holm"
        if t is None:
            continue
        t = _cut_dates(t)
        if t[-1].lower_ in L.EVENT_HEADS and not ({x.lower_ for x in t} & L.AGENCY_WORDS):
            continue  # an event is no entity of the graph ("the Syrian Civil War")
        if (t[-1].lower_.endswith("s") and t[-1].lower_[:-1] in gz.titles and e.label_ in ("PERSON", "ORG")
                and not ({x.lower_ for x in t} & L.AGENCY_WORDS)):
            continue  # officials of a kind, not a name ("EU Ministers"; "the Council of Ministers" is a body)
        if any(tok.i in person_toks for tok in t) and not (e.label_ == "PERSON" and t.start in person_toks):
            continue  # an NER span that swallowed a titled name ("Commerce Gina Raimondo")
        if e.label_ == "ORG" and _in_title_phrase(sdoc, t.start, gz):
            continue  # part of a title: "Secretary of Commerce for Export Administration"
        if (e.label_ == "ORG" and t.end < len(sdoc) and _is_title(sdoc[t.end], gz)
                and not ({x.lower_ for x in t} & L.AGENCY_WORDS)):
            # the domain of a title, not a body ("Trade Minister Nguyen", "Trade Representative"); and
            # "EU Trade Commissioner" is the gazetteer's EU, then a title, not an "EU Trade" body
            continue
        if e.label_ == "PERSON" and len(t) >= 2 and t[-1].lower_ in L.COMPANY_SUFFIXES and t.start not in person_toks:
            cands.append((t, "ORG", "", "ner"))  # "Al-Zahra Trading", "Ruiz Holdings": a company
            continue
        if e.label_ == "PERSON" and len(t) == 1 and t.start not in person_toks and _acts_as_company(t[0]):
            cands.append((t, "ORG", "", "ner"))  # "Norvana warned … its exports": a company
            continue
        if (e.label_ in ("ORG", "GPE", "LOC") and len(t) >= 2 and all(x.pos_ == "PROPN" for x in t)
                and not any(x.i in gaz_by_tok for x in t)
                and not ({x.lower_ for x in t} & (L.AGENCY_WORDS | L.ORG_OVERRIDE_WORDS))
                and sum(1 for c in _name_list(t.root) if c.ent_type_ == "PERSON") >= 2):
            cands.append((t, "PERSON", "", "ner"))  # a name in a list of people ("A, B, C and D")
            continue
        # "the U.S. Commerce Department’s Bureau of Industry and Security": two bodies
        poss = [x.i for x in t if (x.tag_ == "POS" or x.lower_ in L.POSSESSIVES) and t.start < x.i < t.end - 1]
        if e.label_ == "ORG" and poss:
            left_part = _trim(sdoc[t.start : poss[0]])
            right_part = _trim(sdoc[poss[0] + 1 : t.end])
            for part in (left_part, right_part):
                if part is not None:
                    cands.append((part, "ORG", "", "ner"))
            continue
        cands.append((t, e.label_, "", "ner"))
    cands += [(sp, "PERSON", "", "pattern") for sp in _unread_listed_names(sdoc, gaz_by_tok)]
    # "Trump administration", "Biden administration" (the text tests save a pass of Token
    # objects over most paragraphs: making them is the largest cost of extraction)
    text_lower = p.text.lower()
    for m in _ADMINISTRATION.finditer(p.text) if any(w in text_lower for w in L.ADMINISTRATION_WORDS) else ():
        tok = sdoc.char_span(m.start(), m.end())
        tok = tok[0] if tok is not None and len(tok) == 1 else None
        if tok is not None and tok.i > 0:
            prev = sdoc[tok.i - 1]
            # the leader's name, or the names of a ticket ("the Biden-Harris Administration")
            first = prev.i
            while first >= 2 and sdoc[first - 1].tag_ == "HYPH" and sdoc[first - 2].tag_ == "NNP" \
                    and sdoc[first - 2].text[:1].isupper() and first - 2 not in gaz_by_tok:
                first -= 2
            leader = sdoc[first]
            known = leader.text in _surnames(gz) or prev.ent_type_ == "PERSON" or first < prev.i
            # "the Trump administration"; capitalised, a body's own name ("the Food and Drug
            # Administration") unless a person leads it
            if prev.text[:1].isupper() and prev.tag_ == "NNP" and prev.i not in gaz_by_tok and (
                    known or tok.text in L.ADMINISTRATION_WORDS and prev.ent_type_ in ("PERSON", "ORG")):
                start = first
                while start > 0 and sdoc[start - 1].ent_type_ == "PERSON" and sdoc[start - 1].text[:1].isupper():
                    start -= 1
                cands.append((sdoc[start : tok.i + 1], "ORG", f"administration:{leader.lower_}", "pattern"))
            elif prev.i in gaz_by_tok and gaz_by_tok[prev.i][0].startswith("country:"):
                # "the U.S. administration": the government of the day of that state
                gk = gaz_by_tok[prev.i][0]
                start = prev.i
                while start > 0 and gaz_by_tok.get(start - 1, ("",))[0] == gk:
                    start -= 1
                cands.append((sdoc[start : tok.i + 1], "ORG", f"administration:{gk.split(':', 1)[1].lower()}", "pattern"))
    # "Kestrel, the Swedish truck maker, said …": a name the NER missed, said to be a company
    for m in _COMPANY_NOUN.finditer(p.text) if any(w in text_lower for w in L.COMPANY_NOUNS) else ():
        tok = sdoc.char_span(m.start(), m.end())
        tok = tok[0] if tok is not None and len(tok) == 1 else None
        if tok is not None and tok.dep_ == "appos" and tok.head.pos_ not in ("PRON", "DET") \
                and tok.head.text[:1].isupper() and tok.head.ent_type_ in ("", "NORP", "PERSON") \
                and tok.head.i not in gaz_by_tok:
            h = tok.head
            start = h.i
            while start > 0 and sdoc[start - 1].dep_ == "compound" and sdoc[start - 1].head is h and sdoc[start - 1].text[:1].isupper():
                start -= 1
            cands.append((sdoc[start : h.i + 1], "ORG", "", "pattern"))
    for tok in sdoc if any(w in text_lower for w in L.COORDINATED_AGENCY_PLURALS) else ():
        if tok.lower_ in L.COORDINATED_AGENCY_PLURALS and tok.i + 4 < len(sdoc) and sdoc[tok.i + 1].lower_ == "of":
            # "the Departments of State and Treasury": one agency per coordinated name after "of"
            k, names = tok.i + 2, []
            while k < len(sdoc) and (sdoc[k].text[:1].isupper() or sdoc[k].lower_ in L.NAME_COORDINATORS):
                if sdoc[k].text[:1].isupper():
                    names.append(sdoc[k])
                k += 1
            if len(names) >= 2 and any(sdoc[x].lower_ in L.NAME_JOINERS for x in range(tok.i + 2, k)):
                cands = [c for c in cands if not (c[0].start <= k - 1 and tok.i <= c[0].end - 1)]
                cands += [(sdoc[n.i : n.i + 1], "ORG", "", "coordinated") for n in names]
        if tok.lower_ in L.COORDINATED_AGENCY_PLURALS and tok.i >= 3:
            # "the U.S. Treasury and State departments": one agency per coordinated name
            names, agencies = [], 0
            k = tok.i - 1
            while k >= 0 and (sdoc[k].text[:1].isupper() or sdoc[k].lower_ in L.NAME_COORDINATORS) and sdoc[k].pos_ != "DET":
                if sdoc[k].text[:1].isupper() and sdoc[k].i not in gaz_by_tok:
                    names.append(sdoc[k])
                elif sdoc[k].i in gaz_by_tok and gaz_by_tok[sdoc[k].i][0].startswith("agency:"):
                    agencies += 1
                k -= 1
            if len(names) + (1 if agencies else 0) >= 2 and any(sdoc[x].lower_ in L.NAME_JOINERS for x in range(k + 1, tok.i)):
                for n in names:
                    cands = [c for c in cands if not (c[0].start <= n.i < c[0].end)]
                    cands.append((sdoc[n.i : n.i + 1], "ORG", "", "coordinated"))
    credits = credit_regions(p.text)
    if credits:
        cands = [c for c in cands if not any(a <= c[0].start_char and c[0].end_char <= b for a, b in credits)]
    chosen = _select(cands, gz.titles)
    out: list[TM] = []
    for span, label, key, source in chosen:
        tm = _classify(span, label, key, source, gz, gaz_by_tok, p, para_index, sent_base)
        if tm is not None:
            out.append(tm)
    return _acronyms_as_defined(out, sdoc)


def _name_list(tok: Token) -> list[Token]:
    """The other heads of the list of proper names ``tok`` is in, joined by coordination or
    by apposition, as the parser strings "A, B, C and D" after a colon."""
    seen, todo = {tok.i}, [tok]
    while todo:
        t = todo.pop()
        near = [c for c in t.children if c.dep_ in ("conj", "appos")]
        if t.dep_ in ("conj", "appos"):
            near.append(t.head)
        for n in near:
            if n.i not in seen and n.tag_ in ("NNP", "NNPS"):
                seen.add(n.i)
                todo.append(n)
    return [tok.doc[i] for i in sorted(seen - {tok.i})]


def _unread_listed_names(sdoc, gaz_by_tok: dict) -> list[Span]:
    """Names the NER left out of a list of people: an item of two or more capitalised proper
    nouns (a first name and a surname) with no entity, listed with two or more people
    ("sanctioned four people: A B, C D, E F and G H", the first often unread)."""
    out: list[Span] = []
    seen: set[int] = set()
    for e in sdoc.ents:
        if e.label_ != "PERSON" or e.root.i in seen:
            continue
        chain = _name_list(e.root)
        seen.update(c.i for c in chain)
        if sum(1 for c in (e.root, *chain) if c.ent_type_ == "PERSON") < 3:
            continue
        for c in chain:
            start = c.i
            while start > 0 and sdoc[start - 1].dep_ == "compound" and sdoc[start - 1].head.i == c.i:
                start -= 1
            span = sdoc[start : c.i + 1]
            if len(span) >= 2 and all(t.tag_ == "NNP" and t.text[:1].isupper() and not t.ent_type_
                                      and t.i not in gaz_by_tok for t in span):
                out.append(span)
    return out


def _initials(span: Span) -> str:
    return "".join(t.text[0] for t in span if t.text[:1].isupper())


def _acronyms_as_defined(tms: list[TM], sdoc) -> list[TM]:
    """An acronym in brackets right after a name is that name ("the European Commission (EC)",
    "Department for International Trade (DIT)"): it takes the name's class and key, when its
    letters are the name's initials in order."""
    for long, short in zip(tms, tms[1:]):
        s = short.span
        if (len(s) == 1 and s[0].is_upper and s.start == long.span.end + 1 and s.end < len(sdoc)
                and sdoc[s.start - 1].text == "(" and sdoc[s.end].text == ")" and short.m.key is None
                and long.m.cls != short.m.cls and _in_order(s[0].text, _initials(long.span))):
            short.m = dataclasses.replace(short.m, cls=long.m.cls, key=long.m.key)
            short.country, short.domain = long.country, long.domain
    return tms


def _in_order(letters: str, initials: str) -> bool:
    """Are ``letters`` found in ``initials`` in order (the first two at least)?"""
    it = iter(initials)
    return len(letters) >= 2 and letters[0] == initials[:1] and all(c in it for c in letters)


def _in_title_phrase(sdoc, start: int, gz: Gazetteer) -> bool:
    """Is the span at ``start`` inside a capitalised title ("Secretary of Commerce for …")?"""
    k = start - 1
    steps = 0
    while k >= 0 and steps < 8:
        t = sdoc[k]
        if _is_title(t, gz) and t.text[:1].isupper():
            return steps > 0 or sdoc[start - 1].lower_ in L.TITLE_PREPOSITIONS
        if not (t.text[:1].isupper() or t.lower_ in L.TITLE_NAME_JOINERS):
            return False
        k -= 1
        steps += 1
    return False


def _is_title(tok: Token, gz: Gazetteer) -> bool:
    return tok.lower_ in gz.titles or tok.lemma_.lower() in gz.titles


def title_names(sdoc, gz: Gazetteer) -> list[Span]:
    """Names right after a capitalised title: "Assistant Secretary of Commerce for
    Export Administration Thea D. Rozman Kendler" → "Thea D. Rozman Kendler".

    The name is the run of capitalised words (and initials) after the title that
    contains no title or agency vocabulary."""
    out: list[Span] = []
    i = 0
    n = len(sdoc)
    # a title-case line as it was read again (kg.nlp.recase): a word it writes in lower case is
    # no part of a name ("Senator Ruth Calder Objects")
    recased = sdoc.user_data.get(RECASED)
    while i < n:
        t = sdoc[i]
        # a capitalised title, or a lower-case one after an organisation's name or at a sentence
        # start ("Commerce Ministry spokesperson He Yadong", "Foreign ministry spokesman Lin Jian")
        if not (_is_title(t, gz) and (t.text[:1].isupper() or i > 0 and sdoc[i - 1].text[:1].isupper())):
            i += 1
            continue
        # skip the rest of the title: capitalised vocabulary and joiners
        j = i + 1
        while j < n and (sdoc[j].lower_ in L.NAME_STOP or sdoc[j].lower_ in gz.titles
                         or _abstract(sdoc[j]) and sdoc[j].text[:1].isupper()):
            j += 1
        k = j
        while k < n and (sdoc[k].text[:1].isupper() or (len(sdoc[k].text) == 2 and sdoc[k].text.endswith("."))) \
                and sdoc[k].lower_ not in L.NAME_STOP and sdoc[k].pos_ in ("PROPN", "NOUN", "ADJ", "X") and k - j < 5 \
                and not _is_date_word(sdoc[k]) and not (recased and recased[sdoc[k].idx].islower()):
            k += 1
        if k - j >= 2 and not any(sdoc[x].ent_type_ in ("GPE", "NORP", "ORG", "DATE") and sdoc[x].ent_type_ != "PERSON" and sdoc[x].ent_iob_ == "B" and x == j for x in range(j, k)):
            out.append(sdoc[j:k])
            i = k
        else:
            i += 1
    return out


def _stem(word: str) -> str:
    return word[:-1] if word.endswith("e") else word


# the text test before the parse is read: "Reporting by", "Written by", "contributed"
_CREDIT_CUE = re.compile(
    r"(?i)\b(?:" + "|".join(sorted({re.escape(_stem(w)) for w in L.CREDIT_VERBS if " " not in w})) + r")\w*\s+by\b"
    r"|\b(?:" + "|".join(sorted(re.escape(_stem(w)) for w in L.CREDIT_CONTRIBUTE)) + r")")


def credit_names(sdoc, text: str) -> list[Span]:
    """Journalists in credit lines, read from the parse: the objects of "by" after a credit
    verb ("(Reporting by Joe Cash and Ellen Zhang in Beijing; Editing by Kim Coghill)") and the
    subject of "contributed to this report" ("VOA's Nike Ching contributed to this report").
    The statistical NER often calls such names places or firms: the construction says better."""
    if not _CREDIT_CUE.search(text):
        return []
    heads: list[Token] = []
    for tok in sdoc:
        if tok.lower_ == "by" and tok.head.lower_ in L.CREDIT_VERBS or tok.lower_ == "by" and tok.head.lemma_ in L.CREDIT_VERBS:
            for g in tok.children:
                if g.dep_ == "pobj":
                    heads.append(g)
                    heads.extend(c for c in g.conjuncts if c.i > g.i)
        elif tok.lemma_ in L.CREDIT_CONTRIBUTE and any(
            c.dep_ == "prep" and c.lower_ == "to" and any(g.lemma_ in L.REPORT_NOUNS for g in c.children) for c in tok.children
        ):
            heads.extend(c for c in tok.children if c.dep_ == "nsubj")
            heads.extend(c for h in list(heads) if h.head is tok for c in h.conjuncts)
    out: list[Span] = []
    for h in heads:
        if h.pos_ != "PROPN" or not h.text[:1].isupper():
            continue
        start = h.i
        while start > 0 and sdoc[start - 1].pos_ == "PROPN" and sdoc[start - 1].text[:1].isupper() \
                and sdoc[start - 1].dep_ == "compound" and sdoc[start - 1].head.i <= h.i:
            start -= 1
        if 2 <= h.i + 1 - start <= 4:
            out.append(sdoc[start : h.i + 1])
    return out


def _sent_index(span: Span, sent_base: int) -> int:
    for i, s in enumerate(span.doc.sents):
        if s.start <= span.start < s.end:
            return sent_base + i
    return sent_base


def _mk(p: Paragraph, span: Span, cls: str, key: str | None, source: str, sent_base: int) -> Mention:
    return Mention(
        doc_id=p.doc_id,
        start=p.offset + span.start_char,
        end=p.offset + span.end_char,
        text=p.written(span.start_char, span.end_char),
        cls=cls,
        key=key,
        source=source,
        sent=_sent_index(span, sent_base),
    )


def _classify(span, label, key, source, gz: Gazetteer, gaz_by_tok, p, para_index, sent_base) -> TM | None:
    text = span.text
    root = span.root
    if not any(c.isupper() for c in text) and label != "NORP":
        return None
    if key.startswith("capital:"):
        iso = key.split(":", 1)[1]
        if _is_location_use(span.root):
            return TM(para_index, span, _mk(p, span, "Place", f"place:{text}", "gazetteer", sent_base), country=iso)
        return TM(para_index, span, _mk(p, span, "Country", f"country:{iso}", "metonym", sent_base), country=iso)
    if key.startswith("country:"):
        iso = key.split(":", 1)[1]
        if label == "NORP":
            return TM(para_index, span, _mk(p, span, "Country", key, "demonym", sent_base), country=iso,
                      extra={"demonym": True})
        src = "metonym" if text in gz.metonyms else source
        return TM(para_index, span, _mk(p, span, "Country", key, src, sent_base), country=iso)
    if key.startswith(("agency:", "org:", "person:")):
        e = gz.entries.get(key)
        if e is None:
            return None
        return TM(para_index, span, _mk(p, span, e.cls, key, "gazetteer", sent_base), country=e.country or None)
    if key.startswith("administration:"):
        who = key.split(":", 1)[1]
        iso = who.upper() if f"country:{who.upper()}" in gz.countries else None
        return TM(para_index, span, _mk(p, span, "GovernmentAgency", key, "pattern", sent_base),
                  domain="administration", country=iso, extra={"leader": who})
    words = [t.lower_ for t in span]
    if label == "NORP":
        return None  # a demonym not in the gazetteer (religions, parties): not an entity here
    if label == "LAW":
        if not ({t.lower_ for t in span} & L.LAW_WORDS):
            label = "ORG"
        else:
            return TM(para_index, span, _mk(p, span, "Policy", None, "ner", sent_base), extra={"law": True})
    if label == "ORG" and root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in L.LIST_NOUNS:
        # the name of a list is the listing ("OFAC's list of Specially Designated Nationals")
        return TM(para_index, span, _mk(p, span, "Policy", None, "ner", sent_base), extra={"instrument": "entityListing"})
    if label in ("PERSON", "ORG") and _looks_like_place(span):
        return TM(para_index, span, _mk(p, span, "Place", None, "ner", sent_base))
    if label == "PERSON" and {t.lower_ for t in span} & (L.ORG_OVERRIDE_WORDS | L.AGENCY_WORDS):
        label = "ORG"  # "Arkadelphia Area Chamber" is not a person
    if label == "ORG":
        span = _extend_of(span)
    if label == "PERSON":
        if len(span) == 1 and (root.lower_ in gz.titles or root.pos_ not in ("PROPN", "NOUN")
                               or root.lower_.endswith("s") and root.lower_[:-1] in gz.titles or _abstract(root)):
            return None  # a title ("Ministers") or an abstract noun ("Competitiveness") alone is no one
        if span.text in gz.country_names or span.text in gz.demonyms:
            return None
        return TM(para_index, span, _mk(p, span, "Person", None, "ner", sent_base))
    if label in ("GPE", "LOC"):
        if span.text in gz.names:
            e = gz.entries[gz.names[span.text]]
            return TM(para_index, span, _mk(p, span, e.cls, e.key, "gazetteer", sent_base), country=e.country or None)
        if len(span) == 1 and root.lower_ in L.GENERIC_NAMES:
            return None
        return TM(para_index, span, _mk(p, span, "Place", None, "ner", sent_base))
    if label == "FAC":
        return None
    # ORG
    has_digit = any(ch.isdigit() for ch in span.text)
    modifier = span.root.dep_ == "compound" and span.root.head.is_lower and span.root.head.i >= span.end
    if label == "ORG" and (span[-1].like_num or span[0].tag_ == "VBG" or span[0].text in L.SHIP_PREFIXES or has_digit and modifier
                           or span[-1].lower_ in L.ROLE_PLURALS):
        return None  # "COVID-19", "S&P 500", "Declaring American Economic Independence", "USS Normandy"
    if label == "ORG":
        govt = [t for t in span if t.i in gaz_by_tok and gaz_by_tok[t.i][0].startswith("country:")]
        rest = {t.lower_ for t in span if t.i not in gaz_by_tok}
        if govt and rest and rest <= L.GOVERNMENT_WORDS:
            key = gaz_by_tok[govt[0].i][0]
            return TM(para_index, span, _mk(p, span, "Country", key, "gazetteer", sent_base), country=key.split(":", 1)[1])
    nxt = span.doc[span.end].lower_ if span.end < len(span.doc) else ""
    if words[-1] in L.NOT_ORG_HEADS or nxt in L.NOT_ORG_HEADS or (len(words) == 1 and words[0] in L.GENERIC_NAMES and source != "coordinated"):
        return None
    # strip a country name / demonym / possessive inside the span for lookup
    inner = [t for t in span if t.i not in gaz_by_tok or not gaz_by_tok[t.i][0].startswith(("country:", "capital:"))]
    inner = [t for t in inner if t.tag_ != "POS" and t.lower_ not in L.POSSESSIVES]
    bare = " ".join(t.text for t in inner).strip()
    bare = re.sub(r"^(the|The)\s+", "", bare)
    if bare in gz.names:
        e = gz.entries[gz.names[bare]]
        return TM(para_index, span, _mk(p, span, e.cls, e.key, "gazetteer", sent_base), country=e.country or None)
    # "Treasury’s Office of Foreign Assets Control": the last possessed part names the body
    poss = [t.i for t in span if t.tag_ == "POS" or t.lower_ in L.POSSESSIVES]
    if poss:
        tail = span.doc[poss[-1] + 1 : span.end].text.strip()
        if tail in gz.names:
            e = gz.entries[gz.names[tail]]
            sub = span.doc[poss[-1] + 1 : span.end]
            return TM(para_index, sub, _mk(p, sub, e.cls, e.key, "gazetteer", sent_base), country=e.country or None)
    lower = {t.lower_ for t in inner}
    if len(inner) == 1 and label == "ORG" and (inner[0].lower_ not in L.AMBIGUOUS_DOMAINS or source == "coordinated"):
        dom = inner[0].lower_
        if source == "coordinated":  # "State" of "the Treasury and State departments"
            dom = agency_domain(f"{inner[0].text} Department") or dom
        if any(d == dom for (_, d) in gz.generic_agencies):
            return TM(para_index, span, _mk(p, span, "GovernmentAgency", None, "ner", sent_base),
                      country=_country_of_span(span, gz, gaz_by_tok), domain=dom, extra={"bare": bare})
    if lower and lower <= (L.AGENCY_WORDS | L.KIND_FILLERS):
        return None  # "U.S. Department": a kind of body, not a name
    is_agency = bool(lower & L.AGENCY_WORDS) and not (lower & L.ORG_OVERRIDE_WORDS)
    if is_agency:
        country = _country_of_span(span, gz, gaz_by_tok)
        domain = agency_domain(bare)
        return TM(para_index, span, _mk(p, span, "GovernmentAgency", None, "ner", sent_base), country=country,
                  domain=domain, extra={"bare": bare})
    # an acronym/ORG naming a known entity by one of its forms, e.g. "the Hang Seng" stays an Organization
    return TM(para_index, span, _mk(p, span, "Organization", None, "ner", sent_base),
              country=_country_of_span(span, gz, gaz_by_tok))


def foreign_body_country(tm: TM, tms: list[TM], gz: Gazetteer, home: str) -> str | None:
    """The state of a government body that names none itself, when the document's home state
    has no body of the gazetteer by that name: the state named nearest to it in its paragraph
    (a country, capital or demonym). ``None`` when the home state has such a body ("the
    Supreme Court" in a US document) or the paragraph names no state."""
    name = re.sub(r"^(the|The)\s+", "", tm.m.text).casefold()
    if any(e.country == home and name in {x.casefold() for x in (e.label, *e.aliases, *e.generic)}
           for e in gz.entries.values() if e.cls == "GovernmentAgency"):
        return None
    near = [(abs(o.span.start - tm.span.start), o.country) for o in tms
            if o.para == tm.para and o.m.cls == "Country" and o.country]
    return min(near)[1] if near else None

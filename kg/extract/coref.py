"""What a token refers to: names, pronouns and definite descriptions.

:func:`refs` gives the entity mentions a token stands for, with its
coordinated siblings; :func:`subj_refs` the actors who do a verb. A token that
is (part of) a name stands for that name. Otherwise one resolver per kind of
referring word decides, each a function of the document state, the paragraph
and the token that returns the mentions referred to, or ``None`` when the
token is not its kind:

* pronouns, chosen by their form (:data:`PRONOUNS`): "he"/"she" (the last
  person named outside quotations), "I" and "we" (the quotation's speaker;
  outside quotations the document's voice, and for "we" else the last state or
  body that was a subject), "it" as a subject
  (the salient state, body or organisation among the last three);
* nouns, tried in order (:data:`NOUN_RESOLVERS`): "the departments" (the
  agencies named in the phrase), "Chinese officials" (the actor named by a
  modifier), "both sides" (the last two states), "the Secretary" (the last
  person with that title, the sentence's subject first), "the ministry" (the
  last agency of that kind), "the bloc" (the last bloc or body of a bloc),
  "the company" (the last organisation), "the move" (the last measure), "the
  levels of the administration" (the body), "businesses, including Acme and
  Zenith" (the members listed).

A noun owned by an actor ("China's willingness") refers to nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from spacy.tokens import Token

from kg.extract import lexicon as L
from kg.extract.state import ACTORS, DocState, is_title_word
from kg.extract.syntax import is_possessive, is_subject, prep_objects
from kg.model import Mention

Resolver = Callable[[DocState, int, Token], "list[Mention] | None"]
SUBJECTS = ("nsubj", "nsubjpass")


def refs(st: DocState, para: int, tok: Token, actors_only: bool = True, depth: int = 0) -> list[Mention]:
    """The entity mentions ``tok`` stands for, with those of its coordinated siblings
    (actors only unless ``actors_only`` is false)."""
    out = ref(st, para, tok, actors_only)
    if depth == 0:
        for c in tok.children:
            if c.dep_ == "conj":
                out += refs(st, para, c, actors_only, depth=1)
                for cc in c.children:
                    if cc.dep_ == "conj":
                        out += refs(st, para, cc, actors_only, depth=1)
    seen, uniq = set(), []
    for m in out:
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            uniq.append(m)
    return uniq


def ref(st: DocState, para: int, tok: Token, actors_only: bool = True) -> list[Mention]:
    """The mentions ``tok`` alone stands for (see the module doc)."""
    if st.tm_at(para, tok) is not None:
        found = named(st, para, tok)
    else:
        resolver = PRONOUNS.get(tok.lower_)
        if resolver is not None:
            found = resolver(st, para, tok) or []
        elif tok.pos_ not in ("NOUN", "PROPN"):
            found = []
        else:
            found = next((r for r in (res(st, para, tok) for res in NOUN_RESOLVERS) if r is not None), [])
        if not found:
            # "One of the individuals, Ana Ruiz, is …", "the ship's owner, Andes Freight, said":
            # a word that says nothing itself stands for the name set beside it
            found = [m for c in tok.children if c.dep_ == "appos" and st.tm_at(para, c) is not None
                     for m in named(st, para, c)]
    return [m for m in found if not actors_only or m.cls in ACTORS]


def named(st: DocState, para: int, tok: Token) -> list[Mention]:
    """The name covering ``tok``. "the Department of the Treasury's Office of Foreign Assets
    Control designated …" parsed with "Department" as the head: the possessed body is meant."""
    tm = st.tm_at(para, tok)
    assert tm is not None
    sdoc = tok.doc
    end = tm.span.end
    if tm.m.cls in ("GovernmentAgency", "Organization", "Country") and end + 1 < len(sdoc) \
            and is_possessive(sdoc[end]) and tok.left_edge.i <= end < tok.right_edge.i:
        owned = st.tm_at(para, sdoc[end + 1])
        if owned is not None and owned is not tm and owned.m.cls in ("GovernmentAgency", "Organization") \
                and owned.span.end - 1 <= tok.right_edge.i:
            return [owned.m]
    return [tm.m]


# ---------------------------------------------------------------- pronouns
def person_pronoun(st: DocState, para: int, tok: Token) -> list[Mention]:
    """ "he", "she": the last person named outside quotations; "his", "him" (not a subject)
    the person its clause's subject is, when that is a person named before it ("the Prime
    Minister phoned Trump to underline his disappointment": the Prime Minister's)."""
    if tok.dep_ not in SUBJECTS:
        gov = tok.head
        while gov.pos_ not in ("VERB", "AUX") and gov.head is not gov:
            gov = gov.head
        if gov.pos_ in ("VERB", "AUX"):
            subj = [m for m in subj_refs(st, para, gov) if m.cls == "Person"]
            doc_start = st.paras[para].offset + tok.idx
            if subj and subj[0].start < doc_start:
                return subj[:1]
    for t in st.before(para, tok.i):
        if t.m.cls == "Person" and st.in_quote(t.para, t.root) is None:
            return [t.m]
    return []


def i_pronoun(st: DocState, para: int, tok: Token) -> list[Mention]:
    """ "I", "my": inside a quotation its speaker; outside, the document's voice ("Remarks by X")."""
    spk = st.in_quote(para, tok)
    if spk is None:
        return [st.voice] if st.voice is not None else []
    return [spk] if isinstance(spk, Mention) else []


def we_pronoun(st: DocState, para: int, tok: Token) -> list[Mention]:
    """ "we", "our": inside a quotation its speaker; outside, the voice of the statement
    ("The United States is imposing … We call on …", "… makes clear our opposition"): the
    last state or body that was a subject."""
    spk = st.in_quote(para, tok)
    if spk is None and st.voice is not None:
        return [st.voice]  # the remarks' speaker
    if spk is None:
        for t in st.before(para, tok.i):
            if t.m.cls in ("Country", "GovernmentAgency") and is_subject(t.root) and st.in_quote(t.para, t.root) is None:
                return [t.m]
        return []
    return [spk] if isinstance(spk, Mention) else []


def it_pronoun(st: DocState, para: int, tok: Token) -> list[Mention]:
    """ "it" as a subject: among the last three states, bodies and organisations (this
    paragraph and the one before; outside a quotation none named inside one), the one that
    was a subject ("China's Commerce Ministry said it had filed a challenge at the WTO. '…,'
    it said": the ministry, not the WTO), else the last."""
    if tok.dep_ not in SUBJECTS:
        return []
    quoted = st.in_quote(para, tok) is not None
    near = list(itertools.islice((t for t in st.before(para, tok.i)
                                  if t.m.cls in ("Country", "GovernmentAgency", "Organization")
                                  and (t.para, t.span.start) >= (para - 1, 0)
                                  and (quoted or st.in_quote(t.para, t.root) is None)), 3))
    subj = [t for t in near if is_subject(t.root)]
    return [(subj or near)[0].m] if near else []


def relative_pronoun(st: DocState, para: int, tok: Token) -> list[Mention]:
    """ "the council, which imposed …", "a Sudanese national who heads …": the noun the relative
    clause describes, or, when that noun only says what someone is ("X is a trader who …"),
    the subject of that copula."""
    clause = tok.head
    if tok.tag_ not in ("WP", "WDT") or clause.dep_ != "relcl":
        return []
    noun = clause.head
    found = refs(st, para, noun)
    if not found and noun.dep_ == "attr" and noun.head.lemma_ == "be":
        found = [m for s in noun.head.children if s.dep_ == "nsubj" for m in refs(st, para, s)]
    return found


PRONOUNS: dict[str, Resolver] = {
    **{w: relative_pronoun for w in L.PRONOUNS_RELATIVE},
    **{w: person_pronoun for w in L.PRONOUNS_PERSON},
    **{w: we_pronoun for w in L.PRONOUNS_WE},
    **{w: i_pronoun for w in L.PRONOUNS_I},
    **{w: it_pronoun for w in L.PRONOUNS_IT},
}


# ------------------------------------------------------------------- nouns
def _definite(tok: Token) -> bool:
    return any(c.lower_ in L.DEMONSTRATIVES for c in tok.children if c.dep_ == "det")


def _modifiers(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nmod")]


def agency_plural(st: DocState, para: int, tok: Token) -> list[Mention] | None:
    """ "the Treasury and Commerce departments": the agencies named in the phrase."""
    if tok.lower_ not in L.AGENCY_PLURALS:
        return None
    found = [t.m for t in st.tms if t.para == para and t.m.cls == "GovernmentAgency" and t.span.end <= tok.i
             and t.span.start >= tok.left_edge.i]
    return found or None


def _titled(st: DocState, para: int, tok: Token, state: str | None = None):
    """People named before ``tok`` whose title has its word (and, given a ``state``, who are
    not of another state: "Indonesia's Trade Minister" is not Australia's), newest first."""
    states = st.memo("titles.state")
    return [t for t in st.before(para, tok.i) if t.m.cls == "Person" and not st.in_quote(t.para, t.root)
            and (state is None or states.get((t.m.start, t.m.end), state) == state)
            and any(tok.lemma_.lower() in r.object.lower().split() for r in st.relations if r.prop == "title" and r.subject == t.m)]


def _owner_state(st: DocState, para: int, tok: Token) -> str | None:
    """The state a modifier of ``tok`` names ("Indonesia's trade minister"), if any."""
    for c in _modifiers(tok):
        t = st.tm_at(para, c)
        if t is not None and t.m.cls == "Country":
            return t.country
    return None


def actor_modifier(st: DocState, para: int, tok: Token) -> list[Mention] | None:
    """ "Chinese officials", "the U.S. government", "the administration's negotiators": the
    actor a modifier names; "Indonesia's trade minister" with no one of that title named
    before: the state."""
    low = tok.lower_
    office = is_title_word(tok, st.gz) and not _titled(st, para, tok, _owner_state(st, para, tok))
    if not (low in L.ACTOR_HEADS or low in L.GOVERNMENT_NOUNS or low in L.SIDE_NOUNS or office):
        return None
    for c in _modifiers(tok):
        t = st.tm_at(para, c)
        if t is not None and t.m.cls in ACTORS and (not office or t.m.cls == "Country"):
            return [t.m]
        if t is None and c.dep_ == "poss" and c.pos_ == "PRON" and not office:
            # "his regime", "their government": whoever the pronoun stands for
            found = ref(st, para, c)
            if found:
                return found
        if c.lower_ == "administration":
            for t2 in st.before(para, tok.i):
                if t2.m.cls == "GovernmentAgency" and t2.domain == "administration" or t2.m.key is not None and t2.m.key.kind == "administration":
                    return [t2.m]
    return None


def pair(st: DocState, para: int, tok: Token) -> list[Mention] | None:
    """ "both sides", "the two countries": two states named together in this sentence or the
    one before ("India and the UK held talks. The two sides …"), else the two states the
    document names most, else the last two named."""
    if not (tok.lower_ in L.PAIR_NOUNS and any(c.lower_ in L.PAIR_QUANTIFIERS for c in tok.subtree)):
        return None
    states = [t for t in st.before(para, tok.i) if t.m.cls == "Country"]
    sent = tok.sent
    doc = tok.doc
    recent_start = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    for t in states:
        if t.para != para or t.span.start < recent_start:
            break
        other = [c for c in (*t.root.conjuncts,) if (o := st.tm_at(para, c)) is not None and o.m.cls == "Country"
                 and o.m.key != t.m.key]
        if other:
            return [st.tm_at(para, other[0]).m, t.m]
    top = sorted(st.salience, key=lambda c: -st.salience[c])[:2]
    if len(top) == 2 and st.salience[top[1]] >= 2:
        found = [next((t.m for t in states if t.country == c), None) for c in top]
        if all(found):
            return found  # type: ignore[return-value]
    found = []
    for t in states:
        if all(t.m.key != x.key for x in found):
            found.append(t.m)
        if len(found) == 2:
            return found
    return []


def title_noun(st: DocState, para: int, tok: Token) -> list[Mention] | None:
    """ "the minister", "the EU's top diplomat": the last person named, preferring one whose
    title has that word ("the Secretary" after "Secretary of State X"); within the sentence of
    the last one named, its subject ("Secretary Rubio spoke with Secretary Manalo. The
    Secretary reaffirmed …")."""
    det = _definite(tok)
    owner = any(c.dep_ == "poss" for c in tok.children)
    if not ((det or owner) and is_title_word(tok, st.gz) and (tok.pos_ == "NOUN" or tok.pos_ == "PROPN" and det)):
        return None
    people = [t for t in st.before(para, tok.i) if t.m.cls == "Person" and not st.in_quote(t.para, t.root)]
    # "Indonesia's Trade Minister" is nobody named before unless someone of that state holds
    # that title (else the state: actor_modifier); "the EU's top diplomat" is the last person named
    state = _owner_state(st, para, tok)
    titled = _titled(st, para, tok, state)
    pick = titled if state else titled or people
    if not pick:
        return None
    last = pick[0]
    sent = last.root.sent
    same = [t for t in pick if t.para == last.para and sent.start <= t.root.i < sent.end]
    subj = [t for t in same if t.root.dep_ in SUBJECTS
            or t.root.dep_ in ("appos", "compound") and t.root.head.dep_ in SUBJECTS]
    return [(subj or same)[0].m]


def agency_noun(st: DocState, para: int, tok: Token) -> list[Mention] | None:
    """ "the ministry", "the department": the last agency of that kind, else the last agency."""
    low = tok.lower_
    if low not in L.AGENCY_NOUNS or not _definite(tok) or _modifiers(tok):
        return None
    for t in st.before(para, tok.i):
        if t.m.cls == "GovernmentAgency" and (low in t.m.text.lower() or low == "administration" and t.domain == "administration"):
            return [t.m]
    for t in st.before(para, tok.i):
        if t.m.cls == "GovernmentAgency":
            return [t.m]
    return None


def bloc_noun(st: DocState, para: int, tok: Token) -> list[Mention] | None:
    """ "the bloc": the last bloc named (the EU, ASEAN), else the last body of a bloc (the
    European Commission speaks for the EU); never a global body like the WTO."""
    if tok.lower_ not in L.BLOC_NOUNS or not _definite(tok) or _modifiers(tok):
        return None
    gz = st.gz
    for t in st.before(para, tok.i):
        e = gz.entries.get(t.m.key or "")
        if t.m.cls == "Organization" and (e is not None and e.kind == "bloc" or "union" in t.m.text.lower()):
            return [t.m]
    for t in st.before(para, tok.i):
        e = gz.entries.get(t.m.key or "")
        parent = gz.entries.get(e.parent) if e is not None and e.parent else None
        if t.m.cls == "GovernmentAgency" and parent is not None and parent.kind == "bloc":
            return [t.m]
    return None


def company_noun(st: DocState, para: int, tok: Token) -> list[Mention] | None:
    """ "the company", "the firm": the last organisation named."""
    if tok.lower_ not in L.COMPANY_NOUNS or not _definite(tok) or _modifiers(tok):
        return None
    for t in st.before(para, tok.i):
        if t.m.cls == "Organization":
            return [t.m]
    return None


def act_anaphor(st: DocState, para: int, tok: Token) -> list[Mention] | None:
    """ "condemned the move", "opposes the decision": the last measure named (within the
    paragraph or the one before)."""
    if tok.lower_ not in L.ACT_ANAPHORS or not _definite(tok) or _modifiers(tok) or any(
            c.dep_ == "prep" for c in tok.children):
        return None
    for t in st.before(para, tok.i):
        if t.para < para - 1:
            break
        if t.m.cls == "Policy":
            return [t.m]
    return None


def representatives(st: DocState, para: int, tok: Token) -> list[Mention] | None:
    """ "the trade ministers of Chile, Peru and Italy", "officials from Kenya and Ghana": people
    named by their office or role in the plural, of or from states or bodies, act for them."""
    if tok.tag_ not in ("NNS", "NNPS") or not (tok.lower_ in L.ACTOR_HEADS or is_title_word(tok, st.gz)):
        return None
    found = [m for o in prep_objects(tok, L.REPRESENTATION_PREPS) for m in refs(st, para, o)
             if m.cls in ("Country", "GovernmentAgency", "Organization")]
    return found or None


def partitive(st: DocState, para: int, tok: Token) -> list[Mention] | None:
    """ "the highest levels of the US administration", "members of the Commission": the body."""
    if tok.lower_ not in L.PARTITIVE_NOUNS:
        return None
    found = [m for o in prep_objects(tok, ("of",)) for m in refs(st, para, o)]
    return found or None


def examples(st: DocState, para: int, tok: Token) -> list[Mention] | None:
    """ "businesses, including the Scotch Whisky Association and Acme": the members listed."""
    found = [m for o in prep_objects(tok, L.EXAMPLE_PREPS) for m in refs(st, para, o)]
    return found or None


NOUN_RESOLVERS: tuple[Resolver, ...] = (agency_plural, actor_modifier, pair, title_noun, agency_noun, bloc_noun,
                                        company_noun, act_anaphor, representatives, partitive, examples)


# ---------------------------------------------------------------- subjects
def subj_refs(st: DocState, para: int, verb: Token) -> list[Mention]:
    """Actors who do ``verb``: its subject or agent, or, climbing the parse, the subject of
    the verb it depends on (control, coordination, clauses)."""
    v = verb
    for _ in range(4):
        agents = [g for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agents:
            return [m for a in agents for m in refs(st, para, a)]
        subs = [c for c in v.children if c.dep_ in ("nsubj", "csubj")]
        # "The Treasury is also … sanctioning": a subject the parser hung on the auxiliary
        subs = subs or [s for a in v.children if a.dep_ in ("aux", "auxpass") for s in a.children if s.dep_ == "nsubj"]
        if subs:
            # "administration officials maintain", "the two sides will": a subject that refers
            # to no actor ends the search
            return [m for s in subs for m in refs(st, para, s)]
        found = _headline_subject(st, para, v) or _subject_in_left_clause(st, para, v)
        if found:
            return found
        if v.pos_ in ("NOUN", "PROPN") and v.dep_ in ("dobj", "pobj", "attr") and v.head.i != v.i:
            # "issued a statement saying …": the one who issued it
            v = v.head
            if v.pos_ == "ADP":
                v = v.head
            continue
        if v.dep_ == "xcomp" and v.head.i != v.i and v.head.lemma_.lower() in L.OBJECT_CONTROL_VERBS:
            # object control: "X urged Japan to expand its controls": Japan expands (but
            # "summoned the envoy to protest the ban": the one who summoned protests)
            r = [m for o in v.head.children if o.dep_ == "dobj" and o.i < v.i for m in refs(st, para, o)]
            if r:
                return r
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.pos_ == "VERB":
            # through a preposition: "Brazil warned Argentina against raising the duties",
            # "barred the firms from selling chips": the object does it
            gov = v.head.head
            r = [m for o in gov.children if o.dep_ == "dobj" and o.i < v.i for m in refs(st, para, o)]
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
                r = refs(st, para, v.head)
                if r:
                    return r
            v = v.head
            if v.pos_ == "ADP":
                v = v.head
            continue
        break
    return []


def _headline_subject(st: DocState, para: int, v: Token) -> list[Mention]:
    """A headline's subject the parser took for a modifier of the verb ("EU slaps duties …",
    "US hits Chinese steel"): an actor right before a verb with no subject."""
    if v.pos_ != "VERB":
        return []
    for c in v.children:
        if c.dep_ in ("compound", "npadvmod", "nmod") and c.i < v.i and c.right_edge.i == v.i - 1:
            r = refs(st, para, c)
            if r:
                return r
    return []


def _subject_in_left_clause(st: DocState, para: int, v: Token) -> list[Mention]:
    """A subject the parser hung on a clause before the verb ("Rubio — now serving as … —
    told"); never a quotation's ('"Iran supplies drones," said …' is not said by Iran)."""
    for c in v.children:
        if c.dep_ in ("ccomp", "advcl") and c.i < v.i:
            for s in c.children:
                if s.dep_ == "nsubj" and st.in_quote(para, s) is None:
                    r = refs(st, para, s)
                    if r:
                        return r
    return []

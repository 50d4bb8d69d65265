"""Small readings of the dependency parse that several rule families share.

Pure functions of spaCy tokens (no document state), tested on hand-built docs.
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Token

from kg.extract import lexicon as L

SUBJECTS = ("nsubj", "nsubjpass")


def is_possessive(tok: Token) -> bool:
    """Is ``tok`` the possessive ending ("'s", "’s")? Tagged so, or, where the tagger took it
    for a name in a run of capitalised words ("Vietnam’s Ministry of Industry and Trade"), so
    attached to its owner."""
    return tok.tag_ == "POS" or tok.lower_ in L.POSSESSIVES and tok.dep_ == "case"


def subtree_without_clauses(root: Token) -> list[Token]:
    """``root``'s subtree without its relative clauses: "sanctions on Syria, a move President
    Trump had promised during a visit to Saudi Arabia" target Syria, not Saudi Arabia or Trump."""
    out, stack = [], [root]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ != "relcl")
    return sorted(out, key=lambda t: t.i)


def target_tokens(root: Token, origin_verbs: Collection[str]) -> list[Token]:
    """The tokens under ``root`` that can name what a measure targets. Relative clauses are
    left out ("sanctions on Syria, a move Trump had promised during a visit to Qatar"); of a
    participle clause only its object's head and modifiers count ("entities supplying Russia's
    military", but not the victim in "entities enabling Russian aggression against Ukraine"),
    unless the participle says where the goods or firms come from ("goods made in China",
    "firms based in Iran": ``origin_verbs``)."""
    out, stack = [], [root]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ == "relcl":
                continue
            if c.dep_ == "acl" and c.lemma_ not in origin_verbs:
                for o in c.children:
                    if o.dep_ in ("dobj", "attr"):
                        out.append(o)
                        stack.extend(x for x in o.lefts if x.dep_ in ("poss", "amod", "compound", "nmod"))
                continue
            stack.append(c)
    return sorted(out, key=lambda t: t.i)


def is_subject(tok: Token) -> bool:
    """Is ``tok`` a clause's subject, or the owner or modifier of one ("China's ministry said")?"""
    for _ in range(2):
        if tok.dep_ in SUBJECTS:
            return True
        if tok.dep_ not in ("poss", "compound", "appos") or tok.head is tok:
            return False
        tok = tok.head
    return False


def prep_objects(noun: Token, preps: Collection[str]) -> list[Token]:
    """The objects of ``noun``'s prepositions among ``preps`` ("talks *with Seoul*"), also
    where the parser hung the phrase on the verb whose object the noun is, right after it
    ("provoked retaliation *from Beijing against Washington*", "protested the imposition of
    duties *by Ankara*"): such a chain of prepositional phrases after an object noun is
    ambiguous, and a noun of an event takes its parties."""
    out = [o for p in noun.children if p.dep_ in ("prep", "agent") and p.lower_ in preps for o in p.children if o.dep_ == "pobj"]
    if noun.dep_ in ("dobj", "nsubjpass", "attr") and noun.head is not noun:
        host, start = noun.head, noun.right_edge.i + 1
    elif noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head is not noun.head:
        host, start = noun.head.head, noun.head.right_edge.i + 1  # "met with exporters, including …"
    else:
        return out
    doc = noun.doc
    for p in sorted((c for c in host.children if c.i >= start and c.dep_ != "punct"), key=lambda c: c.i):
        while start < p.left_edge.i and doc[start].is_punct:
            start += 1
        if p.left_edge.i != start or p.dep_ not in ("prep", "agent"):
            break
        if p.lower_ in preps:
            out += [o for o in p.children if o.dep_ == "pobj"]
        start = p.right_edge.i + 1
    return out

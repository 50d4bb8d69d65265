"""kg.extract.coref on hand-built parses and mentions (no statistical model)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from kg import gazetteer
from kg.extract.collect import index
from kg.extract.coref import refs, subj_refs
from kg.extract.mentions import TM
from kg.extract.state import DocState, QuoteSpan
from kg.model import Document, Mention, Relation
from kg.nlp import Paragraph

VOCAB = spacy.blank("en").vocab


def state(spec: str, names: list[tuple[int, int, str, str | None]]) -> DocState:
    """A one-paragraph document from 'word/lemma/POS/dep/head[/tag]' items, with mentions
    (start token, end token, core class, gazetteer key) made by hand."""
    items = [t.split("/") for t in spec.split()]
    sdoc = Doc(VOCAB, words=[i[0] for i in items], lemmas=[i[1] for i in items], pos=[i[2] for i in items],
               deps=[i[3] for i in items], heads=[int(i[4]) for i in items], tags=[(i[5:] or [""])[0] for i in items])
    doc = Document("hand.txt", sdoc.text)
    st = DocState(doc, [Paragraph("hand.txt", 0, sdoc)], gazetteer.load())
    for a, b, cls, key in names:
        span = sdoc[a:b]
        st.tms.append(TM(0, span, Mention("hand.txt", span.start_char, span.end_char, span.text, cls, key)))
    index(st)
    return st


def tok(st: DocState, text: str, nth: int = 0):
    return [t for t in st.paras[0].spacy_doc if t.text == text][nth]


def names(ms: list[Mention]) -> list[str]:
    return [m.text for m in ms]


def test_he_she_is_the_last_person_named_outside_quotations():
    st = state("Tai/Tai/PROPN/nsubj/1 spoke/speak/VERB/ROOT/1 ././PUNCT/punct/1 "
               "She/she/PRON/nsubj/4 smiled/smile/VERB/ROOT/4", [(0, 1, "Person", None)])
    assert names(refs(st, 0, tok(st, "She"))) == ["Tai"]


def test_it_prefers_a_recent_subject_to_a_recent_object():
    # "The ministry told the bank it would act": the ministry
    st = state("ministry/ministry/NOUN/nsubj/1 told/tell/VERB/ROOT/1 bank/bank/NOUN/dobj/1 "
               "it/it/PRON/nsubj/5 would/would/AUX/aux/5 act/act/VERB/ccomp/1",
               [(0, 1, "GovernmentAgency", None), (2, 3, "Organization", None)])
    assert names(refs(st, 0, tok(st, "it"))) == ["ministry"]


def test_we_outside_quotations_is_the_voice_of_the_statement():
    st = state("Britain/Britain/PROPN/nsubj/1 acted/act/VERB/ROOT/1 ././PUNCT/punct/1 "
               "We/we/PRON/nsubj/4 call/call/VERB/ROOT/4", [(0, 1, "Country", "country:GBR")])
    assert names(refs(st, 0, tok(st, "We"))) == ["Britain"]


def test_we_inside_a_quotation_is_its_speaker():
    st = state("We/we/PRON/nsubj/1 act/act/VERB/ROOT/1 ,/,/PUNCT/punct/4 Lee/Lee/PROPN/nsubj/4 said/say/VERB/ROOT/4",
               [(3, 4, "Person", None)])
    st.quote_spans.append(QuoteSpan(0, 0, 2, st.tms[0].m))
    assert names(refs(st, 0, tok(st, "We"))) == ["Lee"]


def test_a_modifier_names_the_actor_of_officials():
    st = state("Chinese/Chinese/ADJ/amod/1 officials/official/NOUN/nsubj/2 protested/protest/VERB/ROOT/2",
               [(0, 1, "Country", "country:CHN")])
    assert names(refs(st, 0, tok(st, "officials"))) == ["Chinese"]


def test_both_sides_are_the_last_two_states():
    st = state("Peru/Peru/PROPN/nsubj/1 met/meet/VERB/ROOT/1 Chile/Chile/PROPN/dobj/1 ././PUNCT/punct/1 "
               "Both/both/DET/det/5 sides/side/NOUN/nsubj/6 agreed/agree/VERB/ROOT/6",
               [(0, 1, "Country", "country:PER"), (2, 3, "Country", "country:CHL")])
    assert sorted(names(refs(st, 0, tok(st, "sides")))) == ["Chile", "Peru"]


def test_the_ministry_is_the_last_agency_of_that_kind():
    st = state("Treasury/Treasury/PROPN/nsubj/2 and/and/CCONJ/cc/0 Ministry/Ministry/PROPN/conj/0 acted/act/VERB/ROOT/3 ././PUNCT/punct/3 "
               "the/the/DET/det/6 ministry/ministry/NOUN/nsubj/7 said/say/VERB/ROOT/7",
               [(0, 1, "GovernmentAgency", None), (2, 3, "GovernmentAgency", None)])
    assert names(refs(st, 0, tok(st, "ministry"))) == ["Ministry"]


def test_the_bloc_is_the_last_bloc_never_a_global_body():
    st = state("EU/EU/PROPN/nsubj/1 met/meet/VERB/ROOT/1 WTO/WTO/PROPN/dobj/1 ././PUNCT/punct/1 "
               "the/the/DET/det/5 bloc/bloc/NOUN/nsubj/6 said/say/VERB/ROOT/6",
               [(0, 1, "Organization", "org:eu"), (2, 3, "Organization", "org:wto")])
    assert names(refs(st, 0, tok(st, "bloc"))) == ["EU"]


def test_the_secretary_is_the_last_person_with_that_title():
    st = state("Rubio/Rubio/PROPN/nsubj/1 met/meet/VERB/ROOT/1 Lamy/Lamy/PROPN/dobj/1 ././PUNCT/punct/1 "
               "the/the/DET/det/5 Secretary/secretary/NOUN/nsubj/6 spoke/speak/VERB/ROOT/6",
               [(0, 1, "Person", None), (2, 3, "Person", None)])
    rubio = st.tms[0].m
    st.relations.append(Relation("hand.txt", rubio, "title", "Secretary of State", "", 0, 0, "t"))
    assert names(refs(st, 0, tok(st, "Secretary"))) == ["Rubio"]


def test_a_noun_owned_by_an_actor_is_not_the_actor():
    st = state("China/China/PROPN/poss/1 willingness/willingness/NOUN/nsubj/2 grew/grow/VERB/ROOT/2",
               [(0, 1, "Country", "country:CHN")])
    assert refs(st, 0, tok(st, "willingness")) == []


def test_the_subject_of_a_controlled_verb_is_the_object_of_urge():
    # "Peru urged Chile to lift duties": Chile lifts
    st = state("Peru/Peru/PROPN/nsubj/1 urged/urge/VERB/ROOT/1 Chile/Chile/PROPN/dobj/1 to/to/PART/aux/4 lift/lift/VERB/xcomp/1",
               [(0, 1, "Country", "country:PER"), (2, 3, "Country", "country:CHL")])
    assert names(subj_refs(st, 0, tok(st, "lift"))) == ["Chile"]
    assert names(subj_refs(st, 0, tok(st, "urged"))) == ["Peru"]


def test_the_agent_does_a_passive_verb():
    st = state("duties/duty/NOUN/nsubjpass/2 were/be/AUX/auxpass/2 imposed/impose/VERB/ROOT/2 by/by/ADP/agent/2 Peru/Peru/PROPN/pobj/3",
               [(4, 5, "Country", "country:PER")])
    assert names(subj_refs(st, 0, tok(st, "imposed"))) == ["Peru"]


def test_a_headline_subject_hung_on_the_verb():
    # "EU slaps duties on steel": the parser made "EU" a compound of "slaps"
    st = state("EU/EU/PROPN/compound/1 slaps/slap/VERB/ROOT/1 duties/duty/NOUN/dobj/1",
               [(0, 1, "Organization", "org:eu")])
    assert names(subj_refs(st, 0, tok(st, "slaps"))) == ["EU"]


def test_the_departments_are_the_agencies_named_in_the_phrase():
    # "the Treasury and State departments said"
    st = state("the/the/DET/det/4 Treasury/Treasury/PROPN/compound/4 and/and/CCONJ/cc/1 State/State/PROPN/conj/1 "
               "departments/department/NOUN/nsubj/5 said/say/VERB/ROOT/5",
               [(1, 2, "GovernmentAgency", None), (3, 4, "GovernmentAgency", None)])
    assert names(refs(st, 0, tok(st, "departments"))) == ["Treasury", "State"]


def test_the_company_is_the_last_organisation():
    st = state("Acme/Acme/PROPN/nsubj/1 cut/cut/VERB/ROOT/1 jobs/job/NOUN/dobj/1 ././PUNCT/punct/1 "
               "the/the/DET/det/5 company/company/NOUN/nsubj/6 said/say/VERB/ROOT/6",
               [(0, 1, "Organization", None)])
    assert names(refs(st, 0, tok(st, "company"))) == ["Acme"]


def test_his_is_the_person_its_clause_subject_is():
    # "Lee phoned Kim to voice his anger": Lee's anger, though Kim was named last
    st = state("Lee/Lee/PROPN/nsubj/1 phoned/phone/VERB/ROOT/1 Kim/Kim/PROPN/dobj/1 to/to/PART/aux/4 voice/voice/VERB/advcl/1 "
               "his/his/PRON/poss/6 anger/anger/NOUN/dobj/4", [(0, 1, "Person", None), (2, 3, "Person", None)])
    assert names(refs(st, 0, tok(st, "his"))) == ["Lee"]


def test_a_states_unnamed_office_holder_is_the_state():
    # "Kenya's trade minister said …" with no trade minister named: Kenya
    st = state("Kenya/Kenya/PROPN/poss/2 's/'s/PART/case/0 minister/minister/NOUN/nsubj/3 said/say/VERB/ROOT/3",
               [(0, 1, "Country", "country:KEN")])
    assert names(refs(st, 0, tok(st, "minister"))) == ["Kenya"]


def test_part_of_a_body_is_the_body():
    st = state("levels/level/NOUN/dobj/0 of/of/ADP/prep/0 Commission/Commission/PROPN/pobj/1",
               [(2, 3, "GovernmentAgency", None)])
    assert names(refs(st, 0, tok(st, "levels"))) == ["Commission"]


def test_a_group_is_the_members_it_lists():
    st = state("firms/firm/NOUN/ROOT/0 including/including/VERB/prep/0 Acme/Acme/PROPN/pobj/1 and/and/CCONJ/cc/2 Zenith/Zenith/PROPN/conj/2",
               [(2, 3, "Organization", None), (4, 5, "Organization", None)])
    assert names(refs(st, 0, tok(st, "firms"))) == ["Acme", "Zenith"]


def test_both_sides_are_the_documents_two_main_states_over_a_later_one():
    # "Peru met Chile. The US watched. Both sides agreed": Peru and Chile, the states the
    # document names most, not the US named last
    st = state("Peru/Peru/PROPN/nsubj/1 met/meet/VERB/ROOT/1 Chile/Chile/PROPN/dobj/1 ././PUNCT/punct/1 "
               "US/US/PROPN/nsubj/5 watched/watch/VERB/ROOT/5 ././PUNCT/punct/5 "
               "Both/both/DET/det/8 sides/side/NOUN/nsubj/9 agreed/agree/VERB/ROOT/9",
               [(0, 1, "Country", "country:PER"), (2, 3, "Country", "country:CHL"), (4, 5, "Country", "country:USA")])
    for tm in st.tms:
        tm.country = tm.m.key.split(":")[1]
    st.salience = {"PER": 3, "CHL": 3, "USA": 1}
    assert sorted(names(refs(st, 0, tok(st, "sides")))) == ["Chile", "Peru"]


def test_the_two_countries_are_the_pair_just_coordinated():
    # "The US watched. Fiji and Tonga met. The two countries agreed": Fiji and Tonga, though
    # the document names the US most
    st = state("US/US/PROPN/nsubj/1 watched/watch/VERB/ROOT/1 ././PUNCT/punct/1 "
               "Fiji/Fiji/PROPN/nsubj/6 and/and/CCONJ/cc/3 Tonga/Tonga/PROPN/conj/3 met/meet/VERB/ROOT/6 ././PUNCT/punct/6 "
               "The/the/DET/det/10 two/two/NUM/nummod/10 countries/country/NOUN/nsubj/11 agreed/agree/VERB/ROOT/11",
               [(0, 1, "Country", "country:USA"), (3, 4, "Country", "country:FJI"), (5, 6, "Country", "country:TON")])
    for tm in st.tms:
        tm.country = tm.m.key.split(":")[1]
    st.salience = {"USA": 9, "FJI": 1, "TON": 1}
    assert sorted(names(refs(st, 0, tok(st, "countries")))) == ["Fiji", "Tonga"]


def test_officials_of_states_act_for_them():
    # "The ministers of Chile and Peru met": Chile and Peru; "the ministers met" alone: no one
    spec = ("ministers/minister/NOUN/nsubj/5/NNS of/of/ADP/prep/0 Chile/Chile/PROPN/pobj/1 and/and/CCONJ/cc/2 "
            "Peru/Peru/PROPN/conj/2 met/meet/VERB/ROOT/5")
    st = state(spec, [(2, 3, "Country", "country:CHL"), (4, 5, "Country", "country:PER")])
    assert names(subj_refs(st, 0, tok(st, "met"))) == ["Chile", "Peru"]
    alone = state("ministers/minister/NOUN/nsubj/1/NNS met/meet/VERB/ROOT/1", [])
    assert subj_refs(alone, 0, tok(alone, "met")) == []
    one = state(spec.replace("/NNS", "/NN").replace("ministers/", "minister/"),
                [(2, 3, "Country", "country:CHL"), (4, 5, "Country", "country:PER")])
    assert subj_refs(one, 0, tok(one, "met")) == []  # "the minister of Chile" is one person, not the state


def test_a_relative_pronoun_is_the_noun_its_clause_describes():
    # "Chile, which imposed …": Chile; "Ruiz is a trader who …": the copula's subject
    st = state("Chile/Chile/PROPN/nsubj/5 ,/,/PUNCT/punct/0 which/which/PRON/nsubj/3/WDT "
               "imposed/impose/VERB/relcl/0 duties/duty/NOUN/dobj/3 spoke/speak/VERB/ROOT/5",
               [(0, 1, "Country", "country:CHL")])
    assert names(refs(st, 0, tok(st, "which"))) == ["Chile"]
    st = state("Ruiz/Ruiz/PROPN/nsubj/1 is/be/AUX/ROOT/1 a/a/DET/det/3 trader/trader/NOUN/attr/1 "
               "who/who/PRON/nsubj/5/WP runs/run/VERB/relcl/3 Acme/Acme/PROPN/dobj/5",
               [(0, 1, "Person", None), (6, 7, "Organization", None)])
    assert names(refs(st, 0, tok(st, "who"))) == ["Ruiz"]
    st = state("Ruiz/Ruiz/PROPN/nsubj/1 said/say/VERB/ROOT/1 that/that/SCONJ/mark/4/IN "
               "Acme/Acme/PROPN/nsubj/4 won/win/VERB/ccomp/1", [(0, 1, "Person", None), (3, 4, "Organization", None)])
    assert refs(st, 0, tok(st, "that")) == []  # a complementizer stands for no one


def test_a_word_that_names_no_one_stands_for_its_appositive_name():
    # "One of the buyers, Acme, said": Acme
    st = state("One/one/NUM/nsubj/6 of/of/ADP/prep/0 the/the/DET/det/3 buyers/buyer/NOUN/pobj/1 ,/,/PUNCT/punct/0 "
               "Acme/Acme/PROPN/appos/0 said/say/VERB/ROOT/6", [(5, 6, "Organization", None)])
    assert names(subj_refs(st, 0, tok(st, "said"))) == ["Acme"]


def test_the_object_of_a_verb_does_what_it_governs_through_a_preposition():
    # "Oslo warned Rome against raising duties": Rome would raise them
    st = state("Oslo/Oslo/PROPN/nsubj/1 warned/warn/VERB/ROOT/1 Rome/Rome/PROPN/dobj/1 against/against/ADP/prep/1 "
               "raising/raise/VERB/pcomp/3 duties/duty/NOUN/dobj/4",
               [(0, 1, "Country", "country:NOR"), (2, 3, "Country", "country:ITA")])
    assert names(subj_refs(st, 0, tok(st, "raising"))) == ["Rome"]
    st = state("Oslo/Oslo/PROPN/nsubj/1 retaliated/retaliate/VERB/ROOT/1 by/by/ADP/prep/1 "
               "raising/raise/VERB/pcomp/2 duties/duty/NOUN/dobj/3", [(0, 1, "Country", "country:NOR")])
    assert names(subj_refs(st, 0, tok(st, "raising"))) == ["Oslo"]  # no object: the subject


def test_a_purpose_infinitive_is_done_by_the_subject():
    # "Oslo summoned the envoy to protest": Oslo protests (summon is no verb of object control)
    st = state("Oslo/Oslo/PROPN/nsubj/1 summoned/summon/VERB/ROOT/1 envoy/envoy/NOUN/dobj/1 "
               "to/to/PART/aux/4 protest/protest/VERB/xcomp/1 ban/ban/NOUN/dobj/4",
               [(0, 1, "Country", "country:NOR"), (2, 3, "Person", None)])
    assert names(subj_refs(st, 0, tok(st, "protest"))) == ["Oslo"]

"""Rules of the titles family (kg/extract/rules/titles.py): titles and the roles they imply."""

from __future__ import annotations

import pytest

from casekit import case, test_case, test_case_needs_its_rule  # noqa: F401  (the tests run on CASES)

pytestmark = pytest.mark.model

CASES = [
    case("lead-verb", "Maria Costa, who heads Brenner Logistics, met Peru's trade minister.",
         expect=[("Maria Costa", "leaderOf", "Brenner Logistics")]),
    case("lead-verb", "Sudan's Sovereign Council, led by General Ivo Sarkis, welcomed the sanctions.", name="led-by",
         expect=[("Ivo Sarkis", "leaderOf", "Sovereign Council")]),
    case("lead-verb", "The Senate Finance Committee is chaired by Senator Ruth Calder.", name="passive",
         expect=[("Ruth Calder", "leaderOf", "Senate Finance Committee")]),
    case("lead-verb", "Lena Holm led the Swedish delegation in Geneva, and China leads the world in solar exports.",
         name="no-body", reject=[("Lena Holm", "leaderOf", "Sweden"), ("China", "leaderOf", "@any")]),
    case("title-prenominal", "Finance Minister Karin Lund flew to Brussels on Monday.",
         expect=[("Karin Lund", "title", "Finance Minister")]),
    case("title-prenominal", "As President Ana Ruiz said last month, the duties will stay.", name="after-conjunction",
         reject=[("Ana Ruiz", "title", "As President")]),
    case("title-prenominal", "EU trade chief Anna Kovacs met exporters.", name="lower-case-domain",
         expect=[("Anna Kovacs", "title", "trade chief")]),
    case("title-prenominal", "The ministers were joined by Director-General of the World Trade Organization (WTO) "
                             "Rosa Lindqvist on Monday.", name="acronym-aside",
         expect=[("Rosa Lindqvist", "leaderOf", "World Trade Organization")]),
    case("title-appositive", "Pedro Alves, a senior adviser at the Central Bank of Brazil, said rates would rise.",
         expect=[("Pedro Alves", "title", "senior adviser")]),
    case("title-relative-clause", "Omar Haddad, who is the chief executive of Gulf Cement Company, warned of layoffs.",
         expect=[("Omar Haddad", "title", "chief executive")]),
    case("title-appositive-before", "Kenya's trade minister, Lee Kinyanjui, told reporters the deal was near.",
         expect=[("Lee Kinyanjui", "title", "trade minister")]),
    case("title-appositive-before", "Police said that they had arrested the President of Bolivia, Carla Rojas, at her home.", name="of-state",
         expect=[("Carla Rojas", "title", "President of Bolivia"), ("Carla Rojas", "leaderOf", "Bolivia")]),
    case("title-appositive-before", "Acme Steel cut jobs. The company's chief executive, Lena Dahl, said demand fell.",
         name="owner", expect=[("Lena Dahl", "title", "chief executive")], reject=[("Lena Dahl", "title", "company")]),
    case("title-appositive-before", "Tata Steel's chief executive, Lena Dahl, said demand fell.", name="org-owner",
         expect=[("Lena Dahl", "leaderOf", "Tata Steel")]),
    case("title-serving-as", "Maria Costa is now serving as acting foreign minister.",
         expect=[("Maria Costa", "title", "foreign minister")]),
    case("role-affiliation", "Jonas Lind, president of the Nordic Timber Association, criticised the levy.",
         expect=[("Jonas Lind", "leaderOf", "Nordic Timber Association")]),
    case("role-affiliation", "Eva Holm, a spokesperson for the Canadian Steel Producers Association, declined to comment.",
         name="member", expect=[("Eva Holm", "memberOf", "Canadian Steel Producers Association")]),
    case("role-inside", "White House National Economic Council Director Ruth Avery spoke on Friday.",
         expect=[("Ruth Avery", "leaderOf", "United States National Economic Council")]),
    case("role-same-sentence", "The Ministry of Finance said Minister Ivo Petrov would attend.",
         expect=[("Ivo Petrov", "memberOf", "Ministry of Finance")]),
    case("role-same-sentence", "Prime Minister Ivo Petrov will visit Paris, the Ministry of Foreign Affairs said.",
         name="head-of-government", reject=[("Ivo Petrov", "memberOf", "Ministry of Foreign Affairs")]),
    case("role-domain", "The U.S. Department of Commerce added firms to a list. Commerce Secretary Dana Cole defended it.",
         expect=[("Dana Cole", "leaderOf", "United States Department of Commerce")]),
    case("role-domain", "The U.S. Department of Commerce added firms to a list. Deputy Commerce Secretary Jo Lee defended it.",
         name="deputy", expect=[("Jo Lee", "memberOf", "United States Department of Commerce")],
         reject=[("Jo Lee", "leaderOf", "United States Department of Commerce")]),
    case("head-of-state", "Brazilian President Luiz Inácio Lula da Silva arrived in Lima on Sunday.",
         expect=[("Luiz Inácio Lula da Silva", "leaderOf", "Brazil")]),
    case("head-of-state", "Nigeria's former president Olusegun Obasanjo criticised the plan.", name="former",
         expect=[("Olusegun Obasanjo", "leaderOf", "Nigeria")]),
    case("head-of-state", "Nigeria's vice president Kashim Shettima criticised the plan.", name="deputy",
         reject=[("Kashim Shettima", "leaderOf", "Nigeria")]),
    case("head-of-state", "The deal was welcomed by President Bola Tinubu of Nigeria in a statement.", name="of-state",
         expect=[("Bola Tinubu", "leaderOf", "Nigeria")]),
    case("head-of-state", "Ghana raised cocoa prices on Monday. Officials in Ghana said that the budget was fair, "
                          "and President John Mahama said that it would pass.", name="home-state",
         expect=[("John Mahama", "leaderOf", "Ghana")]),
    case("head-of-state", "The United States raised tariffs on Monday. Officials in the United States said that the "
                          "budget was fair, and President Amara Diallo said that it would pass.", name="home-holder-known",
         reject=[("Amara Diallo", "leaderOf", "United States")]),
    case("head-of-state", "The talks were welcomed by North Korean leader Kim Jong Un in a statement.", name="leader",
         expect=[("Kim Jong Un", "leaderOf", "North Korea")]),
    case("head-of-state", "The talks were welcomed by Venezuelan opposition leader Maria Machado in a statement.",
         name="opposition-leader", reject=[("Maria Machado", "leaderOf", "Venezuela")]),
]



def test_title_comma_reads_a_title_the_parser_left_unattached():
    """title-comma on a hand-built parse where the apposition is not attached (as the
    statistical parser sometimes leaves it), and not on a relative clause."""
    from spacy.tokens import Doc

    from kg import gazetteer
    from kg.extract import extract
    from kg.model import Document
    from kg.nlp import Paragraph, load_pipeline

    words = ["Hanna", "Berg", ",", "deputy", "director", ",", "spoke", "."]
    heads = [1, 6, 6, 4, 6, 6, 6, 6]  # "deputy director" hangs on the verb: no appos
    deps = ["compound", "nsubj", "punct", "amod", "npadvmod", "punct", "ROOT", "punct"]
    pos = ["PROPN", "PROPN", "PUNCT", "ADJ", "NOUN", "PUNCT", "VERB", "PUNCT"]
    nlp = load_pipeline()
    sdoc = Doc(nlp.vocab, words=words, spaces=[True, False, True, True, False, True, False, False],
               heads=heads, deps=deps, pos=pos, lemmas=[w.lower() for w in words], ents=["B-PERSON", "I-PERSON"] + ["O"] * 6,
               sent_starts=[True] + [False] * 7)
    doc = Document("hand.txt", sdoc.text)
    gz = gazetteer.load()
    for off, want in ((frozenset(), True), (frozenset({"title-comma"}), False)):
        ex = extract(doc, [Paragraph("hand.txt", 0, sdoc)], gz, disabled=off)
        titles = {(r.subject.text, r.object) for r in ex.relations if r.prop == "title"}
        assert (("Hanna Berg", "deputy director") in titles) is want, (off, titles)

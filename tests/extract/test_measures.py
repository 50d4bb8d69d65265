"""Rules of the measures family (kg/extract/rules/measures.py), one document per case."""

from __future__ import annotations

import pytest

from casekit import case, test_case, test_case_needs_its_rule  # noqa: F401  (the tests run on CASES)

pytestmark = pytest.mark.model

CASES = [
    case("consider-measure", "Brussels is weighing anti-dumping duties on Turkish glass.",
         modal=[("European Union", "imposes", "@policy", "hypothetical")]),
    case("consider-measure", "Export controls on gallium were being considered by Canberra.", name="passive",
         modal=[("Australia", "imposes", "@policy", "hypothetical")]),
    case("consider-measure", "Oslo refused to consider sanctions on Minsk, and Minsk discussed the sanctions with Moscow.",
         name="refused-or-discussed", reject=[("Norway", "imposes", "@policy"), ("Belarus", "imposes", "@policy")]),
    # policy phrases
    case("policy-modifier", "Japanese tariffs on Australian beef rose again this year.",
         expect=[("Japan", "imposes", "@policy")]),
    case("policy-modifier", "Canada lifted its retaliatory duties on American pork on Monday.", name="its",
         expect=[("Canada", "imposes", "@policy")]),
    case("policy-modifier", "Analysts said its tariffs were a mistake.", name="no-owner",
         reject=[("@any", "imposes", "@policy")]),
    case("policy-target", "Ottawa's exclusion of Caracas from the list of preferred partners angered exporters.",
         name="list-removal-of", expect=[("@policy", "targets", "Venezuela"), ("Canada", "imposes", "@policy")],
         reject=[("@policy", "targets", "Canada")]),
    case("policy-target", "Canberra criticised the Indonesian duties on Australian wheat.",
         expect=[("@policy", "targets", "Australia"), ("@policy", "targets", "wheat")]),
    case("policy-target", "Sanctions on Cuba, a step the president had promised during a visit to Mexico, took effect.",
         name="not-in-relative-clause", expect=[("@policy", "targets", "Cuba")], reject=[("@policy", "targets", "Mexico")]),
    case("policy-target", "Canberra announced sanctions on drones made in Belarus and on firms supplying Iran's navy.",
         name="participles", expect=[("@policy", "targets", "Iran"), ("@policy", "targets", "Belarus")]),
    case("policy-target", "Ottawa announced sanctions on banks financing Russian attacks against Ukraine.",
         name="not-the-victim", expect=[("@policy", "targets", "Russia")], reject=[("@policy", "targets", "Ukraine")]),
    case("policy-target", "The tariffs on imports of steel and aluminium from Canada and Mexico took effect.",
         name="imports-from", expect=[("@policy", "targets", "Canada"), ("@policy", "targets", "Mexico"),
                                      ("@policy", "targets", "steel")]),
    case("policy-target", "The new tariffs of 20% on Korean steel and 10% on Korean cars took effect.", name="rate-phrase",
         expect=[("@policy", "targets", "steel"), ("@policy", "targets", "South Korea")]),
    case("policy-target", "The plan brings duties of 5% on Thai rice, and 15% on a range of fruit, including mangoes.",
         name="coordinated-rate", expect=[("@policy", "targets", "rice"), ("@policy", "targets", "fruit")]),
    case("policy-reason", "Ottawa announced sanctions on three shipping firms for carrying Iranian crude oil.",
         expect=[("@policy", "targets", "oil")]),
    case("agreement-parties", "The pact is a customs agreement between Chile, Peru and Mexico.",
         expect=[("Chile", "imposes", "@policy"), ("Peru", "imposes", "@policy"), ("Mexico", "imposes", "@policy")]),
    case("agreement-parties", "The levy hits states that do not have a trade agreement with Peru.", name="negated",
         reject=[("Peru", "imposes", "@policy")]),
    case("agreement-parties", "Talks between Chile and Peru on tariffs resumed.", name="not-an-agreement",
         reject=[("Chile", "imposes", "@any")]),
    case("policy-counter", "Mexico's retaliatory duties on American pork took effect on Monday.",
         expect=[("Mexico", "retaliatesAgainst", "United States")]),
    # verbs
    case("delisting-verb", "Ottawa removed Venezuela from its list of preferred trading partners last year.",
         expect=[("Canada", "imposes", "@policy"), ("@policy", "targets", "Venezuela")]),
    case("delisting-verb", "Moscow removed its troops from the border with Finland.", name="no-list",
         reject=[("Russia", "imposes", "@policy"), ("@policy", "targets", "Finland")]),
    case("measure-verb", "Jakarta restricted imports of Malaysian palm oil to two ports.", name="restrict",
         expect=[("Indonesia", "imposes", "@policy"), ("@policy", "targets", "Malaysia")]),
    case("measure-verb", "Heavy storms restricted shipping in the Baltic, and Riga curbed nothing.", name="restrict-no-target",
         reject=[("@any", "imposes", "@policy")]),
    case("measure-verb", "Seoul banned exports of lithium to Japan on Friday.",
         expect=[("@policy", "targets", "Japan"), ("South Korea", "imposes", "@policy")]),
    case("measure-verb", "Two Colombian shipping brokers were sanctioned by the Treasury Department on Monday.",
         name="passive", expect=[("@policy", "targets", "Colombia")]),
    case("measure-verb", "The Treasury is also concurrently sanctioning two banks in Laos.", name="place-on-verb",
         expect=[("@policy", "targets", "Laos")]),
    case("measure-verb", "Washington sanctioned the President of Belarus, Alexander Lukashenko, on Monday.", name="office-state",
         expect=[("@policy", "targets", "Alexander Lukashenko")], reject=[("@policy", "targets", "Belarus")]),
    case("listing", "The Commerce Department added two Chinese companies to the Entity List on Tuesday.",
         expect=[("@policy", "targets", "China"), ("United States Department of Commerce", "imposes", "@policy")]),
    case("listing-followup", "The Commerce Department added eleven entities to the Entity List on Monday. "
                             "The entities are located in China and Pakistan.",
         expect=[("@policy", "targets", "China"), ("@policy", "targets", "Pakistan")]),
    case("verb-target", "Steep duties were imposed last week on Brazilian steel.",
         expect=[("@policy", "targets", "Brazil")]),
    case("counter-measure", "Canada imposed retaliatory tariffs on American steel on Sunday.",
         expect=[("Canada", "retaliatesAgainst", "United States")]),
    case("counter-measure", "Canada may impose retaliatory tariffs on American steel.", name="hypothetical",
         reject=[("Canada", "retaliatesAgainst", "United States")]),
    case("impose-active", "Brazil imposed a 10% levy on imported tyres last week.",
         expect=[("Brazil", "imposes", "@policy")]),
    case("impose-active", "The 25% duties Prime Minister Anita Lund placed on Norwegian salmon hurt fishermen.",
         name="relative-clause", expect=[("Anita Lund", "imposes", "@policy")]),
    case("impose-active", "Canberra said it would impose duties on Thai sugar from March.", name="reported-would",
         expect=[("Australia", "imposes", "@policy")]),
    case("impose-active", "Ottawa said it would take all necessary measures to protect its farmers.", name="vague-future",
         reject=[("Canada", "imposes", "@policy")]),
    case("impose-active", "Canberra could impose duties on Thai sugar from March.", name="could",
         reject=[("Australia", "imposes", "@policy")]),
    case("impose-active", "The Andean Fisheries Accord (AFA) was drafted in May. In June, Chile signed the AFA.",
         name="defined-acronym", expect=[("Chile", "imposes", "@policy")]),
    case("impose-active", "Ottawa is weighing new duties on Chinese steel.", name="considered",
         reject=[("Canada", "imposes", "@policy")]),
    case("impose-passive", "Steep duties were imposed on Chinese solar panels by the European Commission.",
         expect=[("European Commission", "imposes", "@policy")]),
    case("impose-passive", "The levies announced by President Lula da Silva will cover cars.", name="participle",
         expect=[("Lula da Silva", "imposes", "@policy")]),
    # retaliation
    case("retaliate-verb", "Beijing retaliated against Washington within hours.",
         expect=[("China", "retaliatesAgainst", "United States")]),
    case("retaliate-with", "Ottawa retaliated with duties on American whiskey.",
         expect=[("Canada", "imposes", "@policy")]),
    case("retaliate-with", "The European Union responded with retaliatory tariffs on American motorcycles.", name="responded",
         expect=[("European Union", "imposes", "@policy"), ("European Union", "retaliatesAgainst", "United States")]),
    case("retaliation-noun", "The new tariffs provoked swift retaliation from Beijing against Washington.",
         expect=[("China", "retaliatesAgainst", "United States")]),
    case("retaliation-noun", "Tokyo has ruled out retaliation against Washington.", name="negated",
         reject=[("Japan", "retaliatesAgainst", "United States")]),
    case("imposition-noun", "Exporters protested the imposition of safeguard duties by Ankara.",
         expect=[("Turkey", "imposes", "@policy")]),
    case("measure-subject", "Ottawa imposed surtaxes on Chinese goods. The surtaxes will apply to aluminium and steel.",
         name="apply-to", expect=[("@policy", "targets", "aluminium"), ("@policy", "targets", "steel")]),
    case("measure-subject", "The sanctions were aimed at Syrian banks.", name="aimed-at",
         expect=[("@policy", "targets", "Syria")]),
    case("measure-subject", "The rules apply to everyone, and the tariffs could hit steel, analysts said.", name="no-measure-or-maybe",
         reject=[("@policy", "targets", "steel")]),
    case("measure-subject", "The new sanctions hit Belarus's potash exports hard.",
         expect=[("@policy", "targets", "Belarus")]),
    case("measure-subject", "Several Georgian banks were targeted by the export controls.", name="passive",
         expect=[("@policy", "targets", "Georgia")]),
    case("measure-subject", "The sanctions could hit Belarus's potash exports.", name="hypothetical",
         reject=[("@policy", "targets", "Belarus")]),
    case("measure-purpose", "The new sanctions were designed to punish President Omar Bashir for the massacres.",
         expect=[("@policy", "targets", "Omar Bashir")]),
    case("impose-passive", "The Magnitsky Act of 2012 barred officials from entry. The act was signed into law by "
                           "President Barack Obama in December 2012.", name="the-act",
         expect=[("Barack Obama", "imposes", "@policy")]),
]


def test_a_measure_a_verb_makes_joins_the_documents_measure():
    """ "The Treasury sanctioned two Peruvian banks … By sanctioning the banks, the United States
    …": one measure, not one per verb (kg.extract.clusters.assign)."""
    from casekit import run

    _, res = run("The Treasury sanctioned two Peruvian banks on Monday. By sanctioning the banks, "
                 "the United States said it had acted against money laundering.")
    assert sum(e.cls == "Policy" for e in res.entities.values()) == 1

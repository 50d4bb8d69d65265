"""Rules of the stance family (kg/extract/rules/stance.py): urging, criticism, threats."""

from __future__ import annotations

import pytest

from casekit import case, test_case, test_case_needs_its_rule  # noqa: F401  (the tests run on CASES)

pytestmark = pytest.mark.model

CASES = [
    case("urge", "Indian officials urged Washington to drop the duties on generic drugs.",
         expect=[("India", "urges", "United States")]),
    case("urge", "Colombia's foreign ministry called on Caracas to free the detained journalists.", name="call-on",
         expect=[("@any", "urges", "Venezuela")]),
    case("urge", "Nobody urged Lima to act.", name="no-subject", reject=[("@any", "urges", "Peru")]),
    case("criticize", "Beijing condemned the new Dutch export controls on chip machines.",
         expect=[("China", "criticizes", "@policy")]),
    case("criticize", "The Kremlin denounced Helsinki after the border closure.", name="actor",
         expect=[("Russia", "criticizes", "Finland")]),
    case("criticize", "Ottawa imposed duties on Chinese steel on Monday. Beijing condemned the move.", name="the-move",
         expect=[("China", "criticizes", "@policy")]),
    case("criticize", "Russian drones attacked Ukraine's power plants overnight.", name="physical-attack",
         reject=[("Russia", "criticizes", "Ukraine")]),
    case("characterisation", "\"Pyongyang remains a danger to every neighbour and a threat to peace,\" "
                             "Foreign Minister Takeshi Iwaya said.",
         expect=[("Takeshi Iwaya", "criticizes", "North Korea")]),
    case("characterisation", "Senator Mia Lund called Belarus a pariah state.", name="called",
         expect=[("Mia Lund", "criticizes", "Belarus")]),
    case("characterisation", "Cuba is a threat to the region, the editorial said.", name="reporter",
         reject=[("@any", "criticizes", "Cuba")]),
    case("characterisation", "Minister Tom Berg said the Japanese duties on Norwegian salmon were unfair.", name="reported",
         expect=[("Tom Berg", "criticizes", "@policy")]),
    case("characterisation", "The Japanese duties on Norwegian salmon were unfair to fishermen.", name="not-reported",
         reject=[("@any", "criticizes", "@policy")]),
    case("remedy", "Prime Minister Ana Brnabic promised to end Moscow's interference in the election.",
         expect=[("Ana Brnabic", "criticizes", "Russia")]),
    case("accusation", "Ottawa claims Beijing manipulated the canola market.",
         expect=[("Canada", "criticizes", "China")]),
    case("accusation", "President Ana Ruiz said the ruling had been ignored by Caracas.", name="passive-doer",
         expect=[("Ana Ruiz", "criticizes", "Venezuela")]),
    case("hostile-action", "\"We will keep disrupting Iran's smuggling routes,\" said Admiral Lena Voss.",
         expect=[("Lena Voss", "criticizes", "Iran")]),
    case("hostile-action", "The ministry said it would disrupt the supply chain.", name="no-owner",
         reject=[("@any", "criticizes", "@any")]),
    case("disapproval-noun", "The chancellor phoned President Lula to voice his disappointment at Brazil's new steel duties.",
         expect=[("@any", "criticizes", "@policy")]),
    case("disapproval-noun", "Prime Minister Kaja Kallas repeated her opposition to Moscow.", name="opposition",
         expect=[("Kaja Kallas", "criticizes", "Russia")]),
    case("disapproval-noun", "Today Canada is imposing new sanctions. With them Canada makes clear our opposition to the "
                             "policies of the Belarusian government.", name="statement-voice",
         expect=[("Canada", "criticizes", "Belarus")]),
    case("disapproval-noun", "Leaders of the opposition met in Minsk.", name="political-opposition",
         reject=[("@any", "criticizes", "@any")]),
    case("complaint", "Jakarta filed a complaint at the World Trade Organization against the European Union.",
         expect=[("Indonesia", "criticizes", "European Union")], reject=[("Indonesia", "criticizes", "World Trade Organization")]),
    case("threaten", "President Javier Milei threatened Chile during the rally.",
         expect=[("Javier Milei", "threatens", "Chile")]),
    case("warning", "Prime Minister Mark Rutte warned that he would report Belgrade to the Council of Europe.",
         expect=[("Mark Rutte", "threatens", "Serbia")]),
    case("warning", "Ankara vowed to take action against Athens.", name="action-against",
         expect=[("Turkey", "threatens", "Greece")]),
    case("warning", "Ankara warned that Athens was losing money.", name="not-punitive",
         reject=[("Turkey", "threatens", "Greece")]),
    case("hold-accountable", "Washington will hold Moscow accountable for the attack.",
         expect=[("United States", "threatens", "Russia")]),
    case("threatened-measure", "Washington threatened Managua with new sanctions.",
         modal=[("United States", "imposes", "@policy", "hypothetical")]),
    case("threatened-targets", "Washington threatened to impose sanctions on Nicaragua.",
         expect=[("United States", "threatens", "Nicaragua")]),
]

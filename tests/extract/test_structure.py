"""Rules of the structure family (kg/extract/rules/structure.py): partOf and locatedIn."""

from __future__ import annotations

import pytest

from casekit import case, test_case, test_case_needs_its_rule  # noqa: F401  (the tests run on CASES)

pytestmark = pytest.mark.model

CASES = [
    case("nested-name", "Ghana's Trade Ministry's Bureau of Standards opened an inquiry.",
         expect=[("Bureau of Standards", "partOf", "Trade Ministry")]),
    case("gazetteer-parent", "The Office of Foreign Assets Control acted after the Treasury Department asked it to.",
         expect=[("Office of Foreign Assets Control", "partOf", "United States Department of the Treasury")]),
    case("gazetteer-country", "The United States raised tariffs. The Treasury Department announced the measure.",
         expect=[("United States Department of the Treasury", "partOf", "United States")]),
    case("agency-country", "Peru's Ministry of Mines approved the licence.",
         expect=[("Ministry of Mines", "partOf", "Peru")]),
    case("agency-country", "The United States condemned the vote. The Supreme Electoral Tribunal had acted against "
                           "the will of the people of Honduras, a State Department spokesperson said.", name="nearest-state",
         expect=[("Supreme Electoral Tribunal", "partOf", "Honduras")], reject=[("Supreme Electoral Tribunal", "partOf", "United States")]),
    case("place-comma", "Protesters gathered in Arequipa, Peru, on Sunday.",
         expect=[("Arequipa", "locatedIn", "Peru")]),
    case("place-comma", "Delegations from Lagos, Accra, Dakar and Abidjan attended the summit.", name="list",
         reject=[("Lagos", "locatedIn", "@any")]),
    case("place-comma", "In a speech in Geneva, U.S. envoy Ana Ruiz spoke of trade.", name="modifier-after",
         reject=[("Geneva", "locatedIn", "United States")]),
    case("agency-country", "Peru's National Water Authority approved the licence, and the Central Election Council agreed.",
         name="each-keyless", expect=[("National Water Authority", "partOf", "Peru"), ("Central Election Council", "partOf", "Peru")]),
    case("place-apposition", "Officials visited Mombasa, a port city in Kenya, on Friday.",
         expect=[("Mombasa", "locatedIn", "Kenya")]),
    case("capital", "Kenya hosted the talks. Negotiators met in Nairobi on Friday.",
         expect=[("Nairobi", "locatedIn", "Kenya")]),
]

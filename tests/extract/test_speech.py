"""Rules of the speech family (kg/extract/rules/speech.py): quotations and interviews."""

from __future__ import annotations

import pytest

from casekit import case, test_case, test_case_needs_its_rule  # noqa: F401  (the tests run on CASES)

pytestmark = pytest.mark.model

CASES = [
    case("speech-verb", "Trade Minister Ola Berg spoke in Bergen. \"Our salmon will find other buyers,\" he said.",
         quotes=[("Ola Berg", "Our salmon will find other buyers")]),
    case("speech-verb", "\"The rules protect our farmers,\" said Agriculture Minister Rosa Delgado.", name="inverted",
         quotes=[("Rosa Delgado", "The rules protect our farmers")]),
    case("speech-verb", "Mexico's Economy Ministry issued a statement. The ministry said: "
                        "\"The duties are consistent with the trade agreement.\"", name="ministry",
         quotes=[("Mexico's Economy Ministry", "The duties are consistent with the trade agreement")]),
    case("according-to", "The talks were \"close to a deal,\" according to the Xinhua news agency.",
         quotes=[("Xinhua News Agency", "close to a deal")]),
    case("carried", "President Ilham Aliyev spoke in Baku on Monday. \"We will not yield,\" he said. "
                    "\"Our borders are not for sale.\"",
         quotes=[("Ilham Aliyev", "Our borders are not for sale")]),
    case("spoke-to", "Governor Tiff Macklem told Bloomberg that rates would stay high.",
         expect=[("Tiff Macklem", "spokeTo", "Bloomberg")]),
    case("spoke-to", "Minister Lars Vik said in an interview with Reuters that the ban would stay.", name="interview",
         expect=[("Lars Vik", "spokeTo", "Reuters")]),
]

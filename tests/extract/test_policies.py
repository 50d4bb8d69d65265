"""Policy-mention cases (``policy_cases.toml`` beside this file): which spans become
``kg:Policy`` mentions. Same format and checks as ``test_mentions.py``."""

from __future__ import annotations

import pytest

from test_mentions import cases, check

pytestmark = pytest.mark.model


@pytest.mark.parametrize("case", cases("policy_cases.toml"), ids=lambda c: c["id"])
def test_policies(case: dict):
    check("policy_cases.toml", case)

"""Runs the ``CASES`` of each test module here (see casekit.py): ``extract_case`` is
each case, ``ablation_case`` each case that says what its rule must find."""

from __future__ import annotations


def pytest_generate_tests(metafunc):
    cases = getattr(metafunc.module, "CASES", None)
    if cases is None:
        return
    if "extract_case" in metafunc.fixturenames:
        metafunc.parametrize("extract_case", cases, ids=[c.id for c in cases])
    if "ablation_case" in metafunc.fixturenames:
        positive = [c for c in cases if c.positive]
        metafunc.parametrize("ablation_case", positive, ids=[c.id for c in positive])

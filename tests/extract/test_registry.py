"""The rule registry: declarations are checked, every rule has a case, passes are in order."""

from __future__ import annotations

import importlib
import pathlib

import pytest

from kg.extract import PASSES, check_passes, extract, registry
from kg.extract.registry import Match, RegistryError, rule

HERE = pathlib.Path(__file__).parent
# rules whose case runs on a hand-built parse (the model's parse never takes that path on our sentences)
HAND_BUILT = {"title-comma": "test_titles.py::test_title_comma_reads_a_title_the_parser_left_unattached"}


def all_cases():
    for path in sorted(HERE.glob("test_*.py")):
        mod = importlib.import_module(path.stem)
        yield from getattr(mod, "CASES", ())


def test_every_rule_has_a_case_that_needs_it():
    covered = {c.rule for c in all_cases() if c.positive} | set(HAND_BUILT)
    missing = sorted(set(registry.RULES) - covered)
    assert not missing, f"rules with no positive case in tests/extract: {missing}"


def test_cases_name_registered_rules():
    unknown = sorted({c.rule for c in all_cases()} - set(registry.RULES))
    assert not unknown


def test_every_rule_reads_what_an_earlier_pass_assigns():
    assert check_passes() == []
    assert [p.name for p in PASSES][:2] == ["mentions", "doc-types"]


def test_rules_run_family_by_family():
    fams = [r.family for r in registry.ordered()]
    assert fams == sorted(fams, key=registry.FAMILIES.index)
    sanction = [r.name for r in registry.table("verb")["sanction"]]
    assert sanction.index("measure-verb") < sanction.index("impose-active")


def test_a_rule_declaration_is_checked():
    def fn(x):
        return None

    with pytest.raises(RegistryError, match="unknown properties"):
        rule("t-bad-prop", family="talks", on="verb", triggers={"x"}, emits=("talksTo",), confidence=0.5)(fn)
    with pytest.raises(RegistryError, match="family"):
        rule("t-bad-family", family="gossip", on="verb", triggers={"x"}, emits=("urges",), confidence=0.5)(fn)
    with pytest.raises(RegistryError, match="trigger"):
        rule("t-no-trigger", family="talks", on="verb", emits=("urges",), confidence=0.5)(fn)
    with pytest.raises(RegistryError, match="registered twice"):
        rule("urge", family="stance", on="verb", triggers={"x"}, emits=("urges",), confidence=0.5)(fn)
    with pytest.raises(RegistryError, match="reads"):
        rule("t-bad-read", family="talks", on="verb", triggers={"x"}, emits=("urges",), confidence=0.5, reads=("tea leaves",))(fn)
    assert not {"t-bad-prop", "t-bad-family", "t-no-trigger", "t-bad-read"} & set(registry.RULES)


def test_a_rule_cannot_emit_what_it_did_not_declare():
    r = registry.RULES["urge"]
    x = Match(st=None, para=0, tok=None, rule=r)  # type: ignore[arg-type]
    with pytest.raises(RegistryError, match="declares only"):
        x.emit(None, "threatens", None)  # type: ignore[arg-type]


def test_unknown_disabled_rule_is_an_error():
    from kg import gazetteer
    from kg.model import Document

    with pytest.raises(RegistryError, match="unknown rules"):
        extract(Document("a.txt", "x"), [], gazetteer.load(), disabled={"no-such-rule"})


def test_method_ids_name_the_rule():
    assert registry.RULES["impose-passive"].method == "kg.relations.v2:impose-passive"
    assert registry.RULES["speech-verb"].method == "kg.quotes.v2:speech-verb"
    assert all(r.doc for r in registry.RULES.values()), "every rule says what it reads in its docstring"


def test_the_rule_catalogue_in_docs_is_current():
    """docs/rules.md is what the registry says (regenerate: python -m kg.extract > docs/rules.md)."""
    assert (HERE.parent.parent / "docs" / "rules.md").read_text(encoding="utf-8") == registry.catalogue()


def test_no_class_in_kg_extract_is_over_300_lines():
    """The extraction stage stays in small pieces (issue 13: no god class)."""
    import ast

    root = HERE.parent.parent / "kg" / "extract"
    big = [f"{p.relative_to(root)}:{n.name} ({n.end_lineno - n.lineno + 1} lines)"
           for p in root.rglob("*.py") for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
           if isinstance(n, ast.ClassDef) and n.end_lineno - n.lineno + 1 > 300]
    assert not big

"""``python -m kg.extract``: print the rule catalogue (docs/rules.md)."""

from kg.extract.registry import catalogue

print(catalogue(), end="")

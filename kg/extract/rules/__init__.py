"""The rule families, imported in the order their rules run.

Importing this package registers every rule (:mod:`kg.extract.registry`):
measures, talks, stance (urging, criticism, threats), speech (quotes and
interviews), titles and roles, structure.
"""

from kg.extract.rules import measures, talks, stance, speech, titles, structure  # noqa: F401  (registration order)

FAMILIES = ("measures", "talks", "stance", "speech", "titles", "structure")

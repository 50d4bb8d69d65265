"""The rule families (:data:`kg.extract.registry.FAMILIES`): measures, talks, stance
(urging, criticism, threats), speech (quotes and interviews), titles and roles,
structure, and the history of measures (what changed them, when). Importing this package registers every rule (:mod:`kg.extract.registry`).
"""

from kg.extract.rules import history, measures, speech, stance, structure, talks, titles  # noqa: F401  (registers the rules)

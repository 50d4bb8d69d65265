"""newskg: news articles → knowledge graph (RDF, networkx, pyvis).

The pipeline, one module per stage:

    ingest → nlp → extract → resolve → rdf → (graph, view, export, query)
"""

__version__ = "0.1.0"

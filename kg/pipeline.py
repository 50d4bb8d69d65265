"""The whole build as one library call: ingest → NLP → extract → resolve → RDF → views.

``build(inputs, outdir, ...) -> BuildResult`` is what ``kg build`` runs; the
CLI only parses arguments, shows progress and prints the summary.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from kg import gazetteer
from kg.extract import extract
from kg.ingest import read_inputs
from kg.model import Document, Extraction, IngestError
from kg.nlp import DEFAULT_MODEL, load_pipeline, parse
from kg.rdf import statement_counts, to_graphs, write_outputs
from kg.resolve import resolve


class NothingToBuild(RuntimeError):
    """No input could be read: nothing is written. ``errors`` says why, file by file."""

    def __init__(self, message: str, errors: list[IngestError] | None = None):
        super().__init__(message)
        self.errors = list(errors or [])


@dataclass
class BuildResult:
    outdir: Path
    documents: int
    errors: list[IngestError]
    counts: dict[str, int]
    triples: int
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    validation: object | None = None


def extract_documents(
    docs: Sequence[Document],
    model: str = DEFAULT_MODEL,
    progress: Callable[[Document], None] | None = None,
    batch_size: int = 64,
    n_process: int = 1,
) -> list[Extraction]:
    """Parse and extract every document (one streamed ``nlp.pipe`` pass)."""
    nlp = load_pipeline(model)
    gz = gazetteer.load()
    out = []
    for doc, paras in parse(nlp, docs, batch_size=batch_size, n_process=n_process):
        out.append(extract(doc, paras, gz))
        if progress is not None:
            progress(doc)
    return out


def build(
    inputs: Sequence[Path],
    outdir: Path,
    *,
    model: str = DEFAULT_MODEL,
    default_date: str | None = None,
    min_confidence: float = 0.0,
    html: bool = True,
    formats: Sequence[str] = (),
    validate: bool = True,
    progress: Callable[[Document], None] | None = None,
    on_documents: Callable[[int], None] | None = None,
    n_process: int = 1,
) -> BuildResult:
    t0 = time.perf_counter()
    ing = read_inputs([Path(p) for p in inputs], default_date=default_date)
    if not ing.documents:
        raise NothingToBuild("no input could be read" + (f" ({len(ing.errors)} bad)" if ing.errors else ""), ing.errors)
    if on_documents is not None:
        on_documents(len(ing.documents))
    exs = extract_documents(ing.documents, model=model, progress=progress, n_process=n_process)
    res = resolve(exs, gazetteer.load())
    g, mg = to_graphs(res, ing.documents, min_confidence=min_confidence)
    outdir = Path(outdir)
    files = write_outputs(g, mg, outdir)
    if html:
        from kg.graph import to_networkx
        from kg.view import write_html

        files.append(write_html(to_networkx(g), outdir / "graph.html", min_confidence=min_confidence))
    for fmt in formats:
        if fmt in ("ttl", "turtle", "html"):
            continue
        from kg.export import export

        files.extend(export(outdir, fmt))
    report = None
    if validate:
        try:
            from kg.validate import validate as shacl_validate

            report = shacl_validate(g + mg)
        except ImportError:  # pragma: no cover - validation module not installed
            report = None
    return BuildResult(
        outdir=outdir,
        documents=len(ing.documents),
        errors=list(ing.errors),
        counts=statement_counts(g),
        triples=len(g) + len(mg),
        files=files,
        seconds=time.perf_counter() - t0,
        validation=report,
    )

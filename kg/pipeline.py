"""The whole build as one library call: ingest → NLP → extract → resolve → RDF → views.

``build(inputs, outdir, ...) -> BuildResult`` is what ``kg build`` runs; the
CLI only parses arguments, shows progress and prints the summary.

The per-document part (NLP and extraction) is a map; resolution, RDF and the
views are the reduce over every document's :class:`~kg.model.Extraction`:

* documents stream through ``nlp.pipe`` in batches and are extracted as they
  come out, so parsed spaCy docs never pile up;
* with one worker (the default) spaCy parses in a forked process while this
  one extracts the documents it has finished (:mod:`kg.ahead`): spaCy runs
  on one core as a bare ``nlp.pipe`` does, and extraction on the other;
* ``workers > 1`` runs the map in a pool of processes, each loading the model
  once and parsing and extracting whole chunks of documents (measured faster
  than spaCy's own ``nlp.pipe(n_process=…)``, which leaves extraction to the
  parent: see ``bench/README.md``); ``dask=ADDRESS`` runs it as tasks on a
  Dask distributed cluster;
* results are cached per document in ``OUTDIR/.kgcache`` (:mod:`kg.cache`),
  so a rebuild parses only new or changed documents.

Whatever the route, the reduce sees the same extractions in input order, so
the output is byte-identical to a serial from-scratch build.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from kg import gazetteer
from kg.extract import extract
from kg.forked import Forked
from kg.gcpause import no_cyclic_gc as _no_cyclic_gc
from kg.ingest import read_inputs
from kg.model import Document, Extraction, IngestError
from kg.nlp import DEFAULT_MODEL, load_pipeline, parse
from kg.rdf import statement_counts, to_triples, write_outputs
from kg.resolve import resolve

CHUNK = 16  # documents per pool or Dask task
# how the map runs on one machine: "pool" (the default) is a pool of processes that parse and
# extract when workers > 1, and with one worker a parse in a forked process beside extraction
# (kg.ahead); "spacy" is nlp.pipe(n_process=workers) with extraction here; "inline" parses and
# extracts in this process only
PARALLEL = ("pool", "spacy", "inline")


class NothingToBuild(RuntimeError):
    """No input could be read: nothing is written. ``errors`` says why, file by file."""

    def __init__(self, message: str, errors: list[IngestError] | None = None):
        super().__init__(message)
        self.errors = list(errors or [])


class SchedulerUnreachable(RuntimeError):
    """``--dask ADDRESS`` names no scheduler that answers."""


class ClusterMismatch(RuntimeError):
    """A Dask worker runs another newskg, gazetteer or model than the client."""


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
    cached: int = 0  # documents whose extraction came from OUTDIR/.kgcache
    extracted: int = 0  # documents parsed and extracted in this build
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, see build()
    manifest: Path | None = None  # OUTDIR/manifest.json, written last


class _Timer:
    """Seconds per stage; ``nlp`` and ``extract`` add up the workers' own clocks."""

    def __init__(self) -> None:
        self.t: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        self.t[stage] = self.t.get(stage, 0.0) + seconds

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - t0)


def _extract_stream(docs: Iterable[Document], nlp, gz, batch_size: int, n_process: int,
                    timer: _Timer, ahead: bool = False, meanwhile: Callable[[], object] | None = None) -> Iterator[Extraction]:
    """Parse (one streamed ``nlp.pipe``) and extract, timing the two apart.

    ``ahead``: the parse runs in a forked process (:func:`kg.ahead.parse_ahead`) while this
    one extracts; ``nlp`` is then that process's own time, and ``meanwhile`` runs here while
    the first documents are parsed.
    """
    if ahead:
        from kg.ahead import parse_ahead

        for doc, paras in parse_ahead(nlp, list(docs), batch_size=batch_size, timings=timer.t, meanwhile=meanwhile):
            with timer.stage("extract"):
                ex = extract(doc, paras, gz)
            yield ex
        return
    it = parse(nlp, docs, batch_size=batch_size, n_process=n_process)
    while True:
        t0 = time.perf_counter()
        try:
            doc, paras = next(it)
        except StopIteration:
            timer.add("nlp", time.perf_counter() - t0)
            return
        t1 = time.perf_counter()
        ex = extract(doc, paras, gz)
        t2 = time.perf_counter()
        timer.add("nlp", t1 - t0)
        timer.add("extract", t2 - t1)
        yield ex


def extract_documents(
    docs: Sequence[Document],
    model: str = DEFAULT_MODEL,
    progress: Callable[[Document], None] | None = None,
    batch_size: int = 64,
    n_process: int = 1,
) -> list[Extraction]:
    """Parse and extract every document (one streamed ``nlp.pipe`` pass), in order."""
    nlp = load_pipeline(model)
    gz = gazetteer.load()
    out = []
    for ex in _extract_stream(docs, nlp, gz, batch_size, n_process, _Timer()):
        out.append(ex)
        if progress is not None:
            progress(ex.doc)
    return out


# --- the map, run in a worker: a process of the local pool or a Dask worker -------------------

_worker_lock = threading.Lock()  # one spaCy pipeline per process is not for concurrent threads


def extract_batch(docs: Sequence[Document], model: str = DEFAULT_MODEL, batch_size: int = 64) -> tuple[list[Extraction], dict[str, float]]:
    """Parse and extract ``docs`` in this process (loading the model once per process).

    Returns the extractions in order and this call's seconds per stage
    (``model`` when it loaded the pipeline, ``nlp``, ``extract``). This is
    the task a pool process or Dask worker runs; it must be importable there.
    """
    timer = _Timer()
    with _worker_lock:
        with timer.stage("model"):
            nlp = load_pipeline(model)
            gz = gazetteer.load()
        out = list(_extract_stream(docs, nlp, gz, batch_size, 1, timer))
    return out, timer.t


def _pool_init(model: str) -> None:
    load_pipeline(model)
    gazetteer.load()


def _dask_task(docs: list[Document], model: str, batch_size: int, version: str) -> tuple[list[Extraction], dict[str, float]]:
    from kg.cache import pipeline_version

    mine = pipeline_version(model)
    if mine != version:
        raise ClusterMismatch(
            f"Dask worker {os.uname().nodename} (pid {os.getpid()}) runs pipeline version {mine}, the client "
            f"{version}: install the same newskg checkout, gazetteer and spaCy model ({model}) on every worker"
        )
    return extract_batch(docs, model, batch_size)


def _chunks(items: list, n: int) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _map_local(docs: list[Document], model: str, batch_size: int, workers: int, parallel: str,
               timer: _Timer, meanwhile: Callable[[], object] | None = None) -> Iterator[Extraction]:
    """Extractions of ``docs`` in order, computed on this machine."""
    if parallel not in PARALLEL:
        raise ValueError(f"unknown parallel mode {parallel!r}; valid: {', '.join(PARALLEL)}")
    if workers <= 1 or len(docs) <= CHUNK or parallel in ("spacy", "inline"):
        with timer.stage("model"):
            nlp = load_pipeline(model)
            gz = gazetteer.load()
        n_process = workers if parallel == "spacy" and len(docs) > CHUNK else 1
        yield from _extract_stream(docs, nlp, gz, batch_size, n_process, timer,
                                   ahead=n_process == 1 and parallel != "inline" and _parse_ahead_pays(len(docs)),
                                   meanwhile=meanwhile)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the parent may run threads (progress bar, Dask client) that fork would copy mid-lock
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                             initializer=_pool_init, initargs=(model,)) as pool:
        pending: deque = deque()  # at most two chunks per worker in flight: memory stays bounded
        chunks = _chunks(docs, CHUNK)
        for chunk in chunks:
            pending.append(pool.submit(extract_batch, chunk, model, batch_size))
            if len(pending) >= 2 * workers:
                break
        try:
            while pending:
                exs, t = pending.popleft().result()
                nxt = next(chunks, None)
                if nxt is not None:
                    pending.append(pool.submit(extract_batch, nxt, model, batch_size))
                for k, v in t.items():
                    timer.add(k, v)
                yield from exs
        finally:  # the caller stopped (an error, Ctrl-C): do not parse what nobody will read
            for f in pending:
                f.cancel()


def _parse_ahead_pays(n_docs: int) -> bool:
    """Whether a serial map parses in a process of its own beside extraction: with more than one
    document to overlap, a second core to run on, and ``os.fork``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return n_docs > 1 and cores > 1 and hasattr(os, "fork")


def _map_dask(docs: list[Document], model: str, batch_size: int, address, version: str,
              timer: _Timer) -> Iterator[tuple[int, Extraction]]:
    """(index, extraction) of ``docs`` as Dask tasks finish them (not in order)."""
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("--dask needs Dask distributed: pip install 'dask[distributed]' (or newskg[dask])") from exc
    own = not isinstance(address, Client)
    try:
        client = Client(address, set_as_default=False) if own else address
    except OSError as exc:  # refused, timed out, unknown host
        raise SchedulerUnreachable(
            f"cannot reach the Dask scheduler at {address}: {exc}; start one with `dask scheduler` "
            "and workers with `dask worker ADDRESS --nthreads 1`, or drop --dask") from exc
    try:
        chunks = list(_chunks(list(range(len(docs))), CHUNK))
        # a partial: client.map has a batch_size of its own
        task = functools.partial(_dask_task, model=model, batch_size=batch_size, version=version)
        futures = client.map(task, [[docs[i] for i in c] for c in chunks], pure=False)
        start = {f.key: c[0] for f, c in zip(futures, chunks)}
        for fut in as_completed(futures, loop=client.loop):
            exs, t = fut.result()
            for k, v in t.items():
                timer.add(k, v)
            first = start[fut.key]
            fut.release()
            for j, ex in enumerate(exs):
                yield first + j, ex
    finally:
        if own:
            client.close()


def fingerprint(model: str = DEFAULT_MODEL) -> dict[str, str]:
    """What names a build's making: newskg's version, spaCy's, the model (``name==version``) and
    the pipeline version, the hash of extraction code, reference data, spaCy and model that keys
    the build cache and that Dask workers must share (:func:`kg.cache.pipeline_version`)."""
    import spacy

    from kg import __version__
    from kg.cache import model_fingerprint, pipeline_version

    return {"newskg": __version__, "spacy": spacy.__version__, "model": model_fingerprint(model),
            "pipeline": pipeline_version(model)}


def check_reference_data(*, html: bool = True, validate: bool | str = "auto", formats: Sequence[str] = ()) -> None:
    """Read every data file a build with these options needs, before it reads an article or writes a file.

    The gazetteer always; the view's assets with ``html``; the SHACL shapes and
    the ontology when the build may validate; the JSON-LD context for a
    ``jsonld`` export. A missing or damaged file raises
    :class:`kg.resources.DataFileError` here, so no build is made with part of
    its reference data missing. An unknown export format raises
    :class:`kg.export.UnknownFormatError`. Everything read is cached for the build.
    """
    from kg.export import resolve_format

    names = {resolve_format(f).name for f in formats if f not in ("html",)}
    gazetteer.load()
    if html:
        from kg.view import assets

        assets()
    if validate:
        from kg.validate import load_ontology, load_shapes

        load_shapes()
        load_ontology()
    if "jsonld" in names:
        from kg.export.rdf import load_context

        load_context()


def build(
    inputs: Sequence[Path],
    outdir: Path,
    *,
    model: str = DEFAULT_MODEL,
    default_date: str | None = None,
    min_confidence: float = 0.0,
    html: bool = True,
    formats: Sequence[str] = (),
    validate: bool | str = True,
    progress: Callable[[Document], None] | None = None,
    on_documents: Callable[[int], None] | None = None,
    n_process: int = 1,
    workers: int | None = None,
    parallel: str = "pool",
    cache: bool = True,
    dask=None,
    batch_size: int = 64,
) -> BuildResult:
    """Build the graph of ``inputs`` into ``outdir``.

    ``workers`` processes run NLP and extraction (default ``n_process``, the
    older name); ``parallel`` picks how (``"pool"`` of processes that parse
    and extract, with one worker a parse in a forked process beside extraction
    here; ``"spacy"``: ``nlp.pipe(n_process=workers)`` with extraction here;
    ``"inline"``: everything in this process). ``dask`` (a scheduler address such as
    ``"tcp://10.0.0.5:8786"``, or a ``distributed.Client``) runs them as
    tasks on that cluster instead. ``cache=False`` neither reads nor writes
    ``OUTDIR/.kgcache``. ``progress`` is called once per document, cached or
    not, as its extraction is ready.

    ``validate``: True (the default) checks the result against the SHACL shapes
    with the native engine (:func:`kg.validate.validate_triples`), False does
    not; ``"auto"``, an older value, is True.

    One build per output folder: the build holds ``OUTDIR/.kg-build.lock``
    (:mod:`kg.outlock`) from its first read of the cache to its last write, and
    raises :class:`kg.outlock.OutdirLocked`, naming the holder, when another
    process holds it. ``OUTDIR/manifest.json`` (:mod:`kg.manifest`) is removed
    before the first output is replaced and written last, naming the build and
    every output with its SHA-256.

    Before anything is read or written, :func:`check_reference_data` reads
    the data files the build will need: a missing one raises
    :class:`kg.resources.DataFileError`, an unknown format
    :class:`kg.export.UnknownFormatError`.

    ``BuildResult.timings`` has seconds per stage: ``ingest``, ``cache``
    (hashing, reading and writing entries), ``model`` (loading spaCy),
    ``nlp`` and ``extract`` (summed over workers: CPU time, not wall time,
    when parallel), ``map`` (wall time of parsing and extracting),
    ``resolve``, ``rdf`` (building the graphs), ``write`` (Turtle), then
    ``html``, ``export`` and ``validate`` when asked for.
    """
    t0 = time.perf_counter()
    timer = _Timer()
    workers = max(1, workers if workers is not None else n_process)
    check_reference_data(html=html, validate=validate, formats=formats)
    with timer.stage("ingest"):
        ing = read_inputs([Path(p) for p in inputs], default_date=default_date)
    if not ing.documents:
        raise NothingToBuild("no input could be read" + (f" ({len(ing.errors)} bad)" if ing.errors else ""), ing.errors)
    if on_documents is not None:
        on_documents(len(ing.documents))
    docs = ing.documents
    outdir = Path(outdir)
    from kg import outlock

    with outlock.hold(outdir):
        return _build_locked(docs, ing.errors, outdir, t0, timer, model=model, min_confidence=min_confidence, html=html,
                             formats=formats, validate=bool(validate), progress=progress, workers=workers,
                             parallel=parallel, cache=cache, dask=dask, batch_size=batch_size)


def _build_locked(docs: list[Document], errors: list[IngestError], outdir: Path, t0: float, timer: _Timer, *,
                  model: str, min_confidence: float, html: bool, formats: Sequence[str], validate: bool,
                  progress: Callable[[Document], None] | None, workers: int, parallel: str, cache: bool, dask,
                  batch_size: int) -> BuildResult:
    """:func:`build` from the cache on, while it holds OUTDIR's lock."""
    from kg import manifest as mf
    from kg.cache import ExtractionCache, content_key, pipeline_version, remove_temporaries

    record = mf.Manifest()
    with timer.stage("cache"):
        version = pipeline_version(model)  # also: a missing model fails here, before any work
        store = ExtractionCache(outdir, version) if cache else None
        keys = [content_key(d) for d in docs] if cache else []
    exs: list[Extraction | None] = [None] * len(docs)
    todo: list[int] = []
    for i, d in enumerate(docs):
        ex = None
        if store is not None:
            with timer.stage("cache"):
                ex = store.get(d, keys[i])
        if ex is None:
            todo.append(i)
        else:
            exs[i] = ex
            if progress is not None:
                progress(d)

    t_map = time.perf_counter()
    if todo:
        with store.writer() if store is not None else contextlib.nullcontext() as put:

            def done(i: int, ex: Extraction) -> None:
                exs[i] = ex
                if put is not None:
                    with timer.stage("cache"):
                        put(docs[i], ex, keys[i])
                if progress is not None:
                    progress(docs[i])

            pending = [docs[i] for i in todo]
            if dask is not None:
                for j, ex in _map_dask(pending, model, batch_size, dask, version, timer):
                    done(todo[j], ex)
            else:
                warm = functools.partial(_warm_up, html=html, validate=validate)
                for j, ex in enumerate(_map_local(pending, model, batch_size, workers, parallel, timer, warm)):
                    done(todo[j], ex)
            t_wait = time.perf_counter()
        timer.add("cache", time.perf_counter() - t_wait)  # the last entries' writes
    timer.add("map", time.perf_counter() - t_map)
    assert all(ex is not None for ex in exs)

    mf.remove(outdir)  # from here on the folder's outputs may be of two builds: no manifest says otherwise
    with _no_cyclic_gc():
        with timer.stage("resolve"):
            res = resolve(exs, gazetteer.load())  # type: ignore[arg-type]
        with timer.stage("rdf"):
            g, mg = to_triples(res, docs, min_confidence=min_confidence)  # sets: see kg.rdf
        # the SHACL check runs in a forked process beside writing, the view and the exports
        checking = Forked(functools.partial(_check, g, mg)) if validate else None
        try:
            with timer.stage("write"):
                files = write_outputs(g, mg, outdir)
        except BaseException:
            if checking is not None:
                checking.cancel()
            raise
    try:
        if store is not None:
            with timer.stage("cache"):
                store.prune(set(keys))
        report = None
        n_triples = len(g) + len(mg)
        if html:
            with timer.stage("html"):
                from kg.graph import TripleIndex, to_networkx
                from kg.view import write_html

                # to_networkx ignores the mention triples
                files.append(write_html(to_networkx(TripleIndex(g)), outdir / "graph.html", min_confidence=min_confidence))
        for fmt in formats:
            if fmt in ("ttl", "turtle", "html"):
                continue
            with timer.stage("export"):
                from kg.export import export

                files.extend(export(outdir, fmt))
    except BaseException:
        if checking is not None:
            checking.cancel()
        raise
    if checking is not None:
        with timer.stage("validate"):  # the time the build waits for the check, beyond the work above
            report = checking.result()
        timer.add("validate_cpu", checking.seconds)  # the check's own time, in its process
    remove_temporaries(outdir)  # of builds killed before; ours are all renamed by now
    with timer.stage("manifest"):
        fp = fingerprint(model)
        record.newskg, record.pipeline = fp["newskg"], fp["pipeline"]
        record.documents, record.triples = len(docs), n_triples
        if report is not None:
            record.shacl = {"engine": report.engine, "conforms": report.conforms,
                            "violations": sum(1 for v in report.violations if v.severity == "Violation")}
        manifest_path = mf.write(outdir, record, files)
    return BuildResult(
        outdir=outdir,
        documents=len(docs),
        errors=list(errors),
        counts=statement_counts(g),
        triples=n_triples,
        files=files,
        seconds=time.perf_counter() - t0,
        validation=report,
        cached=len(docs) - len(todo),
        extracted=len(todo),
        timings=dict(timer.t),
        manifest=manifest_path,
    )


def _warm_up(*, html: bool, validate: bool) -> None:
    """Import and compile what the reduce will need (the view's pyvis, the SHACL shapes), while a
    forked process parses the first documents and this one would wait for them."""
    import kg.forked  # noqa: F401
    import kg.turtle  # noqa: F401

    if html:
        import pyvis.network  # noqa: F401 - imports IPython: a third of a second

        import kg.view  # noqa: F401
    if validate:
        from kg.validate import _default_ox_hierarchy, _model, load_shapes

        _model(load_shapes())
        _default_ox_hierarchy()


def _check(g: set, mg: set):
    """SHACL-check the build's triples with the native engine (run in a forked process by :func:`build`)."""
    from kg.rdf import ox_triples
    from kg.validate import validate_triples

    with _no_cyclic_gc():
        return validate_triples(ox_triples(g | mg))

"""The incremental build: per-document extraction results kept in OUTDIR.

``kg build`` parses and extracts a document only when its result is not
cached. An entry is keyed by

* the document's **content hash** (:func:`content_key`: id, text, title, date,
  URL and body spans, everything extraction reads), and
* the **pipeline version** (:func:`pipeline_version`: a hash of every file of
  the ``kg.extract`` package (code and word lists, subpackages too),
  ``kg/nlp.py``, ``kg/gazetteer.py``, ``kg/model.py``, every
  ``ontology/gazetteer/*.csv``, the spaCy version and the model's name and
  version), so a change of code, reference data or model invalidates it. The
  files are read as installed (:mod:`kg.resources`) and named inside the
  package, so a checkout and a wheel of the same code have the same version.

Resolution, RDF and the views always run over all current documents, so the
output is the same as a from-scratch build, and a document that was removed
from the input contributes nothing.

Layout: ``OUTDIR/.kgcache/<version>/<ab>/<key>.x``, one file per document,
written atomically (:func:`kg.io.atomic_write`) as soon as the document is
extracted, so an interrupted build keeps what it finished. Each file carries
a header with its key, version and payload checksum
(:func:`kg.model.dump_extraction`); a file that does not verify is a miss
and is rewritten, never served. After a successful build :meth:`prune`
removes entries of documents no longer in the input and of other versions.
Delete ``OUTDIR/.kgcache`` (or pass ``--no-cache``) to start afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import re
import shutil
import threading
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Callable, Iterator

from kg.io import atomic_write, remove_stale_temps
from kg.model import Document, Extraction, dump_extraction, load_extraction
from kg.resources import list_folder, ontology_file, package_folder, read_bytes

CACHE_DIR = ".kgcache"
SUFFIX = ".x"


def content_key(doc: Document) -> str:
    """SHA-256 (hex) of everything about ``doc`` that extraction reads.

    ``source`` (where the file was found) is left out: moving a file does not
    change what is read from it.
    """
    body = None if doc.body is None else [list(s) for s in doc.body]
    blob = json.dumps([doc.id, doc.text, doc.title, doc.date, doc.url, body], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def _package_files(folder: Traversable) -> list[Traversable]:
    """Every file under ``folder``, recursively, by name (bytecode caches and hidden files left out)."""
    found: list[Traversable] = []
    for f in list_folder(folder):
        if f.name.startswith(".") or f.name == "__pycache__" or f.name.endswith((".pyc", ".pyo")):
            continue
        found.extend(_package_files(f) if f.is_dir() else [f])
    return found


def pipeline_files() -> list[Traversable]:
    """The files whose bytes make up the pipeline version, in a fixed order."""
    kg = package_folder("kg")
    files = _package_files(package_folder("kg.extract"))
    files += [kg / "nlp.py", kg / "gazetteer.py", kg / "model.py"]
    files += [f for f in list_folder(ontology_file("gazetteer")) if f.name.endswith(".csv")]
    return files


def _package_name(f: Traversable) -> str:
    """``f`` named inside the installed package (``kg/extract/x.py``, ``kg/ontology/gazetteer/x.csv``)."""
    for package in ("kg.ontology", "kg"):
        try:
            rel = Path(str(f)).relative_to(Path(str(package_folder(package))))
        except ValueError:
            continue
        return "/".join((*package.split("."), *rel.parts))
    return f.name


def model_fingerprint(model: str) -> str:
    """``name==version`` of an installed spaCy pipeline package, or of a pipeline folder.

    Raises :class:`kg.nlp.ModelNotFound` (with what to install) when ``model``
    is neither.
    """
    import spacy

    if spacy.util.is_package(model):
        return f"{model}=={spacy.util.get_package_version(model)}"
    path = Path(model)
    meta = path / "meta.json"
    if meta.is_file():
        data = meta.read_bytes()
        info = json.loads(data)
        return f"{info.get('lang')}_{info.get('name')}=={info.get('version')}@{hashlib.sha256(data).hexdigest()[:16]}"
    from kg.nlp import load_pipeline

    nlp = load_pipeline(model)  # raises ModelNotFound with the install hint
    # loadable but neither a package nor a folder ("blank:en"): named by what spaCy says it is
    return f"{model}:{nlp.meta.get('lang')}_{nlp.meta.get('name')}=={nlp.meta.get('version')}"


def _digest(files: tuple[Traversable, ...]) -> str:
    h = hashlib.sha256()
    for f in files:
        data = read_bytes(f)  # a missing file: kg.resources.DataFileError
        h.update(f"{_package_name(f)}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


@lru_cache(maxsize=8)
def _files_digest(files: tuple[Traversable, ...], stamps: tuple[tuple[int, int], ...]) -> str:
    return _digest(files)


def pipeline_version(model: str) -> str:
    """A short hash naming this extraction code, reference data, spaCy and model."""
    import spacy

    files = tuple(pipeline_files())
    try:  # files on a file system (always, but for a zipped install): cached until one changes
        stamps = tuple((s.st_mtime_ns, s.st_size) for s in (os.stat(f) for f in files))  # type: ignore[arg-type]
    except (TypeError, OSError):
        digest = _digest(files)
    else:
        digest = _files_digest(files, stamps)
    h = hashlib.sha256(f"{digest}\0spacy=={spacy.__version__}\0{model_fingerprint(model)}\0"
                       f"format={_FORMAT}".encode())
    return h.hexdigest()[:24]


_FORMAT = 1  # of this module's layout; folded into the version


_TMP = re.compile(r"^\.(?P<target>.+?)\.(?:(?P<pid>\d+)\.)?[A-Za-z0-9_]{8}\.tmp$")  # .<target>.<pid>.<random>.tmp


def _remove_if_stale(f: Path) -> bool:
    """Remove ``f`` if it is a temporary file of :func:`kg.io.atomic_open` whose writer died."""
    m = _TMP.match(f.name)
    if m is None:
        return False
    if m.group("pid") is not None:  # kg.io knows whether that writer still runs
        return f in remove_stale_temps(f.parent / m.group("target"))
    with contextlib.suppress(FileNotFoundError):  # an older name without the writer's pid
        f.unlink()
        return True
    return False


def remove_temporaries(folder: Path) -> int:
    """Delete the temporary files that killed writers left under ``folder``; return how many.

    :func:`kg.io.atomic_open` removes its temporary file on any error, but a
    process killed outright leaves it behind; a file of a writer that still
    runs is kept.
    """
    return sum(_remove_if_stale(f) for f in Path(folder).rglob(".*.tmp") if f.is_file())


class ExtractionCache:
    """Per-document extraction results of one output folder and one pipeline version."""

    def __init__(self, outdir: Path, version: str):
        self.base = Path(outdir) / CACHE_DIR
        self.version = version
        self.root = self.base / version
        self.rejected = 0  # files that existed but did not verify

    def path(self, key: str) -> Path:
        return self.root / key[:2] / (key + SUFFIX)

    def get(self, doc: Document, key: str | None = None) -> Extraction | None:
        """The cached extraction of ``doc``, with ``doc`` itself as its document; ``None`` on a miss."""
        key = key or content_key(doc)
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        try:
            ex = load_extraction(data, key=key, version=self.version)
        except Exception:  # noqa: BLE001 - BadRecord, or a pickle of classes that changed: a miss, never an error
            self.rejected += 1
            return None
        if ex.doc.id != doc.id:
            self.rejected += 1
            return None
        ex.doc = doc
        return ex

    def put(self, doc: Document, ex: Extraction, key: str | None = None) -> None:
        """Write the entry of ``doc`` now (atomically)."""
        key = key or content_key(doc)
        atomic_write(self.path(key), dump_extraction(ex, key=key, version=self.version))

    @contextlib.contextmanager
    def writer(self) -> Iterator[Callable[[Document, Extraction, str], None]]:
        """``put`` that returns at once: a thread does the writing (and its fsync).

        The record is serialised in the caller's thread, so later changes to
        ``ex`` cannot reach it. Leaving the block waits until every queued
        entry is on disk, also when the block raised (an interrupted build
        keeps what it finished); a failed write is raised there.
        """
        q: queue.Queue = queue.Queue(maxsize=64)
        errors: list[BaseException] = []

        def run() -> None:
            while (item := q.get()) is not None:
                if not errors:
                    try:
                        atomic_write(*item)
                    except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                        errors.append(exc)

        t = threading.Thread(target=run, name="kg-cache-writer", daemon=True)
        t.start()

        def put(doc: Document, ex: Extraction, key: str) -> None:
            if errors:
                raise errors[0]
            q.put((self.path(key), dump_extraction(ex, key=key, version=self.version)))

        try:
            yield put
        finally:
            q.put(None)
            t.join()
        if errors:
            raise errors[0]

    def prune(self, keep: set[str]) -> int:
        """Delete entries whose key is not in ``keep`` and every other version's folder; return how many files went."""
        removed = 0
        if self.base.is_dir():
            for other in self.base.iterdir():
                if other.name != self.version and other.is_dir():
                    removed += sum(1 for _ in other.rglob("*" + SUFFIX))
                    shutil.rmtree(other, ignore_errors=True)
        if self.root.is_dir():
            for sub in self.root.iterdir():
                if not sub.is_dir():
                    continue
                for f in sub.iterdir():
                    if not f.name.endswith(SUFFIX):
                        _remove_if_stale(f)
                    elif f.name[: -len(SUFFIX)] not in keep:
                        with contextlib.suppress(FileNotFoundError):
                            f.unlink()
                            removed += 1
                with contextlib.suppress(OSError):
                    os.rmdir(sub)  # only when empty
        return removed

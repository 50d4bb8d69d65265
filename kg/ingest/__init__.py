"""Ingest: read article files and folders into :class:`~kg.model.Document` records.

>>> from kg.ingest import read_inputs
>>> res = read_inputs([Path("articles/")], default_date="2024-01-01")  # doctest: +SKIP
>>> res.documents, res.errors  # doctest: +SKIP

Inputs are any mix of files and folders. Folders are walked recursively in
sorted order; hidden files and folders (name starting with ``.``) are
skipped, symlinked folders are not followed, and files of other types are
ignored. A file named explicitly must have a known suffix (see
:data:`READERS`). Every problem (a missing path, an unknown suffix, an
empty, binary, non-UTF-8, too large or unreadable file, a bad JSONL line,
HTML without text, a duplicate document id) is an
:class:`~kg.model.IngestError` in :attr:`IngestResult.errors`; nothing
raises for bad input.

Document ids are the file base name (``000_x.txt``) or the JSONL record's
``id``. They must be unique: when a later input (in sorted path order, JSONL
lines in order) repeats an id, that input is skipped with an error naming
the earlier one.
"""

from __future__ import annotations

import dataclasses
import errno
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from kg.ingest.body import detect_body
from kg.ingest.meta import is_iso_date
from kg.ingest.readers import (
    BROKEN_LINK,
    LINK_LOOP,
    MAX_BYTES,
    MAX_RECORD_BYTES,
    READERS,
    Limits,
    reader_for,
    valid_suffixes,
)
from kg.model import Document, IngestError

__all__ = [
    "IngestResult",
    "read_inputs",
    "iter_input_files",
    "detect_body",
    "MAX_BYTES",
    "MAX_RECORD_BYTES",
    "READERS",
]


@dataclass
class IngestResult:
    """What :func:`read_inputs` read: documents in order, and the problems."""

    documents: list[Document] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    files: int = 0  # input files opened (after expanding folders)


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: Path) -> Iterator[Path | IngestError]:
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d))
        for name in sorted(filenames):
            if not _hidden(name) and reader_for(Path(name)) is not None:
                yield Path(dirpath) / name
    for e in errors:
        where = Path(e.filename) if e.filename else root
        what = "permission denied" if isinstance(e, PermissionError) else (e.strerror or str(e))
        yield IngestError(where, f"cannot list folder: {what}; its files were not read")


def iter_input_files(paths: Sequence[Path | str]) -> Iterator[Path | IngestError]:
    """The files to read from ``paths`` (files and folders), or errors for bad paths.

    Not sorted or de-duplicated; :func:`read_inputs` does that.
    """
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from _walk(p)
        elif p.exists():
            if reader_for(p) is None:
                kind = f"'{p.suffix}'" if p.suffix else "a file without a suffix"
                yield IngestError(p, f"unsupported file type {kind}; valid: {valid_suffixes()}")
            else:
                yield p
        elif p.is_symlink():
            yield IngestError(p, _link_problem(p))
        else:
            yield IngestError(p, "no such file or folder; check the path")


def _link_problem(p: Path) -> str:
    """Why the symbolic link ``p`` cannot be followed: a loop, or a missing target."""
    try:
        os.stat(p)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return LINK_LOOP
        if not isinstance(e, FileNotFoundError):
            return f"cannot follow the symbolic link: {e.strerror or e}"
    return BROKEN_LINK


def read_inputs(
    paths: Sequence[Path | str],
    default_date: str | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    max_record_bytes: int = MAX_RECORD_BYTES,
) -> IngestResult:
    """Read every article under ``paths``.

    ``default_date`` (ISO ``YYYY-MM-DD``) is given to documents whose date is
    not found. ``max_bytes`` caps each file, ``max_record_bytes`` each JSONL
    record. Documents come sorted by path (JSONL records in line order).
    """
    if default_date is not None and not is_iso_date(default_date):
        raise ValueError(f"default_date must be an ISO date YYYY-MM-DD (e.g. 2024-04-11), got {default_date!r}")
    res = IngestResult()
    reported: set[IngestError] = set()

    def report(err: IngestError) -> None:
        if err not in reported:  # a path named twice (or named and walked) is reported once
            reported.add(err)
            res.errors.append(err)

    files: dict[str, Path] = {}
    for item in iter_input_files(paths):
        if isinstance(item, IngestError):
            report(item)
        else:
            files.setdefault(os.path.realpath(item), item)  # one file named twice is read once
    limits = Limits(max_bytes=max_bytes, max_record_bytes=max_record_bytes)
    seen: dict[str, tuple[Path, int | None]] = {}
    for path in sorted(files.values(), key=lambda p: p.parts):
        reader = reader_for(path)
        assert reader is not None  # filtered above
        res.files += 1
        for item, line in reader.read(path, limits):
            if isinstance(item, IngestError):
                report(item)
                continue
            if item.id in seen:
                first, first_line = seen[item.id]
                where = f"{first}:{first_line}" if first_line is not None else str(first)
                res.errors.append(
                    IngestError(
                        path,
                        f"duplicate document id {item.id!r}: also in {where}; ids (file base names "
                        "and JSONL \"id\"s) must be unique, so this one was skipped: rename it",
                        line,
                    )
                )
                continue
            seen[item.id] = (path, line)
            if item.date is None and default_date is not None:
                item = dataclasses.replace(item, date=default_date)
            res.documents.append(item)
    return res

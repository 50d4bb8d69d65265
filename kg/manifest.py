"""``OUTDIR/manifest.json``: which build the outputs in a folder come from.

A build removes the previous manifest before it replaces any output and
writes the new one last, atomically, after every output is in place. It
names the build (a random id, pid, host, start and end time, newskg's
version and pipeline fingerprint), the SHACL verdict, and each output file
with its size and SHA-256. A reader checks :func:`verify` (or compares the
hashes itself): when it holds, ``graph.ttl``, ``mentions.ttl`` and
``graph.html`` are the ones that build wrote together; when the manifest is
missing a build is under way or failed before the end.

``manifest.json`` is not byte-identical between two builds of the same
input (it holds times and an id); the outputs it names are.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from kg.io import atomic_write

MANIFEST_NAME = "manifest.json"
FORMAT = "newskg-manifest/1"


def digest(path: Path) -> str:
    """The SHA-256 of a file, in hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Manifest:
    """What a build wrote. ``files`` maps a file name in OUTDIR to ``{"bytes", "sha256"}``."""

    build_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    pid: int = field(default_factory=os.getpid)
    host: str = field(default_factory=socket.gethostname)
    started: str = field(default_factory=lambda: _now())
    finished: str = ""
    newskg: str = ""
    pipeline: str = ""
    documents: int = 0
    triples: int = 0
    shacl: dict = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)

    def to_json(self) -> str:
        body = {"format": FORMAT, **{k: getattr(self, k) for k in self.__dataclass_fields__}}
        return json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def remove(outdir: Path) -> None:
    """Remove ``OUTDIR/manifest.json`` before the outputs it names are replaced."""
    try:
        os.unlink(Path(outdir) / MANIFEST_NAME)
    except FileNotFoundError:
        pass


def write(outdir: Path, manifest: Manifest, files: Iterable[Path]) -> Path:
    """Hash ``files`` (outputs in ``outdir``) into ``manifest`` and write it, atomically, as the last file."""
    outdir = Path(outdir)
    for f in sorted({Path(f) for f in files}):
        if f.is_file():
            manifest.files[f.relative_to(outdir).as_posix()] = {"bytes": f.stat().st_size, "sha256": digest(f)}
    manifest.finished = _now()
    return atomic_write(outdir / MANIFEST_NAME, manifest.to_json())


def read(outdir: Path) -> dict:
    """The manifest of ``outdir`` as a dict. Raises :class:`FileNotFoundError` or :class:`ValueError` (not JSON)."""
    path = Path(outdir) / MANIFEST_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not JSON: {exc}") from None


def verify(outdir: Path) -> list[str]:
    """The files the manifest names whose size or hash differ from what is in ``outdir`` now ([] when all match)."""
    outdir = Path(outdir)
    bad = []
    for name, meta in read(outdir).get("files", {}).items():
        f = outdir / name
        if not f.is_file() or f.stat().st_size != meta.get("bytes") or digest(f) != meta.get("sha256"):
            bad.append(name)
    return bad

"""Faults: a build killed at any moment leaves the previous outputs intact, and
a rerun completes with exactly what an uninterrupted build writes.

`kg build` runs in a subprocess and is killed with SIGKILL (no clean-up can
run) at chosen moments: from inside, in the middle of writing a chosen file
(half its bytes are in the temporary file when the process dies: the worst
moment for every output and cache entry), and from outside, at fractions of
the build's duration. After each kill every output is whole: byte for byte
either the previous build's or the new one's. A final rerun gives the new
build's bytes, leaves no temporary file behind, and does not serve a cache
entry that was cut short or corrupted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import ROOT, SEEDS, kg_env
from kg import manifest as mf

FORMATS = "nt,jsonld,graphml"

pytestmark = [pytest.mark.model, pytest.mark.slow]

# Runs `kg` with kg.io.atomic_open wrapped: every write is logged, and the write
# named by KG_KILL_AT ("name:graph.ttl", or "cache:N" for the N-th cache entry this
# run writes) kills the process after half its data is written.
HARNESS = r"""
import contextlib, os, signal, sys
import kg.io as io

kind, _, arg = os.environ.get("KG_KILL_AT", "").partition(":")
log = os.environ.get("KG_WRITE_LOG")
cache_writes = 0
real = io.atomic_open


def doomed(path):
    global cache_writes
    path = os.fspath(path)
    if f"{os.sep}.kgcache{os.sep}" in path:
        cache_writes += 1
        return kind == "cache" and cache_writes == int(arg)
    return kind == "name" and os.path.basename(path) == arg


@contextlib.contextmanager
def atomic_open(path, mode="w", encoding="utf-8"):
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(os.fspath(path) + "\n")
    with real(path, mode, encoding) as f:
        if not doomed(path):
            yield f
            return

        class Half:
            def write(self, data):
                f.write(data[: len(data) // 2])
                f.flush()
                os.kill(os.getpid(), signal.SIGKILL)

            def __getattr__(self, name):
                return getattr(f, name)

        yield Half()


io.atomic_open = atomic_open
sys.argv[0] = "kg"
from kg.cli import main

main()
"""


def article(i: int) -> str:
    country = ["China", "Japan", "Germany", "Canada", "India", "Brazil", "Mexico", "France"][i % 8]
    other = ["the United States", "the European Union", "South Korea", "Australia"][i % 4]
    return (f"{country} Responds to Tariffs, Report {i}\n\n"
            f"{country} imposed tariffs of {10 + i}% on steel from {other} on Monday. {other} criticized "
            f"{country} and threatened to retaliate, officials said. {country} and {other} are negotiating "
            f"a trade agreement, the ministry said in a statement.\n")


def write_corpus(src: Path, n: int, changed: bool) -> None:
    src.mkdir(parents=True, exist_ok=True)
    for f in SEEDS.iterdir():
        (src / f.name).write_bytes(f.read_bytes())
    for i in range(n):
        (src / f"r{i:03d}.txt").write_text(article(i), encoding="utf-8")
    if changed:  # the next build: one article changed, one added
        (src / "r000.txt").write_text(article(0).replace("10%", "99%"), encoding="utf-8")
        (src / "r999.txt").write_text(article(999), encoding="utf-8")


def build_cmd(harness: Path, src: Path, out: Path) -> list[str]:
    return [sys.executable, str(harness), "build", str(src), "-o", str(out), "--formats", FORMATS, "--no-validate"]


NOT_OUTPUTS = (".kg-build.lock", "manifest.json")  # the lock of a killed build; the manifest holds times and an id


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".kgcache" not in p.relative_to(out).parts and not p.name.endswith(".tmp")
            and p.name not in NOT_OUTPUTS}


def temps(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.tmp"))


def run(cmd: list[str], **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=kg_env(**extra))


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """The previous build (old corpus) and the new build's reference bytes (new corpus, from scratch)."""
    root = tmp_path_factory.mktemp("faults")
    harness = root / "harness.py"
    harness.write_text(HARNESS)
    old_src, new_src = root / "old", root / "new"
    write_corpus(old_src, 24, changed=False)
    write_corpus(new_src, 24, changed=True)
    prev_out = root / "prev"
    r = run(build_cmd(harness, old_src, prev_out))
    assert r.returncode == 0, r.stderr
    ref_out = root / "ref"
    log = root / "writes.log"
    t0 = time.perf_counter()
    r = run(build_cmd(harness, new_src, ref_out), KG_WRITE_LOG=str(log))
    duration = time.perf_counter() - t0
    assert r.returncode == 0, r.stderr
    writes = [Path(p).relative_to(ref_out) for p in log.read_text().splitlines()]
    prev, new = outputs(prev_out), outputs(ref_out)
    assert set(prev) == set(new) and all(prev[k] != new[k] for k in ("graph.ttl", "mentions.ttl", "graph.nt"))
    return {"harness": harness, "old": old_src, "new": new_src, "prev": prev_out, "prev_bytes": prev,
            "new_bytes": new, "writes": writes, "duration": duration}


def check_whole(out: Path, prev: dict[str, bytes], new: dict[str, bytes]) -> list[str]:
    """Every output present is byte for byte the previous build's or the new one's."""
    got = outputs(out)
    bad = [k for k in prev if k not in got]
    bad += [k for k, v in got.items() if k in prev and v not in (prev[k], new[k])]
    bad += [k for k in got if k not in prev]
    if (out / mf.MANIFEST_NAME).exists():  # a manifest vouches only for the outputs of its own build
        bad += mf.verify(out)
    return bad


def copy_tree(src: Path, dst: Path) -> None:
    import shutil

    shutil.copytree(src, dst, symlinks=True)


def kill_moments(writes: list[Path]) -> list[tuple[str, str]]:
    """(what, KG_KILL_AT) for the moments to die at: a cache entry, then each output file."""
    moments = []
    if any(w.parts and w.parts[0] == ".kgcache" for w in writes):
        moments.append(("a cache entry", "cache:1"))
    names = [str(w) for w in writes if len(w.parts) == 1]
    for name in ("graph.ttl", "mentions.ttl", "graph.html", "graph.nt", "graph.jsonld", "graph.graphml"):
        if name in names:
            moments.append((name, f"name:{name}"))
    return moments


def test_killed_while_writing_each_file(setup, tmp_path):
    out = tmp_path / "out"
    copy_tree(setup["prev"], out)
    moments = kill_moments(setup["writes"])
    assert len(moments) >= 5, setup["writes"]
    for what, at in moments:
        r = run(build_cmd(setup["harness"], setup["new"], out), KG_KILL_AT=at)
        assert r.returncode == -signal.SIGKILL, (what, r.returncode, r.stderr[-2000:])
        assert check_whole(out, setup["prev_bytes"], setup["new_bytes"]) == [], what
    assert temps(out), "the kills should have left temporary files behind"
    r = run(build_cmd(setup["harness"], setup["new"], out))
    assert r.returncode == 0, r.stderr
    assert outputs(out) == setup["new_bytes"]
    assert temps(out) == [], "a rerun removes the temporary files of killed builds"


def test_killed_from_outside_at_any_moment(setup, tmp_path):
    out = tmp_path / "out"
    copy_tree(setup["prev"], out)
    landed = 0
    for frac in (0.2, 0.5, 0.8, 0.95):
        proc = subprocess.Popen(build_cmd(setup["harness"], setup["new"], out), cwd=ROOT, env=kg_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(setup["duration"] * frac)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            landed += 1
        proc.wait(timeout=60)
        assert check_whole(out, setup["prev_bytes"], setup["new_bytes"]) == [], frac
    assert landed >= 2
    r = run(build_cmd(setup["harness"], setup["new"], out))
    assert r.returncode == 0, r.stderr
    assert outputs(out) == setup["new_bytes"]


def test_cache_never_serves_a_cut_or_corrupt_entry(setup, tmp_path):
    cache_writes = [w for w in setup["writes"] if w.parts and w.parts[0] == ".kgcache"]
    assert cache_writes, "the build writes per-document cache entries"
    out = tmp_path / "out"
    r = run(build_cmd(setup["harness"], setup["new"], out))
    assert r.returncode == 0, r.stderr
    entries = sorted(p for p in (out / ".kgcache").rglob("*") if p.is_file() and not p.name.endswith(".tmp"))
    assert entries
    damaged = {}
    for i, p in enumerate(entries[:6]):  # cut short, flipped bytes, emptied, another entry's bytes
        data = p.read_bytes()
        damaged[p] = [data[: len(data) // 2], data[:-8] + bytes(8), b"", entries[-1].read_bytes()][i % 4]
        p.write_bytes(damaged[p])
    r = run(build_cmd(setup["harness"], setup["new"], out))
    assert r.returncode == 0, r.stderr
    assert outputs(out) == setup["new_bytes"], "a damaged cache entry changed the output"
    for p, bad in damaged.items():
        assert not p.exists() or p.read_bytes() != bad, f"{p} was kept damaged"


def test_previous_outputs_survive_a_build_that_fails(setup, tmp_path):
    """A build that cannot read anything writes nothing: the previous outputs stay as they were."""
    out = tmp_path / "out"
    copy_tree(setup["prev"], out)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    r = run(build_cmd(setup["harness"], empty, out))
    assert r.returncode == 1 and "empty.txt" in r.stderr
    assert outputs(out) == setup["prev_bytes"]

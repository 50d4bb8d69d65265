"""One build per output folder (kg/outlock.py) and the manifest written last (kg/manifest.py)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import ROOT, SEEDS, kg_env
from kg import manifest as mf
from kg.outlock import LOCK_NAME, OutdirLocked, hold, read_holder

HOLD = """
import sys, time
from kg.outlock import hold
with hold(sys.argv[1]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(outdir: Path, seconds: float = 60) -> subprocess.Popen:
    """A process that holds ``outdir``'s lock for ``seconds`` (it says "held" once it does)."""
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(outdir), str(seconds)], stdout=subprocess.PIPE, text=True,
                         env=kg_env())
    assert p.stdout is not None and p.stdout.readline().strip() == "held"
    return p


def test_a_second_holder_is_refused_with_the_first_ones_pid_and_host(tmp_path):
    p = _holder(tmp_path)
    try:
        with pytest.raises(OutdirLocked) as err:
            with hold(tmp_path):
                pass
        assert err.value.holder.pid == p.pid
        assert f"process {p.pid} on {socket.gethostname()}" in str(err.value)
    finally:
        p.kill()
        p.wait()
    with hold(tmp_path):  # the holder is gone: so is its lock
        assert read_holder(tmp_path / LOCK_NAME).pid == os.getpid()
    assert not (tmp_path / LOCK_NAME).exists()


def test_a_lock_file_left_by_a_dead_process_does_not_block(tmp_path):
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()  # a pid that no longer runs
    (tmp_path / LOCK_NAME).write_text(json.dumps({"pid": p.pid, "host": socket.gethostname()}))
    with hold(tmp_path) as lock:
        assert read_holder(lock).pid == os.getpid()


def test_a_killed_holder_releases_the_folder(tmp_path):
    p = _holder(tmp_path)
    p.kill()  # SIGKILL: no clean-up runs, the lock file stays
    p.wait()
    assert (tmp_path / LOCK_NAME).exists()
    with hold(tmp_path):
        pass


@pytest.mark.model
def test_kg_build_exits_2_naming_the_build_that_holds_the_folder(tmp_path):
    out = tmp_path / "out"
    p = _holder(out)
    try:
        r = subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "-o", str(out)], capture_output=True,
                           text=True, env=kg_env(), cwd=ROOT)
    finally:
        p.kill()
        p.wait()
    assert r.returncode == 2, r.stdout + r.stderr
    text = " ".join((r.stdout + r.stderr).split())
    assert f"process {p.pid}" in text and socket.gethostname() in text
    assert not (out / "graph.ttl").exists()


@pytest.mark.model
def test_two_builds_at_once_one_builds_and_one_is_refused(tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kg", "build", str(SEEDS), "-o", str(out), "--no-html"]
    a = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=kg_env(), cwd=ROOT)
    deadline = time.monotonic() + 60
    while not (out / LOCK_NAME).exists() and a.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    b = subprocess.run(cmd, capture_output=True, text=True, env=kg_env(), cwd=ROOT)
    a.communicate()
    assert sorted([a.returncode, b.returncode]) == [0, 2], (b.stdout, b.stderr)
    assert mf.verify(out) == []


@pytest.mark.model
def test_the_manifest_is_written_last_and_names_every_output(tmp_path):
    from kg.pipeline import build

    out = tmp_path / "out"
    res = build([SEEDS], out)
    m = mf.read(out)
    assert res.manifest == out / mf.MANIFEST_NAME
    assert set(m["files"]) == {"graph.ttl", "mentions.ttl", "graph.html"}
    assert m["pid"] == os.getpid() and m["host"] == socket.gethostname() and m["build_id"]
    assert m["shacl"] == {"engine": "native", "conforms": True, "violations": 0}
    assert m["documents"] == res.documents and m["triples"] == res.triples
    assert mf.verify(out) == []
    # written last: nothing in the folder is newer
    newest = max(p.stat().st_mtime_ns for p in out.iterdir() if p.is_file())
    assert (out / mf.MANIFEST_NAME).stat().st_mtime_ns == newest
    # a file replaced by another build no longer matches
    (out / "mentions.ttl").write_text("# another build\n", encoding="utf-8")
    assert mf.verify(out) == ["mentions.ttl"]


@pytest.mark.model
def test_a_build_that_fails_while_writing_leaves_no_manifest(tmp_path, monkeypatch):
    import kg.pipeline as pipeline

    out = tmp_path / "out"
    pipeline.build([SEEDS], out, html=False)
    assert (out / mf.MANIFEST_NAME).exists()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pipeline, "write_outputs", broken)
    with pytest.raises(OSError):
        pipeline.build([SEEDS], out, html=False)
    assert not (out / mf.MANIFEST_NAME).exists()  # the old outputs stay; nothing vouches for them as a pair
    assert not (out / LOCK_NAME).exists()

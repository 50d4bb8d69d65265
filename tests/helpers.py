"""Pieces several test modules share: paths, the environment for a `kg` subprocess, the
sample graph fixtures, a `kg serve` subprocess, and an HTML tag recorder.

pytest puts tests/ on sys.path (rootdir-less "prepend" import mode), so modules import
this as ``from helpers import …``; fixtures imported that way are collected as the
module's own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"

# entities of tests/fixtures/sample_graph.ttl
ID = "https://w3id.org/newskg/id/"
CHINA, US = ID + "country/china", ID + "country/united-states"
TRUMP, TARIFFS, CHIPS = ID + "person/donald-trump", ID + "policy/us-tariffs-on-china", ID + "sector/semiconductors"
MOFCOM, BESSENT = ID + "agency/china-ministry-of-commerce", ID + "person/scott-bessent"


def kg_env(**extra: str) -> dict[str, str]:
    """The environment of a `python -m kg` subprocess: this checkout first, wide rich output."""
    return {**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT), **extra}


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    """The networkx projection of tests/fixtures/sample_graph.ttl."""
    from kg.graph import load_graph, to_networkx

    return to_networkx(load_graph(FIXTURES / "sample_graph.ttl"))


@pytest.fixture(scope="module")
def outdir(tmp_path_factory) -> Path:
    """A build folder holding the sample graph.ttl (a copy per module: tests write beside it)."""
    d = tmp_path_factory.mktemp("built")
    (d / "graph.ttl").write_bytes((FIXTURES / "sample_graph.ttl").read_bytes())
    return d


def start_server(outdir: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """`kg serve OUTDIR --port 0` as a subprocess; returns it and the endpoint URL once it accepts."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(outdir), "--port", "0", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=kg_env(),
    )
    line = proc.stdout.readline()
    if "SPARQL endpoint:" not in line:
        proc.kill()
        raise AssertionError(f"kg serve did not start: {line!r} {proc.stderr.read()}")
    url = line.split("SPARQL endpoint:", 1)[1].strip()
    u = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection((u.hostname, u.port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                stop_server(proc)
                raise
            time.sleep(0.05)
    return proc, url


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        proc.kill()
        proc.wait()


class ScriptTags(HTMLParser):
    """Every start tag as a browser's tokenizer sees it (name, attributes) and the text of
    each <script>."""

    def __init__(self, html: str = ""):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        if html:
            self.feed(html)
            self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data

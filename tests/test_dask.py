"""`kg build --dask ADDRESS`: the map on a Dask distributed cluster, the reduce here.

A LocalCluster on loopback (one worker process with one thread, or threads in
this process) stands in for a real cluster; the graph must be the local
build's, byte for byte.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from helpers import ROOT, kg_env  # noqa: E402
from kg.nlp import DEFAULT_MODEL  # noqa: E402
from test_incremental import make_corpus, outputs, run  # noqa: E402


pytestmark = [pytest.mark.model, pytest.mark.slow]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("dask") / "src", 6)


@pytest.fixture(scope="module")
def local(corpus, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("dask-local")
    run(corpus, out, cache=False)
    return outputs(out)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, host="127.0.0.1", protocol="tcp://",
                                  dashboard_address=":0") as c:
        yield c


def test_the_cluster_build_equals_the_local_build(corpus, local, cluster, tmp_path, monkeypatch):
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "CHUNK", 3)  # three tasks
    out = tmp_path / "out"
    seen = []
    r = run(corpus, out, dask=cluster.scheduler_address, progress=lambda d: seen.append(d.id))
    assert (r.cached, r.extracted) == (0, 8) and sorted(seen) == sorted(set(seen)) and len(seen) == 8
    assert outputs(out) == local
    # the cluster's results were cached here: a local rebuild parses nothing
    again = run(corpus, out)
    assert (again.cached, again.extracted) == (0 + 8, 0)
    assert outputs(out) == local


def test_a_client_object_is_accepted(corpus, local, cluster, tmp_path):
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        run(corpus, tmp_path / "out", dask=client, cache=False)
        assert client.status == "running", "build() must not close a client it was given"
    assert outputs(tmp_path / "out") == local


def test_a_worker_with_another_pipeline_refuses(corpus):
    from kg.ingest import read_inputs
    from kg.pipeline import ClusterMismatch, _dask_task

    docs = read_inputs([corpus]).documents[:1]
    with pytest.raises(ClusterMismatch, match="same newskg"):
        _dask_task(docs, DEFAULT_MODEL, 64, "0" * 24)


def test_cli_with_a_process_cluster(corpus, local, tmp_path):
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0") as c:
        r = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "-o", str(tmp_path / "out"), "--dask",
                            c.scheduler_address, "--no-html", "--no-validate", "--no-cache"],
                           cwd=ROOT, capture_output=True, text=True, timeout=600,
                           env=kg_env())
    assert r.returncode == 0, r.stderr
    assert outputs(tmp_path / "out") == local


def test_cli_names_an_unreachable_scheduler(corpus, tmp_path):
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "-o", str(tmp_path / "out"), "--dask",
                        "tcp://127.0.0.1:9", "--no-html", "--no-validate"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env=kg_env(DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="2s"))
    assert r.returncode == 1, r.stderr
    assert "tcp://127.0.0.1:9" in r.stderr and "dask scheduler" in r.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()

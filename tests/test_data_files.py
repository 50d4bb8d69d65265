"""newskg's own data files (ontology, shapes, context, gazetteer, queries, the view's
assets) are package data read through kg.resources: a missing or damaged one stops
every command with exit 1 and one line that names it and says how to repair the
install, and `kg build` stops before it reads an article or writes a file. Also:
`kg --version`, `python -m kg`, the command modules not importing kg.cli, and the
pipeline version's files.

These run in-process on a copy of the data (kg.resources.package_folder pointed at
it); tests/test_packaging.py does the same to a real installed wheel.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import kg.cache
import kg.resources
from helpers import FIXTURES, ROOT, SEEDS, kg_env
from kg.cli import app

runner = CliRunner()
REPAIR = "reinstall newskg"


def _empty_caches() -> None:
    from kg import gazetteer, validate, view

    for f in (gazetteer.load, view.assets, view._template, validate.load_shapes, validate.load_ontology,
              validate._default_hierarchy, validate._default_ox_hierarchy):
        f.cache_clear()


@pytest.fixture
def data(tmp_path, monkeypatch):
    """The data packages read from a copy that the test may damage: ``{package: folder}``."""
    folders = {"kg.ontology": tmp_path / "ontology", "kg.queries": tmp_path / "queries", "kg": tmp_path / "kg"}
    skip = shutil.ignore_patterns("__pycache__", "*.py")
    shutil.copytree(ROOT / "ontology", folders["kg.ontology"], ignore=skip)
    shutil.copytree(ROOT / "queries", folders["kg.queries"], ignore=skip)
    shutil.copytree(ROOT / "kg" / "assets", folders["kg"] / "assets", ignore=skip)
    real = kg.resources.package_folder
    monkeypatch.setattr(kg.resources, "package_folder", lambda package: folders.get(package) or real(package))
    _empty_caches()
    yield folders
    _empty_caches()


@pytest.fixture
def outdir(tmp_path):
    d = tmp_path / "built"
    d.mkdir()
    shutil.copyfile(FIXTURES / "sample_graph.ttl", d / "graph.ttl")
    return d


def one_error_line(result, *names: str) -> str:
    """The one error line of a failed command; it names each of ``names`` and the repair."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: newskg data file "), lines[0]
    for n in names:
        assert n in lines[0], (n, lines[0])
    assert REPAIR in lines[0] and "pip install" in lines[0]
    return lines[0]


def test_the_code_reads_its_data_from_the_installed_packages():
    assert kg.resources.ontology_file("shapes.ttl").is_file()
    assert kg.resources.ontology_file("gazetteer", "countries.csv").is_file()
    assert kg.resources.asset("vis_network", "vis-network.min.js").is_file()
    assert {f.name for f in kg.resources.query_folder().iterdir()} >= {"imposes.rq", "entity.rq"}


@pytest.mark.parametrize("missing", ["countries.csv", "titles.csv", "name_forms.csv"])
def test_build_with_a_gazetteer_file_missing_exits_1_and_writes_nothing(data, tmp_path, missing):
    (data["kg.ontology"] / "gazetteer" / missing).unlink()
    out = tmp_path / "out"
    r = runner.invoke(app, ["build", str(SEEDS), "-o", str(out), "--no-validate"])
    assert r.exit_code == 1, r.output
    one_error_line(r, str(data["kg.ontology"] / "gazetteer" / missing), "is missing")
    assert not out.exists()


@pytest.mark.parametrize(
    "package, parts",
    [
        ("kg", ("assets", "vis_network", "vis-network.min.js")),  # the view, written last
        ("kg", ("assets", "view.html")),
        ("kg.ontology", ("shapes.ttl",)),  # the SHACL check, after writing
        ("kg.ontology", ("context.jsonld",)),  # --formats jsonld
    ],
)
def test_build_checks_every_data_file_it_needs_before_writing(data, tmp_path, package, parts):
    path = data[package].joinpath(*parts)
    path.unlink()
    out = tmp_path / "out"
    r = runner.invoke(app, ["build", str(SEEDS), "-o", str(out), "--formats", "jsonld"])
    assert r.exit_code == 1, r.output
    one_error_line(r, str(path))
    assert not out.exists()


def test_build_without_the_view_does_not_need_its_assets(data, tmp_path):
    (data["kg"] / "assets" / "view.js").unlink()
    from kg.pipeline import check_reference_data

    check_reference_data(html=False, validate=False)
    with pytest.raises(kg.resources.DataFileError, match="view.js is missing"):
        check_reference_data(html=True, validate=False)


@pytest.mark.parametrize(
    "package, parts, args",
    [
        ("kg.ontology", ("shapes.ttl",), ["validate", "{out}"]),
        ("kg.ontology", ("newskg.ttl",), ["validate", "{out}"]),
        ("kg.ontology", ("context.jsonld",), ["export", "{out}", "-f", "jsonld"]),
        ("kg", ("assets", "view.js"), ["view", "{out}"]),
        ("kg", ("assets", "view.css"), ["view", "{out}"]),
    ],
)
def test_each_command_names_the_missing_file(data, outdir, package, parts, args):
    path = data[package].joinpath(*parts)
    path.unlink()
    r = runner.invoke(app, [a.format(out=outdir) for a in args])
    assert r.exit_code == 1, r.output
    one_error_line(r, str(path), "is missing")
    assert not (outdir / "graph.jsonld").exists() and not (outdir / "graph.html").exists()


def test_ready_made_queries_missing_exit_1(data, outdir):
    shutil.rmtree(data["kg.queries"])
    for args in (["query", str(outdir), "-q", "imposes"], ["query", "--list"]):
        r = runner.invoke(app, args)
        assert r.exit_code == 1, r.output
        one_error_line(r, str(data["kg.queries"]))


def test_a_damaged_file_is_named_too(data, outdir, tmp_path):
    (data["kg.ontology"] / "shapes.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nthis is not turtle\n")
    r = runner.invoke(app, ["validate", str(outdir)])
    assert r.exit_code == 1, r.output
    one_error_line(r, "shapes.ttl", "is not valid Turtle")
    (data["kg.ontology"] / "gazetteer" / "people.csv").write_bytes(b"id,label\n\xff\xfe broken\n")
    r = runner.invoke(app, ["build", str(SEEDS), "-o", str(tmp_path / "out"), "--no-validate"])
    assert r.exit_code == 1, r.output
    one_error_line(r, "people.csv", "is not UTF-8")
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ version, python -m kg, imports


def test_version_names_newskg_spacy_model_and_pipeline():
    import spacy

    from kg import __version__
    from kg.nlp import DEFAULT_MODEL

    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == f"newskg {__version__}"
    assert lines[1] == f"spaCy {spacy.__version__}, model {kg.cache.model_fingerprint(DEFAULT_MODEL)}"
    assert lines[2] == f"pipeline {kg.cache.pipeline_version(DEFAULT_MODEL)}"
    assert re.fullmatch(r"pipeline [0-9a-f]{24}", lines[2])


def test_version_is_the_one_of_the_installed_metadata():
    from importlib.metadata import version

    from kg import __version__

    assert version("newskg") == __version__


def test_python_m_kg_is_kg(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, cwd=tmp_path,
                       env=kg_env(), timeout=120)
    assert r.returncode == 0, r.stderr
    assert "kg build" in r.stdout and "--version" in r.stdout


def test_command_modules_do_not_import_kg_cli():
    for path in sorted((ROOT / "kg" / "commands").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            assert not any(n == "kg.cli" or n.startswith("kg.cli.") for n in names), f"{path.name} imports kg.cli"
    code = "import sys, kg.commands.build, kg.commands.query; assert 'kg.cli' not in sys.modules"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=kg_env(), timeout=120)
    assert r.returncode == 0, r.stderr


# ------------------------------------------------------------------ the pipeline version's files


def test_pipeline_files_are_every_file_of_kg_extract_recursively(tmp_path, monkeypatch):
    ext = tmp_path / "extract"
    (ext / "rules" / "__pycache__").mkdir(parents=True)
    (ext / "__pycache__").mkdir()
    for f in ("__init__.py", "lexicon.toml", "state.py", "rules/__init__.py", "rules/imposes.py",
              "rules/words.json", "rules/__pycache__/imposes.cpython-311.pyc", "__pycache__/state.cpython-311.pyc",
              ".state.py.swp"):
        (ext / f).write_text(f)
    real = kg.cache.package_folder
    monkeypatch.setattr(kg.cache, "package_folder", lambda p: ext if p == "kg.extract" else real(p))
    files = kg.cache.pipeline_files()
    got = [f.name for f in files]
    assert got[:6] == ["__init__.py", "lexicon.toml", "__init__.py", "imposes.py", "words.json", "state.py"]
    assert got[6:9] == ["nlp.py", "gazetteer.py", "model.py"]
    assert {f.name for f in files[9:]} == {p.name for p in (ROOT / "ontology" / "gazetteer").glob("*.csv")}
    v1 = kg.cache.pipeline_version("blank:en")
    (ext / "rules" / "words.json").write_text("changed")
    assert kg.cache.pipeline_version("blank:en") != v1


def test_pipeline_files_are_named_inside_the_package():
    names = [kg.cache._package_name(f) for f in kg.cache.pipeline_files()]
    assert "kg/extract/__init__.py" in names and "kg/nlp.py" in names
    assert "kg/ontology/gazetteer/countries.csv" in names
    assert all(n.startswith(("kg/extract/", "kg/ontology/gazetteer/", "kg/nlp", "kg/gazetteer", "kg/model")) for n in names)

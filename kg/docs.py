"""Generate the human-readable HTML reference of the ontology with pyLODE.

    python -m kg.docs            # from the checkout's top folder: writes docs/ontology/index.html
    python -m kg.docs OUT.html   # writes elsewhere

:func:`render_html` returns the HTML (pure: reads the ontology file only);
:func:`write_html` writes it atomically. The page is self-contained (styles
and icons inline, no CDN), so it opens offline.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import types
from pathlib import Path

from kg.io import atomic_write

DEFAULT_OUT = Path("docs") / "ontology" / "index.html"  # of the checkout, run from its top folder


def _ontpub():
    """Import ``pylode.OntPub``, working around a packaging bug of the pylode
    3.4 wheel: ``pylode/version.py`` reads a ``pyproject.toml`` the wheel does
    not ship, so ``import pylode`` raises FileNotFoundError."""
    try:
        from pylode import OntPub
    except FileNotFoundError:
        from importlib.metadata import version

        for name in [m for m in sys.modules if m == "pylode" or m.startswith("pylode.")]:
            del sys.modules[name]
        stub = types.ModuleType("pylode.version")
        stub.__version__ = version("pylode")
        sys.modules["pylode.version"] = stub
        OntPub = importlib.import_module("pylode").OntPub
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "pyLODE is not installed: `pip install -e '.[docs]'` (or `pip install pylode`) to build the docs"
        ) from e
    return OntPub


def render_html(ontology: str | Path | None = None) -> str:
    """The pyLODE (OntPub profile) HTML of ``ontology`` (default ``ontology/newskg.ttl`` as installed)."""
    if ontology is None:
        from rdflib import Graph

        from kg.resources import read_text
        from kg.validate import ontology_path

        source: Graph | str = Graph(bind_namespaces="core").parse(data=read_text(ontology_path()), format="turtle")
    else:
        path = Path(ontology)
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found: give the path of an OWL ontology in Turtle")
        source = str(path)
    OntPub = _ontpub()
    return OntPub(ontology=source).make_html()


def write_html(out: str | Path = DEFAULT_OUT, ontology: str | Path | None = None) -> Path:
    """Render the ontology and write it to ``out`` atomically; return the path."""
    return atomic_write(out, render_html(ontology))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kg.docs", description="Regenerate the ontology's HTML reference.")
    ap.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    ap.add_argument("--ontology", type=Path, default=None, help="ontology Turtle file (default ontology/newskg.ttl)")
    args = ap.parse_args(argv)
    try:
        path = write_html(args.out, args.ontology)
    except (FileNotFoundError, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

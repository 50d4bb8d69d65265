"""The data files newskg ships, found and read through :mod:`importlib.resources`.

Everything ``kg`` reads at run time besides its code is package data, so a
wheel, an sdist, ``pipx`` or an editable checkout all carry it:

* ``kg.ontology``: the OWL ontology, the SHACL shapes, the JSON-LD context and
  ``gazetteer/*.csv``. In the repository this is the top-level ``ontology/``
  folder; the build maps it into the package (``setup.py``, reasons in
  ``pyproject.toml``), so there is one copy of each file.
* ``kg.queries``: the ready-made ``*.rq`` (the top-level ``queries/``).
* ``kg/assets``: the view's page, script and styles, and vis-network with its
  licence.

Code asks this module for a :class:`~importlib.resources.abc.Traversable`
(:func:`ontology_file`, :func:`asset`, :func:`query_folder`,
:func:`package_file`) and reads it with :func:`read_bytes`, :func:`read_text`
or :func:`list_folder`. A file that is missing or cannot be read raises
:class:`DataFileError`, whose one-line message names the file and says how to
repair the installation; the ``kg`` command prints it and exits 1. Nothing
falls back to an empty list.

>>> "sh:NodeShape" in read_text(ontology_file("shapes.ttl"))
True
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

ONTOLOGY_PACKAGE = "kg.ontology"
QUERIES_PACKAGE = "kg.queries"

REPAIR = ("reinstall newskg: `pip install --force-reinstall newskg` (or the .whl file you installed; "
          "in a checkout, `pip install -e .`)")


class DataFileError(RuntimeError):
    """A data file of newskg is missing or unreadable: the installation is incomplete.

    ``file`` names it (a path where there is one); the message is one line
    that says what is wrong and how to repair the installation.
    """

    def __init__(self, file: str, problem: str):
        self.file = file
        self.problem = problem
        super().__init__(f"newskg data file {file} {problem}: the installation is incomplete; {REPAIR}")


def package_folder(package: str) -> Traversable:
    """The folder of ``package`` (``"kg"``, ``"kg.ontology"`` …); :class:`DataFileError` when it is not installed."""
    try:
        return resources.files(package)
    except ModuleNotFoundError:
        raise DataFileError(f"package {package}", "is missing") from None


def _join(folder: Traversable, parts: tuple[str, ...]) -> Traversable:
    for p in parts:
        folder = folder / p
    return folder


def package_file(package: str, *parts: str) -> Traversable:
    """A file of ``package``: ``package_file("kg.extract", "lexicon.toml")``."""
    return _join(package_folder(package), parts)


def ontology_file(*parts: str) -> Traversable:
    """A file of ``ontology/`` as installed: ``ontology_file("gazetteer", "countries.csv")``."""
    return package_file(ONTOLOGY_PACKAGE, *parts)


def asset(*parts: str) -> Traversable:
    """A file of ``kg/assets``: ``asset("view.js")``."""
    return package_file("kg", "assets", *parts)


def query_folder() -> Traversable:
    """The folder of the ready-made queries (``queries/`` as installed)."""
    return package_folder(QUERIES_PACKAGE)


def read_bytes(file: Traversable) -> bytes:
    """The bytes of a data file; :class:`DataFileError` when it is missing or unreadable."""
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise DataFileError(str(file), "is missing") from None
    except IsADirectoryError:
        raise DataFileError(str(file), "is a folder, not a file") from None
    except OSError as exc:
        raise DataFileError(str(file), f"cannot be read ({exc.strerror or exc})") from None


def read_text(file: Traversable) -> str:
    """The UTF-8 text of a data file; :class:`DataFileError` when it is missing, unreadable or not UTF-8."""
    data = read_bytes(file)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(str(file), f"is not UTF-8 text (byte {exc.start}): it is damaged") from None


def list_folder(folder: Traversable) -> list[Traversable]:
    """The entries of a data folder, by name; :class:`DataFileError` when it is missing or unreadable."""
    try:
        return sorted(folder.iterdir(), key=lambda f: f.name)
    except FileNotFoundError:
        raise DataFileError(str(folder), "is missing") from None
    except OSError as exc:
        raise DataFileError(str(folder), f"cannot be read ({exc.strerror or exc})") from None

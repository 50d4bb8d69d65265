"""The `kg` command line: a thin typer shell over the library.

Each sub-command lives in its own module under :mod:`kg.commands`, marked with
:func:`kg.commands.common.command`; this module imports them, registers them on
:data:`app` (the command modules never import it back) and maps library errors
to exit codes (0 ok, 1 inputs could not be read, a check failed or newskg's own
data is missing, 2 bad usage).

``kg --version`` prints newskg's version, the spaCy model and the pipeline
fingerprint; ``python -m kg`` is ``kg``.
"""

from __future__ import annotations

import importlib
import sys

import typer
from typer.core import TyperGroup

from kg.commands.common import fail, out
from kg.resources import DataFileError

# The sub-command modules, in the order `kg --help` lists them.
COMMANDS = (
    "build",
    "export",
    "query",
    "serve",
    "analytics",
    "timeline",
    "validate",
    "view",
)


class _Group(TyperGroup):
    """Every command: newskg's own data missing or unreadable is one error line and exit 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DataFileError as exc:
            raise fail(str(exc)) from None


app = typer.Typer(
    name="kg",
    cls=_Group,
    help=(
        "newskg: turn news articles on trade and geopolitics into a knowledge graph.\n\n"
        "Start with `kg build ARTICLES... -o out`: it writes out/graph.ttl (RDF), "
        "out/mentions.ttl (NIF mentions) and out/graph.html (interactive view)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if not value:
        return
    from kg import __version__

    out.print(f"newskg {__version__}", highlight=False)
    from kg.nlp import DEFAULT_MODEL, ModelNotFound
    from kg.pipeline import fingerprint

    try:
        fp = fingerprint(DEFAULT_MODEL)
    except (DataFileError, ModelNotFound) as exc:
        raise fail(str(exc)) from None
    out.print(f"spaCy {fp['spacy']}, model {fp['model']}", highlight=False)
    out.print(f"pipeline {fp['pipeline']}", highlight=False)
    raise typer.Exit(0)


@app.callback()
def _options(
    version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_version,
        help="Print newskg's version, the spaCy model and the pipeline fingerprint (the build cache's key), then exit.",
    ),
) -> None:
    pass


def _register() -> None:
    for name in COMMANDS:
        module = importlib.import_module(f"kg.commands.{name}")
        for obj in vars(module).values():
            mark = getattr(obj, "__kg_command__", None)
            if mark is not None and getattr(obj, "__module__", None) == module.__name__:
                command_name, settings = mark
                app.command(command_name, **settings)(obj)


def main() -> None:  # console script entry point
    app(prog_name="kg")


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The `kg` command line: a thin typer shell over the library.

Each sub-command lives in its own module under :mod:`kg.commands` and
registers itself on :data:`app`; this module only wires them together and
maps library errors to exit codes (0 ok, 1 inputs could not be read, a check
failed or newskg's own data is missing, 2 bad usage).
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from kg.resources import DataFileError

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

console = Console(stderr=True)
out = Console()

# The sub-command modules, in the order `kg --help` lists them.
COMMANDS = (
    "build",
    "export",
    "query",
    "serve",
    "analytics",
    "validate",
    "view",
)


def safe(text: str) -> str:
    r"""``text`` for the terminal: rich markup escaped and control characters (but
    tabs and line breaks) shown as escapes, so a file name from a downloaded folder
    cannot drive the terminal.

    >>> print(safe("a\x1b[31mRED\x07[b].txt"))
    a\x1b[31mRED\x07\[b].txt
    """
    shown = "".join(c if c.isprintable() or c in "\t\n" else repr(c)[1:-1] for c in text)
    return escape(shown)


def fail(message: str, code: int = 1) -> "typer.Exit":
    """Print ``message`` as an error line and return the Exit to raise."""
    console.print(f"[bold red]error:[/] {safe(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _register() -> None:
    for name in COMMANDS:
        importlib.import_module(f"kg.commands.{name}")


def main() -> None:  # console script entry point
    app(prog_name="kg")


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

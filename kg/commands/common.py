"""What every sub-command module shares: the consoles, error lines, and the mark that
makes a function a `kg` sub-command.

The command modules import this, never :mod:`kg.cli`: :mod:`kg.cli` imports them
and registers each function marked with :func:`command` on its typer app, so
imports run one way only.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

console = Console(stderr=True)
out = Console()

F = TypeVar("F", bound=Callable[..., Any])


def command(name: str, **settings: Any) -> Callable[[F], F]:
    """Mark a function as the sub-command ``kg NAME`` (``settings`` go to ``typer.Typer.command``)."""

    def mark(f: F) -> F:
        f.__kg_command__ = (name, settings)  # type: ignore[attr-defined]
        return f

    return mark


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

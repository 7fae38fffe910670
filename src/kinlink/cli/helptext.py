"""Help texts that read well at any terminal width.

Docstrings and help texts are written as paragraphs wrapped to the source's line length.
Typer keeps the single line breaks of a command's help in its Rich mode, and Rich then
wraps each of those lines again at the terminal's width: at 80 columns a sentence comes
out broken in two places ("a field that cannot ⏎ be read ⏎ (an impossible date…").
:func:`reflow` makes each paragraph one line for Rich to wrap once, and escapes square
brackets, which Rich's markup would otherwise take for a style and drop (``[columns]``).
A paragraph that starts with ``\\b`` (click's "keep as written") or whose lines are a
list (each item starting ``-``, ``*`` or ``•``) keeps its items on their own lines.
"""

from __future__ import annotations

import inspect
import re

from rich.markup import escape
from typer import _click as click
from typer.core import TyperGroup

__all__ = ["reflow", "reflow_command"]

_ITEM = re.compile(r"^\s*([-*•]|\d+[.)])\s")


def reflow(text: str | None) -> str | None:
    """``text`` with each paragraph on one line (list items each on theirs), square
    brackets escaped for Rich; what follows a ``\\f`` line (click's cut) is left out of
    the help as click leaves it."""
    if not text:
        return text
    shown = inspect.cleandoc(text).partition("\f")[0].rstrip()
    return "\n\n".join(_paragraph(p) for p in shown.split("\n\n"))


def _paragraph(paragraph: str) -> str:
    if paragraph.startswith("\b"):
        return escape(paragraph)
    items: list[str] = []
    for line in paragraph.splitlines():
        if items and not _ITEM.match(line):
            items[-1] += " " + line.strip()
        else:
            items.append(line.strip())
    return "\n".join(escape(item) for item in items)


def reflow_command(command: click.Command) -> click.Command:
    """Reflow the help of ``command``, its parameters and, for a group, of every
    command under it (in place; returned for chaining)."""
    command.help = reflow(command.help)
    for param in command.params:
        help_text = getattr(param, "help", None)
        if help_text:
            param.help = escape(help_text)  # type: ignore[attr-defined]
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            reflow_command(sub)
    return command

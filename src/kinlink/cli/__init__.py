"""The ``kinlink`` command line: thin Typer wrappers over kinlink's services.

Each command lives in a module of this package and is imported only when it runs (or
when a help page lists it): importing every command would load the web application,
the PDF writer, Splink and the store for ``kinlink children identities`` as much as for
``kinlink serve`` — seconds of start-up before a command that answers in a fraction of
one. :data:`GROUPS` and :data:`COMMANDS` say where each one lives.
"""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path

import typer
from rich.text import Text
from typer import _click as click  # Typer's own click: the types TyperGroup uses
from typer.core import TyperGroup

from kinlink import incidents
from kinlink.cli.context import err_console, settings
from kinlink.cli.helptext import reflow_command

__all__ = ["COMMANDS", "GROUPS", "app", "main"]

COMMANDS: dict[str, tuple[str, str]] = {
    "import": ("importing", "import_command"),
    "sources": ("browse", "sources_command"),
    "imports": ("browse", "imports_command"),
    "search": ("search", "search_command"),
    "serve": ("serve", "serve_command"),
    "link": ("linking", "link_command"),
    "dedupe": ("linking", "dedupe_command"),
    "match": ("linking", "match_command"),
    "restore": ("backup", "restore_command"),
}
"""Top-level commands: name → (module of :mod:`kinlink.cli`, function)."""

GROUPS: dict[str, tuple[str, str]] = {
    "audit": ("audit", "app"),
    "backup": ("backup", "app"),
    "db": ("db", "app"),
    "demo": ("demo", "app"),
    "names": ("names", "app"),
    "model": ("model", "app"),
    "records": ("registration", "records_app"),
    "review": ("review", "review_app"),
    "children": ("review", "children_app"),
    "cases": ("cases", "cases_app"),
    "contacts": ("casework", "contacts_app"),
    "tasks": ("casework", "tasks_app"),
    "users": ("users", "app"),
    "channels": ("mediation", "channels_app"),
    "lists": ("mediation", "lists_app"),
    "answers": ("mediation", "answers_app"),
    "evidence": ("evidence", "app"),
    "documents": ("documents", "documents_app"),
    "stats": ("stats", "app"),
    "erase": ("retention", "erase_app"),
    "holds": ("retention", "holds_app"),
    "pprl": ("pprl", "app"),
    "retention": ("retention", "retention_app"),
}
"""Command groups: name → (module of :mod:`kinlink.cli`, its :class:`typer.Typer`)."""


def _loaded(name: str) -> click.Command | None:
    """The click command called ``name``, its module imported now (``None``: no such
    command). Built the way Typer builds a registered command or group."""
    holder = typer.Typer()
    if name in GROUPS:
        module, attribute = GROUPS[name]
        holder.add_typer(getattr(import_module(f"kinlink.cli.{module}"), attribute), name=name)
    elif name in COMMANDS:
        module, attribute = COMMANDS[name]
        holder.command(name)(getattr(import_module(f"kinlink.cli.{module}"), attribute))
    else:
        return None
    return typer.main.get_group(holder).commands[name]


class _LazyGroup(TyperGroup):
    """The top-level group: lists every command, imports one when it is asked for (its
    help reflowed into paragraphs, :mod:`kinlink.cli.helptext`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *GROUPS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            found = _loaded(cmd_name)
            if found is None:
                return None
            self.commands[cmd_name] = reflow_command(found)
        return self.commands[cmd_name]


app = typer.Typer(
    name="kinlink",
    cls=_LazyGroup,
    help=(
        "kinlink keeps reports of missing children and lists of found children with their "
        "provenance, and links the records of the same child across Ukrainian, Russian and "
        "Latin spellings.\n\nData lives in KINLINK_DATA_DIR (an embedded SQLite file); set "
        "KINLINK_DATABASE_URL to use PostgreSQL instead."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


@app.callback()
def _kinlink() -> None:
    """Makes ``kinlink`` a group whose commands :class:`_LazyGroup` supplies."""


def main() -> None:
    """Entry point of the ``kinlink`` script, and the one place where a failure kinlink
    did not foresee ends.

    Such a failure (the database dropping its connection mid-import, a value too large
    for it) is not printed as a traceback: its message and its chain may carry the rows
    being written. The person gets the exception's type, the step (the command and, for
    an import, its stage) and a reference; the details, without personal data, go to
    ``DATA_DIR/errors/REF.txt`` (:mod:`kinlink.incidents`). Exit code 1.
    """
    incidents.set_step(_command_words(sys.argv[1:]))
    try:
        app()
    except Exception as exc:  # the one top-level handler: see the docstring
        incident = incidents.record(exc, _errors_dir())
        err_console.print(Text.assemble(("Error: ", "bold red"), incident.message()))
        sys.exit(1)


def _command_words(args: list[str]) -> str:
    """``kinlink import``, ``kinlink lists new``: the command, never its arguments (a
    file's name may hold a child's). Only the named group's module is imported."""
    words = [a for a in args[:2] if not a.startswith("-")]
    if not words or words[0] not in COMMANDS.keys() | GROUPS.keys():
        return "kinlink"
    if len(words) > 1 and words[0] in GROUPS:
        group = _loaded(words[0])
        if isinstance(group, TyperGroup) and words[1] in group.commands:
            return f"kinlink {words[0]} {words[1]}"
    return f"kinlink {words[0]}"


def _errors_dir() -> Path | None:
    """Where the details of a failure go, if the settings can be read at all."""
    try:
        return settings().errors_dir
    except Exception:  # broken settings: tell the person without a detail file
        return None

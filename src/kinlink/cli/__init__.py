"""The ``kinlink`` command line: thin Typer wrappers over kinlink's services."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.text import Text

from kinlink import incidents
from kinlink.cli import (
    audit,
    browse,
    db,
    demo,
    importing,
    linking,
    mediation,
    model,
    names,
    review,
    serve,
    users,
)
from kinlink.cli.context import err_console, settings

__all__ = ["app", "main"]

app = typer.Typer(
    name="kinlink",
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
app.add_typer(audit.app, name="audit")
app.add_typer(db.app, name="db")
app.add_typer(demo.app, name="demo")
app.add_typer(names.app, name="names")
app.add_typer(model.app, name="model")
app.add_typer(browse.records_app, name="records")
app.add_typer(review.review_app, name="review")
app.add_typer(review.children_app, name="children")
app.add_typer(review.cases_app, name="cases")
app.add_typer(users.app, name="users")
app.add_typer(mediation.channels_app, name="channels")
app.add_typer(mediation.lists_app, name="lists")
app.add_typer(mediation.answers_app, name="answers")
app.command("import")(importing.import_command)
app.command("sources")(browse.sources_command)
app.command("imports")(browse.imports_command)
app.command("serve")(serve.serve_command)
app.command("link")(linking.link_command)
app.command("dedupe")(linking.dedupe_command)
app.command("match")(linking.match_command)


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
    file's name may hold a child's)."""
    groups = {group.name: {command.name for command in group.typer_instance.registered_commands}
              for group in app.registered_groups if group.typer_instance is not None}
    commands = {command.name for command in app.registered_commands} | set(groups)
    words = [a for a in args[:2] if not a.startswith("-")]
    if not words or words[0] not in commands:
        return "kinlink"
    if len(words) > 1 and words[1] in groups.get(words[0], set()):
        return f"kinlink {words[0]} {words[1]}"
    return f"kinlink {words[0]}"


def _errors_dir() -> Path | None:
    """Where the details of a failure go, if the settings can be read at all."""
    try:
        return settings().errors_dir
    except Exception:  # broken settings: tell the person without a detail file
        return None

"""The ``kinlink`` command line: thin Typer wrappers over kinlink's services."""

from __future__ import annotations

import typer

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
    """Entry point of the ``kinlink`` script."""
    app()

"""``kinlink db``: the database schema."""

from __future__ import annotations

import typer

from kinlink.cli.context import friendly_errors, out, settings, tr
from kinlink.storage import current_revision, head_revision, upgrade
from kinlink.storage.engine import check_durability, make_engine, redacted_url

app = typer.Typer(help="Create or upgrade the database schema, and show its state.",
                  no_args_is_help=True)


@app.command("upgrade")
@friendly_errors
def upgrade_command() -> None:
    """Create the schema in an empty database or bring it to this version's schema.

    Back up a database that holds data before upgrading it.
    """
    config = settings()
    engine = make_engine(config.effective_database_url, config.busy_timeout)
    try:
        check_durability(engine)
        before = current_revision(engine)
        after = upgrade(engine)
    finally:
        engine.dispose()
    where = redacted_url(config.effective_database_url)
    if before == after:
        out.print(tr("Database {url}: schema {schema} (already current).").format(
            url=where, schema=after))
    else:
        out.print(tr("Database {url}: schema {schema} (upgraded from {before}).").format(
            url=where, schema=after, before=before or tr("empty")))


@app.command("status")
@friendly_errors
def status_command() -> None:
    """Show which database is used and whether its schema is current."""
    config = settings()
    engine = make_engine(config.effective_database_url, config.busy_timeout)
    try:
        current = current_revision(engine)
    finally:
        engine.dispose()
    head = head_revision()
    where = redacted_url(config.effective_database_url)
    if current == head:
        out.print(tr("Database {url}: schema {schema} — current.").format(
            url=where, schema=current))
    else:
        out.print(tr("Database {url}: schema {schema} — needs `kinlink db upgrade` (to "
                     "{head}).").format(url=where, schema=current or tr("empty"), head=head))

"""``kinlink stats``: prepare a release of public statistics, list releases, publish one.

The same use cases as the page ``/statistics/releases`` (KINLINK_ROLE administrator or
supervisor; KINLINK_AGENCY the agency whose cases are counted, the home agency unset).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import (
    acting,
    friendly_errors,
    local_time,
    out,
    settings,
    store,
    term,
    tr,
)
from kinlink.usecases import statistics
from kinlink.web.labels import RELEASE_STATUS

app = typer.Typer(help="Public statistics: prepare a release under disclosure control, "
                       "list the releases, publish one.", no_args_is_help=True)


@app.command("release")
@friendly_errors
def release_command(
    publish: Annotated[bool, typer.Option(
        "--publish", help="Publish the release at once (the public page shows it).")] = False,
) -> None:
    """Prepare a release of the agency's statistics as of today: every table under
    disclosure control, protected against the release the public saw last. Prints what
    disclosure control changed in each table (never the raw counts)."""
    config = settings()
    with store(config) as opened:
        made = statistics.prepare_release(opened, acting(config))
        if publish:
            made = statistics.publish_release(opened, acting(config), made.id)
    table = Table(tr("Table"), tr("Cells"), tr("Suppressed"), tr("Changed by rounding"))
    titles = {t.code: t.title for t in made.release.tables}
    for change in made.release.changes:
        title = titles.get(change.table)
        table.add_row(tr(title) if title else change.table, str(change.cells),
                      str(change.suppressed), str(change.changed_by_rounding))
    out.print(table)
    out.print(tr("Release {release}: {status}").format(release=made.id,
                                                      status=term(RELEASE_STATUS, made.status)))


@app.command("list")
@friendly_errors
def list_command() -> None:
    """The agency's releases, newest first."""
    config = settings()
    with store(config) as opened:
        found = statistics.list_releases(opened, acting(config))
    table = Table(tr("Release"), tr("As of"), tr("Status"), tr("Prepared"), tr("Published"))
    for r in found:
        table.add_row(str(r.id), r.as_of.isoformat(), term(RELEASE_STATUS, r.status),
                      f"{r.prepared_by} {local_time(r.prepared_at, config)}",
                      f"{r.published_by} {local_time(r.published_at, config)}"
                      if r.published_at is not None else "")
    out.print(table)


@app.command("publish")
@friendly_errors
def publish_command(
    release: Annotated[int, typer.Argument(help="The release's id.", show_default=False)],
) -> None:
    """Publish a draft release: the public page shows it from now on."""
    config = settings()
    with store(config) as opened:
        done = statistics.publish_release(opened, acting(config), release)
    out.print(tr("Release {release}: {status}").format(release=done.id,
                                                      status=term(RELEASE_STATUS, done.status)))

"""``kinlink sources``, ``kinlink imports`` and ``kinlink records``: look at what is stored.

Each command is one use case (:mod:`kinlink.usecases.sources`,
:mod:`kinlink.usecases.records`), the same the pages call, run as ``KINLINK_USER`` in the
role ``KINLINK_ROLE``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import (
    acting,
    friendly_errors,
    local_day,
    local_time,
    out,
    said,
    settings,
    store,
    term,
    tr,
)
from kinlink.domain.records import Role, Sex
from kinlink.usecases.records import RecordFilter, find_records, read_record
from kinlink.usecases.sources import list_runs, list_sources
from kinlink.web.labels import KINDS, RECORD_ROLES, RUN_STATUS, SEXES

records_app = typer.Typer(help="List and filter records, or show one with its raw row.",
                          no_args_is_help=True)


@friendly_errors
def sources_command() -> None:
    """List the sources (imported lists) with their provenance and record counts."""
    config = settings()
    with store(config) as opened:
        sources = list_sources(opened, acting(config))
    table = Table(tr("id"), tr("kind"), tr("role"), tr("title"), tr("producer"),
                  tr("received"), tr("file"), "sha256", tr("imported by"), tr("imported"),
                  tr("records"), title=tr("Sources"))
    for source in sources:
        table.add_row(str(source.id), term(KINDS, source.kind),
                      term(RECORD_ROLES, source.role), source.title,
                      source.producer or "", str(source.received_on or ""),
                      source.original_filename, source.sha256[:12], source.imported_by,
                      local_time(source.imported_at, config), str(source.records))
    out.print(table if sources else
              tr("No sources yet: import a list with `kinlink import FILE`."))


@friendly_errors
def imports_command(
    limit: Annotated[int, typer.Option(help="How many runs to show, newest first.")] = 20,
) -> None:
    """List import runs: completed, refused, failed or interrupted, with their counts."""
    config = settings()
    with store(config) as opened:
        runs = list_runs(opened, acting(config), limit)
    table = Table(tr("run"), tr("file"), tr("status"), tr("source"), tr("rows"),
                  tr("imported"), tr("rejected"), tr("field errors"), tr("started"), tr("by"),
                  tr("message"), title=tr("Import runs"))
    for run in runs:
        table.add_row(str(run.id), run.file, term(RUN_STATUS, run.status),
                      str(run.source_id or ""),
                      str(run.rows), str(run.imported), str(run.rejected),
                      str(run.field_errors), local_time(run.started_at, config),
                      run.started_by, said(run.message) if run.message else "")
    out.print(table if runs else tr("No imports yet."))


@records_app.command("list")
@friendly_errors
def list_command(
    source: Annotated[int | None, typer.Option(help="Only records of this source id.",
                                               show_default=False)] = None,
    role: Annotated[Role | None, typer.Option(help="Only sought or only found records.",
                                              show_default=False)] = None,
    sex: Annotated[Sex | None, typer.Option(help="Only M or only F.", show_default=False)]
        = None,
    birth_year: Annotated[int | None, typer.Option(help="Only children born this year.",
                                                   show_default=False)] = None,
    name: Annotated[str | None, typer.Option(
        help="Only records whose name contains this text (as written, any case).",
        show_default=False)] = None,
    limit: Annotated[int, typer.Option(help="At most this many records.")] = 50,
) -> None:
    """List records, filtered by source, role, sex, birth year or name."""
    config = settings()
    where = RecordFilter(source, role.value if role else None, sex.value if sex else None,
                         birth_year, name)
    with store(config) as opened:
        records = find_records(opened, acting(config), where, limit)
    table = Table(tr("id"), tr("source"), "record_id", tr("role"), tr("name"), tr("sex"),
                  tr("birth"), tr("birth place"),
                  title=tr("Records shown: {count}").format(count=len(records)))
    for r in records:
        table.add_row(str(r.id), str(r.source_id), r.record_id, term(RECORD_ROLES, r.role),
                      r.display_name, term(SEXES, r.sex) if r.sex else "",
                      str(r.birth or ""), r.birth_place or "")
    out.print(table)


@records_app.command("show")
@friendly_errors
def show_command(
    record: Annotated[int, typer.Argument(help="The record's id (first column of "
                                          "`kinlink records list`).", show_default=False)],
    with_reporter: Annotated[bool, typer.Option(
        "--with-reporter", help="Also show who reported the child and how to reach them "
                                "(supervisors and case workers; audited).")] = False,
) -> None:
    """Show one record: parsed fields, the raw row as imported, and its source. Cells of
    the reporter's columns are withheld unless `--with-reporter` is given."""
    config = settings()
    with store(config) as opened:
        row = read_record(opened, acting(config), record, with_contact=with_reporter)
    fields = Table(show_header=False, title=tr("Record {id} ({role})").format(
        id=row.id, role=term(RECORD_ROLES, row.role)), title_justify="left")
    for label, value in (
        ("record_id", row.record_id), (tr("given name"), row.given_name),
        (tr("surname"), row.surname), (tr("patronymic"), row.patronymic),
        (tr("full name"), row.full_name),
        (tr("sex"), term(SEXES, row.sex) if row.sex else None),
        (tr("birth date"), str(row.birth or "")), (tr("birth place"), row.birth_place),
        (tr("last known place"), row.last_known_place),
        (tr("event date"), str(row.event or "")), (tr("notes"), row.notes),
        (tr("source column"), row.source_text),
    ):
        fields.add_row(label, value or "[dim]—[/]")
    for key, value in row.extra.items():
        fields.add_row(tr("extra: {column}").format(column=key), value)
    out.print(fields)
    raw = Table(tr("column"), tr("cell as imported"),
                title=tr("Raw row (line {line})").format(line=row.line), title_justify="left")
    for cell in row.raw:
        raw.add_row(cell.column,
                    "[dim]" + tr("(withheld)") + "[/]" if cell.withheld else cell.value)
    out.print(raw)
    source = row.source
    out.print(tr("Source {id}: {title} ({kind}, {file}, sha256 {sha}…, imported by {who} on "
                 "{day})").format(id=source.id, title=source.title,
                                  kind=term(KINDS, source.kind),
                                  file=source.original_filename, sha=source.sha256[:12],
                                  who=source.imported_by,
                                  day=local_day(source.imported_at, config)))
    if with_reporter:
        reporter = row.reporter
        known = [v for v in (reporter.name, reporter.relationship, reporter.contact) if v] \
            if reporter else []
        out.print(tr("Reported by: {who}").format(who=", ".join(known)) if known
                  else tr("Reported by: nobody recorded"))

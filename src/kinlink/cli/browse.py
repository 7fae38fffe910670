"""``kinlink sources``, ``kinlink imports`` and ``kinlink records``: look at what is stored.

Each command is one use case (:mod:`kinlink.usecases.sources`,
:mod:`kinlink.usecases.records`), the same the pages call, run as ``KINLINK_USER`` in the
role ``KINLINK_ROLE``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import acting, friendly_errors, local_day, local_time, out, settings, store
from kinlink.domain.records import Role, Sex
from kinlink.usecases.records import RecordFilter, find_records, read_record
from kinlink.usecases.sources import list_runs, list_sources

records_app = typer.Typer(help="List and filter records, or show one with its raw row.",
                          no_args_is_help=True)


@friendly_errors
def sources_command() -> None:
    """List the sources (imported lists) with their provenance and record counts."""
    config = settings()
    with store(config) as opened:
        sources = list_sources(opened, acting(config))
    table = Table("id", "kind", "role", "title", "producer", "received", "file", "sha256",
                  "imported by", "imported", "records", title="Sources")
    for source in sources:
        table.add_row(str(source.id), source.kind, source.role, source.title,
                      source.producer or "", str(source.received_on or ""),
                      source.original_filename, source.sha256[:12], source.imported_by,
                      local_time(source.imported_at, config), str(source.records))
    out.print(table if sources else "No sources yet: import a list with `kinlink import FILE`.")


@friendly_errors
def imports_command(
    limit: Annotated[int, typer.Option(help="How many runs to show, newest first.")] = 20,
) -> None:
    """List import runs: completed, refused, failed or interrupted, with their counts."""
    config = settings()
    with store(config) as opened:
        runs = list_runs(opened, acting(config), limit)
    table = Table("run", "file", "status", "source", "rows", "imported", "rejected",
                  "field errors", "started", "by", "message", title="Import runs")
    for run in runs:
        table.add_row(str(run.id), run.file, run.status, str(run.source_id or ""),
                      str(run.rows), str(run.imported), str(run.rejected),
                      str(run.field_errors), local_time(run.started_at, config),
                      run.started_by, run.message or "")
    out.print(table if runs else "No imports yet.")


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
    table = Table("id", "source", "record_id", "role", "name", "sex", "birth", "birth place",
                  title=f"Records ({len(records)} shown)")
    for r in records:
        table.add_row(str(r.id), str(r.source_id), r.record_id, r.role, r.display_name,
                      r.sex or "", str(r.birth or ""), r.birth_place or "")
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
    fields = Table(show_header=False, title=f"Record {row.id} ({row.role})",
                   title_justify="left")
    for label, value in (
        ("record_id", row.record_id), ("given name", row.given_name), ("surname", row.surname),
        ("patronymic", row.patronymic), ("full name", row.full_name), ("sex", row.sex),
        ("birth date", str(row.birth or "")), ("birth place", row.birth_place),
        ("last known place", row.last_known_place), ("event date", str(row.event or "")),
        ("notes", row.notes),
        ("source column", row.source_text),
    ):
        fields.add_row(label, value or "[dim]—[/]")
    for key, value in row.extra.items():
        fields.add_row(f"extra: {key}", value)
    out.print(fields)
    raw = Table("column", "cell as imported", title=f"Raw row (line {row.line})",
                title_justify="left")
    for cell in row.raw:
        raw.add_row(cell.column, "[dim](withheld)[/]" if cell.withheld else cell.value)
    out.print(raw)
    source = row.source
    out.print(f"Source {source.id}: {source.title} ({source.kind}, {source.original_filename}, "
              f"sha256 {source.sha256[:12]}…, imported by {source.imported_by} on "
              f"{local_day(source.imported_at, config)})")
    if with_reporter:
        reporter = row.reporter
        out.print("Reported by: " + (", ".join(
            v for v in (reporter.name, reporter.relationship, reporter.contact) if v)
            if reporter else "nobody recorded"))

"""``kinlink sources``, ``kinlink imports`` and ``kinlink records``: look at what is stored."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.cli.context import actor, fail, friendly_errors, out, settings, store
from kinlink.domain.records import Role, Sex
from kinlink.storage.browse import (
    RecordFilter,
    find_records,
    get_record,
    list_runs,
    list_sources,
)

records_app = typer.Typer(help="List and filter records, or show one with its raw row.",
                          no_args_is_help=True)


@friendly_errors
def sources_command() -> None:
    """List the sources (imported lists) with their provenance and record counts."""
    with store(settings()) as opened, opened.transaction() as session:
        rows = list_sources(session)
    table = Table("id", "kind", "role", "title", "producer", "received", "file", "sha256",
                  "imported by", "imported", "records", title="Sources")
    for source, count in rows:
        table.add_row(str(source.id), source.kind, source.role, source.title,
                      source.producer or "", str(source.received_on or ""),
                      source.original_filename, source.sha256[:12], source.imported_by,
                      f"{source.imported_at:%Y-%m-%d %H:%M}", str(count))
    out.print(table if rows else "No sources yet: import a list with `kinlink import FILE`.")


@friendly_errors
def imports_command(
    limit: Annotated[int, typer.Option(help="How many runs to show, newest first.")] = 20,
) -> None:
    """List import runs: completed, refused, failed or interrupted, with their counts."""
    with store(settings()) as opened, opened.transaction() as session:
        runs = list_runs(session, limit)
    table = Table("run", "file", "status", "source", "rows", "imported", "rejected",
                  "field errors", "started", "by", "message", title="Import runs")
    for run in runs:
        table.add_row(str(run.id), run.original_filename, run.status,
                      str(run.source_id or ""), str(run.rows_total), str(run.imported),
                      str(run.rejected), str(run.field_errors),
                      f"{run.started_at:%Y-%m-%d %H:%M}", run.started_by, run.message or "")
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
    with store(config) as opened, opened.transaction() as session:
        records = find_records(session, where, limit)
        append_event(session, AuditEvent(actor(config), AuditAction.RECORDS_LIST, "record", None, {
            "source_id": source, "role": where.role, "sex": where.sex,
            "birth_year": birth_year, "name_filter": name is not None,
            "shown": len(records)}))
    table = Table("id", "source", "record_id", "role", "name", "sex", "birth", "birth place",
                  title=f"Records ({len(records)} shown)")
    for r in records:
        table.add_row(str(r.id), str(r.source_id), r.record_id, r.role, r.display_name, r.sex or "",
                      str(r.birth or ""), r.birth_place or "")
    out.print(table)


@records_app.command("show")
@friendly_errors
def show_command(
    record: Annotated[int, typer.Argument(help="The record's id (first column of "
                                          "`kinlink records list`).", show_default=False)],
    with_reporter: Annotated[bool, typer.Option(
        "--with-reporter", help="Also show who reported the child and how to reach them.")]
        = False,
) -> None:
    """Show one record: parsed fields, the raw row as imported, and its source."""
    config = settings()
    with store(config) as opened, opened.transaction() as session:
        try:
            row, source, reporter = get_record(session, record)
        except LookupError:
            raise fail(f"there is no record {record}") from None
        append_event(session, AuditEvent(actor(config), AuditAction.RECORD_READ,
                                         "record", str(row.id),
                                         {"with_reporter": with_reporter}))
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
    for index, cell in enumerate(row.raw):
        raw.add_row(source.header[index] if index < len(source.header) else f"column {index + 1}",
                    cell)
    out.print(raw)
    out.print(f"Source {source.id}: {source.title} ({source.kind}, {source.original_filename}, "
              f"sha256 {source.sha256[:12]}…, imported by {source.imported_by} on "
              f"{source.imported_at:%Y-%m-%d})")
    if with_reporter:
        out.print("Reported by: " + (", ".join(
            v for v in (reporter.name, reporter.relationship, reporter.contact) if v)
            if reporter else "nobody recorded"))

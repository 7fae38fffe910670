"""``kinlink import``: bring a CSV or XLSX list into the store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from kinlink.cli.context import actor, err_console, fail, out, settings, store
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.records import Role, SourceKind
from kinlink.errors import KinlinkError
from kinlink.ingest import ImportRequest, ImportResult, import_file
from kinlink.listfiles import ErrorReport, load_mapping, write_error_report
from kinlink.matching.store import MatchResult, match_store
from kinlink.usecases.cases import open_missing_cases

_PROGRESS_FROM_ROWS = 5000


def import_command(
    file: Annotated[Path, typer.Argument(help="The list to import: CSV (UTF-8 or "
                                         "Windows-1251) or XLSX.", show_default=False)],
    kind: Annotated[SourceKind, typer.Option(help="What kind of list this is.")]
        = SourceKind.LIST,
    role: Annotated[Role | None, typer.Option(
        help="sought = reports of missing children, found = children seen or held "
             "somewhere. Default: sought for family_reports and form, found otherwise.",
        show_default=False)] = None,
    title: Annotated[str | None, typer.Option(help="Title of the source (default: the file "
                                              "name).", show_default=False)] = None,
    producer: Annotated[str | None, typer.Option(help="The party that produced the list.",
                                                 show_default=False)] = None,
    received: Annotated[dt.datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="Date the list was received (YYYY-MM-DD).",
        show_default=False)] = None,
    mapping: Annotated[Path | None, typer.Option(
        help='TOML file with a [columns] table ("header in the file" = "field") for '
             "layouts the built-in header names do not cover.", show_default=False)] = None,
    sheet: Annotated[str | None, typer.Option(help="XLSX sheet to read (default: the "
                                              "first).", show_default=False)] = None,
    line_ids: Annotated[bool, typer.Option(
        "--line-ids", help="The file has no record_id column: use line-N as the id.")]
        = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Import a file again even though the same file (same SHA-256) "
                        "was imported before.")] = False,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print one JSON object (counts, ids, report paths) instead of "
                       "tables.")] = False,
    link: Annotated[bool, typer.Option(
        "--link/--no-link", help="After importing, link the new records with everything "
                                 "in the store (both directions) and queue new candidate "
                                 "pairs for review; decided pairs never come back.")] = True,
) -> None:
    """Import a list of children: every row becomes a record or a reported error.

    A row without a record_id or without any name is rejected; a field that cannot be read
    (an impossible date, an unknown sex value) is reported and the record is kept. The
    whole file is imported in one transaction: if the import is interrupted, nothing of
    it is kept and running it again completes it. Problems are written to an error report
    (CSV) in the data directory, with the rejected rows in a file you can fix and import.
    Then the new records are linked with the store and new reports get their cases
    (`--no-link` to skip).
    """
    config = settings()
    try:
        request = ImportRequest(
            path=file, imported_by=actor(config), kind=kind, role=role, title=title,
            producer=producer, received_on=received.date() if received else None,
            sheet=sheet, line_ids=line_ids, force=force,
            mapping=load_mapping(mapping) if mapping else None,
        )
        result = _run(config, request, show_progress=not as_json)
    except KinlinkError as exc:
        if as_json:
            print(json.dumps({"status": "refused", "file": file.name, "error": str(exc)},
                             ensure_ascii=False))
            raise typer.Exit(2) from None
        raise fail(str(exc)) from None
    report = write_error_report(config.reports_dir, f"import-{result.run_id}", result.file,
                                result.header, result.issues)
    linked = _link(config, quiet=as_json) if link and result.counts.imported else None
    if as_json:
        summary = _json(result, report)
        summary["linking"] = linked.as_dict() if linked else None
        print(json.dumps(summary, ensure_ascii=False))
        return
    _print_summary(result, report)
    if linked is not None and linked.run_id is not None:
        out.print(f"Linked: {linked.pairs} candidate pairs ({linked.matches} match, "
                  f"{linked.reviews} for review); see `kinlink review next`.")
        if linked.crowded.records:
            out.print(f"[yellow]Note:[/] {linked.crowded.words()}")


def _link(config: Settings, *, quiet: bool) -> MatchResult:
    """Link the new records and open cases for new reports (the composition the CLI
    owns: ingest, matching and review do not call each other)."""
    say = None if quiet else (lambda text: err_console.print(f"[dim]{text}…[/]"))
    with store(config) as opened:
        matched = match_store(opened, actor=actor(config), say=say)
        open_missing_cases(opened, Actor(actor(config), config.role))
    return matched


def _run(config: Settings, request: ImportRequest, *, show_progress: bool) -> ImportResult:
    with store(config) as opened:
        if not show_progress:
            return import_file(opened, request)
        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=err_console,
                      transient=True) as bar:
            task = bar.add_task(f"Importing {request.path.name}", total=None, visible=False)

            def advance(done: int, estimate: int) -> None:
                visible = estimate >= _PROGRESS_FROM_ROWS
                bar.update(task, completed=done, total=max(estimate, done), visible=visible)

            return import_file(opened, request, progress=advance)


def _json(result: ImportResult, report: ErrorReport | None) -> dict[str, object]:
    summary = result.as_dict()
    summary["error_report"] = str(report.errors) if report else None
    summary["rejected_rows_file"] = str(report.rejected) if report and report.rejected else None
    return summary


def _print_summary(result: ImportResult, report: ErrorReport | None) -> None:
    counts = result.counts
    table = Table(title=f"Imported {result.file} as source {result.source_id}",
                  show_header=False, title_justify="left")
    table.add_row("format", f"{result.file_format} ({result.encoding or 'workbook'})")
    table.add_row("role", result.role.value)
    table.add_row("rows read", str(counts.rows))
    table.add_row("records imported", f"[green]{counts.imported}[/]")
    table.add_row("rows rejected", f"[red]{counts.rejected}[/]" if counts.rejected else "0")
    table.add_row("fields not understood",
                  f"[yellow]{counts.field_errors}[/]" if counts.field_errors else "0")
    table.add_row("blank lines skipped", str(counts.blank_lines))
    out.print(table)
    for issue in result.issues[:10]:
        where = f"line {issue.line}" + (f", column {issue.column!r}" if issue.column else "")
        out.print(f"  [dim]{issue.severity}[/] {where}: {issue.message}")
    if len(result.issues) > 10:
        out.print(f"  … and {len(result.issues) - 10} more.")
    if report:
        out.print(f"Error report: {report.errors}")
        if report.rejected:
            out.print(f"Rejected rows to fix and import again: {report.rejected}")

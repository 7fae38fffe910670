"""``kinlink import``: bring a CSV or XLSX list into the store, link it, open its cases."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from kinlink import incidents
from kinlink.cli.context import (
    acting,
    actor,
    crowding,
    err_console,
    fail,
    out,
    said,
    settings,
    store,
    term,
    tr,
)
from kinlink.domain.progress import Stage, StageProgress
from kinlink.domain.records import Role, SourceKind
from kinlink.domain.stopping import Stop
from kinlink.errors import DuplicateFileError, ImportStoppedError, KinlinkError
from kinlink.ingest import ImportRequest, ImportResult
from kinlink.listfiles import ErrorReport, load_mapping, write_error_report
from kinlink.usecases.document_access import Evidence
from kinlink.usecases.importing import ImportOutcome, import_list
from kinlink.usecases.mentions import rescreen_after_import
from kinlink.web import labels

_STEPS = {Stage.READING: ("kinlink import, reading the list into the store",
                         "Nothing of the list is seen; run the same import again"),
          Stage.LINKING: ("kinlink import, linking the new records",
                         "The list is imported; run `kinlink match` to link it"),
          Stage.OPENING_CASES: ("kinlink import, opening cases",
                                "The list is imported; run `kinlink match` to finish")}


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
                                 "in the store (both directions), queue new candidate "
                                 "pairs for review (decided pairs never come back) and "
                                 "open the cases of the children the list reports.")] = True,
) -> None:
    """Import a list of children: every row becomes a record or a reported error.

    A row without a record_id or without any name is rejected; a field that cannot be read
    (an impossible date, an unknown sex value) is reported and the record is kept. The
    file is written in short transactions (others keep working meanwhile) and is seen
    only once all of it is in: if the import is interrupted, nothing of it is seen and
    running it again completes it. Problems are written to an error report (CSV) in the
    data directory, with the rejected rows in a file you can fix and import. Then the new
    records are linked with the store and the children it reports get their cases
    (`--no-link` to skip; `kinlink match` does it later). KINLINK_ROLE is the role you
    act in (case_worker by default).

    The file is refused whole when it breaks one of the limits (KINLINK_LIMITS__*: its
    size, rows, columns, the length of a cell, a workbook's uncompressed size). Ctrl+C
    stops the import cleanly at the next chunk: nothing of the list is kept (while
    linking, the list stays imported and `kinlink match` links it); the exit code is 130.
    """
    config = settings()
    watch = _Watch()
    stop = Stop()
    try:
        request = ImportRequest(
            path=file, imported_by=actor(config), kind=kind, role=role, title=title,
            producer=producer, received_on=received.date() if received else None,
            sheet=sheet, line_ids=line_ids, force=force,
            mapping=load_mapping(mapping) if mapping else None,
        )
        with store(config) as opened, _bars(watch, quiet=as_json), _ctrl_c(stop, actor(config)):
            outcome = import_list(opened, acting(config), request, link=link,
                                  progress=watch, stop=stop, limits=config.limits)
            with contextlib.suppress(KinlinkError):  # kept anyway: `documents rescreen`
                rescreen_after_import(Evidence.of(config, opened), acting(config),
                                      outcome.imported.source_id)
    except ImportStoppedError as exc:
        imported = watch.stage is not Stage.READING
        message = (tr("{error}; the list was imported, run `kinlink match` to link it")
                   if imported else tr("{error}; nothing of the list was kept")
                   ).format(error=said(exc.text))
        if as_json:
            print(json.dumps({"status": "unlinked" if imported else "cancelled",
                              "file": file.name, "error": message}, ensure_ascii=False))
        else:
            err_console.print("[bold red]" + tr("Stopped:") + f"[/] {message}")
        raise typer.Exit(130) from None
    except KinlinkError as exc:
        imported = watch.stage is not Stage.READING
        message = (tr("the list was imported, but linking it stopped: {error}; run "
                      "`kinlink match` to link it").format(error=said(exc.text))
                   if imported else said(exc.text))
        if isinstance(exc, DuplicateFileError):
            message += tr("; to import it again anyway, run the same command with --force")
        if as_json:
            print(json.dumps({"status": "unlinked" if imported else "refused",
                              "file": file.name, "error": message}, ensure_ascii=False))
            raise typer.Exit(2) from None
        raise fail(message) from None
    result = outcome.imported
    report = write_error_report(config.reports_dir, f"import-{result.run_id}", result.file,
                                result.header, result.issues)
    if as_json:
        summary = outcome.as_dict()
        summary.update(_report_paths(report))
        print(json.dumps(summary, ensure_ascii=False))
        return
    _print_summary(result, report)
    _print_linking(outcome)


class _Watch:
    """Follows the stages: remembers the one reached, names it as the step an unexpected
    failure is reported at (:mod:`kinlink.incidents`) and, unless quiet, shows a Rich bar
    per stage on stderr (reading, linking, opening cases)."""

    def __init__(self) -> None:
        self.stage = Stage.READING
        self.bars: Progress | None = None
        self._named = False
        self._tasks: dict[Stage, TaskID] = {}

    def __call__(self, step: StageProgress) -> None:
        if step.stage is not self.stage or not self._named:
            incidents.set_step(*_STEPS[step.stage])
            self._named = True
        self.stage = step.stage
        if self.bars is None:
            return
        if step.stage not in self._tasks:
            for earlier in self._tasks.values():
                done = self.bars.tasks[earlier].total or 1
                self.bars.update(earlier, completed=done, total=done)
            self._tasks[step.stage] = self.bars.add_task(term(labels.STAGES, step.stage),
                                                         total=None)
        words = term(labels.STAGES, step.stage) + (f": {said(step.message)}"
                                                   if step.message else "")
        self.bars.update(self._tasks[step.stage], description=words, completed=step.done,
                          total=step.total or None)


@contextmanager
def _ctrl_c(stop: Stop, who: str) -> Iterator[None]:
    """While the import runs, the first Ctrl+C asks it to stop at the next chunk (it then
    ends cleanly, keeping nothing); a second one interrupts at once."""

    def first(_signum: int, _frame: object) -> None:
        stop.cancel(who, at_keyboard=True)
        err_console.print(tr("Stopping at the next chunk… (Ctrl+C again to stop at once)"))
        signal.signal(signal.SIGINT, signal.default_int_handler)

    before = signal.signal(signal.SIGINT, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


@contextmanager
def _bars(watch: _Watch, *, quiet: bool) -> Iterator[None]:
    """Show ``watch``'s bars while the import runs, unless ``quiet`` (--json)."""
    if quiet:
        yield
        return
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err_console,
                  transient=True) as bars:
        watch.bars = bars
        yield


def _print_linking(outcome: ImportOutcome) -> None:
    linked = outcome.linked
    if linked is None:
        return
    if linked.run_id is not None:
        out.print(tr("Linked: {pairs} candidate pairs ({matches} match, {reviews} for "
                     "review); see `kinlink review next`.").format(
            pairs=linked.pairs, matches=linked.matches, reviews=linked.reviews))
        if linked.crowded.records:
            out.print("[yellow]" + tr("Note:") + f"[/] {crowding(linked.crowded)}")
    out.print(tr("Cases opened: {count}.").format(count=outcome.cases_opened))


def _report_paths(report: ErrorReport | None) -> dict[str, object]:
    return {"error_report": str(report.errors) if report else None,
            "rejected_rows_file": str(report.rejected) if report and report.rejected
            else None}


def _print_summary(result: ImportResult, report: ErrorReport | None) -> None:
    counts = result.counts
    table = Table(title=tr("Imported {file} as source {source}").format(
                      file=result.file, source=result.source_id),
                  show_header=False, title_justify="left")
    table.add_row(tr("format"), f"{result.file_format} ({result.encoding or tr('workbook')})")
    table.add_row(tr("role"), term(labels.RECORD_ROLES, result.role.value))
    table.add_row(tr("rows read"), str(counts.rows))
    table.add_row(tr("records imported"), f"[green]{counts.imported}[/]")
    table.add_row(tr("rows rejected"),
                  f"[red]{counts.rejected}[/]" if counts.rejected else "0")
    table.add_row(tr("fields not understood"),
                  f"[yellow]{counts.field_errors}[/]" if counts.field_errors else "0")
    table.add_row(tr("blank lines skipped"), str(counts.blank_lines))
    out.print(table)
    for issue in result.issues[:10]:
        where = (tr("line {line}, column {column}").format(line=issue.line,
                                                          column=repr(issue.column))
                 if issue.column else tr("line {line}").format(line=issue.line))
        out.print(f"  [dim]{term(labels.SEVERITY, issue.severity)}[/] {where}: "
                  f"{said(issue.message)}")
    if len(result.issues) > 10:
        out.print("  " + tr("… and {count} more.").format(count=len(result.issues) - 10))
    if report:
        out.print(tr("Error report: {path}").format(path=report.errors))
        if report.rejected:
            out.print(tr("Rejected rows to fix and import again: {path}").format(
                path=report.rejected))

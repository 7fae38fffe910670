"""Write an import's error report: what went wrong where, and the rows to fix.

Two CSV files (UTF-8 with BOM, so spreadsheet programs read the Cyrillic right):

* ``…-errors.csv`` — one line per issue: file, line, column, severity, code, problem,
  value.
* ``…-rejected.csv`` — the rejected rows under the file's own header, to be corrected
  and imported again.

In both, every cell a spreadsheet would run as a formula is written with a leading
apostrophe (:mod:`kinlink.domain.cells`); the importer takes it off again, so the
rejected rows, once corrected, import the values they had.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kinlink.domain.cells import SafeCsvWriter
from kinlink.domain.imports import Issue, Severity

__all__ = ["ErrorReport", "write_error_report"]

@dataclass(frozen=True)
class ErrorReport:
    """The paths written; ``rejected`` is ``None`` when no row was rejected."""

    errors: Path
    rejected: Path | None


def write_error_report(directory: Path, stem: str, file_name: str, header: list[str],
                       issues: list[Issue]) -> ErrorReport | None:
    """Write the report for ``issues`` into ``directory``; ``None`` when there are none."""
    if not issues:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    errors = directory / f"{stem}-errors.csv"
    with errors.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow(["file", "line", "column", "severity", "code", "problem", "value"])
        for issue in issues:
            writer.writerow([file_name, issue.line, issue.column or "", str(issue.severity),
                             issue.code, issue.message, issue.value or ""])
    rows = [i.raw for i in issues if i.severity is Severity.REJECTED and i.raw is not None]
    if not rows:
        return ErrorReport(errors, None)
    rejected = directory / f"{stem}-rejected.csv"
    with rejected.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = SafeCsvWriter(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return ErrorReport(errors, rejected)

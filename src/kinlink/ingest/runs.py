"""Error reports of an import run, drawn from the store when asked for.

The error report has the columns of the one ``kinlink import`` writes
(:mod:`kinlink.listfiles.report`), formula-like cells neutralised (in the rejected rows
too, reversibly: :mod:`kinlink.domain.cells`); it is built from the stored issues, so no
report file lies around on disk. Both files come back as the list came in: a CSV in
Windows-1251 with semicolons gives Windows-1251 with semicolons, so the program that wrote
it opens them as it opened the list; a workbook (or a list imported before the delimiter
was kept) gives UTF-8 with BOM and commas.
"""

from __future__ import annotations

import io

from kinlink.domain.cells import SafeCsvWriter
from kinlink.domain.imports import RunView, Severity
from kinlink.storage.import_views import ImportViews

__all__ = ["encode_as", "errors_csv", "rejected_csv"]

_ERRORS_HEADER = ["file", "line", "column", "severity", "code", "problem", "value"]


def errors_csv(views: ImportViews, run: RunView) -> bytes:
    """Every issue of ``run``: where, what, the value (CSV bytes)."""
    buffer = io.StringIO()
    encoding, delimiter = views.dialect(run.source_id)
    writer = SafeCsvWriter(buffer, delimiter=delimiter or ",")
    writer.writerow(_ERRORS_HEADER)
    for issue in views.report(run.id):
        writer.writerow([run.file, issue.line, issue.column or "", issue.severity.value,
                         issue.code, issue.message, issue.value or ""])
    return encode_as(buffer.getvalue(), encoding)


def rejected_csv(views: ImportViews, run: RunView) -> bytes:
    """The rejected rows of ``run`` under the file's own header (CSV bytes)."""
    buffer = io.StringIO()
    encoding, delimiter = views.dialect(run.source_id)
    writer = SafeCsvWriter(buffer, delimiter=delimiter or ",")
    writer.writerow(views.header(run.source_id))
    for issue in views.report(run.id):
        if issue.severity is Severity.REJECTED and issue.raw is not None:
            writer.writerow(issue.raw)
    return encode_as(buffer.getvalue(), encoding)


def encode_as(text: str, encoding: str | None) -> bytes:
    """``text`` in the list's own encoding: Windows-1251 as it came (a character it
    cannot hold, from a message, as ``?``), anything else UTF-8 with BOM."""
    if encoding == "windows-1251":
        return text.encode("cp1251", errors="replace")
    return text.encode("utf-8-sig")

"""Error reports of an import run, drawn from the store when asked for.

The error report has the columns and format of the one ``kinlink import`` writes
(:mod:`kinlink.listfiles.report`): UTF-8 with BOM, formula-like cells neutralised (in
the rejected rows too, reversibly: :mod:`kinlink.domain.cells`); it is built from the
stored issues, so no report file lies around on disk.
"""

from __future__ import annotations

import io

from kinlink.domain.cells import SafeCsvWriter
from kinlink.domain.imports import RunView, Severity
from kinlink.storage.import_views import ImportViews

__all__ = ["errors_csv", "rejected_csv"]

_ERRORS_HEADER = ["file", "line", "column", "severity", "code", "problem", "value"]


def errors_csv(views: ImportViews, run: RunView) -> bytes:
    """Every issue of ``run``: where, what, the value (CSV bytes)."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(_ERRORS_HEADER)
    for issue in views.report(run.id):
        writer.writerow([run.file, issue.line, issue.column or "", issue.severity.value,
                         issue.code, issue.message, issue.value or ""])
    return buffer.getvalue().encode("utf-8-sig")


def rejected_csv(views: ImportViews, run: RunView) -> bytes:
    """The rejected rows of ``run`` under the file's own header (CSV bytes)."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(views.header(run.source_id))
    for issue in views.report(run.id):
        if issue.severity is Severity.REJECTED and issue.raw is not None:
            writer.writerow(issue.raw)
    return buffer.getvalue().encode("utf-8-sig")

"""Read CSV and XLSX lists into a header and numbered rows of text cells.

The format is sniffed from the bytes, not the file name: an XLSX saved as ``.csv`` is
still read, while a binary file renamed ``.csv`` is refused. CSV may use commas (the
format's own), or the semicolons and tabs that spreadsheet programs write in Ukrainian
and Russian locales. Line numbers are the file's own: the line a CSV record starts on, or
the spreadsheet row number, so that an error report points at the right place.

A cell that kinlink itself wrote with an apostrophe in front of a formula-like text
(``'=HYPERLINK(…)``, so that a spreadsheet shows it as text: :mod:`kinlink.domain.cells`)
is read without that apostrophe, so that a rejected-rows file, corrected and imported
again, gives the values the first file had.

Every file is measured against :class:`~kinlink.domain.limits.ImportLimits` before and
while it is read: a workbook by :mod:`kinlink.listfiles.workbook_limits` before openpyxl
opens it, a CSV by its lines, columns and the length of its cells. A file that breaks a
limit is refused whole, with a message naming the limit and what the file holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kinlink.domain.cells import restore_formula
from kinlink.domain.limits import ImportLimits
from kinlink.errors import FILE_EMPTY, FileRefusedError
from kinlink.i18n import N_, Message, Wording
from kinlink.listfiles.encoding import decode_text
from kinlink.listfiles.workbook_limits import check_workbook

_FILE_NO_HEADER_ROW = Wording("listfiles.readers.file_no_header_row", N_(
    "the file has no header row"))
_LINE_CELL_HOLDS_MORE = Wording("listfiles.readers.line_cell_holds_more", N_(
    "line {line}: a cell holds more than {cell_chars} characters; the limit is {limit} "
    "characters (KINLINK_LIMITS__CELL_CHARS)"))
_FIRST_SHEET_NO_HEADER = Wording("listfiles.readers.first_sheet_no_header", N_(
    "the first sheet has no header row"))
_FILE_OLD_EXCEL_XLS = Wording("listfiles.readers.file_old_excel_xls", N_(
    "the file is an old Excel .xls workbook: save it as XLSX or CSV"))
_FILE_LINES_LIMIT_ROWS = Wording("listfiles.readers.file_lines_limit_rows", N_(
    "the file has {lines} lines; the limit is {limit} rows (KINLINK_LIMITS__ROWS)"))
_WORKBOOK_NO_SHEET_SHEETS = Wording("listfiles.readers.workbook_no_sheet_sheets", N_(
    "the workbook has no sheet {sheet}; its sheets are {value}"))
_LINE_COLUMNS_LIMIT_COLUMNS = Wording("listfiles.readers.line_columns_limit_columns", N_(
    "line {start} has {value} columns; the limit is {limit} columns "
    "(KINLINK_LIMITS__COLUMNS)"))
_FILE_ZIP_ARCHIVE_BUT = Wording("listfiles.readers.file_zip_archive_but", N_(
    "the file is a zip archive but not a readable XLSX workbook ({name__})"))
_LINE_CSV_CANNOT_READ = Wording("listfiles.readers.line_csv_cannot_read", N_(
    "line {start}: the CSV cannot be read ({exc})"))
_CSV_NUL = Wording("listfiles.readers.csv_nul", N_(
    "a NUL character (is it a binary file?)"))
_CSV_UNCLOSED_QUOTE = Wording("listfiles.readers.csv_unclosed_quote", N_(
    "a quoted cell is never closed"))
_CSV_NEWLINE = Wording("listfiles.readers.csv_newline", N_(
    "a line break inside an unquoted cell"))
_CSV_DELIMITER_AFTER_QUOTE = Wording("listfiles.readers.csv_delimiter_after_quote", N_(
    "a quoted cell is followed by more text before the next delimiter"))
_CSV_OTHER = Wording("listfiles.readers.csv_other", N_("CSV error {code}"))
_CSV_WORDS = (("NUL", _CSV_NUL), ("unexpected end of data", _CSV_UNCLOSED_QUOTE),
              ("EOF inside string", _CSV_UNCLOSED_QUOTE),
              ("new-line character seen in unquoted field", _CSV_NEWLINE),
              ("expected after", _CSV_DELIMITER_AFTER_QUOTE))

__all__ = ["RawRow", "Table", "open_table"]


def csv_problem(exc: csv.Error) -> Message:
    """What Python's CSV reader found wrong, in words a page translates; a failure not
    foreseen by a short code made of its words (never the parser's English sentence)."""
    text = str(exc)
    for words, wording in _CSV_WORDS:
        if words in text:
            return wording()
    return _CSV_OTHER(code="-".join(re.findall(r"[a-z]+", text.casefold())[:4]) or "?")

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class RawRow:
    """One non-blank row: its line (or spreadsheet row) number and its cells as text."""

    line: int
    cells: list[str]


@dataclass
class Table:
    """A file opened for reading: format, header and an iterator of rows."""

    file_format: str
    encoding: str | None
    header: list[str]
    header_line: int
    rows: Iterator[RawRow]
    size_hint: int
    blank_lines: list[int]
    delimiter: str | None = None
    """The CSV's delimiter (``None`` for a workbook)."""


def open_table(data: bytes, *, sheet: str | None = None,
               limits: ImportLimits | None = None) -> Table:
    """Open ``data`` as an XLSX workbook or a CSV text, whichever it is, within
    ``limits`` (the defaults when none are given)."""
    limits = limits or ImportLimits()
    if data.startswith(_ZIP):
        return _open_xlsx(data, sheet, limits)
    if data.startswith(_OLE):
        raise FileRefusedError(_FILE_OLD_EXCEL_XLS())
    if not data.strip():
        raise FileRefusedError(FILE_EMPTY())
    return _open_csv(data, limits)


def _is_blank(cells: list[str]) -> bool:
    return all(not c.strip() for c in cells)


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _open_csv(data: bytes, limits: ImportLimits) -> Table:
    decoded = decode_text(data)
    text = decoded.text
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines > limits.rows:
        raise FileRefusedError(_FILE_LINES_LIMIT_ROWS(lines=f'{lines:,}', limit=f"{limits.rows:,}"))
    first_line = next((ln for ln in text.splitlines() if ln.strip()), "")
    # the csv module's own guard against a runaway field (an unclosed quote); it is one
    # setting for the process, and every reader of kinlink sets it from the same limits
    csv.field_size_limit(limits.cell_chars)
    delimiter = _sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    blank: list[int] = []
    numbered = _numbered_csv_rows(reader, limits)
    for line, cells in numbered:
        if _is_blank(cells):
            blank.append(line)
            continue
        table = Table("csv", decoded.encoding, cells, line, iter(()), text.count("\n"), blank,
                      delimiter)
        table.rows = _non_blank(numbered, blank)
        return table
    raise FileRefusedError(_FILE_NO_HEADER_ROW())


def _numbered_csv_rows(reader: Any, limits: ImportLimits) -> Iterator[tuple[int, list[str]]]:
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise _long_cell(start, limits) from None
            raise FileRefusedError(_LINE_CSV_CANNOT_READ(start=str(start),
                                                         exc=csv_problem(exc))) from exc
        if len(cells) > limits.columns:
            raise FileRefusedError(_LINE_COLUMNS_LIMIT_COLUMNS(
                start=str(start),
                value=f'{len(cells):,}',
                limit=f"{limits.columns:,}"))
        # one join tells most rows apart at C speed: no cell can be too long when all of
        # them together are not, and only a row with an apostrophe can hold a
        # neutralised formula (a million rows: seconds saved)
        joined = "".join(cells)
        if len(joined) > limits.cell_chars and any(
                len(cell) > limits.cell_chars for cell in cells):
            raise _long_cell(start, limits)
        yield start, [restore_formula(cell) for cell in cells] if "'" in joined else cells


def _long_cell(line: int, limits: ImportLimits) -> FileRefusedError:
    return FileRefusedError(
        _LINE_CELL_HOLDS_MORE(
            line=str(line), cell_chars=f"{limits.cell_chars:,}", limit=f"{limits.cell_chars:,}"
        )
    )


def _non_blank(numbered: Iterator[tuple[int, list[str]]], blank: list[int]) -> Iterator[RawRow]:
    for line, cells in numbered:
        if _is_blank(cells):
            blank.append(line)
        else:
            yield RawRow(line, cells)


def _open_xlsx(data: bytes, sheet: str | None, limits: ImportLimits) -> Table:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileRefusedError(_FILE_ZIP_ARCHIVE_BUT(name__=str(type(exc).__name__))) from exc
    check_workbook(archive, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged zip
        raise FileRefusedError(_FILE_ZIP_ARCHIVE_BUT(name__=str(type(exc).__name__))) from exc
    if sheet is not None and sheet not in workbook.sheetnames:
        raise FileRefusedError(
            _WORKBOOK_NO_SHEET_SHEETS(sheet=f"{sheet!r}", value=str(", ".join(workbook.sheetnames)))
        )
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    numbered = (
        (number, [_cell_text(value) for value in values])
        for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), 1)
    )
    blank: list[int] = []
    for line, cells in numbered:
        if _is_blank(cells):
            blank.append(line)
            continue
        header = _trim_trailing(cells)
        rows = (RawRow(r.line, _trim_trailing(r.cells)) for r in _non_blank(numbered, blank))
        return Table("xlsx", None, header, line, rows, worksheet.max_row or 0, blank)
    raise FileRefusedError(_FIRST_SHEET_NO_HEADER())


def _trim_trailing(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _cell_text(value: object) -> str:
    """A spreadsheet cell as text; dates as ISO dates, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return restore_formula(str(value))

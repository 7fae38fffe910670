"""Measure an XLSX workbook against the limits before openpyxl reads any of it.

An XLSX is a zip of XML parts, and what it holds can be far larger than the file: a 1 MB
upload can expand to a gigabyte-long cell or to twenty million rows. openpyxl's
read-only mode streams a sheet row by row, but it still builds each cell whole, reads
the shared strings (and the styles, the theme…) whole into memory, and fills gaps in
row numbers with empty rows. So before openpyxl opens the workbook:

1. the zip's directory is read (no part is inflated): the declared uncompressed sizes
   must stay within the total, each part larger than 1 MiB within the compression
   ratio, and each part that is read whole (anything but a sheet) within its own size.
   Python's ``zipfile`` never yields more than a part's declared size, so the sizes
   cannot lie;
2. every XML part is streamed once through expat, a megabyte at a time, keeping counts
   only: the shared strings and their length, rows (by their row numbers, so a gap
   counts), columns (by their cell references) and the length of every text. A file
   that breaks a limit is refused at the first place it does, in well under a second,
   without ever holding the oversized text. A document type declaration (entity bombs)
   is refused too: no XLSX has one.

Messages name the limit, the setting that changes it and what the file holds; never the
cells' contents.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from typing import IO
from xml.parsers import expat

from kinlink.domain.limits import MIB, ImportLimits
from kinlink.errors import FileRefusedError
from kinlink.i18n import N_, Wording

_WORKBOOK_S_XML_DECLARES = Wording("listfiles.workbook_limits.workbook_s_xml_declares", N_(
    "the workbook's XML declares a document type, which no XLSX file does (it can hide an "
    "entity bomb)"))
_WORKBOOK_HOLDS_ONCE_UNCOMPRESSED = Wording(
    "listfiles.workbook_limits.workbook_holds_once_uncompressed",
    N_(
        "the workbook holds {value} once uncompressed; the limit is {limit} MiB "
        "(KINLINK_LIMITS__XLSX_UNCOMPRESSED_MB)"
    ),
)
_HOLDS_WOULD_READ_WHOLE = Wording(
    "listfiles.workbook_limits.holds_would_read_whole",
    N_(
        "{value} holds {value2} and would be read whole into memory; the limit is {limit} MiB "
        "(KINLINK_LIMITS__XLSX_PART_MB)"
    ),
)
_ROW_CELL_HOLDS_MORE = Wording(
    "listfiles.workbook_limits.row_cell_holds_more",
    N_(
        "{part}, row {row}: a cell holds more than {cell_chars} characters; the limit is "
        "{limit} characters (KINLINK_LIMITS__CELL_CHARS)"
    ),
)
_SHARED_STRING_WORKBOOK_HOLDS = Wording(
    "listfiles.workbook_limits.shared_string_workbook_holds",
    N_(
        "shared string {count} of the workbook holds more than {cell_chars} characters; the "
        "limit is {limit} characters (KINLINK_LIMITS__CELL_CHARS)"
    ),
)
_FILE_ZIP_ARCHIVE_BUT = Wording(
    "listfiles.workbook_limits.file_zip_archive_but",
    N_("the file is a zip archive but not a readable XLSX workbook ({value} is damaged: {name__})"),
)
_GROWS_TIMES_WHEN_UNCOMPRESSED = Wording(
    "listfiles.workbook_limits.grows_times_when_uncompressed",
    N_(
        "{value} grows {ratio} times when uncompressed ({value2} to {value3}), as a zip bomb "
        "does; the limit is {limit} times (KINLINK_LIMITS__XLSX_RATIO)"
    ),
)
_ROW_NUMBERED_LIMIT_ROWS = Wording(
    "listfiles.workbook_limits.row_numbered_limit_rows",
    N_("{part} has a row numbered {row}; the limit is {limit} rows (KINLINK_LIMITS__ROWS)"),
)
_WORKBOOK_HOLDS_MORE_THAN = Wording(
    "listfiles.workbook_limits.workbook_holds_more_than",
    N_(
        "the workbook holds more than {shared_strings} shared strings, all of which would be "
        "kept in memory; the limit is {limit} (KINLINK_LIMITS__SHARED_STRINGS)"
    ),
)
_ROW_CELL_IN_COLUMN = Wording(
    "listfiles.workbook_limits.row_cell_in_column",
    N_(
        "{part}, row {row}: a cell in column {column}; the limit is {limit} columns "
        "(KINLINK_LIMITS__COLUMNS)"
    ),
)

__all__ = ["check_workbook"]

_SHEETS = "xl/worksheets/"
_RATIO_FLOOR = MIB
_READ = MIB
_SAFE_PART = re.compile(r"^[\w./\[\]-]{1,120}$")


def check_workbook(archive: zipfile.ZipFile, limits: ImportLimits) -> None:
    """Refuse the workbook in ``archive`` if it breaks a limit (raises
    :class:`FileRefusedError`); return quietly otherwise."""
    parts = [info for info in archive.infolist() if not info.is_dir()]
    _check_sizes(parts, limits)
    for info in parts:
        if info.filename.endswith("sharedStrings.xml"):
            _scan(archive, info, _SharedStrings(limits))
        elif info.filename.endswith(".xml"):
            _scan(archive, info, _Sheet(limits, _part(info)))


def _part(info: zipfile.ZipInfo) -> str:
    """A part's name to show: its own when it is a plain path, else a neutral word."""
    return info.filename if _SAFE_PART.match(info.filename) else "a part of the workbook"


def _mib(size: int) -> str:
    return f"{size / MIB:,.1f} MiB"


def _check_sizes(parts: list[zipfile.ZipInfo], limits: ImportLimits) -> None:
    total = sum(info.file_size for info in parts)
    if total > limits.xlsx_uncompressed_mb * MIB:
        raise FileRefusedError(
            _WORKBOOK_HOLDS_ONCE_UNCOMPRESSED(
                value=str(_mib(total)), limit=f"{limits.xlsx_uncompressed_mb:,}"
            )
        )
    for info in parts:
        if info.file_size > _RATIO_FLOOR:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.xlsx_ratio:
                raise FileRefusedError(
                    _GROWS_TIMES_WHEN_UNCOMPRESSED(
                        value=str(_part(info)),
                        ratio=f"{ratio:,.0f}",
                        value2=str(_mib(info.compress_size)),
                        value3=str(_mib(info.file_size)),
                        limit=f"{limits.xlsx_ratio:,}",
                    )
                )
        if not info.filename.startswith(_SHEETS) and info.file_size > limits.xlsx_part_mb * MIB:
            raise FileRefusedError(
                _HOLDS_WOULD_READ_WHOLE(
                    value=str(_part(info)),
                    value2=str(_mib(info.file_size)),
                    limit=f"{limits.xlsx_part_mb:,}",
                )
            )


class _Counter:
    """Expat handlers that keep counts and refuse at the first limit broken."""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        """An element opens."""

    def end(self, name: str) -> None:
        """An element closes."""

    def text(self, data: str) -> None:
        """Some of an element's text (expat hands it over in pieces)."""


class _Sheet(_Counter):
    """Rows by their numbers, columns by their cell references, the length of each text."""

    def __init__(self, limits: ImportLimits, part: str) -> None:
        self.limits = limits
        self.part = part
        self.row = 0
        self.column = 0
        self.chars = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.chars = 0
        tag = name.rpartition(":")[2]
        if tag == "row":
            number = attrs.get("r", "")
            self.row = int(number) if number.isdigit() else self.row + 1
            self.column = 0
            if self.row > self.limits.rows:
                raise FileRefusedError(
                    _ROW_NUMBERED_LIMIT_ROWS(
                        part=str(self.part), row=f"{self.row:,}", limit=f"{self.limits.rows:,}"
                    )
                )
        elif tag == "c":
            self.column = _column(attrs.get("r", "")) or self.column + 1
            if self.column > self.limits.columns:
                raise FileRefusedError(
                    _ROW_CELL_IN_COLUMN(
                        part=str(self.part),
                        row=f"{self.row:,}",
                        column=f"{self.column:,}",
                        limit=f"{self.limits.columns:,}",
                    )
                )

    def end(self, name: str) -> None:
        self.chars = 0

    def text(self, data: str) -> None:
        self.chars += len(data)
        if self.chars > self.limits.cell_chars:
            raise FileRefusedError(
                _ROW_CELL_HOLDS_MORE(
                    part=str(self.part),
                    row=f"{self.row:,}",
                    cell_chars=f"{self.limits.cell_chars:,}",
                    limit=f"{self.limits.cell_chars:,}",
                )
            )


class _SharedStrings(_Counter):
    """How many shared strings, and the length of each (its runs together)."""

    def __init__(self, limits: ImportLimits) -> None:
        self.limits = limits
        self.count = 0
        self.chars = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(":")[2] == "si":
            self.count += 1
            self.chars = 0
            if self.count > self.limits.shared_strings:
                raise FileRefusedError(
                    _WORKBOOK_HOLDS_MORE_THAN(
                        shared_strings=f"{self.limits.shared_strings:,}",
                        limit=f"{self.limits.shared_strings:,}",
                    )
                )

    def text(self, data: str) -> None:
        self.chars += len(data)
        if self.chars > self.limits.cell_chars:
            raise FileRefusedError(
                _SHARED_STRING_WORKBOOK_HOLDS(
                    count=f"{self.count:,}",
                    cell_chars=f"{self.limits.cell_chars:,}",
                    limit=f"{self.limits.cell_chars:,}",
                )
            )


def _column(reference: str) -> int:
    """The column number of a cell reference (``AB12`` → 28); 0 when there is none."""
    number = 0
    for letter in reference:
        if not "A" <= letter <= "Z":
            break
        number = number * 26 + ord(letter) - 64
    return number


def _no_doctype(*_args: object) -> None:
    raise FileRefusedError(_WORKBOOK_S_XML_DECLARES())


def _scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, counter: _Counter) -> None:
    parser = expat.ParserCreate()
    parser.StartElementHandler = counter.start
    parser.EndElementHandler = counter.end
    parser.CharacterDataHandler = counter.text
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    try:
        with archive.open(info) as stream:
            _feed(stream, parser.Parse)
    except (
        expat.ExpatError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise FileRefusedError(
            _FILE_ZIP_ARCHIVE_BUT(value=str(_part(info)), name__=str(type(exc).__name__))
        ) from exc


def _feed(stream: IO[bytes], parse: Callable[[bytes, bool], object]) -> None:
    while chunk := stream.read(_READ):
        parse(chunk, False)
    parse(b"", True)

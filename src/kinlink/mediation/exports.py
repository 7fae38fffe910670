"""The files of a mediation list: a table of children (CSV, XLSX, PDF) and dossiers (PDF).

This layer only writes bytes. It receives data that was already cut down to what the
channel may receive (:class:`~kinlink.domain.mediation.ChannelPolicy`) and writes exactly
that: a list table writes its ``columns`` and nothing else, even when a row carries more.
The files carry nothing that is not in the data given (no paths, no account names other
than ``created_by``); they leave kinlink only inside an encrypted ZIP
(:mod:`kinlink.encryption`). The PDF list and the dossiers are written by
:mod:`kinlink.mediation.pdf` from the same types and words.

Every header is bilingual, Ukrainian / English, because the people who read a list on the
other side may read either. Cells a spreadsheet would run as a formula are neutralised in
CSV and XLSX alike, so a name such as ``=HYPERLINK(…)`` stays text wherever it is opened.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Final, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kinlink.domain.cells import SafeCsvWriter
from kinlink.domain.cells import neutralise_formula as neutralise
from kinlink.domain.mediation import ListField

__all__ = [
    "CHANNEL",
    "CHILDREN",
    "CHILD_FILE",
    "CONFIDENTIAL",
    "CREATED_AT",
    "HEADERS",
    "LIST_NUMBER",
    "REFERENCE",
    "Dossier",
    "ListRow",
    "ListTable",
    "list_csv",
    "list_xlsx",
    "neutralise",
    "written_at",
    "xml_text",
]

REFERENCE: Final = "reference"
"""The key of the reference column in :data:`HEADERS` (the reference is not a ListField:
every list and dossier has it, whatever the channel)."""

HEADERS: Final[Mapping[ListField | Literal["reference"], str]] = MappingProxyType({
    REFERENCE: "Номер / Reference",
    ListField.NAME_UK: "Прізвище, ім'я, по батькові (укр.) / Name (Ukrainian)",
    ListField.NAME_RU: "Ім'я російською / Name (Russian forms)",
    ListField.NAME_LATIN: "Латиницею (КМУ 2010) / Name (Latin, KMU 2010)",
    ListField.NAME_LATIN_RU: "Латиницею, російська форма (ICAO) / Name (Latin, Russian form, ICAO)",
    ListField.SEX: "Стать / Sex",
    ListField.BIRTH_DATE: "Дата народження / Date of birth",
    ListField.BIRTH_PLACE: "Місце народження / Place of birth",
    ListField.LAST_KNOWN_PLACE: "Останнє відоме місце / Last known place",
    ListField.REMOVAL_DATE: "Дата вивезення / Date of removal",
    ListField.FOUND_AS: "Знайдено як / Found as",
    ListField.REMOTE_MATCH: "Запис іншої сторони / Other party's record",
    ListField.FAMILY_REQUEST: "Прохання родини / The family's request",
    ListField.PHOTO: "Фото / Photo",
})
"""The bilingual header of every column, Ukrainian / English. The only place they are
written: CSV, XLSX and PDF all take their headers from here."""

# Other bilingual words printed in the files.
CHANNEL = "Канал / Channel"
LIST_NUMBER = "Номер списку / List number"
TITLE = "Назва / Title"
CREATED_AT = "Створено / Created at"
CREATED_BY = "Створив(ла) / Created by"
CHILDREN = "Кількість дітей / Number of children"
CONFIDENTIAL = "Конфіденційно / Confidential"
DO_NOT_FORWARD = ("Конфіденційно: персональні дані дітей — не пересилати / "
                   "Confidential: personal data of children — do not forward")
CHILD_FILE = "Справа дитини / Child's file"

# Characters XML 1.0 cannot hold: XLSX and PDF text would be refused or garbled.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _check_aware(created_at: datetime) -> None:
    if created_at.tzinfo is None or created_at.utcoffset() is None:
        raise ValueError("created_at must carry its time zone")


def written_at(created_at: datetime) -> str:
    """A moment as the files print it: ``2026-11-26 14:05+00:00``."""
    return created_at.isoformat(sep=" ", timespec="minutes")


@dataclass(frozen=True)
class ListRow:
    """One child on a list: the reference and the values of the list's columns.

    A column missing from ``values`` is written empty; a value whose field is not one of
    the table's columns is never written.
    """

    reference: str
    values: Mapping[ListField, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.reference.strip():
            raise ValueError("every child on a list needs a reference")
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))

    def value(self, column: ListField) -> str:
        """The text of ``column`` for this child, empty when there is none."""
        return self.values.get(column) or ""


@dataclass(frozen=True)
class ListTable:
    """A list of children for one channel, ready to be written.

    ``columns`` are the table columns after the reference, in order. Dossier-only fields
    (the family's request, the photo) are refused: they are printed only in dossiers.
    """

    title: str
    list_number: str
    channel: str
    created_at: datetime
    created_by: str
    columns: tuple[ListField, ...]
    rows: tuple[ListRow, ...]

    def __post_init__(self) -> None:
        _check_aware(self.created_at)
        if not self.columns:
            raise ValueError("a list needs at least one column besides the reference")
        for column in self.columns:
            if column.dossier_only:
                raise ValueError(f"{column.value} is printed only in dossiers, "
                                 "never in a list's table")
        if len(set(self.columns)) != len(self.columns):
            raise ValueError("a column appears twice in the list")
        references = [row.reference for row in self.rows]
        if len(set(references)) != len(references):
            raise ValueError("a reference appears twice in the list")

    def header(self) -> list[str]:
        """The bilingual header row: the reference first, then the columns."""
        return [HEADERS[REFERENCE], *(HEADERS[c] for c in self.columns)]

    def cells(self) -> Iterable[list[str]]:
        """The rows as text, in header order, neither neutralised nor cleaned."""
        for row in self.rows:
            yield [row.reference, *(row.value(c) for c in self.columns)]


@dataclass(frozen=True)
class Dossier:
    """One child's file for a channel: the biography fields in order, the family's own
    request and a photograph (PNG or JPEG bytes), each optional."""

    reference: str
    channel: str
    list_number: str
    created_at: datetime
    fields: tuple[tuple[ListField, str], ...]
    family_request: str | None = None
    photo: bytes | None = None

    def __post_init__(self) -> None:
        _check_aware(self.created_at)
        if not self.reference.strip():
            raise ValueError("a dossier needs the child's reference")
        names = [name for name, _ in self.fields]
        for name in names:
            if name.dossier_only:
                raise ValueError(f"{name.value} has its own place in a dossier, "
                                 "not among the fields")
        if len(set(names)) != len(names):
            raise ValueError("a field appears twice in the dossier")


# --- CSV ---------------------------------------------------------------------------


def list_csv(table: ListTable) -> bytes:
    """The list as CSV (RFC 4180, CRLF line ends) in UTF-8 with a BOM, so that Excel
    reads the Cyrillic right. Every cell is neutralised."""
    buffer = io.StringIO(newline="")
    writer = SafeCsvWriter(buffer, lineterminator="\r\n")
    writer.writerow(table.header())
    writer.writerows(table.cells())
    return buffer.getvalue().encode("utf-8-sig")


# --- XLSX --------------------------------------------------------------------------


def xml_text(text: str) -> str:
    """``text`` without the control characters XML cannot hold (shown as U+FFFD)."""
    return _XML_ILLEGAL.sub("\ufffd", text)


def _text_cell(sheet: Any, row: int, column: int, text: str) -> Any:
    """Write ``text`` as a string cell, never a formula, whatever it starts with."""
    cell = sheet.cell(row=row, column=column)
    cell.value = neutralise(xml_text(text))
    cell.data_type = "s"
    return cell


def _column_width(texts: Iterable[str]) -> float:
    longest = max((len(t) for t in texts), default=0)
    return float(min(50, max(12, longest + 2)))


def list_xlsx(table: ListTable) -> bytes:
    """The list as an Excel workbook: a sheet "List" (bold, frozen header row, every cell
    a string) and a sheet "About" saying what the list is and that it is confidential."""
    book = Workbook()
    sheet = book.active
    sheet.title = "List"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = table.header()
    for col, text in enumerate(header, start=1):
        cell = _text_cell(sheet, 1, col, text)
        cell.font = bold
        cell.alignment = wrap
    body = list(table.cells())
    for row_number, cells in enumerate(body, start=2):
        for col, text in enumerate(cells, start=1):
            _text_cell(sheet, row_number, col, text).alignment = wrap
    sheet.freeze_panes = "A2"
    for col, text in enumerate(header, start=1):
        # A header is long but wraps; size the column for its values and half a header.
        width = _column_width([text[: len(text) // 2], *(cells[col - 1] for cells in body)])
        sheet.column_dimensions[get_column_letter(col)].width = width

    about = book.create_sheet("About")
    facts: list[tuple[str, str | int]] = [
        (TITLE, table.title),
        (CHANNEL, table.channel),
        (LIST_NUMBER, table.list_number),
        (CREATED_AT, written_at(table.created_at)),
        (CREATED_BY, table.created_by),
        (CHILDREN, len(table.rows)),
    ]
    for row_number, (label, value) in enumerate(facts, start=1):
        _text_cell(about, row_number, 1, label).font = bold
        if isinstance(value, int):
            about.cell(row=row_number, column=2, value=value)
        else:
            _text_cell(about, row_number, 2, value)
    _text_cell(about, len(facts) + 2, 1, DO_NOT_FORWARD).font = bold
    about.column_dimensions["A"].width = 40
    about.column_dimensions["B"].width = 50

    properties = book.properties
    properties.creator = xml_text(table.created_by)
    properties.lastModifiedBy = None
    properties.title = xml_text(table.title)
    when = table.created_at.replace(microsecond=0)
    properties.created = when
    properties.modified = when
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""Read the other side's answer to a list: one row per child they say something about.

An answer comes back as a spreadsheet (CSV or XLSX), often the list that was sent with
a status column added, sometimes a list of their own with names re-typed in Russian.
It is read exactly as the importer reads lists — the same encodings (UTF-8, BOM,
Windows-1251), delimiters, XLSX reader, header matching and dates — so a file the
importer refuses is refused here too, with the same :class:`FileRefusedError`.

Columns are matched by header, case-insensitively, with English, Ukrainian and Russian
aliases: the reference (``reference``, ``номер``, ``ref``), the status (``status``,
``статус``, ``відповідь``, ``ответ``), the name columns and ``birth_date`` under the
importer's aliases, and a comment (``comment``, ``комментарий``, ``примечание``).
The bilingual headers of kinlink's own lists (``Номер / Reference``) are understood,
and a header written as ``ukrainian / english`` is matched by either half.

Nothing is dropped in silence. Every row that names a child by reference or by name is
in :attr:`AnswerFile.rows`; a row with neither is in :attr:`AnswerFile.rejected`, and
every problem is an :class:`AnswerIssue` with its line. A status the reader does not
understand leaves the row with ``status=None`` and an issue. Issue messages quote
references and status words but never names or dates: they can end up in logs.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass
from pathlib import Path

from kinlink.domain.dates import DateError, PartialDate, parse_partial_date
from kinlink.domain.mediation import AnswerStatus, ListField, check_reference
from kinlink.errors import FILE_UNREADABLE, FileRefusedError
from kinlink.i18n import N_, Wording, os_problem
from kinlink.listfiles.columns import ColumnMap, build_column_map, normalise_header
from kinlink.listfiles.readers import RawRow, open_table
from kinlink.mediation.exports import HEADERS, REFERENCE

_HEADER_NO_STATUS_COLUMN = Wording("mediation.answers.header_no_status_column", N_(
    "the header has no status column (status, статус, відповідь, ответ); name the column "
    "that holds the answer for each child"))
_HEADER_NEITHER_REFERENCE_COLUMN = Wording("mediation.answers.header_neither_reference_column", N_(
    "the header has neither a reference column (reference, номер) nor a name column "
    "(surname, given_name, full_name or an alias such as фамилия / имя / фио), so no row "
    "could be matched to a child"))

__all__ = ["AnswerFile", "AnswerIssue", "AnswerRow", "parse_answers", "parse_status",
           "read_answers"]


@dataclass(frozen=True)
class AnswerRow:
    """One row of an answer: which child (by reference or by name) and what was said.

    ``reference`` is the canonical reference when the cell holds a valid one, else
    ``None``; ``reference_text`` and ``status_text`` keep the cells as written.
    """

    line: int
    reference: str | None
    reference_text: str
    status: AnswerStatus | None
    status_text: str
    given_name: str | None = None
    surname: str | None = None
    patronymic: str | None = None
    full_name: str | None = None
    birth: PartialDate | None = None
    comment: str | None = None

    @property
    def has_name(self) -> bool:
        """True when the row gives a given name, a surname or a full name."""
        return bool(self.given_name or self.surname or self.full_name)


@dataclass(frozen=True)
class AnswerIssue:
    """A problem in one row: line, column (header as written, if one cell is at fault)
    and a plain message without personal data."""

    line: int
    column: str | None
    message: str


@dataclass(frozen=True)
class AnswerFile:
    """An answer file read: the rows that can be reconciled, the rows that cannot
    (neither a valid reference nor a name: kept here, never dropped) and the issues."""

    rows: tuple[AnswerRow, ...]
    issues: tuple[AnswerIssue, ...]
    rejected: tuple[AnswerRow, ...] = ()
    file_format: str = "csv"
    encoding: str | None = None


# -- statuses ---------------------------------------------------------------------------

_STATUS_WORDS: dict[AnswerStatus, tuple[str, ...]] = {
    AnswerStatus.LOCATED: (
        "located", "found", "найден", "найдена", "найдено", "местонахождение установлено",
        "установлено местонахождение", "местонахождение установлено органами",
        "знайдено", "знайдений", "знайдена", "місцеперебування встановлено",
        "місцезнаходження встановлено",
    ),
    AnswerStatus.NOT_FOUND: (
        "not found", "not located", "no information", "не найден", "не найдена",
        "не найдено", "не значится", "не значится на территории рф",
        "на территории рф не значится", "на территории российской федерации не значится",
        "сведений нет", "сведения отсутствуют", "нет сведений", "не установлено",
        "местонахождение не установлено", "не знайдено", "не знайдений", "не знайдена",
        "відомостей немає", "відомості відсутні", "не значиться",
    ),
    AnswerStatus.WITH_RELATIVES: (
        "with relatives", "living with relatives", "with family",
        "проживает с родственниками", "с родственниками", "находится у родственников",
        "у родственников", "з родичами", "проживає з родичами", "у родичів",
        "перебуває у родичів",
    ),
    AnswerStatus.ADULT: (
        "adult", "of age", "reached adulthood", "совершеннолетний", "совершеннолетняя",
        "достиг совершеннолетия", "достигла совершеннолетия", "повнолітній",
        "повнолітня", "досяг повноліття", "досягла повноліття",
    ),
    AnswerStatus.TO_BE_RETURNED: (
        "to be returned", "will be returned", "return agreed", "к возвращению",
        "будет возвращен", "будет возвращена", "подлежит возвращению",
        "готовится к возвращению", "до повернення", "буде повернуто",
        "буде повернений", "буде повернена",
    ),
    AnswerStatus.RETURNED: (
        "returned", "handed over", "возвращен", "возвращена", "возвращено", "передан",
        "передана", "передано", "передан родственникам", "передан родителям",
        "повернуто", "повернутий", "повернута", "повернений", "повернена",
        "передано родині",
    ),
}

_SPACES = re.compile(r"[\s_]+")
_EDGES = " .,;:!?\"'«»()[]-—–"


def _status_key(text: str) -> str:
    """Case, ё/е, spaces, underscores and surrounding punctuation do not matter."""
    return _SPACES.sub(" ", text.casefold().replace("ё", "е")).strip(_EDGES)


_STATUSES: dict[str, AnswerStatus] = {
    _status_key(word): status for status, words in _STATUS_WORDS.items() for word in words
} | {_status_key(status.value): status for status in AnswerStatus}


def parse_status(text: str) -> AnswerStatus | None:
    """The status a cell states in Russian, Ukrainian or English, or ``None``.

    ``найден``, ``Местонахождение установлено.``, ``знайдено`` and ``located`` are all
    :attr:`AnswerStatus.LOCATED`; the enum's own values (``not_found``) are accepted too.
    """
    return _STATUSES.get(_status_key(text))


# -- columns ----------------------------------------------------------------------------

_NAME_FIELDS = {
    ListField.NAME_UK: "name_uk", ListField.NAME_RU: "name_ru",
    ListField.NAME_LATIN: "name_latin", ListField.NAME_LATIN_RU: "name_latin_ru",
}
"""kinlink's own name columns, in the order they are preferred as the row's full name."""

_OWN_ALIASES: dict[str, tuple[str, ...]] = {
    "reference": ("reference", "ref", "reference number", "reference no", "ref no",
                  "номер", "референс", HEADERS[REFERENCE]),
    "status": ("status", "статус", "відповідь", "ответ", "answer", "result", "результат"),
    "birth_date": (HEADERS[ListField.BIRTH_DATE],),
    **{field: (HEADERS[name],) for name, field in _NAME_FIELDS.items()},
}
_MAPPING: dict[str, str] = {
    normalise_header(alias): field for field, aliases in _OWN_ALIASES.items()
    for alias in aliases
}
"""Extra header → field entries, given to the importer's matcher as a mapping file
would be: they win over its aliases (``номер`` is a record id there, a reference here)."""

_NAMES = ("given_name", "surname", "full_name", *_NAME_FIELDS.values())


def _known(cell: str) -> bool:
    return bool(build_column_map([cell], _MAPPING).fields)


def _header_cell(cell: str) -> str:
    """``Дата рождения / Date of birth``: the half the matcher knows, else the cell."""
    if "/" not in cell or _known(cell):
        return cell
    return next((part for part in cell.split("/") if _known(part)), cell)


def _columns(header: list[str]) -> ColumnMap:
    columns = build_column_map([_header_cell(c) for c in header], _MAPPING)
    if "status" not in columns.fields:
        raise FileRefusedError(
            _HEADER_NO_STATUS_COLUMN())
    if "reference" not in columns.fields and not set(_NAMES) & columns.fields.keys():
        raise FileRefusedError(
            _HEADER_NEITHER_REFERENCE_COLUMN())
    return columns


# -- rows -------------------------------------------------------------------------------

_MAX_QUOTED = 60


class _RowReader:
    """Turns the raw rows of one file into answer rows and issues."""

    def __init__(self, header: list[str], columns: ColumnMap, today: dt.date) -> None:
        self._header = header
        self._fields = dict(columns.fields)
        if "comment" not in self._fields and "notes" in self._fields:
            self._fields["comment"] = self._fields["notes"]
        self._today = today
        self.issues: list[AnswerIssue] = []

    def _value(self, row: RawRow, name: str) -> str:
        index = self._fields.get(name)
        if index is None or index >= len(row.cells):
            return ""
        return row.cells[index].strip()

    def _column(self, name: str) -> str | None:
        index = self._fields.get(name)
        return None if index is None else self._header[index]

    def _issue(self, line: int, name: str | None, message: str) -> None:
        self.issues.append(AnswerIssue(line, self._column(name) if name else None, message))

    def read(self, row: RawRow) -> AnswerRow:
        reference_text = self._value(row, "reference")
        status_text = self._value(row, "status")
        full_name = self._value(row, "full_name") or next(
            (v for v in (self._value(row, f) for f in _NAME_FIELDS.values()) if v), "")
        return AnswerRow(
            line=row.line,
            reference=self._reference(row.line, reference_text),
            reference_text=reference_text,
            status=self._status(row.line, status_text),
            status_text=status_text,
            given_name=self._value(row, "given_name") or None,
            surname=self._value(row, "surname") or None,
            patronymic=self._value(row, "patronymic") or None,
            full_name=full_name or None,
            birth=self._birth(row),
            comment=self._value(row, "comment") or None,
        )

    def _reference(self, line: int, text: str) -> str | None:
        if not text:
            return None
        reference = check_reference(text)
        if reference is not None:
            return reference
        if _wrong_check_character(text):
            self._issue(line, "reference", f"reference {text.strip().upper()} has a wrong "
                        "check character: it may be mistyped; the row is matched by its "
                        "names instead")
        else:
            self._issue(line, "reference", "the reference is not in the form KL-XXXX-XXXX; "
                        "the row is matched by its names instead")
        return None

    def _status(self, line: int, text: str) -> AnswerStatus | None:
        if not text:
            self._issue(line, "status", "the row has no status")
            return None
        status = parse_status(text)
        if status is None:
            quoted = text if len(text) <= _MAX_QUOTED else text[:_MAX_QUOTED] + "…"
            self._issue(line, "status", f"status not understood: {quoted!r}; the row is "
                        "kept without a status")
        return status

    def _birth(self, row: RawRow) -> PartialDate | None:
        text = self._value(row, "birth_date")
        if not text:
            return None
        try:
            return parse_partial_date(text, today=self._today)
        except DateError:
            self._issue(row.line, "birth_date", "birth date not understood (use DD.MM.YYYY, "
                        "YYYY-MM-DD, MM.YYYY or YYYY); the row is kept without it")
            return None


def _wrong_check_character(text: str) -> bool:
    """True when ``text`` is shaped like a reference and only its last character fails."""
    stripped = text.strip()
    return any(check_reference(stripped[:-1] + c) for c in string.digits + string.ascii_uppercase)


def parse_answers(data: bytes, *, today: dt.date | None = None) -> AnswerFile:
    """Read an answer file's bytes (CSV or XLSX, whichever they are)."""
    table = open_table(data)
    reader = _RowReader(table.header, _columns(table.header), today or dt.date.today())
    rows: list[AnswerRow] = []
    rejected: list[AnswerRow] = []
    for raw in table.rows:
        row = reader.read(raw)
        if row.reference is None and not row.has_name:
            reader.issues.append(AnswerIssue(
                row.line, None, "the row has neither a valid reference nor a name, so it "
                "cannot be matched to a child; it is kept apart as rejected"))
            rejected.append(row)
        else:
            rows.append(row)
    issues = sorted(reader.issues, key=lambda issue: issue.line)  # stable: row order kept
    return AnswerFile(tuple(rows), tuple(issues), tuple(rejected), table.file_format,
                      table.encoding)


def read_answers(path: Path, *, today: dt.date | None = None) -> AnswerFile:
    """Read the answer file at ``path``; raise :class:`FileRefusedError` if it is refused
    (unreadable, binary, an encoding other than UTF-8 or Windows-1251, no header)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRefusedError(FILE_UNREADABLE(
            name=str(path.name),
            strerror=os_problem(exc))) from exc
    return parse_answers(data, today=today)

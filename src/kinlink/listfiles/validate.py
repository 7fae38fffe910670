"""Turn one raw row into a parsed record and a list of issues.

A row without a record id or without any name is *rejected* (it becomes an issue, not a
record). A field that cannot be read (an impossible date, an unknown sex value, a
``siblings_count`` that is not a whole number, a name longer than the store allows) is a
*field issue*: the record is kept with that field empty, and the raw row still holds the
value as it was written.
"""

from __future__ import annotations

import datetime as dt

from kinlink.domain.dates import DateError, PartialDate, parse_partial_date
from kinlink.domain.imports import Issue, Severity
from kinlink.domain.records import ParsedRecord, Reporter, Sex, parse_sex
from kinlink.i18n import N_, Wording, message_of, recognised
from kinlink.listfiles.columns import ColumnMap
from kinlink.listfiles.readers import RawRow

__all__ = ["RowParser", "stored_problem"]

NO_RECORD_ID = Wording("row.no_record_id", N_("the row has no record_id"))
RECORD_ID_TOO_LONG = Wording("row.record_id_too_long",
                             N_("record_id is longer than {limit} characters"))
RECORD_ID_REPEATS = Wording("row.record_id_repeats",
                            N_("record_id repeats the one on line {line}"))
NO_NAME = Wording("row.no_name", N_("the row has no name (given_name, surname or full_name)"))
TOO_LONG = Wording("field.too_long",
                   N_("longer than {limit} characters; kept only in the raw row"))
NOT_A_COUNT = Wording("field.not_a_count", N_("not a whole number from 0 to {limit}"))
EXTRA_CELLS = Wording("row.extra_cells", N_(
    "the row has more cells than the header; the extra cells are kept as extra columns"))

_MAX_LENGTH = {
    "record_id": 200, "given_name": 200, "surname": 200, "patronymic": 200,
    "full_name": 400, "birth_place": 300, "last_known_place": 300,
    "reporter_name": 300, "reporter_relationship": 100, "reporter_contact": 300,
    "institution": 300, "group": 200,
}
_MAX_SIBLINGS = 99
"""More brothers and sisters than this is a typing mistake, not a family."""


def stored_problem(text: str) -> str:
    """A problem's text as stored with its import, as the :class:`~kinlink.i18n.Message`
    that wrote it (so a page says it in the reader's language); a text no wording of
    the import wrote (the dates', the sexes' or this module's) comes back unchanged."""
    return recognised(text)


class RowParser:
    """Parses the rows of one file in order, remembering record ids already seen.

    With ``line_ids`` a file without a record_id column gets ``line-N`` ids.
    """

    def __init__(self, header: list[str], columns: ColumnMap, today: dt.date,
                 *, line_ids: bool = False) -> None:
        self._header = header
        self._line_ids = line_ids and "record_id" not in columns.fields
        self._columns = columns
        self._today = today
        self._seen: dict[str, int] = {}

    def parse(self, row: RawRow) -> tuple[ParsedRecord | None, list[Issue]]:
        """The parsed record (``None`` if rejected) and every issue found in the row."""
        values = self._values(row)
        rejection = self._rejection(row, values)
        if rejection is not None:
            return None, [rejection]
        issues: list[Issue] = []
        text = {name: self._text(row.line, values, name, issues)
                if len(values.get(name, "")) > limit else values.get(name) or None
                for name, limit in _MAX_LENGTH.items()}
        record = ParsedRecord(
            record_id=values["record_id"],
            given_name=text["given_name"],
            surname=text["surname"],
            patronymic=text["patronymic"],
            full_name=text["full_name"],
            sex=self._sex(row.line, values, issues),
            birth_date=self._date(row.line, values, "birth_date", issues),
            birth_place=text["birth_place"],
            last_known_place=text["last_known_place"],
            event_date=self._date(row.line, values, "event_date", issues),
            source_text=values.get("source") or None,
            notes=values.get("notes") or None,
            extra=self._extra(row, issues),
            reporter=Reporter(text["reporter_name"], text["reporter_relationship"],
                              text["reporter_contact"]),
            institution=text["institution"],
            moved_on=self._date(row.line, values, "moved_on", issues),
            group=text["group"],
            siblings_count=self._count(row.line, values, "siblings_count", issues),
        )
        return record, issues

    def _values(self, row: RawRow) -> dict[str, str]:
        """The stripped cell of every mapped field (``""`` where the row is short)."""
        cells, width = row.cells, len(row.cells)
        values = {name: cells[index].strip() if index < width else ""
                  for name, index in self._columns.fields.items()}
        if self._line_ids:
            values["record_id"] = f"line-{row.line}"
        return values

    def _rejection(self, row: RawRow, values: dict[str, str]) -> Issue | None:
        record_id = values.get("record_id", "")
        column = self._column_name("record_id")
        if not record_id:
            return Issue(row.line, column, Severity.REJECTED, "missing_record_id",
                         NO_RECORD_ID(), raw=tuple(row.cells))
        if len(record_id) > _MAX_LENGTH["record_id"]:
            return Issue(row.line, column, Severity.REJECTED, "record_id_too_long",
                         RECORD_ID_TOO_LONG(limit=_MAX_LENGTH["record_id"]),
                         raw=tuple(row.cells))
        if record_id in self._seen:
            return Issue(row.line, column, Severity.REJECTED, "duplicate_record_id",
                         RECORD_ID_REPEATS(line=self._seen[record_id]), record_id,
                         tuple(row.cells))
        self._seen[record_id] = row.line
        if not (values.get("given_name") or values.get("surname") or values.get("full_name")):
            return Issue(row.line, None, Severity.REJECTED, "no_name",
                         NO_NAME(), raw=tuple(row.cells))
        return None

    def _column_name(self, name: str) -> str | None:
        index = self._columns.fields.get(name)
        return None if index is None else self._header[index]

    def _text(self, line: int, values: dict[str, str], name: str,
              issues: list[Issue]) -> str | None:
        value = values.get(name, "")
        if len(value) > _MAX_LENGTH[name]:
            issues.append(Issue(line, self._column_name(name), Severity.FIELD, "too_long",
                                TOO_LONG(limit=_MAX_LENGTH[name]), value))
            return None
        return value or None

    def _sex(self, line: int, values: dict[str, str], issues: list[Issue]) -> Sex | None:
        value = values.get("sex", "")
        try:
            return parse_sex(value)
        except ValueError as exc:
            issues.append(Issue(line, self._column_name("sex"), Severity.FIELD, "bad_sex",
                                message_of(exc), value))
            return None

    def _date(self, line: int, values: dict[str, str], name: str,
              issues: list[Issue]) -> PartialDate | None:
        value = values.get(name, "")
        if not value:
            return None
        try:
            return parse_partial_date(value, today=self._today)
        except DateError as exc:
            issues.append(Issue(line, self._column_name(name), Severity.FIELD, "bad_date",
                                message_of(exc), value))
            return None

    def _count(self, line: int, values: dict[str, str], name: str,
               issues: list[Issue]) -> int | None:
        """A whole number from 0 to :data:`_MAX_SIBLINGS`; anything else is a field issue."""
        value = values.get(name, "")
        if not value:
            return None
        number = int(value) if value.isascii() and value.isdigit() else -1
        if not 0 <= number <= _MAX_SIBLINGS:
            issues.append(Issue(line, self._column_name(name), Severity.FIELD, "bad_number",
                                NOT_A_COUNT(limit=_MAX_SIBLINGS), value))
            return None
        return number

    def _extra(self, row: RawRow, issues: list[Issue]) -> dict[str, str]:
        extra: dict[str, str] = {}
        for index, name in self._columns.extra.items():
            if index < len(row.cells) and row.cells[index].strip():
                extra[name if name not in extra else f"{name} (column {index + 1})"] = (
                    row.cells[index])
        if len(row.cells) <= len(self._header):
            return extra
        overflow = row.cells[len(self._header):]
        for offset, value in enumerate(overflow, start=len(self._header) + 1):
            if value.strip():
                extra[f"column {offset}"] = value
        if any(v.strip() for v in overflow):
            issues.append(Issue(row.line, None, Severity.FIELD, "extra_cells", EXTRA_CELLS()))
        return extra

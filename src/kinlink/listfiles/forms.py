"""Read a form typed by a person (a registered report, a found child typed in by hand, a
correction) as one row of the record list format, with the importer's own parser.

The form's fields are laid out as a header of list-format columns and one row of cells,
then read by :class:`~kinlink.listfiles.validate.RowParser`: a date, a sex or a name is
read by exactly the rules and refused with exactly the messages of an import. What an
import keeps as a *field issue* (the record kept, the field empty) a form refuses: the
person is there to fix it, so each issue becomes a message next to its field.

Fields the list format has no column for (other and earlier names, documents the family
holds, distinguishing marks) are kept as ``extra`` columns under fixed names, as an
import keeps unknown columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from kinlink.domain.records import ParsedRecord
from kinlink.errors import FieldsRefusedError
from kinlink.i18n import N_, Wording
from kinlink.listfiles.columns import ColumnMap
from kinlink.listfiles.readers import RawRow
from kinlink.listfiles.validate import RowParser

__all__ = ["EXTRA_COLUMNS", "FORM_FIELDS", "LONGER_THAN", "REPORTER_FIELDS", "form_values",
           "parse_form"]

NOT_A_FIELD = Wording("form.not_a_field", N_("not a field of this form"))
LONGER_THAN = Wording("form.longer_than", N_("longer than {limit} characters"))
NO_NAME_ON_FORM = Wording("form.no_name", N_(
    "the form has no name (surname, given name or full name)"))

#: Form fields that are columns of the record list format, in the form's order.
_LIST_FIELDS: tuple[str, ...] = (
    "surname", "given_name", "patronymic", "full_name", "sex", "birth_date", "birth_place",
    "last_known_place", "institution", "moved_on", "event_date", "notes", "group",
    "siblings_count",
)
#: Form fields kept as ``extra`` columns: form field → the column's name on the record.
EXTRA_COLUMNS: dict[str, str] = {
    "other_names": "other names", "documents": "documents",
    "marks": "distinguishing marks",
}
#: The person reporting a sought child (list-format columns).
REPORTER_FIELDS: tuple[str, ...] = ("reporter_name", "reporter_relationship",
                                    "reporter_contact")
#: Every field of the form about the child, in order.
FORM_FIELDS: tuple[str, ...] = (*_LIST_FIELDS[:4], "other_names", *_LIST_FIELDS[4:],
                                "documents", "marks")
_MAX_EXTRA = 2000
_RECORD_ID = "form"


def parse_form(values: Mapping[str, str], *, today: dt.date | None = None,
               with_reporter: bool = False) -> ParsedRecord:
    """The record the form describes, read as an import reads a row; every problem
    raises :class:`FieldsRefusedError` naming its field (``values`` may leave out any
    field; unknown names are refused too)."""
    allowed = set(FORM_FIELDS) | (set(REPORTER_FIELDS) if with_reporter else set())
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise FieldsRefusedError(dict.fromkeys(unknown, NOT_A_FIELD()))
    names = [*_LIST_FIELDS, *(REPORTER_FIELDS if with_reporter else ())]
    header = ["record_id", *names, *(EXTRA_COLUMNS[n] for n in EXTRA_COLUMNS)]
    cells = [_RECORD_ID, *(values.get(n, "") or "" for n in names),
             *(values.get(n, "") or "" for n in EXTRA_COLUMNS)]
    columns = ColumnMap({name: index for index, name in enumerate(header)
                         if index <= len(names)},
                        {len(names) + 1 + i: EXTRA_COLUMNS[n]
                         for i, n in enumerate(EXTRA_COLUMNS)})
    parser = RowParser(header, columns, today or dt.date.today())
    record, issues = parser.parse(RawRow(1, cells))
    errors = {_field_of(issue.column): issue.message for issue in issues}
    errors.update({n: LONGER_THAN(limit=_MAX_EXTRA) for n in EXTRA_COLUMNS
                   if len(values.get(n, "") or "") > _MAX_EXTRA})
    if record is None and not errors:
        errors["surname"] = NO_NAME_ON_FORM()
    if errors or record is None:
        raise FieldsRefusedError(errors)
    return record


def _field_of(column: str | None) -> str:
    """The form field a parser issue is about (a row-level one is about the names)."""
    if column is None:
        return "surname"
    back = {v: k for k, v in EXTRA_COLUMNS.items()}
    return back.get(column, column)


def form_values(record: ParsedRecord) -> dict[str, str]:
    """The form's fields as text for a record's parsed fields (to show for a correction):
    dates with their precision (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), as the parser
    reads them back."""
    text: dict[str, str] = {
        "surname": record.surname or "", "given_name": record.given_name or "",
        "patronymic": record.patronymic or "", "full_name": record.full_name or "",
        "sex": record.sex.value if record.sex else "",
        "birth_date": record.birth_date.isoformat() if record.birth_date else "",
        "birth_place": record.birth_place or "",
        "last_known_place": record.last_known_place or "",
        "institution": record.institution or "",
        "moved_on": record.moved_on.isoformat() if record.moved_on else "",
        "event_date": record.event_date.isoformat() if record.event_date else "",
        "notes": record.notes or "", "group": record.group or "",
        "siblings_count": "" if record.siblings_count is None else str(record.siblings_count),
    }
    for name, column in EXTRA_COLUMNS.items():
        text[name] = record.extra.get(column, "")
    return text

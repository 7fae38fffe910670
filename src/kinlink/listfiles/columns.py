"""Map a file's header to the record list format's fields.

Headers are matched case-insensitively after trimming, with aliases in English,
Ukrainian and Russian (``прізвище``, ``фамилия``, ``дата народження`` …). A mapping file
(TOML, ``[columns]`` table of ``"header as in the file" = "field"``) covers any other
layout. Columns that map to no field are kept as ``extra``, never dropped.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kinlink.errors import FileRefusedError
from kinlink.i18n import N_, Wording

_MAPPING_FILE_NEEDS_COLUMNS = Wording("listfiles.columns.mapping_file_needs_columns", N_(
    'mapping file {name}: needs a [columns] table of "header" = "field" entries'))
_MAPPING_FILE_UNKNOWN_FIELD = Wording("listfiles.columns.mapping_file_unknown_field", N_(
    "mapping file {name}: unknown field(s) {value}; fields are {value2}"))
_MAPPING_FILE_CANNOT_READ = Wording("listfiles.columns.mapping_file_cannot_read", N_(
    "mapping file {name}: cannot be read ({exc})"))
_COLUMNS_BOTH_MEAN_RENAME = Wording("listfiles.columns.columns_both_mean_rename", N_(
    "columns {value} ({value2}) and {value3} ({cell}) both mean {name}; rename one or give "
    "a mapping file"))

__all__ = ["FIELDS", "ColumnMap", "build_column_map", "load_mapping", "normalise_header"]

#: The fields of the record list format, plus the reporter's columns (kept apart).
FIELDS: tuple[str, ...] = (
    "record_id", "given_name", "surname", "patronymic", "full_name", "sex", "birth_date",
    "birth_place", "last_known_place", "event_date", "source", "notes",
    "reporter_name", "reporter_relationship", "reporter_contact",
    "institution", "moved_on", "group", "siblings_count",
)

_ALIASES: dict[str, tuple[str, ...]] = {
    "record_id": ("record id", "id", "record", "no", "№", "номер", "ід", "id запису",
                  "номер запису", "код", "идентификатор", "номер записи"),
    "given_name": ("given name", "first name", "firstname", "name", "forename", "ім'я",
                   "імя", "имя"),
    "surname": ("family name", "last name", "lastname", "прізвище", "фамилия"),
    "patronymic": ("middle name", "father's name", "по батькові", "по-батькові", "отчество"),
    "full_name": ("full name", "fullname", "піб", "п.і.б.", "прізвище ім'я по батькові",
                  "повне ім'я", "фио", "ф.и.о.", "фамилия имя отчество", "полное имя"),
    "sex": ("gender", "стать", "пол"),
    "birth_date": ("date of birth", "dob", "birth date", "born", "дата народження",
                   "дата рождения"),
    "birth_place": ("place of birth", "birthplace", "місце народження", "место рождения"),
    "last_known_place": ("last known place", "last known location", "last location",
                         "location", "останнє відоме місце", "останнє місце перебування",
                         "місце перебування", "последнее известное место",
                         "последнее известное местонахождение", "местонахождение"),
    "event_date": ("event date", "date of event", "date", "дата події", "дата события",
                   "дата"),
    "source": ("джерело", "источник"),
    "notes": ("note", "comment", "comments", "remarks", "примітки", "примітка", "коментар",
              "примечания", "примечание", "комментарий"),
    "reporter_name": ("reporter", "reported by", "заявник", "хто повідомив", "заявитель"),
    "reporter_relationship": ("relationship", "reporter relation", "ким доводиться",
                              "родинний зв'язок", "степень родства"),
    "reporter_contact": ("contact", "reporter phone", "контакт", "телефон заявника",
                         "контакти", "контакты"),
    "institution": ("institution name", "заклад", "установа", "учреждение"),
    "moved_on": ("moved on", "date moved", "transfer date", "arrival date",
                 "дата переміщення", "дата вивезення", "дата прибуття",
                 "дата перемещения", "дата вывоза", "дата прибытия"),
    "group": ("group id", "transport", "intake", "група", "группа"),
    "siblings_count": ("siblings", "number of siblings", "кількість братів і сестер",
                       "количество братьев и сестер", "количество братьев и сестёр"),
}

_SEPARATORS = re.compile(r"[\s_\-]+")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'", "´": "'"})


def normalise_header(header: str) -> str:
    """Trim, case-fold, unify apostrophes and treat ``_``/``-``/spaces alike."""
    return _SEPARATORS.sub(" ", header.translate(_APOSTROPHES).strip().casefold()).strip()


_LOOKUP: dict[str, str] = {normalise_header(f): f for f in FIELDS} | {
    normalise_header(alias): name for name, aliases in _ALIASES.items() for alias in aliases
}


@dataclass(frozen=True)
class ColumnMap:
    """Which column index feeds which field, and which columns are extra."""

    fields: dict[str, int]
    extra: dict[int, str] = field(default_factory=dict)

    def as_spec(self, header: list[str]) -> dict[str, str]:
        """``{field: header text}``: the mapping used, stored with the source."""
        return {name: header[index] for name, index in self.fields.items()}


def load_mapping(path: Path) -> dict[str, str]:
    """Read a TOML mapping file: ``[columns]`` with ``"header" = "field"`` entries."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FileRefusedError(_MAPPING_FILE_CANNOT_READ(
            name=str(path.name),
            exc=str(exc))) from exc
    columns = document.get("columns")
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise FileRefusedError(_MAPPING_FILE_NEEDS_COLUMNS(name=str(path.name)))
    unknown = sorted({v for v in columns.values() if v not in FIELDS})
    if unknown:
        raise FileRefusedError(
            _MAPPING_FILE_UNKNOWN_FIELD(
                name=str(path.name), value=str(", ".join(unknown)), value2=str(", ".join(FIELDS))
            )
        )
    return {normalise_header(k): v for k, v in columns.items()}


def build_column_map(header: list[str], mapping: dict[str, str] | None = None) -> ColumnMap:
    """Assign each header cell to a field (mapping file first, then aliases)."""
    fields: dict[str, int] = {}
    extra: dict[int, str] = {}
    for index, cell in enumerate(header):
        key = normalise_header(cell)
        name = (mapping or {}).get(key) or _LOOKUP.get(key)
        if name is None or not key:
            extra[index] = cell if key else f"column {index + 1}"
            continue
        if name in fields:
            raise FileRefusedError(
                _COLUMNS_BOTH_MEAN_RENAME(
                    value=str(fields[name] + 1),
                    value2=f"{header[fields[name]]!r}",
                    value3=str(index + 1),
                    cell=f"{cell!r}",
                    name=str(name),
                )
            )
        fields[name] = index
    return ColumnMap(_bare_name_as_full_name(header, fields), extra)


def _bare_name_as_full_name(header: list[str], fields: dict[str, int]) -> dict[str, int]:
    """A lone ``Name`` column with no surname column holds whole names, not given names."""
    index = fields.get("given_name")
    if index is None or "surname" in fields or "full_name" in fields:
        return fields
    if normalise_header(header[index]) != "name":
        return fields
    remapped = {k: v for k, v in fields.items() if k != "given_name"}
    remapped["full_name"] = index
    return remapped

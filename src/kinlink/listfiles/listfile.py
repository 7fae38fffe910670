"""Read a list file without a store: parsed records one by one, every problem kept.

``kinlink link`` and ``kinlink dedupe`` work on files, not on the store, but must
understand the same messy files the importer does: the same encodings, delimiters,
header aliases, mapping files and row validation. :func:`read_list` opens the file
exactly as the importer (:mod:`kinlink.ingest`) does and yields the parsed records
lazily (a million rows need not be in memory at once); rejected rows and unreadable
fields are collected in :attr:`ListFile.issues` as the records are read, so that the
caller can report them — never drop them silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kinlink.domain.imports import Issue, Severity
from kinlink.domain.limits import MIB, ImportLimits
from kinlink.domain.records import ParsedRecord
from kinlink.errors import FILE_UNREADABLE, FileRefusedError
from kinlink.i18n import N_, Wording, os_problem
from kinlink.listfiles.columns import ColumnMap, build_column_map
from kinlink.listfiles.readers import Table, open_table
from kinlink.listfiles.validate import RowParser

_HEADER_NO_RECORD_ID = Wording("listfiles.listfile.header_no_record_id", N_(
    "the header has no record_id column; add one, name it in a mapping file, or import with"
    " --line-ids to number records by their line"))
_HEADER_NO_NAME_COLUMN = Wording("listfiles.listfile.header_no_name_column", N_(
    "the header has no name column (given_name, surname or full_name, or an alias such as "
    "прізвище / фамилия / ім'я / имя); name one in a mapping file"))
_MIB_LIMIT_MIB_KINLINK = Wording("listfiles.listfile.mib_limit_mib_kinlink", N_(
    "{name} is {value} MiB; the limit is {limit} MiB (KINLINK_LIMITS__FILE_MB)"))

__all__ = ["ListFile", "read_list", "read_within", "required_columns"]


@dataclass
class ListFile:
    """An opened list: its header, a parser, and what reading it found wrong."""

    path: Path
    table: Table
    parser: RowParser
    issues: list[Issue] = field(default_factory=list)
    rows: int = 0
    accepted: int = 0

    @property
    def header(self) -> list[str]:
        """The file's header row as written."""
        return self.table.header

    @property
    def size_hint(self) -> int:
        """An estimate of the number of rows (for progress bars)."""
        return self.table.size_hint

    @property
    def rejected(self) -> int:
        """Rows read so far that were not accepted as records."""
        return self.rows - self.accepted

    @property
    def field_errors(self) -> int:
        """Fields read so far that could not be understood (records kept without them)."""
        return sum(1 for issue in self.issues if issue.severity is Severity.FIELD)

    def records(self) -> Iterator[ParsedRecord]:
        """The accepted records, in file order; issues accumulate while iterating."""
        for row in self.table.rows:
            self.rows += 1
            record, issues = self.parser.parse(row)
            self.issues.extend(issues)
            if record is not None:
                self.accepted += 1
                yield record


def read_within(path: Path, limits: ImportLimits) -> bytes:
    """The bytes of ``path``, refused before reading when larger than the limit (the
    whole file is held in memory while it is read)."""
    try:
        size = path.stat().st_size
        if size > limits.file_mb * MIB:
            raise FileRefusedError(
                _MIB_LIMIT_MIB_KINLINK(
                    name=str(path.name), value=f"{size / MIB:,.1f}", limit=f"{limits.file_mb:,}"
                )
            )
        return path.read_bytes()
    except OSError as exc:
        raise FileRefusedError(
            FILE_UNREADABLE(name=str(path.name), strerror=os_problem(exc))
        ) from exc


def required_columns(table: Table, mapping: dict[str, str] | None, *, line_ids: bool) -> ColumnMap:
    """The table's columns mapped to fields; refused without a record id (unless lines
    number the records) or without any name column."""
    columns = build_column_map(table.header, mapping)
    if "record_id" not in columns.fields and not line_ids:
        raise FileRefusedError(_HEADER_NO_RECORD_ID())
    if not {"given_name", "surname", "full_name"} & columns.fields.keys():
        raise FileRefusedError(_HEADER_NO_NAME_COLUMN())
    return columns


def read_list(
    path: Path,
    *,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    line_ids: bool = False,
    today: dt.date | None = None,
    limits: ImportLimits | None = None,
) -> ListFile:
    """Open ``path`` (CSV or XLSX) as the importer would, within the same ``limits``;
    raise if the file is refused."""
    limits = limits or ImportLimits()
    table = open_table(read_within(path, limits), sheet=sheet, limits=limits)
    columns = required_columns(table, mapping, line_ids=line_ids)
    parser = RowParser(table.header, columns, today or dt.date.today(), line_ids=line_ids)
    return ListFile(path, table, parser)

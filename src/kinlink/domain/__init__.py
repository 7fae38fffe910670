"""Plain domain types: partial dates, records, sources and their enums."""

from kinlink.domain.dates import DateError, PartialDate, Precision, parse_partial_date
from kinlink.domain.imports import ImportCounts, ImportStatus, Issue, Severity
from kinlink.domain.records import (
    ParsedRecord,
    Reporter,
    Role,
    Sex,
    SourceKind,
    parse_sex,
)

__all__ = [
    "DateError",
    "ImportCounts",
    "ImportStatus",
    "Issue",
    "ParsedRecord",
    "PartialDate",
    "Precision",
    "Reporter",
    "Role",
    "Severity",
    "Sex",
    "SourceKind",
    "parse_partial_date",
    "parse_sex",
]

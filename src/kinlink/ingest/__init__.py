"""Ingest: read CSV/XLSX lists, map their columns, validate rows, import into the store."""

from kinlink.ingest.columns import FIELDS, load_mapping
from kinlink.ingest.listfile import ListFile, read_list
from kinlink.ingest.report import ErrorReport, write_error_report
from kinlink.ingest.service import ImportRequest, ImportResult, import_file

__all__ = [
    "FIELDS",
    "ErrorReport",
    "ImportRequest",
    "ImportResult",
    "ListFile",
    "import_file",
    "load_mapping",
    "read_list",
    "write_error_report",
]

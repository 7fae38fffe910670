"""List files: read CSV/XLSX lists of children as written, map their columns, validate rows.

Pure file handling shared by the importer, ``kinlink link`` / ``dedupe`` and the import
of a mediation channel's answers: encodings, delimiters, header aliases, mapping files,
row validation and the error report. Nothing here touches the store.
"""

from kinlink.listfiles.columns import FIELDS, load_mapping
from kinlink.listfiles.listfile import ListFile, read_list
from kinlink.listfiles.report import ErrorReport, write_error_report

__all__ = ["FIELDS", "ErrorReport", "ListFile", "load_mapping", "read_list",
           "write_error_report"]

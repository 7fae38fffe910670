"""Ingest: bring a list file into the store, keeping every row and every problem."""

from kinlink.ingest.service import ImportRequest, ImportResult, import_file

__all__ = ["ImportRequest", "ImportResult", "import_file"]

"""Ingest: bring a list file into the store, keeping every row and every problem."""

from kinlink.ingest.service import CHUNK_ROWS, ImportRequest, ImportResult, import_file

__all__ = ["CHUNK_ROWS", "ImportRequest", "ImportResult", "import_file"]

"""How much one list file and one import may take: the limits, in one place.

A list is data from outside, and a file a few megabytes long can claim gigabytes or hours
(a zip bomb inside an XLSX, one cell of a gigabyte, twenty million empty rows). Every file
kinlink imports — uploaded on the web or given to ``kinlink import`` — is measured against
these limits before it is read and while it is read, and refused whole with a message
naming the limit and what the file holds. Imports started from the web also run within a
time and a memory budget (:mod:`kinlink.usecases.jobs`).

The defaults fit any real list of children with room to spare (Excel's own sheet holds at
most 1,048,576 rows and 32,767 characters a cell). Each can be set in the environment,
``KINLINK_LIMITS__<NAME>`` (for example ``KINLINK_LIMITS__ROWS=200000``); see the settings
table of the README.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["ImportLimits"]

MIB = 2**20


@dataclass(frozen=True)
class ImportLimits:
    """The limits of one list file and of one import (sizes in MiB)."""

    upload_mb: int = 25
    """The largest file the web accepts."""
    file_mb: int = 200
    """The largest file ``kinlink import`` reads (the whole file is read into memory)."""
    xlsx_uncompressed_mb: int = 400
    """What a workbook's parts may add up to once uncompressed (a zip bomb is larger)."""
    xlsx_ratio: int = 200
    """How many times a workbook's part may grow when uncompressed (parts over 1 MiB)."""
    xlsx_part_mb: int = 64
    """The largest part other than a sheet (shared strings, styles…): these are read
    whole into memory, sheets are read row by row."""
    shared_strings: int = 2_000_000
    """How many shared strings a workbook may hold (all are kept in memory)."""
    cell_chars: int = 32_767
    """The longest cell, in characters (Excel's own limit)."""
    rows: int = 1_048_576
    """The most rows (lines of a CSV, rows of a sheet), header and blank lines included."""
    columns: int = 256
    """The most columns a row may have."""
    import_seconds: int = 1800
    """How long an import from the web may run (reading, linking, opening cases) before
    it is stopped and the next one starts."""
    import_memory_mb: int = 2048
    """How much memory an import from the web may use (its worker process's resident
    memory) before it is stopped."""

    document_mb: int = 50
    """The largest evidence document kept (an original: a scan, a capture, a PDF)."""

    def __post_init__(self) -> None:
        for item in fields(self):
            if getattr(self, item.name) <= 0:
                raise ValueError(f"the limit {item.name} must be positive")

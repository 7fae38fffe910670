"""Cells written for spreadsheets: text that must stay text.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as
a formula by Excel, LibreOffice and Google Sheets when a CSV or XLSX file is opened
(OWASP "CSV injection"). **Every** CSV or XLSX file kinlink writes passes every text
cell through :func:`neutralise_formula` — import error reports, rejected rows, the
outputs of ``kinlink link``/``dedupe``/``names compare``, the lists for mediators, the
demo lists — most of them through :class:`SafeCsvWriter`. It lives here, with no
dependency, so that every layer uses the one rule.

The rule is **reversible**, because some of these files come back: the rejected rows are
corrected and imported again, a demo list is imported. A cell that a spreadsheet would
run gets one leading apostrophe (``=HYPERLINK("x")`` → ``'=HYPERLINK("x")``), the mark
spreadsheets themselves use for "this is text"; and kinlink's list reader takes it off
again (:func:`restore_formula`), so the value imported is the value that was written.
To keep that exact, a cell that already starts with apostrophes followed by a formula
start (``'=x``) gets one more (``''=x``), and the reader takes off exactly one. Numbers
written as numbers (a line, a probability) are not text and are left alone.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

__all__ = ["FORMULA_START", "SafeCsvWriter", "neutralise_formula", "restore_formula",
           "safe_cells"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for the start of a formula."""
_MARK = "'"


def _runs(value: str) -> bool:
    """Whether ``value``, or ``value`` without its leading apostrophes, starts a formula
    (the second case so that the apostrophe kinlink adds stays tellable from one that
    was there)."""
    return value.lstrip(_MARK).startswith(FORMULA_START)


def neutralise_formula(value: str) -> str:
    """Prefix a cell that a spreadsheet would evaluate with ``'`` so it stays text."""
    return _MARK + value if _runs(value) else value


def restore_formula(value: str) -> str:
    """The cell :func:`neutralise_formula` was given: one leading ``'`` taken off where
    it marks a formula-like text (``'=x`` → ``=x``, ``''=x`` → ``'=x``); anything else
    as it is (``'Ярина``, ``О'Коннор``)."""
    return value[1:] if value.startswith(_MARK) and _runs(value[1:]) else value


def safe_cells(cells: Iterable[object]) -> list[object]:
    """A row with every text cell neutralised (numbers, ``None`` as they are)."""
    return [neutralise_formula(c) if isinstance(c, str) else c for c in cells]


class SafeCsvWriter:
    """:func:`csv.writer` whose every text cell, headers included, is neutralised."""

    def __init__(self, handle: IO[str], **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[object]) -> None:
        """Write one row."""
        self._writer.writerow(safe_cells(row))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        """Write many rows."""
        for row in rows:
            self.writerow(row)

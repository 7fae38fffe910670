"""Cells written for spreadsheets: text that must stay text.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as
a formula by Excel, LibreOffice and Google Sheets when a CSV or XLSX file is opened
(OWASP "CSV injection"). Every file kinlink writes for people to open — the import
error reports, the lists for mediators — passes its cells through
:func:`neutralise_formula`. It lives here, with no dependency, so that every layer can
use the one rule.
"""

from __future__ import annotations

__all__ = ["FORMULA_START", "neutralise_formula"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for the start of a formula."""


def neutralise_formula(value: str) -> str:
    """Prefix a cell that a spreadsheet would evaluate with ``'`` so it stays text."""
    return "'" + value if value.startswith(FORMULA_START) else value

"""Hostile list files, written as a drill's attacker would: small on disk, enormous once
read. Workbooks are written part by part, a megabyte at a time, so that building a
gigabyte-long cell never holds it in memory. Shared by the tests and
``benchmarks/hostile_uploads.py``.

Every workbook here is a real one: within the limits, openpyxl reads it (a test checks),
so a refusal is the limits' doing, not a broken file's.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

HEADER = ("record_id", "surname", "given_name")
_CHUNK = 2**20

_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="List" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
_SHEET_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetData>')
_SHEET_END = "</sheetData></worksheet>"
_STRINGS_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _inline(column: str, row: int, text: str) -> str:
    return f'<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    cells = "".join(_inline(column, 1, name) for column, name in zip("ABC", HEADER, strict=True))
    return f'<row r="1">{cells}</row>'


def _repeat(text: str, count: int) -> Iterator[str]:
    """``text`` ``count`` times over, a megabyte-sized piece at a time."""
    per_piece = max(1, _CHUNK // max(1, len(text)))
    while count > 0:
        step = min(per_piece, count)
        yield text * step
        count -= step


def write_workbook(path: Path, sheet: Iterable[str], strings: Iterable[str] = ("",)
                   ) -> Path:
    """A workbook of one sheet whose XML is ``sheet``'s pieces (between sheetData tags)
    and whose shared strings part is ``strings``'s pieces (between sst tags)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, start, pieces, end in (
                ("xl/worksheets/sheet1.xml", _SHEET_START, sheet, _SHEET_END),
                ("xl/sharedStrings.xml", _STRINGS_START, strings, "</sst>")):
            with archive.open(name, "w", force_zip64=True) as part:
                part.write(start.encode())
                for piece in pieces:
                    part.write(piece.encode())
                part.write(end.encode())
    return path


def plain_workbook(path: Path, rows: int = 3) -> Path:
    """A small, well-formed list: a header and ``rows`` children (inline strings)."""
    body = [_header_row()] + [
        f'<row r="{n}">{_inline("A", n, f"R{n}")}{_inline("B", n, "Petrenko")}'
        f'{_inline("C", n, "Olena")}</row>' for n in range(2, rows + 2)]
    return write_workbook(path, body)


def huge_shared_string(path: Path, chars: int) -> Path:
    """A header, then one row whose name is a shared string ``chars`` characters long."""
    row = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    strings = ['<si><t>', *_repeat("A", chars), "</t></si>"]
    return write_workbook(path, [_header_row(), row], strings)


def huge_cell(path: Path, chars: int) -> Path:
    """A header, then one row with an inline cell ``chars`` characters long."""
    pieces = [_header_row(), '<row r="2"><c r="B2" t="inlineStr"><is><t>',
              *_repeat("A", chars), "</t></is></c></row>"]
    return write_workbook(path, pieces)


def many_rows(path: Path, rows: int) -> Path:
    """A header, then ``rows`` rows of one small cell each."""

    def body() -> Iterator[str]:
        yield _header_row()
        batch: list[str] = []
        for number in range(2, rows + 2):
            batch.append(f'<row r="{number}"><c r="A{number}"><v>1</v></c></row>')
            if len(batch) == 20_000:
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    return write_workbook(path, body())


def far_row(path: Path, number: int = 50_000_000) -> Path:
    """A header, then one row numbered ``number`` (openpyxl would fill the gap)."""
    return write_workbook(path, [_header_row(),
                                 f'<row r="{number}"><c r="A{number}"><v>1</v></c></row>'])


def csv_cell(path: Path, chars: int) -> Path:
    """A CSV with one cell ``chars`` characters long."""
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + "\nR1,")
        for piece in _repeat("A", chars):
            out.write(piece)
        out.write(",Olena\n")
    return path


def csv_rows(path: Path, rows: int) -> Path:
    """A CSV of ``rows`` short rows."""
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + "\n")
        for piece in _repeat("R,P,O\n", rows):
            out.write(piece)
    return path


def csv_columns(path: Path, columns: int) -> Path:
    """A CSV whose second line has ``columns`` cells."""
    path.write_text(",".join(HEADER) + "\n" + ",".join(["x"] * columns) + "\n",
                    encoding="utf-8")
    return path

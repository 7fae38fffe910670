"""Hostile files are refused quickly, with a message naming the limit and what the file
holds; files within the limits read as before; the limits come from the environment."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

import hostile
from kinlink.config import Settings
from kinlink.domain.limits import ImportLimits
from kinlink.errors import FileRefusedError
from kinlink.listfiles.listfile import read_list
from kinlink.listfiles.readers import open_table

QUICK = 2.0
"""Seconds within which a bomb built below must be refused (it would take minutes or
gigabytes to read)."""


def _read_all(data: bytes, limits: ImportLimits | None) -> list[list[str]]:
    return [row.cells for row in open_table(data, limits=limits).rows]


def _refused(data: bytes, limits: ImportLimits | None = None) -> str:
    started = time.monotonic()
    with pytest.raises(FileRefusedError) as caught:
        _read_all(data, limits)
    assert time.monotonic() - started < QUICK
    return str(caught.value)


def test_a_workbook_within_the_limits_reads_as_before(tmp_path: Path) -> None:
    table = open_table(hostile.plain_workbook(tmp_path / "plain.xlsx").read_bytes())
    assert table.header == list(hostile.HEADER)
    assert next(row.cells for row in table.rows) == ["R2", "Petrenko", "Olena"]


def test_a_gigabyte_shared_string_is_refused_by_its_size_unread(
        gigabyte_string_workbook: Path) -> None:
    # 1 GiB of one character compresses to about a megabyte, as in the drill
    path = gigabyte_string_workbook
    assert path.stat().st_size < 2 * 2**20
    message = _refused(path.read_bytes())
    assert "1,024.0 MiB once uncompressed" in message
    assert "400 MiB (KINLINK_LIMITS__XLSX_UNCOMPRESSED_MB)" in message


def test_a_part_that_grows_like_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    data = hostile.huge_cell(tmp_path / "ratio.xlsx", 50 * 2**20).read_bytes()
    message = _refused(data)
    assert "xl/worksheets/sheet1.xml grows" in message
    assert "(KINLINK_LIMITS__XLSX_RATIO)" in message


def test_one_long_shared_string_or_cell_is_refused(tmp_path: Path) -> None:
    strings = hostile.huge_shared_string(tmp_path / "string.xlsx", 40_000).read_bytes()
    assert _refused(strings) == (
        "shared string 1 of the workbook holds more than 32,767 characters; the limit is "
        "32,767 characters (KINLINK_LIMITS__CELL_CHARS)")
    cell = hostile.huge_cell(tmp_path / "cell.xlsx", 40_000).read_bytes()
    assert ("xl/worksheets/sheet1.xml, row 2: a cell holds more than 32,767 characters"
            in _refused(cell))


def test_too_many_rows_or_a_far_row_is_refused(tmp_path: Path) -> None:
    limits = ImportLimits(rows=5_000)
    rows = hostile.many_rows(tmp_path / "rows.xlsx", 20_000).read_bytes()
    assert _refused(rows, limits) == (
        "xl/worksheets/sheet1.xml has a row numbered 5,001; the limit is 5,000 rows "
        "(KINLINK_LIMITS__ROWS)")
    far = hostile.far_row(tmp_path / "far.xlsx", 50_000_000).read_bytes()
    assert "a row numbered 50,000,000; the limit is 1,048,576 rows" in _refused(far)


def test_a_cell_beyond_the_last_column_is_refused(tmp_path: Path) -> None:
    path = hostile.write_workbook(tmp_path / "wide.xlsx", [
        '<row r="1"><c r="A1" t="inlineStr"><is><t>record_id</t></is></c>'
        '<c r="XFD1"><v>1</v></c></row>'])
    assert "a cell in column 16,384; the limit is 256 columns" in _refused(path.read_bytes())


def test_a_part_read_whole_and_a_document_type_are_refused(tmp_path: Path) -> None:
    limits = ImportLimits(xlsx_part_mb=1)
    strings = hostile.write_workbook(tmp_path / "strings.xlsx", [hostile._header_row()], [
        f"<si><t>{n}</t></si>" for n in range(300_000)]).read_bytes()
    assert ("xl/sharedStrings.xml holds 6.2 MiB and would be read whole into memory"
            in _refused(strings, limits))
    assert "more than 1,000 shared strings" in _refused(strings, ImportLimits(
        shared_strings=1_000))
    entities = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(entities, "w") as archive:
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE lol '
                         '[<!ENTITY lol "lol">]><workbook>&lol;</workbook>')
    assert "declares a document type" in _refused(entities.read_bytes())


def test_csv_bombs_are_refused(tmp_path: Path) -> None:
    cell = hostile.csv_cell(tmp_path / "cell.csv", 5 * 2**20).read_bytes()
    assert _refused(cell) == (
        "line 2: a cell holds more than 32,767 characters; the limit is 32,767 characters "
        "(KINLINK_LIMITS__CELL_CHARS)")
    rows = hostile.csv_rows(tmp_path / "rows.csv", 2_000_000).read_bytes()
    assert _refused(rows) == ("the file has 2,000,001 lines; the limit is 1,048,576 rows "
            "(KINLINK_LIMITS__ROWS)")
    columns = hostile.csv_columns(tmp_path / "wide.csv", 300).read_bytes()
    assert (_refused(columns)
            == "line 2 has 300 columns; the limit is 256 columns (KINLINK_LIMITS__COLUMNS)")


def test_a_cell_just_within_the_limit_is_read(tmp_path: Path) -> None:
    path = hostile.csv_cell(tmp_path / "edge.csv", 32_767)
    table = open_table(path.read_bytes())
    assert len(next(table.rows).cells[1]) == 32_767


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = hostile.csv_rows(tmp_path / "big.csv", 400_000)
    with pytest.raises(FileRefusedError, match=r"big.csv is 2.3 MiB; the limit is 1 MiB "
                       r"\(KINLINK_LIMITS__FILE_MB\)"):
        read_list(path, limits=ImportLimits(file_mb=1))


def test_the_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_LIMITS__ROWS", "1000")
    monkeypatch.setenv("KINLINK_LIMITS__IMPORT_SECONDS", "60")
    limits = Settings().limits
    assert (limits.rows, limits.import_seconds, limits.cell_chars) == (1000, 60, 32_767)
    monkeypatch.setenv("KINLINK_LIMITS__ROWS", "0")
    with pytest.raises(ValueError, match="rows must be positive"):
        Settings()

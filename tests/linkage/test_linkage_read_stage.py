"""The read stage of ``kinlink link`` (:func:`kinlink.matching.files.read_side`).

It pauses Python's cycle collector while a list is read and keyed (a fifth of the
stage's CPU at 100k records); these tests hold it to giving the collector back, after a
list read and after a list refused, and to reading the same records and features as
the list's own parse.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from kinlink.errors import FileRefusedError
from kinlink.linkage import side_from_records
from kinlink.listfiles import read_list
from kinlink.matching.files import ReadOptions, read_side

HEADER = "record_id,given_name,surname,birth_date,birth_place\n"


def _list(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "list.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_the_collector_is_back_after_a_list_is_read(tmp_path: Path) -> None:
    path = _list(tmp_path, "a1,Олександр,Петренко,2014-03-12,Херсон\n"
                           "a2,Kipa,Петренко,2015-05-01,Херсон\n"
                           ",Марія,Коваль,2013-01-01,Київ\n"
                           "a3,'=cmd,Шевченко,12.13.2014,Суми\n")
    assert gc.isenabled()
    side, summary = read_side(path, ReadOptions(), display=True)
    assert gc.isenabled()
    assert (summary.rows, summary.records, summary.rejected) == (4, 3, 1)
    assert summary.field_errors == 1  # the impossible date is a field issue, kept
    assert side.ids == ("a1", "a2", "a3")
    expected = side_from_records(read_list(path).records(), display=True)
    assert side.features.arrow.equals(expected.features.arrow)
    assert side.features.display == expected.features.display
    # the neutralised formula is the cell as written, the look-alike name read as Cyrillic
    assert side.features.display is not None
    assert side.features.display[2].given == "=cmd"
    assert side.features.display[1].given == "Кіра"


def test_the_collector_is_back_after_a_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("given_name,surname\nОлена,Коваль\n", encoding="utf-8")
    with pytest.raises(FileRefusedError):
        read_side(path, ReadOptions(), display=False)
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused(tmp_path: Path) -> None:
    path = _list(tmp_path, "a1,Олександр,Петренко,2014-03-12,Херсон\n")
    gc.disable()
    try:
        read_side(path, ReadOptions(), display=False)
        assert not gc.isenabled()
    finally:
        gc.enable()

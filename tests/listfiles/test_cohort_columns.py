"""The cohort columns (institution, moved_on, group, siblings_count) are read, and a
value that cannot be read is reported with its line and column, the record kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kinlink.domain.dates import PartialDate
from kinlink.domain.imports import Issue, Severity
from kinlink.domain.records import ParsedRecord
from kinlink.listfiles import read_list
from kinlink.listfiles.columns import build_column_map

TODAY = dt.date(2026, 11, 26)


def _read(tmp_path: Path, text: str) -> tuple[list[ParsedRecord], list[Issue]]:
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    opened = read_list(path, today=TODAY)
    return list(opened.records()), opened.issues


def test_the_columns_and_their_ukrainian_and_russian_names_are_fields() -> None:
    english = build_column_map(["record_id", "surname", "institution", "moved_on", "group",
                                "siblings_count"]).fields
    assert english == {"record_id": 0, "surname": 1, "institution": 2, "moved_on": 3,
                       "group": 4, "siblings_count": 5}
    ukrainian = build_column_map(["ID", "Прізвище", "Заклад", "Дата переміщення", "Група",
                                  "Кількість братів і сестер"]).fields
    russian = build_column_map(["Номер", "Фамилия", "Учреждение", "Дата прибытия", "Группа",
                                "Количество братьев и сестёр"]).fields
    assert ukrainian == russian == english


def test_the_columns_are_read_into_the_record(tmp_path: Path) -> None:
    records, issues = _read(tmp_path, (
        "record_id,surname,institution,moved_on,group,siblings_count\n"
        "A1,Петренко,Херсонський обласний дитячий будинок,14.10.2022,T-7,2\n"
        "A2,Іваненко,,10.2022,,0\n"
        "A3,Коваль,,,,\n"))
    assert issues == []
    first, second, third = records
    assert first.institution == "Херсонський обласний дитячий будинок"
    assert first.moved_on == PartialDate(2022, 10, 14)
    assert (first.group, first.siblings_count) == ("T-7", 2)
    assert second.moved_on == PartialDate(2022, 10, None)  # a partial date keeps its precision
    assert (second.institution, second.group, second.siblings_count) == (None, None, 0)
    assert (third.institution, third.moved_on, third.group, third.siblings_count) == (
        None, None, None, None)


def test_a_bad_moved_on_or_siblings_count_is_a_field_issue_with_line_and_column(
        tmp_path: Path) -> None:
    records, issues = _read(tmp_path, (
        "record_id,surname,Дата переміщення,siblings_count\n"
        "A1,Петренко,31.02.2022,2\n"
        "A2,Іваненко,14.10.2022,two\n"
        "A3,Коваль,14.10.2022,-1\n"
        "A4,Бойко,14.10.2022,2.5\n"
        "A5,Лисенко,14.10.2022,100\n"))
    assert [r.record_id for r in records] == ["A1", "A2", "A3", "A4", "A5"]
    found = {(i.line, i.column, i.severity, i.code, i.value) for i in issues}
    assert found == {
        (2, "Дата переміщення", Severity.FIELD, "bad_date", "31.02.2022"),
        (3, "siblings_count", Severity.FIELD, "bad_number", "two"),
        (4, "siblings_count", Severity.FIELD, "bad_number", "-1"),
        (5, "siblings_count", Severity.FIELD, "bad_number", "2.5"),
        (6, "siblings_count", Severity.FIELD, "bad_number", "100"),
    }
    assert all("whole number" in i.message for i in issues if i.code == "bad_number")
    assert records[0].moved_on is None
    assert records[0].siblings_count == 2
    assert records[1].moved_on == PartialDate(2022, 10, 14)
    assert records[1].siblings_count is None


def test_an_institution_or_group_too_long_is_kept_only_in_the_raw_row(tmp_path: Path) -> None:
    records, issues = _read(tmp_path, (
        f"record_id,surname,institution,group\nA1,Петренко,{'д' * 301},{'g' * 201}\n"))
    assert records[0].institution is None
    assert records[0].group is None
    assert {(i.column, i.code) for i in issues} == {("institution", "too_long"),
                                                    ("group", "too_long")}

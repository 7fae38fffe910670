"""Reading the other side's answer to a list (kinlink.mediation.answers): CSV in UTF-8 and
Windows-1251, XLSX, header aliases, status words, and every problem reported by line."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from kinlink.domain.dates import PartialDate
from kinlink.domain.mediation import AnswerStatus, ListField
from kinlink.errors import FileRefusedError
from kinlink.mediation.answers import AnswerFile, parse_status, read_answers
from kinlink.mediation.exports import HEADERS, REFERENCE
from mediationcases import mistyped, ref, write_answer_csv

TODAY = dt.date(2025, 6, 1)


R2, R4, R5, R6 = ref("0000002"), ref("0000004"), ref("0000005"), ref("0000006")
BAD_R4 = mistyped(R4)

HEADER = ["Номер", "ФИО", "Дата рождения", "Статус", "Примечание"]
ROWS = [
    [R2, "", "", "Местонахождение установлено.", ""],
    [R6, "", "", "  С  родственниками ", "у бабушки"],
    ["", "ПЕТРЕНКО Александр Сергеевич", "14.03.2012", "будет возвращён", ""],
    ["", "Kovalska Hanna", "30.11.2011", "Returned", ""],
    [BAD_R4, "Игнатенко Дмитрий Петрович", "05.01.2013", "не значится", ""],
    [R5, "", "", "найдена", ""],
    [R5, "", "", "Не найдена", ""],
    ["", "Смирнов Никита Андреевич", "31.02.2013", "найден", ""],
    ["", "", "", "найден", ""],
    [ref("0000008"), "", "", "уточняется", ""],
]
"""Lines 2…11 of the file (line 1 is the header)."""


def write_csv(path: Path, *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    return write_answer_csv(path, HEADER, ROWS, encoding=encoding, delimiter=delimiter)


def write_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["reference", "full_name", "birth_date", "status", "comment"])
    for row in ROWS:
        cells: list[object] = list(row)
        if row[2] and row[2] != "31.02.2013":  # real date cells, as a spreadsheet holds them
            day, month, year = map(int, row[2].split("."))
            cells[2] = dt.date(year, month, day)
        sheet.append(cells)
    workbook.save(path)
    return path


@pytest.fixture
def answer_csv(tmp_path: Path) -> AnswerFile:
    return read_answers(write_csv(tmp_path / "answer.csv"), today=TODAY)


def test_rows_keep_line_reference_status_names_and_dates(answer_csv: AnswerFile) -> None:
    rows = {row.line: row for row in answer_csv.rows}
    assert sorted(rows) == [2, 3, 4, 5, 6, 7, 8, 9, 11]
    assert (rows[2].reference, rows[2].status) == (R2, AnswerStatus.LOCATED)
    assert (rows[3].status, rows[3].comment) == (AnswerStatus.WITH_RELATIVES, "у бабушки")
    petrenko = rows[4]
    assert (petrenko.reference, petrenko.reference_text) == (None, "")
    assert petrenko.full_name == "ПЕТРЕНКО Александр Сергеевич"
    assert petrenko.birth == PartialDate(2012, 3, 14)
    assert petrenko.status is AnswerStatus.TO_BE_RETURNED
    assert rows[5].status is AnswerStatus.RETURNED
    assert (rows[6].reference, rows[6].reference_text) == (None, BAD_R4)
    assert rows[6].status is AnswerStatus.NOT_FOUND
    assert [rows[7].status, rows[8].status] == [AnswerStatus.LOCATED, AnswerStatus.NOT_FOUND]
    assert rows[9].birth is None  # 31.02 does not exist: kept without it, reported
    assert (rows[11].status, rows[11].status_text) == (None, "уточняется")


def test_every_problem_is_reported_with_its_line(answer_csv: AnswerFile) -> None:
    issues = [(i.line, i.column, i.message) for i in answer_csv.issues]
    assert [(line, column) for line, column, _ in issues] == [
        (6, "Номер"), (9, "Дата рождения"), (10, None), (11, "Статус")]
    assert f"reference {BAD_R4} has a wrong check character" in issues[0][2]
    assert "may be mistyped" in issues[0][2]
    assert "birth date not understood" in issues[1][2]
    assert "neither a valid reference nor a name" in issues[2][2]
    assert "status not understood: 'уточняется'" in issues[3][2]


def test_a_row_without_reference_or_name_is_kept_apart_not_dropped(
        answer_csv: AnswerFile) -> None:
    assert [r.line for r in answer_csv.rejected] == [10]
    assert answer_csv.rejected[0].status is AnswerStatus.LOCATED


def test_issue_messages_hold_no_personal_data(answer_csv: AnswerFile) -> None:
    text = " ".join(i.message for i in answer_csv.issues).casefold()
    for word in ("смирнов", "никита", "игнатенко", "дмитрий", "2013", "31.02"):
        assert word not in text


def test_windows_1251_csv_with_semicolons_reads_the_same(tmp_path: Path,
                                                         answer_csv: AnswerFile) -> None:
    path = write_csv(tmp_path / "answer-1251.csv", encoding="cp1251", delimiter=";")
    read = read_answers(path, today=TODAY)
    assert read.encoding == "windows-1251"
    assert read.rows == answer_csv.rows
    assert read.issues == answer_csv.issues


def test_bom_csv_reads_the_same(tmp_path: Path, answer_csv: AnswerFile) -> None:
    path = write_csv(tmp_path / "answer-bom.csv", encoding="utf-8-sig")
    assert read_answers(path, today=TODAY).rows == answer_csv.rows


def test_xlsx_with_english_headers_and_date_cells(tmp_path: Path,
                                                  answer_csv: AnswerFile) -> None:
    read = read_answers(write_xlsx(tmp_path / "answer.xlsx"), today=TODAY)
    assert read.file_format == "xlsx"
    assert read.rows == answer_csv.rows
    assert [(i.line, i.message) for i in read.issues] == [
        (i.line, i.message) for i in answer_csv.issues]
    assert read.issues[0].column == "reference"


def test_kinlink_own_bilingual_headers(tmp_path: Path) -> None:
    """The other side may send back the list it received with a status column added."""
    header = [HEADERS[REFERENCE], HEADERS[ListField.NAME_UK], HEADERS[ListField.NAME_RU],
              HEADERS[ListField.BIRTH_DATE], "Статус / Status", "Комментарий / Comment"]
    path = tmp_path / "returned-list.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow([R2, "Олійник Марія", "Олейник Мария", "02.07.2015", "найдена", "—"])
        writer.writerow(["", "", "Петренко Александр", "2012", "найден", ""])
    read = read_answers(path, today=TODAY)
    first, second = read.rows
    assert (first.reference, first.full_name, first.birth) == (
        R2, "Олійник Марія", PartialDate(2015, 7, 2))
    assert (first.status, first.comment) == (AnswerStatus.LOCATED, "—")
    assert (second.full_name, second.birth) == ("Петренко Александр", PartialDate(2012))
    assert read.issues == ()


def test_separate_name_columns(tmp_path: Path) -> None:
    path = tmp_path / "answer.csv"
    path.write_text("фамилия,имя,отчество,дата рождения,ответ\n"
                    "Петренко,Александр,Сергеевич,2012-03-14,найден\n", encoding="utf-8")
    (row,) = read_answers(path, today=TODAY).rows
    assert (row.surname, row.given_name, row.patronymic) == ("Петренко", "Александр",
                                                             "Сергеевич")
    assert row.reference is None
    assert row.has_name


def test_reference_in_a_wrong_shape_is_reported_without_echoing_it(tmp_path: Path) -> None:
    path = tmp_path / "answer.csv"
    path.write_text("ref,status,full_name\nПетренко,found,Петренко Олександр\n",
                    encoding="utf-8")
    read = read_answers(path, today=TODAY)
    assert read.rows[0].reference is None
    (issue,) = read.issues
    assert "not in the form KL-XXXX-XXXX" in issue.message
    assert "Петренко" not in issue.message


def test_lower_case_and_look_alike_references_are_accepted(tmp_path: Path) -> None:
    typed = R2.lower().replace("-", " ")
    path = tmp_path / "answer.csv"
    path.write_text(f"reference_number,status\n{typed},located\n", encoding="utf-8")
    read = read_answers(path, today=TODAY)
    assert read.rows[0].reference == R2
    assert read.issues == ()


def test_a_row_without_status_is_kept_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "answer.csv"
    path.write_text(f"reference,status,comment\n{R2},,note\n", encoding="utf-8")
    read = read_answers(path, today=TODAY)
    assert read.rows[0].status is None
    assert [(i.line, i.message) for i in read.issues] == [(2, "the row has no status")]


@pytest.mark.parametrize(("text", "status"), [
    ("найден", AnswerStatus.LOCATED),
    ("НАЙДЕНА.", AnswerStatus.LOCATED),
    ("местонахождение  установлено", AnswerStatus.LOCATED),
    ("знайдено", AnswerStatus.LOCATED),
    ("Located", AnswerStatus.LOCATED),
    ("found!", AnswerStatus.LOCATED),
    ("не найден", AnswerStatus.NOT_FOUND),
    ("Не значится", AnswerStatus.NOT_FOUND),
    ("сведений нет", AnswerStatus.NOT_FOUND),
    ("На территории РФ не значится.", AnswerStatus.NOT_FOUND),
    ("не знайдено", AnswerStatus.NOT_FOUND),
    ("not found", AnswerStatus.NOT_FOUND),
    ("not_found", AnswerStatus.NOT_FOUND),
    ("проживает с родственниками", AnswerStatus.WITH_RELATIVES),
    ("з родичами", AnswerStatus.WITH_RELATIVES),
    ("with relatives", AnswerStatus.WITH_RELATIVES),
    ("совершеннолетний", AnswerStatus.ADULT),
    ("достиг совершеннолетия", AnswerStatus.ADULT),
    ("повнолітній", AnswerStatus.ADULT),
    ("adult", AnswerStatus.ADULT),
    ("к возвращению", AnswerStatus.TO_BE_RETURNED),
    ("будет возвращён", AnswerStatus.TO_BE_RETURNED),
    ("Будет возвращен", AnswerStatus.TO_BE_RETURNED),
    ("до повернення", AnswerStatus.TO_BE_RETURNED),
    ("to be returned", AnswerStatus.TO_BE_RETURNED),
    ("возвращён", AnswerStatus.RETURNED),
    ("передан", AnswerStatus.RETURNED),
    ("повернуто", AnswerStatus.RETURNED),
    ("returned", AnswerStatus.RETURNED),
    ("«возвращена»", AnswerStatus.RETURNED),
])
def test_status_words(text: str, status: AnswerStatus) -> None:
    assert parse_status(text) is status


@pytest.mark.parametrize("text", ["", "уточняется", "найден?не найден", "ok", "в работе"])
def test_unreadable_status_words(text: str) -> None:
    assert parse_status(text) is None


@pytest.mark.parametrize(("content", "reason"), [
    (b"\x00\x01\x02binary", "binary"),
    (b"", "empty"),
    ("номер;фио\nKL-0000-0000;Петренко\n".encode("cp1251"), "no status column"),
    (b"status,comment\nfound,x\n", "neither a reference column"),
    ("статус,фио\nнайден,Петренко\n".encode("koi8_r"), "encoding"),
])
def test_refused_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "answer.csv"
    path.write_bytes(content)
    with pytest.raises(FileRefusedError, match=reason):
        read_answers(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefusedError, match="cannot be read"):
        read_answers(tmp_path / "nothing.csv")

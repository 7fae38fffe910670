"""Reconciling an answer with the list that was sent (kinlink.mediation.reconcile), with the
real linkage engine (Splink on DuckDB) and answer files read from disk."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from kinlink.domain.dates import PartialDate
from kinlink.domain.mediation import AnswerStatus, check_reference
from kinlink.linkage import SPEC_VERSION, default_engine
from kinlink.mediation.answers import AnswerRow, read_answers
from kinlink.mediation.reconcile import Reconciliation, SentChild, reconcile
from mediationcases import mistyped, ref, write_answer_csv

TODAY = dt.date(2025, 6, 1)


R = {n: ref(f"000000{n}") for n in range(1, 9)}
NOT_ON_LIST = ref("0000099")


def child(n: int, given: str, surname: str, patronymic: str | None, sex: str,
          birth: PartialDate | None, place: str | None) -> SentChild:
    return SentChild(R[n], 100 + n, given, surname, patronymic, sex, birth, place)


SENT = (
    child(1, "Олександр", "Петренко", "Сергійович", "M", PartialDate(2012, 3, 14), "Маріуполь"),
    child(2, "Марія", "Олійник", "Андріївна", "F", PartialDate(2015, 7, 2), "Херсон"),
    child(3, "Ганна", "Ковальська", "Іванівна", "F", PartialDate(2011, 11, 30), "Бердянськ"),
    child(4, "Дмитро", "Ігнатенко", "Петрович", "M", PartialDate(2013, 1, 5), "Мелітополь"),
    child(5, "Софія", "Зінченко", "Олегівна", "F", PartialDate(2016, 5, 20), "Маріуполь"),
    child(6, "Іван", "Романюк", "Миколайович", "M", PartialDate(2010, 9, 9), "Херсон"),
    child(7, "Артем", "Бондаренко", "Вікторович", "M", PartialDate(2012, 12, 12), "Енергодар"),
    child(8, "Тетяна", "Шевченко", "Юріївна", "F", PartialDate(2014, 6, 1), "Скадовськ"),
)
NAMES = {word.casefold() for c in SENT for word in (c.given_name, c.surname, c.patronymic)
         if word} | {"петренко", "александр", "игнатенко", "дмитрий", "смирнов", "никита",
                     "kovalska", "hanna"}

HEADER = ["Номер", "ФИО", "Дата рождения", "Статус", "Примечание"]
ROWS = [
    [R[2], "", "", "Местонахождение установлено.", ""],                         # line 2
    [R[6], "", "", "с родственниками", ""],                                    # line 3
    ["", "ПЕТРЕНКО Александр Сергеевич", "14.03.2012", "будет возвращён", ""],  # line 4
    ["", "Kovalska Hanna", "30.11.2011", "returned", ""],                     # line 5
    [mistyped(R[4]), "Игнатенко Дмитрий Петрович", "05.01.2013", "не значится", ""],  # 6
    [R[5], "", "", "найдена", ""],                                             # line 7
    [R[5], "", "", "не найдена", ""],                                          # line 8
    ["", "Смирнов Никита Андреевич", "04.04.2013", "найден", ""],              # line 9
    [R[8], "", "", "уточняется", ""],                                          # line 10
]
"""Child 7 is missing; Смирнов (line 9) was not on the list."""


def write_csv(path: Path, *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    return write_answer_csv(path, HEADER, ROWS, encoding=encoding, delimiter=delimiter)


def write_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Reference", "Full name", "Date of birth", "Status", "Comment"])
    for row in ROWS:
        cells: list[object] = list(row)
        if row[2]:
            day, month, year = map(int, row[2].split("."))
            cells[2] = dt.datetime(year, month, day)
        sheet.append(cells)
    workbook.save(path)
    return path


def answer(line: int, reference: str | None = None, status: str = "найден", *,
           full_name: str | None = None, birth: PartialDate | None = None) -> AnswerRow:
    return AnswerRow(line, check_reference(reference) if reference else None, reference or "",
                     AnswerStatus.LOCATED if status == "найден" else None, status,
                     full_name=full_name, birth=birth)


def placed(result: Reconciliation) -> dict[str, object]:
    """Where each reference and line ended up, in a form a test can compare at once."""
    return {
        "reference": sorted((m.answer.line, m.child.reference, m.sure) for m in result.matched
                            if m.how == "reference"),
        "names": sorted((m.answer.line, m.child.reference, m.sure) for m in result.matched
                        if m.how == "names"),
        "missing": [c.reference for c in result.missing],
        "unknown": [a.line for a in result.unknown],
        "contradictions": [(c.kind, [a.line for a in c.answers],
                            [k.reference for k in c.children]) for c in result.contradictions],
    }


EXPECTED = {
    "reference": [(2, R[2], True), (3, R[6], True), (7, R[5], False), (8, R[5], False),
                  (10, R[8], False)],
    "names": [(4, R[1], True), (5, R[3], True), (6, R[4], True)],
    "missing": [R[7]],
    "unknown": [9],
    "contradictions": [("statuses_differ", [7, 8], [R[5]]),
                       ("status_unreadable", [10], [R[8]])],
}


@pytest.fixture(scope="module")
def csv_result(tmp_path_factory: pytest.TempPathFactory) -> Reconciliation:
    path = write_csv(tmp_path_factory.mktemp("answers") / "answer.csv")
    return reconcile(SENT, read_answers(path, today=TODAY).rows)


def test_every_answer_and_child_is_placed(csv_result: Reconciliation) -> None:
    assert placed(csv_result) == EXPECTED


def test_links_by_names_carry_the_engine_probability(csv_result: Reconciliation) -> None:
    by_names = [m for m in csv_result.matched if m.how == "names"]
    assert all(m.probability is not None and m.probability >= 0.999 for m in by_names)
    assert all(m.probability is None for m in csv_result.matched if m.how == "reference")
    assert csv_result.model_version is not None
    assert csv_result.model_version.startswith(f"{SPEC_VERSION}+")


def test_statuses_travel_with_the_match(csv_result: Reconciliation) -> None:
    status = {m.child.reference: m.answer.status for m in csv_result.matched
              if m.how == "names"}
    assert status == {R[1]: AnswerStatus.TO_BE_RETURNED, R[3]: AnswerStatus.RETURNED,
                      R[4]: AnswerStatus.NOT_FOUND}


def test_contradictions_speak_of_references_and_lines_only(csv_result: Reconciliation) -> None:
    texts = [c.what for c in csv_result.contradictions]
    assert texts == [f"answers on lines 7 and 8 give different statuses for {R[5]}",
                     f"answer on line 10 (about {R[8]}) has a status that was not understood"]
    joined = " ".join(texts).casefold()
    assert not any(name in joined for name in NAMES)


def test_xlsx_answer_is_placed_the_same(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "answer.xlsx")
    assert placed(reconcile(SENT, read_answers(path, today=TODAY).rows)) == EXPECTED


def test_windows_1251_answer_is_placed_the_same(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "answer.csv", encoding="cp1251", delimiter=";")
    read = read_answers(path, today=TODAY)
    assert read.encoding == "windows-1251"
    assert placed(reconcile(SENT, read.rows, engine=default_engine())) == EXPECTED


def test_reference_whose_given_name_or_birth_date_disagrees() -> None:
    answers = [
        answer(2, R[1], full_name="Петренко Ольга Сергеевна"),
        answer(3, R[2], full_name="Олейник Мария", birth=PartialDate(2012, 7, 2)),
        answer(4, R[3], full_name="Ковальская Анна", birth=PartialDate(2011)),
        answer(5, R[6], full_name="Романюк Ваня"),  # a diminutive is the same name
    ]
    result = reconcile(SENT, answers)
    assert placed(result)["reference"] == [(2, R[1], False), (3, R[2], False), (4, R[3], True),
                                           (5, R[6], True)]
    assert [(c.kind, c.what) for c in result.contradictions] == [
        ("given_name_differs", f"reference says {R[1]}, but the given name on the answer "
         "(line 2) is different: check the reference"),
        ("birth_date_differs", f"reference says {R[2]}, but the birth date on the answer "
         "(line 3) is different: check the reference"),
    ]
    assert result.model_version is None  # every answer had its reference: no engine run


def test_one_row_answer_without_birth_date_needs_a_person() -> None:
    """One answer, no birth date: the packaged model scores it; a person confirms."""
    result = reconcile(SENT, [answer(2, full_name="Ковальская Анна Ивановна")])
    (match,) = result.matched
    assert (match.child.reference, match.how, match.sure) == (R[3], "names", False)
    assert match.probability is not None
    assert match.probability >= 0.2  # however high: without a birth date a person confirms
    assert len(result.missing) == 7


def test_one_row_answer_with_birth_date_is_sure() -> None:
    result = reconcile(SENT, [answer(2, full_name="Шевченко Татьяна Юрьевна",
                                     birth=PartialDate(2014, 6, 1))])
    assert placed(result)["names"] == [(2, R[8], True)]


def test_answer_that_could_be_two_children_is_a_contradiction_not_a_guess() -> None:
    namesakes = (
        SentChild(R[1], 1, "Олександр", "Петренко", "Сергійович", "M", None, None),
        SentChild(R[2], 2, "Олександр", "Петренко", "Сергійович", "M", None, None),
        SentChild(R[3], 3, "Марія", "Олійник", None, "F", None, None),
    )
    result = reconcile(namesakes, [answer(4, full_name="Петренко Александр Сергеевич")])
    assert result.matched == ()
    assert result.unknown == ()
    (contradiction,) = result.contradictions
    assert contradiction.kind == "ambiguous"
    assert contradiction.what == (f"answer on line 4 could be any of 2 children on the list "
                                  f"({R[1]}, {R[2]})")
    assert contradiction.child is None
    assert [c.reference for c in result.missing] == [R[3]]


def test_valid_reference_not_on_this_list() -> None:
    answers = [answer(2, NOT_ON_LIST, full_name="Олейник Мария Андреевна",
                      birth=PartialDate(2015, 7, 2)),
               answer(3, NOT_ON_LIST)]
    result = reconcile(SENT, answers)
    assert placed(result)["names"] == [(2, R[2], False)]
    assert [a.line for a in result.unknown] == [3]
    (contradiction,) = result.contradictions
    assert contradiction.kind == "reference_not_on_list"
    assert contradiction.what == (f"answer on line 2 gives reference {NOT_ON_LIST}, which is "
                                  f"not on this list, but its names match {R[2]}: check the "
                                  "reference")


def test_answers_by_names_look_at_children_not_yet_answered_first() -> None:
    """A row about a child already answered by reference is linked to that child only
    after the children still waiting, and never for sure: a person confirms it."""
    answers = [answer(2, R[1]), answer(3, full_name="Петренко Александр Сергеевич",
                                       birth=PartialDate(2012, 3, 14))]
    result = reconcile(SENT, answers)
    assert placed(result)["reference"] == [(2, R[1], True)]
    assert placed(result)["names"] == [(3, R[1], False)]
    assert result.unknown == ()


def test_nothing_to_reconcile() -> None:
    result = reconcile(SENT, [])
    assert [c.reference for c in result.missing] == list(R.values())
    assert (result.matched, result.unknown, result.contradictions) == ((), (), ())
    assert Counter(type(c) for c in result.missing) == Counter({SentChild: 8})


def test_a_mistyped_reference_about_a_child_already_answered_lands_with_that_child() -> None:
    """A second row about child 2, its reference mistyped: its names tie it to child 2
    (for a person to confirm), not to "not on the list"; a stranger stays unknown."""
    rows = [answer(2, R[2], full_name="Олійник Марія Андріївна", birth=PartialDate(2015, 7, 2)),
            answer(3, mistyped(R[2]), full_name="ОЛЕЙНИК Мария Андреевна",
                   birth=PartialDate(2015, 7, 2)),
            answer(4, full_name="Смирнов Никита Андреевич", birth=PartialDate(2013, 4, 4))]
    result = reconcile(SENT, rows)
    assert placed(result)["reference"] == [(2, R[2], True)]
    assert placed(result)["names"] == [(3, R[2], False)]
    assert placed(result)["unknown"] == [4]
    assert R[2] not in placed(result)["missing"]

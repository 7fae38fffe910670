"""Six reported children linked to found records and verified, and the other side's
answer to a list of them: what the mediation tests (service, command line, web) start
from."""

from __future__ import annotations

import csv
import datetime as dt
import io
import string
from pathlib import Path

from sqlalchemy import select

from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.mediation import check_reference
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.storage import Store
from kinlink.storage.tables import RecordRow
from kinlink.usecases.cases import advance_case, list_cases, open_missing_cases
from kinlink.usecases.review import decide_pair

WORKER = Actor("olena", UserRole.CASE_WORKER)

REPORTS = (
    "record_id,surname,given_name,patronymic,birth_date,sex,birth_place,last_known_place,"
    "notes\n"
    "R1,Петренко,Олександр,Сергійович,12.03.2014,ч,Херсон,Скадовськ,Мама просить повернути сина\n"
    "R2,Бойко,Ганна,Іванівна,01.06.2015,ж,Маріуполь,Таганрог,Бабуся чекає онуку\n"
    "R3,Ковальчук,Дмитро,Андрійович,23.11.2012,ч,Мелітополь,Генічеськ,Батько шукає сина\n"
    "R4,Шевченко,Марія,Олегівна,05.02.2016,ж,Бердянськ,Донецьк,Тітка хоче забрати дитину\n"
    "R5,Мельник,Ігор,Васильович,17.08.2010,ч,Херсон,Олешки,Мати просить допомоги\n"
    "R6,Ткаченко,Софія,Петрівна,30.09.2013,ж,Ізюм,Бєлгород,Родина шукає доньку\n"
)
FOUND = (
    "record_id,full_name,birth_date,sex,birth_place,last_known_place\n"
    "F1,ПЕТРЕНКО Александр Сергеевич,2014-03-12,м,Херсон,г. Анапа\n"
    "F2,БОЙКО Анна Ивановна,2015-06-01,ж,Мариуполь,г. Ростов-на-Дону\n"
    "F3,КОВАЛЬЧУК Дмитрий Андреевич,2012-11-23,м,Мелитополь,г. Евпатория\n"
    "F4,ШЕВЧЕНКО Мария Олеговна,2016-02-05,ж,Бердянск,г. Москва\n"
    "F5,МЕЛЬНИК Игорь Васильевич,2010-08-17,м,Херсон,г. Курск\n"
    "F6,ТКАЧЕНКО София Петровна,2013-09-30,ж,Изюм,г. Белгород\n"
)
FORBIDDEN = ("Скадовськ", "Таганрог", "Анапа", "Ростов", "Мама просить", "Бабуся чекає",
             "ПЕТРЕНКО Александр")
"""Never in the files of a channel that may not receive the last known place, the
family's words or the names children were found under."""

CHANNEL_FIELDS = ["name_uk", "name_ru", "name_latin_ru", "sex", "birth_date", "birth_place"]


def verified_cases(store: Store, folder: Path) -> dict[str, int]:
    """Import REPORTS and FOUND, decide each pair the same child and verify each case:
    record id (R1…R6) → case id."""
    for name, text, kind in (("reports.csv", REPORTS, SourceKind.FAMILY_REPORTS),
                             ("found.csv", FOUND, SourceKind.ADOPTION_REGISTRY)):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        import_file(store, ImportRequest(path=path, imported_by="tester", kind=kind),
                    today=dt.date(2026, 11, 26))
    with store.transaction() as session:
        ids = {r.record_id: r.id for r in session.execute(select(RecordRow)).scalars()}
    open_missing_cases(store, WORKER)
    cases = {c.sought_record_pk: c.id for c in list_cases(store, WORKER)}
    result = {}
    for n in range(1, 7):
        decide_pair(store, WORKER, ids[f"R{n}"], ids[f"F{n}"], DecisionVerdict.SAME)
        case = cases[ids[f"R{n}"]]
        advance_case(store, WORKER, case, 1, CaseStatus.LOCATED, "in the registry")
        advance_case(store, WORKER, case, 2, CaseStatus.IDENTITY_VERIFIED, "birth certificate",
                     EvidenceKind.DOCUMENTS, f"BC-{n}")
        result[f"R{n}"] = case
    return result


def answer_csv(refs: dict[str, str]) -> bytes:
    """The other side's answer: R1 by reference, R2 re-typed in Russian without one, R3's
    reference with another child's name (a contradiction), R5 an adult now, a child who
    was not on the list; nothing about R4 and R6."""
    rows = [
        ["reference", "full_name", "birth_date", "status", "comment"],
        [refs["R1"], "ПЕТРЕНКО Александр Сергеевич", "12.03.2014", "будет возвращён", ""],
        ["", "БОЙКО Анна Ивановна", "01.06.2015", "к возвращению", "в семье опекуна"],
        [refs["R3"], "ИВАНОВА Елена Петровна", "2009-01-01", "найден", ""],
        [refs["R5"], "МЕЛЬНИК Игорь Васильевич", "17.08.2010", "совершеннолетний", ""],
        ["", "СИДОРЕНКО Кирилл Павлович", "03.04.2011", "найден", ""],
    ]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode("utf-8")


def write_answer_csv(path: Path, header: list[str], rows: list[list[str]], *,
                     encoding: str = "utf-8", delimiter: str = ",") -> Path:
    """An answer file as the other side may send it: any encoding, any delimiter."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def ref(body: str) -> str:
    """The valid reference with this 7-character body (the check character computed)."""
    for char in string.digits + string.ascii_uppercase:
        reference = check_reference(f"KL-{body[:4]}-{body[4:]}{char}")
        if reference is not None:
            return reference
    raise AssertionError(body)


def mistyped(reference: str) -> str:
    """``reference`` with a wrong check character."""
    wrong = reference[:-1] + ("0" if reference[-1] != "0" else "1")
    assert check_reference(wrong) is None
    return wrong

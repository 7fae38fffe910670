"""A store with a Russian found list imported, and the Ukrainian report a mother gives on
the hotline about one of its children: shared by the tests of registration at every
door."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kinlink.domain.access import Actor
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest
from kinlink.storage import Store
from kinlink.usecases.importing import import_list

WORKER = Actor("worker", UserRole.CASE_WORKER, 1)
FOUND_RU = (
    "№,Фамилия,Имя,Отчество,Дата рождения,Место рождения,Пол\n"
    "1,Коваленко,Александр,Иванович,12.03.2015,Мариуполь,м\n"
    "2,Сидоренко,Мария,Петровна,01.07.2013,Херсон,ж\n"
    "3,Бондаренко,Николай,Сергеевич,2012,Бердянск,м\n"
)
REPORT_UK = {
    "surname": "Коваленко", "given_name": "Олександр", "patronymic": "Іванович",
    "sex": "ч", "birth_date": "12.03.2015", "birth_place": "Маріуполь",
    "last_known_place": "Маріуполь", "event_date": "04.2022",
    "notes": "вивезений з лікарні", "documents": "свідоцтво про народження",
    "reporter_name": "Коваленко Ганна", "reporter_relationship": "мати",
    "reporter_contact": "+380501234567",
}


def import_found_list(store: Store, folder: Path, actor: Actor = WORKER) -> int:
    """Import the Russian found list as ``actor`` and link it; returns its source id."""
    path = folder / "found-ru.csv"
    path.write_text(FOUND_RU, encoding="utf-8")
    outcome = import_list(store, actor, ImportRequest(
        path=path, imported_by=actor.name, kind=SourceKind.CAMP_LIST,
        received_on=dt.date(2026, 11, 1)))
    return outcome.imported.source_id

"""A reported child's possible identities in the store, where the children moved with it
were found and linked: the record of their intake ranks above a stranger of the same
window, and says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kinlink.domain.access import Actor
from kinlink.domain.records import Role, SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching.store import match_store
from kinlink.storage import Store
from kinlink.storage.review import cluster_of
from kinlink.storage.tables import RecordRow
from kinlink.usecases.children import possible_identities

WORKER = Actor("olena", UserRole.CASE_WORKER)
pytestmark = pytest.mark.slow

HEADER = ("record_id,surname,given_name,patronymic,sex,birth_date,birth_place,institution,"
          "moved_on,group\n")
HOME, LEFT_ON = '"Дитячий будинок № 5, м. Херсон"', "14.10.2022"
THERE, ARRIVED = '"Детский дом № 2, г. Симферополь"', "15.10.2022"
MATES = (("Бондар", "Ольга", "Петрівна", "Бондарь", "Ольга", "Петровна", "03.01.2014"),
         ("Ткаченко", "Софія", "Іванівна", "Ткаченко", "София", "Ивановна", "11.02.2013"),
         ("Мельник", "Дарина", "Олегівна", "Мельник", "Дарина", "Олеговна", "21.03.2012"),
         ("Савчук", "Ірина", "Василівна", "Савчук", "Ирина", "Васильевна", "05.06.2014"),
         ("Кравець", "Олена", "Андріївна", "Кравец", "Елена", "Андреевна", "17.07.2013"))


def _import(store: Store, path: Path, kind: SourceKind, role: Role) -> None:
    import_file(store, ImportRequest(path=path, imported_by="tester", kind=kind, role=role))


@pytest.fixture
def moved(store: Store, tmp_path: Path) -> dict[str, int]:
    """The reported child, its renamed registry entry and a stranger, by name: the
    stranger, born the same day in the same town and moved the same day (alone, to
    another home), is read first and weighs as much on its own."""
    reports = tmp_path / "reports.csv"
    reports.write_text(HEADER + "".join(
        f"L{i},{uk},{given},{father},ж,{born},Херсон,{HOME},{LEFT_ON},\n"
        for i, (uk, given, father, _ru, _g, _f, born) in enumerate(MATES, start=1))
        + f"L0,Коваленко,Марія,Іванівна,ж,02.04.2015,Маріуполь,{HOME},{LEFT_ON},\n",
        encoding="utf-8")
    registry = tmp_path / "registry.csv"
    registry.write_text(HEADER + "".join(
        f"R{i},{ru},{given},{father},ж,{born},Херсон,{THERE},{ARRIVED},ПР-0007\n"
        for i, (_uk, _g, _f, ru, given, father, born) in enumerate(MATES, start=1))
        + "R9,Волкова,Дарья,Ильинична,ж,20.05.2015,Симферополь,"
          f"\"Детский дом № 9, г. Ростов-на-Дону\",{ARRIVED},\n"
        + f"R0,Орлова,Анна,Сергеевна,ж,20.05.2015,Симферополь,{THERE},{ARRIVED},ПР-0007\n",
        encoding="utf-8")
    _import(store, reports, SourceKind.FAMILY_REPORTS, Role.SOUGHT)
    _import(store, registry, SourceKind.ADOPTION_REGISTRY, Role.FOUND)
    match_store(store, actor="tester")
    with store.transaction() as session:
        ids = dict(session.execute(select(RecordRow.record_id, RecordRow.id)).all())
        for i in range(1, len(MATES) + 1):  # the mates kept their names: linked
            assert ids[f"R{i}"] in cluster_of(session, ids[f"L{i}"]).records
    return {"child": ids["L0"], "renamed": ids["R0"], "stranger": ids["R9"]}


def test_the_intake_of_the_childs_linked_mates_ranks_first_and_says_why(
        store: Store, moved: dict[str, int]) -> None:
    found = possible_identities(store, WORKER, moved["child"])
    order = [c.record.id for c in found.candidates]
    assert order[:2] == [moved["renamed"], moved["stranger"]]
    renamed, stranger = found.candidates[:2]
    assert [r.code for r in renamed.listed_for][-1] == "moved_with"
    assert "moved_with" not in [r.code for r in stranger.listed_for]
    line = next(f for f in renamed.explanation.fields if f.field == "moved together")
    assert line.weight > 0
    assert "ПР-0007" in line.words
    assert line.words.startswith("5 other children from the same institution")

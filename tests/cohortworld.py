"""Children moved together (issue 14.4): a family-report list of six girls who left one
children's home on the same day, and an adoption registry that names their intake. Five
kept their names and are linked by the matcher; the sixth (Коваленко Марія) is in the
registry renamed (Орлова Анна, another birthplace and birth date); a stranger born the
same day as the renamed entry arrived the same day from another home, alone.

Used by the identities tests of the store (``tests/review``) and of the browser
(``tests/web``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from kinlink.domain.records import Role, SourceKind
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching.store import match_store
from kinlink.storage import Store
from kinlink.storage.review import cluster_of
from kinlink.storage.tables import RecordRow

HEADER = ("record_id,surname,given_name,patronymic,sex,birth_date,birth_place,institution,"
          "moved_on,group\n")
HOME, LEFT_ON = '"Дитячий будинок № 5, м. Херсон"', "14.10.2022"
THERE, ARRIVED = '"Детский дом № 2, г. Симферополь"', "15.10.2022"
INTAKE = "ПР-0007"
MATES = (("Бондар", "Ольга", "Петрівна", "Бондарь", "Ольга", "Петровна", "03.01.2014"),
         ("Ткаченко", "Софія", "Іванівна", "Ткаченко", "София", "Ивановна", "11.02.2013"),
         ("Мельник", "Дарина", "Олегівна", "Мельник", "Дарина", "Олеговна", "21.03.2012"),
         ("Савчук", "Ірина", "Василівна", "Савчук", "Ирина", "Васильевна", "05.06.2014"),
         ("Кравець", "Олена", "Андріївна", "Кравец", "Елена", "Андреевна", "17.07.2013"))


def write_lists(folder: Path) -> tuple[Path, Path]:
    """The family reports and the registry, written in ``folder``."""
    reports = folder / "reports.csv"
    reports.write_text(HEADER + "".join(
        f"L{i},{uk},{given},{father},ж,{born},Херсон,{HOME},{LEFT_ON},\n"
        for i, (uk, given, father, _ru, _g, _f, born) in enumerate(MATES, start=1))
        + f"L0,Коваленко,Марія,Іванівна,ж,02.04.2015,Маріуполь,{HOME},{LEFT_ON},\n",
        encoding="utf-8")
    registry = folder / "registry.csv"
    registry.write_text(HEADER + "".join(
        f"R{i},{ru},{given},{father},ж,{born},Херсон,{THERE},{ARRIVED},{INTAKE}\n"
        for i, (_uk, _g, _f, ru, given, father, born) in enumerate(MATES, start=1))
        + "R9,Волкова,Дарья,Ильинична,ж,20.05.2015,Симферополь,"
          f"\"Детский дом № 9, г. Ростов-на-Дону\",{ARRIVED},\n"
        + f"R0,Орлова,Анна,Сергеевна,ж,20.05.2015,Симферополь,{THERE},{ARRIVED},{INTAKE}\n",
        encoding="utf-8")
    return reports, registry


def import_and_link(store: Store, folder: Path) -> dict[str, int]:
    """Import both lists into ``store``, link them with the real matcher and return the
    store's ids of the reported child (``child``), its renamed registry entry
    (``renamed``) and the stranger (``stranger``); checks that the five mates were
    linked under their own names."""
    reports, registry = write_lists(folder)
    for path, kind, role in ((reports, SourceKind.FAMILY_REPORTS, Role.SOUGHT),
                             (registry, SourceKind.ADOPTION_REGISTRY, Role.FOUND)):
        import_file(store, ImportRequest(path=path, imported_by="tester", kind=kind,
                                         role=role))
    match_store(store, actor="tester")
    with store.transaction() as session:
        ids = dict(session.execute(select(RecordRow.record_id, RecordRow.id)).all())
        for i in range(1, len(MATES) + 1):  # the mates kept their names: linked
            assert ids[f"R{i}"] in cluster_of(session, ids[f"L{i}"]).records
    return {"child": ids["L0"], "renamed": ids["R0"], "stranger": ids["R9"]}

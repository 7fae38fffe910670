"""Possible new identities of a reported child, from the store (SQLite and PostgreSQL,
the real matcher): an adopted child's registry entry is among them, the window and the
exclusions hold, the read is audited and refused to a viewer."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from kinlink.demo.generator import DemoConfig, generate
from kinlink.domain.access import Actor
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.records import Role, SourceKind
from kinlink.domain.users import UserRole
from kinlink.errors import AccessDeniedError, NotFoundError
from kinlink.ingest import ImportRequest, import_file
from kinlink.linkage.ranking import in_window
from kinlink.matching.store import match_store
from kinlink.storage import Store
from kinlink.storage.review import cluster_of
from kinlink.storage.tables import AuditEventRow, RecordRow, SourceRow
from kinlink.usecases.children import Identities, possible_identities
from kinlink.usecases.review import decide_pair

WORKER = Actor("olena", UserRole.CASE_WORKER)
pytestmark = pytest.mark.slow


@pytest.fixture
def adopted(store: Store, tmp_path: Path) -> tuple[int, int]:
    """(a reported child's record, its adoption registry entry under a new identity)."""
    files = {f.path.name: f for f in generate(tmp_path, DemoConfig(children=200, seed=7))}
    for name in ("family_reports.csv", "adoption_registry.csv"):
        item = files[name]
        import_file(store, ImportRequest(path=item.path, imported_by="tester",
                                         kind=SourceKind(item.kind), role=Role(item.role)))
    match_store(store, actor="tester")
    with (tmp_path / "truth.csv").open(encoding="utf-8") as handle:
        truth = {(r["file"], r["record_id"]): r["child_id"] for r in csv.DictReader(handle)}
    with store.transaction() as session:
        rows = session.execute(select(RecordRow, SourceRow.original_filename).join(
            SourceRow, SourceRow.id == RecordRow.source_id)).all()
        child_of = {r.id: truth[(f, r.record_id)] for r, f in rows}
        renamed = [r for r, _f in rows if r.notes == "усыновление"]
        reports = {child_of[r.id]: r.id for r, f in rows if f == "family_reports.csv"
                   and r.birth is not None}
        for entry in renamed:
            report = reports.get(child_of[entry.id])
            if report is not None and entry.id not in cluster_of(session, report).records:
                return report, entry.id
    raise AssertionError("the demo has no adopted child left unlinked")


def test_an_adopted_childs_registry_entry_is_among_its_possible_identities(
        store: Store, adopted: tuple[int, int]) -> None:
    report, entry = adopted
    found = possible_identities(store, WORKER, report, limit=500)
    ids = [c.record.id for c in found.candidates]
    assert entry in ids
    child = found.child
    assert child.birth is not None
    assert found.considered >= found.listed == len(ids)
    assert not found.cut
    weights = [c.weight for c in found.candidates]
    assert weights == sorted(weights, reverse=True)
    for candidate in found.candidates:
        assert candidate.record.role == "found"
        assert in_window(child.birth, candidate.record.birth)
        assert candidate.record.sex in (child.sex, None)
        assert candidate.explanation.fields
        assert candidate.listed_for[0].code == "born_near"
    with store.transaction() as session:
        assert not set(ids) & set(cluster_of(session, report).records)
        events = session.execute(select(AuditEventRow).where(
            AuditEventRow.action == "child.identities")).scalars().all()
    assert [(e.actor, e.entity_id) for e in events] == [("olena", str(report))]
    assert events[0].details == {"considered": found.considered, "cut": False}

    decide_pair(store, WORKER, report, entry, DecisionVerdict.DIFFERENT, "checked the photo")
    again = possible_identities(store, WORKER, report, limit=500)
    assert entry not in [c.record.id for c in again.candidates]
    assert len(possible_identities(store, WORKER, report, limit=2).candidates) <= 2


def test_identities_are_refused_in_words(store: Store, adopted: tuple[int, int]) -> None:
    report, _entry = adopted
    with pytest.raises(AccessDeniedError):
        possible_identities(store, Actor("v", UserRole.VIEWER), report)
    with pytest.raises(NotFoundError):
        possible_identities(store, WORKER, 10**9)


REPORTS = ("record_id,surname,given_name,patronymic,sex,birth_date,birth_place\n"
           "F-1,Коваленко,Марія,Іванівна,ж,,Маріуполь\n"
           "F-2,Бойко,Олександр,Петрович,ч,12.03.2014,Херсон\n")
"""Two reports: a girl without a birth date, a boy with one."""

REGISTRY = ("record_id,full_name,birth_date,sex,birth_place\n"
            "R-1,ВОЛКОВА Мария Сергеевна,2015-06-01,ж,г. Мариуполь\n"
            "R-2,СМИРНОВА Мария Петровна,2015-05-20,ж,г. Тверь\n"
            "R-3,ПЕТРОВА Анна Олеговна,2015-04-02,ж,г. Мариуполь\n"
            "R-4,ОРЛОВ Александр Ильич,2015-04-02,м,г. Мариуполь\n"
            "R-5,КУЗНЕЦОВА Маша,,ж,\n"
            "R-6,ИВАНОВ Александр Викторович,,м,г. Херсон\n"
            "R-7,СИДОРОВ Дмитрий Викторович,,м,г. Херсон\n"
            "R-8,ЗАЙЦЕВ Александр Олегович,2015-06-10,м,г. Херсон\n")
"""An adoption registry: F-1 renamed (R-1), two more girls called Мария (R-2; R-5 with
no date), a girl and a boy with other names; boys without a date, one called
Александр (R-6), one not (R-7); a boy born fifteen months after F-2 (R-8)."""


@pytest.fixture
def undated(store: Store, tmp_path: Path) -> dict[str, int]:
    """Record ids by ``record_id`` of the two lists above, imported."""
    for name, text, kind in (("reports.csv", REPORTS, SourceKind.FAMILY_REPORTS),
                             ("registry.csv", REGISTRY, SourceKind.ADOPTION_REGISTRY)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        import_file(store, ImportRequest(path=tmp_path / name, imported_by="tester",
                                         kind=kind))
    with store.transaction() as session:
        return {r.record_id: r.id for r in session.execute(select(RecordRow)).scalars()}


def _listed(found: Identities) -> dict[str, list[str]]:
    return {c.record.record_id: [r.code for r in c.listed_for] for c in found.candidates}


def test_a_child_without_a_birth_date_gets_ranked_candidates(
        store: Store, undated: dict[str, int]) -> None:
    found = possible_identities(store, WORKER, undated["F-1"])
    assert found.child.birth is None
    assert found.candidates[0].record.record_id == "R-1"  # the name and the birthplace
    assert _listed(found) == {
        "R-1": ["no_child_date", "given_name", "birth_place"],
        "R-2": ["no_child_date", "given_name"],
        "R-5": ["no_child_date", "given_name"],
    }  # not the girl with another name, not the boy
    assert found.listed == 3
    assert found.considered >= 3
    first = {f.field: f.level for f in found.candidates[0].explanation.fields}
    assert first["birth date"] == "missing"


def test_an_entry_without_a_birth_date_appears_with_its_reason(
        store: Store, undated: dict[str, int]) -> None:
    found = possible_identities(store, WORKER, undated["F-2"])
    listed = _listed(found)
    assert listed == {"R-6": ["no_date", "given_name", "birth_place"]}
    reason = found.candidates[0].listed_for[0]
    assert reason.words.startswith("no birth date on this record")

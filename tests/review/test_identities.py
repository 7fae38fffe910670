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
from kinlink.errors import AccessDeniedError, KinlinkError, NotFoundError
from kinlink.ingest import ImportRequest, import_file
from kinlink.linkage.ranking import in_window
from kinlink.matching.store import match_store
from kinlink.storage import Store
from kinlink.storage.review import cluster_of
from kinlink.storage.tables import AuditEventRow, RecordRow, SourceRow
from kinlink.usecases.children import possible_identities
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
    assert found.considered == found.in_window == len(ids)
    weights = [c.weight for c in found.candidates]
    assert weights == sorted(weights, reverse=True)
    for candidate in found.candidates:
        assert candidate.record.role == "found"
        assert in_window(child.birth, candidate.record.birth)
        assert candidate.record.sex in (child.sex, None)
        assert candidate.explanation.fields
    with store.transaction() as session:
        assert not set(ids) & set(cluster_of(session, report).records)
        events = session.execute(select(AuditEventRow).where(
            AuditEventRow.action == "child.identities")).scalars().all()
    assert [(e.actor, e.entity_id) for e in events] == [("olena", str(report))]
    assert events[0].details == {"considered": len(ids), "in_window": len(ids)}

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
    with store.transaction() as session:
        undated = session.execute(select(RecordRow.id).where(
            RecordRow.birth_year.is_(None))).scalars().first()
    if undated is not None:
        with pytest.raises(KinlinkError, match="no window to look in"):
            possible_identities(store, WORKER, undated)

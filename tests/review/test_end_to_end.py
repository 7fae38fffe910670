"""From two imported lists to a child marked reunited, through the real matcher."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from kinlink.audit import verify_chain
from kinlink.demo.generator import DemoConfig, generate
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.records import Role, SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching.store import match_store
from kinlink.storage import Store
from kinlink.storage.tables import RecordRow, SourceRow
from kinlink.usecases.cases import advance_case, open_missing_cases, read_case
from kinlink.usecases.children import read_child
from kinlink.usecases.review import decide_pair, review_queue

WORKER = Actor("olena", UserRole.CASE_WORKER)
LIAISON = Actor("taras", UserRole.MEDIATOR_LIAISON)


def _import_two_lists(store: Store, tmp_path: Path) -> dict[tuple[str, str], str]:
    files = {f.path.name: f for f in generate(tmp_path, DemoConfig(children=120, seed=7))}
    for name in ("family_reports.csv", "adoption_registry.csv"):
        item = files[name]
        import_file(store, ImportRequest(path=item.path, imported_by="tester",
                                         kind=SourceKind(item.kind), role=Role(item.role)))
    with (tmp_path / "truth.csv").open(encoding="utf-8") as handle:
        return {(r["file"], r["record_id"]): r["child_id"] for r in csv.DictReader(handle)}


@pytest.mark.slow
def test_two_lists_to_a_reunited_child(store: Store, tmp_path: Path) -> None:
    truth = _import_two_lists(store, tmp_path)
    result = match_store(store, actor="tester")
    assert result.pairs > 0
    with store.transaction() as session:
        rows = session.execute(select(RecordRow.id, SourceRow.original_filename,
                                      RecordRow.record_id)
                               .join(SourceRow, SourceRow.id == RecordRow.source_id)).all()
    child_of = {pk: truth[(file, record_id)] for pk, file, record_id in rows}
    queue = review_queue(store, WORKER, limit=200)
    true_pair = next(q for q in queue
                     if child_of[q.low.id] == child_of[q.high.id] and "sought" in
                     (q.low.role, q.high.role))
    sought = true_pair.low if true_pair.low.role == "sought" else true_pair.high
    decide_pair(store, WORKER, true_pair.low.id, true_pair.high.id, DecisionVerdict.SAME,
           "same birth date, Russian form of the name")
    assert (true_pair.low.id, true_pair.high.id) not in {
        (q.low.id, q.high.id) for q in review_queue(store, WORKER, limit=500)}
    open_missing_cases(store, WORKER)
    (case,) = read_child(store, WORKER, sought.id).cases
    steps = [
        (WORKER, CaseStatus.LOCATED, None, None),
        (WORKER, CaseStatus.IDENTITY_VERIFIED, EvidenceKind.DNA, "DNA-2026-0042"),
        (LIAISON, CaseStatus.RETURN_REQUESTED, EvidenceKind.CHANNEL_LIST, "list 12, line 7"),
        (LIAISON, CaseStatus.IN_RETURN, EvidenceKind.OFFICIAL_RECORD, "note 2026/118"),
        (WORKER, CaseStatus.RETURNED, EvidenceKind.RETURN_RECORD, "border crossing 31.10"),
        (WORKER, CaseStatus.REUNITED, EvidenceKind.FAMILY_CONFIRMATION, "mother, in person"),
    ]
    version = case.version
    for actor, target, evidence, reference in steps:
        moved = advance_case(store, actor, case.id, version, target, f"step to {target}",
                             evidence, reference)
        version = moved.version
    final = read_case(store, WORKER, case.id)
    assert final.case.status == CaseStatus.REUNITED
    assert [e.to_status for e in final.history][-1] == CaseStatus.REUNITED
    assert len(final.history) == 7
    with store.transaction() as session:
        assert verify_chain(session).intact

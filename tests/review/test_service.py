"""Review decisions, children and cases on a real store (SQLite and PostgreSQL).

Candidate pairs are written the way ``kinlink match`` writes them (through the linkage
repository); the end-to-end test in test_end_to_end.py runs the real matcher.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.errors import (
    AccessDeniedError,
    ConflictError,
    KinlinkError,
    TransitionRefusedError,
)
from kinlink.ingest import ImportRequest, import_file
from kinlink.storage import Store
from kinlink.storage.linkage import LinkageRepository, NewPair
from kinlink.storage.review import QueueFilter
from kinlink.storage.tables import AuditEventRow, RecordRow
from kinlink.usecases.cases import (
    advance_case,
    case_counts,
    list_cases,
    open_missing_cases,
    read_case,
)
from kinlink.usecases.children import read_child
from kinlink.usecases.review import decide_pair, review_queue, undo_decision

WORKER = Actor("olena", UserRole.CASE_WORKER)
SUPERVISOR = Actor("maria", UserRole.SUPERVISOR)
LIAISON = Actor("taras", UserRole.MEDIATOR_LIAISON)
VIEWER = Actor("ivan", UserRole.VIEWER)

REPORTS = ("record_id,surname,given_name,birth_date,sex,birth_place\n"
           "R1,Петренко,Олександр,12.03.2014,ч,Херсон\n"
           "R2,Бойко,Ганна,2015,ж,Маріуполь\n")
FOUND = ("record_id,full_name,birth_date,sex,birth_place\n"
         "F1,ПЕТРЕНКО Александр Сергеевич,2014-03-12,м,Херсон\n"
         "F2,Petrenko Aleksandr,2014-03-12,м,Kherson\n"
         "F3,БОЙКО Анна,2015-06-01,ж,Мариуполь\n")


@pytest.fixture
def ids(store: Store, tmp_path: Path) -> dict[str, int]:
    for name, text, kind in (("reports.csv", REPORTS, SourceKind.FAMILY_REPORTS),
                             ("found.csv", FOUND, SourceKind.ADOPTION_REGISTRY)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        import_file(store, ImportRequest(path=path, imported_by="tester", kind=kind),
                    today=dt.date(2026, 11, 26))
    with store.transaction() as session:
        return {r.record_id: r.id for r in session.execute(select(RecordRow)).scalars()}


def _pairs(store: Store, pairs: list[tuple[int, int, float, str]]) -> None:
    """Candidate pairs as a model run keeps them."""
    with store.transaction() as session:
        repository = LinkageRepository(session)
        model = repository.add_model({"version": "test-1", "spec_version": "test",
                                      "spec_digest": "d" * 64}, {}, 5, "test", "tester")
        run = repository.start_run(model.id, "d" * 64, "tester")
        repository.upsert_pairs(
            [NewPair(a, b, 5.0, p, d, {"fields": [{"field": "given name", "words": "same",
                                                   "weight": 4.0}]}) for a, b, p, d in pairs],
            model.id, run.id)


def test_queue_puts_reported_children_first_and_hides_settled_pairs(
    store: Store, ids: dict[str, int]
) -> None:
    _pairs(store, [(ids["F1"], ids["F2"], 0.97, "review"), (ids["R1"], ids["F1"], 0.80, "review"),
                   (ids["R2"], ids["F3"], 0.60, "review"), (ids["R1"], ids["F2"], 0.999, "match")])
    queue = review_queue(store, WORKER, limit=10)
    assert [(q.low.record_id, q.high.record_id) for q in queue] == [
        ("R1", "F1"), ("R2", "F3"), ("F1", "F2")]
    decide_pair(store, WORKER, ids["F1"], ids["R1"], DecisionVerdict.DIFFERENT, "other child")
    decide_pair(store, WORKER, ids["R2"], ids["F3"], DecisionVerdict.UNSURE)
    queue = review_queue(store, WORKER, limit=10)
    assert [(q.low.record_id, q.high.record_id, q.unsure) for q in queue] == [
        ("F1", "F2", False), ("R2", "F3", True)]
    filtered = review_queue(store, WORKER, QueueFilter(region="Маріуполь"), limit=10)
    assert [q.low.record_id for q in filtered] == ["R2"]
    with pytest.raises(AccessDeniedError):
        review_queue(store, VIEWER)


def test_a_different_pair_never_comes_back_after_a_new_model_run(
    store: Store, ids: dict[str, int]
) -> None:
    _pairs(store, [(ids["R1"], ids["F1"], 0.80, "review")])
    decide_pair(store, WORKER, ids["R1"], ids["F1"], DecisionVerdict.DIFFERENT)
    _pairs(store, [(ids["R1"], ids["F1"], 0.95, "review")])  # the model scores it again
    assert review_queue(store, WORKER) == []


def test_decisions_supersede_and_undo_restores_the_one_before(
    store: Store, ids: dict[str, int]
) -> None:
    first = decide_pair(store, WORKER, ids["R1"], ids["F1"], DecisionVerdict.SAME).decision
    second = decide_pair(store, SUPERVISOR, ids["F1"], ids["R1"],
                         DecisionVerdict.DIFFERENT).decision
    assert second.supersedes_id == first.id
    undone = undo_decision(store, SUPERVISOR, ids["R1"], ids["F1"]).decision
    assert (undone.verdict, undone.supersedes_id) == ("same", second.id)
    back_to_nothing = undo_decision(store, SUPERVISOR, ids["R1"], ids["F1"]).decision
    assert back_to_nothing.verdict == "different"  # undo of an undo: a new fact each time
    with pytest.raises(KinlinkError, match="no decision"):
        undo_decision(store, WORKER, ids["R2"], ids["F3"])
    with pytest.raises(AccessDeniedError):
        decide_pair(store, VIEWER, ids["R1"], ids["F1"], DecisionVerdict.SAME)
    with store.transaction() as session:
        actions = session.execute(select(AuditEventRow.action)).scalars().all()
    assert actions.count("decision.recorded") == 2
    assert actions.count("decision.undone") == 2


def test_children_are_rebuilt_from_decisions_and_automatic_links(
    store: Store, ids: dict[str, int]
) -> None:
    _pairs(store, [(ids["R1"], ids["F2"], 0.999, "match")])
    assert [r.record_id for r in read_child(store, WORKER, ids["R1"]).records] == ["R1", "F2"]
    decide_pair(store, WORKER, ids["F2"], ids["F1"], DecisionVerdict.SAME)
    child = read_child(store, WORKER, ids["F1"])
    assert sorted(r.record_id for r in child.records) == ["F1", "F2", "R1"]
    assert not child.cluster.in_conflict
    # reverse the automatic link
    decide_pair(store, WORKER, ids["R1"], ids["F2"], DecisionVerdict.DIFFERENT)
    assert [r.record_id for r in read_child(store, WORKER, ids["R1"]).records] == ["R1"]


def test_a_chain_across_a_different_decision_is_a_conflict_not_a_merge(
    store: Store, ids: dict[str, int]
) -> None:
    decide_pair(store, WORKER, ids["R1"], ids["F1"], DecisionVerdict.SAME)
    decide_pair(store, WORKER, ids["F1"], ids["F2"], DecisionVerdict.SAME)
    decide_pair(store, WORKER, ids["R1"], ids["F2"], DecisionVerdict.DIFFERENT)
    child = read_child(store, WORKER, ids["R1"])
    assert child.cluster.in_conflict
    assert [(p.low, p.high) for p in child.cluster.conflicts] == [(ids["R1"], ids["F2"])]
    open_missing_cases(store, WORKER)
    case = next(c for c in list_cases(store, WORKER) if c.sought_record_pk == ids["R1"])
    with pytest.raises(ConflictError, match="in conflict"):
        advance_case(store, WORKER, case.id, case.version, CaseStatus.LOCATED, "found")


def test_one_case_per_reported_child(store: Store, ids: dict[str, int]) -> None:
    assert open_missing_cases(store, WORKER) == 2
    assert open_missing_cases(store, WORKER) == 0
    cases = list_cases(store, WORKER)
    assert sorted(c.sought_record_pk for c in cases) == sorted([ids["R1"], ids["R2"]])
    assert all(c.status == CaseStatus.REPORTED for c in cases)
    assert case_counts(store, WORKER) == [(CaseStatus.REPORTED, 2)]
    with pytest.raises(AccessDeniedError):
        case_counts(store, VIEWER)


def _case(store: Store, record: int) -> int:
    open_missing_cases(store, WORKER)
    return next(c.id for c in list_cases(store, WORKER) if c.sought_record_pk == record)


def test_located_needs_a_found_record_linked(store: Store, ids: dict[str, int]) -> None:
    case = _case(store, ids["R1"])
    with pytest.raises(TransitionRefusedError, match="no found record linked"):
        advance_case(store, WORKER, case, 1, CaseStatus.LOCATED, "seen")
    decide_pair(store, WORKER, ids["R1"], ids["F1"], DecisionVerdict.SAME)
    moved = advance_case(store, WORKER, case, 1, CaseStatus.LOCATED, "in the registry")
    assert (moved.status, moved.version) == (CaseStatus.LOCATED, 2)


def test_a_stale_version_is_a_conflict_and_overwrites_nothing(
    store: Store, ids: dict[str, int]
) -> None:
    case = _case(store, ids["R1"])
    decide_pair(store, WORKER, ids["R1"], ids["F1"], DecisionVerdict.SAME)
    advance_case(store, WORKER, case, 1, CaseStatus.LOCATED, "first worker")
    with pytest.raises(ConflictError, match="changed by someone else"):
        advance_case(store, SUPERVISOR, case, 1, CaseStatus.LOCATED, "second worker")
    found = read_case(store, WORKER, case)
    assert [e.reason for e in found.history] == ["reported child", "first worker"]


def test_refusals_for_role_evidence_and_reference(store: Store, ids: dict[str, int]) -> None:
    case = _case(store, ids["R1"])
    decide_pair(store, WORKER, ids["R1"], ids["F1"], DecisionVerdict.SAME)
    advance_case(store, WORKER, case, 1, CaseStatus.LOCATED, "registry")
    with pytest.raises(TransitionRefusedError, match="needs evidence"):
        advance_case(store, WORKER, case, 2, CaseStatus.IDENTITY_VERIFIED, "looks right")
    with pytest.raises(KinlinkError, match="where the evidence is"):
        advance_case(store, WORKER, case, 2, CaseStatus.IDENTITY_VERIFIED, "birth cert",
                     EvidenceKind.DOCUMENTS)
    with pytest.raises(AccessDeniedError, match="viewer may not move a case"):
        advance_case(store, VIEWER, case, 2, CaseStatus.IDENTITY_VERIFIED, "birth cert",
                     EvidenceKind.DOCUMENTS, "BC-1")
    with pytest.raises(TransitionRefusedError, match="mediator_liaison may not"):
        advance_case(store, LIAISON, case, 2, CaseStatus.IDENTITY_VERIFIED, "birth cert",
                     EvidenceKind.DOCUMENTS, "BC-1")
    with pytest.raises(AccessDeniedError):
        read_case(store, VIEWER, case)

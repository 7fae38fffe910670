"""What each agency's lists show of the other agency's data: the review queue, the cases
and their counts, a child, the candidates for a list — only what it sees, filtered in the
query so that paging holds; and an agency's decision or linking never opens a case for
another agency's reported child. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from kinlink.accounts.admin import AccountAdmin
from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus
from kinlink.domain.decisions import DecisionVerdict, PairKey
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.errors import NotFoundError
from kinlink.ingest import ImportRequest, import_file
from kinlink.storage import Store
from kinlink.storage.review import DecisionRepository
from kinlink.storage.tables import AuditEventRow, RecordRow
from kinlink.usecases.cases import case_counts, list_cases, open_missing_cases
from kinlink.usecases.children import read_child
from kinlink.usecases.lists import list_candidates
from kinlink.usecases.review import decide_pair, review_queue
from scopeworld import AgencyWorld, build
from storecopies import WorldBuilder

OPERATOR = Actor("operator", UserRole.SUPERVISOR)


def _world(store: Store, settings: Settings, folder: Path) -> dict[str, AgencyWorld]:
    other = AccountAdmin(store).create_agency("test", "NGO hotline").id
    return build(store, folder, other)


@pytest.fixture
def store_world() -> WorldBuilder:
    """Each test starts from a copy of :func:`_world`, built once per session
    (:mod:`storecopies`)."""
    return _world


@pytest.fixture
def world(built_world: dict[str, AgencyWorld]) -> dict[str, AgencyWorld]:
    return built_world


def _sources(store: Store, world: dict[str, AgencyWorld]) -> dict[int, str]:
    return {s: name for name, w in world.items() for s in w.sources}


def test_the_queue_holds_only_pairs_whose_two_records_the_agency_sees(
        store: Store, world: dict[str, AgencyWorld]) -> None:
    owner = _sources(store, world)
    everything = review_queue(store, OPERATOR, limit=100)
    across = [i for i in everything if owner[i.low.source_id] != owner[i.high.source_id]]
    assert across, "the world has no pair across agencies waiting: the test shows nothing"
    for name, mine in world.items():
        shown = review_queue(store, mine.worker, limit=100)
        assert shown
        assert {owner[r.source_id] for i in shown for r in (i.low, i.high)} == {name}
        assert [i.pair.id for i in shown] == [i.pair.id for i in everything
                                              if {owner[i.low.source_id],
                                                  owner[i.high.source_id]} == {name}]
        # paging is done in the query: the first page is the agency's first pair
        assert review_queue(store, mine.worker, limit=1)[0].pair.id == shown[0].pair.id


def test_cases_and_their_counts_are_the_agencys_own(
        store: Store, world: dict[str, AgencyWorld]) -> None:
    owner = _sources(store, world)
    with store.transaction() as session:
        source_of = dict(session.execute(select(RecordRow.id, RecordRow.source_id)).all())
    every = list_cases(store, OPERATOR, limit=1000)
    for name, mine in world.items():
        shown = list_cases(store, mine.boss, limit=1000)
        assert {owner[source_of[c.sought_record_pk]] for c in shown} == {name}
        assert sorted(c.id for c in shown) == sorted(
            c.id for c in every if owner[source_of[c.sought_record_pk]] == name)
        assert sum(n for _status, n in case_counts(store, mine.boss)) == len(shown)
        assert list_cases(store, mine.boss, limit=1)[0].id == min(c.id for c in shown)
    assert len(every) == sum(len(list_cases(store, w.boss)) for w in world.values())


def test_a_child_shows_the_records_and_cases_the_agency_sees_and_counts_the_others(
        store: Store, world: dict[str, AgencyWorld]) -> None:
    a, b = world["A"], world["B"]
    child = read_child(store, a.worker, a.records["R1"])  # R1, F1 (A) and X1 (B)
    assert {r.id for r in child.records} == {a.records["R1"], a.records["F1"]}
    assert child.hidden == 1
    assert b.records["X1"] in child.cluster.records
    # R2 (A) and R7 (B) are one child, reported by both: each agency sees its own case
    as_a = read_child(store, a.worker, a.records["R2"])
    as_b = read_child(store, b.worker, b.records["R7"])
    assert [c.sought_record_pk for c in as_a.cases] == [a.records["R2"]]
    assert [c.sought_record_pk for c in as_b.cases] == [b.records["R7"]]
    assert {r.id for r in as_b.records} == {b.records["R7"]}
    assert as_b.hidden == len(as_b.cluster.records) - 1
    with pytest.raises(NotFoundError, match="there is no record"):
        read_child(store, a.worker, b.records["X1"])
    with store.transaction() as session:
        refused = session.execute(select(AuditEventRow).where(
            AuditEventRow.action == "scope.refused")).scalars().all()
    assert [(e.actor, e.entity_type, e.entity_id, e.details) for e in refused] == [
        ("A-worker", "record", str(b.records["X1"]), {"reason": "out_of_reach"})]


def test_candidates_for_a_list_are_the_agencys_cases_with_its_records_only(
        store: Store, world: dict[str, AgencyWorld]) -> None:
    a, b = world["A"], world["B"]
    statuses = tuple(CaseStatus)
    mine = {c.id for c in list_cases(store, a.boss)}
    shown = list_candidates(store, a.liaison, statuses)
    assert {c.case_id for c in shown} == {c for c in mine
                                          if c in {x.case_id for x in shown}} != set()
    assert {c.case_id for c in shown} <= mine
    assert not {c.case_id for c in shown} & {c.id for c in list_cases(store, b.boss)}
    # X1, B's record of A's child R1, was last seen in Sochi: A's search by place does
    # not read B's record; the operator's does.
    assert list_candidates(store, a.liaison, statuses, place="Сочи") == []
    assert [c.case_id for c in list_candidates(store, OPERATOR, statuses, place="Сочи")] \
        == [a.ids["case"]]


LIST_A = "record_id,surname,given_name,birth_date,sex\nR1,Петренко,Олександр,12.03.2014,ч\n"
LIST_B_REPORTS = "record_id,surname,given_name,birth_date,sex\nRB,Петренко,Олександр,12.03.2014,ч\n"
LIST_B_FOUND = "record_id,full_name,birth_date,sex\nXB,ПЕТРЕНКО Александр,2014-03-12,м\n"


def _imported(store: Store, folder: Path, name: str, text: str, kind: SourceKind,
              agency: int) -> int:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    import_file(store, ImportRequest(path=path, imported_by="tester", kind=kind,
                                     agency_id=agency), today=dt.date(2026, 11, 26))
    with store.transaction() as session:
        return int(session.execute(select(RecordRow.id).where(
            RecordRow.record_id == name.split(".")[0].split("-")[-1])).scalar_one())


def test_a_decision_or_linking_by_one_agency_never_opens_anothers_cases(
        store: Store, tmp_path: Path) -> None:
    b_agency = AccountAdmin(store).create_agency("test", "NGO hotline").id
    r1 = _imported(store, tmp_path, "a-R1.csv", LIST_A, SourceKind.FAMILY_REPORTS, 1)
    rb = _imported(store, tmp_path, "b-RB.csv", LIST_B_REPORTS, SourceKind.FAMILY_REPORTS,
                   b_agency)
    xb = _imported(store, tmp_path, "b-XB.csv", LIST_B_FOUND, SourceKind.ADOPTION_REGISTRY,
                   b_agency)
    assert r1 < rb < xb
    with store.transaction() as session:  # the model linked A's report to B's found child
        DecisionRepository(session).add(PairKey.of(r1, xb), DecisionVerdict.SAME, "model", None)
    b_worker = Actor("b-worker", UserRole.CASE_WORKER, b_agency)
    a_worker = Actor("a-worker", UserRole.CASE_WORKER, 1)
    # B's decision joins its own report to the child whose lowest report is A's R1: the
    # case opened is B's, for RB, under B's name; A's report gets none from B.
    outcome = decide_pair(store, b_worker, rb, xb, DecisionVerdict.SAME)
    assert outcome.cases_opened == 1
    opened = list_cases(store, OPERATOR)
    assert [c.sought_record_pk for c in opened] == [rb]
    assert list_cases(store, a_worker) == []
    # B's linking (the end of every import) opens nothing more of A's
    assert open_missing_cases(store, b_worker) == 0
    assert [c.sought_record_pk for c in list_cases(store, OPERATOR)] == [rb]
    # A opens its own case when A links; honestly under A's name
    assert open_missing_cases(store, a_worker) == 1
    assert [c.sought_record_pk for c in list_cases(store, a_worker)] == [r1]
    with store.transaction() as session:
        events = session.execute(select(AuditEventRow).where(
            AuditEventRow.action == "case.opened").order_by(AuditEventRow.id)).scalars().all()
    assert [(e.actor, e.details["sought_record"], e.details["agency_id"]) for e in events] == [
        ("b-worker", rb, b_agency), ("a-worker", r1, 1)]

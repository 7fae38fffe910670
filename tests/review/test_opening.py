"""Opening cases on a real store (SQLite and PostgreSQL): the pass over the whole store
opens exactly the cases the old record-by-record walk opened, in batches that let other
connections write between them; a *same* decision opens its own child's case and no
other, in the decision's transaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from kinlink.audit import AuditAction, AuditEvent, append_event, append_events, verify_chain
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus
from kinlink.domain.decisions import DecisionVerdict, PairKey
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.errors import AccessDeniedError, NotFoundError
from kinlink.ingest import ImportRequest, import_file
from kinlink.storage import Store
from kinlink.storage.cases import CaseRepository, FirstStep
from kinlink.storage.engine import make_engine
from kinlink.storage.linkage import LinkageRepository, NewPair
from kinlink.storage.review import DecisionRepository, cluster_of
from kinlink.storage.tables import AuditEventRow, RecordRow
from kinlink.usecases.cases import (
    list_cases,
    open_cases,
    open_cases_in_chunks,
    open_missing_cases,
    read_case,
)
from kinlink.usecases.review import decide_pair

WORKER = Actor("olena", UserRole.CASE_WORKER)


def _import(store: Store, folder: Path, name: str, kind: SourceKind, ids: list[str]) -> None:
    lines = ["record_id,surname,given_name,birth_date,sex"]
    lines += [f"{i},Петренко,Олександр{n},{1 + n % 28:02d}.03.2014,ч" for n, i in enumerate(ids)]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_file(store, ImportRequest(path=path, imported_by="tester", kind=kind),
                today=dt.date(2026, 11, 26))


def _ids(store: Store) -> dict[str, int]:
    with store.transaction() as session:
        return {r.record_id: r.id for r in session.execute(select(RecordRow)).scalars()}


def _automatic(store: Store, pairs: list[tuple[int, int]]) -> None:
    """Pairs the model linked on its own (``match``), as a model run keeps them."""
    with store.transaction() as session:
        repository = LinkageRepository(session)
        model = repository.add_model({"version": "test-1", "spec_version": "test",
                                      "spec_digest": "d" * 64}, {}, 5, "test", "tester")
        run = repository.start_run(model.id, "d" * 64, "tester")
        repository.upsert_pairs([NewPair(a, b, 9.0, 0.999, "match", {}) for a, b in pairs],
                                model.id, run.id)


def _decided(store: Store, decisions: list[tuple[int, int, DecisionVerdict]]) -> None:
    """Decisions kept without opening anything (as if taken before cases existed)."""
    with store.transaction() as session:
        for a, b, verdict in decisions:
            DecisionRepository(session).add(PairKey.of(a, b), verdict, "tester", None)


def _old_semantics(store: Store) -> set[int]:
    """The sought records the old walk would open cases for: each sought record without
    a case, in id order, gets one unless a record of its child has one already."""
    with store.transaction() as session:
        cases = CaseRepository(session)
        taken = cases.records_with_case()
        opened: set[int] = set()
        for record in cases.sought_without_case():
            child = cluster_of(session, record).records
            if not (taken | opened) & set(child):
                opened.add(record)
    return opened


@pytest.fixture
def crafted(store: Store, tmp_path: Path) -> dict[str, int]:
    """Reported children R1…R12 and found records F1…F5, joined as the tests need."""
    _import(store, tmp_path, "reports.csv", SourceKind.FAMILY_REPORTS,
            [f"R{n}" for n in range(1, 13)])
    _import(store, tmp_path, "found.csv", SourceKind.ADOPTION_REGISTRY,
            [f"F{n}" for n in range(1, 6)])
    i = _ids(store)
    _automatic(store, [(i["R1"], i["R2"]),              # two reports joined by the model
                       (i["F1"], i["R4"]),              # …and one through a found record
                       (i["R7"], i["R8"]),              # a link a person reversed
                       (i["F4"], i["F5"]),              # found lists only
                       (i["R11"], i["R12"])])           # a link a person was unsure of
    _decided(store, [(i["R3"], i["F1"], DecisionVerdict.SAME),
                     (i["R5"], i["R6"], DecisionVerdict.SAME),
                     (i["R7"], i["R8"], DecisionVerdict.DIFFERENT),
                     (i["R9"], i["F3"], DecisionVerdict.SAME),
                     (i["F3"], i["R10"], DecisionVerdict.SAME),
                     (i["R9"], i["R10"], DecisionVerdict.DIFFERENT),
                     (i["R11"], i["R12"], DecisionVerdict.UNSURE)])
    with store.transaction() as session:  # R5's child has a case already
        CaseRepository(session).open_many([i["R5"]], CaseStatus.REPORTED,
                                          FirstStep("tester", UserRole.SUPERVISOR, "earlier"))
    return i


def test_one_pass_opens_the_cases_the_old_walk_opened(store: Store,
                                                      crafted: dict[str, int]) -> None:
    i = crafted
    expected = _old_semantics(store)
    assert expected == {i[r] for r in ("R1", "R3", "R7", "R8", "R9", "R11", "R12")}
    assert open_missing_cases(store, WORKER) == len(expected)
    opened = {c.sought_record_pk for c in list_cases(store, WORKER, limit=100)}
    assert opened == expected | {i["R5"]}
    assert open_missing_cases(store, WORKER) == 0  # a second pass opens nothing
    conflicted = next(c for c in list_cases(store, WORKER) if c.sought_record_pk == i["R9"])
    assert read_case(store, WORKER, conflicted.id).child.in_conflict
    first = read_case(store, WORKER, conflicted.id).history
    assert [(e.from_status, e.to_status, e.reason, e.actor) for e in first] == [
        (None, CaseStatus.REPORTED, "reported child", "olena")]
    with store.transaction() as session:
        assert verify_chain(session).intact
        opened_events = session.execute(select(AuditEventRow).where(
            AuditEventRow.action == AuditAction.CASE_OPENED.value)).scalars().all()
    assert sorted(e.details["sought_record"] for e in opened_events) == sorted(expected)


def test_cases_are_written_in_batches_that_let_others_write_between(
        store: Store, tmp_path: Path) -> None:
    _import(store, tmp_path, "reports.csv", SourceKind.FAMILY_REPORTS,
            [f"R{n}" for n in range(1, 11)])
    other = Store(make_engine(store.engine.url.render_as_string(hide_password=False), 0.3),
                  store.secrets)
    seen: list[tuple[int, int]] = []

    def between(opened: int) -> None:
        # Another connection, waiting at most 0.3 s for a lock: it sees the batches
        # committed so far and can append to the audit chain. Were the cases written in
        # one transaction, it would see none of them and wait for the chain in vain.
        with other.transaction() as session:
            seen.append((opened, len(CaseRepository(session).records_with_case())))
            append_event(session, AuditEvent("someone", AuditAction.AUDIT_VERIFIED, "audit"))

    try:
        assert open_cases_in_chunks(store, WORKER, chunk_size=3, after_chunk=between) == 10
    finally:
        other.dispose()
    assert seen == [(3, 3), (6, 6), (9, 9), (10, 10)]
    with store.transaction() as session:
        assert verify_chain(session).intact
        actions = [a for a in session.execute(select(AuditEventRow.action).order_by(
            AuditEventRow.id)).scalars() if a in ("case.opened", "audit.verified")]
    assert actions == (["case.opened"] * 3 + ["audit.verified"]) * 3 + [
        "case.opened", "audit.verified"]


def test_kinlink_cases_open_needs_the_right_to_move_cases(store: Store,
                                                         crafted: dict[str, int]) -> None:
    with pytest.raises(AccessDeniedError, match="may not move a case"):
        open_cases(store, Actor("rita", UserRole.REVIEWER))
    assert open_cases(store, Actor("maria", UserRole.SUPERVISOR)) == 7


def test_a_same_decision_opens_its_own_childs_case_and_no_other(
        store: Store, crafted: dict[str, int]) -> None:
    i = crafted
    outcome = decide_pair(store, WORKER, i["F2"], i["R7"], DecisionVerdict.SAME)
    assert outcome.cases_opened == 1
    assert [c.sought_record_pk for c in list_cases(store, WORKER)] == [i["R5"], i["R7"]]
    # Found records only: no case.
    assert decide_pair(store, WORKER, i["F4"], i["F5"], DecisionVerdict.SAME).cases_opened == 0
    # Joined to R5's child, which has a case: nothing more is opened.
    assert decide_pair(store, WORKER, i["R6"], i["F5"], DecisionVerdict.SAME).cases_opened == 0
    assert [c.sought_record_pk for c in list_cases(store, WORKER)] == [i["R5"], i["R7"]]


def test_a_decision_whose_case_cannot_be_opened_is_not_kept(
        store: Store, crafted: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    i = crafted

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(CaseRepository, "open_many", broken)
    with pytest.raises(RuntimeError, match="disk is full"):
        decide_pair(store, WORKER, i["R1"], i["F2"], DecisionVerdict.SAME)
    monkeypatch.undo()
    with store.transaction() as session:
        assert DecisionRepository(session).history(PairKey.of(i["R1"], i["F2"])) == []
    assert [c.sought_record_pk for c in list_cases(store, WORKER)] == [i["R5"]]
    with pytest.raises(NotFoundError):
        decide_pair(store, WORKER, i["R1"], 10**9, DecisionVerdict.SAME)


def test_events_appended_in_bulk_form_a_chain_that_verifies(store: Store) -> None:
    with store.transaction() as session:
        append_event(session, AuditEvent("a", AuditAction.AUDIT_VERIFIED, "audit"))
        assert append_events(session, [
            AuditEvent("b", AuditAction.CASE_OPENED, "case", str(n), {"sought_record": n})
            for n in range(1, 251)]) == 250
        assert append_events(session, []) == 0
    with store.transaction() as session:
        append_event(session, AuditEvent("c", AuditAction.AUDIT_VERIFIED, "audit"))
        report = verify_chain(session)
        rows = session.execute(select(AuditEventRow).order_by(AuditEventRow.id)).scalars().all()
    assert report.intact, report.problems
    assert report.events == 252
    assert [r.entity_id for r in rows[1:-1]] == [str(n) for n in range(1, 251)]
    with store.transaction() as session, pytest.raises(TypeError, match="not declared"):
        append_events(session, [AuditEvent("d", "case.exploded", "case")])  # type: ignore[arg-type]


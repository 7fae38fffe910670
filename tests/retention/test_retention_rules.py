"""Retention plan and run on a store of several years (issue 19): each rule finds what it
says and nothing else, a run erases exactly what the plan showed except what a legal hold
keeps (named, skipped), consent withdrawal leads to erasure by its rule, and a second plan
finds only the held items. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select, update

from kinlink.domain.access import Actor
from kinlink.domain.casework import ContactChannel
from kinlink.domain.records import Role, SourceKind
from kinlink.domain.registration import ConsentInput, Registration
from kinlink.domain.retention import (
    Anchor,
    ErasureBasis,
    ErasureKind,
    FieldGroup,
    HoldTarget,
    RuleSpec,
)
from kinlink.domain.users import UserRole
from kinlink.evidence import ContentStore
from kinlink.storage import Store
from kinlink.storage.casework_tables import ConsentRow
from kinlink.storage.review_tables import CaseEventRow, CaseRow
from kinlink.storage.tables import AuditEventRow, RecordRow, ReporterRow
from kinlink.usecases.cases import open_missing_cases
from kinlink.usecases.casework import log_contact
from kinlink.usecases.document_access import Evidence
from kinlink.usecases.erasure import tombstones
from kinlink.usecases.holds import place_hold
from kinlink.usecases.registration import register_record, withdraw_consent
from kinlink.usecases.retention import add_rule, plan, run
from registerworld import WORKER, import_found_list

BOSS = Actor("boss", UserRole.SUPERVISOR, 1)
TODAY = dt.date(2031, 11, 2)


def _at(days_ago: int) -> dt.datetime:
    return dt.datetime.combine(TODAY, dt.time(12), dt.UTC) - dt.timedelta(days=days_ago)


def _report(store: Store, surname: str) -> tuple[int, int]:
    done = register_record(store, WORKER, Registration(Role.SOUGHT, {
        "surname": surname, "given_name": "Олена", "birth_date": "2015", "sex": "ж",
        "reporter_name": f"мати {surname}", "reporter_contact": "+380500000000"},
        consent=ConsentInput(True, (), True)), link=False)
    open_missing_cases(store, BOSS)
    with store.transaction() as session:
        case = session.execute(select(CaseRow.id).where(
            CaseRow.sought_record_pk == done.record_pk)).scalar_one()
    return done.record_pk, int(case)


def _close(store: Store, case_id: int, days_ago: int) -> None:
    with store.transaction() as session:
        session.execute(update(CaseRow).where(CaseRow.id == case_id).values(
            status="reunited", updated_at=_at(days_ago)))
        session.add(CaseEventRow(case_id=case_id, from_status="reported",
                                 to_status="reunited", actor="boss", role="supervisor",
                                 at=_at(days_ago), reason="home"))


def _withdraw(store: Store, record_pk: int, days_ago: int) -> None:
    withdraw_consent(store, WORKER, record_pk, "the family asked")
    with store.transaction() as session:
        session.execute(update(ConsentRow).where(ConsentRow.record_pk == record_pk)
                        .values(withdrawn_at=_at(days_ago)))


def test_plan_and_run_do_what_the_rules_say(store: Store, tmp_path: Path) -> None:
    camp = import_found_list(store, tmp_path)  # received 2026-11-01: five years before TODAY
    world = {name: _report(store, name) for name in
             ("Закрита-3р", "Закрита-1р", "Відкрита", "Закрита-6р", "Відкликана-40д",
              "Відкликана-10д", "Утримана-3р")}
    _close(store, world["Закрита-3р"][1], 3 * 365)
    _close(store, world["Закрита-1р"][1], 400)
    _close(store, world["Закрита-6р"][1], 6 * 365)
    _close(store, world["Утримана-3р"][1], 3 * 365)
    log_contact(store, WORKER, world["Закрита-6р"][1], _at(7 * 365), "мати",
                ContactChannel.PHONE, "розмова")
    _withdraw(store, world["Відкликана-40д"][0], 40)
    _withdraw(store, world["Відкликана-10д"][0], 10)
    hold = place_hold(store, BOSS, HoldTarget.CASE, world["Утримана-3р"][1],
                      "Court order 77/2031", "trial")
    add_rule(store, BOSS, RuleSpec(FieldGroup.RECORD, Anchor.RECEIVED, 1825,
                                   SourceKind.CAMP_LIST.value, note="agreement: 5 years"))
    with store.transaction() as session:
        camp_records = set(session.execute(select(RecordRow.id).where(
            RecordRow.source_id == camp)).scalars())

    planned = plan(store, BOSS, today=TODAY)

    expected = {
        (ErasureKind.REPORTER, world["Закрита-3р"][0]),
        (ErasureKind.REPORTER, world["Закрита-6р"][0]),
        (ErasureKind.CASE_NOTES, world["Закрита-6р"][1]),
        (ErasureKind.REPORTER, world["Утримана-3р"][0]),
        (ErasureKind.RECORD, world["Відкликана-40д"][0]),
        *((ErasureKind.RECORD, r) for r in camp_records),
    }
    assert {(p.kind, p.target_id) for p in planned} == expected
    held = [p for p in planned if p.held_by is not None]
    assert [(p.target_id, p.held_by.id if p.held_by else None) for p in held] == [
        (world["Утримана-3р"][0], hold.id)]
    with store.transaction() as session:  # a plan changes nothing
        assert session.execute(select(ReporterRow.contact).where(
            ReporterRow.record_pk == world["Закрита-3р"][0])).scalar() is not None

    done = run(Evidence(store, ContentStore(tmp_path / "evidence"), 2**20), BOSS,
               today=TODAY)

    assert {(p.kind, p.target_id) for p, _ in done.erased} == expected - {
        (ErasureKind.REPORTER, world["Утримана-3р"][0])}
    assert [(p.target_id, p.held_by.id if p.held_by else None) for p in done.held] == [
        (world["Утримана-3р"][0], hold.id)]
    with store.transaction() as session:
        contacts = dict(session.execute(select(ReporterRow.record_pk, ReporterRow.contact))
                        .all())
        surnames = dict(session.execute(select(RecordRow.id, RecordRow.surname)).all())
        actions = [a for a in session.execute(select(AuditEventRow.action)).scalars()
                   if a.startswith(("retention.", "data.", "store."))]
    assert contacts[world["Закрита-3р"][0]] is None
    assert contacts[world["Закрита-1р"][0]] is not None
    assert contacts[world["Утримана-3р"][0]] is not None
    assert surnames[world["Закрита-3р"][0]] == "Закрита-3р"  # only the contact went
    assert surnames[world["Відкликана-40д"][0]] is None
    assert surnames[world["Відкликана-10д"][0]] == "Відкликана-10д"
    assert all(surnames[r] is None for r in camp_records)
    stone = tombstones(store, BOSS, ErasureKind.RECORD, world["Відкликана-40д"][0])[0]
    assert stone.basis is ErasureBasis.CONSENT_WITHDRAWN
    assert actions.count("data.erased") == len(done.erased)
    assert actions[:2] == ["retention.rule_set", "retention.planned"]
    assert "retention.run" in actions
    assert actions[-1] == "store.compacted"

    again = plan(store, BOSS, today=TODAY)
    assert [(p.kind, p.target_id) for p in again] == [
        (ErasureKind.REPORTER, world["Утримана-3р"][0])]

"""Registering a report or a found child by hand, consent and its withdrawal, correcting
a record and reading its versions: the use cases on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kinlink.accounts.admin import AccountAdmin
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus
from kinlink.domain.decisions import DecisionVerdict, PairKey
from kinlink.domain.mediation import ChannelKind, ListField
from kinlink.domain.records import Role
from kinlink.domain.registration import ConsentInput, IntakeChannel, Registration
from kinlink.domain.users import UserRole
from kinlink.errors import ConflictError, FieldsRefusedError, NotFoundError
from kinlink.storage import Store
from kinlink.storage.casework_tables import ConsentRow, IntakeRow, RecordVersionRow
from kinlink.storage.linkage_tables import CandidatePairRow
from kinlink.storage.review import DecisionRepository
from kinlink.storage.tables import AuditEventRow, RecordRow, ReporterRow, SourceRow
from kinlink.usecases.cases import list_cases
from kinlink.usecases.channels import create_channel
from kinlink.usecases.corrections import correct_record, current_fields, read_version
from kinlink.usecases.registration import record_papers, register_record, withdraw_consent
from kinlink.usecases.review import review_queue
from registerworld import REPORT_UK, WORKER, import_found_list

BOSS = Actor("boss", UserRole.SUPERVISOR, 1)


def _pairs_of(store: Store, pk: int) -> dict[int, float]:
    with store.transaction() as session:
        rows = session.execute(select(CandidatePairRow).where(
            (CandidatePairRow.record_low == pk) | (CandidatePairRow.record_high == pk)
        )).scalars()
        return {(r.record_high if r.record_low == pk else r.record_low): r.match_probability
                for r in rows}


def _found_pk(store: Store, source_id: int, record_id: str) -> int:
    with store.transaction() as session:
        return session.execute(select(RecordRow.id).where(
            RecordRow.source_id == source_id, RecordRow.record_id == record_id)).scalar_one()


def _events(store: Store, action: str) -> list[AuditEventRow]:
    with store.transaction() as session:
        return list(session.execute(select(AuditEventRow).where(
            AuditEventRow.action == action)).scalars())


def test_a_ukrainian_report_is_kept_as_a_form_linked_to_the_russian_list_and_gets_a_case(
        store: Store, tmp_path: Path) -> None:
    found = import_found_list(store, tmp_path)
    channel = create_channel(store, BOSS, "ICRC", ChannelKind.INTERNATIONAL_ORGANISATION,
                             [ListField.NAME_UK])
    done = register_record(store, WORKER, Registration(
        Role.SOUGHT, dict(REPORT_UK), IntakeChannel.HOTLINE, "uk",
        ConsentInput(True, (channel.id,), True)))
    assert _found_pk(store, found, "1") in _pairs_of(store, done.record_pk)
    assert done.cases_opened == 1
    assert done.matched
    with store.transaction() as session:
        source = session.get(SourceRow, done.source_id)
        assert source is not None
        assert source.kind == "form"
        assert source.agency_id == 1
        record = session.get(RecordRow, done.record_pk)
        assert record is not None
        assert record.role == "sought"
        assert record.version == 1
        assert (record.birth_year, record.birth_month, record.birth_day) == (2015, 3, 12)
        assert record.extra == {"documents": "свідоцтво про народження"}
        intake = session.get(IntakeRow, done.source_id)
        assert intake is not None
        assert (intake.channel, intake.taken_by) == ("hotline",
                                                                           "worker")
        consent = session.get(ConsentRow, done.record_pk)
        assert consent is not None
        assert consent.tracing
        assert consent.channels == [channel.id]
        reporter = session.execute(select(ReporterRow).where(
            ReporterRow.record_pk == done.record_pk)).scalar_one()
        assert (reporter.name, reporter.language) == ("Коваленко Ганна", "uk")
    assert [c.sought_record_pk for c in list_cases(store, WORKER, limit=100)] == [
        done.record_pk]
    (event,) = _events(store, "record.registered")
    assert "Коваленко" not in str(event.details)
    assert "2015" not in str(event.details)
    assert event.details["channel"] == "hotline"
    assert event.entity_id == str(done.record_pk)


def test_bad_fields_are_refused_with_the_importers_messages_and_nothing_is_kept(
        store: Store) -> None:
    with pytest.raises(FieldsRefusedError) as refused:
        register_record(store, WORKER, Registration(Role.SOUGHT, {
            "surname": "Коваленко", "birth_date": "31.02.2015", "sex": "x"}))
    assert set(refused.value.fields) == {"birth_date", "sex", "reporter_name"}
    assert "x" not in refused.value.fields["sex"].split()
    with pytest.raises(FieldsRefusedError) as nameless:
        register_record(store, WORKER, Registration(Role.FOUND, {"birth_date": "2015"}))
    assert set(nameless.value.fields) == {"surname"}
    with pytest.raises(FieldsRefusedError) as channel:
        register_record(store, WORKER, Registration(
            Role.SOUGHT, dict(REPORT_UK), consent=ConsentInput(True, (999,), True)))
    assert set(channel.value.fields) == {"channels"}
    with store.transaction() as session:
        assert session.execute(select(RecordRow)).first() is None


def test_a_report_refusing_tracing_is_kept_but_never_matched(
        store: Store, tmp_path: Path) -> None:
    import_found_list(store, tmp_path)
    done = register_record(store, WORKER, Registration(
        Role.SOUGHT, dict(REPORT_UK), consent=ConsentInput(False, (), True)))
    assert not done.matched
    assert _pairs_of(store, done.record_pk) == {}
    found = register_record(store, WORKER, Registration(Role.FOUND, {
        "surname": "Коваленко", "given_name": "Олександр", "birth_date": "2015-03-12",
        "birth_place": "Маріуполь"}, IntakeChannel.VISIT))
    assert done.record_pk not in _pairs_of(store, found.record_pk)


def test_a_withdrawn_consent_leaves_matching_review_and_mediation_lists(
        store: Store, tmp_path: Path) -> None:
    found = import_found_list(store, tmp_path)
    done = register_record(store, WORKER, Registration(Role.SOUGHT, dict(REPORT_UK)))
    _found_pk(store, found, "1")
    queued = [i for i in review_queue(store, WORKER, limit=100)
              if done.record_pk in (i.low.id, i.high.id)]
    if not queued:  # linked automatically: put it back to review to see it leave
        with store.transaction() as session:
            session.execute(CandidatePairRow.__table__.update().values(decision="review"))
        queued = [i for i in review_queue(store, WORKER, limit=100)
                  if done.record_pk in (i.low.id, i.high.id)]
    assert queued
    (case,) = list_cases(store, WORKER, limit=10)
    with store.transaction() as session:  # the case as verified, so it may go on a list
        session.execute(__import__("kinlink.storage.review_tables", fromlist=["CaseRow"])
                        .CaseRow.__table__.update().values(
                            status=CaseStatus.IDENTITY_VERIFIED.value))
    from kinlink.usecases.lists import list_candidates
    assert [c.case_id for c in list_candidates(store, BOSS)] == [case.id]

    consent = withdraw_consent(store, WORKER, done.record_pk, "the mother asked")
    assert consent.withdrawn
    assert consent.withdrawn_reason == "the mother asked"
    assert not [i for i in review_queue(store, WORKER, limit=100)
                if done.record_pk in (i.low.id, i.high.id)]
    assert list_candidates(store, BOSS) == []
    again = register_record(store, WORKER, Registration(Role.FOUND, {
        "surname": "Коваленко", "given_name": "Олександр", "birth_date": "2015-03-12"}))
    assert done.record_pk not in _pairs_of(store, again.record_pk)
    (event,) = _events(store, "consent.withdrawn")
    assert event.details == {}
    assert event.entity_id == str(done.record_pk)
    with pytest.raises(ConflictError):
        withdraw_consent(store, WORKER, done.record_pk, "again")
    with pytest.raises(FieldsRefusedError):
        withdraw_consent(store, WORKER, done.record_pk, "  ")
    papers = record_papers(store, WORKER, done.record_pk)
    assert papers.consent is not None
    assert papers.consent.withdrawn
    assert papers.intake is not None
    assert papers.intake.channel == "hotline"


def test_a_correction_keeps_the_earlier_version_and_rescores_the_records_pairs(
        store: Store, tmp_path: Path) -> None:
    found = import_found_list(store, tmp_path)
    done = register_record(store, WORKER, Registration(
        Role.SOUGHT, {**REPORT_UK, "birth_date": "2011"}))
    candidate = _found_pk(store, found, "1")
    before = _pairs_of(store, done.record_pk).get(candidate, 0.0)
    with store.transaction() as session:
        DecisionRepository(session).add(PairKey.of(done.record_pk, candidate),
                                        DecisionVerdict.UNSURE, "worker", None)
        raw = session.get(RecordRow, done.record_pk).raw  # type: ignore[union-attr]
    now = current_fields(store, WORKER, done.record_pk)
    assert now.version == 1
    assert now.fields["birth_date"] == "2011"
    fixed = correct_record(store, WORKER, done.record_pk, {"birth_date": "12.03.2015"},
                           "the mother found the birth certificate", 1)
    assert fixed.version == 2
    assert fixed.changed == ["birth_date"]
    assert _pairs_of(store, done.record_pk)[candidate] > before
    with store.transaction() as session:
        record = session.get(RecordRow, done.record_pk)
        assert record is not None
        assert record.version == 2
        assert record.raw == raw
        assert (record.birth_year, record.birth_month, record.birth_day) == (2015, 3, 12)
        (kept,) = session.execute(select(RecordVersionRow)).scalars()
        assert kept.version == 1
        assert kept.fields["birth_date"] == "2011"
        (decision,) = DecisionRepository(session).history(PairKey.of(done.record_pk,
                                                                     candidate))
        assert decision.verdict is DecisionVerdict.UNSURE
        versions = {done.record_pk: decision.low_version if done.record_pk < candidate
                    else decision.high_version}
        assert versions[done.record_pk] == 1
    (shown,) = record_papers(store, WORKER, done.record_pk).decisions
    assert (shown.other_pk, shown.version, shown.other_version) == (candidate, 1, 1)
    assert read_version(store, WORKER, done.record_pk, 1).fields["birth_date"] == "2011"
    assert read_version(store, WORKER, done.record_pk, 2).fields["birth_date"] == "2015-03-12"
    with pytest.raises(NotFoundError):
        read_version(store, WORKER, done.record_pk, 3)
    (event,) = _events(store, "record.corrected")
    assert event.details == {"version": 2, "fields": ["birth_date"]}
    assert len(_events(store, "record.version_read")) == 2
    with pytest.raises(ConflictError, match="version 1"):
        correct_record(store, WORKER, done.record_pk, {"sex": "ж"}, "typo", 1)
    with pytest.raises(FieldsRefusedError) as bad:
        correct_record(store, WORKER, done.record_pk, {"birth_date": "2015-13"}, "", 2)
    assert set(bad.value.fields) == {"reason"}
    with pytest.raises(FieldsRefusedError) as bad:
        correct_record(store, WORKER, done.record_pk, {"birth_date": "2015-13"}, "x", 2)
    assert set(bad.value.fields) == {"birth_date"}


def test_another_agencys_record_answers_as_missing_and_the_refusal_is_audited(
        store: Store, tmp_path: Path) -> None:
    done = register_record(store, WORKER, Registration(Role.SOUGHT, dict(REPORT_UK)),
                           link=False)
    other = AccountAdmin(store).create_agency("other", "Other NGO").id
    stranger = Actor("stranger", UserRole.CASE_WORKER, other)
    for attempt in (lambda: withdraw_consent(store, stranger, done.record_pk, "x"),
                    lambda: correct_record(store, stranger, done.record_pk,
                                           {"sex": "ж"}, "x", 1),
                    lambda: read_version(store, stranger, done.record_pk, 1),
                    lambda: current_fields(store, stranger, done.record_pk)):
        with pytest.raises(NotFoundError):
            attempt()
    assert len(_events(store, "scope.refused")) == 4


def test_a_report_goes_only_on_lists_of_the_channels_its_reporter_agreed_to(
        store: Store) -> None:
    from kinlink.storage.review_tables import CaseRow
    from kinlink.usecases.lists import add_to_list, new_list

    agreed = create_channel(store, BOSS, "Ombudsman", ChannelKind.STATE_MEDIATOR,
                            [ListField.NAME_UK])
    other = create_channel(store, BOSS, "Envoy", ChannelKind.ENVOY, [ListField.NAME_UK])
    done = register_record(store, WORKER, Registration(
        Role.SOUGHT, dict(REPORT_UK), consent=ConsentInput(True, (agreed.id,), True)))
    (case,) = list_cases(store, WORKER, limit=10)
    with store.transaction() as session:
        session.execute(CaseRow.__table__.update().values(
            status=CaseStatus.IDENTITY_VERIFIED.value))
    with pytest.raises(ConflictError, match="does not allow sharing"):
        add_to_list(store, BOSS, new_list(store, BOSS, other.id).list.id, [case.id])
    draft = new_list(store, BOSS, agreed.id).list.id
    assert [a.case_id for a in add_to_list(store, BOSS, draft, [case.id])] == [case.id]
    withdraw_consent(store, WORKER, done.record_pk, "the mother asked")
    with pytest.raises(ConflictError, match="does not allow sharing"):
        add_to_list(store, BOSS, new_list(store, BOSS, agreed.id).list.id, [case.id])

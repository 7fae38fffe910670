"""A case's contact log and tasks, through the use cases, on SQLite and PostgreSQL: the
rules (no contact in the future, no task for a person of another agency), the order
things come back in, "my tasks", the case's last activity, the audit trail without
personal data, and another agency's case or task answering as missing."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from kinlink.domain.access import Actor
from kinlink.domain.casework import ContactChannel
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.errors import (
    AccessDeniedError,
    ConflictError,
    InputRefusedError,
    NotFoundError,
)
from kinlink.ingest import ImportRequest, import_file
from kinlink.storage import Store
from kinlink.storage.accounts import AccountRepository
from kinlink.storage.casework_tables import CaseTaskRow
from kinlink.storage.review_tables import CaseRow
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.cases import list_cases, open_missing_cases
from kinlink.usecases.casework import (
    add_task,
    assignees,
    case_tasks,
    case_work,
    complete_task,
    contacts,
    log_contact,
    my_tasks,
    reopen_task,
    today,
)

REPORTS = ("record_id,прізвище,ім'я,по батькові,дата народження,стать\n"
           "R-1,Петренко,Олександр,Іванович,12.03.2014,ч\n"
           "R-2,Бойко,Ганна,,03.2015,ж\n")
NOW = dt.datetime.now(dt.UTC)


def _import(store: Store, folder: Path, name: str, agency_id: int) -> None:
    path = folder / f"{name}.csv"
    path.write_text(REPORTS.replace("R-", f"{name}-"), encoding="utf-8")
    import_file(store, ImportRequest(path=path, imported_by="test",
                                     kind=SourceKind.FAMILY_REPORTS, agency_id=agency_id))


@dataclass(frozen=True)
class World:
    """Who acts and on which cases: ``olena`` (a case worker of the home agency) and her
    agency's cases ``mine``, ``ivan`` (a case worker of agency ``other``) and ``theirs``,
    and the user ids of everyone by name."""

    ids: dict[str, int]
    olena: Actor
    ivan: Actor
    other: int
    mine: list[int]
    theirs: list[int]


@pytest.fixture
def world(store: Store, tmp_path: Path) -> World:
    """Two agencies, each with two reported children and their cases, and people: a
    worker and a supervisor in the home agency, a worker in the other, a disabled worker
    and an analyst at home."""
    with store.transaction() as session:
        accounts = AccountRepository(session)
        other = accounts.add_agency("Other office").id
        ids = {}
        for name, role, agency, disabled in (
                ("olena", UserRole.CASE_WORKER, 1, False),
                ("petro", UserRole.SUPERVISOR, 1, False),
                ("gone", UserRole.CASE_WORKER, 1, True),
                ("ana", UserRole.ANALYST, 1, False),
                ("ivan", UserRole.CASE_WORKER, other, False)):
            ids[name] = accounts.add_user(username=name, password_hash="x", role=role.value,
                                          agency_id=agency, disabled=disabled).id
    _import(store, tmp_path, "A", 1)
    _import(store, tmp_path, "B", other)
    olena = Actor("olena", UserRole.CASE_WORKER, 1)
    ivan = Actor("ivan", UserRole.CASE_WORKER, other)
    open_missing_cases(store, olena)
    open_missing_cases(store, ivan)
    return World(ids, olena, ivan, other, [c.id for c in list_cases(store, olena)],
                 [c.id for c in list_cases(store, ivan)])


def _events(store: Store, action: str) -> list[AuditEventRow]:
    with store.transaction() as session:
        rows = list(session.execute(select(AuditEventRow).where(
            AuditEventRow.action == action).order_by(AuditEventRow.id)).scalars())
        session.expunge_all()
    return rows


def test_a_contact_is_logged_newest_first_and_audited_without_what_was_said(
        store: Store, world: World) -> None:
    olena, case = world.olena, world.mine[0]
    first = log_contact(store, olena, case, NOW - dt.timedelta(days=2), "Петренко Ірина",
                        ContactChannel.PHONE, "Мама каже, що хлопчика бачили в Анапі.")
    second = log_contact(store, olena, case, NOW - dt.timedelta(hours=1), "школа №3",
                         ContactChannel.LETTER, "  Запит про документи надіслано.  ")
    assert second.summary == "Запит про документи надіслано."
    assert [c.id for c in contacts(store, olena, case)] == [second.id, first.id]
    logged = _events(store, "case.contact_logged")
    assert [(e.entity_id, e.details) for e in logged] == [
        (str(case), {"contact": first.id, "channel": "phone"}),
        (str(case), {"contact": second.id, "channel": "letter"})]
    everything = json.dumps([e.details for e in _events(store, "case.read")],
                            ensure_ascii=False)
    assert "Ірина" not in everything
    assert "Анап" not in everything
    with store.transaction() as session:
        touched = session.get(CaseRow, case)
        assert touched is not None
        assert touched.last_activity_at is not None


@pytest.mark.parametrize(("at", "whom", "summary", "field"), [
    (NOW + dt.timedelta(hours=1), "мама", "дзвінок", "at"),
    (dt.datetime(2013, 5, 1, tzinfo=dt.UTC), "мама", "дзвінок", "at"),
    (NOW, "   ", "дзвінок", "with_whom"),
    (NOW, "мама", "", "summary"),
    (NOW, "мама", "x" * 4001, "summary"),
])
def test_a_contact_breaking_a_rule_is_refused_naming_the_field(
        store: Store, world: World, at: dt.datetime, whom: str, summary: str,
        field: str) -> None:
    olena, case = world.olena, world.mine[0]
    with pytest.raises(InputRefusedError) as refused:
        log_contact(store, olena, case, at, whom, ContactChannel.PHONE, summary)
    assert refused.value.field == field
    assert "мама" not in str(refused.value)
    assert contacts(store, olena, case) == []


def test_only_those_who_work_cases_log_contacts_and_set_tasks(
        store: Store, world: World) -> None:
    analyst = Actor("ana", UserRole.ANALYST, 1)
    case = world.mine[0]
    with pytest.raises(AccessDeniedError):
        log_contact(store, analyst, case, NOW, "мама", ContactChannel.PHONE, "дзвінок")
    with pytest.raises(AccessDeniedError):
        add_task(store, analyst, case, "Подзвонити", today())
    assert contacts(store, analyst, case) == []  # reading the case is the analyst's


def test_tasks_are_set_done_and_reopened_and_mine_come_overdue_first(
        store: Store, world: World) -> None:
    olena, ids, mine = world.olena, world.ids, world.mine
    later = add_task(store, olena, mine[0], "Запросити свідоцтво", today()
                     + dt.timedelta(days=7), ids["olena"])
    soon = add_task(store, olena, mine[1], "Подзвонити мамі", today(), ids["olena"])
    other = add_task(store, olena, mine[1], "Лист до школи", today(), ids["petro"])
    nobody = add_task(store, olena, mine[0], "Перевірити список", today(), None)
    assert later.assignee == "olena"
    assert nobody.assignee is None
    with store.transaction() as session:  # a task that became overdue
        row = session.get(CaseTaskRow, later.id)
        assert row is not None
        row.due_on = today() - dt.timedelta(days=3)
    listed = my_tasks(store, olena)
    assert [t.task.id for t in listed] == [later.id, soon.id]
    assert listed[0].task.overdue(today())
    assert not listed[1].task.overdue(today())
    assert listed[0].child_name == "Петренко Олександр Іванович"
    assert [t.task.id for t in my_tasks(store, olena, overdue_only=True)] == [later.id]
    assert other.id not in [t.task.id for t in listed]
    with store.transaction() as session:  # the case's owner gets its unassigned tasks
        case = session.get(CaseRow, mine[0])
        assert case is not None
        case.owner_id = ids["olena"]
    assert nobody.id in [t.task.id for t in my_tasks(store, olena)]
    done = complete_task(store, olena, soon.id)
    assert done.done
    assert done.done_by == "olena"
    with pytest.raises(ConflictError):
        complete_task(store, olena, soon.id)
    assert soon.id not in [t.task.id for t in my_tasks(store, olena)]
    assert [t.id for t in case_tasks(store, olena, mine[1])] == [other.id, soon.id]
    again = reopen_task(store, olena, soon.id)
    assert not again.done
    assert again.done_at is None
    with pytest.raises(ConflictError):
        reopen_task(store, olena, soon.id)
    details = [e.details for e in _events(store, "case.task_added")]
    assert details[0] == {"task": later.id, "assignee": ids["olena"]}
    assert [e.details for e in _events(store, "case.task_done")] == [{"task": soon.id}]
    assert [e.details for e in _events(store, "case.task_reopened")] == [{"task": soon.id}]
    assert "Подзвонити" not in json.dumps([e.details for e in _events(store, "work.read")],
                                          ensure_ascii=False)
    work = case_work(store, olena, mine[0])
    assert {t.id for t in work.tasks} == {later.id, nobody.id}
    assert work.contacts == []


@pytest.mark.parametrize("who", ["ivan", "gone", "ana", "nobody"])
def test_a_task_is_given_only_to_an_active_worker_of_the_agency(
        store: Store, world: World, who: str) -> None:
    olena, ids, case = world.olena, world.ids, world.mine[0]
    with pytest.raises(InputRefusedError) as refused:
        add_task(store, olena, case, "Подзвонити", today(), ids.get(who, 999_999))
    assert refused.value.field == "assignee_id"
    assert case_tasks(store, olena, case) == []
    assert [a.username for a in assignees(store, olena)] == ["olena", "petro"]


@pytest.mark.parametrize(("title", "due", "field"), [
    ("", 1, "title"), ("x" * 301, 1, "title"), ("Подзвонити", -1, "due_on"),
    ("Подзвонити", 365 * 7, "due_on")])
def test_a_task_breaking_a_rule_is_refused_naming_the_field(
        store: Store, world: World, title: str, due: int, field: str) -> None:
    olena, case = world.olena, world.mine[0]
    with pytest.raises(InputRefusedError) as refused:
        add_task(store, olena, case, title, today() + dt.timedelta(days=due))
    assert refused.value.field == field


def test_another_agencys_case_and_task_answer_as_missing_and_are_audited(
        store: Store, world: World) -> None:
    olena, ivan = world.olena, world.ivan
    theirs = world.theirs[0]
    task = add_task(store, ivan, theirs, "Їхнє завдання", today())
    log_contact(store, ivan, theirs, NOW, "мама", ContactChannel.VISIT, "зустріч")
    attempts = [
        lambda: log_contact(store, olena, theirs, NOW, "мама", ContactChannel.PHONE, "x"),
        lambda: contacts(store, olena, theirs),
        lambda: add_task(store, olena, theirs, "Чуже", today()),
        lambda: case_tasks(store, olena, theirs),
        lambda: case_work(store, olena, theirs),
        lambda: complete_task(store, olena, task.id),
        lambda: reopen_task(store, olena, task.id),
        lambda: complete_task(store, olena, 999_999),
    ]
    for attempt in attempts:
        with pytest.raises(NotFoundError):
            attempt()
    refused = _events(store, "scope.refused")
    assert len(refused) == len(attempts)
    assert {(e.entity_type, e.entity_id) for e in refused} == {
        ("case", str(theirs)), ("task", str(task.id)), ("task", "999999")}
    assert len(case_tasks(store, ivan, theirs)) == 1
    assert not case_tasks(store, ivan,
                                                                        theirs)[0].done
    assert len(contacts(store, ivan, theirs)) == 1
    assert my_tasks(store, Actor("ivan", UserRole.CASE_WORKER, world.other)) == []

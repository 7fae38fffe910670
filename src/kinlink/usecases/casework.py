"""A case's day-to-day work: log a contact, set a task, mark it done or open it again,
read the contact log and the tasks, and one's own open tasks.

Writing needs :attr:`Action.CASES_WORK` (supervisors and case workers, who talk with
families); reading a case's contacts and tasks needs what reading the case needs
(:attr:`Action.CASES_VIEW`). Every object is reached through the case, within the
actor's reach (:mod:`kinlink.usecases.scope`): a task or a case of another agency
answers as missing, and the refusal is audited. A task is given only to an active person
of the actor's agency whose role works cases. Every write marks the case's last activity
and is audited with ids and codes — never a summary, a title or a name; reads of the log
and the tasks are audited ``case.read`` with their counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.casework import (
    Assignee,
    Contact,
    ContactChannel,
    MyTask,
    Task,
    check_contact,
    check_task,
)
from kinlink.domain.permissions import Action, require, roles_for
from kinlink.errors import ConflictError, InputRefusedError, OutOfReachError
from kinlink.i18n import N_, Wording
from kinlink.storage import Session, Store
from kinlink.storage.cases import CaseRepository
from kinlink.storage.casework import CaseworkRepository
from kinlink.usecases.scope import Reach, case_in_reach, owning_agency, within_reach

_ASSIGNEE_ID_NO_PERSON = Wording("usecases.casework.assignee_id_no_person", N_(
    "assignee_id: no person of your agency who works cases has this id"))

__all__ = ["CaseWork", "add_task", "assignees", "case_tasks", "case_work", "complete_task",
           "contacts", "log_contact", "my_tasks", "reopen_task", "today"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date as tasks are due and overdue (the server's clock, in UTC)."""
    return _now().date()


@dataclass(frozen=True)
class CaseWork:
    """A case's contact log (newest first) and tasks (open first, by due date), as the
    case page shows them under the case."""

    contacts: list[Contact]
    tasks: list[Task]


def _workers() -> list[str]:
    return sorted(role.value for role in roles_for(Action.CASES_WORK))


def _audit(session: Session, actor: Actor, action: AuditAction, case_id: int,
           details: dict[str, object]) -> None:
    append_event(session, AuditEvent(actor.name, action, "case", str(case_id), details))


# -- contacts ------------------------------------------------------------------------------


def log_contact(store: Store, actor: Actor, case_id: int, at: dt.datetime, with_whom: str,
                channel: ContactChannel, summary: str) -> Contact:
    """Log a contact on the case: when (not in the future), with whom, by which channel,
    what was said (required, at most :data:`~kinlink.domain.casework.SUMMARY_MAX`
    characters). Audited ``case.contact_logged`` with the ids and the channel."""
    require(actor, Action.CASES_WORK)
    now = _now()
    moment, whom, text = check_contact(at, with_whom, summary, now)
    with within_reach(store, actor) as (session, reach):
        case_in_reach(session, reach, case_id)
        repo = CaseworkRepository(session)
        made = repo.add_contact(case_id, moment, actor.name, whom, ContactChannel(channel),
                                text, now)
        CaseRepository(session).touch(case_id, now)
        _audit(session, actor, AuditAction.CASE_CONTACT_LOGGED, case_id,
               {"contact": made.id, "channel": made.channel.value})
    return made


def contacts(store: Store, actor: Actor, case_id: int) -> list[Contact]:
    """The case's contact log, newest first (audited ``case.read`` with the count)."""
    require(actor, Action.CASES_VIEW)
    with within_reach(store, actor) as (session, reach):
        case_in_reach(session, reach, case_id)
        found = CaseworkRepository(session).contacts(case_id)
        _audit(session, actor, AuditAction.CASE_READ, case_id, {"contacts": len(found)})
    return found


# -- tasks ---------------------------------------------------------------------------------


def _assignee(session: Session, actor: Actor, case_id: int, assignee_id: int) -> int:
    """``assignee_id`` if that person may be given a task on the case: active, in a role
    that works cases, of the actor's agency (the operator's: of an agency that sees the
    case). Anyone else is refused like a missing person."""
    person = CaseworkRepository(session).person(assignee_id)
    fits = (person is not None and not person.disabled and person.role in _workers()
            and (person.agency_id == actor.agency_id if actor.agency_id is not None
                 else bool(CaseRepository(session).ids_in_reach([case_id],
                                                                person.agency_id))))
    if not fits:
        raise InputRefusedError(_ASSIGNEE_ID_NO_PERSON(), "unknown_assignee", field="assignee_id")
    return assignee_id


def add_task(store: Store, actor: Actor, case_id: int, title: str, due_on: dt.date,
             assignee_id: int | None = None) -> Task:
    """Set a task on the case, due ``due_on`` (today or later), for ``assignee_id`` (a
    person of the agency who works cases; ``None``: nobody in particular, then it is the
    case owner's). Audited ``case.task_added`` with the ids."""
    require(actor, Action.CASES_WORK)
    now = _now()
    text = check_task(title, due_on, now.date())
    with within_reach(store, actor) as (session, reach):
        case_in_reach(session, reach, case_id)
        if assignee_id is not None:
            _assignee(session, actor, case_id, assignee_id)
        repo = CaseworkRepository(session)
        made = repo.add_task(case_id, text, due_on, assignee_id, actor.name, now)
        CaseRepository(session).touch(case_id, now)
        _audit(session, actor, AuditAction.CASE_TASK_ADDED, case_id,
               {"task": made.id, "assignee": assignee_id})
    return made


def _task_in_reach(session: Session, reach: Reach, task_id: int) -> Task:
    """The task, if it exists and its case is in reach (else the task is missing)."""
    found = CaseworkRepository(session).task(task_id)
    if found is None:
        raise OutOfReachError("task", task_id)
    try:
        case_in_reach(session, reach, found.case_id)
    except OutOfReachError:
        raise OutOfReachError("task", task_id) from None
    return found


def _mark(store: Store, actor: Actor, task_id: int, done: bool) -> Task:
    require(actor, Action.CASES_WORK)
    now = _now()
    with within_reach(store, actor) as (session, reach):
        found = _task_in_reach(session, reach, task_id)
        if found.done == done:
            raise ConflictError("the task is already done" if done else "the task is open")
        repo = CaseworkRepository(session)
        repo.set_done(task_id, now if done else None, actor.name if done else None)
        CaseRepository(session).touch(found.case_id, now)
        _audit(session, actor,
               AuditAction.CASE_TASK_DONE if done else AuditAction.CASE_TASK_REOPENED,
               found.case_id, {"task": task_id})
        changed = repo.task(task_id)
    assert changed is not None
    return changed


def complete_task(store: Store, actor: Actor, task_id: int) -> Task:
    """Mark the task done (409 if it is done already). Audited ``case.task_done``."""
    return _mark(store, actor, task_id, True)


def reopen_task(store: Store, actor: Actor, task_id: int) -> Task:
    """Open a task marked done again (409 if it is open). Audited
    ``case.task_reopened``."""
    return _mark(store, actor, task_id, False)


def case_tasks(store: Store, actor: Actor, case_id: int) -> list[Task]:
    """The case's tasks, open first, by due date (audited ``case.read`` with the count)."""
    require(actor, Action.CASES_VIEW)
    with within_reach(store, actor) as (session, reach):
        case_in_reach(session, reach, case_id)
        found = CaseworkRepository(session).tasks(case_id)
        _audit(session, actor, AuditAction.CASE_READ, case_id, {"tasks": len(found)})
    return found


def case_work(store: Store, actor: Actor, case_id: int) -> CaseWork:
    """The case's contact log and tasks together, for the case page (one ``case.read``
    event with both counts)."""
    require(actor, Action.CASES_VIEW)
    with within_reach(store, actor) as (session, reach):
        case_in_reach(session, reach, case_id)
        repo = CaseworkRepository(session)
        found = CaseWork(repo.contacts(case_id), repo.tasks(case_id))
        _audit(session, actor, AuditAction.CASE_READ, case_id,
               {"contacts": len(found.contacts), "tasks": len(found.tasks)})
    return found


def my_tasks(store: Store, actor: Actor, *, overdue_only: bool = False) -> list[MyTask]:
    """The actor's open tasks — given to them, or to nobody on cases they own — on cases
    their agency sees, the overdue first then by due date, each with the child's name as
    reported (audited ``work.read`` with the count). A name that is no user's has none."""
    require(actor, Action.CASES_WORK)
    with within_reach(store, actor) as (session, _reach):
        repo = CaseworkRepository(session)
        person = repo.person_named(actor.name)
        found = [] if person is None else repo.open_tasks_of(
            person.id, actor.agency_id, today() if overdue_only else None)
        append_event(session, AuditEvent(actor.name, AuditAction.WORK_READ, "task", None,
                                         {"tasks": len(found), "overdue_only": overdue_only}))
    return found


def assignees(store: Store, actor: Actor) -> list[Assignee]:
    """The people a task may be given to: active people of the actor's agency whose role
    works cases, by name."""
    require(actor, Action.CASES_WORK)
    with within_reach(store, actor) as (session, _reach):
        return CaseworkRepository(session).workers(owning_agency(actor), _workers())

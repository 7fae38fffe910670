"""Reading and writing a case's contact log and tasks, as read models.

The use cases also mark the case's last activity after each write
(:meth:`kinlink.storage.cases.CaseRepository.touch`), so the caseload can sort by it.
"My tasks" is one query: the person's open tasks on cases their agency sees, with the
child's name as reported, due date first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, aliased

from kinlink.domain.casework import Assignee, Contact, ContactChannel, MyTask, Task
from kinlink.storage.casework_tables import CaseContactRow, CaseTaskRow
from kinlink.storage.review_tables import CaseRow
from kinlink.storage.tables import RecordRow
from kinlink.storage.visibility import record_in_reach
from kinlink.storage.web_tables import UserRow

__all__ = ["CaseworkRepository", "Person", "child_name"]


def _utc(value: dt.datetime) -> dt.datetime:
    """A stored timestamp as an aware UTC datetime (SQLite gives them back naive)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _contact(row: CaseContactRow) -> Contact:
    return Contact(row.id, row.case_id, _utc(row.at), row.actor, row.with_whom,
                   ContactChannel(row.channel), row.summary, _utc(row.logged_at))


def _task(row: CaseTaskRow, assignee: str | None) -> Task:
    return Task(row.id, row.case_id, row.title, row.due_on, row.assignee_id, assignee,
                row.created_by, _utc(row.created_at),
                _utc(row.done_at) if row.done_at is not None else None, row.done_by)


def child_name(surname: str | None, given: str | None, patronymic: str | None,
               full_name: str | None) -> str:
    """The child's name as the report wrote it: surname, given name, patronymic, else the
    full name as one text (empty when the report has none)."""
    parts = [p for p in (surname, given, patronymic) if p]
    return " ".join(parts) if parts else (full_name or "")


class Person:
    """A user as a task's assignee is checked: id, name, role, agency, disabled."""

    def __init__(self, row: UserRow) -> None:
        self.id = row.id
        self.username = row.username
        self.role = row.role
        self.agency_id = row.agency_id
        self.disabled = row.disabled


class CaseworkRepository:
    """Contacts and tasks of cases, in the caller's session and transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- contacts ----------------------------------------------------------------------

    def add_contact(self, case_id: int, at: dt.datetime, actor: str, with_whom: str,
                    channel: ContactChannel, summary: str, logged_at: dt.datetime) -> Contact:
        """Write one entry of the case's contact log."""
        row = CaseContactRow(case_id=case_id, at=at, actor=actor, with_whom=with_whom,
                             channel=channel.value, summary=summary, logged_at=logged_at)
        self._session.add(row)
        self._session.flush()
        return _contact(row)

    def contacts(self, case_id: int) -> list[Contact]:
        """The case's contact log, newest first."""
        rows = self._session.execute(
            select(CaseContactRow).where(CaseContactRow.case_id == case_id)
            .order_by(CaseContactRow.at.desc(), CaseContactRow.id.desc())).scalars()
        return [_contact(r) for r in rows]

    # -- tasks -------------------------------------------------------------------------

    def _tasks(self, *conditions: Any) -> list[Task]:
        rows = self._session.execute(
            select(CaseTaskRow, UserRow.username)
            .outerjoin(UserRow, UserRow.id == CaseTaskRow.assignee_id)
            .where(*conditions)
            .order_by(CaseTaskRow.done_at.is_not(None), CaseTaskRow.due_on, CaseTaskRow.id))
        return [_task(row, name) for row, name in rows.all()]

    def add_task(self, case_id: int, title: str, due_on: dt.date, assignee_id: int | None,
                 created_by: str, created_at: dt.datetime) -> Task:
        """Write a task on the case."""
        row = CaseTaskRow(case_id=case_id, title=title, due_on=due_on,
                          assignee_id=assignee_id, created_by=created_by,
                          created_at=created_at)
        self._session.add(row)
        self._session.flush()
        return self.task(row.id) or _task(row, None)

    def task(self, task_id: int) -> Task | None:
        """The task, or ``None``."""
        found = self._tasks(CaseTaskRow.id == task_id)
        return found[0] if found else None

    def tasks(self, case_id: int) -> list[Task]:
        """The case's tasks: open ones first, each group by due date."""
        return self._tasks(CaseTaskRow.case_id == case_id)

    def set_done(self, task_id: int, done_at: dt.datetime | None, done_by: str | None) -> None:
        """Mark the task done (``done_at`` and ``done_by``) or open again (``None``)."""
        self._session.execute(update(CaseTaskRow).where(CaseTaskRow.id == task_id)
                              .values(done_at=done_at, done_by=done_by))

    def open_tasks_of(self, user_id: int, agency_id: int | None,
                      due_before: dt.date | None = None) -> list[MyTask]:
        """The open tasks of the person ``user_id`` on cases ``agency_id`` sees: those
        given to them, and those given to nobody on the cases they own; due date first
        (the overdue ones lead), optionally only those due before ``due_before``."""
        sought = aliased(RecordRow)
        mine = or_(CaseTaskRow.assignee_id == user_id,
                   and_(CaseTaskRow.assignee_id.is_(None), CaseRow.owner_id == user_id))
        query = (select(CaseTaskRow, UserRow.username, sought.surname, sought.given_name,
                        sought.patronymic, sought.full_name)
                 .join(CaseRow, CaseRow.id == CaseTaskRow.case_id)
                 .join(sought, sought.id == CaseRow.sought_record_pk)
                 .outerjoin(UserRow, UserRow.id == CaseTaskRow.assignee_id)
                 .where(CaseTaskRow.done_at.is_(None), mine,
                        record_in_reach(agency_id, sought))
                 .order_by(CaseTaskRow.due_on, CaseTaskRow.id))
        if due_before is not None:
            query = query.where(CaseTaskRow.due_on < due_before)
        return [MyTask(_task(row, name), child_name(s, g, p, f))
                for row, name, s, g, p, f in self._session.execute(query).all()]

    # -- the case and people -----------------------------------------------------------

    def person(self, user_id: int) -> Person | None:
        """The user ``user_id``, or ``None``."""
        row = self._session.get(UserRow, user_id)
        return Person(row) if row is not None else None

    def person_named(self, username: str) -> Person | None:
        """The user called ``username``, or ``None``."""
        row = self._session.execute(
            select(UserRow).where(UserRow.username == username)).scalar_one_or_none()
        return Person(row) if row is not None else None

    def workers(self, agency_id: int, roles: Iterable[str]) -> list[Assignee]:
        """The active people of ``agency_id`` in one of ``roles``, by name."""
        rows = self._session.execute(
            select(UserRow.id, UserRow.username)
            .where(UserRow.agency_id == agency_id, UserRow.role.in_(list(roles)),
                   UserRow.disabled.is_(False))
            .order_by(UserRow.username)).all()
        return [Assignee(i, n) for i, n in rows]

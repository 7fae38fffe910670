"""``/api/v1/cases/{id}/contacts``, ``/api/v1/cases/{id}/tasks`` and ``/api/v1/tasks``: a
case's contact log and tasks, and one's own open tasks.

Each route calls one use case of :mod:`kinlink.usecases.casework` as the signed-in
person; the use case checks the role again, reaches the case (or the task's case) only
within the agency's reach — another agency's answers 404 — and writes the audit events.
A value that breaks a rule answers 422 with the ``field`` named.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi import status as http
from pydantic import AwareDatetime, BaseModel, StringConstraints

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.api.schemas import PRINTABLE, Id, _In
from kinlink.domain.casework import (
    SUMMARY_MAX,
    TITLE_MAX,
    WITH_WHOM_MAX,
    Contact,
    ContactChannel,
    MyTask,
    Task,
)
from kinlink.domain.permissions import Action
from kinlink.usecases import casework

__all__ = ["ContactIn", "MyTaskOut", "TaskIn", "TaskOut", "router", "task_out"]

router = APIRouter(tags=["contacts and tasks"])
Svc = Annotated[Services, Depends(services)]
PathId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Reader = Annotated[SessionView, Depends(allow(Action.CASES_VIEW))]
Worker = Annotated[SessionView, Depends(allow(Action.CASES_WORK))]


class ContactIn(_In):
    """A contact to log: when (``at``, with its time zone; now when left out), with whom,
    by which channel, what was said."""

    at: AwareDatetime | None = None
    with_whom: Annotated[str, StringConstraints(max_length=WITH_WHOM_MAX, pattern=PRINTABLE)]
    channel: ContactChannel
    summary: Annotated[str, StringConstraints(max_length=SUMMARY_MAX, pattern=PRINTABLE)]


class TaskIn(_In):
    """A task to set: what, due when (today or later), for whom (a person of the agency
    who works cases; ``null``: nobody in particular, then the case's owner)."""

    title: Annotated[str, StringConstraints(max_length=TITLE_MAX, pattern=PRINTABLE)]
    due_on: dt.date
    assignee_id: Id | None = None


class TaskOut(BaseModel):
    """A task as :class:`~kinlink.domain.casework.Task`, with ``done`` and ``overdue``
    (open and past its due date) worked out."""

    id: int
    case_id: int
    title: str
    due_on: dt.date
    assignee_id: int | None
    assignee: str | None
    created_by: str
    created_at: dt.datetime
    done: bool
    done_at: dt.datetime | None
    done_by: str | None
    overdue: bool


class MyTaskOut(TaskOut):
    """One of one's own open tasks, with the child's name as reported."""

    child_name: str


def task_out(task: Task, today: dt.date) -> TaskOut:
    """The wire form of a task, overdue as of ``today``."""
    return TaskOut(id=task.id, case_id=task.case_id, title=task.title, due_on=task.due_on,
                   assignee_id=task.assignee_id, assignee=task.assignee,
                   created_by=task.created_by, created_at=task.created_at, done=task.done,
                   done_at=task.done_at, done_by=task.done_by, overdue=task.overdue(today))


def _mine(item: MyTask, today: dt.date) -> MyTaskOut:
    return MyTaskOut(**task_out(item.task, today).model_dump(), child_name=item.child_name)


@router.get("/cases/{case_id}/contacts", response_model=list[Contact])
def case_contacts(case_id: PathId, svc: Svc, view: Reader) -> list[Contact]:
    """The case's contact log, newest first (audited)."""
    return casework.contacts(svc.store, actor_of(view), case_id)


@router.post("/cases/{case_id}/contacts", response_model=Contact,
             status_code=http.HTTP_201_CREATED, dependencies=[Depends(csrf_header)])
def log_contact(case_id: PathId, body: ContactIn, svc: Svc, view: Worker) -> Contact:
    """Log a contact on the case; ``at`` may not be in the future (422, ``field``
    ``at``)."""
    return casework.log_contact(svc.store, actor_of(view), case_id,
                                body.at or dt.datetime.now(dt.UTC), body.with_whom,
                                body.channel, body.summary)


@router.get("/cases/{case_id}/tasks", response_model=list[TaskOut])
def case_tasks(case_id: PathId, svc: Svc, view: Reader) -> list[TaskOut]:
    """The case's tasks, open first, by due date (audited)."""
    today = casework.today()
    return [task_out(t, today) for t in casework.case_tasks(svc.store, actor_of(view),
                                                           case_id)]


@router.post("/cases/{case_id}/tasks", response_model=TaskOut,
             status_code=http.HTTP_201_CREATED, dependencies=[Depends(csrf_header)])
def add_task(case_id: PathId, body: TaskIn, svc: Svc, view: Worker) -> TaskOut:
    """Set a task on the case; an assignee of another agency, or one who does not work
    cases, is refused (422, ``field`` ``assignee_id``)."""
    made = casework.add_task(svc.store, actor_of(view), case_id, body.title, body.due_on,
                             body.assignee_id)
    return task_out(made, casework.today())


@router.post("/tasks/{task_id}/done", response_model=TaskOut,
             dependencies=[Depends(csrf_header)])
def task_done(task_id: PathId, svc: Svc, view: Worker) -> TaskOut:
    """Mark the task done (409 when it is done already)."""
    return task_out(casework.complete_task(svc.store, actor_of(view), task_id),
                    casework.today())


@router.post("/tasks/{task_id}/reopen", response_model=TaskOut,
             dependencies=[Depends(csrf_header)])
def task_reopen(task_id: PathId, svc: Svc, view: Worker) -> TaskOut:
    """Open a task marked done again (409 when it is open)."""
    return task_out(casework.reopen_task(svc.store, actor_of(view), task_id),
                    casework.today())


@router.get("/tasks", response_model=list[MyTaskOut])
def my_tasks(svc: Svc, view: Worker,
             overdue: Annotated[bool, Query()] = False) -> list[MyTaskOut]:
    """The signed-in person's open tasks, the overdue first then by due date, each with
    the case and the child's name as reported (audited); ``overdue=true``: only those
    past their due date."""
    today = casework.today()
    return [_mine(t, today) for t in casework.my_tasks(svc.store, actor_of(view),
                                                      overdue_only=overdue)]

"""A case's contacts and tasks: the forms of the case page's Contacts and Tasks sections,
the done / reopen buttons, and the page "My tasks".

JSON twins: ``/api/v1/cases/{id}/contacts``, ``/api/v1/cases/{id}/tasks``,
``/api/v1/tasks/{id}/done``, ``/api/v1/tasks/{id}/reopen`` and ``/api/v1/tasks``. A form
whose value breaks a rule shows the case page again (status 422) with the message next to
that field and everything typed kept; the moment of a contact is typed in the configured
time zone (:attr:`~kinlink.config.Settings.timezone`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.context import Services
from kinlink.api.deps import allow, csrf_form
from kinlink.api.errors import status_for
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.casework import ContactChannel
from kinlink.domain.permissions import Action
from kinlink.errors import ConflictError, InputRefusedError
from kinlink.i18n import N_, Wording
from kinlink.usecases import casework
from kinlink.web.case_work import LOCAL_MINUTE, contact_form, field_message, task_form
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.cases import _case_page
from kinlink.web.pages.common import pages

_ASSIGNEE_ID_UNKNOWN = Wording("web.pages.casework.assignee_id_unknown", N_("assignee_id: unknown"))
_AT_GIVE_DATE_TIME = Wording("web.pages.casework.at_give_date_time", N_("at: give a date and time"))
_CHANNEL_UNKNOWN = Wording("web.pages.casework.channel_unknown", N_("channel: unknown"))
_DUE_ON_GIVE_DATE = Wording("web.pages.casework.due_on_give_date", N_("due_on: give a date"))

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Worker = Annotated[SessionView, Depends(allow(Action.CASES_WORK))]
Typed = Annotated[str, Form(max_length=20_000, pattern=PRINTABLE)]
"""A typed value, checked by the use case (so its message can stand next to the field)."""
Back = Annotated[str, Form(pattern="^(/tasks|/cases/[0-9]{1,10})$")]
"""Where a done / reopen button goes back to: "My tasks" or the case page."""


def _moment(svc: Services, typed: str) -> dt.datetime:
    try:
        local = dt.datetime.strptime(typed.strip(), LOCAL_MINUTE)
    except ValueError:
        raise InputRefusedError(_AT_GIVE_DATE_TIME(), field="at") from None
    return local.replace(tzinfo=ZoneInfo(svc.settings.timezone))


def _channel(typed: str) -> ContactChannel:
    try:
        return ContactChannel(typed)
    except ValueError:
        raise InputRefusedError(_CHANNEL_UNKNOWN(), field="channel") from None


def _date(typed: str) -> dt.date:
    try:
        return dt.date.fromisoformat(typed.strip())
    except ValueError:
        raise InputRefusedError(_DUE_ON_GIVE_DATE(), field="due_on") from None


def _assignee(typed: str) -> int | None:
    if not typed.strip():
        return None
    if not typed.strip().isdigit() or not 1 <= int(typed) <= 2**31 - 1:
        raise InputRefusedError(_ASSIGNEE_ID_UNKNOWN(), field="assignee_id")
    return int(typed)


def _refused(request: Request, svc: Services, view: SessionView, case_id: int,
             refused: InputRefusedError, form_key: str, sent: dict[str, str]) -> HTMLResponse:
    errors_key = "contact_errors" if form_key == "contact_form" else "task_errors"
    form = contact_form(svc, **sent) if form_key == "contact_form" else task_form(view, **sent)
    return _case_page(request, svc, view, case_id, {
        form_key: form, errors_key: {refused.field or "form": field_message(refused)}},
        status_for(refused)[0])


@router.post("/cases/{case_id}/contacts", dependencies=[Depends(csrf_form)])
def log_contact_form(request: Request, case_id: Id, svc: Svc, view: Worker,
                     at: Typed = "", with_whom: Typed = "", channel: Typed = "",
                     summary: Typed = "") -> Response:
    """Log a contact; a value that breaks a rule shows the form again, as typed, with the
    message next to the field."""
    try:
        casework.log_contact(svc.store, actor_of(view), case_id, _moment(svc, at), with_whom,
                             _channel(channel), summary)
    except InputRefusedError as refused:
        return _refused(request, svc, view, case_id, refused, "contact_form",
                        {"at": at, "with_whom": with_whom, "channel": channel,
                         "summary": summary})
    return see_other(f"/cases/{case_id}?logged=true#contacts")


@router.post("/cases/{case_id}/tasks", dependencies=[Depends(csrf_form)])
def add_task_form(request: Request, case_id: Id, svc: Svc, view: Worker,
                  title: Typed = "", due_on: Typed = "", assignee_id: Typed = "") -> Response:
    """Set a task; a value that breaks a rule shows the form again, as typed, with the
    message next to the field."""
    try:
        casework.add_task(svc.store, actor_of(view), case_id, title, _date(due_on),
                          _assignee(assignee_id))
    except InputRefusedError as refused:
        return _refused(request, svc, view, case_id, refused, "task_form",
                        {"title": title, "due_on": due_on, "assignee_id": assignee_id})
    return see_other(f"/cases/{case_id}?task_added=true#tasks")


def _mark(svc: Services, view: SessionView, task_id: int, back: str, done: bool) -> Response:
    """Mark the task, then go ``back``. A task already as asked (a second click, or
    someone quicker) is no error here: the page it goes back to shows it as it is."""
    mark = casework.complete_task if done else casework.reopen_task
    try:
        task = mark(svc.store, actor_of(view), task_id)
    except ConflictError:
        return see_other(back or "/tasks")
    if back == "/tasks":
        return see_other("/tasks?done=true" if done else "/tasks")
    return see_other(f"/cases/{task.case_id}#tasks")


@router.post("/tasks/{task_id}/done", dependencies=[Depends(csrf_form)])
def task_done_form(task_id: Id, svc: Svc, view: Worker, back: Back = "/tasks") -> Response:
    """Mark a task done, then back to "My tasks" (or to the case)."""
    return _mark(svc, view, task_id, back, True)


@router.post("/tasks/{task_id}/reopen", dependencies=[Depends(csrf_form)])
def task_reopen_form(task_id: Id, svc: Svc, view: Worker, back: Back = "/tasks") -> Response:
    """Open a task marked done again, then back to the case (or to "My tasks")."""
    return _mark(svc, view, task_id, back, False)


def _tasks_page(request: Request, svc: Services, view: SessionView, overdue: bool,
                done: bool) -> HTMLResponse:
    found = casework.my_tasks(svc.store, actor_of(view), overdue_only=overdue)
    today = casework.today()
    return pages(request).render(request, "tasks.html", {
        "items": found, "today": today, "soon": today + dt.timedelta(days=7),
        "overdue_only": overdue, "done": done,
        "json_twin": "/api/v1/tasks" + ("?overdue=true" if overdue else "")})


@router.get("/tasks", response_class=HTMLResponse)
def tasks_page(request: Request, svc: Svc, view: Worker,
               overdue: Annotated[bool, Query()] = False,
               done: Annotated[bool, Query()] = False) -> HTMLResponse:
    """My tasks: open ones given to me (or to nobody on my cases), the overdue first,
    then by due date, each with the case and the child's name, and a Done button."""
    return _tasks_page(request, svc, view, overdue, done)

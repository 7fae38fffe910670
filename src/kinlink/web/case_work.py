"""What the case page shows of a case's day-to-day work: its contact log and tasks, the
forms to add to them (empty, or as the person sent them with a message next to each
field at fault), and the words for the rules a value broke.

Kept apart from the page routes (:mod:`kinlink.web.pages.casework`) so that the case
page (:mod:`kinlink.web.pages.cases`) adds these context keys without the two route
modules importing each other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.context import Services
from kinlink.domain.casework import ContactChannel
from kinlink.domain.permissions import Action, allowed
from kinlink.errors import InputRefusedError
from kinlink.usecases.casework import CaseWork, assignees, today
from kinlink.web.i18n import N_

__all__ = ["CHANNELS", "LOCAL_MINUTE", "case_work_context", "contact_form", "field_message",
           "local_now", "task_form"]

CHANNELS = [c.value for c in ContactChannel]
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"
"""How a ``datetime-local`` field writes a moment (in the configured time zone)."""

_MESSAGES: dict[tuple[str, str], str] = {
    ("at", "future"): N_("A contact cannot be in the future."),
    ("at", "too_early"): N_("A contact cannot be before 2014."),
    ("at", "invalid"): N_("Give the date and time of the contact."),
    ("channel", "invalid"): N_("Choose how the contact took place."),
    ("due_on", "past"): N_("The due date has passed: choose today or a later day."),
    ("due_on", "too_late"): N_("A task is due within five years."),
    ("due_on", "invalid"): N_("Give the due date."),
    ("assignee_id", "unknown_assignee"): N_("Choose a person of your agency who works cases."),
    ("assignee_id", "invalid"): N_("Choose a person of your agency who works cases."),
}
_BY_CODE = {"required": N_("This is required."), "too_long": N_("This is too long.")}


def field_message(refused: InputRefusedError) -> str:
    """The words (English, to be translated by the template) for the rule a field's
    value broke."""
    return _MESSAGES.get((refused.field or "", refused.code)) or _BY_CODE.get(
        refused.code, refused.text)


def local_now(svc: Services) -> str:
    """Now, to the minute, in the configured time zone, as a ``datetime-local`` value."""
    return dt.datetime.now(ZoneInfo(svc.settings.timezone)).strftime(LOCAL_MINUTE)


def contact_form(svc: Services, **sent: str) -> dict[str, str]:
    """The contact form's values: as sent, else now and a phone call."""
    return {"at": local_now(svc), "with_whom": "", "channel": ContactChannel.PHONE.value,
            "summary": "", **sent}


def task_form(view: SessionView, **sent: str) -> dict[str, str]:
    """The task form's values: as sent, else due in a week, for the person themselves."""
    due = (today() + dt.timedelta(days=7)).isoformat()
    return {"title": "", "due_on": due, "assignee_id": str(view.principal.user_id), **sent}


def case_work_context(svc: Services, view: SessionView, work: CaseWork) -> dict[str, Any]:
    """The case page's keys for its contacts and tasks sections, from the work read with
    the case (``read_case(..., with_work=True)``: the page's one audited read)."""
    actor = actor_of(view)
    may_work = allowed(view.role, Action.CASES_WORK)
    return {
        "contacts": work.contacts, "tasks": work.tasks, "today": today(),
        "contact_channels": CHANNELS, "assignees": assignees(svc.store, actor) if may_work
        else [], "contact_form": contact_form(svc), "contact_errors": {},
        "task_form": task_form(view), "task_errors": {}, "logged": False,
        "task_added": False,
    }

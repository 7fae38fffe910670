"""A case's day-to-day work: the contact log (who talked with whom, when, how, what was
said) and tasks with due dates, and the rules a new entry must keep.

Contact summaries and task titles are personal data: they stay with the case, are read
only by those who may read the case, and never reach the audit log, a log line or an
error message. The rules here refuse a value with a message naming the field
(:class:`~kinlink.errors.InputRefusedError` with ``field``), never quoting the value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kinlink.errors import InputRefusedError
from kinlink.i18n import N_, Wording

__all__ = [
    "EARLIEST",
    "FUTURE_SLACK",
    "LATEST_DUE_YEARS",
    "SUMMARY_MAX",
    "TITLE_MAX",
    "WITH_WHOM_MAX",
    "Assignee",
    "Contact",
    "ContactChannel",
    "MyTask",
    "Task",
    "check_contact",
    "check_task",
]

SUMMARY_MAX = 4000
"""Characters of a contact's summary (a page of notes; longer belongs in a document)."""
WITH_WHOM_MAX = 300
"""Characters of whom the contact was with (the column's width)."""
TITLE_MAX = 300
"""Characters of a task's title (the column's width)."""
EARLIEST = dt.datetime(2014, 1, 1, tzinfo=dt.UTC)
"""No contact about a child deported in this war can be older than its start."""
FUTURE_SLACK = dt.timedelta(minutes=5)
"""How far ahead of the server's clock a contact may be dated (clocks differ a little)."""
LATEST_DUE_YEARS = 5
"""A task is due within this many years (a later date is a typing mistake)."""


class ContactChannel(StrEnum):
    """How a contact took place."""

    PHONE = "phone"
    VISIT = "visit"
    MESSAGE = "message"
    EMAIL = "email"
    LETTER = "letter"
    OTHER = "other"


@dataclass(frozen=True)
class Contact:
    """One entry of a case's contact log: ``at`` when it happened, ``actor`` who logged
    it, ``with_whom`` and ``channel``, ``summary`` what was said, ``logged_at`` when it
    was written down."""

    id: int
    case_id: int
    at: dt.datetime
    actor: str
    with_whom: str
    channel: ContactChannel
    summary: str
    logged_at: dt.datetime


@dataclass(frozen=True)
class Task:
    """A task on a case: what, due when, for whom (``assignee``: user name, ``None`` for
    nobody in particular), who set it and when, and when it was done and by whom."""

    id: int
    case_id: int
    title: str
    due_on: dt.date
    assignee_id: int | None
    assignee: str | None
    created_by: str
    created_at: dt.datetime
    done_at: dt.datetime | None
    done_by: str | None

    @property
    def done(self) -> bool:
        """Whether the task was marked done (and not reopened since)."""
        return self.done_at is not None

    def overdue(self, today: dt.date) -> bool:
        """Whether the task is open and its due date has passed."""
        return not self.done and self.due_on < today


@dataclass(frozen=True)
class MyTask:
    """An open task on one's own list: the task, and the child's name as reported (the
    case's reported record), for the person to know whose case it is."""

    task: Task
    child_name: str


@dataclass(frozen=True)
class Assignee:
    """A person a task may be given to: of the agency, active, in a role that works
    cases."""

    id: int
    username: str


REQUIRED = {
    "with_whom": Wording("contact.with_whom_required",
                         N_("with_whom: whom it was with is required")),
    "summary": Wording("contact.summary_required", N_("summary: a summary is required")),
    "title": Wording("task.title_required", N_("title: a title is required")),
}
"""What a refusal says when one of the texts is left empty, by field."""
AT_MOST = Wording("field.at_most", N_("{field}: at most {limit} characters"))
NO_ZONE = Wording("contact.no_zone", N_("at: give the time zone of the moment"))
IN_FUTURE = Wording("contact.in_future", N_("at: a contact cannot be in the future"))
TOO_EARLY = Wording("contact.too_early", N_("at: a contact cannot be before 2014"))
DUE_PASSED = Wording("task.due_passed", N_(
    "due_on: the due date has passed; choose today or a later day"))
DUE_TOO_LATE = Wording("task.due_too_late", N_("due_on: a task is due within {years} years"))


def _required(value: str, field: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InputRefusedError(REQUIRED[field](), "required", field=field)
    if len(text) > limit:
        raise InputRefusedError(AT_MOST(field=field, limit=limit), "too_long", field=field)
    return text


def check_contact(at: dt.datetime, with_whom: str, summary: str,
                  now: dt.datetime) -> tuple[dt.datetime, str, str]:
    """A contact's moment (aware, UTC), with whom and summary as they will be kept, or a
    refusal naming the field: the moment not in the future nor before 2014, both texts
    given and not too long."""
    if at.tzinfo is None:
        raise InputRefusedError(NO_ZONE(), "invalid", field="at")
    moment = at.astimezone(dt.UTC)
    if moment > now + FUTURE_SLACK:
        raise InputRefusedError(IN_FUTURE(), "future", field="at")
    if moment < EARLIEST:
        raise InputRefusedError(TOO_EARLY(), "too_early", field="at")
    return (moment, _required(with_whom, "with_whom", WITH_WHOM_MAX),
            _required(summary, "summary", SUMMARY_MAX))


def check_task(title: str, due_on: dt.date, today: dt.date) -> str:
    """A task's title as it will be kept, or a refusal naming the field: a title, a due
    date from today to :data:`LATEST_DUE_YEARS` years ahead."""
    text = _required(title, "title", TITLE_MAX)
    if due_on < today:
        raise InputRefusedError(DUE_PASSED(), "past", field="due_on")
    if due_on.year > today.year + LATEST_DUE_YEARS:
        raise InputRefusedError(DUE_TOO_LATE(years=LATEST_DUE_YEARS), "too_late",
                                field="due_on")
    return text

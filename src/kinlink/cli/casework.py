"""``kinlink contacts`` and ``kinlink tasks``: a case's contact log and tasks, and one's own
open tasks, at the command line (the same use cases as the pages and the API)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from kinlink.cli.context import (
    acting,
    fail,
    friendly_errors,
    local_time,
    out,
    settings,
    store,
    term,
    tr,
)
from kinlink.domain.casework import ContactChannel, Task
from kinlink.usecases import casework
from kinlink.web.labels import CONTACT_CHANNELS

contacts_app = typer.Typer(help="A case's contact log: who talked with whom, when, how.",
                           no_args_is_help=True)
tasks_app = typer.Typer(help="Tasks on cases, with due dates; your own open tasks.",
                        no_args_is_help=True)

CaseArg = Annotated[int, typer.Argument(help="The case's id.", show_default=False)]
TaskArg = Annotated[int, typer.Argument(help="The task's id.", show_default=False)]


def _moment(text: str | None) -> dt.datetime:
    """``--at`` as an aware moment: ISO 8601, local time of this computer when it names no
    time zone; now when not given."""
    if text is None:
        return dt.datetime.now(dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise fail(tr("--at: give a date and time as 2026-12-06T10:30 (ISO 8601)")) from None
    return moment if moment.tzinfo is not None else moment.astimezone()


@contacts_app.command("add")
@friendly_errors
def contacts_add_command(
    case: CaseArg,
    with_whom: Annotated[str, typer.Option("--with", help="With whom (the mother, a school, "
                                           "an office).", show_default=False)],
    channel: Annotated[ContactChannel, typer.Option(help="How the contact took place.",
                                                    show_default=False)],
    summary: Annotated[str, typer.Option(help="What was said.", show_default=False)],
    at: Annotated[str | None, typer.Option(help="When (ISO 8601, e.g. 2026-12-06T10:30; "
                                           "this computer's time zone unless given); "
                                           "now by default.", show_default=False)] = None,
) -> None:
    """Log a contact on a case (KINLINK_ROLE supervisor or case_worker). Not in the
    future; the summary is kept with the case and never written to the audit log."""
    config = settings()
    with store(config) as opened:
        made = casework.log_contact(opened, acting(config), case, _moment(at), with_whom,
                                    channel, summary)
    out.print(tr("Contact {contact} logged on case {case}.").format(contact=made.id, case=case))


@contacts_app.command("list")
@friendly_errors
def contacts_list_command(case: CaseArg) -> None:
    """A case's contact log, newest first (the read is audited)."""
    config = settings()
    with store(config) as opened:
        found = casework.contacts(opened, acting(config), case)
    table = Table(tr("id"), tr("when"), tr("with whom"), tr("how"), tr("what was said"),
                  tr("logged by"),
                  title=tr("Contacts of case {case}: {count}").format(case=case,
                                                                    count=len(found)),
                  title_justify="left")
    for c in found:
        table.add_row(str(c.id), local_time(c.at, config), c.with_whom,
                      term(CONTACT_CHANNELS, c.channel),
                      c.summary, c.actor)
    out.print(table)


def _state(task: Task, today: dt.date) -> str:
    if task.done:
        return tr("done by {user}").format(user=task.done_by)
    return tr("OVERDUE") if task.overdue(today) else tr("open")


@tasks_app.command("add")
@friendly_errors
def tasks_add_command(
    case: CaseArg,
    title: Annotated[str, typer.Option(help="What is to be done.", show_default=False)],
    due: Annotated[str, typer.Option(help="Due date, YYYY-MM-DD (today or later).",
                                     show_default=False)],
    assignee: Annotated[str | None, typer.Option(
        help="The user name of the person who should do it (of your agency, working "
             "cases); by default nobody in particular: the case's owner.",
        show_default=False)] = None,
) -> None:
    """Set a task on a case (KINLINK_ROLE supervisor or case_worker)."""
    try:
        due_on = dt.date.fromisoformat(due)
    except ValueError:
        raise fail(tr("--due: give a date as YYYY-MM-DD")) from None
    config = settings()
    actor = acting(config)
    with store(config) as opened:
        person = None
        if assignee is not None:
            person = next((p.id for p in casework.assignees(opened, actor)
                           if p.username == assignee), None)
            if person is None:
                raise fail(tr("--assignee: no person of your agency who works cases has "
                              "this user name"))
        made = casework.add_task(opened, actor, case, title, due_on, person)
    if made.assignee:
        out.print(tr("Task {task} set on case {case}, due {due} for {user}.").format(
            task=made.id, case=case, due=made.due_on.isoformat(), user=made.assignee))
    else:
        out.print(tr("Task {task} set on case {case}, due {due}.").format(
            task=made.id, case=case, due=made.due_on.isoformat()))


@tasks_app.command("list")
@friendly_errors
def tasks_list_command(
    overdue: Annotated[bool, typer.Option("--overdue", help="Only those past their due "
                                          "date.")] = False,
    case: Annotated[int | None, typer.Option(help="A case's tasks (open and done) instead "
                                             "of your own.", show_default=False)] = None,
) -> None:
    """Your open tasks (KINLINK_USER: given to you, or to nobody on cases you own), the
    overdue first, then by due date; or, with --case, every task of one case."""
    config = settings()
    today = casework.today()
    with store(config) as opened:
        if case is not None:
            rows = [(t, "") for t in casework.case_tasks(opened, acting(config), case)]
            if overdue:
                rows = [(t, n) for t, n in rows if t.overdue(today)]
        else:
            rows = [(m.task, m.child_name) for m in casework.my_tasks(
                opened, acting(config), overdue_only=overdue)]
    table = Table(tr("task"), tr("due"), tr("state"), tr("what"), tr("case"), tr("child"),
                  tr("for"), title=tr("Tasks: {count}").format(count=len(rows)),
                  title_justify="left")
    for task, child in rows:
        table.add_row(str(task.id), task.due_on.isoformat(), _state(task, today), task.title,
                      str(task.case_id), child, task.assignee or tr("the case owner"))
    out.print(table)


@tasks_app.command("done")
@friendly_errors
def tasks_done_command(task: TaskArg) -> None:
    """Mark a task done."""
    config = settings()
    with store(config) as opened:
        marked = casework.complete_task(opened, acting(config), task)
    out.print(tr("Task {task} on case {case} is done.").format(task=marked.id,
                                                               case=marked.case_id))


@tasks_app.command("reopen")
@friendly_errors
def tasks_reopen_command(task: TaskArg) -> None:
    """Open a task marked done again."""
    config = settings()
    with store(config) as opened:
        marked = casework.reopen_task(opened, acting(config), task)
    out.print(tr("Task {task} on case {case} is open again.").format(task=marked.id,
                                                                     case=marked.case_id))

"""``kinlink contacts`` and ``kinlink tasks``: log a contact, list the log, set a task for
a person by user name, list one's own tasks, mark done and reopen; refusals in words and
exit code 2."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cliworlds import StartWorld
from kinlink.cli import app
from kinlink.config import Settings
from kinlink.storage import open_store
from kinlink.storage.accounts import AccountRepository

runner = CliRunner()
LIST = ("record_id,прізвище,ім'я,по батькові,дата народження,стать\n"
        "1,Петренко,Олександр,Іванович,12.03.2014,ч\n")


def _case(folder: Path) -> str:
    """One reported child and its case, and the people ``operator`` (the one at the
    keyboard) and ``halyna`` (case workers of the home agency) and ``ana`` (an analyst)."""
    path = folder / "reports.csv"
    path.write_text(LIST, encoding="utf-8")
    imported = runner.invoke(app, ["import", str(path), "--kind", "family_reports"])
    assert imported.exit_code == 0, imported.output
    opened = runner.invoke(app, ["cases", "open"])
    assert opened.exit_code == 0, opened.output
    store = open_store(Settings())
    with store.transaction() as session:
        accounts = AccountRepository(session)
        for name, role in (("operator", "case_worker"), ("halyna", "case_worker"),
                           ("ana", "analyst")):
            accounts.add_user(username=name, password_hash="x", role=role, agency_id=1)
    store.dispose()
    return "1"


@pytest.fixture
def case(cli_world: StartWorld, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of :func:`_case`'s store (built once per worker), acted on in the home
    agency."""
    made: str = cli_world(_case)
    monkeypatch.setenv("KINLINK_AGENCY", "1")
    return made


def test_a_contact_is_logged_and_listed(case: str) -> None:
    logged = runner.invoke(app, ["contacts", "add", case, "--with", "Петренко Ірина",
                                 "--channel", "phone", "--summary", "Мама передзвонить.",
                                 "--at", "2026-01-05T10:30+02:00"])
    assert logged.exit_code == 0, logged.output
    assert "Contact 1 logged on case 1." in logged.output
    listed = runner.invoke(app, ["contacts", "list", case])
    assert listed.exit_code == 0, listed.output
    assert "Мама передзвонить." in listed.output
    assert "2026-01-05 10:30 +02:00" in listed.output  # the configured zone, Kyiv


def test_a_contact_in_the_future_is_refused_in_words(case: str) -> None:
    refused = runner.invoke(app, ["contacts", "add", case, "--with", "мама", "--channel",
                                  "visit", "--summary", "x", "--at", "2099-01-01T10:00"])
    assert refused.exit_code == 2
    assert "a contact cannot be in the future" in refused.output
    assert runner.invoke(app, ["contacts", "add", "999", "--with", "мама", "--channel",
                               "visit", "--summary", "x"]).exit_code == 2


def test_tasks_are_set_listed_done_and_reopened(case: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    due = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)).isoformat()
    made = runner.invoke(app, ["tasks", "add", case, "--title", "Запросити свідоцтво",
                               "--due", due, "--assignee", "operator"])
    assert made.exit_code == 0, made.output
    assert f"Task 1 set on case 1, due {due} for operator." in made.output
    other = runner.invoke(app, ["tasks", "add", case, "--title", "Лист до школи", "--due",
                                due, "--assignee", "halyna"])
    assert other.exit_code == 0, other.output
    mine = runner.invoke(app, ["tasks", "list"])
    assert mine.exit_code == 0, mine.output
    assert "Запросити свідоцтво" in mine.output
    assert "Лист до школи" not in mine.output
    assert "Петренко Олександр Іванович" in mine.output
    assert "Tasks: 0" in runner.invoke(app, ["tasks", "list", "--overdue"]).output
    assert runner.invoke(app, ["tasks", "done", "1"]).exit_code == 0
    again = runner.invoke(app, ["tasks", "done", "1"])
    assert again.exit_code == 2
    assert "already done" in again.output
    assert "Tasks: 0" in runner.invoke(app, ["tasks", "list"]).output
    of_case = runner.invoke(app, ["tasks", "list", "--case", case])
    assert "done by operator" in of_case.output
    assert "Лист до школи" in of_case.output
    reopened = runner.invoke(app, ["tasks", "reopen", "1"])
    assert reopened.exit_code == 0
    assert "open again" in reopened.output
    monkeypatch.setenv("KINLINK_USER", "halyna")
    assert "Лист до школи" in runner.invoke(app, ["tasks", "list"]).output


@pytest.mark.parametrize(("args", "said"), [
    (["--due", "2020-01-01"], "due_on: the due date has passed"),
    (["--due", "tomorrow"], "--due: give a date as YYYY-MM-DD"),
    (["--due", "2030-01-01", "--assignee", "ana"], "--assignee: no person of your agency"),
    (["--due", "2030-01-01", "--assignee", "nobody"], "--assignee: no person of your agency"),
])
def test_a_task_breaking_a_rule_is_refused_in_words(case: str, args: list[str],
                                                    said: str) -> None:
    refused = runner.invoke(app, ["tasks", "add", case, "--title", "x", *args])
    assert refused.exit_code == 2
    assert said in " ".join(refused.output.split())


def test_an_analyst_may_not_set_tasks(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINLINK_ROLE", "analyst")
    refused = runner.invoke(app, ["tasks", "add", case, "--title", "x", "--due", "2030-01-01"])
    assert refused.exit_code == 2
    assert "analyst may not take a case, log contacts and set tasks" in refused.output

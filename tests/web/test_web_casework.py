"""A case's contacts and tasks through the JSON API and the case page's forms: logging,
listing, setting, marking done and reopening, "my tasks", 422 naming the field (the API)
and the form shown again with the message next to the field and what was typed kept (the
pages), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from webhelpers import Person, Seed, SignIn

from kinlink.domain.access import Actor
from kinlink.domain.users import UserRole
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.cases import list_cases, open_missing_cases

TODAY = dt.datetime.now(dt.UTC).date()


@pytest.fixture
def case_id(app: FastAPI, seed: Seed) -> int:
    """The case of the first reported child of the family list (Петренко Олександр)."""
    seed()
    store = app.state.services.store
    boss = Actor("test", UserRole.SUPERVISOR, 1)
    open_missing_cases(store, boss)
    return min(c.id for c in list_cases(store, boss))


def _post(person: Person, path: str, body: object) -> object:
    return person.client.post(path, json=body, headers=person.headers)


def test_the_api_logs_and_lists_contacts_newest_first(
        sign_in: SignIn, case_id: int) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    at = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).isoformat()
    first = worker.client.post(f"/api/v1/cases/{case_id}/contacts", headers=worker.headers,
                               json={"at": at, "with_whom": "Петренко Ірина",
                                     "channel": "phone", "summary": "Мама передзвонить."})
    assert first.status_code == 201, first.text
    second = worker.client.post(f"/api/v1/cases/{case_id}/contacts", headers=worker.headers,
                                json={"with_whom": "школа", "channel": "email",
                                      "summary": "Запит надіслано."})
    assert second.status_code == 201, second.text
    assert second.json()["actor"] == worker.username
    listed = sign_in(UserRole.REVIEWER).client.get(f"/api/v1/cases/{case_id}/contacts")
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()] == [second.json()["id"], first.json()["id"]]
    assert listed.json()[1]["summary"] == "Мама передзвонить."


@pytest.mark.parametrize(("body", "field"), [
    ({"at": "2099-01-01T10:00:00+02:00", "with_whom": "мама", "channel": "phone",
      "summary": "x"}, "at"),
    ({"with_whom": "мама", "channel": "phone", "summary": "  "}, "summary"),
    ({"with_whom": "", "channel": "phone", "summary": "x"}, "with_whom"),
])
def test_the_api_refuses_a_contact_with_422_naming_the_field(
        sign_in: SignIn, case_id: int, body: dict[str, str], field: str) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    refused = worker.client.post(f"/api/v1/cases/{case_id}/contacts", json=body,
                                 headers=worker.headers)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == field
    assert "мама" not in refused.text


def test_the_api_refuses_a_channel_it_does_not_know(sign_in: SignIn, case_id: int) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    refused = worker.client.post(f"/api/v1/cases/{case_id}/contacts", headers=worker.headers,
                                 json={"with_whom": "мама", "channel": "pigeon",
                                       "summary": "x"})
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "channel"
    assert "channel" in refused.json()["error"]["message"]


def test_the_api_sets_tasks_marks_them_done_and_lists_mine(
        sign_in: SignIn, case_id: int, second_agency: int) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    boss = sign_in(UserRole.SUPERVISOR)
    stranger = sign_in(UserRole.CASE_WORKER, second_agency)
    due = (TODAY + dt.timedelta(days=2)).isoformat()
    made = boss.client.post(f"/api/v1/cases/{case_id}/tasks", headers=boss.headers,
                            json={"title": "Подзвонити мамі", "due_on": due,
                                  "assignee_id": worker.user_id})
    assert made.status_code == 201, made.text
    task = made.json()
    assert (task["assignee"], task["done"], task["overdue"]) == (worker.username, False,
                                                                   False)
    refused = boss.client.post(f"/api/v1/cases/{case_id}/tasks", headers=boss.headers,
                               json={"title": "x", "due_on": due,
                                     "assignee_id": stranger.user_id})
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "assignee_id"
    past = boss.client.post(f"/api/v1/cases/{case_id}/tasks", headers=boss.headers,
                            json={"title": "x", "due_on": "2020-01-01"})
    assert past.status_code == 422
    assert past.json()["error"]["field"] == "due_on"
    mine = worker.client.get("/api/v1/tasks")
    assert mine.status_code == 200
    assert [(t["id"], t["case_id"], t["child_name"]) for t in mine.json()] == [
        (task["id"], case_id, "Петренко Олександр Іванович")]
    assert worker.client.get("/api/v1/tasks?overdue=true").json() == []
    assert boss.client.get("/api/v1/tasks").json() == []
    done = worker.client.post(f"/api/v1/tasks/{task['id']}/done", headers=worker.headers)
    assert done.status_code == 200
    assert done.json()["done"] is True
    again = worker.client.post(f"/api/v1/tasks/{task['id']}/done", headers=worker.headers)
    assert again.status_code == 409
    assert worker.client.get("/api/v1/tasks").json() == []
    listed = worker.client.get(f"/api/v1/cases/{case_id}/tasks").json()
    assert [(t["id"], t["done_by"]) for t in listed] == [(task["id"], worker.username)]
    reopened = worker.client.post(f"/api/v1/tasks/{task['id']}/reopen", headers=worker.headers)
    assert reopened.status_code == 200
    assert reopened.json()["done"] is False
    missing = worker.client.post("/api/v1/tasks/999999/done", headers=worker.headers)
    assert missing.status_code == 404


def test_the_case_page_logs_a_contact_and_keeps_what_was_typed_when_refused(
        sign_in: SignIn, case_id: int) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    page = worker.client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert 'id="contact-form"' in page.text
    assert 'id="task-form"' in page.text
    refused = worker.client.post(f"/cases/{case_id}/contacts", data={
        "csrf_token": worker.csrf, "at": "2099-05-01T10:30", "with_whom": "Петренко Ірина",
        "channel": "visit", "summary": "Мама приходила з документами."})
    assert refused.status_code == 422
    assert "A contact cannot be in the future." in refused.text
    assert re.search(r'id="contact-at-error"', refused.text)
    assert 'value="Петренко Ірина"' in refused.text
    assert "Мама приходила з документами.</textarea>" in refused.text
    assert 'value="visit" selected' in refused.text
    logged = worker.client.post(f"/cases/{case_id}/contacts", follow_redirects=False, data={
        "csrf_token": worker.csrf, "at": "2026-01-05T10:30", "with_whom": "Петренко Ірина",
        "channel": "visit", "summary": "Мама приходила з документами."})
    assert logged.status_code == 303
    assert logged.headers["location"] == f"/cases/{case_id}?logged=true#contacts"
    shown = worker.client.get(logged.headers["location"])
    assert "The contact was logged." in shown.text
    assert "Мама приходила з документами." in shown.text


def test_the_case_page_sets_a_task_refuses_an_empty_title_and_marks_it_done(
        sign_in: SignIn, case_id: int) -> None:
    worker = sign_in(UserRole.CASE_WORKER, language="uk")
    due = (TODAY + dt.timedelta(days=1)).isoformat()
    refused = worker.client.post(f"/cases/{case_id}/tasks", data={
        "csrf_token": worker.csrf, "title": " ", "due_on": due,
        "assignee_id": str(worker.user_id)})
    assert refused.status_code == 422
    assert 'id="task-title-error"' in refused.text
    assert f'value="{due}"' in refused.text
    set_ = worker.client.post(f"/cases/{case_id}/tasks", follow_redirects=False, data={
        "csrf_token": worker.csrf, "title": "Запросити свідоцтво", "due_on": due,
        "assignee_id": str(worker.user_id)})
    assert set_.status_code == 303
    tasks = worker.client.get("/tasks")
    assert tasks.status_code == 200
    assert "Запросити свідоцтво" in tasks.text
    assert "Петренко Олександр Іванович" in tasks.text
    task_id = worker.client.get("/api/v1/tasks").json()[0]["id"]
    done = worker.client.post(f"/tasks/{task_id}/done", follow_redirects=False,
                              data={"csrf_token": worker.csrf, "back": "/tasks"})
    assert done.status_code == 303
    assert done.headers["location"] == "/tasks?done=true"
    twice = worker.client.post(f"/tasks/{task_id}/done", follow_redirects=False,
                               data={"csrf_token": worker.csrf, "back": "/tasks"})
    assert twice.status_code == 303
    assert "Запросити свідоцтво" not in worker.client.get("/tasks").text
    reopened = worker.client.post(f"/tasks/{task_id}/reopen", follow_redirects=False,
                                  data={"csrf_token": worker.csrf,
                                        "back": f"/cases/{case_id}"})
    assert reopened.headers["location"] == f"/cases/{case_id}#tasks"
    elsewhere = worker.client.post(f"/tasks/{task_id}/done", follow_redirects=False,
                                   data={"csrf_token": worker.csrf,
                                         "back": "https://evil.example/"})
    assert elsewhere.status_code == 422


def test_those_who_only_read_cases_see_contacts_and_tasks_without_the_forms(
        sign_in: SignIn, case_id: int) -> None:
    worker = sign_in(UserRole.CASE_WORKER)
    _post(worker, f"/api/v1/cases/{case_id}/contacts",
          {"with_whom": "мама", "channel": "phone", "summary": "Перший дзвінок."})
    reviewer = sign_in(UserRole.REVIEWER)
    page = reviewer.client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "Перший дзвінок." in page.text
    assert 'id="contact-form"' not in page.text
    assert 'id="task-form"' not in page.text
    assert 'href="/tasks"' not in page.text
    assert 'href="/tasks"' in worker.client.get(f"/cases/{case_id}").text


def test_one_view_of_the_case_page_is_one_case_read_in_the_audit_log(
        app: FastAPI, sign_in: SignIn, case_id: int) -> None:
    """The case, the child's records, the contact log and the tasks are read in one use
    case call: one ``case.read`` event per view, with the counts of all it read (never
    a summary or a name)."""
    worker = sign_in(UserRole.CASE_WORKER)
    _post(worker, f"/api/v1/cases/{case_id}/contacts",
          {"with_whom": "мама", "channel": "phone", "summary": "Перший дзвінок."})
    _post(worker, f"/api/v1/cases/{case_id}/tasks",
          {"title": "Передзвонити", "due_on": (TODAY + dt.timedelta(days=3)).isoformat()})
    store = app.state.services.store

    def reads() -> list[dict[str, object]]:
        with store.transaction() as session:
            return [dict(d) for d in session.execute(
                select(AuditEventRow.details).where(
                    AuditEventRow.action == "case.read",
                    AuditEventRow.entity_id == str(case_id),
                    AuditEventRow.actor == worker.username)
                .order_by(AuditEventRow.id)).scalars()]

    before = len(reads())
    page = worker.client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "Перший дзвінок." in page.text
    assert "Передзвонити" in page.text
    after = reads()
    assert len(after) == before + 1
    assert after[-1] == {"records": 1, "hidden": 0, "contacts": 1, "tasks": 1}
    assert "мама" not in str(after)
    assert "Передзвонити" not in str(after)

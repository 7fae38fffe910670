"""In a real browser (Debian's chromium), in Ukrainian and in English: a case worker opens
a case, logs a call (first dated in the future: the message stands next to the field and
what was typed stays), sets a task for themselves, finds it under "My tasks" with the
child's name, and marks it done."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from webhelpers import CHROMIUM, FAMILY_LIST, LiveServer, app_with_cases, sign_in_page

from kinlink.domain.access import Actor
from kinlink.domain.users import UserRole
from kinlink.usecases.cases import list_cases

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

WORDS = {
    "en": {"future": "A contact cannot be in the future.", "logged": "The contact was logged.",
           "set": "The task was set.", "nav": "My tasks", "done": "Done",
           "finished": "The task is done.", "empty": "You have no open task.",
           "phone": "phone call"},
    "uk": {"future": "Контакт не може бути в майбутньому.", "logged": "Контакт записано.",
           "set": "Завдання поставлено.", "nav": "Мої завдання", "done": "Виконано",
           "finished": "Завдання виконано.", "empty": "У вас немає відкритих завдань.",
           "phone": "телефонний дзвінок"},
}


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    yield from app_with_cases(tmp_path, FAMILY_LIST)


@pytest.mark.parametrize("language", ["uk", "en"])
def test_a_case_worker_logs_a_call_sets_a_task_and_marks_it_done(
        live_app: FastAPI, browser: Browser, language: str) -> None:
    words = WORDS[language]
    store = live_app.state.services.store
    case = min(c.id for c in list_cases(store, Actor("test", UserRole.SUPERVISOR, 1)))
    username = f"worker-{language}"
    made = live_app.state.services.admin.create_user(
        "test", username, UserRole.CASE_WORKER, 1, language, with_second_factor=True)
    due = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2)).isoformat()
    with LiveServer(live_app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, username, made.password or "", made.totp_secret or "")
        page.goto(f"{server.url}/cases/{case}")
        page.fill("#contact-at", "2099-05-01T10:30")
        page.fill("#contact-with", "Петренко Ірина")
        page.select_option("#contact-channel", "phone")
        page.fill("#contact-summary", "Мама каже, що хлопчика бачили в Анапі.")
        page.click("#contact-form button[type=submit]")
        expect(page.locator("#contact-at-error")).to_have_text(words["future"])
        expect(page.locator("#contact-with")).to_have_value("Петренко Ірина")
        expect(page.locator("#contact-summary")).to_have_value(
            "Мама каже, що хлопчика бачили в Анапі.")
        page.fill("#contact-at", "2026-01-05T10:30")
        page.click("#contact-form button[type=submit]")
        expect(page).to_have_url(re.compile(rf"/cases/{case}\?logged=true#contacts$"))
        expect(page.locator("#contacts [role=status]")).to_have_text(words["logged"])
        logged = page.locator("table.contacts tbody tr").first
        expect(logged).to_contain_text("Петренко Ірина")
        expect(logged).to_contain_text(words["phone"])
        expect(logged).to_contain_text("бачили в Анапі")
        page.fill("#task-title", "Запросити свідоцтво про народження")
        page.fill("#task-due", due)
        page.select_option("#task-assignee", label=username)
        page.click("#task-form button[type=submit]")
        expect(page.locator("#tasks [role=status]")).to_have_text(words["set"])
        expect(page.locator("table.tasks")).to_contain_text("Запросити свідоцтво")
        page.click(f"header nav >> text={words['nav']}")
        expect(page).to_have_url(re.compile(r"/tasks$"))
        row = page.locator("table.tasks tbody tr").first
        expect(row).to_contain_text("Запросити свідоцтво про народження")
        expect(row).to_contain_text("Петренко Олександр Іванович")
        expect(row.get_by_role("link")).to_have_attribute("href", f"/cases/{case}#tasks")
        row.get_by_role("button", name=words["done"]).click()
        expect(page).to_have_url(re.compile(r"/tasks\?done=true$"))
        expect(page.locator("[role=status]")).to_have_text(words["finished"])
        expect(page.locator("main")).to_contain_text(words["empty"])
        page.goto(f"{server.url}/cases/{case}")
        expect(page.locator("table.tasks tr.done")).to_contain_text(username)

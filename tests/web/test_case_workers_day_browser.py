"""Issue 15's done-means in a real browser (Debian's chromium), in Ukrainian and in
English: the demo case worker that ``make run`` creates signs in (choosing their own
password), registers a mother's report typed in Ukrainian, sees the child's candidate on a
Russian camp list, confirms it in review, takes the case, logs the call, sets a task,
corrects the birth date with a reason, and finds the case again by the Latin "Petrenko" on
page 3 of the caseload — owned by them, the call and the task on it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from webhelpers import CHROMIUM, LiveServer, sign_in_page

from dayworld import BIRTH_DATE, LATIN, REPORT, build_day, demo_worker
from kinlink.server import create_app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

WORDS = {
    "uk": {"h1": "Зареєструвати звернення або знайдену дитину", "page3": "Сторінка 3 з 3",
           "claimed": "Тепер це ваша справа."},
    "en": {"h1": "Register a report or a found child", "page3": "Page 3 of 3",
           "claimed": "The case is yours now."},
}


@pytest.fixture(params=["uk", "en"])
def day(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[FastAPI, str,
                                                                          tuple[str, str, str]]]:
    language: str = request.param
    settings, accounts = build_day(tmp_path, language=language)
    app = create_app(settings)
    yield app, language, demo_worker(accounts)
    app.state.services.jobs.shutdown()
    app.state.services.store.dispose()


def test_the_demo_case_workers_first_day(
        day: tuple[FastAPI, str, tuple[str, str, str]], browser: Browser) -> None:
    app, language, (username, password, secret) = day
    words = WORDS[language]
    with LiveServer(app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, username, password, secret)

        # A mother calls: the report, typed in Ukrainian, with her consent to tracing.
        page.click("nav a[href='/records/new']")
        expect(page.locator("h1")).to_have_text(words["h1"])
        for name, value in REPORT.items():
            if name != "sex":
                page.fill(f"#f-{name}", value)
        page.select_option("#f-sex", REPORT["sex"])
        page.select_option("#f-language", "uk")
        page.check("#f-tracing")
        page.check("#f-contact")
        page.click("#register button[type=submit]")
        expect(page).to_have_url(re.compile(r"/children/\d+$"))
        pk = int(page.url.rsplit("/", 1)[1])

        # The child's candidate from the Russian camp list, confirmed in review.
        candidate = page.locator("#candidates tbody tr", has_text="Ярослав")
        expect(candidate).to_have_count(1)
        expect(candidate).to_contain_text("2014")
        other = int(candidate.locator("td").first.inner_text())
        candidate.locator("a.decide-link").click()
        expect(page).to_have_url(re.compile(rf"/review\?record={pk}$"))
        page.fill("#note", "мати впізнала сина на фото")
        page.click("#decide button.same")
        expect(page).to_have_url(re.compile(r"done="))
        page.goto(f"{server.url}/children/{pk}")
        expect(page.locator(f"main th a[href='/records/{other}']")).to_have_count(1)
        expect(page.locator("#candidates")).to_have_count(0)

        # The case: take it, log the call, set a task.
        page.locator("main a[href^='/cases/']").first.click()
        expect(page).to_have_url(re.compile(r"/cases/\d+$"))
        case_id = int(page.url.rsplit("/", 1)[1])
        page.click("#owner button[type=submit]")
        expect(page.locator("#owner")).to_contain_text(words["claimed"])
        expect(page.locator("#owner")).to_contain_text(username)
        page.fill("#contact-with", "мати, Петренко Олена")
        page.select_option("#contact-channel", "phone")
        page.fill("#contact-summary", "Мати підтвердила: на фото її син.")
        page.click("#contact-form button[type=submit]")
        expect(page.locator("#contacts")).to_contain_text("Мати підтвердила")
        due = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=7)).isoformat()
        page.fill("#task-title", "попросити копію свідоцтва про народження")
        page.fill("#task-due", due)
        page.click("#task-form button[type=submit]")
        expect(page.locator("#tasks")).to_contain_text("копію свідоцтва")
        page.goto(f"{server.url}/dashboard")  # the reminder, beside the case taken
        expect(page.locator("#due-soon")).to_contain_text("копію свідоцтва")

        # The certificate gives the day of birth: correct the report, with the reason.
        page.goto(f"{server.url}/records/{pk}")
        page.click("#correct-link")
        expect(page.locator("#f-birth_date")).to_have_value(REPORT["birth_date"])
        page.fill("#f-birth_date", BIRTH_DATE)
        page.fill("#f-reason", "свідоцтво про народження")
        page.click("#correct button[type=submit]")
        expect(page).to_have_url(re.compile(rf"/records/{pk}#versions$"))
        expect(page.locator("main")).to_contain_text("свідоцтво про народження")

        # The next morning: the case found again by a Latin spelling, on page 3.
        page.goto(f"{server.url}/cases?per_page=10")
        page.fill("#q", LATIN)
        page.click("#caseload-filters button[type=submit]")
        for _ in range(2):
            page.locator("nav.pages a[rel=next]").click()
        expect(page.locator("#caseload-count")).to_contain_text(words["page3"])
        row = page.locator("table.caseload tbody tr", has_text="Петренко Ярослав")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(username)
        expect(row).to_contain_text("2014")
        row.locator(f"a[href='/cases/{case_id}']").first.click()
        expect(page.locator("#contacts")).to_contain_text("Мати підтвердила")
        expect(page.locator("#tasks")).to_contain_text("копію свідоцтва")

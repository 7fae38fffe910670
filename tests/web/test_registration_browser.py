"""In a real browser, in Ukrainian and in English: a case worker registers a report typed
in Ukrainian whose child is on a Russian found list already imported, sees the candidate,
corrects the birth date with a reason and opens the earlier version; and withdraws a
report's consent from its record page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from webhelpers import CHROMIUM, LiveServer, sign_in_page

from kinlink.config import Settings
from kinlink.domain.records import Role
from kinlink.domain.registration import Registration
from kinlink.domain.users import UserRole
from kinlink.server import create_app
from kinlink.usecases.registration import register_record
from registerworld import REPORT_UK, WORKER, import_found_list

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

WORDS = {
    "uk": {"h1": "Зареєструвати звернення або знайдену дитину", "version": "Версія 1",
           "withdrawn": "Згоду відкликав(-ла)"},
    "en": {"h1": "Register a report or a found child", "version": "Version 1",
           "withdrawn": "Consent withdrawn by"},
}


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    settings = Settings(data_dir=tmp_path / "data", database_url=None, cookie_secure=False)
    app = create_app(settings)
    import_found_list(app.state.services.store, tmp_path)
    yield app
    app.state.services.jobs.shutdown()
    app.state.services.store.dispose()


def _signed_in(app: FastAPI, page: Page, base: str, language: str) -> None:
    made = app.state.services.admin.create_user(
        "test", f"hotline-{language}", UserRole.CASE_WORKER, 1, language,
        with_second_factor=True)
    sign_in_page(page, base, made.user.username, made.password or "", made.totp_secret or "")


@pytest.mark.parametrize("language", ["uk", "en"])
def test_register_a_report_see_the_candidate_correct_it_and_open_the_earlier_version(
        live_app: FastAPI, browser: Browser, language: str) -> None:
    words = WORDS[language]
    with LiveServer(live_app) as server:
        page = browser.new_page()
        _signed_in(live_app, page, server.url, language)
        page.click("nav a[href='/records/new']")
        expect(page.locator("h1")).to_have_text(words["h1"])
        for name in ("surname", "given_name", "patronymic", "birth_place", "documents",
                     "reporter_name", "reporter_relationship", "reporter_contact"):
            page.fill(f"#f-{name}", REPORT_UK[name])
        page.fill("#f-birth_date", "2015")  # only the year, on the telephone
        page.select_option("#f-sex", "M")
        page.select_option("#f-language", "uk")
        page.click("#register button[type=submit]")
        expect(page).to_have_url(re.compile(r"/children/\d+$"))
        pk = int(page.url.rsplit("/", 1)[1])
        expect(page.locator("h1")).to_contain_text("Коваленко Олександр Іванович")
        if "Александр" not in page.locator("main").inner_text():
            page.click(f"a[href='/children/{pk}/identities']")
        expect(page.locator("main")).to_contain_text("Коваленко Александр")

        page.goto(f"{server.url}/records/{pk}")
        page.click("#correct-link")
        expect(page.locator("#f-birth_date")).to_have_value("2015")
        page.fill("#f-birth_date", "31.02.2015")
        page.fill("#f-reason", "свідоцтво про народження")
        page.click("#correct button[type=submit]")
        expect(page.locator("#e-birth_date")).to_be_visible()  # shown again, nothing saved
        expect(page.locator("#f-reason")).to_have_value("свідоцтво про народження")
        page.fill("#f-birth_date", "12.03.2015")
        page.click("#correct button[type=submit]")
        expect(page).to_have_url(re.compile(rf"/records/{pk}#versions$"))
        page.click(f"a[href='/records/{pk}/versions/1']")
        expect(page.locator("h1")).to_have_text(words["version"])
        expect(page.locator("#version-fields")).to_contain_text("2015")
        expect(page.locator("#version-fields")).not_to_contain_text("2015-03-12")
        expect(page.locator("main")).to_contain_text("свідоцтво про народження")


@pytest.mark.parametrize("language", ["uk", "en"])
def test_withdraw_a_reports_consent_from_its_record_page(
        live_app: FastAPI, browser: Browser, language: str) -> None:
    done = register_record(live_app.state.services.store, WORKER,
                           Registration(Role.SOUGHT, dict(REPORT_UK)), link=False)
    with LiveServer(live_app) as server:
        page = browser.new_page()
        _signed_in(live_app, page, server.url, language)
        page.goto(f"{server.url}/records/{done.record_pk}")
        page.fill("#w-reason", "мати попросила")
        page.click("#withdraw button[type=submit]")
        expect(page.locator("#withdrawn")).to_contain_text(words := WORDS[language]["withdrawn"])
        expect(page.locator("#withdrawn")).to_contain_text("мати попросила")
        expect(page.locator("#withdraw")).to_have_count(0)
        assert words

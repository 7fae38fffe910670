"""In a real browser: headless Chromium (Debian's package, /usr/bin/chromium) driven by
Playwright. Sign in with the second factor, set one up, search a name typed in another
script, open the record, upload a list with errors and read and download its report,
open a child's page and decide review pairs with the keyboard.

Never a downloaded browser: ``make test`` installs Debian's chromium when it is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from webhelpers import (
    CHROMIUM,
    FAMILY_LIST,
    LiveServer,
    link_and_open_cases,
    own_password,
    sign_in_page,
)

from kinlink.config import Settings
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.server import create_app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

WITH_ERRORS = ("record_id,прізвище,ім'я,дата народження,стать\n"
               "1,Шевчук,Марія,05.2016,ж\n"
               "2,Бойко,Ганна,31.02.2015,ж\n"
               "3,,,2014,ч\n")


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    settings = Settings(data_dir=tmp_path / "data", database_url=None, cookie_secure=False)
    app = create_app(settings)
    app.state.services.search.warm_up()  # seconds, once per process: not in a page's time
    path = tmp_path / "family.csv"
    path.write_text(FAMILY_LIST, encoding="utf-8")
    import_file(app.state.services.store, ImportRequest(
        path=path, imported_by="test", kind=SourceKind.FAMILY_REPORTS))
    yield app
    app.state.services.jobs.shutdown()
    app.state.services.store.dispose()


def test_sign_in_search_across_scripts_and_open_the_record(
        live_app: FastAPI, browser: Browser) -> None:
    made = live_app.state.services.admin.create_user(
        "test", "olena", UserRole.CASE_WORKER, 1, "en", with_second_factor=True)
    with LiveServer(live_app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, "olena", made.password or "", made.totp_secret or "")
        page.locator("h1").click()  # leave the search box, then come back with "/"
        page.keyboard.press("/")
        expect(page.locator("#q")).to_be_focused()
        page.keyboard.type("Aleksandr Petrenko")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/search\?q=Aleksandr\+Petrenko"))
        result = page.get_by_role("link", name="Петренко Олександр Іванович")
        expect(result).to_be_visible()
        expect(page.locator("table.results")).to_contain_text("12 Mar 2014")
        result.click()
        expect(page.locator("h1")).to_have_text("Петренко Олександр Іванович")
        expect(page.locator("body")).to_contain_text("+380501112233")  # a case worker's view
        page.click("button[name=language][value=uk]")
        expect(page.locator("body")).to_contain_text("12.03.2014")
        page.click("text=Вийти")
        expect(page).to_have_url(re.compile(r"/login$"))
        page.goto(f"{server.url}/search")
        expect(page).to_have_url(re.compile(r"/login$"))


def test_first_sign_in_sets_up_the_second_factor(live_app: FastAPI, browser: Browser) -> None:
    made = live_app.state.services.admin.create_user("test", "taras", UserRole.VIEWER, 1, "en")
    with LiveServer(live_app) as server:
        page = browser.new_page()
        page.goto(f"{server.url}/login")
        page.fill("#username", "taras")
        page.fill("#password", made.password or "")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/login/enrol$"))
        expect(page.locator(".qr svg")).to_be_visible()
        secret = page.locator("#secret").inner_text()
        page.fill("#code", pyotp.TOTP(secret).now())
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/account$"))  # then their own password
        page.fill("#current", made.password or "")
        page.fill("#new", own_password())
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/search$"))


@pytest.mark.parametrize(("language", "notice", "refusal", "switch"), [
    ("en", "Choose your own password now", "This password is a sequence of letters",
     "Українська"),
    ("uk", "Оберіть власний пароль зараз", "Цей пароль — послідовність літер", "English"),
])
def test_first_sign_in_makes_one_choose_a_password_of_one_s_own(
        live_app: FastAPI, browser: Browser, language: str, notice: str, refusal: str,
        switch: str) -> None:
    made = live_app.state.services.admin.create_user(
        "test", "halyna", UserRole.CASE_WORKER, 1, language, with_second_factor=True)
    with LiveServer(live_app) as server:
        page = browser.new_page()
        page.goto(f"{server.url}/login")
        page.click(f"button[name=language][value={language}]")
        page.fill("#username", "halyna")
        page.fill("#password", made.password or "")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/login/second-factor$"))
        page.fill("#code", pyotp.TOTP(made.totp_secret or "").now())
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/account$"))
        expect(page.locator("#must-change")).to_contain_text(notice)
        expect(page.locator("nav")).to_have_count(0)
        page.goto(f"{server.url}/cases")
        expect(page).to_have_url(re.compile(r"/account$"))  # nothing else is open yet
        page.fill("#current", made.password or "")
        page.fill("#new", "123456789012")
        page.keyboard.press("Enter")
        expect(page.locator("#refused")).to_contain_text(refusal)
        expect(page.locator(f"button[lang] >> text={switch}")).to_be_visible()
        page.fill("#current", made.password or "")
        page.fill("#new", "Tulips along the Dnipro at dawn")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/dashboard$"))  # a case worker: to their work
        page.goto(f"{server.url}/cases")
        expect(page).to_have_url(re.compile(r"/cases$"))


def test_upload_a_list_with_errors_and_see_the_report(
        live_app: FastAPI, browser: Browser, tmp_path: Path) -> None:
    made = live_app.state.services.admin.create_user(
        "test", "analyst", UserRole.ANALYST, 1, "en", with_second_factor=True)
    upload = tmp_path / "found-list.csv"
    upload.write_text(WITH_ERRORS, encoding="utf-8")
    with LiveServer(live_app) as server:
        page = browser.new_page(accept_downloads=True)
        sign_in_page(page, server.url, "analyst", made.password or "", made.totp_secret or "")
        page.click("nav >> text=Imports")
        page.set_input_files("#file", str(upload))
        page.select_option("#kind", "camp_list")
        page.click("form[action='/imports'] button[type=submit]")
        page.click("#do-import")  # from the preview, the columns as recognised
        expect(page.locator("body")).to_contain_text("The list was imported.", timeout=20000)
        page.click("text=See the import and its error report")
        expect(page.locator("table.issues")).to_contain_text("day 31 does not exist in month 2")
        expect(page.locator("table.issues")).to_contain_text("row rejected")
        with page.expect_download() as caught:
            page.click("text=Download the error report (CSV)")
        report = Path(caught.value.path()).read_text(encoding="utf-8-sig")
        assert report.startswith("file,line,column,severity,code,problem,value")
        assert ",3,дата народження,field,bad_date," in report


def test_open_a_child_and_decide_a_pair_with_the_keyboard(
        live_app: FastAPI, browser: Browser, tmp_path: Path) -> None:
    link_and_open_cases(live_app.state.services.store, tmp_path)
    made = live_app.state.services.admin.create_user(
        "test", "oksana", UserRole.CASE_WORKER, 1, "en", with_second_factor=True)
    with LiveServer(live_app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, "oksana", made.password or "", made.totp_secret or "")
        page.goto(f"{server.url}/records/3")
        page.click("text=The child's page")
        expect(page).to_have_url(re.compile(r"/children/3$"))
        expect(page.locator("table.child thead")).to_contain_text("Record 6")
        expect(page.locator("table.child")).to_contain_text("Berdiansk")
        expect(page.locator("body")).to_contain_text("reported")
        page.click("nav >> text=Review")
        expect(page.locator("h2").first).to_contain_text("Are records 1 and 4 the same child?")
        expect(page.locator("table.why tr.against")).to_contain_text("sex")
        page.locator("h1").click()
        page.keyboard.press("n")
        expect(page).to_have_url(re.compile(r"skip=1"))
        expect(page.locator("h2").first).to_contain_text("records 2 and 5")
        page.keyboard.press("s")
        expect(page).to_have_url(re.compile(r"done=2-5"))
        expect(page.locator("[role=status]")).to_contain_text("the same child")
        expect(page.locator("h2").first).to_contain_text("records 1 and 4")
        page.fill("#note", "a girl in one list, a boy in the other")
        page.keyboard.press("Escape")
        page.keyboard.press("d")
        expect(page).to_have_url(re.compile(r"done=1-4"))
        expect(page.locator("body")).to_contain_text("Nothing to review")
        page.keyboard.press("z")
        expect(page).to_have_url(re.compile(r"undone=1-4"))
        expect(page.locator("h2").first).to_contain_text("records 1 and 4")

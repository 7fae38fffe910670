"""In a real browser (Debian's chromium): a newcomer after ``make run`` signs in as the
demo case worker with what ``kinlink users create-demo`` printed — password, then the
second factor from the printed secret, then the forced change of the generated password —
and lands on the application with casework open (issue 15), in Ukrainian and English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from webhelpers import CHROMIUM, LiveServer, own_password

from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.users import UserRole
from kinlink.server import create_app
from kinlink.usecases.demo_accounts import create_demo_accounts

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=None,
                              cookie_secure=False))
    yield app
    app.state.services.jobs.shutdown()
    app.state.services.store.dispose()


@pytest.mark.parametrize(("language", "notice", "cases"), [
    ("en", "Choose your own password now", "Cases"),
    ("uk", "Оберіть власний пароль зараз", "Справи"),
])
def test_the_demo_case_worker_signs_in_changes_the_password_and_works(
        live_app: FastAPI, browser: Browser, language: str, notice: str, cases: str) -> None:
    made = create_demo_accounts(live_app.state.services.store,
                                Actor("operator", UserRole.CASE_WORKER), language)
    worker = next(a for a in made.created if a.user.role is UserRole.CASE_WORKER)
    password, secret = worker.password or "", worker.totp_secret or ""
    with LiveServer(live_app) as server:
        page = browser.new_page()
        page.goto(f"{server.url}/login")
        page.click(f"button[name=language][value={language}]")
        page.fill("#username", "demo-caseworker")
        page.fill("#password", password)
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/login/second-factor$"))
        page.fill("#code", pyotp.TOTP(secret).now())
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/account$"))
        expect(page.locator("#must-change")).to_contain_text(notice)
        page.goto(f"{server.url}/review")
        expect(page).to_have_url(re.compile(r"/account$"))  # nothing open before the change
        page.fill("#current", password)
        page.fill("#new", own_password())
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/dashboard$"))  # to their work, as signing in
        expect(page.locator("#my-work")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.locator("nav").get_by_role("link", name=cases).click()
        expect(page).to_have_url(re.compile(r"/cases$"))
        page.goto(f"{server.url}/review")
        expect(page).to_have_url(re.compile(r"/review$"))
    assert live_app.state.services.admin.user(worker.user.id).must_change_password is False

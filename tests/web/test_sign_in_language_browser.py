"""In a real browser: the language a person reads the sign-in page in stays through the
whole sign-in — the second factor (or setting one up), the forced change of a generated
password and the first page after — even when their account's default is the other
language (issue 16: the sign-in switched from English to Ukrainian before the code)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from webhelpers import CHROMIUM, LiveServer, own_password

from kinlink.config import Settings
from kinlink.domain.users import UserRole
from kinlink.server import create_app

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

WORDS = {  # the heading of each step, per language
    "en": {"code": "Code from your authenticator app", "enrol": "Set up the second factor",
           "change": "Choose your own password now"},
    "uk": {"code": "Код із застосунку-автентифікатора", "enrol": "Налаштувати другий фактор",
           "change": "Оберіть власний пароль зараз"},
}


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=None,
                              cookie_secure=False))
    yield app
    app.state.services.jobs.shutdown()
    app.state.services.store.dispose()


def _password_step(page: Page, base: str, chosen: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.click(f"button[name=language][value={chosen}]")
    expect(page.locator("html")).to_have_attribute("lang", chosen)
    page.fill("#username", username)
    page.fill("#password", password)
    page.keyboard.press("Enter")


def _change_password(page: Page, chosen: str, password: str) -> None:
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.locator("html")).to_have_attribute("lang", chosen)
    expect(page.locator("#must-change")).to_contain_text(WORDS[chosen]["change"])
    page.fill("#current", password)
    page.fill("#new", own_password())
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/(search|dashboard)$"))
    expect(page.locator("html")).to_have_attribute("lang", chosen)


@pytest.mark.parametrize(("chosen", "default"), [("en", "uk"), ("uk", "en")])
def test_the_language_chosen_at_sign_in_stays_through_the_second_factor(
        live_app: FastAPI, browser: Browser, chosen: str, default: str) -> None:
    made = live_app.state.services.admin.create_user(
        "test", "worker", UserRole.CASE_WORKER, 1, default, with_second_factor=True)
    with LiveServer(live_app) as server:
        page = browser.new_page()
        _password_step(page, server.url, chosen, "worker", made.password or "")
        expect(page).to_have_url(re.compile(r"/login/second-factor$"))
        expect(page.locator("html")).to_have_attribute("lang", chosen)
        expect(page.locator("h1")).to_have_text(WORDS[chosen]["code"])
        page.fill("#code", pyotp.TOTP(made.totp_secret or "").now())
        page.keyboard.press("Enter")
        _change_password(page, chosen, made.password or "")


def test_the_language_chosen_at_sign_in_stays_through_enrolment(
        live_app: FastAPI, browser: Browser) -> None:
    made = live_app.state.services.admin.create_user(
        "test", "newcomer", UserRole.CASE_WORKER, 1, "uk")
    with LiveServer(live_app) as server:
        page = browser.new_page()
        _password_step(page, server.url, "en", "newcomer", made.password or "")
        expect(page).to_have_url(re.compile(r"/login/enrol$"))
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_have_text(WORDS["en"]["enrol"])
        secret = page.locator("#secret").inner_text()
        page.fill("#code", pyotp.TOTP(secret).now())
        page.keyboard.press("Enter")
        _change_password(page, "en", made.password or "")

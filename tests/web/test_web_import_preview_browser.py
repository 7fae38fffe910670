"""The two-step web import in a browser, in English and Ukrainian: the upload without a
kind is refused on the form; with it, the preview shows the first rows and the field of
each header; an unknown header is mapped on the page; the import ends done, and the next
list of that producer is offered the mapping saved."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from webhelpers import LiveServer, sign_in_page

from kinlink.config import Settings
from kinlink.domain.users import UserRole
from kinlink.server import create_app

LIST = ("record_id;прізвище;ім'я;дата народження;Заклад перебування\n"
        "1;Петренко;Олександр;12.03.2014;Притулок №3\n"
        "2;Бойко;Ганна;03.2015;Притулок №3\n")

WORDS = {
    "en": {"choose": "Choose the kind of list.", "surname": "→ surname",
           "institution": "institution", "done": "The list was imported.",
           "saved": "as saved for this producer", "about": "About 2 rows"},
    "uk": {"choose": "Виберіть вид списку.", "surname": "→ прізвище",
           "institution": "заклад", "done": "Список імпортовано.",
           "saved": "як збережено для цього джерела", "about": "Рядків: приблизно 2"},
}


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=None,
                              cookie_secure=False))
    yield app
    app.state.services.jobs.shutdown()
    app.state.services.store.dispose()


@pytest.mark.parametrize("language", ["en", "uk"])
def test_upload_preview_map_an_unknown_header_import(
        live_app: FastAPI, browser: Browser, tmp_path: Path, language: str) -> None:
    words = WORDS[language]
    made = live_app.state.services.admin.create_user(
        "test", "halyna", UserRole.CASE_WORKER, 1, language, with_second_factor=True)
    path = tmp_path / "shelter.csv"
    path.write_bytes(LIST.encode("cp1251"))
    with LiveServer(live_app) as server:
        page = browser.new_page(locale="uk-UA" if language == "uk" else "en-US")
        sign_in_page(page, server.url, "halyna", made.password or "", made.totp_secret or "")
        page.goto(f"{server.url}/imports")
        expect(page.locator("#kind")).to_have_value("")  # no kind chosen for you
        page.set_input_files("#file", str(path))
        page.fill("#producer", "Притулок №3")
        # the browser itself asks for the kind (required); without that check the server
        # says it too
        page.evaluate("document.getElementById('kind').removeAttribute('required')")
        page.click("form[action='/imports'] button[type=submit]")
        expect(page.locator("#e-kind")).to_have_text(words["choose"])
        page.set_input_files("#file", str(path))
        page.fill("#producer", "Притулок №3")
        page.select_option("#kind", "camp_list")
        page.click("form[action='/imports'] button[type=submit]")
        expect(page).to_have_url(re.compile(r"/imports/preview/[\w-]+$"))
        expect(page.locator("table.preview")).to_contain_text(words["surname"])
        expect(page.locator("table.preview tbody tr")).to_have_count(2)
        expect(page.locator("table.preview tbody")).to_contain_text("Петренко")
        expect(page.locator("#estimate")).to_contain_text(words["about"])
        page.select_option("#column_4", "institution")
        page.click("#do-import")
        expect(page).to_have_url(re.compile(r"/imports/jobs/[\w-]+$"))
        expect(page.locator("[role=status]")).to_contain_text(words["done"], timeout=60_000)
        # the next list of that producer: the mapping is offered
        page.goto(f"{server.url}/imports")
        page.set_input_files("#file", str(path))
        page.fill("#producer", "Притулок №3")
        page.select_option("#kind", "camp_list")
        page.check("#force")
        page.click("form[action='/imports'] button[type=submit]")
        expect(page.locator("#column_4")).to_have_value("institution")
        expect(page.locator("table.preview")).to_contain_text(words["saved"])
        page.click("#cancel-preview")
        expect(page).to_have_url(f"{server.url}/imports")
    assert not any((tmp_path / "data" / "previews").iterdir())

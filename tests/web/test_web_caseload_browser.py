"""The caseload in a real browser (Debian's chromium, Playwright), in Ukrainian and in
English: a case worker finds a child by a Latin spelling of the name on page 3 of the
caseload and takes the case; a supervisor gives another case to the case worker, whose
dashboard then shows it among their work."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from webhelpers import CHROMIUM, LiveServer, sign_in_page

from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.server import create_app
from kinlink.usecases.cases import open_missing_cases

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

GIVEN = ("Андрій", "Богдан", "Василь", "Віктор", "Геннадій", "Дмитро", "Євген", "Захар",
         "Іван", "Ігор", "Кирило", "Лев", "Максим", "Назар", "Олег", "Остап", "Павло",
         "Роман", "Сергій", "Степан", "Тарас", "Федір", "Юліан", "Юрій")
"""Two dozen Petrenkos: sorted by name, the last (Юрій) is on page 3 of ten a page."""
REPORTS = ("record_id,прізвище,ім'я,дата народження,стать,місце народження\n"
           + "".join(f"P-{i},Петренко,{name},{1 + i:02d}.0{1 + i % 9}.{2006 + i % 10},ч,"
                     f"Херсон\n" for i, name in enumerate(GIVEN))
           + "B-1,Бойко,Ганна,03.2015,ж,Маріуполь\n")


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    settings = Settings(data_dir=tmp_path / "data", database_url=None, cookie_secure=False)
    app = create_app(settings)
    path = tmp_path / "reports.csv"
    path.write_text(REPORTS, encoding="utf-8")
    store = app.state.services.store
    import_file(store, ImportRequest(path=path, imported_by="test",
                                     kind=SourceKind.FAMILY_REPORTS))
    open_missing_cases(store, Actor("test", UserRole.SUPERVISOR))
    yield app
    app.state.services.jobs.shutdown()
    app.state.services.store.dispose()


WORDS = {
    "en": {"count": "Page 1 of 3, 24 cases", "page3": "page 3 of 3",
           "take": "Take case", "mine": "My cases", "changed": "The owner was changed.",
           "show": "Show"},
    "uk": {"count": "Сторінка 1 з 3, усього справ: 24", "page3": "сторінка 3 з 3",
           "take": "Взяти справу", "mine": "Мої справи",
           "changed": "Відповідальну особу змінено.", "show": "Показати"},
}


@pytest.mark.parametrize("language", ["uk", "en"])
def test_find_a_child_by_a_latin_name_on_page_3_take_it_and_assign_another(
        live_app: FastAPI, browser: Browser, language: str) -> None:
    words = WORDS[language]
    admin = live_app.state.services.admin
    worker = admin.create_user("test", "olena", UserRole.CASE_WORKER, 1, language,
                               with_second_factor=True)
    boss = admin.create_user("test", "maria", UserRole.SUPERVISOR, 1, language,
                             with_second_factor=True)
    with LiveServer(live_app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, "olena", worker.password or "", worker.totp_secret or "")
        page.goto(f"{server.url}/cases?per_page=10")
        page.fill("#q", "Petrenko")
        page.get_by_role("button", name=words["show"], exact=True).click()
        expect(page.locator("#caseload-count")).to_contain_text(words["count"])
        for _ in range(2):
            page.locator("nav.pages a[rel=next]").click()
        expect(page.locator("nav.pages")).to_contain_text(words["page3"])
        row = page.locator("table.caseload tbody tr", has_text="Петренко Юрій")
        expect(row).to_be_visible()
        expect(row).to_contain_text("Херсонська область")
        case_id = row.locator("td").first.inner_text().strip()
        row.get_by_role("button", name=re.compile(words["take"])).click()
        expect(page).to_have_url(re.compile(r"/cases\?.*page=3"))
        mine = page.locator("table.caseload tbody tr", has_text="Петренко Юрій")
        expect(mine).to_contain_text("olena")
        page.goto(f"{server.url}/dashboard")
        expect(page.locator("#my-work")).to_contain_text(words["mine"])

        other = browser.new_page()
        sign_in_page(other, server.url, "maria", boss.password or "", boss.totp_secret or "")
        other.goto(f"{server.url}/cases?q=Бойко")
        other.locator("table.caseload tbody tr a").first.click()
        other.select_option("#user_id", label="olena")
        other.locator("#assign button[type=submit]").click()
        expect(other.locator("#owner")).to_contain_text(words["changed"])
        expect(other.locator("#owner")).to_contain_text("olena")
        other.goto(f"{server.url}/cases?owner=me")
        page.goto(f"{server.url}/cases?owner=me")
        expect(page.locator("table.caseload tbody tr")).to_have_count(2)
        expect(page.locator("table.caseload")).to_contain_text("Бойко Ганна")
        page.goto(f"{server.url}/cases/{case_id}")
        expect(page.locator("#owner")).to_contain_text("olena")

"""Search as people search, in a real browser (Debian's chromium, Playwright), in Ukrainian
and in English: a case worker types "Александр" and sees the records written so first
(exact), then the Ukrainian "Олександр" with the kind of difference in words; types
"12.03.2014" and finds the child born that day; reads the total and goes to the second
page; opens a hit's child from the result, and sees a linked child said to be linked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from webhelpers import CHROMIUM, LiveServer, sign_in_page

from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching.store import match_store
from kinlink.server import create_app
from kinlink.usecases.cases import open_missing_cases

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

FAMILY = ("record_id,прізвище,ім'я,по батькові,дата народження,стать,місце народження\n"
          "F-1,Петренко,Олександр,Іванович,12.03.2014,ч,Маріуполь\n"
          "F-2,Бойко,Ганна,,03.2015,ж,Херсон\n"
          "F-3,Коваленко,Дмитро,Петрович,05.06.2013,ч,Бердянськ\n")
CAMP = ("record_id,surname,given_name,birth_date,sex,birth_place\n"
        "C-1,Сидоренко,Александр,2014-01-02,M,Донецк\n"
        "C-2,Петров,Александр,2013-05-06,M,Луганск\n")
ADOPTION = ("record_id,surname,given_name,birth_date,sex,birth_place\n"
            "A-1,Kovalenko,Dmytro,2013-06-05,M,Berdiansk\n")
"""Against FAMILY, the model links A-1 with F-3 on its own (one child, two records)."""
GIVEN = ("Андрій", "Богдан", "Василь", "Віктор", "Геннадій", "Євген", "Захар", "Іван",
         "Ігор", "Кирило", "Лев", "Максим", "Назар", "Олег", "Остап", "Павло", "Роман",
         "Сергій", "Степан", "Тарас", "Федір", "Юліан", "Юрій", "Ярослав", "Богдана",
         "Вікторія", "Дарина", "Зоряна", "Ірина", "Катерина")
MANY = ("record_id,прізвище,ім'я,дата народження\n"
        + "".join(f"M-{i},Бондар,{name},{2005 + i % 12}\n" for i, name in enumerate(GIVEN)))
"""Thirty children called Бондар: two pages of 25."""

WORDS = {
    "uk": {"search": "Пошук", "russian": "Александр → Олександр: російська форма",
           "exact": "точно", "same": "те саме ім'я", "date": "точна дата",
           "first": "1–25 з 30", "second": "26–30 з 30",
           "linked": "пов'язано (записів дитини: 2)", "child": "Дитина",
           "case": "справа"},
    "en": {"search": "Search", "russian": "Александр → Олександр: Russian form",
           "exact": "exact", "same": "same name", "date": "exact date",
           "first": "1–25 of 30", "second": "26–30 of 30",
           "linked": "linked (records of the child: 2)", "child": "Child", "case": "case"},
}


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    """The lists imported and linked by the real matcher, the reported children's cases
    opened; then thirty more records, not linked, to page through."""
    settings = Settings(data_dir=tmp_path / "data", database_url=None, cookie_secure=False)
    app = create_app(settings)
    store = app.state.services.store

    def imported(name: str, content: str, kind: SourceKind) -> None:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        import_file(store, ImportRequest(path=path, imported_by="test", kind=kind))

    imported("family.csv", FAMILY, SourceKind.FAMILY_REPORTS)
    imported("camp.csv", CAMP, SourceKind.CAMP_LIST)
    imported("adoption.csv", ADOPTION, SourceKind.ADOPTION_REGISTRY)
    assert match_store(store, actor="test").matches == 1
    open_missing_cases(store, Actor("test", UserRole.SUPERVISOR))
    imported("many.csv", MANY, SourceKind.CAMP_LIST)
    yield app
    app.state.services.jobs.shutdown()
    store.dispose()


def _search(page: Page, words: dict[str, str], text: str) -> None:
    page.fill("#q", text)
    page.get_by_role("button", name=words["search"], exact=True).click()


@pytest.mark.parametrize("language", ["uk", "en"])
def test_a_case_worker_searches_as_people_search(live_app: FastAPI, browser: Browser,
                                                 language: str) -> None:
    words = WORDS[language]
    made = live_app.state.services.admin.create_user(
        "test", "olena", UserRole.CASE_WORKER, 1, language, with_second_factor=True)
    with LiveServer(live_app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, "olena", made.password or "", made.totp_secret or "")

        _search(page, words, "Александр")
        rows = page.locator("table.results tbody tr")
        expect(rows.nth(0).locator(".score.exact")).to_have_text(words["exact"])
        expect(rows.nth(1).locator(".score.exact")).to_have_text(words["exact"])
        for exact in (0, 1):
            expect(rows.nth(exact).locator("td").first).to_contain_text("Александр")
        ukrainian = page.locator("table.results tbody tr", has_text="Петренко Олександр")
        expect(ukrainian.locator(".score")).not_to_have_class(re.compile(r"\bexact\b"))
        expect(ukrainian).to_contain_text(words["same"])
        expect(ukrainian.locator("ul.variances")).to_contain_text(words["russian"])
        expect(ukrainian.locator("td.child")).to_contain_text(words["case"])
        names = rows.locator("td:first-child").all_inner_texts()
        assert names.index("Петренко Олександр Іванович") > 1  # after the exact hits
        expect(page.locator("table.results")).not_to_contain_text("100%")

        _search(page, words, "12.03.2014")
        # The child born that day, then those known only to the year 2014 (Бондар).
        born = rows.filter(has_text="Петренко Олександр Іванович")
        expect(born.locator(".score")).to_have_text(words["date"])
        expect(rows.locator(".score", has_text=re.compile(f"^{words['date']}$"))) \
            .to_have_count(1)
        expect(rows.filter(has_text="Бондар")).to_have_count(rows.count() - 1)

        _search(page, words, "Бондар")
        expect(page.locator("p.total")).to_contain_text(words["first"])
        expect(rows).to_have_count(25)
        first_page = set(rows.locator("td:first-child").all_inner_texts())
        page.locator("nav.pages a[rel=next]").click()
        expect(page).to_have_url(re.compile(r"/search\?.*page=2"))
        expect(page.locator("p.total")).to_contain_text(words["second"])
        expect(rows).to_have_count(5)
        assert not first_page & set(rows.locator("td:first-child").all_inner_texts())
        expect(page.locator("nav.pages [aria-current=page]")).to_have_text("2")

        _search(page, words, "Kovalenko Dmytro")
        latin = page.locator("table.results tbody tr", has_text="Kovalenko Dmytro")
        expect(latin.locator("td.child")).to_contain_text(words["linked"])
        latin.locator("td.child a[href^='/children/']").click()
        expect(page).to_have_url(re.compile(r"/children/\d+$"))
        heading = page.locator("h1")
        expect(heading).to_contain_text(words["child"])
        expect(heading).to_contain_text("Kovalenko")
        expect(page.locator("main")).to_contain_text("Коваленко")  # the child's other record

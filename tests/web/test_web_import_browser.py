"""In a real browser (Debian's chromium): upload a family report, then a found list, on the
Imports page; watch each job to its end, read its counts, follow the link to the found
list's review queue and decide one of its pairs — pairs that exist only because the
upload linked the list. Upload a file a second time: it is refused with the way to import
it again on this door (tick "import again anyway", not the command line's --force), and
ticking the box imports it. Once in English, once in Ukrainian (each person's language).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from webhelpers import CHROMIUM, FAMILY_LIST, LiveServer, sign_in_page

from kinlink.config import Settings
from kinlink.domain.users import UserRole
from kinlink.server import create_app
from kinlink.storage.import_views import ImportViews
from kinlink.storage.review_tables import DecisionRow

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

CAMP_LIST = (
    "record_id,surname,given_name,birth_date,sex,birth_place\n"
    "C-1,Петренко,Александр,2014-03-12,F,Мариуполь\n"
    "C-2,Boiko,Anna,2015-03,M,Kherson\n"
    "C-3,Kovalenko,Dmytro,2013-06-05,M,Berdiansk\n"
    "C-4,Шевченко,Тарас,2012,M,Мелитополь\n"
)
WORDS = {
    "en": {"imports": "Imports", "done": "The list was imported.",
           "imported": "Records imported", "pairs": "New candidate pairs",
           "automatic": "Linked automatically", "review": "Pairs for review",
           "cases": "Cases opened", "decided": "the same child"},
    "uk": {"imports": "Імпорт", "done": "Список імпортовано.",
           "imported": "Імпортовано записів", "pairs": "Нові пари-кандидати",
           "automatic": "Пов’язано автоматично", "review": "Пари на перевірку",
           "cases": "Відкрито справ", "decided": "одна дитина"},
}


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=None,
                              cookie_secure=False))
    yield app
    app.state.services.jobs.shutdown()
    app.state.services.store.dispose()


def _upload(page: Page, base: str, path: Path, kind: str, words: dict[str, str]
            ) -> dict[str, str]:
    """Upload ``path`` on the Imports page, wait for the job's end, return its counts."""
    page.goto(f"{base}/imports")
    expect(page.locator("h1")).to_have_text(words["imports"])
    page.set_input_files("#file", str(path))
    page.select_option("#kind", kind)
    expect(page.locator("#link")).to_be_checked()  # linking is on by default
    page.click("form[action='/imports'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/imports/preview/[\w-]+$"))
    page.click("#do-import")
    expect(page).to_have_url(re.compile(r"/imports/jobs/[\w-]+$"))
    expect(page.locator("[role=status]")).to_contain_text(words["done"], timeout=60_000)
    terms = page.locator("dl.counts dt").all_inner_texts()
    values = page.locator("dl.counts dd").all_inner_texts()
    return dict(zip(terms, values, strict=True))


@pytest.mark.parametrize("language", ["en", "uk"])
def test_upload_two_lists_watch_them_link_and_decide_a_pair(
        live_app: FastAPI, browser: Browser, tmp_path: Path, language: str) -> None:
    words = WORDS[language]
    made = live_app.state.services.admin.create_user(
        "test", "iryna", UserRole.CASE_WORKER, 1, language, with_second_factor=True)
    family, camp = tmp_path / "family.csv", tmp_path / "camp.csv"
    family.write_text(FAMILY_LIST, encoding="utf-8")
    camp.write_text(CAMP_LIST, encoding="utf-8")
    with LiveServer(live_app) as server:
        page = browser.new_page(locale="uk-UA" if language == "uk" else "en-US")
        sign_in_page(page, server.url, "iryna", made.password or "", made.totp_secret or "")
        reports = _upload(page, server.url, family, "family_reports", words)
        assert (reports[words["imported"]], reports[words["pairs"]],
                reports[words["cases"]]) == ("3", "0", "3")
        found = _upload(page, server.url, camp, "camp_list", words)
        assert (found[words["imported"]], found[words["pairs"]], found[words["automatic"]],
                found[words["review"]], found[words["cases"]]) == ("4", "3", "1", "2", "0")
        page.click("a[href^='/review?source=']")
        expect(page).to_have_url(re.compile(r"/review\?source=2$"))
        expect(page.locator("table.pair")).to_contain_text("C-")  # a pair of the camp list
        page.locator("h1").click()
        page.keyboard.press("s")
        expect(page.locator("[role=status]")).to_contain_text(words["decided"])
    with live_app.state.services.store.transaction() as session:
        decided = session.execute(select(DecisionRow)).scalars().all()
    assert [(d.verdict, d.actor) for d in decided] == [("same", "iryna")]


AGAIN = {
    "en": {"refused": "The list was not imported.",
           "hint": "To import it again anyway, choose it again on the Imports page and tick "
                   "“Import again anyway”.", "link": "Import it again"},
    "uk": {"refused": "Список не імпортовано.",
           "hint": "Щоб усе ж імпортувати його ще раз, виберіть його знову на сторінці "
                   "«Імпорт» і позначте «Імпортувати ще раз».", "link": "Імпортувати його ще раз"},
}


@pytest.mark.parametrize("language", ["en", "uk"])
def test_a_file_imported_before_is_imported_again_by_ticking_the_box(
        live_app: FastAPI, browser: Browser, tmp_path: Path, language: str) -> None:
    words, again = WORDS[language], AGAIN[language]
    made = live_app.state.services.admin.create_user(
        "test", "oksana", UserRole.CASE_WORKER, 1, language, with_second_factor=True)
    family = tmp_path / "family.csv"
    family.write_text(FAMILY_LIST, encoding="utf-8")
    with LiveServer(live_app) as server:
        page = browser.new_page(locale="uk-UA" if language == "uk" else "en-US")
        sign_in_page(page, server.url, "oksana", made.password or "", made.totp_secret or "")
        _upload(page, server.url, family, "family_reports", words)
        page.goto(f"{server.url}/imports")
        page.set_input_files("#file", str(family))
        page.select_option("#kind", "family_reports")
        expect(page.locator("#force")).not_to_be_checked()  # off unless asked for
        page.click("form[action='/imports'] button[type=submit]")
        page.click("#do-import")
        expect(page.locator("[role=alert]")).to_have_text(again["refused"], timeout=60_000)
        expect(page.locator("#again")).to_contain_text(again["hint"])
        expect(page.locator("body")).not_to_contain_text("--force")
        page.click(f"#again a:text('{again['link']}')")
        expect(page).to_have_url(f"{server.url}/imports")
        page.set_input_files("#file", str(family))
        page.select_option("#kind", "family_reports")
        page.check("#force")
        page.click("form[action='/imports'] button[type=submit]")
        page.click("#do-import")
        expect(page.locator("[role=status]")).to_contain_text(words["done"], timeout=60_000)
    with live_app.state.services.store.transaction() as session:
        assert len(ImportViews(session).sources(None)) == 2  # imported twice, as asked

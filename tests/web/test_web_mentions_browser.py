"""In a real browser (Debian's chromium), in Ukrainian and in English: a case worker
uploads a page naming a reported child in the genitive; the document's page shows its
text with the name marked; the mention waits on the review page's mentions, with the
words around it and the reasons; the worker confirms it and finds the document on the
child's case."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from webhelpers import CHROMIUM, FAMILY_LIST, LiveServer, app_with_cases, sign_in_page

from kinlink.domain.access import Actor
from kinlink.domain.users import UserRole
from kinlink.storage.tables import RecordRow
from kinlink.usecases.cases import list_cases

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

NEWS = ("<html><body><p>За даними омбудсмана, з Маріуполя вивезли Олександра Петренка, "
        "12.03.2014 р.н.</p></body></html>")
WORDS = {
    "en": {"review": "Review", "mentions": "Mentions in documents",
           "confirm": "Confirm: the document names this child", "on_case":
           "The document is on case", "of_case": "Documents of this case",
           "genitive": "in the genitive", "none": "No mention waits for review."},
    "uk": {"review": "Перевірка", "mentions": "Згадки в документах",
           "confirm": "Підтвердити: документ називає цю дитину",
           "on_case": "Документ додано до справи", "of_case": "Документи цієї справи",
           "genitive": "родовому", "none": "Жодна згадка не чекає на перевірку."},
}


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    yield from app_with_cases(tmp_path, FAMILY_LIST)


def _petrenko_case(app: FastAPI) -> int:
    store = app.state.services.store
    with store.transaction() as session:
        pk = session.query(RecordRow.id).filter(RecordRow.surname == "Петренко").scalar()
    cases = list_cases(store, Actor("test", UserRole.SUPERVISOR, 1))
    return next(c.id for c in cases if c.sought_record_pk == pk)


@pytest.mark.parametrize("language", ["uk", "en"])
def test_a_mention_waits_for_review_and_confirming_puts_the_document_on_the_case(
        live_app: FastAPI, browser: Browser, language: str, tmp_path: Path) -> None:
    words = WORDS[language]
    case = _petrenko_case(live_app)
    username = f"worker-{language}"
    made = live_app.state.services.admin.create_user(
        "test", username, UserRole.CASE_WORKER, 1, language, with_second_factor=True)
    upload = tmp_path / "news.html"
    upload.write_text(NEWS, encoding="utf-8")
    with LiveServer(live_app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, username, made.password or "", made.totp_secret or "")
        page.goto(f"{server.url}/documents/new")
        page.set_input_files("#d-file", str(upload))
        page.fill("#d-at", "2026-11-30T09:15+02:00")
        page.fill("#d-by", "Ірина Аналітик")
        page.select_option("#d-method", "scan")
        page.fill("#d-device", "Canon LiDE 300")
        page.click("form.grid button[type=submit]")
        expect(page).to_have_url(re.compile(r"/documents/\d+\?added=true$"))
        document = int(re.findall(r"/documents/(\d+)", page.url)[0])
        marked = page.locator("#text pre.doctext mark")
        expect(marked).to_have_count(1)
        expect(marked).to_have_text("Олександра Петренка")
        expect(page.locator("#text")).to_contain_text("kinlink-markup")

        page.click(f"header nav >> text={words['review']}")
        page.click(f"main >> text={words['mentions']}")
        expect(page).to_have_url(re.compile(r"/review/mentions$"))
        item = page.locator("article.mention")
        expect(item).to_have_count(1)
        expect(item.locator("blockquote mark")).to_have_text("Олександра Петренка")
        expect(item.locator("blockquote")).to_contain_text("вивезли")
        expect(item).to_contain_text("Петренко Олександр")
        expect(item.locator("ul.why")).to_contain_text(words["genitive"])
        expect(item.locator("ul.why")).to_contain_text("12.03.2014")
        item.get_by_role("button", name=words["confirm"]).click()
        expect(page).to_have_url(re.compile(rf"/review/mentions\?done=confirmed&case={case}$"))
        expect(page.locator("main")).to_contain_text(words["none"])
        page.click(f"[role=status] >> text={words['on_case']}")
        expect(page).to_have_url(re.compile(rf"/cases/{case}$"))
        page.click(f"#documents >> text={words['of_case']}")
        row = page.locator("table.documents tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("news.html")
        page.goto(f"{server.url}/documents/{document}")
        steps = page.locator("#custody tbody tr td code").all_inner_texts()
        for step in ("document.text_extracted", "document.screened", "mention.confirmed",
                     "document.attached"):
            assert step in steps
        page.close()

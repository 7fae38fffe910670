"""In a real browser (Debian's chromium): upload a long list on the Imports page, cancel
it from its job page, read that nothing of it was kept, and find it among the latest
uploads as cancelled — in English and in Ukrainian (each person's language)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from sqlalchemy import func, select
from webhelpers import CHROMIUM, LiveServer, sign_in_page

from kinlink.config import Settings
from kinlink.domain.users import UserRole
from kinlink.server import create_app
from kinlink.storage.tables import ImportRunRow, RecordRow, SourceRow

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

WORDS = {
    "en": {"cancel": "Cancel this import",
           "cancelled": "The import was cancelled; nothing of the list was kept.",
           "status": "cancelled"},
    "uk": {"cancel": "Скасувати цей імпорт",
           "cancelled": "Імпорт скасовано; нічого зі списку не збережено.",
           "status": "скасовано"},
}


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=None,
                              cookie_secure=False))
    yield app
    app.state.services.jobs.shutdown()
    app.state.services.store.dispose()


@pytest.mark.parametrize("language", ["en", "uk"])
def test_upload_then_cancel(live_app: FastAPI, browser: Browser, tmp_path: Path,
                            language: str) -> None:
    words = WORDS[language]
    made = live_app.state.services.admin.create_user(
        "test", "oksana", UserRole.CASE_WORKER, 1, language, with_second_factor=True)
    path = tmp_path / "long-list.csv"
    lines = ["record_id,surname,given_name,birth_date,sex"]
    lines += [f"R{i},Петренко{i % 997},Олена,{1 + i % 28:02d}.03.2014,ж"
              for i in range(150_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with LiveServer(live_app) as server:
        page = browser.new_page(locale="uk-UA" if language == "uk" else "en-US")
        sign_in_page(page, server.url, "oksana", made.password or "", made.totp_secret or "")
        page.goto(f"{server.url}/imports")
        page.set_input_files("#file", str(path))
        page.select_option("#kind", "list")
        page.click("form[action='/imports'] button[type=submit]")
        page.click("#do-import")
        expect(page).to_have_url(re.compile(r"/imports/jobs/[\w-]+$"))
        page.get_by_role("button", name=words["cancel"]).click()
        expect(page.locator("[role=alert]")).to_have_text(words["cancelled"],
                                                          timeout=60_000)
        page.goto(f"{server.url}/imports")
        row = page.locator("table.uploads tbody tr").first
        expect(row).to_contain_text("long-list.csv")
        expect(row).to_contain_text(words["status"])
    with live_app.state.services.store.transaction() as session:
        records = session.execute(select(func.count()).select_from(RecordRow)).scalar_one()
        sources = session.execute(select(func.count()).select_from(SourceRow)).scalar_one()
        runs = session.execute(select(ImportRunRow.status)).scalars().all()
    assert (records, sources) == (0, 0)
    assert set(runs) <= {"cancelled"}  # none if it was cancelled while it waited

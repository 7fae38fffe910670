"""Remote candidates in a real browser, in Ukrainian and English: a case worker imports
a linkage unit's pairs file on /imports (a file with a bad row first: every bad line
said, nothing kept), then decides one record another party holds on the child's page,
which shows the party and the reference only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from sqlalchemy import func, select
from webhelpers import CHROMIUM, FAMILY_LIST, LiveServer, sign_in_page

from kinlink.config import Settings
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.server import create_app
from kinlink.storage.remote_tables import RemoteDecisionRow
from kinlink.storage.tables import RecordRow

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

PAIRS = ("left_id,right_id,score,match_probability,decision\n"
         "F-1,HOT-0042,0.93,0.987,review\n")
BAD = PAIRS + "F-404,HOT-0043,0.5,0.5,review\nF-2,HOT-0044,0.5,2,review\n"

WORDS = {
    "en": {"bad": ["line 3: our record id is not in the list",
                   "line 4: the probability is not a number from 0 to 1"],
           "kept": "Pairs kept with records held by NGO hotline: 1 (1 new, 0 updated).",
           "held": "A record held by NGO hotline (its reference HOT-0042)",
           "none": "no decision", "decided": "the same child (pairs-en)", "same": "Same child"},
    "uk": {"bad": ["рядок 3", "рядок 4"],
           "kept": "Пари збережено із записами, які має NGO hotline: 1 (нових: 1, оновлених: 0).",
           "held": "Запис, який має NGO hotline (його номер HOT-0042)",
           "none": "без рішення", "decided": "одна дитина (pairs-uk)", "same": "Одна дитина"},
}


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    settings = Settings(data_dir=tmp_path / "data", database_url=None, cookie_secure=False)
    app = create_app(settings)
    store = app.state.services.store
    path = tmp_path / "family.csv"
    path.write_text(FAMILY_LIST, encoding="utf-8")
    import_file(store, ImportRequest(path=path, imported_by="test",
                                     kind=SourceKind.FAMILY_REPORTS))
    with store.transaction() as session:
        app.state.ids = {r.record_id: r.id for r in session.execute(select(RecordRow)).scalars()}
    (tmp_path / "pairs.csv").write_text(PAIRS, encoding="utf-8")
    (tmp_path / "bad.csv").write_text(BAD, encoding="utf-8")
    app.state.folder = tmp_path
    yield app
    app.state.services.jobs.shutdown()
    store.dispose()


@pytest.mark.parametrize("language", ["uk", "en"])
def test_a_case_worker_imports_pairs_and_decides_a_remote_candidate(
        live_app: FastAPI, browser: Browser, language: str) -> None:
    words, ids, folder = WORDS[language], live_app.state.ids, live_app.state.folder
    made = live_app.state.services.admin.create_user(
        "test", f"pairs-{language}", UserRole.CASE_WORKER, 1, language,
        with_second_factor=True)
    with LiveServer(live_app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, made.user.username, made.password or "",
                     made.totp_secret or "")
        page.goto(f"{server.url}/imports")
        form = page.locator("#pairs form")
        form.locator("#pairs-file").set_input_files(str(folder / "bad.csv"))
        form.locator("#pairs-party").fill("NGO hotline")
        form.locator("button[type=submit]").click()
        refused = page.locator("#pairs .error")
        for text in words["bad"]:
            expect(refused).to_contain_text(text)
        expect(refused.locator("li")).to_have_count(2)
        assert "F-404" not in refused.inner_text()
        page.goto(f"{server.url}/children/{ids['F-1']}")
        expect(page.locator("#remote")).to_have_count(0)  # nothing was kept

        page.goto(f"{server.url}/imports")
        form = page.locator("#pairs form")
        form.locator("#pairs-file").set_input_files(str(folder / "pairs.csv"))
        form.locator("#pairs-party").fill("NGO hotline")
        form.locator("button[type=submit]").click()
        expect(page.locator("#pairs .ok")).to_contain_text(words["kept"])

        page.goto(f"{server.url}/children/{ids['F-1']}")
        row = page.locator("#remote tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(words["held"])
        expect(row.locator(".remote-verdict")).to_have_text(words["none"])
        row.locator("button.same").click()
        row = page.locator("#remote tbody tr")
        expect(row.locator(".remote-verdict")).to_contain_text(words["decided"])
        expect(row.locator("button.same")).to_have_text(words["same"])
    with live_app.state.services.store.transaction() as session:
        assert session.execute(select(func.count()).select_from(RemoteDecisionRow)
                               ).scalar_one() == 1

"""Public statistics in a real browser (Debian's chromium, Playwright), in Ukrainian and
in English: a supervisor prepares a release on the page, sees what disclosure control
changed beside the raw counts, and publishes it; then someone who never signed in opens
``/public`` and finds the tables with their definitions, the suppressed cells as "fewer
than 10" and the charts drawn on the server."""

from __future__ import annotations

import random
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

PLACES = ("Херсон",) * 6 + ("Маріуполь",) * 3 + ("Бердянськ", "Ізюм", "Луцьк")
"""Where the children were born: most from Kherson (a published row), a few from Volyn
(a row of small counts)."""


def reports(n: int, seed: int = 18) -> str:
    """``n`` reported children, spread over places, sexes and ages."""
    rng = random.Random(seed)
    lines = ["record_id,прізвище,ім'я,дата народження,стать,місце народження"]
    for i in range(n):
        sex = rng.choice("чж")
        lines.append(f"S-{i},Дитина{i},Ім'я{i},{rng.randint(1, 28):02d}."
                     f"{rng.randint(1, 12):02d}.{rng.randint(2008, 2021)},{sex},"
                     f"{rng.choice(PLACES)}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    """160 reported children with their cases: enough for some published figures."""
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=None,
                              cookie_secure=False))
    path = tmp_path / "reports.csv"
    path.write_text(reports(160), encoding="utf-8")
    store = app.state.services.store
    import_file(store, ImportRequest(path=path, imported_by="test",
                                     kind=SourceKind.FAMILY_REPORTS))
    open_missing_cases(store, Actor("test", UserRole.SUPERVISOR))
    yield app
    app.state.services.jobs.shutdown()
    store.dispose()


WORDS = {
    "en": {"prepare": "Prepare a release as of today",
           "changed": "What disclosure control changed", "publish": "Publish this release",
           "published": "published", "title": "Children separated by the war",
           "fewer": "fewer than 10", "oblast": "Children by oblast of origin",
           "definition": "by the oblast the child was taken from",
           "cases": "Counts cases, not records."},
    "uk": {"prepare": "Підготувати випуск станом на сьогодні",
           "changed": "Що змінив контроль розкриття", "publish": "Опублікувати цей випуск",
           "published": "опубліковано", "title": "Діти, розлучені війною",
           "fewer": "менше 10", "oblast": "Діти за областю походження",
           "definition": "за областю, з якої дитину вивезли",
           "cases": "Рахує справи, а не записи."},
}


@pytest.mark.parametrize("language", ["uk", "en"])
def test_a_supervisor_publishes_and_anyone_reads_the_public_page(
        live_app: FastAPI, browser: Browser, language: str) -> None:
    said = WORDS[language]
    made = live_app.state.services.admin.create_user(
        "test", "boss", UserRole.SUPERVISOR, 1, language, with_second_factor=True)
    with LiveServer(live_app) as server:
        anyone = browser.new_page()
        anyone.goto(f"{server.url}/login")
        anyone.click(f"button[name=language][value={language}]")
        closed = anyone.goto(f"{server.url}/public")
        assert closed is not None
        assert closed.status == 404, "nothing is public before a release is published"

        page = browser.new_page()
        sign_in_page(page, server.url, made.user.username, made.password or "",
                     made.totp_secret or "")
        page.goto(f"{server.url}/statistics/releases")
        page.click(f"button >> text={said['prepare']}")
        expect(page).to_have_url(re.compile(r"/statistics/releases/\d+$"))
        expect(page.locator("h2").first).to_have_text(said["changed"])
        changes = page.locator("main table").first
        expect(changes.locator("tbody tr")).to_have_count(6)
        suppressed = [int(n) for n in changes.locator("tbody tr td:nth-child(3)")
                      .all_inner_texts()]
        assert sum(suppressed) > 0, "small cells were suppressed"
        expect(page.locator("#by_oblast")).to_contain_text(said["fewer"])
        page.click(f"button >> text={said['publish']}")
        expect(page.locator("h1")).to_contain_text(said["published"])
        page.close()

        anyone.goto(f"{server.url}/public")
        expect(anyone.locator("h1")).to_contain_text(said["title"])
        tables = anyone.locator("article.stat-table")
        expect(tables).to_have_count(6)
        oblast = tables.filter(has_text=said["oblast"])
        expect(oblast).to_contain_text(said["definition"])
        expect(oblast).to_contain_text(said["cases"])
        expect(oblast.locator("td .suppressed").first).to_have_text(said["fewer"])
        numbers = [t for t in oblast.locator("td.num").all_inner_texts()
                   if t.strip().isdigit()]
        assert numbers, "Kherson's children are many enough to be published"
        assert all(int(n) % 5 == 0 and int(n) >= 10 for n in numbers)
        charts = anyone.locator("article.stat-table figure svg")
        assert charts.count() >= 3, "milestones, oblasts, ages, sexes have published rows"
        expect(charts.first).to_be_visible()
        expect(oblast.locator("figure svg")).to_contain_text("Херсон" if language == "uk"
                                                             else "Kherson")
        anyone.close()

"""A case worker looks for a renamed child among its possible identities, in a real
browser, in Ukrainian and in English (issue 14.4): the registry entry of the intake the
child's group mates were linked to is listed first, says that the children moved with
the child went there, and shows the mates in the model's reasons; the case worker sets
a stranger aside and links the renamed entry to the child.

The store: ``tests/cohortworld.py`` (six girls left one home on 14.10.2022; five kept
their names in the registry and are linked, the sixth was renamed; a stranger born the
same day arrived the same day from elsewhere)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from webhelpers import CHROMIUM, LiveServer, sign_in_page

from cohortworld import INTAKE, import_and_link
from kinlink.config import Settings
from kinlink.domain.users import UserRole
from kinlink.server import create_app
from kinlink.storage.review import cluster_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

WORDS = {
    "en": {"moved_with": "other children moved with the child are linked to children of "
                         "this record's group or intake",
           "why": "Why the model thinks so", "field": "moved together",
           "mates": "5 other children from the same institution",
           "not": "Not this child", "same": "Same child",
           "decided": "your decision is recorded"},
    "uk": {"moved_with": "інших дітей, переміщених разом із дитиною, пов’язано з дітьми "
                         "групи або прийому цього запису",
           "why": "Чому модель так вважає", "field": "переміщені разом",
           "mates": "інших дітей із того самого закладу",
           "not": "Не ця дитина", "same": "Одна дитина",
           "decided": "ваше рішення збережено"},
}


@pytest.fixture
def moved_app(tmp_path: Path) -> Iterator[FastAPI]:
    settings = Settings(data_dir=tmp_path / "data", database_url=None, cookie_secure=False)
    app = create_app(settings)
    app.state.ids = import_and_link(app.state.services.store, tmp_path)
    yield app
    app.state.services.jobs.shutdown()
    app.state.services.store.dispose()


@pytest.mark.parametrize("language", ["uk", "en"])
def test_a_renamed_child_is_found_where_its_group_went(moved_app: FastAPI, browser: Browser,
                                                       language: str) -> None:
    words, ids = WORDS[language], moved_app.state.ids
    made = moved_app.state.services.admin.create_user(
        "test", f"worker-{language}", UserRole.CASE_WORKER, 1, language,
        with_second_factor=True)
    with LiveServer(moved_app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, made.user.username, made.password or "",
                     made.totp_secret or "")
        page.goto(f"{server.url}/children/{ids['child']}")
        page.click(f"a[href='/children/{ids['child']}/identities']")
        expect(page).to_have_url(f"{server.url}/children/{ids['child']}/identities")
        rows = page.locator("table.identities > tbody > tr:not(.section):not(.reasons)")
        expect(rows.nth(0)).to_contain_text("Орлова Анна")
        expect(rows.nth(1)).to_contain_text("Волкова Дарья")
        reasons = page.locator("table.identities tr.reasons")
        expect(reasons.nth(0).locator("p.listed")).to_contain_text(words["moved_with"])
        expect(reasons.nth(1).locator("p.listed")).not_to_contain_text(words["moved_with"])
        reasons.nth(0).locator("summary", has_text=words["why"]).click()
        line = reasons.nth(0).locator("table.why tr", has_text=words["field"])
        expect(line).to_contain_text(words["mates"])
        expect(line).to_contain_text(INTAKE)
        expect(line).to_have_class("for")

        # the stranger set aside: the list comes back without her
        stranger = page.locator("form.decide", has=page.locator(
            f"input[name=candidate][value='{ids['stranger']}']"))
        stranger.locator("input[name=note]").fill("інший дитячий будинок")
        stranger.locator("button", has_text=words["not"]).click()
        expect(page.locator("p.ok[role=status]")).to_contain_text(words["decided"])
        expect(page.locator("table.identities")).not_to_contain_text("Волкова Дарья")

        # the renamed entry is the child: linked, the child's page lists it
        renamed = page.locator("form.decide", has=page.locator(
            f"input[name=candidate][value='{ids['renamed']}']"))
        renamed.locator("input[name=note]").fill("свідоцтво про усиновлення, фото")
        renamed.locator("button", has_text=words["same"]).click()
        expect(page).to_have_url(f"{server.url}/children/{ids['child']}")
        expect(page.locator(f"main a[href='/records/{ids['renamed']}']").first).to_be_visible()
    with moved_app.state.services.store.transaction() as session:
        assert ids["renamed"] in cluster_of(session, ids["child"]).records
        assert ids["stranger"] not in cluster_of(session, ids["child"]).records

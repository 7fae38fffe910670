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

from cohortworld import ARRIVED, INTAKE, THERE, import_and_link
from kinlink.config import Settings
from kinlink.domain.records import Role, SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.matching.store import match_store
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
           "decided": "your decision is recorded",
           "veto": "neither the given name nor the family name agrees"},
    "uk": {"moved_with": "інших дітей, переміщених разом із дитиною, пов’язано з дітьми "
                         "групи або прийому цього запису",
           "why": "Чому модель так вважає", "field": "переміщені разом",
           "mates": "інших дітей із того самого закладу",
           "not": "Не ця дитина", "same": "Одна дитина",
           "decided": "ваше рішення збережено",
           "veto": "не збігається ні ім’я, ні прізвище"},
}


OTHER_AGENCYS = ("record_id,surname,given_name,patronymic,sex,birth_date,birth_place,"
                 "institution,moved_on,group\n"
                 f"N1,Зайцева,Ксения,Андреевна,ж,20.05.2015,Симферополь,{THERE},{ARRIVED},"
                 f"{INTAKE}\n")
"""Another agency's registry entry, of the same intake and birthday as the renamed
child's: what the case worker's agency does not see must not be offered."""


@pytest.fixture
def moved_app(tmp_path: Path) -> Iterator[FastAPI]:
    settings = Settings(data_dir=tmp_path / "data", database_url=None, cookie_secure=False)
    app = create_app(settings)
    store = app.state.services.store
    app.state.ids = import_and_link(store, tmp_path)
    other = app.state.services.admin.create_agency("test", "NGO hotline").id
    theirs = tmp_path / "their-registry.csv"
    theirs.write_text(OTHER_AGENCYS, encoding="utf-8")
    import_file(store, ImportRequest(path=theirs, imported_by="hotline", agency_id=other,
                                     kind=SourceKind.ADOPTION_REGISTRY, role=Role.FOUND))
    match_store(store, actor="hotline")
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
        expect(page.locator("main")).not_to_contain_text("Зайцева")  # another agency's
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

        # the stranger and the renamed entry, born the same day and arrived together,
        # wait for a person: no name agrees, so the model's score alone never links them
        page.goto(f"{server.url}/review?record={ids['stranger']}")
        expect(page.locator("main")).to_contain_text("Орлова Анна")
        expect(page.locator("main p.error")).to_contain_text(words["veto"])
        expect(page.locator("main")).not_to_contain_text("Зайцева")
    with moved_app.state.services.store.transaction() as session:
        assert ids["renamed"] in cluster_of(session, ids["child"]).records
        assert ids["stranger"] not in cluster_of(session, ids["child"]).records

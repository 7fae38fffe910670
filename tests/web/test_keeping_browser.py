"""Keeping and letting go in a real browser (Debian's chromium, Playwright), in Ukrainian
and in English (issue 19): a supervisor places a legal hold on a child's case, the
erasure of the child's record is refused naming the hold, the hold is lifted with a
reason, the record is erased, and its page reads "erased" without any of its values."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from sqlalchemy import select
from webhelpers import CHROMIUM, FAMILY_LIST, LiveServer, app_with_cases, sign_in_page

from kinlink.domain.users import UserRole
from kinlink.storage.review_tables import CaseRow
from kinlink.storage.tables import RecordRow
from kinlink.web.i18n import translations

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

REFERENCE = "ПР-7/2026"
"""The prosecutor's request the hold answers (kept with the hold, shown beside it)."""


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    yield from app_with_cases(tmp_path, FAMILY_LIST)


def _ids(app: FastAPI) -> tuple[int, int]:
    """Петренко Олександр's record and case."""
    with app.state.services.store.transaction() as session:
        record = session.execute(select(RecordRow.id).where(
            RecordRow.record_id == "F-1")).scalar_one()
        case = session.execute(select(CaseRow.id).where(
            CaseRow.sought_record_pk == record)).scalar_one()
    return record, case


@pytest.mark.parametrize("language", ["uk", "en"])
def test_a_hold_refuses_an_erasure_until_it_is_lifted(live_app: FastAPI, browser: Browser,
                                                       language: str) -> None:
    words = translations(language).gettext
    record, case = _ids(live_app)
    made = live_app.state.services.admin.create_user(
        "test", "keeper", UserRole.SUPERVISOR, 1, language, with_second_factor=True)
    with LiveServer(live_app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, made.user.username, made.password or "",
                     made.totp_secret or "")

        # the hold, placed on the case page
        page.goto(f"{server.url}/cases/{case}")
        holds = page.locator("#holds")
        expect(holds).to_contain_text(words("No legal hold was placed on it."))
        page.fill("#hold-reference", REFERENCE)
        page.fill("#hold-reason", "запит прокурора" if language == "uk" else
                  "the prosecutor's request")
        page.click(f"#holds button >> text={words('Place a legal hold')}")
        expect(page).to_have_url(re.compile(rf"/cases/{case}"))
        expect(holds).to_contain_text(words("In force"))
        expect(holds).to_contain_text(REFERENCE)

        # the erasure of the child's record: the confirmation names the hold, and so
        # does the refusal
        page.click(f"a[href='/erase?kind=record&id={record}']")
        expect(page.locator("h1")).to_contain_text(words("Erase"))
        forbids = page.locator("section.error")
        expect(forbids).to_contain_text(words("A legal hold forbids it"))
        expect(forbids).to_contain_text(REFERENCE)
        page.fill("#reason", "прохання родини" if language == "uk" else
                  "the family asked")
        page.click("button.danger")
        expect(page.locator("div.error[role=alert]")).to_contain_text(
            words("Nothing was erased."))
        page.goto(f"{server.url}/records/{record}")
        expect(page.locator("main")).to_contain_text("Петренко")

        # the hold lifted with a reason, then the erasure goes through
        page.goto(f"{server.url}/cases/{case}")
        page.fill("form[action$='/lift'] input[name=reason]",
                  "справу передано до суду" if language == "uk" else "the case is in court")
        page.click(f"form[action$='/lift'] button >> text={words('Lift the hold')}")
        expect(holds).to_contain_text(words("Lifted"))
        page.goto(f"{server.url}/erase?kind=record&id={record}")
        expect(page.locator("section.error")).to_have_count(0)
        page.fill("#reason", "прохання родини" if language == "uk" else "the family asked")
        page.click("button.danger")
        expect(page).to_have_url(re.compile(rf"/records/{record}$"))
        erased_on = words("Erased on %(date)s (%(basis)s).").split("%(date)s")[0].strip()
        main = page.locator("main")
        expect(main).to_contain_text(erased_on)
        for value in ("Петренко", "Олександр", "Іванович", "+380501112233"):
            expect(main).not_to_contain_text(value)
        if language == "uk":
            assert re.search("[а-яіїєґ]{4}", erased_on), "the notice is in Ukrainian"
        page.close()

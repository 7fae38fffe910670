"""Review that shows why (issue 16.3), walked in a real browser in Ukrainian and English.

The store: FAMILY_LIST linked with REVIEW_FOUND by the real matcher (F-1/C-1 and F-2/C-2
sent to review, F-3/C-3 linked on its own) and an adoption registry of seven boys born
within weeks of F-1 (Петренко Олександр, 12.03.2014). F-1/C-1 is given a probability of
0.9989 — just under the automatic link at 0.999 — and F-1 six more candidates for review
with the registry's boys, so that the child's page has more than the first few. F-2/C-2
(0.9998 or so) is above the automatic link, held for a person by the rule on sexes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from sqlalchemy import select, update
from webhelpers import CHROMIUM, FAMILY_LIST, LiveServer, link_and_open_cases, sign_in_page

from kinlink.config import Settings
from kinlink.domain.records import SourceKind
from kinlink.domain.users import UserRole
from kinlink.ingest import ImportRequest, import_file
from kinlink.server import create_app
from kinlink.storage.linkage_tables import CandidatePairRow
from kinlink.storage.tables import RecordRow

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

BOYS = ("record_id,full_name,birth_date,sex,birth_place\n"
        + "".join(f"R-{i},{surname} Олександр,2014-0{month}-1{i},м,Тверь\n"
                  for i, (surname, month) in enumerate(
                      [("СМИРНОВ", 3), ("ВОЛКОВ", 4), ("ОРЛОВ", 2), ("ЗАЙЦЕВ", 3),
                       ("СОКОЛОВ", 4), ("ПОПОВ", 3), ("ЛЕБЕДЕВ", 2)], start=1)))
"""Seven boys of an adoption registry born within three months of F-1."""
STRANGERS = ("R-8,ЗАХАРОВ Игорь,2013-07-01,м,Омск\n"
             "R-9,ГУСЕВ Павел,2013-05-20,м,Томск\n")
"""Two boys born within three months of F-3 (already linked to C-3), nothing else alike:
its possible identities, each near 0 %."""

WORDS = {
    "en": {"waiting": "Pairs waiting for review: 8", "filtered": "with these filters: 1",
           "match": "99.9%", "review": "20%", "score": "99.89%",
           "placing": "Below the automatic link (99.9%)",
           "above": "At or above the automatic link (99.9%), but a rule holds",
           "sexes": "boy / girl",
           "more": "Show 2 more", "linked": "This child is already linked",
           "under": "Show {} more under the review threshold (20%)"},
    "uk": {"waiting": "Пари, що чекають на перевірку: 8", "filtered": "за цими фільтрами: 1",
           "match": "99,9%", "review": "20%", "score": "99,89%",
           "placing": "Нижче за автоматичний зв’язок (99,9%)",
           "above": "На рівні автоматичного зв’язку (99,9%) або вище",
           "sexes": "хлопчик / дівчинка",
           "more": "Показати ще 2", "linked": "Цю дитину вже пов’язано",
           "under": "Показати ще {} нижче за поріг перевірки (20%)"},
}


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    settings = Settings(data_dir=tmp_path / "data", database_url=None, cookie_secure=False)
    app = create_app(settings)
    store = app.state.services.store
    for name, text, kind in (("family.csv", FAMILY_LIST, SourceKind.FAMILY_REPORTS),
                             ("boys.csv", BOYS + STRANGERS, SourceKind.ADOPTION_REGISTRY)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        import_file(store, ImportRequest(path=path, imported_by="test", kind=kind))
    link_and_open_cases(store, tmp_path)
    with store.transaction() as session:
        ids = {r.record_id: r.id for r in session.execute(select(RecordRow)).scalars()}
        pair = session.execute(select(CandidatePairRow).where(
            CandidatePairRow.record_low == ids["F-1"],
            CandidatePairRow.record_high == ids["C-1"])).scalar_one()
        session.execute(update(CandidatePairRow).where(CandidatePairRow.id == pair.id)
                        .values(match_probability=0.9989))
        for i in range(1, 7):
            session.add(CandidatePairRow(
                record_low=ids["F-1"], record_high=ids[f"R-{i}"], model_id=pair.model_id,
                run_id=pair.run_id, match_weight=-1.0 - i, match_probability=0.5 - i / 20,
                decision="review", explanation=pair.explanation, scored_at=pair.scored_at))
    app.state.ids = ids
    yield app
    app.state.services.jobs.shutdown()
    store.dispose()


@pytest.mark.parametrize("language", ["uk", "en"])
def test_review_shows_why_a_pair_waits(live_app: FastAPI, browser: Browser,
                                       language: str) -> None:
    """The count waiting (overall, filtered, per list), the thresholds, a probability
    placed against them, sex in words; the child's candidates and its identities
    collapsed after five; a linked child's identities say so first."""
    words, ids = WORDS[language], live_app.state.ids
    made = live_app.state.services.admin.create_user(
        "test", f"reviewer-{language}", UserRole.CASE_WORKER, 1, language,
        with_second_factor=True)
    with LiveServer(live_app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, made.user.username, made.password or "",
                     made.totp_secret or "")
        page.goto(f"{server.url}/review")
        expect(page.locator("#waiting")).to_contain_text(words["waiting"])
        expect(page.locator("#thresholds")).to_contain_text(words["match"])
        expect(page.locator("#thresholds")).to_contain_text(words["review"])
        expect(page.locator("#source option", has_text="boys.csv")).to_contain_text("(6)")
        expect(page.locator("#source option", has_text="review-found.csv")).to_contain_text(
            "(2)")
        # F-2/C-2 first: above the automatic link, held back by the rule on sexes.
        expect(page.locator("#placing")).to_contain_text(words["above"])
        page.goto(f"{server.url}/review?skip=1")
        expect(page.locator("h2").first).to_contain_text(f"{ids['F-1']} ")
        expect(page.locator("h2 .score").first).to_have_text(words["score"])
        expect(page.locator("#placing")).to_contain_text(words["placing"])
        expect(page.locator("table.why")).to_contain_text(words["sexes"])
        expect(page.locator("table.why")).not_to_contain_text("M / F")
        page.fill("#region", "Херсон")
        page.locator("form.search button[type=submit]").click()
        expect(page.locator("#waiting")).to_contain_text(words["filtered"])

        page.goto(f"{server.url}/children/{ids['F-1']}")
        candidates = page.locator("#candidates")
        expect(candidates.locator("table").first.locator("tbody tr")).to_have_count(5)
        hidden = candidates.locator("details.more tbody tr")
        expect(hidden).to_have_count(2)
        expect(hidden.first).to_be_hidden()
        candidates.locator("details.more summary").click()
        expect(candidates.locator("details.more summary")).to_have_text(words["more"])
        expect(hidden.first).to_be_visible()

        page.goto(f"{server.url}/children/{ids['F-1']}/identities")
        expect(page.locator("#linked")).to_have_count(0)
        twin = page.request.get(f"{server.url}/api/v1/children/{ids['F-1']}/identities")
        total = len(twin.json()["candidates"])
        assert total >= 7  # the registry's boys at least
        expect(page.locator("table.identities tbody tr.reasons")).to_have_count(5)
        more = page.locator("#show-all")
        expect(more).to_have_text(words["more"].replace("2", str(total - 5)))
        more.click()
        expect(page).to_have_url(re.compile(r"/identities\?all=1$"))
        expect(page.locator("table.identities tbody tr.reasons")).to_have_count(total)

        page.goto(f"{server.url}/children/{ids['F-3']}/identities")
        first = page.locator("h1 + p")
        expect(first).to_have_id("linked")
        expect(first).to_contain_text(words["linked"])
        expect(first.locator(f"a[href='/records/{ids['C-3']}']")).to_be_visible()
        # A linked child: only what reaches the review threshold is open, the rest
        # (near 0 % each) waits behind a "show more", its buttons compact.
        found = page.request.get(f"{server.url}/api/v1/children/{ids['F-3']}/identities")
        chances = [c["probability"] for c in found.json()["candidates"]]
        under = [p for p in chances if p < 0.2]
        assert under, chances
        opened = page.locator("main > table.identities tbody tr.reasons")
        expect(opened).to_have_count(len(chances) - len(under))
        below = page.locator("#below-floor")
        expect(below.locator("> summary")).to_contain_text(words["under"].format(len(under)))
        expect(below.locator("tbody tr.reasons").first).to_be_hidden()
        below.locator("> summary").click()
        expect(below.locator("tbody tr.reasons")).to_have_count(len(under))
        expect(below).not_to_contain_text("0.0000")
        button = below.locator("button.same").first
        row = below.locator("tbody tr.reasons").first.bounding_box()
        size = button.bounding_box()
        assert row is not None
        assert size is not None
        assert size["width"] < row["width"] / 3

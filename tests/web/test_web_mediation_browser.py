"""Mediation in a real browser (Debian's chromium through Playwright): a liaison officer
signs in with the second factor, opens a list, exports it and reads the passphrase,
downloads the encrypted ZIP, sends the list, uploads the other side's answer and reads
the reconciliation — all without a line of the page's JavaScript being needed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from webhelpers import CHROMIUM, LiveServer, sign_in_page

from kinlink.config import Settings
from kinlink.domain.access import Actor
from kinlink.domain.mediation import ChannelKind, ListField
from kinlink.domain.users import UserRole
from kinlink.encryption import decrypt_files
from kinlink.server import create_app
from kinlink.usecases.channels import create_channel
from kinlink.usecases.lists import add_to_list, new_list
from mediationcases import CHANNEL_FIELDS, answer_csv, verified_cases

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    settings = Settings(data_dir=tmp_path / "data", database_url=None, cookie_secure=False)
    app = create_app(settings)
    yield app
    app.state.services.jobs.shutdown()
    app.state.services.store.dispose()


def test_a_liaison_exports_sends_and_reconciles_a_list(
        live_app: FastAPI, browser: Browser, tmp_path: Path) -> None:
    store = live_app.state.services.store
    verified = verified_cases(store, tmp_path)
    boss = Actor("maria", UserRole.SUPERVISOR)
    channel = create_channel(store, boss, "Qatar mediation", ChannelKind.STATE_MEDIATOR,
                             [ListField(f) for f in CHANNEL_FIELDS])
    draft = new_list(store, boss, channel.id, "first round").list
    refs = {a.case_id: a.reference for a in add_to_list(store, boss, draft.id,
                                                        verified.values())}
    answer = tmp_path / "answer.csv"
    answer.write_bytes(answer_csv({record: refs[case] for record, case in verified.items()}))
    made = live_app.state.services.admin.create_user(
        "test", "taras", UserRole.MEDIATOR_LIAISON, 1, "en", with_second_factor=True)

    with LiveServer(live_app) as server:
        page = browser.new_page(accept_downloads=True)
        sign_in_page(page, server.url, "taras", made.password or "", made.totp_secret or "")
        page.click("nav >> text=Mediation")
        expect(page.locator("table.channels")).to_contain_text("Qatar mediation")
        page.click("text=Qatar mediation")
        page.click(f"a >> text=L-{draft.id:04d}")
        expect(page.locator("h1")).to_contain_text(f"L-{draft.id:04d}: draft")
        expect(page.locator("table.list")).to_contain_text("Петренко Александр Сергеевич")

        page.check("input[name=formats][value=csv]")
        page.click("#export button[type=submit]")
        expect(page.locator("h1")).to_have_text("The encrypted file is ready")
        passphrase = page.locator("#passphrase").inner_text().strip()
        assert len(passphrase) >= 16
        with page.expect_download() as caught:
            page.click("#download")
        zipped = Path(caught.value.path()).read_bytes()
        names = decrypt_files(zipped, passphrase)
        assert sorted(n.rsplit(".", 1)[1] for n in names) == ["csv", "pdf", "xlsx"]

        page.click("text=Back to the list")
        page.click("text=Mark the list as sent")
        expect(page.locator("[role=status]")).to_contain_text("is marked as sent")
        expect(page.locator("h1")).to_contain_text("sent")
        page.click("text=Answers and reconciliation")
        page.set_input_files("#file", str(answer))
        page.click("text=Import and reconcile")
        expect(page.locator("#imported")).to_contain_text(
            "answer.csv: 5 answer rows imported and reconciled.")
        expect(page.locator("#matched")).to_contain_text(refs[verified["R1"]])
        expect(page.locator("#contradictions")).to_contain_text(refs[verified["R3"]])
        expect(page.locator("#unknown")).to_contain_text("СИДОРЕНКО Кирилл Павлович")
        expect(page.locator("#missing")).to_contain_text(refs[verified["R4"]])
        expect(page.locator("#missing")).to_contain_text(refs[verified["R6"]])
        page.click("#apply")
        expect(page.locator("#outcomes")).to_contain_text("applied")

"""In a real browser (Debian's chromium), in Ukrainian and in English: a supervisor opens
a case with a document, makes its evidence bundle with a password and downloads it (the
original inside byte for byte, the bundle's SHA-256 in the audit log), then checks it on
the verify page: intact; and a copy with one byte changed: the altered file named, in
the reader's language."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, expect
from sqlalchemy import select
from webhelpers import CHROMIUM, FAMILY_LIST, LiveServer, app_with_cases, sign_in_page

from kinlink.domain.access import Actor
from kinlink.domain.documents import Attachment, AttachmentKind
from kinlink.domain.users import UserRole
from kinlink.evidence.bundle import BAG_ROOT, verify_bundle
from kinlink.storage.tables import AuditEventRow
from kinlink.usecases.cases import list_cases
from kinlink.usecases.documents import upload_document

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

ORDER = b"%PDF-1.4\n% an order of the occupation authority\n%%EOF\n"
PASSWORD = "a long password for the prosecutor"
WORDS = {
    "en": {"make": "Make the evidence bundle", "check": "Check a bundle",
           "submit": "Check the bundle", "intact": "The bundle is intact.",
           "altered": "The bundle was altered after it was made.",
           "finding": "was altered after the bundle was made"},
    "uk": {"make": "Створити пакет доказів", "check": "Перевірити пакет",
           "submit": "Перевірити пакет", "intact": "Пакет цілісний.",
           "altered": "Пакет змінено після створення.",
           "finding": "змінено після створення пакета"},
}


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    yield from app_with_cases(tmp_path, FAMILY_LIST)


def _tampered(bundle: Path, out: Path, name: str) -> None:
    with zipfile.ZipFile(bundle) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    changed = bytearray(members[name])
    changed[5] ^= 0x01
    members[name] = bytes(changed)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    out.write_bytes(buffer.getvalue())


@pytest.mark.parametrize("language", ["uk", "en"])
def test_a_supervisor_makes_downloads_and_checks_a_bundle(
        live_app: FastAPI, browser: Browser, language: str, tmp_path: Path) -> None:
    words = WORDS[language]
    services = live_app.state.services
    boss = Actor("test", UserRole.SUPERVISOR, 1)
    case = min(c.id for c in list_cases(services.store, boss))
    upload_document(services.evidence, boss, ORDER, "order.pdf",
                    Attachment(AttachmentKind.CASE, case),
                    {"collected_at": "2026-11-30T09:15+02:00", "collected_by": "analyst",
                     "method": "download", "source_url": "https://example.org/order"})
    username = f"boss-{language}"
    made = services.admin.create_user("test", username, UserRole.SUPERVISOR, 1, language,
                                      with_second_factor=True)
    with LiveServer(live_app) as server:
        page = browser.new_page(accept_downloads=True)
        sign_in_page(page, server.url, username, made.password or "", made.totp_secret or "")
        page.goto(f"{server.url}/cases/{case}")
        page.fill("#bundle-password", PASSWORD)
        with page.expect_download() as waiting:
            page.click(f"#bundle-form button >> text={words['make']}")
        download = waiting.value
        assert download.suggested_filename == f"case-{case}-evidence-bundle.zip"
        bundle = tmp_path / f"bundle-{language}.zip"
        download.save_as(bundle)
        result = verify_bundle(bundle, password=PASSWORD)
        assert result.intact, result.findings
        sha = hashlib.sha256(bundle.read_bytes()).hexdigest()
        with services.store.transaction() as session:
            recorded = session.execute(select(AuditEventRow.details).where(
                AuditEventRow.action == "evidence.bundle_made")).scalars().all()
        assert [d["sha256"] for d in recorded] == [sha]

        page.click(f"#bundle >> text={words['check']}")
        expect(page).to_have_url(re.compile(r"/evidence/verify$"))
        page.set_input_files("#v-file", str(bundle))
        page.fill("#v-password", PASSWORD)
        page.click(f"#verify-form button >> text={words['submit']}")
        expect(page.locator("#findings [role=status]")).to_contain_text(words["intact"])

        plain = tmp_path / f"plain-{language}.zip"
        with page.expect_download() as waiting:
            page.goto(f"{server.url}/cases/{case}")
            page.click(f"#bundle-form button >> text={words['make']}")
        waiting.value.save_as(plain)
        name = f"{BAG_ROOT}/data/originals/{hashlib.sha256(ORDER).hexdigest()}.pdf"
        with zipfile.ZipFile(plain) as archive:
            assert archive.read(name) == ORDER
        broken = tmp_path / f"broken-{language}.zip"
        _tampered(plain, broken, name)
        page.goto(f"{server.url}/evidence/verify")
        page.set_input_files("#v-file", str(broken))
        page.click(f"#verify-form button >> text={words['submit']}")
        expect(page.locator("#findings [role=alert]")).to_contain_text(words["altered"])
        rows = page.locator("#finding-list tbody tr")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text(name.removeprefix(f"{BAG_ROOT}/"))
        expect(rows).to_contain_text(words["finding"])

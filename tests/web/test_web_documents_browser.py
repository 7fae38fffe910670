"""In a real browser (Debian's chromium), in Ukrainian and in English: a case worker opens
a case, adds a scanned document to it with its collection record, finds it among the
case's documents and with the documents page's filter (and not in the inbox), opens the
document page, sees its SHA-256 and its chain of custody (the upload, the page read, the
working copy viewed), downloads the original and gets the very bytes uploaded."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from PIL import Image
from playwright.sync_api import Browser, expect
from webhelpers import CHROMIUM, FAMILY_LIST, LiveServer, app_with_cases, sign_in_page

from kinlink.domain.access import Actor
from kinlink.domain.users import UserRole
from kinlink.usecases.cases import list_cases

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

WORDS = {
    "en": {"add": "Add a document to this case", "of_case": "Documents of this case",
           "kept": "The document was kept.", "nav": "Documents", "filter": "Filter",
           "empty": "No document here yet.", "download": "Download the original",
           "custody": "Chain of custody", "case": "Case", "scanned": "scanned"},
    "uk": {"add": "Додати документ до цієї справи", "of_case": "Документи цієї справи",
           "kept": "Документ збережено.", "nav": "Документи", "filter": "Відібрати",
           "empty": "Тут ще немає документів.", "download": "Завантажити оригінал",
           "custody": "Ланцюг зберігання", "case": "Справа", "scanned": "відскановано"},
}


def scan() -> bytes:
    """A scanned page as a PNG, with a text chunk a scanner writes (software, date)."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Software", "ScannerX 2.1")
    out = io.BytesIO()
    Image.new("RGB", (60, 80), "ivory").save(out, "PNG", pnginfo=info)
    return out.getvalue()


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    yield from app_with_cases(tmp_path, FAMILY_LIST)


@pytest.mark.parametrize("language", ["uk", "en"])
def test_a_case_worker_adds_a_document_to_a_case_and_gets_the_original_back(
        live_app: FastAPI, browser: Browser, language: str, tmp_path: Path) -> None:
    words = WORDS[language]
    store = live_app.state.services.store
    case = min(c.id for c in list_cases(store, Actor("test", UserRole.SUPERVISOR, 1)))
    username = f"worker-{language}"
    made = live_app.state.services.admin.create_user(
        "test", username, UserRole.CASE_WORKER, 1, language, with_second_factor=True)
    original = scan()
    sha = hashlib.sha256(original).hexdigest()
    upload = tmp_path / "birth-certificate.png"
    upload.write_bytes(original)
    with LiveServer(live_app) as server:
        page = browser.new_page(accept_downloads=True)
        sign_in_page(page, server.url, username, made.password or "", made.totp_secret or "")
        page.goto(f"{server.url}/cases/{case}")
        page.click(f"#documents >> text={words['add']}")
        expect(page).to_have_url(re.compile(rf"/documents/new\?case={case}$"))
        expect(page.locator("#d-case")).to_have_value(str(case))
        page.set_input_files("#d-file", str(upload))
        page.fill("#d-at", "2026-11-30T09:15+02:00")
        page.fill("#d-by", "Ірина Аналітик")
        page.select_option("#d-method", "scan")
        page.fill("#d-person", "бабуся дитини")
        page.fill("#d-device", "Canon LiDE 300")
        page.fill("#d-lang", "uk, ru")
        page.fill("#d-desc", "Свідоцтво про народження, копія родини")
        page.click("form.grid button[type=submit]")
        expect(page).to_have_url(re.compile(r"/documents/\d+\?added=true$"))
        document = int(re.findall(r"/documents/(\d+)", page.url)[0])
        expect(page.locator("[role=status]")).to_have_text(words["kept"])
        expect(page.locator("#sha256")).to_have_text(sha)
        expect(page.locator("dl.facts")).to_contain_text(words["scanned"])
        expect(page.locator("dl.facts")).to_contain_text("бабуся дитини")
        expect(page.locator("#working img")).to_have_js_property("complete", True)

        page.goto(f"{server.url}/cases/{case}")
        page.click(f"#documents >> text={words['of_case']}")
        row = page.locator("table.documents tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("birth-certificate.png")
        expect(row).to_contain_text(f"{words['case']} {case}")
        expect(row).to_contain_text(sha[:16])

        page.click(f"header nav >> text={words['nav']}")
        page.select_option("#f-attached", "inbox")
        page.click(f"form.inline button >> text={words['filter']}")
        expect(page.locator("main")).to_contain_text(words["empty"])
        page.select_option("#f-attached", "case")
        page.select_option("#f-type", "png")
        page.click(f"form.inline button >> text={words['filter']}")
        expect(page).to_have_url(re.compile(r"attached_to=case.*type=png"))
        page.locator("table.documents").get_by_role("link",
                                                    name="birth-certificate.png").click()
        expect(page).to_have_url(re.compile(rf"/documents/{document}$"))
        expect(page.locator("#sha256")).to_have_text(sha)
        expect(page.locator("#custody h2")).to_have_text(words["custody"])
        steps = page.locator("#custody tbody tr td code").all_inner_texts()
        assert steps[0] == "document.uploaded"
        assert "document.viewed" in steps  # the working copy shown after the upload
        assert steps[-1] == "document.read"  # this very page
        assert all(s.startswith("document.") for s in steps)

        with page.expect_download() as waiting:
            page.click(f"text={words['download']}")
        download = waiting.value
        assert download.suggested_filename == "birth-certificate.png"
        saved = tmp_path / f"downloaded-{language}.png"
        download.save_as(saved)
        assert saved.read_bytes() == original
        page.reload()
        after = page.locator("#custody tbody tr td code").all_inner_texts()
        assert after[-2:] == ["document.downloaded", "document.read"]
        page.close()

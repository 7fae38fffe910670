"""In a real browser (Debian's chromium), in Ukrainian and in English: the same
photograph, resized, is on two cases' documents; the document page says where it also
appears; the flags page shows both pictures side by side with the distances in words; the
case worker says "same photograph", and the document page then says so (nothing linked).
A photograph inside a PDF (a profile printed to PDF) flagged against a case's photograph
is shown beside it, taken out of the PDF."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi import FastAPI
from PIL import Image
from playwright.sync_api import Browser, expect
from webhelpers import CHROMIUM, FAMILY_LIST, LiveServer, app_with_cases, sign_in_page

from kinlink.domain.access import Actor
from kinlink.domain.documents import Attachment, AttachmentKind
from kinlink.domain.users import UserRole
from kinlink.usecases.cases import list_cases
from kinlink.usecases.documents import upload_document
from kinlink.usecases.lists import attach_photo

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]

WORDS = {
    "en": {"appears": "This photograph also appears in", "waiting": "flagged, waiting for a look",
           "same": "Same photograph", "marked": "Marked as the same photograph.",
           "confirmed": "confirmed as the same photograph", "differ": "64 bits of their pHash",
           "empty": "No photograph waits for a look."},
    "uk": {"appears": "Ця фотографія є також у", "waiting": "позначено, чекає на перегляд",
           "same": "Та сама фотографія", "marked": "Позначено як ту саму фотографію.",
           "confirmed": "підтверджено як ту саму фотографію", "differ": "64 бітів pHash",
           "empty": "Жодна фотографія не чекає на перегляд."},
}
COLLECTION = {"collected_at": "2026-11-30T09:15:00+02:00", "collected_by": "Аналітик",
              "method": "download", "source_url": "https://example.org/profile"}


def picture(size: tuple[int, int]) -> bytes:
    rng = np.random.default_rng(11)
    small = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(small).resize((640, 480), Image.Resampling.BICUBIC).resize(
        size, Image.Resampling.LANCZOS).save(out, "JPEG", quality=85)
    return out.getvalue()


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[FastAPI]:
    yield from app_with_cases(tmp_path, FAMILY_LIST)


@pytest.mark.parametrize("language", ["uk", "en"])
def test_a_case_worker_confirms_a_photograph_flagged_across_two_cases(
        live_app: FastAPI, browser: Browser, language: str) -> None:
    words = WORDS[language]
    services = live_app.state.services
    boss = Actor("test", UserRole.SUPERVISOR, 1)
    first, second = sorted(c.id for c in list_cases(services.store, boss))[:2]
    kept = upload_document(services.evidence, boss, picture((320, 240)), "family.jpg",
                           Attachment(AttachmentKind.CASE, first), dict(COLLECTION))
    again = upload_document(services.evidence, boss, picture((200, 150)), "profile.jpg",
                            Attachment(AttachmentKind.CASE, second), dict(COLLECTION))
    username = f"worker-{language}"
    made = services.admin.create_user("test", username, UserRole.CASE_WORKER, 1, language,
                                      with_second_factor=True)
    with LiveServer(live_app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, username, made.password or "", made.totp_secret or "")
        page.goto(f"{server.url}/documents/{kept.id}")
        appears = page.locator("#appears")
        expect(appears).to_contain_text(words["appears"])
        expect(appears.locator(f'a[href="/documents/{again.id}"]')).to_have_count(1)
        appears.locator(f"text={words['waiting']}").click()
        flag = page.locator("section.flag")
        expect(flag).to_have_count(1)
        expect(flag).to_contain_text(words["differ"])
        images = flag.locator("img")
        expect(images).to_have_count(2)
        for i in range(2):
            expect(images.nth(i)).to_have_js_property("complete", True)
            assert images.nth(i).evaluate("i => i.naturalWidth") > 0
        flag.locator(f"button >> text={words['same']}").click()
        expect(page.locator("[role=status]")).to_contain_text(words["marked"])
        expect(page.locator("main")).to_contain_text(words["empty"])
        page.goto(f"{server.url}/documents/{again.id}")
        expect(page.locator("#appears")).to_contain_text(words["confirmed"])
        expect(page.locator(f'#appears a[href="/documents/{kept.id}"]')).to_have_count(1)


def pdf_with(photo: bytes) -> bytes:
    """A one-page PDF made with reportlab, ``photo`` drawn on it below a heading."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 780, "Registry profile")
    page.drawImage(ImageReader(io.BytesIO(photo)), 72, 480, width=240, height=180)
    page.showPage()
    page.save()
    return out.getvalue()


def test_a_photograph_inside_a_pdf_is_shown_beside_the_cases_photograph(
        live_app: FastAPI, browser: Browser) -> None:
    services = live_app.state.services
    boss = Actor("test", UserRole.SUPERVISOR, 1)
    first, second = sorted(c.id for c in list_cases(services.store, boss))[:2]
    attach_photo(services.store, boss, first, picture((320, 240)))
    pdf = upload_document(services.evidence, boss, pdf_with(picture((400, 300))),
                          "profile.pdf", Attachment(AttachmentKind.CASE, second),
                          dict(COLLECTION))
    made = services.admin.create_user("test", "worker-pdf", UserRole.CASE_WORKER, 1, "uk",
                                      with_second_factor=True)
    with LiveServer(live_app) as server:
        page = browser.new_page()
        sign_in_page(page, server.url, "worker-pdf", made.password or "",
                     made.totp_secret or "")
        page.goto(f"{server.url}/photographs")
        flag = page.locator("section.flag")
        expect(flag).to_have_count(1)
        images = flag.locator(".side-by-side img")
        expect(images).to_have_count(2)
        expect(images.nth(0)).to_have_attribute("src", f"/documents/{pdf.id}/pictures/1")
        expect(images.nth(0)).to_have_attribute("alt", f"Зображення 1 у документі {pdf.id}")
        for i in range(2):
            expect(images.nth(i)).to_have_js_property("complete", True)
        sizes = [images.nth(i).evaluate("i => [i.naturalWidth, i.naturalHeight]")
                 for i in range(2)]
        assert sizes == [[400, 300], [320, 240]]
        boxes = [images.nth(i).bounding_box() for i in range(2)]
        assert boxes[0] is not None
        assert boxes[1] is not None
        assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1  # side by side, not one below
        assert boxes[1]["x"] > boxes[0]["x"] + boxes[0]["width"]

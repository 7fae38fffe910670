"""Names broken over two lines by a hyphen (typeset PDFs, OCR, soft hyphens of web
pages) are found, and the mention marks the name where the shown text has it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from kinlink.evidence.hyphens import join_broken_words
from kinlink.evidence.screening import SoughtPerson, screen
from kinlink.evidence.text import extract_text

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DMYTRUK = SoughtPerson("d", "Олег", "Дмитрук")
SOROKA = SoughtPerson("s", "Марія", "Сорока")


def _typeset(lines: list[str]) -> bytes:
    """A born-digital PDF whose lines are typed as given (a hyphen ends a line)."""
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.setFont("DejaVuSans", 12)
    for number, line in enumerate(lines):
        pdf.drawString(72, 760 - 16 * number, line)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.mark.parametrize(("text", "read"), [
    ("вивезли Петрен-\nка Олега", "вивезли Петренка Олега"),
    ("наказ щодо ДМИТ-\n  РУКА Олега", "наказ щодо ДМИТРУКА Олега"),
    ("з Петренко-\nКовальчуком", "з Петренко-Ковальчуком"),
    ("Дми\u00adтрук Олег", "Дмитрук Олег"),
    ("ДМИТ\x02РУК Олег", "ДМИТРУК Олег"),
    ("1941-\n1945 роки, а також\nдалі", "1941-\n1945 роки, а також\nдалі"),
    ("без переносів", "без переносів"),
])
def test_broken_words_are_read_whole(text: str, read: str) -> None:
    joined = join_broken_words(text)
    assert joined.text == read
    for offset, char in enumerate(joined.text):
        assert text[joined.origin[offset]] == char


def test_the_shown_span_covers_the_line_end_hyphen() -> None:
    text = "вивезли Петрен-\nка Олега"
    joined = join_broken_words(text)
    start = joined.text.index("Петренка")
    assert joined.shown(start, start + len("Петренка")) == (8, 8 + len("Петрен-\nка"))


@pytest.mark.parametrize(("text", "span", "person"), [
    ("Наказ: передати ДМИТ-\nРУКА Олега під опіку.", "ДМИТ-\nРУКА Олега", "d"),
    ("Зникла Марія Сор-\nока, 11 років.", "Марія Сор-\nока", "s"),
    ("Зникла Марія Сорока\u00ad, а також", "Марія Сорока", "s"),
    ("Зникла Ма\u00adрія Сорока.", "Ма\u00adрія Сорока", "s"),
])
def test_a_broken_name_is_found_and_marked_where_it_is_shown(
        text: str, span: str, person: str) -> None:
    (mention,) = screen(text, [DMYTRUK, SOROKA], morphology=False)
    assert mention.person_id == person
    assert mention.text == span
    assert text[mention.start:mention.end] == span


def test_a_typeset_pdf_with_a_hyphenated_name_is_read_and_screened() -> None:
    data = _typeset(["Наказ про влаштування дітей. Передати хлопчика ДМИТ-",
                     "РУКА Олега Петровича, 2013 р.н., під опіку, а також Петрен-",
                     "ко Ганну."])
    found = extract_text(data, "application/pdf", ocr=False)
    assert "\x02" not in found.text
    assert "\ufffe" not in found.text
    assert "ДМИТ-\nРУКА" in found.text
    assert "Петрен-\nко" in found.text
    (mention,) = screen(found.text, [DMYTRUK], morphology=False)
    assert found.text[mention.start:mention.end] == "ДМИТ-\nРУКА Олега Петровича"
    assert mention.text == "ДМИТ-\nРУКА Олега Петровича"


def test_soft_hyphens_of_a_web_page_are_not_kept_in_its_text() -> None:
    html = "<p>Зникла Ма&shy;рія Соро&shy;ка.</p>".encode()
    found = extract_text(html, "text/html; charset=utf-8")
    assert "Марія Сорока" in found.text

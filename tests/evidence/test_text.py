"""Text from evidence documents: born-digital PDFs, scans read by Tesseract, HTML, MHTML,
DOCX, web archives and plain text, each with the tool that read it; a missing
Tesseract stops OCR with a coded message and nothing else."""

from __future__ import annotations

import gzip
import io
import zipfile
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz import fuzz
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from kinlink.errors import ConfigurationError, FileRefusedError, KinlinkError
from kinlink.evidence.screening import SoughtPerson, screen
from kinlink.evidence.text import PAGE_BREAK, ExtractedText, Method, extract_text

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
ORDER = ["НАКАЗ № 17 від 12.03.2022", "про переміщення дітей",
         "вивезено Олександра Петренка", "Марію Іванову, 2012 р.н."]
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
slow = pytest.mark.slow


def _code(error: pytest.ExceptionInfo[KinlinkError]) -> str:
    message = error.value.message
    assert message is not None, "refusals are coded messages"
    return message.code


def _close(text: str, *words: str) -> None:
    """Each word is in ``text`` (case-insensitive), allowing a letter or two of OCR error."""
    found = text.casefold()
    for word in words:
        score = fuzz.partial_ratio(word.casefold(), found)
        assert score >= 85, f"{word!r} not read (best {score:.0f}%) in {text!r}"


def _scan(lines: list[str] = ORDER) -> Image.Image:
    """A page of a generated 'scanned' order: black text on off-white, 48 px DejaVu."""
    font = ImageFont.truetype(str(FONT), 48)
    image = Image.new("L", (1700, 120 + 100 * len(lines)), 245)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((60, 60 + 100 * number), line, fill=10, font=font)
    return image


def _saved(image: Image.Image, kind: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    return out.getvalue()


def _pdf(pages: list[list[str] | Image.Image]) -> bytes:
    """A PDF whose pages are typed text (a text layer) or a scanned image (none)."""
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for page in pages:
        if isinstance(page, Image.Image):
            pdf.drawImage(ImageReader(page), 20, 400, width=560,
                          height=560 * page.height / page.width)
        else:
            pdf.setFont("DejaVuSans", 14)
            for number, line in enumerate(page):
                pdf.drawString(72, 760 - 22 * number, line)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.fixture
def no_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")


def test_a_born_digital_pdf_is_read_from_its_text_layer_without_ocr(no_tesseract: None) -> None:
    data = _pdf([ORDER[:2], ORDER[2:]])
    found = extract_text(data, "application/pdf")
    assert found.method is Method.BORN_DIGITAL
    assert [p.method for p in found.pages] == [Method.BORN_DIGITAL] * 2
    assert found.tool == "pypdfium2"
    assert "PDFium" in found.tool_version
    assert found.languages == ()
    assert found.warnings == ()
    assert found.pages[0].text.splitlines() == ORDER[:2]
    assert found.pages[1].text.splitlines() == ORDER[2:]
    assert found.text == found.pages[0].text + PAGE_BREAK + found.pages[1].text
    start = found.text.index("Петренка")
    assert found.page_at(start).number == 2
    assert found.text[found.pages[1].start:found.pages[1].end] == found.pages[1].text


@slow
def test_a_pdf_page_without_text_is_rendered_and_read_by_ocr() -> None:
    data = _pdf([ORDER[:2], _scan(ORDER[2:])])
    found = extract_text(data, "application/pdf")
    assert [p.method for p in found.pages] == [Method.BORN_DIGITAL, Method.OCR]
    assert found.method is Method.OCR
    assert found.tool == "pypdfium2+tesseract"
    assert found.tool_version.count("+") == 1
    assert found.tool_version.split("+")[1][0].isdigit()
    assert found.languages == ("ukr", "rus", "eng")
    assert found.pages[0].text.splitlines() == ORDER[:2]
    _close(found.pages[1].text, "Олександра", "Петренка", "Іванову")


@slow
def test_an_image_only_pdf_as_pillow_writes_it_is_read_by_ocr() -> None:
    found = extract_text(_saved(_scan(), "PDF", resolution=150), "application/pdf")
    assert found.method is Method.OCR
    assert len(found.pages) == 1
    _close(found.text, "наказ", "переміщення", "Олександра", "Петренка")


@slow
@pytest.mark.parametrize(("kind", "media_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg"),
                                                  ("TIFF", "image/tiff")])
def test_a_generated_scan_is_read_by_ocr_and_its_names_screened(kind: str,
                                                                media_type: str) -> None:
    found = extract_text(_saved(_scan(), kind), media_type)
    assert found.tool == "tesseract"
    assert found.tool_version[0].isdigit()
    assert found.method is Method.OCR
    assert found.languages == ("ukr", "rus", "eng")
    _close(found.text, "наказ", "переміщення", "Олександра", "Петренка", "Марію", "Іванову")
    people = [SoughtPerson("p1", "Олександр", "Петренко"), SoughtPerson("p2", "Марія", "Іванова")]
    assert {m.person_id for m in screen(found.text, people)} == {"p1", "p2"}


@slow
def test_each_page_of_a_tiff_is_a_page_of_the_text() -> None:
    first, second = _scan(ORDER[:2]), _scan(ORDER[2:])
    data = _saved(first, "TIFF", save_all=True, append_images=[second], compression="tiff_lzw")
    found = extract_text(data, "image/tiff")
    assert len(found.pages) == 2
    _close(found.pages[0].text, "наказ", "переміщення")
    _close(found.pages[1].text, "Олександра", "Петренка")
    assert found.page_at(found.pages[1].start).number == 2


@slow
def test_a_photographed_page_is_turned_upright_by_its_exif_orientation() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera held sideways: turn 90° clockwise to view
    turned = _scan().transpose(Image.Transpose.ROTATE_90)
    found = extract_text(_saved(turned, "JPEG", exif=exif), "image/jpeg")
    _close(found.text, "Олександра", "Петренка")


def test_a_missing_tesseract_says_what_to_install(no_tesseract: None) -> None:
    with pytest.raises(ConfigurationError) as error:
        extract_text(_saved(_scan(), "PNG"), "image/png")
    assert _code(error) == "evidence.ocr.missing"
    assert "tesseract-ocr-ukr" in error.value.text
    with pytest.raises(ConfigurationError):
        extract_text(_pdf([_scan()]), "application/pdf")


@slow
def test_a_missing_language_pack_names_the_package() -> None:
    with pytest.raises(ConfigurationError) as error:
        extract_text(_saved(_scan(), "PNG"), "image/png", languages=("ukr", "kat_old"))
    assert _code(error) == "evidence.ocr.no_language"
    assert "tesseract-ocr-kat-old" in error.value.text


def test_without_ocr_the_scanned_pages_are_named_not_read(no_tesseract: None) -> None:
    found = extract_text(_pdf([ORDER[:2], _scan(), _scan()]), "application/pdf", ocr=False)
    assert found.pages[0].text.splitlines() == ORDER[:2]
    assert [p.text for p in found.pages[1:]] == ["", ""]
    assert [w.code for w in found.warnings] == ["evidence.text.not_read"]
    assert found.warnings[0].params["pages"] == ("2", "3")
    assert found.tool == "pypdfium2"


def test_html_keeps_what_a_browser_shows() -> None:
    page = """<!doctype html><html><head><title>Новини &amp; події</title>
      <style>p { color: red }</style><script>var name = "Сховане Ім'я";</script></head>
      <body><h1>Вивезли дітей</h1><p>Серед них   <b>Олександр</b>
      Петренко&nbsp;(11 років).</p><noscript>увімкніть JavaScript</noscript>
      <img src="a.jpg" alt="Марія Іванова на фото"><ul><li>один</li><li>два</li></ul>
      </body></html>"""
    found = extract_text(page.encode(), "text/html")
    assert found.text.splitlines() == [
        "Новини & події", "Вивезли дітей", "Серед них Олександр Петренко (11 років).",
        "Марія Іванова на фото", "один", "два"]
    assert found.tool == "kinlink-markup"
    assert found.method is Method.BORN_DIGITAL
    assert found.encoding == "utf-8"


def test_html_in_windows_1251_is_decoded_by_its_declared_or_guessed_charset() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body>Передан Александр</body>'
    declared = extract_text(page.encode("cp1251"), "text/html")
    assert declared.text == "Передан Александр"
    assert declared.encoding == "cp1251"
    guessed = extract_text(b"<p>" + "Передан Александр Петренко".encode("cp1251"), "text/html")
    assert guessed.text == "Передан Александр Петренко"
    told = extract_text(page.encode("cp1251"), "text/html; charset=windows-1251")
    assert told.text == "Передан Александр"


def test_an_unclosed_head_does_not_hide_the_body() -> None:
    found = extract_text("<html><head><title>T</title><body>Петренко".encode(), "text/html")
    assert found.text.splitlines() == ["T", "Петренко"]


def _mhtml() -> bytes:
    capture = MIMEMultipart("related", type="text/html")
    capture["Subject"] = "captured page"
    main = MIMEText("<html><body><p>Анкета: Петренко Александр</p></body></html>",
                    "html", "utf-8")
    main["Content-Location"] = "https://example.org/child/17"
    style = MIMEText("body { font: serif }", "css", "utf-8")
    frame = MIMEText("<p>Ещё: Иванова Мария</p>", "html", "koi8-r")
    frame["Content-Location"] = "https://example.org/frame"
    for part in (main, style, frame):
        capture.attach(part)
    return capture.as_bytes()


def test_mhtml_gives_each_html_part_as_a_page_with_its_address() -> None:
    found = extract_text(_mhtml(), "multipart/related")
    assert [p.text for p in found.pages] == ["Анкета: Петренко Александр", "Ещё: Иванова Мария"]
    assert [p.source for p in found.pages] == ["https://example.org/child/17",
                                               "https://example.org/frame"]
    assert "font" not in found.text


def _docx() -> bytes:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {w}><w:body>'
            '<w:p><w:r><w:t>Олександр</w:t></w:r><w:r><w:t xml:space="preserve"> Петренко'
            '</w:t></w:r><w:r><w:tab/><w:t>12.03.2014</w:t></w:r></w:p>'
            '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Херсон</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
            '<w:p><w:r><w:delText>стерто</w:delText><w:t>кінець</w:t><w:br/>'
            '<w:t>рядок</w:t></w:r></w:p></w:body></w:document>')
    header = f'<w:hdr {w}><w:p><w:r><w:t>Міністерство</w:t></w:r></w:p></w:hdr>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", body)
        archive.writestr("word/header1.xml", header)
    return out.getvalue()


def test_docx_gives_paragraphs_tables_and_headers_not_deleted_text() -> None:
    found = extract_text(_docx(), DOCX_TYPE)
    assert found.text.splitlines() == ["Олександр Петренко\t12.03.2014", "Херсон", "кінець",
                                       "рядок", "Міністерство"]


@pytest.mark.parametrize("data", [b"PK\x03\x04 broken", b"plain text", b""])
def test_a_file_that_is_not_docx_is_refused(data: bytes) -> None:
    with pytest.raises(FileRefusedError):
        extract_text(data, DOCX_TYPE)


def _record(kind: str, url: str, block: bytes, number: int) -> bytes:
    """One WARC record, written by hand (as a crawler writes it) and gzipped alone."""
    content_type = f"application/http; msgtype={kind}"
    head = (f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {url}\r\n"
            f"WARC-Date: 2022-03-12T10:00:00Z\r\n"
            f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n")
    return gzip.compress(head.encode() + block + b"\r\n\r\n")


def _warc() -> bytes:
    pages = [("https://example.org/news", "text/html; charset=windows-1251",
              "<html><body><p>Вывезен Александр Петренко</p><script>x()</script></body></html>"
              .encode("cp1251")),
             ("https://example.org/logo.png", "image/png", _saved(_scan(["x"]), "PNG")),
             ("https://example.org/list.txt", "text/plain; charset=utf-8",
              "Іванова Марія".encode())]
    records = []
    for number, (url, media_type, body) in enumerate(pages):
        records.append(_record("request", url, b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n",
                               2 * number))
        response = (f"HTTP/1.1 200 OK\r\nContent-Type: {media_type}\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        records.append(_record("response", url, response, 2 * number + 1))
    return b"".join(records)


def test_a_web_archive_gives_the_text_of_each_page_it_captured() -> None:
    data = _warc()
    assert gzip.decompress(data)  # the archive is gzipped, as crawlers write it
    found = extract_text(data, "application/warc")
    assert [p.text for p in found.pages] == ["Вывезен Александр Петренко", "Іванова Марія"]
    assert [p.source for p in found.pages] == ["https://example.org/news",
                                               "https://example.org/list.txt"]
    assert found.tool.startswith("warcio+")
    assert found.tool_version[0].isdigit()


def test_a_web_archive_without_pages_warns_and_a_damaged_one_is_refused() -> None:
    empty = extract_text(gzip.compress(b""), "application/warc")
    assert [w.code for w in empty.warnings] == ["evidence.warc.no_pages"]
    with pytest.raises(FileRefusedError) as error:
        extract_text(b"not a web archive", "application/warc")
    assert _code(error) == "evidence.warc.damaged"


@pytest.mark.parametrize(("data", "encoding"), [
    ("Олександр Петренко\n".encode(), "utf-8"),
    ("Олександр Петренко\n".encode("utf-8-sig"), "utf-8-sig"),
    ("Олександр Петренко\n".encode("cp1251"), "windows-1251"),
    ("Олександр Петренко\n".encode("utf-16"), "utf-16"),
])
def test_plain_text_is_decoded_as_the_list_readers_decode(data: bytes, encoding: str) -> None:
    found = extract_text(data, "text/plain")
    assert found.text == "Олександр Петренко"
    assert found.encoding == encoding
    assert found.warnings == ()


def test_plain_text_in_an_unknown_encoding_is_read_with_a_warning() -> None:
    found = extract_text(b"abc \x98\x98 def", "text/plain")
    assert found.text.startswith("abc ")
    assert found.text.endswith(" def")
    assert [w.code for w in found.warnings] == ["evidence.text.encoding_guessed"]


def test_plain_text_with_a_declared_charset() -> None:
    found = extract_text("Петренко".encode("koi8-r"), "text/plain; charset=KOI8-R")
    assert found.text == "Петренко"


@pytest.mark.parametrize(("data", "media_type", "code"), [
    (b"x", "application/zip", "evidence.text.unsupported"),
    (b"", "text/plain", "file.empty"),
    (b"%PDF-1.7 broken", "application/pdf", "evidence.pdf.damaged"),
    (b"\x89PNG broken", "image/png", "evidence.image.unreadable"),
    (b"GIF89a", "image/tiff", "evidence.image.unreadable"),
])
def test_what_cannot_be_read_is_refused_with_a_coded_message(data: bytes, media_type: str,
                                                              code: str) -> None:
    with pytest.raises(FileRefusedError) as error:
        extract_text(data, media_type)
    assert _code(error) == code


def test_the_result_is_frozen() -> None:
    found = extract_text(b"text", "text/plain")
    assert isinstance(found, ExtractedText)
    with pytest.raises(AttributeError):
        found.text = "other"  # type: ignore[misc]

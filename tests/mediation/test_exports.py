"""The files of a mediation list write exactly the columns given, safely, in both languages.

CSV and XLSX are read back with the csv module and openpyxl; PDFs with pypdf, which also
shows whether the font is embedded and the photo is there.
"""

from __future__ import annotations

import csv
import io
import os
import struct
import sys
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PIL import Image as PILImage
from pypdf import PdfReader

from kinlink.domain.mediation import ListField
from kinlink.mediation.exports import (
    HEADERS,
    REFERENCE,
    Dossier,
    ListRow,
    ListTable,
    list_csv,
    list_xlsx,
    neutralise,
)
from kinlink.mediation.pdf import dossier_pdf, dossiers_pdf, list_pdf

KYIV = timezone(timedelta(hours=2))
CREATED = datetime(2026, 11, 26, 14, 3, tzinfo=KYIV)
COLUMNS = (ListField.NAME_UK, ListField.NAME_RU, ListField.BIRTH_DATE)
DANGEROUS = ["=HYPERLINK(\"http://x.example\",\"click\")", "+380501234567", "-1", "@SUM(A1)",
             "\tcell", "\rcell"]


def _table(rows: tuple[ListRow, ...], columns: tuple[ListField, ...] = COLUMNS) -> ListTable:
    return ListTable(title="Qatar mediation — list L-0003", list_number="L-0003",
                     channel="Qatar", created_at=CREATED, created_by="officer.k",
                     columns=columns, rows=rows)


def _petrenko(reference: str = "KL-7F3K-9Q2M", **extra: str) -> ListRow:
    values = {ListField.NAME_UK: "Олександр Петренко", ListField.NAME_RU: "Александр Петренко",
              ListField.BIRTH_DATE: "2014-03-12"}
    values.update({ListField(k): v for k, v in extra.items()})
    return ListRow(reference, values)


def _png(width: int = 6, height: int = 4) -> bytes:
    """A small red PNG, written by hand so that no image file is checked in."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def _dossier(reference: str = "KL-7F3K-9Q2M", photo: bytes | None = None) -> Dossier:
    return Dossier(
        reference=reference, channel="Qatar", list_number="L-0003", created_at=CREATED,
        fields=((ListField.NAME_UK, "Олександр Петренко"),
                (ListField.BIRTH_DATE, "2014-03-12"),
                (ListField.LAST_KNOWN_PLACE, "Таганрог")),
        family_request="Ми шукаємо сина з березня 2022 року.\n\nБудь ласка, допоможіть.",
        photo=photo)


def _pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _resolved(obj: Any) -> Any:
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _font_descriptors(data: bytes) -> list[Any]:
    descriptors = []
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = _resolved(_resolved(page["/Resources"]).get("/Font", {}))
        for ref in fonts.values():
            font = _resolved(ref)
            if "/DescendantFonts" in font:
                font = _resolved(_resolved(font["/DescendantFonts"])[0])
            descriptors.append(_resolved(font["/FontDescriptor"]))
    return descriptors


# --- the table --------------------------------------------------------------------


def test_every_field_and_the_reference_have_one_bilingual_header() -> None:
    for key in [REFERENCE, *ListField]:
        ukrainian, english = HEADERS[key].split(" / ")
        assert any("а" <= c.lower() <= "я" or c in "іїєґІЇЄҐ" for c in ukrainian)
        assert english.isascii()
    assert HEADERS[ListField.NAME_LATIN] == "Латиницею (КМУ 2010) / Name (Latin, KMU 2010)"


@pytest.mark.parametrize("field", [ListField.FAMILY_REQUEST, ListField.PHOTO])
def test_a_list_refuses_dossier_only_columns(field: ListField) -> None:
    with pytest.raises(ValueError, match="only in dossiers"):
        _table((_petrenko(),), columns=(ListField.NAME_UK, field))


def test_a_list_refuses_a_time_without_zone_and_a_reference_twice() -> None:
    with pytest.raises(ValueError, match="time zone"):
        ListTable("t", "L-1", "Qatar", datetime(2026, 1, 1), "k", COLUMNS, ())
    with pytest.raises(ValueError, match="twice"):
        _table((_petrenko("KL-1"), _petrenko("KL-1")))


@pytest.mark.parametrize("cell", DANGEROUS)
def test_neutralise_prefixes_formula_starts(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Олександр", "KL-7F3K-9Q2M", "2014-03-12", "", "a=b"])
def test_neutralise_keeps_ordinary_text(cell: str) -> None:
    assert neutralise(cell) == cell


# --- CSV --------------------------------------------------------------------------


def test_csv_has_a_bom_a_bilingual_header_and_rows_that_read_back() -> None:
    data = list_csv(_table((_petrenko(), ListRow("KL-0000-0000", {}))))
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Номер / Reference",
                       "Прізвище, ім'я, по батькові (укр.) / Name (Ukrainian)",
                       "Ім'я російською / Name (Russian forms)",
                       "Дата народження / Date of birth"]
    assert rows[1] == ["KL-7F3K-9Q2M", "Олександр Петренко", "Александр Петренко",
                       "2014-03-12"]
    assert rows[2] == ["KL-0000-0000", "", "", ""]  # missing values are written empty
    assert len(rows) == 3


def test_csv_keeps_commas_quotes_and_line_breaks_inside_a_cell() -> None:
    name = 'Петренко, "Саша"\nОлександр'
    data = list_csv(_table((ListRow("KL-1", {ListField.NAME_UK: name}),)))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1][1] == name


def test_csv_neutralises_every_formula_like_cell() -> None:
    rows = tuple(ListRow(f"KL-{i}", {ListField.NAME_UK: cell})
                 for i, cell in enumerate(DANGEROUS))
    data = list_csv(_table(rows))
    read = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r[1] for r in read[1:]] == ["'" + cell for cell in DANGEROUS]


def test_csv_writes_only_the_columns_given() -> None:
    row = _petrenko(birth_place="Маріуполь", family_request="Допоможіть")
    data = list_csv(_table((row,))).decode("utf-8-sig")
    assert "Маріуполь" not in data
    assert "Допоможіть" not in data
    assert "Place of birth" not in data


# --- XLSX -------------------------------------------------------------------------


def test_xlsx_cells_are_strings_never_formulas() -> None:
    rows = (_petrenko(), ListRow("KL-2", {ListField.NAME_UK: "=1+1",
                                          ListField.NAME_RU: "+380501234567"}))
    book = load_workbook(io.BytesIO(list_xlsx(_table(rows))))
    sheet = book["List"]
    assert [c.value for c in sheet[1]] == _table(rows).header()
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].value == "Олександр Петренко"
    assert sheet["B3"].value == "'=1+1"
    assert sheet["C3"].value == "'+380501234567"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            assert cell.value is None or isinstance(cell.value, str)
    assert sheet["D2"].value == "2014-03-12"  # a date stays text, as given
    assert all(sheet.column_dimensions[c].width >= 12 for c in "ABCD")


def test_xlsx_has_an_about_sheet_and_only_the_columns_given() -> None:
    row = _petrenko(birth_place="Маріуполь")
    book = load_workbook(io.BytesIO(list_xlsx(_table((row, _petrenko("KL-2"))))))
    assert book.sheetnames == ["List", "About"]
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True) if r[0]}
    assert about["Канал / Channel"] == "Qatar"
    assert about["Номер списку / List number"] == "L-0003"
    assert about["Створив(ла) / Created by"] == "officer.k"
    assert about["Створено / Created at"] == "2026-11-26 14:03+02:00"
    assert about["Кількість дітей / Number of children"] == 2
    assert any("Confidential: personal data of children — do not forward" in str(label)
               for label in about)
    values = [c.value for r in book["List"].iter_rows() for c in r]
    assert "Маріуполь" not in values
    assert book["List"].max_column == 1 + len(COLUMNS)


# --- PDF --------------------------------------------------------------------------


def test_list_pdf_has_cyrillic_text_headers_and_an_embedded_font() -> None:
    data = list_pdf(_table((_petrenko(birth_place="Маріуполь"),)))
    text = "\n".join(_pdf_text(data))
    assert "Олександр Петренко" in text
    assert "Номер / Reference" in text
    assert "Дата народження" in text
    assert "Qatar mediation — list L-0003" in text
    assert "L-0003" in text
    assert "Конфіденційно / Confidential" in text
    assert "page 1 of 1" in text
    assert "Маріуполь" not in text
    descriptors = _font_descriptors(data)
    assert descriptors
    assert all("/FontFile2" in d for d in descriptors)


def test_list_pdf_repeats_header_and_confidentiality_on_every_page() -> None:
    rows = tuple(_petrenko(f"KL-{i:04d}") for i in range(120))
    pages = _pdf_text(list_pdf(_table(rows)))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "Номер / Reference" in text
        assert "Конфіденційно / Confidential" in text
        assert "Qatar" in text
        assert "L-0003" in text
        assert f"page {number} of {len(pages)}" in text
    everything = "\n".join(pages)
    assert all(f"KL-{i:04d}" in everything for i in range(120))


def test_list_pdf_wraps_long_names_inside_their_cell() -> None:
    long_name = " ".join(["Олександр-Костянтин Петренко-Ковальчук"] * 6) + " Кінець"
    data = list_pdf(_table((ListRow("KL-1", {ListField.NAME_UK: long_name}),)))
    page = PdfReader(io.BytesIO(data)).pages[0]
    lines: list[tuple[float, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if "Петренко-Ковальчук" in text or "Кінець" in text:
            lines.append((float(tm[5]), text))

    page.extract_text(visitor_text=visit)
    assert len({y for y, _ in lines}) >= 2  # the name runs over several lines
    assert any("Кінець" in text for _, text in lines)  # and nothing was cut off


def test_dossier_pdf_has_title_fields_request_photo_and_font() -> None:
    data = dossier_pdf(_dossier(photo=_png()))
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Справа дитини / Child's file — KL-7F3K-9Q2M" in text
    assert "Олександр Петренко" in text
    assert "Останнє відоме місце / Last" in text  # the label wraps in its column
    assert "Прохання родини / The family's request" in text
    assert "Будь ласка, допоможіть." in text
    assert "Конфіденційно / Confidential" in text
    images = [x for p in reader.pages
              for x in _resolved(_resolved(p["/Resources"]).get("/XObject", {})).values()
              if _resolved(x)["/Subtype"] == "/Image"]
    assert len(images) == 1
    assert all("/FontFile2" in d for d in _font_descriptors(data))


def test_dossier_without_photo_or_request_has_no_image() -> None:
    dossier = Dossier("KL-1", "ICRC", "L-7", CREATED, ((ListField.NAME_UK, "Марія"),))
    reader = PdfReader(io.BytesIO(dossier_pdf(dossier)))
    assert "/XObject" not in _resolved(reader.pages[0]["/Resources"])
    assert "Прохання родини" not in reader.pages[0].extract_text()


def test_dossier_photo_loses_its_metadata() -> None:
    photo = io.BytesIO()
    exif = PILImage.Exif()
    exif[0x010E] = "GPS 47.1 37.5 EXIFSECRET"  # ImageDescription
    PILImage.new("RGB", (40, 60), "blue").save(photo, format="JPEG", exif=exif,
                                               comment=b"COMMENTSECRET")
    reader = PdfReader(io.BytesIO(dossier_pdf(_dossier(photo=photo.getvalue()))))
    images = reader.pages[0].images
    assert len(images) == 1
    assert images[0].data.startswith(b"\xff\xd8")  # a JPEG, written again
    assert b"SECRET" not in images[0].data


@pytest.mark.parametrize("photo", [b"\x89PNG\r\n\x1a\nnot really", b"", b"GIF89a...."])
def test_a_corrupt_photo_is_refused_naming_the_reference(photo: bytes) -> None:
    with pytest.raises(ValueError, match="KL-7F3K-9Q2M"):
        dossier_pdf(_dossier(photo=photo))


def test_a_gif_photo_is_refused() -> None:
    gif = io.BytesIO()
    PILImage.new("RGB", (4, 4)).save(gif, format="GIF")
    with pytest.raises(ValueError, match="PNG or JPEG"):
        dossier_pdf(_dossier(photo=gif.getvalue()))


def test_dossier_refuses_dossier_only_fields_among_its_fields() -> None:
    with pytest.raises(ValueError, match="own place"):
        Dossier("KL-1", "Qatar", "L-1", CREATED, ((ListField.PHOTO, "x"),))


def test_dossiers_pdf_starts_each_child_on_a_new_page() -> None:
    references = ["KL-AAAA-AAAA", "KL-BBBB-BBBB", "KL-CCCC-CCCC"]
    data = dossiers_pdf([_dossier(r, photo=_png()) for r in references])
    pages = _pdf_text(data)
    assert len(pages) >= 3
    first_pages = [next(i for i, text in enumerate(pages) if r in text) for r in references]
    assert first_pages == sorted(set(first_pages))  # in order, each on its own page
    for reference, index in zip(references, first_pages, strict=True):
        assert [r for r in references if r in pages[index]] == [reference]
    with pytest.raises(ValueError, match="no dossiers"):
        dossiers_pdf([])


def test_files_carry_nothing_from_the_environment() -> None:
    table = _table((_petrenko(),))
    files = [list_csv(table), list_xlsx(table), list_pdf(table),
             dossier_pdf(_dossier(photo=_png()))]
    places = {str(Path.home()), os.getcwd(), sys.prefix, str(Path(__file__).parents[2])}
    for data in files:
        for place in places:
            assert place.encode() not in data
        assert b"fonts/DejaVu" not in data
    info = PdfReader(io.BytesIO(files[2])).metadata
    assert info is not None
    assert info.author == "officer.k"
    assert info.title == "Qatar mediation — list L-0003"

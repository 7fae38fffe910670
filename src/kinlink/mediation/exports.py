"""The files of a mediation list: a table of children (CSV, XLSX, PDF) and dossiers (PDF).

This layer only writes bytes. It receives data that was already cut down to what the
channel may receive (:class:`~kinlink.domain.mediation.ChannelPolicy`) and writes exactly
that: a list table writes its ``columns`` and nothing else, even when a row carries more.
The files carry nothing that is not in the data given (no paths, no account names other
than ``created_by``); they leave kinlink only inside an encrypted ZIP
(:mod:`kinlink.mediation.encryption`).

Every header is bilingual, Ukrainian / English, because the people who read a list on the
other side may read either. Cells a spreadsheet would run as a formula are neutralised in
CSV and XLSX alike, so a name such as ``=HYPERLINK(…)`` stays text wherever it is opened.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Final, Literal
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kinlink.domain.cells import neutralise_formula as neutralise
from kinlink.domain.mediation import ListField

__all__ = [
    "HEADERS",
    "REFERENCE",
    "Dossier",
    "ListRow",
    "ListTable",
    "dossier_pdf",
    "dossiers_pdf",
    "list_csv",
    "list_pdf",
    "list_xlsx",
    "neutralise",
]

REFERENCE: Final = "reference"
"""The key of the reference column in :data:`HEADERS` (the reference is not a ListField:
every list and dossier has it, whatever the channel)."""

HEADERS: Final[Mapping[ListField | Literal["reference"], str]] = MappingProxyType({
    REFERENCE: "Номер / Reference",
    ListField.NAME_UK: "Прізвище, ім'я, по батькові (укр.) / Name (Ukrainian)",
    ListField.NAME_RU: "Ім'я російською / Name (Russian forms)",
    ListField.NAME_LATIN: "Латиницею (КМУ 2010) / Name (Latin, KMU 2010)",
    ListField.NAME_LATIN_RU: "Латиницею, російська форма (ICAO) / Name (Latin, Russian form, ICAO)",
    ListField.SEX: "Стать / Sex",
    ListField.BIRTH_DATE: "Дата народження / Date of birth",
    ListField.BIRTH_PLACE: "Місце народження / Place of birth",
    ListField.LAST_KNOWN_PLACE: "Останнє відоме місце / Last known place",
    ListField.REMOVAL_DATE: "Дата вивезення / Date of removal",
    ListField.FOUND_AS: "Знайдено як / Found as",
    ListField.FAMILY_REQUEST: "Прохання родини / The family's request",
    ListField.PHOTO: "Фото / Photo",
})
"""The bilingual header of every column, Ukrainian / English. The only place they are
written: CSV, XLSX and PDF all take their headers from here."""

# Other bilingual words printed in the files.
_CHANNEL = "Канал / Channel"
_LIST_NUMBER = "Номер списку / List number"
_TITLE = "Назва / Title"
_CREATED_AT = "Створено / Created at"
_CREATED_BY = "Створив(ла) / Created by"
_CHILDREN = "Кількість дітей / Number of children"
_CONFIDENTIAL = "Конфіденційно / Confidential"
_DO_NOT_FORWARD = ("Конфіденційно: персональні дані дітей — не пересилати / "
                   "Confidential: personal data of children — do not forward")
_CHILD_FILE = "Справа дитини / Child's file"

# Characters XML 1.0 cannot hold: XLSX and PDF text would be refused or garbled.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _check_aware(created_at: datetime) -> None:
    if created_at.tzinfo is None or created_at.utcoffset() is None:
        raise ValueError("created_at must carry its time zone")


def _when(created_at: datetime) -> str:
    return created_at.isoformat(sep=" ", timespec="minutes")


@dataclass(frozen=True)
class ListRow:
    """One child on a list: the reference and the values of the list's columns.

    A column missing from ``values`` is written empty; a value whose field is not one of
    the table's columns is never written.
    """

    reference: str
    values: Mapping[ListField, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.reference.strip():
            raise ValueError("every child on a list needs a reference")
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))

    def value(self, column: ListField) -> str:
        """The text of ``column`` for this child, empty when there is none."""
        return self.values.get(column) or ""


@dataclass(frozen=True)
class ListTable:
    """A list of children for one channel, ready to be written.

    ``columns`` are the table columns after the reference, in order. Dossier-only fields
    (the family's request, the photo) are refused: they are printed only in dossiers.
    """

    title: str
    list_number: str
    channel: str
    created_at: datetime
    created_by: str
    columns: tuple[ListField, ...]
    rows: tuple[ListRow, ...]

    def __post_init__(self) -> None:
        _check_aware(self.created_at)
        if not self.columns:
            raise ValueError("a list needs at least one column besides the reference")
        for column in self.columns:
            if column.dossier_only:
                raise ValueError(f"{column.value} is printed only in dossiers, "
                                 "never in a list's table")
        if len(set(self.columns)) != len(self.columns):
            raise ValueError("a column appears twice in the list")
        references = [row.reference for row in self.rows]
        if len(set(references)) != len(references):
            raise ValueError("a reference appears twice in the list")

    def header(self) -> list[str]:
        """The bilingual header row: the reference first, then the columns."""
        return [HEADERS[REFERENCE], *(HEADERS[c] for c in self.columns)]

    def cells(self) -> Iterable[list[str]]:
        """The rows as text, in header order, neither neutralised nor cleaned."""
        for row in self.rows:
            yield [row.reference, *(row.value(c) for c in self.columns)]


@dataclass(frozen=True)
class Dossier:
    """One child's file for a channel: the biography fields in order, the family's own
    request and a photograph (PNG or JPEG bytes), each optional."""

    reference: str
    channel: str
    list_number: str
    created_at: datetime
    fields: tuple[tuple[ListField, str], ...]
    family_request: str | None = None
    photo: bytes | None = None

    def __post_init__(self) -> None:
        _check_aware(self.created_at)
        if not self.reference.strip():
            raise ValueError("a dossier needs the child's reference")
        names = [name for name, _ in self.fields]
        for name in names:
            if name.dossier_only:
                raise ValueError(f"{name.value} has its own place in a dossier, "
                                 "not among the fields")
        if len(set(names)) != len(names):
            raise ValueError("a field appears twice in the dossier")


# --- CSV ---------------------------------------------------------------------------


def list_csv(table: ListTable) -> bytes:
    """The list as CSV (RFC 4180, CRLF line ends) in UTF-8 with a BOM, so that Excel
    reads the Cyrillic right. Every cell is neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in table.header()])
    for cells in table.cells():
        writer.writerow([neutralise(c) for c in cells])
    return buffer.getvalue().encode("utf-8-sig")


# --- XLSX --------------------------------------------------------------------------


def _xml_text(text: str) -> str:
    """``text`` without the control characters XML cannot hold (shown as U+FFFD)."""
    return _XML_ILLEGAL.sub("\ufffd", text)


def _text_cell(sheet: Any, row: int, column: int, text: str) -> Any:
    """Write ``text`` as a string cell, never a formula, whatever it starts with."""
    cell = sheet.cell(row=row, column=column)
    cell.value = neutralise(_xml_text(text))
    cell.data_type = "s"
    return cell


def _column_width(texts: Iterable[str]) -> float:
    longest = max((len(t) for t in texts), default=0)
    return float(min(50, max(12, longest + 2)))


def list_xlsx(table: ListTable) -> bytes:
    """The list as an Excel workbook: a sheet "List" (bold, frozen header row, every cell
    a string) and a sheet "About" saying what the list is and that it is confidential."""
    book = Workbook()
    sheet = book.active
    sheet.title = "List"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header = table.header()
    for col, text in enumerate(header, start=1):
        cell = _text_cell(sheet, 1, col, text)
        cell.font = bold
        cell.alignment = wrap
    body = list(table.cells())
    for row_number, cells in enumerate(body, start=2):
        for col, text in enumerate(cells, start=1):
            _text_cell(sheet, row_number, col, text).alignment = wrap
    sheet.freeze_panes = "A2"
    for col, text in enumerate(header, start=1):
        # A header is long but wraps; size the column for its values and half a header.
        width = _column_width([text[: len(text) // 2], *(cells[col - 1] for cells in body)])
        sheet.column_dimensions[get_column_letter(col)].width = width

    about = book.create_sheet("About")
    facts: list[tuple[str, str | int]] = [
        (_TITLE, table.title),
        (_CHANNEL, table.channel),
        (_LIST_NUMBER, table.list_number),
        (_CREATED_AT, _when(table.created_at)),
        (_CREATED_BY, table.created_by),
        (_CHILDREN, len(table.rows)),
    ]
    for row_number, (label, value) in enumerate(facts, start=1):
        _text_cell(about, row_number, 1, label).font = bold
        if isinstance(value, int):
            about.cell(row=row_number, column=2, value=value)
        else:
            _text_cell(about, row_number, 2, value)
    _text_cell(about, len(facts) + 2, 1, _DO_NOT_FORWARD).font = bold
    about.column_dimensions["A"].width = 40
    about.column_dimensions["B"].width = 50

    properties = book.properties
    properties.creator = _xml_text(table.created_by)
    properties.lastModifiedBy = None
    properties.title = _xml_text(table.title)
    when = table.created_at.replace(microsecond=0)
    properties.created = when
    properties.modified = when
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------

_FONT = "KinlinkSans"
_FONT_BOLD = "KinlinkSans-Bold"


@cache
def _register_fonts() -> None:
    """Register the vendored DejaVu Sans with reportlab (once): the PDF's built-in fonts
    have no Cyrillic. The fonts are read from bytes so that no path ends up in a PDF."""
    fonts = resources.files("kinlink.mediation") / "fonts"
    for name, file_name in ((_FONT, "DejaVuSans.ttf"), (_FONT_BOLD, "DejaVuSans-Bold.ttf")):
        data = (fonts / file_name).read_bytes()
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    pdfmetrics.registerFontFamily(_FONT, normal=_FONT, bold=_FONT_BOLD, italic=_FONT,
                                  boldItalic=_FONT_BOLD)


def _style(size: float, *, bold: bool = False, space_after: float = 0) -> Any:
    return ParagraphStyle(
        name=f"kinlink-{size}-{bold}", fontName=_FONT_BOLD if bold else _FONT,
        fontSize=size, leading=size * 1.25, spaceAfter=space_after,
        splitLongWords=True,
    )


def _para(text: str, style: Any) -> Any:
    """A paragraph of plain ``text``: escaped for reportlab's markup, line breaks kept."""
    lines = escape(_xml_text(text)).splitlines() or [""]
    return Paragraph("<br/>".join(lines), style)


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that prints "Конфіденційно / Confidential" and "page N of M" at the
    foot of every page; M is known only at the end, so pages are kept until then."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _footer(self, number: int, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setFont(_FONT_BOLD, 8)
        self.drawString(12 * mm, 8 * mm, _CONFIDENTIAL)
        self.setFont(_FONT, 8)
        self.drawRightString(width - 12 * mm, 8 * mm,
                             f"сторінка {number} з {total} / page {number} of {total}")
        self.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut short with "…" so that it fits ``width`` on one line (page headers
    are drawn, not wrapped)."""
    text = _xml_text(text)
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _document(buffer: io.BytesIO, pagesize: tuple[float, float], *, title: str,
              author: str, top: float) -> Any:
    return SimpleDocTemplate(
        buffer, pagesize=pagesize, leftMargin=12 * mm, rightMargin=12 * mm,
        topMargin=top, bottomMargin=16 * mm, title=_xml_text(title),
        author=_xml_text(author), subject=_CONFIDENTIAL, creator="kinlink",
        producer="kinlink", keywords="",
        # Without this the canvas starts in Helvetica, a font with no Cyrillic that is
        # declared (unembedded) in every PDF.
        initialFontName=_FONT, initialFontSize=10,
    )


_WEIGHTS: Final[Mapping[ListField | Literal["reference"], float]] = MappingProxyType({
    REFERENCE: 1.1,
    ListField.NAME_UK: 2.0,
    ListField.NAME_RU: 2.0,
    ListField.NAME_LATIN: 2.0,
    ListField.NAME_LATIN_RU: 2.0,
    ListField.SEX: 0.7,
    ListField.BIRTH_DATE: 1.0,
    ListField.BIRTH_PLACE: 1.6,
    ListField.LAST_KNOWN_PLACE: 1.8,
    ListField.REMOVAL_DATE: 1.0,
    ListField.FOUND_AS: 2.0,
})
"""How wide each column of a PDF list is, relative to the others."""


def list_pdf(table: ListTable) -> bytes:
    """The list as a PDF on landscape A4: a table whose bilingual header repeats on
    every page, long values wrapped inside their cells. Every page carries the title,
    channel, list number and date at the top, and "Конфіденційно / Confidential" and its
    page number at the foot."""
    _register_fonts()
    pagesize = landscape(A4)
    buffer = io.BytesIO()
    document = _document(buffer, pagesize, title=table.title, author=table.created_by,
                         top=24 * mm)
    head_style, cell_style = _style(7.5, bold=True), _style(8)
    keys: list[ListField | Literal["reference"]] = [REFERENCE, *table.columns]
    weights = [_WEIGHTS[k] for k in keys]
    widths = [document.width * w / sum(weights) for w in weights]
    data = [[_para(h, head_style) for h in table.header()]]
    data += [[_para(c, cell_style) for c in cells] for cells in table.cells()]
    grid = Table(data, colWidths=widths, repeatRows=1)
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), _FONT),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    meta = (f"{_CHANNEL}: {table.channel}  ·  {_LIST_NUMBER}: {table.list_number}  ·  "
            f"{_CREATED_AT}: {_when(table.created_at)}  ·  {_CHILDREN}: {len(table.rows)}")

    def page_header(canvas: Any, doc: Any) -> None:
        width, height = pagesize
        canvas.saveState()
        label_width = pdfmetrics.stringWidth(_CONFIDENTIAL, _FONT_BOLD, 8) + 6 * mm
        canvas.setFont(_FONT_BOLD, 11)
        canvas.drawString(doc.leftMargin, height - 12 * mm,
                          _fit(table.title, _FONT_BOLD, 11, doc.width - label_width))
        canvas.setFont(_FONT, 8)
        canvas.drawString(doc.leftMargin, height - 17 * mm, _fit(meta, _FONT, 8, doc.width))
        canvas.setFont(_FONT_BOLD, 8)
        canvas.drawRightString(width - doc.rightMargin, height - 12 * mm, _CONFIDENTIAL)
        canvas.restoreState()

    document.build([grid], onFirstPage=page_header, onLaterPages=page_header,
                   canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


_PHOTO_BOX = (45 * mm, 60 * mm)
_PHOTO_MAX_PIXELS = 1600


def _photo(dossier: Dossier) -> Any:
    """The dossier's photo as a flowable scaled into the photo box.

    The image is decoded and written again as JPEG: turned upright by its EXIF
    orientation, with no EXIF or other metadata (a camera's GPS position must not travel
    with a child's photo). Anything that is not a readable PNG or JPEG is refused here,
    naming the dossier, rather than failing somewhere inside reportlab.
    """
    assert dossier.photo is not None
    refused = ValueError(f"the photo of {dossier.reference} is not a readable PNG or "
                         "JPEG image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(dossier.photo)) as probe:
                kind = probe.format
                probe.verify()
            if kind not in ("PNG", "JPEG"):
                raise refused
            with PILImage.open(io.BytesIO(dossier.photo)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
                    rgba = upright.convert("RGBA")
                    flat = PILImage.new("RGB", rgba.size, "white")
                    flat.paste(rgba, mask=rgba.getchannel("A"))
                else:
                    flat = upright.convert("RGB")
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError,
            PILImage.DecompressionBombWarning) as error:
        if error is refused:
            raise
        raise refused from error
    flat.thumbnail((_PHOTO_MAX_PIXELS, _PHOTO_MAX_PIXELS))
    # Only the pixels go on: Pillow would carry a JPEG comment over from the original.
    pixels = PILImage.frombytes("RGB", flat.size, flat.tobytes())
    encoded = io.BytesIO()
    pixels.save(encoded, format="JPEG", quality=85)
    box_width, box_height = _PHOTO_BOX
    scale = min(box_width / pixels.width, box_height / pixels.height)
    encoded.seek(0)
    return Image(encoded, width=pixels.width * scale, height=pixels.height * scale)


def _dossier_story(dossier: Dossier, width: float) -> list[Any]:
    title_style, meta_style = _style(15, bold=True, space_after=3 * mm), _style(8.5)
    label_style, value_style = _style(8.5, bold=True), _style(10)
    story: list[Any] = [
        _para(f"{_CHILD_FILE} — {dossier.reference}", title_style),
        _para(f"{_CHANNEL}: {dossier.channel}  ·  {_LIST_NUMBER}: {dossier.list_number}  ·  "
              f"{_CREATED_AT}: {_when(dossier.created_at)}", meta_style),
        Spacer(1, 5 * mm),
    ]
    rows = [(HEADERS[REFERENCE], dossier.reference)]
    rows += [(HEADERS[name], value) for name, value in dossier.fields]
    photo_width = _PHOTO_BOX[0] + 6 * mm if dossier.photo is not None else 0
    table_width = width - photo_width
    label_width = min(62 * mm, table_width * 0.42)
    facts = Table([[_para(label, label_style), _para(value, value_style)]
                   for label, value in rows],
                  colWidths=[label_width, table_width - label_width])
    facts.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (0, -1), colors.Color(0.93, 0.93, 0.93)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), _FONT),
    ]))
    if dossier.photo is not None:
        layout = Table([[_photo(dossier), facts]], colWidths=[photo_width, table_width])
        layout.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), _FONT),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]))
        story.append(layout)
    else:
        story.append(facts)
    if dossier.family_request is not None and dossier.family_request.strip():
        story += [Spacer(1, 6 * mm),
                  _para(HEADERS[ListField.FAMILY_REQUEST], _style(11, bold=True,
                                                                  space_after=2 * mm))]
        request_style = _style(10, space_after=2 * mm)
        story += [_para(part.strip(), request_style)
                  for part in re.split(r"\n\s*\n", dossier.family_request) if part.strip()]
    return story


def dossiers_pdf(dossiers: Sequence[Dossier]) -> bytes:
    """Several dossiers in one PDF on portrait A4, each child starting on a new page.
    Every page carries "Конфіденційно / Confidential" and its page number."""
    if not dossiers:
        raise ValueError("there are no dossiers to write")
    _register_fonts()
    buffer = io.BytesIO()
    first = dossiers[0]
    title = (f"{_CHILD_FILE} — {first.reference}" if len(dossiers) == 1
             else f"{_CHILD_FILE} — {first.channel}, {first.list_number}")
    document = _document(buffer, A4, title=title, author="", top=16 * mm)
    story: list[Any] = []
    for number, dossier in enumerate(dossiers):
        if number:
            story.append(PageBreak())
        story += _dossier_story(dossier, document.width)
    document.build(story, canvasmaker=_NumberedCanvas)
    return buffer.getvalue()


def dossier_pdf(dossier: Dossier) -> bytes:
    """One child's dossier as a PDF on portrait A4: the title with the reference, the
    photo scaled into its box (if there is one), the fields as a bilingual two-column
    table, the family's request, and "Конфіденційно / Confidential" on every page."""
    return dossiers_pdf([dossier])

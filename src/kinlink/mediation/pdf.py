"""The printable files of a mediation list: the list as a PDF table and children's dossiers.

Like :mod:`kinlink.mediation.exports`, this layer only writes bytes, from data already cut
down to what the channel may receive, with the same bilingual words (Ukrainian / English).
The fonts are the vendored DejaVu Sans (the PDF's own fonts have no Cyrillic); a
photograph is decoded and written again without any of its metadata.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Final, Literal
from xml.sax.saxutils import escape

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

from kinlink.domain.mediation import ListField
from kinlink.mediation.exports import (
    CHANNEL,
    CHILD_FILE,
    CHILDREN,
    CONFIDENTIAL,
    CREATED_AT,
    HEADERS,
    LIST_NUMBER,
    REFERENCE,
    Dossier,
    ListTable,
    written_at,
    xml_text,
)

__all__ = ["dossier_pdf", "dossiers_pdf", "list_pdf"]

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
    lines = escape(xml_text(text)).splitlines() or [""]
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
        self.drawString(12 * mm, 8 * mm, CONFIDENTIAL)
        self.setFont(_FONT, 8)
        self.drawRightString(width - 12 * mm, 8 * mm,
                             f"сторінка {number} з {total} / page {number} of {total}")
        self.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut short with "…" so that it fits ``width`` on one line (page headers
    are drawn, not wrapped)."""
    text = xml_text(text)
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _document(buffer: io.BytesIO, pagesize: tuple[float, float], *, title: str,
              author: str, top: float) -> Any:
    return SimpleDocTemplate(
        buffer, pagesize=pagesize, leftMargin=12 * mm, rightMargin=12 * mm,
        topMargin=top, bottomMargin=16 * mm, title=xml_text(title),
        author=xml_text(author), subject=CONFIDENTIAL, creator="kinlink",
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
    ListField.REMOTE_MATCH: 1.8,
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
    meta = (f"{CHANNEL}: {table.channel}  ·  {LIST_NUMBER}: {table.list_number}  ·  "
            f"{CREATED_AT}: {written_at(table.created_at)}  ·  {CHILDREN}: {len(table.rows)}")

    def page_header(canvas: Any, doc: Any) -> None:
        width, height = pagesize
        canvas.saveState()
        label_width = pdfmetrics.stringWidth(CONFIDENTIAL, _FONT_BOLD, 8) + 6 * mm
        canvas.setFont(_FONT_BOLD, 11)
        canvas.drawString(doc.leftMargin, height - 12 * mm,
                          _fit(table.title, _FONT_BOLD, 11, doc.width - label_width))
        canvas.setFont(_FONT, 8)
        canvas.drawString(doc.leftMargin, height - 17 * mm, _fit(meta, _FONT, 8, doc.width))
        canvas.setFont(_FONT_BOLD, 8)
        canvas.drawRightString(width - doc.rightMargin, height - 12 * mm, CONFIDENTIAL)
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
        _para(f"{CHILD_FILE} — {dossier.reference}", title_style),
        _para(f"{CHANNEL}: {dossier.channel}  ·  {LIST_NUMBER}: {dossier.list_number}  ·  "
              f"{CREATED_AT}: {written_at(dossier.created_at)}", meta_style),
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
    title = (f"{CHILD_FILE} — {first.reference}" if len(dossiers) == 1
             else f"{CHILD_FILE} — {first.channel}, {first.list_number}")
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

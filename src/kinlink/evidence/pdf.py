"""PDF pages through PDFium (``pypdfium2``), the only module that imports it.

Each page gives its text layer, and, for a page without one (a scan saved as PDF), an
image rendered at :data:`OCR_DPI` for Tesseract to read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pypdfium2.version as pdfium_version

from kinlink.errors import FileRefusedError
from kinlink.i18n import N_, Wording

__all__ = ["OCR_DPI", "PdfPages", "pdf_pages", "pdfium_version_text"]

OCR_DPI = 300
"""The resolution a page without text is rendered at for OCR (Tesseract's sweet spot)."""

_PROTECTED = Wording("evidence.pdf.protected", N_(
    "the PDF is protected by a password: kinlink cannot read its text"))
_DAMAGED = Wording("evidence.pdf.damaged", N_(
    "the PDF cannot be read: it is damaged or not a PDF"))
_LINE_END_HYPHEN = "\u0002"
_LINE_END_HYPHEN_OLD = "\ufffe"
_PASSWORD_ERRORS = {pdfium_raw.FPDF_ERR_PASSWORD, pdfium_raw.FPDF_ERR_SECURITY}


def pdfium_version_text() -> str:
    """``pypdfium2`` and the PDFium build inside it, e.g. ``5.15.2 (PDFium 8149)``."""
    return f"{pdfium_version.PYPDFIUM_INFO} (PDFium {pdfium_version.PDFIUM_INFO.build})"


@dataclass(frozen=True)
class PdfPages:
    """An open PDF: how many pages, each page's text layer, a page as a PNG image."""

    document: Any

    def __len__(self) -> int:
        return len(self.document)

    def text(self, index: int) -> str:
        """The text layer of page ``index`` (0-based), line ends as ``\\n``.

        PDFium gives a word hyphenated at a line's end as one word with U+0002 (some
        builds U+FFFE) where the hyphen and the line end were: «ДМИТ\\x02РУК». The
        page shows «ДМИТ-» and «РУК» on two lines, so that is what the text keeps (a
        control character has no place in a text a person reads); the screening reads
        the word whole (:mod:`kinlink.evidence.hyphens`)."""
        with self._page(index) as page:
            textpage = page.get_textpage()
            try:
                text: str = textpage.get_text_bounded()
            finally:
                textpage.close()
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text.replace(_LINE_END_HYPHEN, "-\n").replace(_LINE_END_HYPHEN_OLD, "-\n")

    def image(self, index: int) -> bytes:
        """Page ``index`` (0-based) rendered as a PNG image at :data:`OCR_DPI`."""
        out = io.BytesIO()
        with self._page(index) as page:
            bitmap = page.render(scale=OCR_DPI / 72, grayscale=True)
            try:
                bitmap.to_pil().save(out, format="PNG")
            finally:
                bitmap.close()
        return out.getvalue()

    @contextmanager
    def _page(self, index: int) -> Iterator[Any]:
        try:
            page = self.document[index]
        except pdfium.PdfiumError:
            raise FileRefusedError(_DAMAGED()) from None
        try:
            yield page
        except pdfium.PdfiumError:
            raise FileRefusedError(_DAMAGED()) from None
        finally:
            page.close()


@contextmanager
def pdf_pages(data: bytes) -> Iterator[PdfPages]:
    """Open ``data`` as a PDF for the ``with`` block, or raise :class:`FileRefusedError`."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        protected = getattr(error, "err_code", None) in _PASSWORD_ERRORS
        raise FileRefusedError(_PROTECTED() if protected else _DAMAGED()) from None
    try:
        yield PdfPages(document)
    finally:
        document.close()

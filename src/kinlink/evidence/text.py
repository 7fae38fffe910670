"""The text of an evidence document, whatever its kind, and what made it.

:func:`extract_text` takes a document's bytes and media type and gives an
:class:`ExtractedText`: the whole text, its pages (a PDF's or TIFF's pages, a web
archive's or MHTML capture's pages; one page for anything else) with where each starts
in the text, whether each was read from the document's own text (``born-digital``) or
by OCR, the tool and version that made it (kept beside the text as a derived artefact,
so a text can be remade or questioned later) and warnings as coded messages.

The engines stay behind small adapters: :mod:`.pdf` (PDFium), :mod:`.ocr` (Tesseract),
:mod:`.warc` (warcio), :mod:`.markup` (HTML, MHTML, DOCX and plain text with the
standard library). Nothing here touches the store.
"""

from __future__ import annotations

import io
import platform
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial

from PIL import Image, ImageOps, ImageSequence

from kinlink.errors import FILE_EMPTY, FileRefusedError
from kinlink.evidence import markup
from kinlink.evidence.heif import heif_readable
from kinlink.evidence.ocr import DEFAULT_LANGUAGES, Tesseract, tesseract
from kinlink.evidence.pdf import pdf_pages, pdfium_version_text
from kinlink.evidence.warc import warc_pages, warcio_version
from kinlink.i18n import N_, Message, Wording

__all__ = ["MEDIA_TYPES", "PAGE_BREAK", "ExtractedText", "Method", "Page", "extract_text"]

PAGE_BREAK = "\f"
"""What separates two pages in :attr:`ExtractedText.text`."""

MARKUP_VERSION = "2"
"""The version of kinlink's own readers of HTML, MHTML, DOCX and plain text: raised when
they would read the same bytes differently."""

_SOFT_HYPHEN = "\u00ad"
"""Where a word may be broken (HTML ``&shy;``): shown by nothing unless the word is
broken there, so the text drops it and the word reads whole."""

_MIN_LETTERS = 3
"""A PDF page with fewer letters or digits in its text layer is read by OCR (a scan
often carries a stray page number or nothing at all)."""

_UNSUPPORTED = Wording("evidence.text.unsupported", N_(
    "kinlink cannot read text from documents of type {media_type}"))
_NOT_READ = Wording("evidence.text.not_read", N_(
    "pages {pages} have no text of their own and were not read by OCR"))
_NOTHING_FOUND = Wording("evidence.text.nothing_found", N_(
    "OCR found no text on page {page}"))
_IMAGE_UNREADABLE = Wording("evidence.image.unreadable", N_(
    "the image cannot be read: it is damaged or not a PNG, JPEG or TIFF image"))
_IMAGE_TOO_LARGE = Wording("evidence.image.too_large", N_(
    "the image is too large to read ({megapixels} million pixels at most)"))
_NO_PAGES_WARC = Wording("evidence.warc.no_pages", N_(
    "the web archive holds no HTML or text page"))
_NO_PAGES_MHTML = Wording("evidence.mhtml.no_pages", N_(
    "the MHTML capture holds no HTML or text part"))


class Method(StrEnum):
    """How a page's text was obtained."""

    BORN_DIGITAL = "born-digital"
    OCR = "ocr"


@dataclass(frozen=True)
class Page:
    """One page of the text: its number (from 1), where it starts in the whole text,
    its text, how it was read and, for a captured web page, the address."""

    number: int
    start: int
    text: str
    method: Method
    source: str | None = None

    @property
    def end(self) -> int:
        """Where the page's text ends in the whole text."""
        return self.start + len(self.text)


@dataclass(frozen=True)
class ExtractedText:
    """A document's text, page by page, with what made it."""

    text: str
    pages: tuple[Page, ...]
    tool: str
    tool_version: str
    method: Method
    """``ocr`` when any page was read by OCR, else ``born-digital``."""
    languages: tuple[str, ...] = ()
    """The languages OCR read in (empty when no page was read by OCR)."""
    encoding: str | None = None
    """The character encoding the text was decoded with, for a text-based document."""
    warnings: tuple[Message, ...] = ()

    def page_at(self, offset: int) -> Page:
        """The page the character at ``offset`` of :attr:`text` is on."""
        if not 0 <= offset <= len(self.text):
            raise ValueError("offset outside the text")
        return next((p for p in reversed(self.pages) if p.start <= offset), self.pages[0])


@dataclass
class _Draft:
    """Pages being read: their texts and methods, and the warnings so far."""

    texts: list[tuple[str, Method, str | None]] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)
    encoding: str | None = None

    def add(self, text: str, method: Method = Method.BORN_DIGITAL,
            source: str | None = None) -> None:
        text = text.replace(PAGE_BREAK, "\n").replace(_SOFT_HYPHEN, "")
        self.texts.append((text.strip(), method, source))


@dataclass
class _Ocr:
    """Tesseract, found only when the first page needs it."""

    enabled: bool
    languages: tuple[str, ...]
    engine: Tesseract | None = None

    def read(self, draft: _Draft, image: Callable[[], bytes]) -> None:
        number = len(draft.texts) + 1
        if not self.enabled:
            draft.unread.append(number)
            draft.add("", Method.OCR)
            return
        if self.engine is None:
            self.engine = tesseract()
        text = self.engine.read(image(), self.languages, page=number)
        if not text.strip():
            draft.warnings.append(_NOTHING_FOUND(page=number))
        draft.add(text, Method.OCR)


def extract_text(data: bytes, media_type: str, *,
                 languages: Sequence[str] = DEFAULT_LANGUAGES,
                 ocr: bool = True) -> ExtractedText:
    """The text of ``data``, a document of ``media_type`` (parameters such as
    ``charset=…`` are heeded). Scanned pages and images are read by Tesseract in
    ``languages``; with ``ocr=False`` they are left empty and a warning names them.

    Raises :class:`~kinlink.errors.FileRefusedError` for a type kinlink cannot read or a
    damaged file, :class:`~kinlink.errors.ConfigurationError` when OCR is needed and
    Tesseract or a language pack is missing.
    """
    if not data:
        raise FileRefusedError(FILE_EMPTY())
    kind, charset = _media_type(media_type)
    reader = _READERS.get(kind)
    if reader is None:
        raise FileRefusedError(_UNSUPPORTED(media_type=kind or "-"))
    draft, engine = _Draft(), _Ocr(ocr, tuple(languages))
    tool, tool_version = reader(data, charset, draft, engine)
    return _finish(draft, engine, tool, tool_version)


def _media_type(value: str) -> tuple[str, str | None]:
    kind, _, rest = value.partition(";")
    charset = None
    for parameter in rest.split(";"):
        name, _, found = parameter.partition("=")
        if name.strip().lower() == "charset" and found.strip():
            charset = found.strip().strip("\"'")
    return kind.strip().lower(), charset


def _finish(draft: _Draft, engine: _Ocr, tool: str, tool_version: str) -> ExtractedText:
    if not draft.texts:
        draft.add("")
    if draft.unread:
        draft.warnings.append(_NOT_READ(pages=tuple(str(n) for n in draft.unread)))
    pages, start = [], 0
    for number, (text, method, source) in enumerate(draft.texts, start=1):
        pages.append(Page(number, start, text, method, source))
        start += len(text) + len(PAGE_BREAK)
    used_ocr = engine.engine is not None
    tools = [(tool, tool_version)] if tool else []
    if engine.engine is not None:
        tools.append(("tesseract", engine.engine.version))
    return ExtractedText(
        text=PAGE_BREAK.join(p.text for p in pages), pages=tuple(pages),
        tool="+".join(t for t, _ in tools) or "none",
        tool_version="+".join(v for _, v in tools) or "-",
        method=Method.OCR if any(p.method is Method.OCR for p in pages)
        else Method.BORN_DIGITAL,
        languages=engine.languages if used_ocr else (), encoding=draft.encoding,
        warnings=tuple(draft.warnings))


_Reader = Callable[[bytes, "str | None", _Draft, _Ocr], tuple[str, str]]


def _pdf(data: bytes, _charset: str | None, draft: _Draft, engine: _Ocr) -> tuple[str, str]:
    with pdf_pages(data) as pages:
        for index in range(len(pages)):
            text = pages.text(index)
            if sum(c.isalnum() for c in text) >= _MIN_LETTERS:
                draft.add(text)
            else:
                engine.read(draft, partial(pages.image, index))
    return "pypdfium2", pdfium_version_text()


def _image(data: bytes, _charset: str | None, draft: _Draft, engine: _Ocr) -> tuple[str, str]:
    for frame in _frames(data):
        engine.read(draft, partial(bytes, frame))
    return "", ""


_MAX_PIXELS = 180_000_000


def _frames(data: bytes) -> list[bytes]:
    """Each frame of an image (a TIFF's pages) upright (EXIF orientation), as PNG."""
    frames: list[bytes] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            formats = ["PNG", "JPEG", "TIFF", *(["HEIF"] if heif_readable() else [])]
            with Image.open(io.BytesIO(data), formats=formats) as image:
                if image.width * image.height > _MAX_PIXELS:
                    raise Image.DecompressionBombError("too large")
                for frame in ImageSequence.Iterator(image):
                    out = io.BytesIO()
                    upright = ImageOps.exif_transpose(frame)
                    upright.convert("L" if upright.mode in ("1", "L", "I;16") else "RGB"
                                    ).save(out, format="PNG")
                    frames.append(out.getvalue())
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FileRefusedError(_IMAGE_TOO_LARGE(megapixels=_MAX_PIXELS // 1_000_000)) from None
    except (OSError, ValueError, SyntaxError):
        raise FileRefusedError(_IMAGE_UNREADABLE()) from None
    return frames


def _markup_tool() -> tuple[str, str]:
    return "kinlink-markup", f"{MARKUP_VERSION} (Python {platform.python_version()})"


def _html(data: bytes, charset: str | None, draft: _Draft, _engine: _Ocr) -> tuple[str, str]:
    decoded = markup.html_bytes_text(data, charset)
    _take(draft, decoded)
    return _markup_tool()


def _plain(data: bytes, charset: str | None, draft: _Draft, _engine: _Ocr) -> tuple[str, str]:
    decoded = markup.decode(data, charset)
    _take(draft, decoded)
    return _markup_tool()


def _take(draft: _Draft, decoded: markup.Decoded, source: str | None = None) -> None:
    draft.add(decoded.text, source=source)
    draft.warnings.extend(w for w in decoded.warnings if w not in draft.warnings)
    draft.encoding = draft.encoding or decoded.encoding


def _mhtml(data: bytes, _charset: str | None, draft: _Draft, _engine: _Ocr) -> tuple[str, str]:
    parts = markup.mhtml_parts(data)
    for location, decoded in parts:
        _take(draft, decoded, location)
    if not parts:
        draft.warnings.append(_NO_PAGES_MHTML())
    return _markup_tool()


def _docx(data: bytes, _charset: str | None, draft: _Draft, _engine: _Ocr) -> tuple[str, str]:
    draft.add(markup.docx_text(data))
    return _markup_tool()


def _warc(data: bytes, _charset: str | None, draft: _Draft, _engine: _Ocr) -> tuple[str, str]:
    pages = warc_pages(data)
    for page in pages:
        if page.media_type == "text/plain":
            decoded = markup.decode(page.body, page.charset)
        else:
            decoded = markup.html_bytes_text(page.body, page.charset)
        _take(draft, decoded, page.url)
    if not pages:
        draft.warnings.append(_NO_PAGES_WARC())
    name, version = _markup_tool()
    return f"warcio+{name}", f"{warcio_version()}+{version}"


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_READERS: dict[str, _Reader] = {
    "application/pdf": _pdf, "application/x-pdf": _pdf,
    "image/png": _image, "image/jpeg": _image, "image/pjpeg": _image,
    "image/tiff": _image, "image/tiff-fx": _image,
    "text/html": _html, "application/xhtml+xml": _html,
    "multipart/related": _mhtml, "message/rfc822": _mhtml,
    "application/x-mimearchive": _mhtml,
    "text/plain": _plain,
    _DOCX: _docx,
    "application/warc": _warc, "application/x-warc": _warc,
}
MEDIA_TYPES = frozenset(_READERS)
"""The media types :func:`extract_text` reads."""

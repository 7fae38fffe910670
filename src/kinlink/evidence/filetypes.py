"""A document's type, told by its first bytes (its "magic"), never by its name.

Accepted: PDF, JPEG, PNG, TIFF, HEIC/HEIF (when ``pi-heif`` is installed), HTML, MHTML,
WARC (plain or gzip-compressed), DOCX and plain text in UTF-8. Anything else is refused
whole, saying which types are kept.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from kinlink.domain.documents import DocumentType
from kinlink.errors import FILE_EMPTY, InputRefusedError
from kinlink.evidence.heif import heif_readable, is_heif
from kinlink.i18n import N_, Wording

_NO_HEIF = Wording("evidence.filetypes.no_heif", N_(
    "file: this is a HEIC/HEIF photograph, and the pi-heif package that reads them is not "
    "installed here; install kinlink's dependencies again, or give the photograph as JPEG"))
_NOT_KEPT = Wording("evidence.filetypes.not_kept", N_(
    "file: this type of file is not kept; give a {accepted} file"))

__all__ = ["ACCEPTED_WORDS", "detect_type"]

ACCEPTED_WORDS = ("PDF, JPEG, PNG, TIFF, HEIC/HEIF, HTML, MHTML, WARC, plain text (UTF-8) "
                  "or DOCX")

_PREFIXES: tuple[tuple[bytes, DocumentType], ...] = (
    (b"%PDF-", DocumentType.PDF),
    (b"\xff\xd8\xff", DocumentType.JPEG),
    (b"\x89PNG\r\n\x1a\n", DocumentType.PNG),
    (b"II*\x00", DocumentType.TIFF),
    (b"MM\x00*", DocumentType.TIFF),
    (b"WARC/", DocumentType.WARC),
)
_CONTROL = set(range(32)) - {9, 10, 12, 13}


def _refused() -> InputRefusedError:
    return InputRefusedError(_NOT_KEPT(accepted=ACCEPTED_WORDS), "unsupported_type",
                             field="file")


def _gzip_warc(data: bytes) -> bool:
    try:
        head = zlib.decompressobj(wbits=31).decompress(data[:4096], 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")


def _docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "word/document.xml" in names and "[Content_Types].xml" in names


def _text(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if any(ord(c) in _CONTROL for c in text[:65536]):
        return None
    return text


def _markup(text: str) -> DocumentType:
    head = text[:4096].lstrip().lower()
    if "mime-version:" in head and "multipart/related" in head:
        return DocumentType.MHTML
    if head.startswith(("<!doctype html", "<html")) or (
            head.startswith("<") and "<html" in head[:1024]):
        return DocumentType.HTML
    return DocumentType.TEXT


def detect_type(data: bytes) -> DocumentType:
    """The type of ``data``, or :class:`InputRefusedError` (``unsupported_type``)."""
    if not data:
        raise InputRefusedError(FILE_EMPTY(), "invalid", field="file")
    for prefix, kind in _PREFIXES:
        if data.startswith(prefix):
            return kind
    if is_heif(data):
        if not heif_readable():
            raise InputRefusedError(_NO_HEIF(), "unsupported_type", field="file")
        return DocumentType.HEIC
    if data.startswith(b"\x1f\x8b") and _gzip_warc(data):
        return DocumentType.WARC
    if data.startswith(b"PK\x03\x04"):
        if _docx(data):
            return DocumentType.DOCX
        raise _refused()
    text = _text(data)
    if text is None:
        raise _refused()
    return _markup(text)

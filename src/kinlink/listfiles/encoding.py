"""Tell how a text file is encoded: UTF-8 (with or without BOM) or Windows-1251.

Spreadsheets exported in Ukraine and Russia are often saved as Windows-1251. Bytes that
are not valid UTF-8 are read as Windows-1251 only if the result looks like Cyrillic text;
anything else (a binary file, UTF-16, KOI8-R, a Western code page) is refused with a
message that says what to do, because guessing wrong would store garbled names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kinlink.errors import FileRefusedError
from kinlink.i18n import N_, Wording

_FILE_UTF_16_TEXT = Wording("listfiles.encoding.file_utf_16_text", N_(
    "the file is UTF-16 text, which is not accepted: save it again as CSV UTF-8 (or "
    "Windows-1251), or as XLSX"))
_FILE_BINARY_NOT_CSV = Wording("listfiles.encoding.file_binary_not_csv", N_(
    "the file is binary, not a CSV text file: save it again as CSV UTF-8 (or Windows-1251),"
    " or as XLSX"))
_FILE_S_ENCODING_NOT = Wording("listfiles.encoding.file_s_encoding_not", N_(
    "the file's encoding is not UTF-8 or Windows-1251: save it again as CSV UTF-8 (or "
    "Windows-1251), or as XLSX"))
_FILE_HOLDS_CONTROL_CHARACTERS = Wording("listfiles.encoding.file_holds_control_characters", N_(
    "the file holds control characters, it is not a CSV text file: save it again as CSV "
    "UTF-8 (or Windows-1251), or as XLSX"))

__all__ = ["Decoded", "decode_text"]

_UTF8_BOM = b"\xef\xbb\xbf"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_INVERTED_CASE = re.compile(r"^[\u0430-\u044f\u0451\u0456\u0457\u0454\u0491][\u0410-\u042f]{2,}")

_SAVE_AS = "save it again as CSV UTF-8 (or Windows-1251), or as XLSX"


@dataclass(frozen=True)
class Decoded:
    """The text of a file and the name of the encoding it was read with."""

    text: str
    encoding: str


def decode_text(data: bytes) -> Decoded:
    """Decode ``data`` as UTF-8 or Windows-1251, or raise :class:`FileRefusedError`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefusedError(_FILE_UTF_16_TEXT())
    if b"\x00" in data:
        raise FileRefusedError(_FILE_BINARY_NOT_CSV())
    if data.startswith(_UTF8_BOM):
        return Decoded(_checked(data[len(_UTF8_BOM):], "utf-8"), "utf-8-sig")
    try:
        return Decoded(_checked(data, "utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        raise FileRefusedError(_FILE_S_ENCODING_NOT()
                               ) from None
    if _CONTROL.search(text) or not _looks_cyrillic(text):
        raise FileRefusedError(_FILE_S_ENCODING_NOT())
    return Decoded(text, "windows-1251")


def _checked(data: bytes, encoding: str) -> str:
    text = data.decode(encoding)
    if _CONTROL.search(text):
        raise FileRefusedError(_FILE_HOLDS_CONTROL_CHARACTERS())
    return text


def _looks_cyrillic(text: str) -> bool:
    """True when the non-ASCII words read as Cyrillic words, not as mis-decoded Latin.

    Text from a Western code page read as Windows-1251 puts single Cyrillic letters inside
    Latin words (``Josй``); KOI8-R read as Windows-1251 inverts letter case (``пЕТРЕНКО``).
    """
    words = [w for w in _WORD.findall(text) if _CYRILLIC.search(w)]
    if not words:
        return False
    mixed = sum(1 for w in words if _ASCII_LETTER.search(w))
    inverted = sum(1 for w in words if _INVERTED_CASE.match(w))
    return mixed <= 0.2 * len(words) and inverted <= 0.2 * len(words)

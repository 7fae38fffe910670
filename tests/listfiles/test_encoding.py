"""UTF-8 (with or without BOM) and Windows-1251 are read; anything else is refused."""

from __future__ import annotations

import pytest

from kinlink.errors import FileRefusedError
from kinlink.listfiles.encoding import decode_text

TEXT = "record_id,прізвище,ім'я\n1,Петренко,Олександр\n2,Їжакевич,Ганна\n3,Лысенко,Алёна\n"


def test_utf8_without_bom() -> None:
    decoded = decode_text(TEXT.encode("utf-8"))
    assert decoded.text == TEXT
    assert decoded.encoding == "utf-8"


def test_utf8_bom_is_dropped() -> None:
    decoded = decode_text(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert decoded.text == TEXT
    assert decoded.encoding == "utf-8-sig"


def test_windows_1251_is_detected_and_read_correctly() -> None:
    decoded = decode_text(TEXT.encode("cp1251"))
    assert decoded.text == TEXT
    assert decoded.encoding == "windows-1251"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (TEXT.encode("utf-16"), "UTF-16"),
        (TEXT.encode("koi8-r", errors="replace").replace(b"?", b"i"), "encoding"),
        ("record_id,name\n1,José Müller\n2,François Lefèvre\n".encode("cp1252"), "encoding"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "binary"),
    ],
)
def test_other_encodings_and_binary_files_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(FileRefusedError, match=reason):
        decode_text(data)

"""Exports leave kinlink as AES-256 ZIP files that only the passphrase opens."""

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest

from kinlink.encryption import (
    decrypt_files,
    encrypt_files,
    new_passphrase,
    sha256_hex,
)
from kinlink.errors import InputRefusedError, KinlinkError, WrongPassphraseError

PASSPHRASE = "7KQF-M2XH-9TRB-C4WN-P8ZD-E3VJ"
CSV = "Номер / Reference,Name\r\nKL-7F3K-9Q2M,Олександр Петренко\r\n".encode("utf-8-sig")
PDF = ("%PDF-1.4 " + "Петренко " * 50).encode()
FILES = {"list-L-0003.csv": CSV, "dossiers-L-0003.pdf": PDF}
SHAPE = re.compile(r"[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){5}")


def test_round_trip() -> None:
    data = encrypt_files(FILES, PASSPHRASE)
    assert decrypt_files(data, PASSPHRASE) == FILES


def test_wrong_passphrase_is_refused_with_a_kinlink_error() -> None:
    data = encrypt_files(FILES, PASSPHRASE)
    with pytest.raises(WrongPassphraseError, match="passphrase does not open") as caught:
        decrypt_files(data, "7KQF-M2XH-9TRB-C4WN-P8ZD-E3VK")
    assert isinstance(caught.value, KinlinkError)
    with pytest.raises(WrongPassphraseError):
        decrypt_files(data, "")


def test_the_encrypted_bytes_hide_the_names_and_the_content() -> None:
    data = encrypt_files(FILES, PASSPHRASE)
    assert "Петренко".encode() not in data
    assert "Олександр".encode() not in data
    assert b"KL-7F3K-9Q2M" not in data
    assert PASSPHRASE.encode() not in data


def test_entries_are_aes_256_ae_2() -> None:
    data = encrypt_files(FILES, PASSPHRASE)
    # Local file header: method 99 (AES), encrypted flag, and the AE extra field 0x9901:
    # size 7, vendor version 2 (AE-2), vendor "AE", strength 3 (256 bits).
    assert data[:4] == b"PK\x03\x04"
    flags, method = struct.unpack("<HH", data[6:10])
    assert flags & 0x1
    assert method == 99
    assert data.count(b"\x01\x99\x07\x00\x02\x00AE\x03") == 2 * len(FILES)  # local + central
    with zipfile.ZipFile(io.BytesIO(data)) as plain:
        assert sorted(plain.namelist()) == sorted(FILES)
        assert all(info.CRC == 0 for info in plain.infolist())  # AE-2 stores no CRC
        with pytest.raises(NotImplementedError):  # ZipCrypto would have been readable
            plain.read("list-L-0003.csv", pwd=PASSPHRASE.encode())


@pytest.mark.parametrize("passphrase", ["", "short", "fifteen-chars!!"])
def test_short_passphrases_are_refused(passphrase: str) -> None:
    with pytest.raises(ValueError, match="at least 16 characters"):
        encrypt_files(FILES, passphrase)


@pytest.mark.parametrize("name", ["../list.csv", "a/list.csv", "..", "a\\b.csv",
                                  "Петренко.pdf", "", ".hidden", "list .csv"])
def test_names_that_are_not_plain_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="plain name"):
        encrypt_files({name: b"x"}, PASSPHRASE)


def test_nothing_to_encrypt_is_refused() -> None:
    with pytest.raises(ValueError, match="no files"):
        encrypt_files({}, PASSPHRASE)


def test_a_zip_that_is_not_encrypted_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as plain:
        plain.writestr("list.csv", CSV)
    with pytest.raises(InputRefusedError, match="not AES-encrypted") as caught:
        decrypt_files(buffer.getvalue(), PASSPHRASE)
    assert caught.value.code == "not_encrypted"


def test_a_file_that_is_not_a_zip_is_refused() -> None:
    with pytest.raises(InputRefusedError, match="not a ZIP") as caught:
        decrypt_files(b"%PDF-1.4 not a zip", PASSPHRASE)
    assert caught.value.code == "not_a_zip"


def test_an_altered_file_is_refused() -> None:
    data = bytearray(encrypt_files({"list.csv": CSV}, PASSPHRASE))
    name_length, extra_length = struct.unpack("<HH", data[26:30])
    first_encrypted = 30 + name_length + extra_length + 16 + 2  # after salt and verifier
    data[first_encrypted + 3] ^= 0x01
    with pytest.raises(InputRefusedError, match="damaged or altered") as caught:
        decrypt_files(bytes(data), PASSPHRASE)
    assert caught.value.code == "damaged"


def test_new_passphrases_have_the_documented_shape_and_differ() -> None:
    first, second = new_passphrase(), new_passphrase()
    assert first != second
    for passphrase in (first, second):
        assert SHAPE.fullmatch(passphrase), passphrase
        assert not set(passphrase) & set("01OIL")
    assert decrypt_files(encrypt_files(FILES, first), first) == FILES


def test_sha256_hex() -> None:
    assert sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")

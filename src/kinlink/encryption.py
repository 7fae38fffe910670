"""Exports leave kinlink only encrypted: an AES-256 ZIP and a passphrase read out apart.

The ZIP is WinZip AES (AE-2: no CRC of the plain text is stored), which 7-Zip, WinRAR and
WinZip open; the recipient needs no kinlink. The passphrase travels another way (read out
over the phone), so :func:`new_passphrase` makes one that is easy to read out and hard
to guess. WinZip AES derives its key with only 1,000 rounds of PBKDF2, so the strength
lies in the passphrase: a generated one has about 119 bits of entropy, and one a person
chooses must have at least 16 characters.

File *names* inside a ZIP are not encrypted: anyone can list them. They are therefore
limited to plain ASCII names such as ``list-L-0003.pdf`` — never a child's name.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import zipfile
import zlib
from collections.abc import Mapping

import pyzipper
from pyzipper.zipfile_aes import WZ_AES_V2

from kinlink.errors import InputRefusedError, WrongPassphraseError
from kinlink.i18n import N_, Wording

_FILE_NOT_ZIP_FILE = Wording("mediation.encryption.file_not_zip_file", N_(
    "the file is not a ZIP file"))
_FILE_UNPACKS_MORE_THAN = Wording("mediation.encryption.file_unpacks_more_than", N_(
    "the file unpacks to more than 1 GiB"))
_PASSPHRASE_DOES_NOT_OPEN = Wording("mediation.encryption.passphrase_does_not_open", N_(
    "the passphrase does not open this file"))
_FILE_HOLDS_PART_THAT = Wording("mediation.encryption.file_holds_part_that", N_(
    "the file holds a part that is not AES-encrypted: it is not a kinlink export"))

__all__ = [
    "MIN_PASSPHRASE_LENGTH",
    "decrypt_files",
    "encrypt_files",
    "new_passphrase",
    "sha256_hex",
]

MIN_PASSPHRASE_LENGTH = 16
"""The shortest passphrase accepted for an export."""

_READABLE_CHARACTERS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""Digits and capital letters without the look-alikes 0/O and 1/I/L: 31 characters."""

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")
_MAX_TOTAL_SIZE = 1 << 30
"""The most :func:`decrypt_files` unpacks (1 GiB): a check, not a place to store files."""


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex: what the audit log records for every export."""
    return hashlib.sha256(data).hexdigest()


def new_passphrase() -> str:
    """A new random passphrase such as ``7KQF-M2XH-9TRB-C4WN-P8ZD-E3VJ``: 6 groups of 4
    characters from 31 that cannot be mistaken for each other (about 119 bits), easy to
    read out over a phone."""
    groups = ("".join(secrets.choice(_READABLE_CHARACTERS) for _ in range(4))
              for _ in range(6))
    return "-".join(groups)


_DAMAGED = ("the file was damaged or altered after it was made (or, rarely, the passphrase "
            "is wrong)")
_UNSAFE_NAME = ("a file name in an encrypted export must be a plain name of Latin "
                "letters, digits, '.', '_' and '-', without folders or '..'")


def _plain_name(name: str) -> bool:
    """Whether ``name`` is a plain file name: no folder, no "..", only ASCII letters,
    digits, ".", "_" and "-" (names inside a ZIP can be read without the passphrase)."""
    return ".." not in name and _SAFE_NAME.fullmatch(name) is not None


def encrypt_files(files: Mapping[str, bytes], passphrase: str) -> bytes:
    """A ZIP holding ``files`` (name → content), each encrypted with AES-256 (WinZip
    AE-2) under ``passphrase``.

    Raises :class:`ValueError` for a passphrase shorter than
    :data:`MIN_PASSPHRASE_LENGTH` characters, a file name that is not plain, or no files.
    """
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ValueError(
            f"the passphrase must have at least {MIN_PASSPHRASE_LENGTH} characters")
    if not files:
        raise ValueError("there are no files to encrypt")
    if not all(_plain_name(name) for name in files):
        raise ValueError(_UNSAFE_NAME)
    password = passphrase.encode("utf-8")
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(password)
        archive.setencryption(pyzipper.WZ_AES, nbits=256,
                              force_wz_aes_version=WZ_AES_V2)
        for name in files:
            archive.writestr(name, files[name])
    return buffer.getvalue()


def decrypt_files(data: bytes, passphrase: str) -> dict[str, bytes]:
    """The files of an encrypted export (name → content), to check what was sent.

    Raises :class:`~kinlink.errors.WrongPassphraseError` when the passphrase does not
    open it, and :class:`~kinlink.errors.InputRefusedError` when the data is not a ZIP,
    holds a file that is not AES-encrypted or has an unsafe name, or was damaged.
    """
    password = passphrase.encode("utf-8")
    try:
        with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            for entry in entries:
                if not _plain_name(entry.filename):
                    raise InputRefusedError(_UNSAFE_NAME, code="unsafe_name")
                if not entry.flag_bits & 0x1 or entry.wz_aes_version is None:
                    raise InputRefusedError(
                        _FILE_HOLDS_PART_THAT(), code="not_encrypted")
            if sum(entry.file_size for entry in entries) > _MAX_TOTAL_SIZE:
                raise InputRefusedError(_FILE_UNPACKS_MORE_THAN(),
                                        code="too_large")
            archive.setpassword(password)
            return {entry.filename: archive.read(entry) for entry in entries}
    except zlib.error as error:
        raise InputRefusedError(_DAMAGED, code="damaged") from error
    except (zipfile.BadZipFile, pyzipper.BadZipFile) as error:
        if "HMAC" in str(error) or "CRC" in str(error):
            raise InputRefusedError(_DAMAGED, code="damaged") from error
        raise InputRefusedError(_FILE_NOT_ZIP_FILE(), code="not_a_zip") from error
    except RuntimeError as error:
        if "password" in str(error).lower():
            raise WrongPassphraseError(_PASSPHRASE_DOES_NOT_OPEN()) from error
        raise

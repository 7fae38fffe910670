"""The encryption of exports, kept in :mod:`kinlink.encryption` (evidence bundles use the
same AES ZIP, and services do not import each other)."""

from __future__ import annotations

from kinlink.encryption import (
    MIN_PASSPHRASE_LENGTH,
    decrypt_files,
    encrypt_files,
    new_passphrase,
    sha256_hex,
)

__all__ = [
    "MIN_PASSPHRASE_LENGTH",
    "decrypt_files",
    "encrypt_files",
    "new_passphrase",
    "sha256_hex",
]

"""The shared secret: a random key both data holders keep and the linkage unit never sees.

Every position of a Bloom filter and every blocking key is an HMAC-SHA256 under this
key, so without it nobody can compute which bits a name would set. The encoded file
carries only :func:`key_check`, a keyed value that tells whether two files used the same
key (so a wrong key is refused in words instead of linking nothing) and reveals nothing
of the key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from kinlink.pprl.errors import KEY_UNREADABLE, PprlRefusedError

__all__ = ["KEY_BYTES", "key_check", "new_key", "read_key", "write_key"]

KEY_BYTES = 32
"""256 bits, the size of HMAC-SHA256's output."""


def new_key() -> bytes:
    """A fresh random key from the operating system's generator."""
    return secrets.token_bytes(KEY_BYTES)


def write_key(path: Path, key: bytes) -> None:
    """Write ``key`` as hexadecimal, readable by its owner only; never overwrite a key
    (losing one makes every list encoded with it unlinkable)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")


def read_key(path: Path) -> bytes:
    """The key in ``path``; refused in words if the file is not one."""
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise PprlRefusedError(KEY_UNREADABLE(name=path.name, digits=str(KEY_BYTES * 2)))
    return key


def key_check(key: bytes) -> str:
    """A keyed value that is equal for equal keys: 64 bits of HMAC(key, a fixed label)."""
    return hmac.new(key, b"kinlink-pprl/key-check", hashlib.sha256).hexdigest()[:16]

"""The sealed backup file: a stream encrypted with AES-256-GCM in authenticated chunks.

Why not the exports' WinZip AES (:mod:`kinlink.encryption`)? Its key comes from 1,000
rounds of PBKDF2, acceptable for a passphrase read out over the phone once, weak for a
file that holds the whole store and may sit in a safe for years. A backup's key comes
from the passphrase through **scrypt** (2^17 × 8, 128 MiB of memory per guess), or is a
random 256-bit **key file**; both come from pycryptodomex, which kinlink already uses,
so a backup needs no new dependency (age would have: its maintained Python binding,
pyrage, is a Rust build).

Layout (version 1)::

    header   "KINLINK-BACKUP\\n" 0x01, kdf (1 scrypt, 2 key file), log2 N, r, p,
             16-byte salt, chunk size (4 bytes, big-endian)
    check    HMAC-SHA256(mac key, header): a wrong passphrase or key is told apart
             from an altered file before anything is decrypted
    chunks   AES-256-GCM of each ``chunk size`` bytes of the plain text, the header as
             associated data, the nonce the chunk's number (11 bytes) and a last-chunk
             flag (1 byte), each followed by its 16-byte tag

The encryption and MAC keys come from the scrypt output (or the key file) through HKDF
with the salt, so every file has its own keys even under the same key file. A chunk
changed, moved, dropped or added fails its tag; a file cut short lacks its flagged last
chunk. The plain text is a gzip'd tar stream (:mod:`kinlink.backups.archive`).
"""

from __future__ import annotations

import hmac
import io
import os
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from Cryptodome.Cipher import AES
from Cryptodome.Hash import HMAC, SHA256
from Cryptodome.Protocol.KDF import HKDF, scrypt

from kinlink.encryption import MIN_PASSPHRASE_LENGTH
from kinlink.errors import BackupRefusedError, InputRefusedError, WrongPassphraseError
from kinlink.i18n import N_, Wording

_NOT_A_BACKUP = Wording("backup.sealed.not_a_backup", N_(
    "the file is not a kinlink backup (it does not start as one)"))
_NEWER_FORMAT = Wording("backup.sealed.newer_format", N_(
    "the backup file is of format {version}, newer than this kinlink reads: restore it "
    "with a newer kinlink"))
_WRONG_KEY = Wording("backup.sealed.wrong_key", N_(
    "the passphrase or key file does not open this backup (or its first bytes were "
    "altered)"))
_ALTERED = Wording("backup.sealed.altered", N_(
    "the backup file was altered or damaged near byte {offset}: nothing of it was "
    "restored"))
_CUT_SHORT = Wording("backup.sealed.cut_short", N_(
    "the backup file is cut short (its last part is missing): nothing of it was restored"))
_KEY_FILE_UNREADABLE = Wording("backup.sealed.key_file_unreadable", N_(
    "the key file {name} does not hold a backup key (64 hexadecimal digits)"))
_PASSPHRASE_SHORT = Wording("backup.sealed.passphrase_short", N_(
    "the passphrase in {name} is shorter than {length} characters"))
_NEEDS_KEY_FILE = Wording("backup.sealed.needs_key_file", N_(
    "this backup was sealed with a key file, not a passphrase: give --key-file"))
_NEEDS_PASSPHRASE = Wording("backup.sealed.needs_passphrase", N_(
    "this backup was sealed with a passphrase, not a key file: give --passphrase-file"))

__all__ = ["SealKey", "SealedReader", "SealedWriter", "new_key_file", "read_key"]

MAGIC = b"KINLINK-BACKUP\n"
VERSION = 1
KDF_SCRYPT = 1
KDF_KEY_FILE = 2
SCRYPT_LOG2_N = 17
"""scrypt's cost: 2^17 rounds of 128 × r bytes = 128 MiB and about half a second per
guess on a laptop (age uses 2^18; kinlink shares small servers)."""
SCRYPT_R = 8
SCRYPT_P = 1
CHUNK_SIZE = 1 << 20
TAG = 16
_HEADER = struct.Struct(">15sBBBBB16sI")
_CHECK = 32
_MAX_CHUNK = 1 << 24


@dataclass(frozen=True)
class SealKey:
    """What opens a backup: a passphrase or the 32 bytes of a key file."""

    secret: bytes
    from_key_file: bool

    @property
    def kdf(self) -> int:
        """The header's code for how the key is derived."""
        return KDF_KEY_FILE if self.from_key_file else KDF_SCRYPT


def read_key(path: Path, *, key_file: bool) -> SealKey:
    """The key in ``path``: a passphrase file (its first line, at least 16 characters) or
    a key file written by :func:`new_key_file` (64 hex digits; ``#`` lines ignored)."""
    text = path.read_text(encoding="utf-8")
    if not key_file:
        passphrase = text.splitlines()[0] if text else ""
        if len(passphrase) < MIN_PASSPHRASE_LENGTH:
            raise InputRefusedError(_PASSPHRASE_SHORT(name=path.name,
                                                      length=MIN_PASSPHRASE_LENGTH))
        return SealKey(passphrase.encode("utf-8"), from_key_file=False)
    lines = [line.strip() for line in text.splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    try:
        raw = bytes.fromhex(lines[0]) if len(lines) == 1 else b""
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise InputRefusedError(_KEY_FILE_UNREADABLE(name=path.name))
    return SealKey(raw, from_key_file=True)


def new_key_file(path: Path) -> None:
    """Write a new random 256-bit backup key to ``path`` (created, mode 0600; an
    existing file is never overwritten)."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write("# kinlink backup key: keep it apart from the backups it opens\n")
        out.write(secrets.token_hex(32) + "\n")


def _keys(key: SealKey, salt: bytes, log2_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    """The encryption and MAC keys of one file."""
    master = key.secret if key.from_key_file else scrypt(
        key.secret, salt, 32, N=1 << log2_n, r=r, p=p)  # type: ignore[arg-type]
    assert isinstance(master, bytes)
    derived = HKDF(master, 64, salt, SHA256, context=b"kinlink-backup-v1")
    assert isinstance(derived, bytes)
    return derived[:32], derived[32:]


def _check(mac_key: bytes, header: bytes) -> bytes:
    return HMAC.new(mac_key, header, SHA256).digest()


def _nonce(number: int, last: bool) -> bytes:
    return number.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class SealedWriter(io.RawIOBase):
    """A writable stream that seals what is written to it into ``sink``; :meth:`close`
    writes the last chunk (the sink stays open)."""

    def __init__(self, sink: BinaryIO, key: SealKey) -> None:
        super().__init__()
        salt = secrets.token_bytes(16)
        self._header = _HEADER.pack(MAGIC, VERSION, key.kdf, SCRYPT_LOG2_N, SCRYPT_R,
                                    SCRYPT_P, salt, CHUNK_SIZE)
        self._key, mac_key = _keys(key, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
        self._sink = sink
        self._buffer = bytearray()
        self._number = 0
        sink.write(self._header + _check(mac_key, self._header))

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._buffer += data
        while len(self._buffer) > CHUNK_SIZE:
            self._seal(bytes(self._buffer[:CHUNK_SIZE]), last=False)
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        cipher = AES.new(self._key, AES.MODE_GCM, nonce=_nonce(self._number, last))
        cipher.update(self._header)
        sealed, tag = cipher.encrypt_and_digest(plain)
        self._sink.write(sealed + tag)
        self._number += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


class SealedReader(io.RawIOBase):
    """A readable stream of the plain text sealed in ``source``. Opening it checks the
    header and the key (:class:`WrongPassphraseError`); reading past an altered chunk or
    the end of a file cut short raises :class:`BackupRefusedError`."""

    def __init__(self, source: BinaryIO, key: SealKey) -> None:
        super().__init__()
        raw = source.read(_HEADER.size + _CHECK)
        if len(raw) < _HEADER.size + _CHECK or not raw.startswith(MAGIC):
            raise BackupRefusedError(_NOT_A_BACKUP())
        magic, version, kdf, log2_n, r, p, salt, chunk = _HEADER.unpack(raw[:_HEADER.size])
        del magic
        if version != VERSION:
            raise BackupRefusedError(_NEWER_FORMAT(version=version))
        if kdf != key.kdf:
            raise InputRefusedError(_NEEDS_KEY_FILE() if kdf == KDF_KEY_FILE
                                    else _NEEDS_PASSPHRASE())
        if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16
                and 1 <= chunk <= _MAX_CHUNK):
            raise WrongPassphraseError(_WRONG_KEY())
        self._header = raw[:_HEADER.size]
        self._key, mac_key = _keys(key, salt, log2_n, r, p)
        if not hmac.compare_digest(_check(mac_key, self._header), raw[_HEADER.size:]):
            raise WrongPassphraseError(_WRONG_KEY())
        self._source = source
        self._chunk = chunk
        self._chunks = self._plain_chunks()
        self._pending = b""
        self._offset = len(raw)

    def readable(self) -> bool:
        return True

    def _plain_chunks(self) -> Iterator[bytes]:
        size = self._chunk + TAG
        current = self._source.read(size)
        number = 0
        while True:
            following = self._source.read(size) if len(current) == size else b""
            last = not following
            if len(current) < TAG:
                raise BackupRefusedError(_CUT_SHORT())
            cipher = AES.new(self._key, AES.MODE_GCM, nonce=_nonce(number, last))
            cipher.update(self._header)
            try:
                plain = cipher.decrypt_and_verify(current[:-TAG], current[-TAG:])
            except ValueError:
                raise BackupRefusedError(_CUT_SHORT() if last and len(current) == size
                                         else _ALTERED(offset=self._offset)) from None
            self._offset += len(current)
            yield plain
            if last:
                return
            current, number = following, number + 1

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
            if not self._pending:
                continue
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count

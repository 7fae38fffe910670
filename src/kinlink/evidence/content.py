"""Originals and derived artefacts, content-addressed by SHA-256, written once.

A blob lives at ``ROOT/sha256/ab/cd/<hash>``: written to a temporary file in the same
file system, flushed to disk (``fsync``), then renamed into place and the directory
flushed, so that a crash leaves either no blob or the whole blob. A blob already there is
never written again, and every read checks the bytes against their name: an altered blob
is reported (:class:`~kinlink.errors.EvidenceAlteredError`), never served.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from kinlink.errors import EvidenceAlteredError, NotFoundError
from kinlink.i18n import N_, Wording

_MISSING = Wording("evidence.content.missing", N_(
    "the stored file {file}… is missing from the evidence store"))
_ALTERED = Wording("evidence.content.altered", N_(
    "the stored file {file}… no longer matches its SHA-256: it was altered after it was "
    "kept"))

__all__ = ["ContentStore", "sha256_of"]

_HASH = re.compile(r"^[0-9a-f]{64}$")


def sha256_of(data: bytes) -> str:
    """The SHA-256 of ``data`` in lower-case hex."""
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ContentStore:
    """Blobs under ``root`` (``DATA_DIR/evidence``), named by their SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        """Where the blob ``sha256`` is (or would be) kept."""
        if not _HASH.match(sha256):
            raise ValueError("not a SHA-256 in hex")
        return self.root / "sha256" / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes) -> str:
        """Keep ``data`` (once) and return its SHA-256."""
        digest = sha256_of(data)
        target = self.path_of(digest)
        if target.exists():
            return digest
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o400)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return digest

    def get(self, sha256: str) -> bytes:
        """The blob's bytes, checked against its hash."""
        try:
            data = self.path_of(sha256).read_bytes()
        except FileNotFoundError:
            raise NotFoundError(_MISSING(file=sha256[:12])) from None
        if sha256_of(data) != sha256:
            raise EvidenceAlteredError(_ALTERED(file=sha256[:12]))
        return data

    def remove(self, sha256: str) -> bool:
        """Remove the blob from disk (an erasure); ``False`` when it was not there."""
        target = self.path_of(sha256)
        try:
            target.unlink()
        except FileNotFoundError:
            return False
        _fsync_dir(target.parent)
        return True

    def verify(self, sha256: str) -> bool:
        """Whether the blob is there and intact."""
        try:
            self.get(sha256)
        except (NotFoundError, EvidenceAlteredError):
            return False
        return True

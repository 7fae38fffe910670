"""The backup's archive: a gzip'd tar stream of the manifest and the files, sealed.

Written to a temporary file beside the target, flushed and renamed into place (mode
0600), so that a crash never leaves half a backup under the backup's name. Reading
checks every file against the manifest as it streams out — its name, size and SHA-256 —
and the set of files at the end, and names the first file that does not match; a file
is only ever written under a name the manifest gave and :data:`SAFE_NAME` allows, never
under a path the archive chose.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tarfile
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, BinaryIO

from kinlink.backups.manifest import Manifest
from kinlink.backups.sealed import SealedReader, SealedWriter, SealKey
from kinlink.errors import BackupRefusedError
from kinlink.i18n import N_, Wording

_FILE_MISMATCH = Wording("backup.archive.file_mismatch", N_(
    "the backup's file {name} does not match its manifest (size or SHA-256)"))
_FILE_UNLISTED = Wording("backup.archive.file_unlisted", N_(
    "the backup holds {name}, which its manifest does not list"))
_FILE_MISSING = Wording("backup.archive.file_missing", N_(
    "the backup's manifest lists {name}, which the backup does not hold"))
_NO_MANIFEST = Wording("backup.archive.no_manifest", N_(
    "the backup holds no manifest: it is not a kinlink backup"))
_ARCHIVE_BROKEN = Wording("backup.archive.broken", N_(
    "the backup's contents cannot be unpacked: the file is damaged"))

__all__ = ["MANIFEST", "SAFE_NAME", "read_archive", "write_archive"]

MANIFEST = "manifest.json"
SAFE_NAME = re.compile(r"database/kinlink\.(sqlite3|pgdump)|documents/[0-9a-f]{64}")
_BLOCK = 1 << 20

Step = Callable[[str, int, int], None]
"""Progress: what is being done (English, no personal data), done, total (0: unknown)."""


def _quiet(_what: str, _done: int, _total: int) -> None:
    """No progress wanted."""


class _Hashing(io.RawIOBase):
    """Passes writes to ``sink`` and hashes them: the sealed file's SHA-256."""

    def __init__(self, sink: BinaryIO) -> None:
        super().__init__()
        self.sink = sink
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self.digest.update(data)
        self.sink.write(data)
        return len(data)


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, 0
    return info


def write_archive(target: Path, key: SealKey, manifest: Manifest,
                  sources: Mapping[str, Path], progress: Step = _quiet) -> str:
    """Seal ``manifest`` and the files ``sources`` (archive name → path) into
    ``target``; returns the sealed file's SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".kinlink-backup-")
    try:
        with os.fdopen(handle, "wb") as raw:
            hashing = _Hashing(raw)
            sealed = SealedWriter(hashing, key)  # type: ignore[arg-type]
            with tarfile.open(fileobj=sealed, mode="w|gz") as tar:
                data = manifest.to_json()
                tar.addfile(_info(MANIFEST, len(data)), io.BytesIO(data))
                for done, (name, path) in enumerate(sorted(sources.items()), start=1):
                    with path.open("rb") as source:
                        tar.addfile(_info(name, path.stat().st_size), source)
                    progress(N_("writing"), done, len(sources))
            sealed.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return hashing.digest.hexdigest()


def read_archive(file: Path, key: SealKey, into: Path | None,
                 accept: Callable[[Manifest], None] = lambda _m: None,
                 progress: Step = _quiet) -> Manifest:
    """Open the sealed ``file``, read its manifest and let ``accept`` refuse it (before
    anything else is unpacked), then unpack every file into ``into`` under its archive
    name, each checked against the manifest; returns the manifest. With ``into``
    ``None`` nothing is written: every file is only checked (``kinlink backup verify``)."""
    with file.open("rb") as raw:
        reader = io.BufferedReader(SealedReader(raw, key), _BLOCK)
        try:
            with tarfile.open(fileobj=reader, mode="r|gz") as tar:
                return _unpack(tar, into, accept, progress)
        except (tarfile.TarError, EOFError, OSError) as exc:
            if isinstance(exc, FileNotFoundError | PermissionError):
                raise
            raise BackupRefusedError(_ARCHIVE_BROKEN()) from None


def _unpack(tar: tarfile.TarFile, into: Path | None, accept: Callable[[Manifest], None],
            progress: Step) -> Manifest:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise BackupRefusedError(_NO_MANIFEST())
    stream = tar.extractfile(first)
    assert stream is not None
    manifest = Manifest.from_json(stream.read())
    accept(manifest)
    expected, seen = manifest.files, set[str]()
    while (member := tar.next()) is not None:
        entry = expected.get(member.name)
        if entry is None or not member.isfile() or not SAFE_NAME.fullmatch(member.name):
            raise BackupRefusedError(_FILE_UNLISTED(name=member.name[:80]))
        source = tar.extractfile(member)
        assert source is not None
        digest, size = _copy(source, into / member.name if into is not None else None)
        if size != entry.size or digest != entry.sha256:
            raise BackupRefusedError(_FILE_MISMATCH(name=member.name))
        seen.add(member.name)
        progress(N_("unpacking"), len(seen), len(expected))
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupRefusedError(_FILE_MISSING(name=missing[0]))
    return manifest


def _copy(source: IO[bytes], path: Path | None) -> tuple[str, int]:
    """Hash (and, given ``path``, write) one file from the archive."""
    digest, size = hashlib.sha256(), 0
    if path is not None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with path.open("wb") if path is not None else io.BytesIO() as out:
        while block := source.read(_BLOCK):
            digest.update(block)
            size += len(block)
            if path is not None:
                out.write(block)
    return digest.hexdigest(), size

"""Secret files kept beside the store but never inside it: the audit log's keys.

Whoever can write the database must not be able to authenticate audit events or sign
checkpoints, so those keys live in files in ``data_dir/keys`` (a folder of mode 0700,
files of mode 0600) or come from the environment (``KINLINK_AUDIT_KEY``). This module
only keeps the bytes: creating a file once, atomically and never overwriting it, and
reading it back. What the bytes mean is :mod:`kinlink.audit.keyring`'s business.

A file is never rewritten after it is created (a new key is a new file), so what was
read once is kept in memory: the chain's writers list the folder per transaction, not
per event, and read each file once per process.
"""

from __future__ import annotations

import os
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from kinlink.errors import ConfigurationError
from kinlink.i18n import N_, Wording, os_problem

_STORE_WAS_OPENED_WITHOUT = Wording("storage.keyfiles.store_was_opened_without", N_(
    "this store was opened without the audit keys' folder: open it with "
    "open_store(settings)"))
_KEY_FILE_MAY_READ = Wording("storage.keyfiles.key_file_may_read", N_(
    "the key file {path} may be read by other accounts of this machine (mode {value}): make"
    " it readable by kinlink's account alone (chmod 600) and consider the key seen"))
_KEY_FILE_CANNOT_READ = Wording("storage.keyfiles.key_file_cannot_read", N_(
    "the key file {path} cannot be read ({strerror})"))

__all__ = ["KeyFiles", "Secrets", "secrets_of", "session_info"]

_INFO_KEY = "kinlink.secrets"


class KeyFiles:
    """The secret files of one data directory (``data_dir/keys``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._read: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def names(self, prefix: str) -> list[str]:
        """The names of the finished files starting with ``prefix``, sorted."""
        try:
            entries = os.listdir(self.directory)
        except FileNotFoundError:
            return []
        return sorted(n for n in entries if n.startswith(prefix) and not n.startswith("."))

    def read(self, name: str) -> bytes:
        """The content of file ``name``; refused when other accounts may read it."""
        with self._lock:
            cached = self._read.get(name)
        if cached is not None:
            return cached
        path = self.directory / name
        try:
            mode = path.stat().st_mode
            if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise ConfigurationError(
                    _KEY_FILE_MAY_READ(path=str(path), value=f'{stat.S_IMODE(mode):o}'))
            content = path.read_bytes()
        except OSError as exc:
            raise ConfigurationError(
                _KEY_FILE_CANNOT_READ(path=str(path), strerror=os_problem(exc))
            ) from None
        with self._lock:
            self._read[name] = content
        return content

    def create(self, name: str, content: bytes) -> bool:
        """Write file ``name`` (mode 0600) unless it exists; True when this call made it.

        The content is written and synced under a temporary name first, then linked to
        ``name`` in one step that fails when another process made ``name`` meanwhile: a
        reader never sees half a key, and two processes never both make the same file.
        """
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = self.directory / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temporary, self.directory / name)
            except FileExistsError:
                return False
        finally:
            temporary.unlink(missing_ok=True)
        _sync_directory(self.directory)
        with self._lock:
            self._read[name] = content
        return True


def _sync_directory(directory: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class Secrets:
    """Where the audit log's keys come from: the files of ``data_dir/keys`` and, when
    set, the value of ``KINLINK_AUDIT_KEY`` (it then signs new events)."""

    files: KeyFiles
    audit_key: str | None = field(default=None, repr=False)


def session_info(secrets: Secrets | None) -> dict[str, object]:
    """What every session of a store carries in ``Session.info``."""
    return {_INFO_KEY: secrets} if secrets is not None else {}


def secrets_of(session: Session) -> Secrets:
    """The secrets of the store ``session`` belongs to; refused for a store opened without
    them (an event must never be written unauthenticated by mistake)."""
    found = session.info.get(_INFO_KEY)
    if not isinstance(found, Secrets):
        raise ConfigurationError(_STORE_WAS_OPENED_WITHOUT())
    return found

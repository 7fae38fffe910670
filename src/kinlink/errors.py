"""One exception tree for kinlink.

Every error kinlink raises on purpose derives from :class:`KinlinkError`. Messages are
written for the person at the keyboard and never contain personal data: they name files,
lines, columns and reasons, not the names or dates found there.
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "ConflictError",
    "DuplicateFileError",
    "FileRefusedError",
    "KinlinkError",
    "NotFoundError",
    "StoreNotReadyError",
    "TransitionRefusedError",
]


class KinlinkError(Exception):
    """Base of every error kinlink raises deliberately."""


class ConfigurationError(KinlinkError):
    """A setting is missing or wrong, or the store runs with unsafe settings."""


class StoreNotReadyError(KinlinkError):
    """The store's schema is older than this version of kinlink expects."""


class NotFoundError(KinlinkError):
    """A thing asked for by its identifier does not exist."""


class FileRefusedError(KinlinkError):
    """A whole file cannot be imported (unreadable encoding, binary, no usable header)."""


class DuplicateFileError(FileRefusedError):
    """The same file (same SHA-256) was imported before."""

    def __init__(self, message: str, source_id: int) -> None:
        super().__init__(message)
        self.source_id = source_id


class TransitionRefusedError(KinlinkError):
    """A case cannot make this step: wrong order, role, missing evidence or reason."""


class ConflictError(KinlinkError):
    """Someone else changed the thing since it was read; nothing was overwritten."""

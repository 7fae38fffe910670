"""The one table that turns kinlink's exceptions into HTTP statuses, for the JSON API and
the pages alike (a page that shows a refusal in place answers the status this table
gives, never one of its own)."""

from __future__ import annotations

from kinlink.errors import (
    AccessDeniedError,
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    DuplicateFileError,
    ErasedError,
    EvidenceAlteredError,
    FileRefusedError,
    InputRefusedError,
    KinlinkError,
    NotFoundError,
    PasswordChangeRequiredError,
    SignInThrottledError,
    StoreBusyError,
    StoreNotReadyError,
    TransitionRefusedError,
)

__all__ = ["STATUS", "status_for"]

STATUS: tuple[tuple[type[KinlinkError], int, str], ...] = (
    (AuthenticationError, 401, "sign_in_required"),
    (PasswordChangeRequiredError, 403, "password_change_required"),
    (AccessDeniedError, 403, "forbidden"),
    (ErasedError, 410, "erased"),
    (NotFoundError, 404, "not_found"),
    (DuplicateFileError, 409, "duplicate_file"),
    (ConflictError, 409, "conflict"),
    (EvidenceAlteredError, 409, "evidence_altered"),
    (TransitionRefusedError, 409, "transition_refused"),
    (FileRefusedError, 422, "file_refused"),
    (InputRefusedError, 422, "invalid"),
    (SignInThrottledError, 429, "sign_in_throttled"),
    (StoreBusyError, 503, "busy"),
    (StoreNotReadyError, 503, "store_not_ready"),
    (ConfigurationError, 503, "configuration"),
    (KinlinkError, 400, "refused"),
)
"""Exception class → status and error code: the first matching class wins (subclasses
first)."""

_CODE_STATUS = {"too_large": 413, "unsupported_type": 415}
"""Codes of :class:`InputRefusedError` that have a status of their own."""


def status_for(exc: KinlinkError) -> tuple[int, str]:
    """The HTTP status and error code of one of kinlink's exceptions."""
    code = getattr(exc, "code", None)
    for kind, status, default_code in STATUS:
        if isinstance(exc, kind):
            if isinstance(code, str) and code in _CODE_STATUS:
                return _CODE_STATUS[code], code
            return status, code if isinstance(code, str) else default_code
    return 500, "internal"

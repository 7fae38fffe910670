"""One exception tree for kinlink.

Every error kinlink raises on purpose derives from :class:`KinlinkError`. Messages are
written for the person at the keyboard and never contain personal data: they name files,
lines, columns and reasons, not the names or dates found there.
"""

from __future__ import annotations

from kinlink.i18n import N_, Message, Wording, message_of

__all__ = [
    "AccessDeniedError",
    "AuthenticationError",
    "ConfigurationError",
    "ConflictError",
    "DuplicateFileError",
    "ErasedError",
    "EvidenceAlteredError",
    "FieldsRefusedError",
    "FileRefusedError",
    "HeldError",
    "ImportStoppedError",
    "InputRefusedError",
    "KinlinkError",
    "NotFoundError",
    "OutOfReachError",
    "PasswordChangeRequiredError",
    "SignInThrottledError",
    "StoreBusyError",
    "StoreNotReadyError",
    "TransitionRefusedError",
    "WrongPassphraseError",
]


class KinlinkError(Exception):
    """Base of every error kinlink raises deliberately. Raised with a
    :class:`~kinlink.i18n.Message` (a ``Wording`` filled in), it can be said in the
    reader's language; :attr:`text` is that message (or the plain text it was given)."""

    @property
    def text(self) -> str:
        """What the error says: a :class:`~kinlink.i18n.Message` when raised with one."""
        return message_of(self)

    @property
    def message(self) -> Message | None:
        """The error's message with its code and parameters, when it has one."""
        text = self.text
        return text if isinstance(text, Message) else None


NOT_THERE = {kind: Wording(f"not_there.{kind}", template) for kind, template in (
    ("record", N_("there is no record {id}")),
    ("record_pair", N_("there is no record pair {id}")),
    ("case", N_("there is no case {id}")),
    ("task", N_("there is no task {id}")),
    ("channel", N_("there is no channel {id}")),
    ("mediation_list", N_("there is no mediation list {id}")),
    ("answer", N_("there is no answer {id}")),
    ("source", N_("there is no source {id}")),
    ("import_job", N_("there is no import job {id}")),
    ("import_run", N_("there is no import run {id}")),
    ("document", N_("there is no document {id}")),
    ("mention", N_("there is no mention {id}")),
    ("remote_candidate", N_("there is no remote candidate {id}")),
)}
"""What :class:`OutOfReachError` says for each kind of thing (one wording per kind, so
the kind is translated with its sentence)."""
NOT_THERE_OTHER = Wording("not_there", N_("there is no {kind} {id}"))
FILE_EMPTY = Wording("file.empty", N_("the file is empty"))
FILE_UNREADABLE = Wording("file.unreadable", N_("{name}: cannot be read ({strerror})"))
PLEASE_SIGN_IN = Wording("sign_in.required", N_("please sign in"))
SOME_FIELDS_INVALID = Wording("fields_invalid", N_("some fields are not valid: {fields}"))


class ConfigurationError(KinlinkError):
    """A setting is missing or wrong, or the store runs with unsafe settings."""


class StoreNotReadyError(KinlinkError):
    """The store's schema is older than this version of kinlink expects."""


class StoreBusyError(KinlinkError):
    """The store stayed busy with other work longer than a request may wait; nothing was
    changed, and the same request can be sent again in a few seconds."""

    retry_after = 5
    """Seconds after which trying again is sensible."""


class NotFoundError(KinlinkError):
    """A thing asked for by its identifier does not exist."""


class ErasedError(NotFoundError):
    """The thing asked for was erased (its personal data and files are gone for good);
    the message says when. Answered as 410 Gone, not as a missing file."""


class OutOfReachError(NotFoundError):
    """A thing asked for by its identifier is not in the person's reach: it does not
    exist, or it belongs to data their agency does not see. Answered exactly like a
    missing thing (existence is sensitive); the use case audits the refusal with
    ``kind`` and ``entity_id`` only."""

    def __init__(self, kind: str, entity_id: int | str) -> None:
        wording = NOT_THERE.get(kind)
        super().__init__(wording(id=str(entity_id)) if wording else
                         NOT_THERE_OTHER(kind=kind.replace("_", " "), id=str(entity_id)))
        self.kind = kind
        self.entity_id = str(entity_id)


class EvidenceAlteredError(KinlinkError):
    """A kept original (or an artefact made from it) no longer matches its SHA-256: it
    was altered after it was kept. It is never served."""


class FileRefusedError(KinlinkError):
    """A whole file cannot be imported (unreadable encoding, binary, no usable header)."""


class DuplicateFileError(FileRefusedError):
    """The same file (same SHA-256) was imported before. The message says when and as
    which source; each door adds how to import it anyway there (``--force`` at the
    command line, the "import again anyway" box on the web, ``force`` in the API)."""

    def __init__(self, message: str, source_id: int) -> None:
        super().__init__(message)
        self.source_id = source_id


class ImportStoppedError(KinlinkError):
    """An import was stopped before it finished: cancelled by a person (``cancelled``),
    or past its time or memory budget, or its server stopping. Stopped while reading,
    nothing of the list is kept; stopped while linking, the list stays imported and the
    next linking takes it up."""

    def __init__(self, message: str, *, cancelled: bool, by: str | None = None) -> None:
        super().__init__(message)
        self.cancelled = cancelled
        self.by = by


class TransitionRefusedError(KinlinkError):
    """A case cannot make this step: wrong order, role, missing evidence or reason."""


class ConflictError(KinlinkError):
    """Someone else changed the thing since it was read; nothing was overwritten."""


class HeldError(ConflictError):
    """A legal hold covers what was to be erased: nothing was erased. The message names
    the hold (its id and reference) and who placed it."""


class AuthenticationError(KinlinkError):
    """No valid signed-in session, or a sign-in attempt failed (never says which part).

    ``code`` tells a client what to do next without revealing why an attempt failed:
    ``sign_in_required``, ``second_factor_required``, ``sign_in_failed``.
    """

    def __init__(self, message: str, code: str = "sign_in_required") -> None:
        super().__init__(message)
        self.code = code


class SignInThrottledError(KinlinkError):
    """Too many failed sign-ins for this account or from this address: the attempt was
    refused without looking at its password or code. ``retry_after`` is the number of
    seconds to wait before the next attempt is looked at."""

    code = "sign_in_throttled"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class AccessDeniedError(KinlinkError):
    """The signed-in person's role does not allow this action (audited by the caller)."""


class PasswordChangeRequiredError(AccessDeniedError):
    """The person signed in with a password kinlink generated; until they choose their
    own, their session may only change the password or sign out."""

    code = "password_change_required"


class InputRefusedError(KinlinkError):
    """A value given by a person breaks a rule (a weak password, an unknown agency, a file
    too large or of the wrong type). ``code`` names the rule for clients; ``field``, when
    one value of a form is at fault, names it (the API answers it, a page shows the
    message next to that field)."""

    def __init__(self, message: str, code: str = "invalid", *,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


class FieldsRefusedError(InputRefusedError):
    """Some fields of a form (a registered report, a correction) cannot be read. ``fields``
    maps each field's name to what is wrong with it, in the importer's words; the
    messages name rules, never the values typed."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(SOME_FIELDS_INVALID(fields=tuple(sorted(fields))), "invalid_fields")
        self.fields = dict(fields)


class WrongPassphraseError(KinlinkError):
    """The passphrase given does not open an encrypted export."""


class BackupRefusedError(KinlinkError):
    """A backup cannot be made, checked or restored: the file is damaged or altered, its
    manifest does not match what it holds, its schema is newer than this kinlink, it is
    for another database engine, or the target store is not empty."""

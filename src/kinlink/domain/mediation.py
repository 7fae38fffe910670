"""Lists of children sent through a mediation channel, and the answers that come back.

A *channel* (a state mediator, the ICRC, an envoy's office) receives lists of children
from one side and brings back the other side's answer for each child. What a channel may
receive is decided once, per channel (:class:`ChannelPolicy`): only those fields ever
leave kinlink in its lists — data minimisation, because a list can endanger the
children on it. Every child on a list carries a *reference* that lets answers be matched
back without relying on names, which the other side may re-type in its own script.

This module holds the vocabulary and the read models mediation's storage builds (a
channel, a list, a child on it, an answer row); what mediation needs of a case is in
:mod:`kinlink.domain.mediation_cases`. No storage, no files.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from enum import StrEnum

from kinlink.domain.cases import CaseStatus

__all__ = [
    "ANSWER_TARGETS",
    "DEFAULT_FORMATS",
    "NAME_FIELDS",
    "AnswerAction",
    "AnswerCounts",
    "AnswerHow",
    "AnswerImport",
    "AnswerLine",
    "AnswerOutcome",
    "AnswerState",
    "AnswerStatus",
    "ApplyResult",
    "Channel",
    "ChannelKind",
    "ChannelPolicy",
    "ExportFormat",
    "ListChild",
    "ListField",
    "ListStatus",
    "MediationList",
    "check_reference",
    "list_number",
    "new_reference",
]


class ChannelKind(StrEnum):
    """Who a mediation channel is."""

    STATE_MEDIATOR = "state_mediator"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    ENVOY = "envoy"
    NGO = "ngo"
    OTHER = "other"


class ListStatus(StrEnum):
    """Where a list for a channel stands: built, then frozen as sent."""

    DRAFT = "draft"
    SENT = "sent"
    CLOSED = "closed"


class ExportFormat(StrEnum):
    """The files an export of a list can hold (all inside one encrypted ZIP)."""

    XLSX = "xlsx"
    CSV = "csv"
    PDF = "pdf"
    DOSSIERS = "dossiers"


DEFAULT_FORMATS = (ExportFormat.XLSX, ExportFormat.PDF)
"""What an export holds unless the person chooses: the spreadsheet and the printable list."""


class ListField(StrEnum):
    """A column a list of children can carry. A channel names the ones it may receive."""

    NAME_UK = "name_uk"
    """Surname, given name and patronymic in Ukrainian, as the family reported them."""
    NAME_RU = "name_ru"
    """The same name in its Russian forms (Олександр → Александр, Олійник → Олейник)."""
    NAME_LATIN = "name_latin"
    """The Ukrainian name in Latin letters (KMU 2010, Ukrainian passports)."""
    NAME_LATIN_RU = "name_latin_ru"
    """The Russian form in Latin letters (ICAO 9303, Russian passports since 2014)."""
    SEX = "sex"
    BIRTH_DATE = "birth_date"
    BIRTH_PLACE = "birth_place"
    LAST_KNOWN_PLACE = "last_known_place"
    """Where the child was last known to be: the latest found record, else the report."""
    REMOVAL_DATE = "removal_date"
    """The date of the event the family reported (removal, deportation)."""
    FOUND_AS = "found_as"
    """The name under which the child appears on a list of found children."""
    REMOTE_MATCH = "remote_match"
    """The child's match on another party's list, from privacy-preserving linkage: the
    party and its opaque reference (``NGO hotline: HOT-0042``), for each record of
    another party a person decided is the same child. With it, a channel that may not
    receive names can still find the child in the party's own list."""
    FAMILY_REQUEST = "family_request"
    """The family's words (notes of the report). Only in dossiers, never in tables."""
    PHOTO = "photo"
    """A photograph attached to the case. Only in dossiers."""

    @property
    def dossier_only(self) -> bool:
        """Fields that are printed in a child's dossier but never in a list's table."""
        return self in (ListField.FAMILY_REQUEST, ListField.PHOTO)


NAME_FIELDS = (ListField.NAME_UK, ListField.NAME_RU, ListField.NAME_LATIN,
               ListField.NAME_LATIN_RU)
"""The forms of the child's name: a channel receives at least one of them."""


class AnswerStatus(StrEnum):
    """What the other side answered about one child."""

    LOCATED = "located"
    NOT_FOUND = "not_found"
    WITH_RELATIVES = "with_relatives"
    ADULT = "adult"
    TO_BE_RETURNED = "to_be_returned"
    RETURNED = "returned"


class AnswerOutcome(StrEnum):
    """What reconciliation made of one row of an answer."""

    MATCHED = "matched"
    """Matched to a child on the list (by reference or by names)."""
    CONTRADICTION = "contradiction"
    """Matched, but what the row says of the child contradicts the list."""
    UNKNOWN = "unknown"
    """About a child who is not on the list."""
    REJECTED = "rejected"
    """The row could not be read (no reference and no name, an unreadable status)."""


class AnswerHow(StrEnum):
    """How an answer was tied to a child on the list."""

    REFERENCE = "reference"
    NAMES = "names"
    PERSON = "person"


class AnswerState(StrEnum):
    """Where one answer stands on its way to the child's case."""

    PENDING = "pending"
    READY = "ready"
    APPLIED = "applied"
    NO_CHANGE = "no_change"
    DISMISSED = "dismissed"


class AnswerAction(StrEnum):
    """How a person settles an answer reconciliation could not."""

    CONFIRM = "confirm"
    ASSIGN = "assign"
    DISMISS = "dismiss"


class ApplyResult(StrEnum):
    """What applying one ready answer to its case did."""

    APPLIED = "applied"
    NO_CHANGE = "no_change"
    PENDING = "pending"


ANSWER_TARGETS: dict[AnswerStatus, CaseStatus | None] = {
    AnswerStatus.LOCATED: CaseStatus.LOCATED,
    AnswerStatus.NOT_FOUND: None,
    AnswerStatus.WITH_RELATIVES: CaseStatus.FOUND_WITH_FAMILY,
    AnswerStatus.ADULT: CaseStatus.REACHED_ADULTHOOD,
    AnswerStatus.TO_BE_RETURNED: CaseStatus.IN_RETURN,
    AnswerStatus.RETURNED: CaseStatus.RETURNED,
}
"""The case status an answer points to (``None``: the answer moves no case). Whether
the case may go there is still decided by the workflow in :mod:`kinlink.domain.cases`."""


@dataclass(frozen=True)
class ChannelPolicy:
    """What one channel may receive: the fields of its lists, nothing else."""

    fields: frozenset[ListField]

    def __post_init__(self) -> None:
        if not self.fields & {*NAME_FIELDS, ListField.REMOTE_MATCH}:
            raise ValueError("a channel must receive at least one form of the child's name, "
                             "or the reference of its match on another party's list")

    def allows(self, field: ListField) -> bool:
        """Whether ``field`` may be in this channel's files."""
        return field in self.fields

    def table_fields(self) -> tuple[ListField, ...]:
        """The columns of this channel's list tables, in the order of :class:`ListField`."""
        return tuple(f for f in ListField if f in self.fields and not f.dossier_only)


def list_number(list_id: int) -> str:
    """The number a list is known by outside kinlink: ``L-0003``."""
    return f"L-{list_id:04d}"


# -- read models ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Channel:
    """A mediation channel and the fields its lists may carry."""

    id: int
    name: str
    kind: ChannelKind
    fields: tuple[ListField, ...]
    description: str | None
    active: bool
    created_by: str
    created_at: dt.datetime
    agency_id: int
    """The agency the channel belongs to: only its people see the channel and its lists."""


@dataclass(frozen=True)
class MediationList:
    """One list for one channel: a draft until it is sent, then frozen. ``fields`` are the
    channel's as they were when the list was started."""

    id: int
    channel_id: int
    status: ListStatus
    note: str | None
    fields: tuple[ListField, ...]
    created_by: str
    created_at: dt.datetime
    sent_by: str | None
    sent_at: dt.datetime | None
    version: int

    @property
    def number(self) -> str:
        """The list's number outside kinlink: ``L-0003``."""
        return list_number(self.id)

    @property
    def is_draft(self) -> bool:
        """Whether children may still be added or taken off."""
        return self.status is ListStatus.DRAFT

    @property
    def columns(self) -> tuple[ListField, ...]:
        """The table columns this list carries (dossier-only fields left out)."""
        return ChannelPolicy(frozenset(self.fields)).table_fields()

    @property
    def dossier_fields(self) -> tuple[ListField, ...]:
        """The fields only its dossiers carry."""
        return tuple(f for f in self.fields if f.dossier_only)


@dataclass(frozen=True)
class ListChild:
    """A child (a case) on a list, with the reference answers are matched back by, and
    what the list said of them once it was sent (``None`` on a draft)."""

    id: int
    list_id: int
    case_id: int
    reference: str
    added_by: str
    added_at: dt.datetime
    sent_values: dict[ListField, str] | None = None


@dataclass(frozen=True)
class AnswerCounts:
    """How many rows of an answer reconciliation put in each outcome, and how many
    children of the list no answer mentions."""

    matched: int = 0
    contradiction: int = 0
    unknown: int = 0
    rejected: int = 0
    missing: int = 0

    def of(self, outcome: AnswerOutcome) -> int:
        """The count of ``outcome``."""
        return int(getattr(self, outcome.value))

    def by_outcome(self) -> list[tuple[AnswerOutcome, int]]:
        """Each outcome with its count, in the order of :class:`AnswerOutcome`."""
        return [(outcome, self.of(outcome)) for outcome in AnswerOutcome]


@dataclass(frozen=True)
class AnswerImport:
    """One answer file brought back for a list: its hash, rows and counts, who and when."""

    id: int
    list_id: int
    file_name: str
    sha256: str
    rows: int
    counts: AnswerCounts
    imported_by: str
    imported_at: dt.datetime


@dataclass(frozen=True)
class AnswerLine:
    """One row of an answer file: where reconciliation put it, the child it speaks of
    (``reference``, ``case_id``; ``None`` when none), what it said, and what became of it.
    ``values`` are the cells as written (reference, names, birth date, comment)."""

    id: int
    import_id: int
    list_id: int
    line: int
    outcome: AnswerOutcome
    how: AnswerHow | None
    probability: float | None
    sure: bool
    status: AnswerStatus | None
    status_text: str
    values: dict[str, str]
    problem: str | None
    state: AnswerState
    state_note: str | None
    list_child_id: int | None = None
    reference: str | None = None
    case_id: int | None = None

    @property
    def settled(self) -> bool:
        """Whether the answer was applied to its case (it cannot be changed any more)."""
        return self.state in (AnswerState.APPLIED, AnswerState.NO_CHANGE)

    @property
    def ready(self) -> bool:
        """Whether the answer is ready to apply to its case."""
        return self.state is AnswerState.READY

    @property
    def by_names(self) -> bool:
        """Whether linkage tied the answer to its child by names (with a probability)."""
        return self.how is AnswerHow.NAMES

    @property
    def written_reference(self) -> str | None:
        """The reference cell as the other side wrote it, if they wrote one."""
        return self.values.get("reference") or None


_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U


def _check_char(body: str) -> str:
    total = sum((i + 1) * _ALPHABET.index(c) for i, c in enumerate(body))
    return _ALPHABET[total % len(_ALPHABET)]


def new_reference() -> str:
    """A new random reference such as ``KL-7F3K-9Q2M``: no name, date or number of the
    child can be read from it, and its last character catches a mistyped one."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(7))
    body += _check_char(body)
    return f"KL-{body[:4]}-{body[4:]}"


def check_reference(text: str) -> str | None:
    """The reference written in ``text`` in its canonical form, or ``None`` if it is not
    a valid reference (wrong shape or check character). Accepts lower case, spaces and
    the letters people confuse with digits (O for 0, I and L for 1)."""
    cleaned = text.strip().upper().replace(" ", "").replace("-", "")
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if len(cleaned) == 10 and cleaned.startswith("K1"):  # "KL" after the look-alike repair
        cleaned = cleaned[2:]
    if len(cleaned) != 8 or any(c not in _ALPHABET for c in cleaned):
        return None
    if _check_char(cleaned[:7]) != cleaned[7]:
        return None
    return f"KL-{cleaned[:4]}-{cleaned[4:]}"

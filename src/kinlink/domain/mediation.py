"""Lists of children sent through a mediation channel, and the answers that come back.

A *channel* (a state mediator, the ICRC, an envoy's office) receives lists of children
from one side and brings back the other side's answer for each child. What a channel may
receive is decided once, per channel (:class:`ChannelPolicy`): only those fields ever
leave kinlink in its lists — data minimisation, because a list can endanger the
children on it. Every child on a list carries a *reference* that lets answers be matched
back without relying on names, which the other side may re-type in its own script.

This module holds the vocabulary only: no storage, no files.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import StrEnum

from kinlink.domain.cases import CaseStatus

__all__ = [
    "ANSWER_TARGETS",
    "AnswerAction",
    "AnswerHow",
    "AnswerOutcome",
    "AnswerState",
    "AnswerStatus",
    "ApplyResult",
    "ChannelKind",
    "ChannelPolicy",
    "ExportFormat",
    "ListField",
    "ListStatus",
    "check_reference",
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
    FAMILY_REQUEST = "family_request"
    """The family's words (notes of the report). Only in dossiers, never in tables."""
    PHOTO = "photo"
    """A photograph attached to the case. Only in dossiers."""

    @property
    def dossier_only(self) -> bool:
        """Fields that are printed in a child's dossier but never in a list's table."""
        return self in (ListField.FAMILY_REQUEST, ListField.PHOTO)


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
        names = {ListField.NAME_UK, ListField.NAME_RU, ListField.NAME_LATIN,
                 ListField.NAME_LATIN_RU}
        if not self.fields & names:
            raise ValueError("a channel must receive at least one form of the child's name")

    def allows(self, field: ListField) -> bool:
        """Whether ``field`` may be in this channel's files."""
        return field in self.fields

    def table_fields(self) -> tuple[ListField, ...]:
        """The columns of this channel's list tables, in the order of :class:`ListField`."""
        return tuple(f for f in ListField if f in self.fields and not f.dossier_only)


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

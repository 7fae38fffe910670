"""Keeping and letting go: legal holds, erasure and retention rules, as plain data.

An *erasure* replaces a thing's personal fields (and a record's raw cells) with a
*tombstone*: which fields were there and when they went, never their values. What an
erasure reaches is one of :class:`ErasureKind`: a record (the child as one list saw
them), the reporter of a report, a whole list (a source), an evidence document, a case's
notes (its contact log and task titles) or a case's photograph.

A *legal hold* (a prosecutor's request, a court order) on a case, a record (a child as
one list saw them), a list or a document keeps everything it covers from erasure, by
request or by retention, until a supervisor lifts it.

A *retention rule* says how long one group of fields (:class:`FieldGroup`) is kept after
a moment (:class:`Anchor`): "the reporter's contact: 2 years after the case is closed".
Rules are data (the ``retention_rules`` table), shown on the admin page and applied by
``kinlink retention run`` through the same erasure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kinlink.i18n import N_

__all__ = ["DEFAULT_RULES", "GROUP_KIND", "Anchor", "ErasureBasis", "ErasureKind",
           "FieldGroup", "Hold", "HoldTarget", "PlannedErasure", "RetentionRule",
           "RuleSpec", "Tombstone"]


class HoldTarget(StrEnum):
    """What a legal hold is placed on."""

    CASE = "case"
    RECORD = "record"
    SOURCE = "source"
    DOCUMENT = "document"


class ErasureKind(StrEnum):
    """What one erasure reaches."""

    RECORD = "record"
    REPORTER = "reporter"
    SOURCE = "source"
    DOCUMENT = "document"
    CASE_NOTES = "case_notes"
    CASE_PHOTO = "case_photo"


class ErasureBasis(StrEnum):
    """Why something was erased: asked for, by a retention rule, or after the reporter
    withdrew their consent."""

    REQUEST = "request"
    RETENTION = "retention"
    CONSENT_WITHDRAWN = "consent_withdrawn"


class FieldGroup(StrEnum):
    """A group of fields a retention rule keeps for a time."""

    RECORD = "record"
    REPORTER_CONTACT = "reporter_contact"
    NOTES = "notes"
    PHOTOGRAPHS = "photographs"
    DOCUMENTS = "documents"


class Anchor(StrEnum):
    """The moment a retention period is counted from."""

    CASE_CLOSED = "case_closed"
    RECEIVED = "received"
    CONSENT_WITHDRAWN = "consent_withdrawn"


GROUP_KIND: dict[FieldGroup, ErasureKind] = {
    FieldGroup.RECORD: ErasureKind.RECORD,
    FieldGroup.REPORTER_CONTACT: ErasureKind.REPORTER,
    FieldGroup.NOTES: ErasureKind.CASE_NOTES,
    FieldGroup.PHOTOGRAPHS: ErasureKind.CASE_PHOTO,
    FieldGroup.DOCUMENTS: ErasureKind.DOCUMENT,
}
"""What a retention run erases for each group of fields."""


@dataclass(frozen=True)
class Hold:
    """A legal hold: on what, the reference (a court order's number, a prosecutor's
    request), why, who placed it and when; lifted when ``lifted_at`` is set."""

    id: int
    agency_id: int
    target: HoldTarget
    target_id: int
    reference: str
    reason: str
    placed_by: str
    placed_at: dt.datetime
    lifted_by: str | None = None
    lifted_at: dt.datetime | None = None
    lift_reason: str | None = None

    @property
    def active(self) -> bool:
        """Still in force (not lifted)."""
        return self.lifted_at is None


@dataclass(frozen=True)
class RuleSpec:
    """What a retention rule says: keep ``group`` for ``keep_days`` after ``anchor``, for
    records of lists of ``source_kind`` and cases in ``case_status`` (``None``: any; for
    :attr:`Anchor.CASE_CLOSED` any closed status)."""

    group: FieldGroup
    anchor: Anchor
    keep_days: int
    source_kind: str | None = None
    case_status: str | None = None
    note: str = ""


@dataclass(frozen=True)
class RetentionRule:
    """A retention rule kept in the store, with who set it and whether it applies; the
    agency whose data it applies to (``None``: every agency's, set by an administrator)."""

    id: int
    spec: RuleSpec
    active: bool
    set_by: str
    set_at: dt.datetime
    agency_id: int | None = None


DEFAULT_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(FieldGroup.REPORTER_CONTACT, Anchor.CASE_CLOSED, 730,
             note=N_("the reporter's contact: 2 years after the case is closed")),
    RuleSpec(FieldGroup.NOTES, Anchor.CASE_CLOSED, 1825,
             note=N_("contact log and task titles: 5 years after the case is closed")),
    RuleSpec(FieldGroup.PHOTOGRAPHS, Anchor.CASE_CLOSED, 365,
             note=N_("the case's photograph: 1 year after the case is closed")),
    RuleSpec(FieldGroup.DOCUMENTS, Anchor.CASE_CLOSED, 3650,
             note=N_("evidence documents of a case: 10 years after it is closed")),
    RuleSpec(FieldGroup.RECORD, Anchor.CONSENT_WITHDRAWN, 30,
             note=N_("a report whose consent was withdrawn: 30 days after the withdrawal")),
)
"""The rules a new store starts with (revision 0020 writes them); their notes are shown
in the reader's language while they are unchanged."""


@dataclass(frozen=True)
class Tombstone:
    """What an erasure left: the kind and id of what was erased, the fields that were
    there (``table.column``), when, by whom, on which basis and rule, and the reason."""

    id: int
    kind: ErasureKind
    target_id: int
    fields: tuple[str, ...]
    basis: ErasureBasis
    reason: str
    erased_by: str
    erased_at: dt.datetime
    rule_id: int | None = None


@dataclass(frozen=True)
class PlannedErasure:
    """One thing a retention run would erase: what, by which rule, since when it is due,
    the agency it belongs to, and the hold that keeps it (then it is skipped)."""

    kind: ErasureKind
    target_id: int
    rule_id: int
    due_since: dt.date
    agency_id: int
    held_by: Hold | None = None

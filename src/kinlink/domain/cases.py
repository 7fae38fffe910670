"""A reported child's case and the steps it moves through to reunification.

Each transition names the roles allowed to make it, the evidence it requires and always
a reason. The table below is the whole workflow; nothing else decides what may happen
to a case.

::

    reported → located → identity_verified → return_requested → in_return → returned
             → reunited
    any open status → found_with_family | reached_adulthood | deceased | withdrawn
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kinlink.domain.users import UserRole
from kinlink.errors import TransitionRefusedError

__all__ = [
    "CLOSING",
    "TRANSITIONS",
    "Case",
    "CaseEvent",
    "CaseStatus",
    "EvidenceKind",
    "Transition",
    "check_transition",
]


class CaseStatus(StrEnum):
    """Where a child's case stands."""

    REPORTED = "reported"
    LOCATED = "located"
    IDENTITY_VERIFIED = "identity_verified"
    RETURN_REQUESTED = "return_requested"
    IN_RETURN = "in_return"
    RETURNED = "returned"
    REUNITED = "reunited"
    FOUND_WITH_FAMILY = "found_with_family"
    REACHED_ADULTHOOD = "reached_adulthood"
    DECEASED = "deceased"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        """True until the child is reunited or the case is closed."""
        return self not in _FINAL


class EvidenceKind(StrEnum):
    """Kinds of evidence a transition can require."""

    DOCUMENTS = "documents"
    DNA = "dna"
    FAMILY_CONFIRMATION = "family_confirmation"
    CHANNEL_LIST = "channel_list"
    RETURN_RECORD = "return_record"
    OFFICIAL_RECORD = "official_record"


@dataclass(frozen=True)
class Case:
    """A reported child's case as stored: its status and the version a change must name
    (optimistic locking)."""

    id: int
    sought_record_pk: int
    status: CaseStatus
    version: int
    opened_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class CaseEvent:
    """One step in a case's history: from, to, who (in which role), when, why, and with
    what evidence."""

    id: int
    case_id: int
    from_status: CaseStatus | None
    to_status: CaseStatus
    actor: str
    role: UserRole
    at: dt.datetime
    reason: str
    evidence_kind: EvidenceKind | None
    evidence_ref: str | None


CLOSING = (CaseStatus.FOUND_WITH_FAMILY, CaseStatus.REACHED_ADULTHOOD, CaseStatus.DECEASED,
           CaseStatus.WITHDRAWN)
_FINAL = frozenset((CaseStatus.REUNITED, *CLOSING))


@dataclass(frozen=True)
class Transition:
    """One allowed step: from, to, who may make it, and what evidence it needs."""

    source: CaseStatus
    target: CaseStatus
    roles: frozenset[UserRole]
    evidence: frozenset[EvidenceKind] = frozenset()
    needs_found_record: bool = False

    def describe(self) -> str:
        """The rule in words, for refusals and help texts."""
        needs = [f"evidence: one of {', '.join(sorted(self.evidence))}"] if self.evidence else []
        if self.needs_found_record:
            needs.append("a found record linked to the child")
        return (f"{self.source} → {self.target} by {', '.join(sorted(self.roles))}"
                + (f"; needs {'; '.join(needs)}" if needs else ""))


_S = CaseStatus
_WORKERS = frozenset({UserRole.CASE_WORKER, UserRole.SUPERVISOR})
_LIAISON = frozenset({UserRole.MEDIATOR_LIAISON, UserRole.SUPERVISOR})
_E = EvidenceKind

_STEPS: tuple[Transition, ...] = (
    Transition(_S.REPORTED, _S.LOCATED, _WORKERS, needs_found_record=True),
    Transition(_S.LOCATED, _S.IDENTITY_VERIFIED, _WORKERS,
               frozenset({_E.DOCUMENTS, _E.DNA, _E.FAMILY_CONFIRMATION})),
    Transition(_S.IDENTITY_VERIFIED, _S.RETURN_REQUESTED, _LIAISON,
               frozenset({_E.CHANNEL_LIST})),
    Transition(_S.RETURN_REQUESTED, _S.IN_RETURN, _LIAISON,
               frozenset({_E.OFFICIAL_RECORD, _E.CHANNEL_LIST})),
    Transition(_S.IN_RETURN, _S.RETURNED, _LIAISON | _WORKERS,
               frozenset({_E.RETURN_RECORD})),
    Transition(_S.RETURNED, _S.REUNITED, _WORKERS, frozenset({_E.FAMILY_CONFIRMATION})),
    # A link reversed or a verification withdrawn: one step back, by a supervisor.
    Transition(_S.LOCATED, _S.REPORTED, frozenset({UserRole.SUPERVISOR})),
    Transition(_S.IDENTITY_VERIFIED, _S.LOCATED, frozenset({UserRole.SUPERVISOR})),
    Transition(_S.RETURN_REQUESTED, _S.IDENTITY_VERIFIED, frozenset({UserRole.SUPERVISOR})),
)
_CLOSINGS = tuple(
    Transition(source, target, frozenset({UserRole.SUPERVISOR}),
               frozenset({_E.DOCUMENTS, _E.OFFICIAL_RECORD, _E.FAMILY_CONFIRMATION}))
    for source in CaseStatus if source.is_open for target in CLOSING
)
TRANSITIONS: tuple[Transition, ...] = (*_STEPS, *_CLOSINGS)


def check_transition(current: CaseStatus, target: CaseStatus, role: UserRole,
                     evidence: EvidenceKind | None, reason: str,
                     *, found_record_linked: bool) -> Transition:
    """The transition if every rule holds; otherwise :class:`TransitionRefusedError` saying
    which rule failed."""
    rule = next((t for t in TRANSITIONS if t.source is current and t.target is target), None)
    if rule is None:
        allowed = ", ".join(t.target for t in TRANSITIONS if t.source is current) or "none"
        raise TransitionRefusedError(f"a case cannot go from {current} to {target} "
                                f"(from {current}: {allowed})")
    if role not in rule.roles:
        raise TransitionRefusedError(f"{role} may not move a case from {current} to {target}: "
                                f"{rule.describe()}")
    if rule.evidence and evidence not in rule.evidence:
        raise TransitionRefusedError(f"{current} → {target} needs evidence: one of "
                                f"{', '.join(sorted(rule.evidence))}")
    if rule.needs_found_record and not found_record_linked:
        raise TransitionRefusedError("the child has no found record linked yet: confirm a "
                                "match in review first")
    if not reason.strip():
        raise TransitionRefusedError("every change of a case needs a reason")
    return rule

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
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from kinlink.domain.users import UserRole
from kinlink.errors import TransitionRefusedError
from kinlink.i18n import N_, Wording

__all__ = [
    "CLOSING",
    "TRANSITIONS",
    "Case",
    "CaseEvent",
    "CaseStatus",
    "EvidenceKind",
    "Transition",
    "check_transition",
    "forward_path",
    "transition",
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
    (optimistic locking); who owns it (a user's id, since when) and when anything last
    happened on it (``None``: nothing since it was opened or moved)."""

    id: int
    sought_record_pk: int
    status: CaseStatus
    version: int
    opened_at: dt.datetime
    updated_at: dt.datetime
    owner_id: int | None = None
    owner_since: dt.datetime | None = None
    last_activity_at: dt.datetime | None = None


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


def transition(current: CaseStatus, target: CaseStatus) -> Transition | None:
    """The rule of the step from ``current`` to ``target``, or ``None`` when the workflow
    has no such step."""
    return next((t for t in TRANSITIONS if t.source is current and t.target is target), None)


def check_transition(current: CaseStatus, target: CaseStatus, role: UserRole,
                     evidence: EvidenceKind | None, reason: str,
                     *, found_record_linked: bool) -> Transition:
    """The transition if every rule holds; otherwise :class:`TransitionRefusedError` saying
    which rule failed."""
    rule = transition(current, target)
    if rule is None:
        allowed = tuple(t.target for t in TRANSITIONS if t.source is current)
        raise TransitionRefusedError(
            NO_SUCH_STEP(current=current, target=target, allowed=allowed) if allowed
            else LAST_STEP(current=current, target=target))
    if role not in rule.roles:
        raise TransitionRefusedError(NOT_THE_ROLE(role=role, current=current, target=target,
                                                  roles=tuple(sorted(rule.roles))))
    if rule.evidence and evidence not in rule.evidence:
        raise TransitionRefusedError(NEEDS_EVIDENCE(current=current, target=target,
                                                    kinds=tuple(sorted(rule.evidence))))
    if rule.needs_found_record and not found_record_linked:
        raise TransitionRefusedError(NEEDS_FOUND_RECORD())
    if not reason.strip():
        raise TransitionRefusedError(NEEDS_REASON())
    return rule


_STEP_TERMS = {"current": CaseStatus, "target": CaseStatus}
NO_SUCH_STEP = Wording("case.no_such_step", N_(
    "a case cannot go from {current} to {target} (from {current}: {allowed})"),
    {**_STEP_TERMS, "allowed": CaseStatus})
LAST_STEP = Wording("case.last_step", N_(
    "a case cannot go from {current} to {target} (from {current}: none)"), _STEP_TERMS)
NOT_THE_ROLE = Wording("case.not_the_role", N_(
    "{role} may not move a case from {current} to {target}: it is done by {roles}"),
    {**_STEP_TERMS, "role": UserRole, "roles": UserRole})
NEEDS_EVIDENCE = Wording("case.needs_evidence", N_(
    "{current} → {target} needs evidence: one of {kinds}"),
    {**_STEP_TERMS, "kinds": EvidenceKind})
NEEDS_FOUND_RECORD = Wording("case.needs_found_record", N_(
    "the child has no found record linked yet: confirm a match in review first"))
NEEDS_REASON = Wording("case.needs_reason", N_("every change of a case needs a reason"))


@cache
def _ranks() -> dict[CaseStatus, int]:
    """How many steps of the table each status lies from ``reported`` (where every case
    opens), closing steps left out: the order of the workflow, read from the table."""
    ranks = {CaseStatus.REPORTED: 0}
    waiting = deque([CaseStatus.REPORTED])
    while waiting:
        source = waiting.popleft()
        for step in TRANSITIONS:
            if step.source is source and step.target not in CLOSING \
                    and step.target not in ranks:
                ranks[step.target] = ranks[source] + 1
                waiting.append(step.target)
    return ranks


def _forward(step: Transition) -> bool:
    """A step that takes a case further along the workflow (not back, not closing it)."""
    ranks = _ranks()
    return step.target not in CLOSING and ranks[step.target] > ranks[step.source]


def forward_path(current: CaseStatus, target: CaseStatus) -> tuple[CaseStatus, ...]:
    """The statuses a case passes through, one forward step of :data:`TRANSITIONS` at a
    time, to go from ``current`` to ``target`` (``target`` last, ``current`` left out).

    Empty when there is no such way: ``target`` is ``current``, behind it, a closing
    status, or the case is closed. Whether each step may be taken — by whom, on what
    evidence — is still for :func:`check_transition` to say.
    """
    came_from: dict[CaseStatus, CaseStatus] = {}
    waiting = deque([current])
    while waiting and target not in came_from:
        source = waiting.popleft()
        for step in TRANSITIONS:
            if step.source is source and _forward(step) and step.target not in came_from:
                came_from[step.target] = source
                waiting.append(step.target)
    if target not in came_from:
        return ()
    path = [target]
    while came_from[path[-1]] is not current:
        path.append(came_from[path[-1]])
    return tuple(reversed(path))

"""Read a case with its child's records, move a case one step.

What may happen to a case is decided by the transition table of
:mod:`kinlink.domain.cases` alone; this module applies it to the stored case, with
optimistic locking (a stale version is a conflict that overwrites nothing). Opening cases
is :mod:`kinlink.cases.opening`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.cases.opening import FIRST_STEP
from kinlink.domain.access import Actor
from kinlink.domain.cases import Case, CaseEvent, CaseStatus, EvidenceKind, check_transition
from kinlink.domain.clusters import Cluster
from kinlink.domain.records import RecordView, Role
from kinlink.errors import NOT_THERE, ConflictError, KinlinkError, NotFoundError
from kinlink.i18n import N_, Wording
from kinlink.storage import Session
from kinlink.storage.cases import CaseRepository, StaleVersionError
from kinlink.storage.review import ReviewQueries, cluster_of

__all__ = ["CaseFile", "advance", "case_file", "cases_of", "histories"]

CHANGED_SINCE = Wording("case.changed_since", N_(
    "case {case} was changed by someone else (now version {now}, you had {had}); reload it"))
CHANGED_MEANWHILE = Wording("case.changed_meanwhile", N_(
    "case {case} was changed by someone else; reload it"))
IN_CONFLICT = Wording("case.in_conflict", N_(
    "the child's records are in conflict (linked and decided different): resolve the "
    "conflict in review first"))
EVIDENCE_WHERE = Wording("case.evidence_where", N_(
    "say where the evidence is (a document number, a file, a reference)"))


@dataclass(frozen=True)
class CaseFile:
    """A case with its history and the child's records."""

    case: Case
    history: list[CaseEvent]
    child: Cluster
    records: list[RecordView]

    @property
    def found_records(self) -> list[RecordView]:
        """The child's records from lists of found children."""
        return [r for r in self.records if r.role is Role.FOUND]


def case_file(session: Session, case_id: int) -> CaseFile:
    """A case with its history and records (not audited: the caller audits what it does
    with it)."""
    repository = CaseRepository(session)
    case = repository.get(case_id)
    if case is None:
        raise NotFoundError(NOT_THERE["case"](id=str(case_id)))
    cluster = cluster_of(session, case.sought_record_pk)
    records = ReviewQueries(session).records(cluster.records)
    return CaseFile(case, _said(repository.events(case_id)), cluster,
                    [records[r] for r in cluster.records])


def _said(events: list[CaseEvent]) -> list[CaseEvent]:
    """The events with the first step's reason as its message (said in the reader's
    language on a page); reasons people wrote stay as they wrote them."""
    return [replace(e, reason=FIRST_STEP) if e.reason == FIRST_STEP else e for e in events]


def cases_of(session: Session, records: tuple[int, ...] | list[int]) -> list[Case]:
    """The cases opened for any of ``records`` (a child's records have one at most,
    unless links joined two reported children since)."""
    return CaseRepository(session).for_records(records)


def histories(session: Session, case_ids: list[int]) -> dict[int, list[CaseEvent]]:
    """The history of each case, oldest step first (not audited: the caller audits)."""
    found = CaseRepository(session).histories(case_ids)
    return {case_id: _said(found.get(case_id, [])) for case_id in case_ids}


def advance(session: Session, actor: Actor, case_id: int, expected_version: int,
            target: CaseStatus, reason: str, evidence: EvidenceKind | None = None,
            evidence_ref: str | None = None) -> Case:
    """Move a case one step, if the workflow, the role and the evidence allow it and
    nobody changed the case since ``expected_version`` was read."""
    current = case_file(session, case_id)
    case = current.case
    if case.version != expected_version:
        raise ConflictError(CHANGED_SINCE(case=case_id, now=case.version,
                                          had=expected_version))
    if current.child.in_conflict and target is CaseStatus.LOCATED:
        raise ConflictError(IN_CONFLICT())
    check_transition(case.status, target, actor.role, evidence, reason,
                     found_record_linked=bool(current.found_records))
    if evidence is not None and not (evidence_ref or "").strip():
        raise KinlinkError(EVIDENCE_WHERE())
    try:
        moved = CaseRepository(session).move(case, expected_version, target)
    except StaleVersionError:
        raise ConflictError(CHANGED_MEANWHILE(case=case_id)) from None
    CaseRepository(session).touch(case.id, moved.updated_at)
    moved = replace(moved, last_activity_at=moved.updated_at)
    CaseRepository(session).add_event(
        case_id=case.id, from_status=case.status, to_status=target, actor=actor.name,
        role=actor.role, reason=reason, evidence_kind=evidence, evidence_ref=evidence_ref)
    append_event(session, AuditEvent(actor.name, AuditAction.CASE_ADVANCED, "case",
                                     str(case.id), {
                                         "from": case.status.value, "to": target.value,
                                         "version": moved.version,
                                         "evidence": evidence.value if evidence else None}))
    return moved

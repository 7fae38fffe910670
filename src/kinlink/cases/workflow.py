"""Read a case with its child's records, move a case one step.

What may happen to a case is decided by the transition table of
:mod:`kinlink.domain.cases` alone; this module applies it to the stored case, with
optimistic locking (a stale version is a conflict that overwrites nothing). Opening cases
is :mod:`kinlink.cases.opening`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.cases import Case, CaseEvent, CaseStatus, EvidenceKind, check_transition
from kinlink.domain.clusters import Cluster
from kinlink.domain.records import RecordView, Role
from kinlink.errors import ConflictError, KinlinkError, NotFoundError
from kinlink.storage import Session
from kinlink.storage.cases import CaseRepository, StaleVersionError
from kinlink.storage.review import ReviewQueries, cluster_of

__all__ = ["CaseFile", "advance", "case_file", "cases_of", "histories"]


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
        raise NotFoundError(f"there is no case {case_id}")
    cluster = cluster_of(session, case.sought_record_pk)
    records = ReviewQueries(session).records(cluster.records)
    return CaseFile(case, repository.events(case_id), cluster,
                    [records[r] for r in cluster.records])


def cases_of(session: Session, records: tuple[int, ...] | list[int]) -> list[Case]:
    """The cases opened for any of ``records`` (a child's records have one at most,
    unless links joined two reported children since)."""
    return CaseRepository(session).for_records(records)


def histories(session: Session, case_ids: list[int]) -> dict[int, list[CaseEvent]]:
    """The history of each case, oldest step first (not audited: the caller audits)."""
    found = CaseRepository(session).histories(case_ids)
    return {case_id: found.get(case_id, []) for case_id in case_ids}


def advance(session: Session, actor: Actor, case_id: int, expected_version: int,
            target: CaseStatus, reason: str, evidence: EvidenceKind | None = None,
            evidence_ref: str | None = None) -> Case:
    """Move a case one step, if the workflow, the role and the evidence allow it and
    nobody changed the case since ``expected_version`` was read."""
    current = case_file(session, case_id)
    case = current.case
    if case.version != expected_version:
        raise ConflictError(f"case {case_id} was changed by someone else (now version "
                            f"{case.version}, you had {expected_version}); reload it")
    if current.child.in_conflict and target is CaseStatus.LOCATED:
        raise ConflictError("the child's records are in conflict (linked and decided "
                            "different): resolve the conflict in review first")
    check_transition(case.status, target, actor.role, evidence, reason,
                     found_record_linked=bool(current.found_records))
    if evidence is not None and not (evidence_ref or "").strip():
        raise KinlinkError("say where the evidence is (a document number, a file, a "
                           "reference)")
    try:
        moved = CaseRepository(session).move(case, expected_version, target)
    except StaleVersionError:
        raise ConflictError(f"case {case_id} was changed by someone else; reload "
                            f"it") from None
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

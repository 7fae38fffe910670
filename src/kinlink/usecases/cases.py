"""Cases: list them, read one, move one, open the missing ones."""

from __future__ import annotations

from kinlink import cases
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.cases import CaseFile
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.permissions import Action, require
from kinlink.storage import Store
from kinlink.storage.review import CaseRepository
from kinlink.storage.review_tables import CaseRow

__all__ = ["advance_case", "case_counts", "list_cases", "open_missing_cases", "read_case"]


def list_cases(store: Store, actor: Actor, status: CaseStatus | None = None,
               limit: int = 100) -> list[CaseRow]:
    """Cases, oldest first, optionally of one status (audited; opens no case)."""
    require(actor, Action.CASES_VIEW)
    with store.transaction() as session:
        found = list(CaseRepository(session).listing(status.value if status else None, limit))
        append_event(session, AuditEvent(actor.name, AuditAction.CASES_LISTED, "case", None,
                                         {"status": status.value if status else None,
                                          "shown": len(found)}))
    return found


def case_counts(store: Store, actor: Actor) -> list[tuple[CaseStatus, int]]:
    """How many cases are in each status, in the workflow's order (counts only: no
    child is shown, so nothing is audited)."""
    require(actor, Action.CASES_VIEW)
    with store.transaction() as session:
        found = dict(CaseRepository(session).counts())
    return [(status, found[status.value]) for status in CaseStatus if found.get(status.value)]


def read_case(store: Store, actor: Actor, case_id: int) -> CaseFile:
    """One case with its history and records (audited read)."""
    require(actor, Action.CASES_VIEW)
    with store.transaction() as session:
        found = cases.case_file(session, case_id)
        append_event(session, AuditEvent(actor.name, AuditAction.CASE_READ, "case",
                                         str(case_id)))
    return found


def advance_case(store: Store, actor: Actor, case_id: int, expected_version: int,
                 target: CaseStatus, reason: str, evidence: EvidenceKind | None = None,
                 evidence_ref: str | None = None) -> CaseRow:
    """Move a case one step, if the workflow, the role and the evidence allow it and
    nobody changed the case since ``expected_version`` was read."""
    require(actor, Action.CASES_TRANSITION)
    with store.transaction() as session:
        return cases.advance(session, actor, case_id, expected_version, target, reason,
                             evidence, evidence_ref)


def open_missing_cases(store: Store, actor: Actor) -> int:
    """Open a case for every reported child that has none yet; returns how many."""
    with store.transaction() as session:
        return cases.open_missing(session, actor)

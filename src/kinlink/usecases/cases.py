"""Cases: list them, read one, move one, open the missing ones.

Opening every missing case (after an import links a list, or ``kinlink cases open``) is
bulk work: one read plans it (:func:`kinlink.cases.missing_cases`), then the cases are
written :data:`CHUNK_SIZE` at a time, each batch in a short transaction of its own with
its history and audit events, so that the pages and other people's decisions go on
between batches instead of waiting for the whole store.

Need to know (:mod:`kinlink.usecases.scope`): a case is the agency's to see and move when
the agency sees its reported record; the list and the counts are filtered in the query,
one case out of reach is answered like a missing one (and the refusal audited), and the
child's records another agency holds are counted, never shown. Cases are opened only
within the actor's reach (:mod:`kinlink.cases.opening`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kinlink import cases
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.cases import Case, CaseEvent, CaseStatus, EvidenceKind
from kinlink.domain.clusters import Cluster
from kinlink.domain.permissions import Action, require
from kinlink.search.records import RecordDetail
from kinlink.storage import Store
from kinlink.storage.cases import CaseRepository
from kinlink.storage.casework import CaseworkRepository
from kinlink.usecases.casework import CaseWork
from kinlink.usecases.children import visible_records
from kinlink.usecases.scope import case_in_reach, within_reach

__all__ = ["CHUNK_SIZE", "CaseView", "advance_case", "case_counts", "list_cases",
           "open_cases", "open_cases_in_chunks", "open_missing_cases", "read_case"]

CHUNK_SIZE = 1000
"""Cases opened per transaction (a thousand take well under a second on SQLite)."""


@dataclass(frozen=True)
class CaseView:
    """A case as a person reads it: status and version, history, the child (its records'
    ids and any conflict), and the child's records the person's agency sees (``hidden``:
    how many it does not)."""

    case: Case
    history: list[CaseEvent]
    child: Cluster
    records: list[RecordDetail]
    hidden: int
    work: CaseWork | None = None
    """The contact log and tasks, when asked for (``None``: not read)."""


def list_cases(store: Store, actor: Actor, status: CaseStatus | None = None,
               limit: int = 100) -> list[Case]:
    """The cases the actor's agency sees, oldest first, optionally of one status
    (audited; opens no case)."""
    require(actor, Action.CASES_VIEW)
    with store.transaction() as session:
        found = CaseRepository(session).listing(status, limit, agency_id=actor.agency_id)
        append_event(session, AuditEvent(actor.name, AuditAction.CASES_LISTED, "case", None,
                                         {"status": status.value if status else None,
                                          "shown": len(found)}))
    return found


def case_counts(store: Store, actor: Actor) -> list[tuple[CaseStatus, int]]:
    """How many of the cases the actor's agency sees are in each status, in the
    workflow's order (counts only: no child is shown, so nothing is audited)."""
    require(actor, Action.CASES_VIEW)
    with store.transaction() as session:
        found = CaseRepository(session).counts(actor.agency_id)
    return [(status, found[status]) for status in CaseStatus if found.get(status)]


def read_case(store: Store, actor: Actor, case_id: int, *,
              with_work: bool = False) -> CaseView:
    """One case the actor's agency sees, with its history and the child's records it
    sees; ``with_work``: its contact log and tasks too (:attr:`CaseView.work`).

    One audited read (``case.read`` with the counts of what was read) however much is
    read: the case page asks for the case and its work in this one call, so one view of
    the page is one event in the audit log."""
    require(actor, Action.CASES_VIEW)
    with within_reach(store, actor) as (session, reach):
        case_in_reach(session, reach, case_id)
        found = cases.case_file(session, case_id)
        records, hidden = visible_records(session, actor, found.child.records)
        details: dict[str, object] = {"records": len(records), "hidden": hidden}
        work = None
        if with_work:
            repo = CaseworkRepository(session)
            work = CaseWork(repo.contacts(case_id), repo.tasks(case_id))
            details |= {"contacts": len(work.contacts), "tasks": len(work.tasks)}
        append_event(session, AuditEvent(actor.name, AuditAction.CASE_READ, "case",
                                         str(case_id), details))
    return CaseView(found.case, found.history, found.child, records, hidden, work)


def advance_case(store: Store, actor: Actor, case_id: int, expected_version: int,
                 target: CaseStatus, reason: str, evidence: EvidenceKind | None = None,
                 evidence_ref: str | None = None) -> Case:
    """Move a case one step, if the workflow, the role and the evidence allow it and
    nobody changed the case since ``expected_version`` was read; returns it as it is
    now."""
    require(actor, Action.CASES_TRANSITION)
    with within_reach(store, actor) as (session, reach):
        case_in_reach(session, reach, case_id)
        return cases.advance(session, actor, case_id, expected_version, target, reason,
                             evidence, evidence_ref)


def open_missing_cases(store: Store, actor: Actor) -> int:
    """Open a case for every reported child the actor's agency sees that has no case
    it sees yet (the operator: every child without a case); returns how many.

    The step after an import links a list (the import's own permission covers it, so
    nothing more is required here) and the work of ``kinlink cases open``
    (:func:`open_cases`). Written in batches of :data:`CHUNK_SIZE`, each in its own
    transaction."""
    return open_cases_in_chunks(store, actor)


def open_cases_in_chunks(store: Store, actor: Actor, *, chunk_size: int = CHUNK_SIZE,
                         after_chunk: Callable[[int], None] | None = None) -> int:
    """:func:`open_missing_cases` with its batch size, and ``after_chunk`` called with
    the number opened so far after each batch is committed (progress; tests use it to
    write from another connection between batches)."""
    if chunk_size < 1:
        raise ValueError("a batch holds at least one case")
    with store.transaction() as session:
        planned = cases.missing_cases(session, actor.agency_id)
    opened = 0
    for start in range(0, len(planned), chunk_size):
        with store.transaction() as session:
            opened += cases.open_planned(session, actor, planned[start:start + chunk_size])
        if after_chunk is not None:
            after_chunk(opened)
    return opened


def open_cases(store: Store, actor: Actor) -> int:
    """A person asks to open every missing case (``kinlink cases open``): opening a case
    is a step of the case workflow, so it needs the right to move cases
    (:attr:`Action.CASES_TRANSITION`: supervisors, case workers, mediator liaisons)."""
    require(actor, Action.CASES_TRANSITION)
    return open_missing_cases(store, actor)

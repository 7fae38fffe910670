"""Open cases: one per reported child, for the child's lowest reported record.

A child is the records its links join (:mod:`kinlink.domain.clusters`); a child with a
reported (sought) record and no case yet gets one, opened for its lowest sought record;
a child with a case gets none, however many reports joined it since. Two ways in:

* :func:`open_for_child` — the child of one record, in the caller's transaction (a
  *same* decision opens the case of the child it completed, and no other);
* :func:`missing_cases` then :func:`open_planned` — every child of the store at once:
  one read of every link, decision and case, one union-find, and then the cases written
  in batches, each in a short transaction of its own that the use case holds
  (:func:`kinlink.usecases.cases.open_missing_cases`), so that other people's reads and
  small writes go on between batches.

Each case is opened with the first step of its history (``reported child``) and a
``case.opened`` audit event, in the transaction that writes it, both naming the person
who opened it (and the event their agency).

Need to know: opening acts within the reach of the actor's agency (none: the operator on
the server, every list). A case is opened only for a reported
record of a list that agency sees, and a child "has a case" when it has one the agency
sees: so a decision or an import of agency B never opens a case for agency A's reported
child, and a child reported by two agencies that do not share their lists gets a case for
each (each sees its own). What the operator opens store-wide is one case per child, as
before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_events
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus
from kinlink.domain.clusters import build_clusters
from kinlink.i18n import N_, Wording
from kinlink.storage import Session
from kinlink.storage.accounts import begin_write
from kinlink.storage.cases import CaseRepository, FirstStep
from kinlink.storage.review import ReviewQueries, cluster_of, links_in_force

__all__ = ["FIRST_STEP", "MissingCase", "missing_cases", "open_for_child", "open_planned"]

FIRST_STEP: str = Wording("case.first_step", N_("reported child"))()
"""The reason of every case's first step (a message: a page says it in the reader's
language)."""


@dataclass(frozen=True)
class MissingCase:
    """A child that needs a case: the sought record to open it for, and every record of
    the child (to see, when the case is written, that none of them got one since)."""

    sought_record_pk: int
    records: tuple[int, ...]


def missing_cases(session: Session, agency_id: int | None = None) -> list[MissingCase]:
    """Every child with a reported record ``agency_id`` sees and no case it sees, in the
    order of the records the cases would be opened for (reads only: a plan for
    :func:`open_planned`)."""
    cases = CaseRepository(session)
    sought = cases.sought_without_case(agency_id)
    if not sought:
        return []
    with_case = cases.records_with_case(agency_id=agency_id)
    graph = links_in_force(session)
    wanted = set(sought)
    missing = []
    for child in build_clusters(wanted | with_case, graph.links, graph.different):
        first = next((r for r in child.records if r in wanted), None)
        if first is not None and with_case.isdisjoint(child.records):
            missing.append(MissingCase(first, child.records))
    return sorted(missing, key=lambda m: m.sought_record_pk)


def open_planned(session: Session, actor: Actor, planned: Sequence[MissingCase]) -> int:
    """Open the cases of ``planned`` (made for the actor's agency) in ``session``'s
    transaction, which this starts (holding the write lock from its first statement); a
    child that got a case the agency sees since the plan was made is left alone. Returns
    how many were opened."""
    begin_write(session)
    return _open(session, actor, planned)


def open_for_child(session: Session, actor: Actor, record_pk: int) -> int:
    """Open the case of ``record_pk``'s child if it has a reported record the actor's
    agency sees and no case it sees, for the lowest such record; returns 1 when it
    opened one, else 0. Works in the caller's transaction."""
    child = cluster_of(session, record_pk)
    sought = ReviewQueries(session).sought_among(child.records, agency_id=actor.agency_id)
    if not sought:
        return 0
    return _open(session, actor, [MissingCase(sought[0], child.records)])


def _open(session: Session, actor: Actor, planned: Sequence[MissingCase]) -> int:
    repository = CaseRepository(session)
    taken = repository.records_with_case((r for m in planned for r in m.records),
                                         agency_id=actor.agency_id)
    todo = [m.sought_record_pk for m in planned if taken.isdisjoint(m.records)]
    opened = repository.open_many(todo, CaseStatus.REPORTED,
                                  FirstStep(actor.name, actor.role, FIRST_STEP))
    append_events(session, [
        AuditEvent(actor.name, AuditAction.CASE_OPENED, "case", str(case.id),
                   {"sought_record": case.sought_record_pk, "agency_id": actor.agency_id})
        for case in opened])
    return len(opened)

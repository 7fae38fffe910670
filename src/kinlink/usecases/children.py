"""A child: its records side by side and its cases; the identities it may hide behind."""

from __future__ import annotations

from dataclasses import dataclass

from kinlink import cases, review
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.clusters import Cluster
from kinlink.domain.permissions import Action, require
from kinlink.storage import Store
from kinlink.storage.review_tables import CaseRow
from kinlink.storage.tables import RecordRow

__all__ = ["ChildFile", "read_child"]


@dataclass(frozen=True)
class ChildFile:
    """A child: its records (each with its source), any conflict inside it, its cases."""

    cluster: Cluster
    records: list[RecordRow]
    cases: list[CaseRow]


def read_child(store: Store, actor: Actor, record_pk: int) -> ChildFile:
    """Every record of the child ``record_pk`` belongs to, and its cases (audited)."""
    require(actor, Action.CHILD_VIEW)
    with store.transaction() as session:
        child = review.child_records(session, record_pk)
        found = cases.cases_of(session, child.cluster.records)
        append_event(session, AuditEvent(actor.name, AuditAction.CHILD_READ, "record",
                                         str(record_pk), {
                                             "records": len(child.cluster.records),
                                             "conflicts": len(child.cluster.conflicts)}))
    return ChildFile(child.cluster, child.records, found)

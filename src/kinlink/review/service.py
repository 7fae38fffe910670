"""Review: a person decides on each link; a child is the records their decisions join.

Functions here work in the caller's transaction (a :class:`~kinlink.storage.Session`);
the use cases (:mod:`kinlink.usecases.review`) check the person's permission, hold the
transaction and compose them with the cases a decision opens. Each change writes its
audit event in that same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.clusters import Cluster
from kinlink.domain.decisions import Decision, DecisionVerdict, PairKey
from kinlink.domain.records import RecordView
from kinlink.errors import NOT_THERE, KinlinkError, NotFoundError
from kinlink.i18n import N_, Wording, message_of
from kinlink.storage import Session, candidate_reach
from kinlink.storage.review import DecisionRepository, ReviewQueries, cluster_of

__all__ = ["ChildRecords", "child_records", "record_decision", "take_back"]

DECIDE_OR_UNDO = Wording("review.decide_or_undo", N_(
    "decide same, different or unsure; to take a decision back, undo it"))
NOTHING_TO_UNDO = Wording("review.nothing_to_undo",
                          N_("there is no decision on these records to undo"))


def _pair(session: Session, a: int, b: int) -> PairKey:
    try:
        pair = PairKey.of(a, b)
    except ValueError as exc:
        raise KinlinkError(message_of(exc)) from None
    found = ReviewQueries(session).records((pair.low, pair.high))
    missing = [r for r in (pair.low, pair.high) if r not in found]
    if missing:
        raise NotFoundError(NOT_THERE["record"](id=str(missing[0])))
    return pair


def record_decision(session: Session, actor: Actor, a: int, b: int,
                    verdict: DecisionVerdict, note: str | None = None) -> Decision:
    """Record a person's decision on records ``a`` and ``b``; it supersedes any earlier
    one on the pair, which stays in history."""
    if verdict is DecisionVerdict.NONE:
        raise KinlinkError(DECIDE_OR_UNDO())
    pair = _pair(session, a, b)
    row = DecisionRepository(session).add(pair, verdict, actor.name, note)
    candidate_reach.refresh(session, (pair.low, pair.high))
    append_event(session, AuditEvent(actor.name, AuditAction.DECISION_RECORDED,
                                     "record_pair", f"{pair.low}-{pair.high}", {
                                         "verdict": verdict.value, "decision_id": row.id,
                                         "supersedes": row.supersedes_id}))
    return row


def take_back(session: Session, actor: Actor, a: int, b: int,
              note: str | None = None) -> Decision:
    """Take back the decision in force on the pair: a new decision restores the one it
    superseded (or no decision at all)."""
    pair = _pair(session, a, b)
    decisions = DecisionRepository(session)
    history = decisions.history(pair)
    if not history:
        raise KinlinkError(NOTHING_TO_UNDO())
    current = history[-1]
    previous = next((d for d in history if d.id == current.supersedes_id), None)
    restored = previous.verdict if previous else DecisionVerdict.NONE
    row = decisions.add(pair, restored, actor.name, note or f"undo of decision {current.id}")
    candidate_reach.refresh(session, (pair.low, pair.high))
    append_event(session, AuditEvent(actor.name, AuditAction.DECISION_UNDONE, "record_pair",
                                     f"{pair.low}-{pair.high}", {
                                         "undone": current.id, "decision_id": row.id,
                                         "restored": restored.value}))
    return row


@dataclass(frozen=True)
class ChildRecords:
    """A child: its records, and any conflict inside it."""

    cluster: Cluster
    records: list[RecordView]


def child_records(session: Session, record_pk: int) -> ChildRecords:
    """Every record of the child ``record_pk`` belongs to (not audited: the caller
    audits the read)."""
    if not ReviewQueries(session).records([record_pk]):
        raise NotFoundError(NOT_THERE["record"](id=str(record_pk)))
    cluster = cluster_of(session, record_pk)
    records = ReviewQueries(session).records(cluster.records)
    return ChildRecords(cluster, [records[r] for r in cluster.records])

"""Review: the queue of pairs, a person's decision on a pair, taking it back.

A decision that two records are the same child may join a reported child to found
records: that child's case is opened (if it has none) in the same transaction as the
decision, whatever door the decision came through — that child's only: a decision never
opens the cases of other children, of this agency or another.

Need to know (:mod:`kinlink.usecases.scope`): the queue holds only pairs whose two records
the person's agency sees (filtered in the query), a decision or its undoing is taken only
on such a pair, and the case a *same* decision opens is one the agency sees — for a
reported record of a list it sees, never another agency's.
"""

from __future__ import annotations

from dataclasses import dataclass

from kinlink import cases, review
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.decisions import Decision, DecisionVerdict
from kinlink.domain.permissions import Action, require
from kinlink.linkage import Thresholds, default_spec
from kinlink.storage import Store
from kinlink.storage.review import QueueFilter, QueueItem, ReviewQueries
from kinlink.usecases.mentions import follow_link
from kinlink.usecases.scope import pair_in_reach, within_reach

__all__ = ["DecisionOutcome", "QueueFilter", "QueueItem", "Waiting", "decide_pair",
           "review_queue", "review_waiting", "undo_decision"]


@dataclass(frozen=True)
class DecisionOutcome:
    """The decision now in force, and how many cases it opened (0 or 1)."""

    decision: Decision
    cases_opened: int = 0


def review_queue(store: Store, actor: Actor, where: QueueFilter | None = None,
                 limit: int = 20) -> list[QueueItem]:
    """The review queue of pairs the actor's agency sees both records of, most useful
    first (audited: it shows children's records)."""
    require(actor, Action.REVIEW_VIEW)
    with store.transaction() as session:
        items = ReviewQueries(session).queue(where or QueueFilter(), limit,
                                             agency_id=actor.agency_id)
        append_event(session, AuditEvent(actor.name, AuditAction.REVIEW_QUEUE_READ,
                                         "record_pair", None, {"shown": len(items)}))
    return items


@dataclass(frozen=True)
class Waiting:
    """How many pairs wait for a person, and the thresholds that sent them there."""

    total: int
    """Every pair of the queue the agency sees."""
    filtered: int
    """Those that pass the filters asked for (``total`` when there are none)."""
    by_source: dict[int, int]
    """Pairs waiting per list (a pair between two lists counts for each)."""
    thresholds: Thresholds
    """Automatic link at ``match`` or more, review from ``review`` (the model's)."""


def review_waiting(store: Store, actor: Actor, where: QueueFilter | None = None) -> Waiting:
    """How many pairs wait in the actor's agency's queue, overall, with the filters
    ``where`` and per list, and the thresholds a pair is placed against (counts only:
    no record is read, so nothing is audited)."""
    require(actor, Action.REVIEW_VIEW)
    with store.transaction() as session:
        queries = ReviewQueries(session)
        total = queries.waiting(QueueFilter(), agency_id=actor.agency_id)
        filtered = (total if where is None or where == QueueFilter()
                    else queries.waiting(where, agency_id=actor.agency_id))
        by_source = queries.waiting_by_source(agency_id=actor.agency_id)
    return Waiting(total, filtered, by_source, default_spec().thresholds)


def decide_pair(store: Store, actor: Actor, a: int, b: int, verdict: DecisionVerdict,
                note: str | None = None) -> DecisionOutcome:
    """A person decides whether records ``a`` and ``b`` are the same child (superseding
    any earlier decision, which stays in history); *same* opens the case of the child
    the pair now belongs to if it has a reported record and no case, and brings the
    documents of the child's confirmed mentions that sit on a found record to that case
    (:func:`~kinlink.usecases.mentions.follow_link`), in the same transaction (if that
    fails, the decision is not kept either)."""
    require(actor, Action.REVIEW_DECIDE)
    with within_reach(store, actor) as (session, reach):
        pair_in_reach(session, reach, a, b)
        decision = review.record_decision(session, actor, a, b, verdict, note)
        opened = 0
        if verdict is DecisionVerdict.SAME:
            opened = cases.open_for_child(session, actor, decision.record_low)
            follow_link(session, actor, reach, decision.record_low)
    return DecisionOutcome(decision, opened)


def undo_decision(store: Store, actor: Actor, a: int, b: int,
                  note: str | None = None) -> DecisionOutcome:
    """Take back the decision in force on two records (the one before it returns)."""
    require(actor, Action.REVIEW_DECIDE)
    with within_reach(store, actor) as (session, reach):
        pair_in_reach(session, reach, a, b)
        return DecisionOutcome(review.take_back(session, actor, a, b, note))

"""``/api/v1/children``, ``/api/v1/review`` and ``/api/v1/cases/{id}``: a child's records
side by side, the review queue and decisions, and cases moving to reunification (the
caseload itself, ``/api/v1/cases``, is :mod:`kinlink.api.caseload`).

Each route calls one use case (:mod:`kinlink.usecases.review`, ``.children``,
``.cases``) as the signed-in person (:func:`~kinlink.api.children.actor_of`); the use
cases check the role again against the same matrix, apply the workflow's table and write
the audit events.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from kinlink.accounts import SessionView
from kinlink.api import convert, schemas
from kinlink.api.children import actor_of, steps_from
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.permissions import Action
from kinlink.usecases.cases import advance_case, read_case
from kinlink.usecases.children import possible_identities, read_child
from kinlink.usecases.review import (
    QueueFilter,
    decide_pair,
    review_queue,
    review_waiting,
    undo_decision,
)

__all__ = ["router"]

router = APIRouter(tags=["review and cases"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/children/{record_id}", response_model=schemas.ChildOut)
def read_child_file(record_id: Id, svc: Svc,
                    view: Annotated[SessionView, Depends(allow(Action.CHILD_VIEW))]
                    ) -> schemas.ChildOut:
    """Every record of the child ``record_id`` belongs to (linked by people's decisions
    and automatic links), conflicts, and its cases (audited)."""
    return convert.child(read_child(svc.store, actor_of(view), record_id))


@router.get("/children/{record_id}/identities", response_model=schemas.IdentitiesOut)
def child_identities(record_id: Id, svc: Svc,
                     view: Annotated[SessionView, Depends(allow(Action.CHILD_VIEW))],
                     limit: Annotated[int, Query(ge=1, le=100)] = 25,
                     ) -> schemas.IdentitiesOut:
    """Records of the lists the agency sees that this child may be under another identity
    (renamed on adoption): a sex that does not contradict, a birth date within three
    months, not already the child's nor decided to be another child; ranked by the
    model, each with its explanation (audited)."""
    return convert.identities(possible_identities(svc.store, actor_of(view), record_id,
                                                  limit=limit))


def queue_filter(
    source: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    region: Annotated[str | None, Query(max_length=100, pattern=PRINTABLE)] = None,
    born_from: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    born_to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    min_score: Annotated[float | None, Query(ge=0, le=1)] = None,
) -> QueueFilter:
    """The review queue's filters as query parameters, checked once for both routes that
    take them (the queue and the count waiting)."""
    return QueueFilter(source, region or None, born_from, born_to, min_score)


Filter = Annotated[QueueFilter, Depends(queue_filter)]


@router.get("/review/queue", response_model=list[schemas.QueueItemOut])
def queue(
    svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.REVIEW_VIEW))],
    where: Filter,
    record: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[schemas.QueueItemOut]:
    """Pairs waiting for a decision, most useful first, with the model's reasons
    (``record``: only the pairs of that record, a child's candidates)."""
    if record:
        where = replace(where, records=(record,))
    items = review_queue(svc.store, actor_of(view), where, limit)
    return [convert.queue_item(i) for i in items]


@router.get("/review/waiting", response_model=schemas.WaitingOut)
def waiting(
    svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.REVIEW_VIEW))],
    where: Filter,
) -> schemas.WaitingOut:
    """How many pairs wait for a decision: overall, with these filters (those of
    ``/review/queue``) and per list; and the model's thresholds (counts only)."""
    found = review_waiting(svc.store, actor_of(view), where)
    return schemas.WaitingOut(total=found.total, filtered=found.filtered,
                              by_list=found.by_source,
                              match_threshold=found.thresholds.match,
                              review_threshold=found.thresholds.review)


@router.post("/review/decisions", response_model=schemas.DecisionOut,
             dependencies=[Depends(csrf_header)])
def record_decision(body: schemas.DecisionIn, svc: Svc,
                    view: Annotated[SessionView, Depends(allow(Action.REVIEW_DECIDE))]
                    ) -> schemas.DecisionOut:
    """Decide whether two records are the same child; a ``same`` decision opens a case
    for a reported child that has none."""
    outcome = decide_pair(svc.store, actor_of(view), body.a, body.b, body.verdict,
                          body.note or None)
    return convert.decision(outcome.decision, outcome.cases_opened)


@router.post("/review/undo", response_model=schemas.DecisionOut,
             dependencies=[Depends(csrf_header)])
def undo(body: schemas.UndoIn, svc: Svc,
                  view: Annotated[SessionView, Depends(allow(Action.REVIEW_DECIDE))]
                  ) -> schemas.DecisionOut:
    """Take back the decision in force on two records (the one before it returns)."""
    outcome = undo_decision(svc.store, actor_of(view), body.a, body.b, body.note or None)
    return convert.decision(outcome.decision)


@router.get("/cases/{case_id}", response_model=schemas.CaseFileOut)
def read_case_file(case_id: Id, svc: Svc,
                   view: Annotated[SessionView, Depends(allow(Action.CASES_VIEW))]
                   ) -> schemas.CaseFileOut:
    """A case: status, version, history, the child's records and the steps the caller's
    role may take next (audited)."""
    found = read_case(svc.store, actor_of(view), case_id)
    return convert.case_file(found, steps_from(found.case.status, view))


@router.post("/cases/{case_id}/transitions", response_model=schemas.CaseOut,
             dependencies=[Depends(csrf_header)])
def move_case(case_id: Id, body: schemas.TransitionIn, svc: Svc,
              view: Annotated[SessionView, Depends(allow(Action.CASES_TRANSITION))]
              ) -> schemas.CaseOut:
    """Move a case one step. 409 when someone changed it since ``version`` was read
    (``conflict``) or when the workflow refuses the step (``transition_refused``, with
    the rule in words)."""
    moved = advance_case(svc.store, actor_of(view), case_id, body.version,
                         body.target, body.reason, body.evidence_kind,
                         body.evidence_ref or None)
    return convert.case(moved)

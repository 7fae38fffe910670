"""Place, lift and list legal holds (``kinlink holds …``, the retention page).

A supervisor places a hold on a case, a record (a child as one list saw them), a list or a
document in their agency's reach, with the reference it answers (a prosecutor's request,
a court order) and why; while it is in force nothing it covers is erased, by request or
by retention (:mod:`kinlink.usecases.erasure`). Lifting it is audited with the hold's id;
the reference and reasons stay with the hold, never in the audit log.
"""

from __future__ import annotations

import datetime as dt

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.permissions import Action, require
from kinlink.domain.retention import Hold, HoldTarget
from kinlink.errors import ConflictError, FieldsRefusedError, OutOfReachError
from kinlink.i18n import N_, Wording
from kinlink.listfiles.forms import LONGER_THAN
from kinlink.storage import Session, Store
from kinlink.storage.accounts import begin_write
from kinlink.storage.documents import DocumentRepository
from kinlink.storage.holds import HoldRepository
from kinlink.usecases.document_access import document_in_reach
from kinlink.usecases.scope import (
    Reach,
    case_in_reach,
    owning_agency,
    record_in_reach,
    within_reach,
)

__all__ = ["HOLD_LIFTED_ALREADY", "holds_of", "lift_hold", "list_holds", "place_hold"]

SAY_REFERENCE = Wording("holds.say_reference", N_(
    "give the hold's reference: the prosecutor's request or the court order it answers"))
SAY_WHY = Wording("holds.say_why", N_("say why"))
HOLD_LIFTED_ALREADY = Wording("holds.lifted_already", N_(
    "legal hold {hold} was lifted already"))

_MAX_REFERENCE = 300
_MAX_REASON = 2000


def _checked(fields: dict[str, tuple[str, int]]) -> dict[str, str]:
    """The stripped values; refuses empty or too long ones, naming the field."""
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for name, (value, limit) in fields.items():
        values[name] = value.strip()
        if not values[name]:
            errors[name] = SAY_REFERENCE() if name == "reference" else SAY_WHY()
        elif len(values[name]) > limit:
            errors[name] = LONGER_THAN(limit=limit)
    if errors:
        raise FieldsRefusedError(errors)
    return values


def _target_in_reach(session: Session, reach: Reach, actor: Actor, target: HoldTarget,
                     target_id: int) -> None:
    if target is HoldTarget.CASE:
        case_in_reach(session, reach, target_id)
    elif target is HoldTarget.RECORD:
        record_in_reach(session, reach, target_id)
    elif target is HoldTarget.DOCUMENT:
        document_in_reach(session, reach, actor, target_id)
    elif not (reach.sees(target_id) and DocumentRepository(session).source_exists(target_id)):
        raise OutOfReachError("source", target_id)


def place_hold(store: Store, actor: Actor, target: HoldTarget, target_id: int,
               reference: str, reason: str, *, now: dt.datetime | None = None) -> Hold:
    """Place a legal hold on ``target`` ``target_id`` (audited ``hold.placed``)."""
    require(actor, Action.HOLDS_MANAGE)
    values = _checked({"reference": (reference, _MAX_REFERENCE),
                       "reason": (reason, _MAX_REASON)})
    with within_reach(store, actor) as (session, reach):
        begin_write(session)
        _target_in_reach(session, reach, actor, target, target_id)
        hold = HoldRepository(session).place(
            agency_id=owning_agency(actor), target=target, target_id=target_id,
            reference=values["reference"], reason=values["reason"], placed_by=actor.name,
            placed_at=now or dt.datetime.now(dt.UTC))
        append_event(session, AuditEvent(actor.name, AuditAction.HOLD_PLACED, "hold",
                                         str(hold.id), {"target": target.value,
                                                        "target_id": target_id}))
    return hold


def lift_hold(store: Store, actor: Actor, hold_id: int, reason: str, *,
              now: dt.datetime | None = None) -> Hold:
    """Lift a hold of the actor's agency (audited ``hold.lifted``; the reason is kept with
    the hold)."""
    require(actor, Action.HOLDS_MANAGE)
    values = _checked({"reason": (reason, _MAX_REASON)})
    with within_reach(store, actor) as (session, reach):
        begin_write(session)
        repo = HoldRepository(session)
        found = repo.get(hold_id)
        if found is None or not reach.owns(found.agency_id):
            raise OutOfReachError("hold", hold_id)
        if not repo.lift(hold_id, by=actor.name, at=now or dt.datetime.now(dt.UTC),
                         reason=values["reason"]):
            raise ConflictError(HOLD_LIFTED_ALREADY(hold=hold_id))
        append_event(session, AuditEvent(actor.name, AuditAction.HOLD_LIFTED, "hold",
                                         str(hold_id), {"target": found.target.value,
                                                        "target_id": found.target_id}))
        lifted = repo.get(hold_id)
    assert lifted is not None
    return lifted


def list_holds(store: Store, actor: Actor, *, active_only: bool = False) -> list[Hold]:
    """The holds of the actor's agency (the operator's: every agency's), newest first
    (audited ``holds.listed`` with the count)."""
    require(actor, Action.HOLDS_VIEW)
    with store.transaction() as session:
        begin_write(session)
        found = HoldRepository(session).listing(actor.agency_id, active_only=active_only)
        append_event(session, AuditEvent(actor.name, AuditAction.HOLDS_LISTED, "hold", None,
                                         {"count": len(found)}))
    return found


def holds_of(store: Store, actor: Actor, target: HoldTarget, target_id: int) -> list[Hold]:
    """The holds placed on one case, record, list or document of the actor's agency,
    in force or lifted, newest first (audited ``holds.listed`` with the count)."""
    require(actor, Action.HOLDS_VIEW)
    with store.transaction() as session:
        begin_write(session)
        found = [h for h in HoldRepository(session).listing(actor.agency_id)
                 if h.target is target and h.target_id == target_id]
        append_event(session, AuditEvent(actor.name, AuditAction.HOLDS_LISTED, "hold", None,
                                         {"count": len(found), "target": target.value,
                                          "target_id": target_id}))
    return found

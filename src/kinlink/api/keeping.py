"""Keeping and letting go (issue 19) in the JSON API: legal holds, erasure, retention
rules and their plan and run, and the list of backups.

``/api/v1/holds`` (list, place, lift), ``/api/v1/erasures`` (what an erasure would do,
and doing it: a refusal names the hold), ``/api/v1/retention/…`` (rules, plan, run) and
``/api/v1/backups`` (names, dates, sizes: no backup is ever sent through the web). Each
route calls one use case as the signed-in person, as the pages and commands do.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi import status as http
from pydantic import BaseModel, Field

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.domain.permissions import Action
from kinlink.domain.retention import (
    Anchor,
    ErasureBasis,
    ErasureKind,
    FieldGroup,
    Hold,
    HoldTarget,
    PlannedErasure,
    RetentionRule,
    RuleSpec,
)
from kinlink.usecases import backups, erasure, holds, retention

__all__ = ["HoldOut", "router"]

router = APIRouter(tags=["keeping"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
CSRF = [Depends(csrf_header)]
HoldViewer = Annotated[SessionView, Depends(allow(Action.HOLDS_VIEW))]
HoldManager = Annotated[SessionView, Depends(allow(Action.HOLDS_MANAGE))]
Eraser = Annotated[SessionView, Depends(allow(Action.DATA_ERASE))]
RuleViewer = Annotated[SessionView, Depends(allow(Action.RETENTION_VIEW))]
RuleManager = Annotated[SessionView, Depends(allow(Action.RETENTION_MANAGE))]
Operator = Annotated[SessionView, Depends(allow(Action.STORE_BACKUP))]


class HoldOut(BaseModel):
    """A legal hold: on what, its reference and reason, who placed and lifted it."""

    id: int
    target: HoldTarget
    target_id: int
    reference: str
    reason: str
    placed_by: str
    placed_at: dt.datetime
    lifted_by: str | None
    lifted_at: dt.datetime | None
    lift_reason: str | None
    active: bool

    @classmethod
    def of(cls, hold: Hold) -> HoldOut:
        """The hold as the API shows it."""
        return cls(id=hold.id, target=hold.target, target_id=hold.target_id,
                   reference=hold.reference, reason=hold.reason, placed_by=hold.placed_by,
                   placed_at=hold.placed_at, lifted_by=hold.lifted_by,
                   lifted_at=hold.lifted_at, lift_reason=hold.lift_reason,
                   active=hold.active)


class HoldIn(BaseModel):
    """A hold to place: on what, the reference it answers and why."""

    target: HoldTarget
    target_id: int = Field(ge=1, le=2**31 - 1)
    reference: str = Field(max_length=300)
    reason: str = Field(max_length=2000)


class ReasonIn(BaseModel):
    """Why (a hold is lifted)."""

    reason: str = Field(max_length=2000)


class ErasureIn(BaseModel):
    """What to erase, why and on which basis."""

    kind: ErasureKind
    id: int = Field(ge=1, le=2**31 - 1)
    reason: str = Field(max_length=2000)
    basis: ErasureBasis = ErasureBasis.REQUEST


class PreviewOut(BaseModel):
    """What an erasure would do: the tables whose values would go, how many records,
    documents and files go along, the holds that forbid it, when it was erased already."""

    kind: ErasureKind
    id: int
    tables: list[str]
    records: int
    documents: int
    files: int
    holds: list[HoldOut]
    erased_at: dt.datetime | None


class RuleOut(BaseModel):
    """A retention rule: of one agency's data (``agency_id``) or every agency's (null)."""

    id: int
    agency_id: int | None
    group: FieldGroup
    anchor: Anchor
    keep_days: int
    source_kind: str | None
    case_status: str | None
    note: str
    active: bool
    set_by: str
    set_at: dt.datetime

    @classmethod
    def of(cls, rule: RetentionRule) -> RuleOut:
        """The rule as the API shows it."""
        spec = rule.spec
        return cls(id=rule.id, agency_id=rule.agency_id, group=spec.group, anchor=spec.anchor,
                   keep_days=spec.keep_days, source_kind=spec.source_kind,
                   case_status=spec.case_status, note=spec.note, active=rule.active,
                   set_by=rule.set_by, set_at=rule.set_at)


class RuleIn(BaseModel):
    """A rule to add."""

    group: FieldGroup
    anchor: Anchor
    keep_days: int = Field(ge=1, le=36500)
    source_kind: str | None = Field(default=None, max_length=32)
    case_status: str | None = Field(default=None, max_length=24)
    note: str = Field(default="", max_length=500)


class ActiveIn(BaseModel):
    """Whether a rule is in force."""

    active: bool


class PlannedOut(BaseModel):
    """One thing a retention run would erase, and the hold that keeps it."""

    kind: ErasureKind
    id: int
    rule: int
    due_since: dt.date
    held_by: int | None


class BackupOut(BaseModel):
    """A backup in the backup folder: name, when written, size, verified."""

    name: str
    written_at: dt.datetime
    size: int
    verified: bool


@router.get("/holds", response_model=list[HoldOut])
def list_holds(svc: Svc, view: HoldViewer,
               active: Annotated[bool, Query()] = False) -> list[HoldOut]:
    """Every legal hold of your agency, newest first (``active``: in force only)."""
    found = holds.list_holds(svc.store, actor_of(view), active_only=active)
    return [HoldOut.of(h) for h in found]


@router.post("/holds", response_model=HoldOut, status_code=http.HTTP_201_CREATED,
             dependencies=CSRF)
def place_hold(body: HoldIn, svc: Svc, view: HoldManager) -> HoldOut:
    """Place a legal hold on a case, record, list or document (supervisors)."""
    return HoldOut.of(holds.place_hold(svc.store, actor_of(view), body.target,
                                       body.target_id, body.reference, body.reason))


@router.post("/holds/{hold_id}/lift", response_model=HoldOut, dependencies=CSRF)
def lift_hold(hold_id: Id, body: ReasonIn, svc: Svc, view: HoldManager) -> HoldOut:
    """Lift a legal hold, saying why (supervisors)."""
    return HoldOut.of(holds.lift_hold(svc.store, actor_of(view), hold_id, body.reason))


@router.get("/erasures/preview", response_model=PreviewOut)
def preview(svc: Svc, view: Eraser, kind: Annotated[ErasureKind, Query()],
            id: Annotated[int, Query(ge=1, le=2**31 - 1)]) -> PreviewOut:
    """What erasing ``kind`` ``id`` would do; nothing is changed."""
    found = erasure.preview_erasure(svc.store, actor_of(view), kind, id)
    return PreviewOut(kind=kind, id=id, tables=list(found.tables), records=found.records,
                      documents=found.documents, files=found.files,
                      holds=[HoldOut.of(h) for h in found.holds],
                      erased_at=found.erased.erased_at if found.erased else None)


@router.post("/erasures", status_code=http.HTTP_201_CREATED, dependencies=CSRF)
def erase(body: ErasureIn, svc: Svc, view: Eraser) -> dict[str, object]:
    """Erase a record, a reporter, a list, a document, a case's notes or photograph;
    refused (409) naming the hold while one covers it. The store is compacted after."""
    done = erasure.erase(svc.evidence, actor_of(view), body.kind, body.id, body.reason,
                         basis=body.basis, compact_after=True)
    return done.as_dict()


@router.get("/retention/rules", response_model=list[RuleOut])
def rules(svc: Svc, view: RuleViewer) -> list[RuleOut]:
    """Every retention rule, in force or not."""
    return [RuleOut.of(r) for r in retention.retention_rules(svc.store, actor_of(view))]


@router.post("/retention/rules", response_model=RuleOut, status_code=http.HTTP_201_CREATED,
             dependencies=CSRF)
def add_rule(body: RuleIn, svc: Svc, view: RuleManager) -> RuleOut:
    """Add a retention rule in force."""
    spec = RuleSpec(body.group, body.anchor, body.keep_days, body.source_kind,
                    body.case_status, body.note)
    return RuleOut.of(retention.add_rule(svc.store, actor_of(view), spec))


@router.post("/retention/rules/{rule_id}/active", response_model=RuleOut, dependencies=CSRF)
def set_active(rule_id: Id, body: ActiveIn, svc: Svc, view: RuleManager) -> RuleOut:
    """Put a rule in or out of force."""
    return RuleOut.of(retention.set_rule_active(svc.store, actor_of(view), rule_id,
                                                body.active))


def _planned(found: list[PlannedErasure]) -> list[PlannedOut]:
    return [PlannedOut(kind=p.kind, id=p.target_id, rule=p.rule_id, due_since=p.due_since,
                       held_by=p.held_by.id if p.held_by else None) for p in found]


@router.get("/retention/plan", response_model=list[PlannedOut])
def plan(svc: Svc, view: RuleManager) -> list[PlannedOut]:
    """What the rules in force would erase today, and what a hold keeps."""
    return _planned(retention.plan(svc.store, actor_of(view)))


@router.post("/retention/run", dependencies=CSRF)
def run(svc: Svc, view: RuleManager) -> dict[str, object]:
    """Erase what the rules find due, skipping what a hold keeps; then compact."""
    return retention.run(svc.evidence, actor_of(view)).as_dict()


@router.get("/backups", response_model=list[BackupOut])
def list_backups(svc: Svc, view: Operator) -> list[BackupOut]:
    """The backups in the backup folder (no download: a backup holds personal data)."""
    return [BackupOut(name=b.name, written_at=b.written_at, size=b.size, verified=b.verified)
            for b in backups.list_backups(svc.store, svc.settings, actor_of(view))]

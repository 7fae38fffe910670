"""Keeping and letting go (issue 19) in the pages: legal holds, erasure with a
confirmation step, the retention rules with their plan and run, and the backups' list.

The "Legal holds" section of the case and document pages posts to ``/holds`` and
``/holds/{id}/lift`` and comes back; ``/admin/holds`` lists every hold of the agency.
``/erase`` shows what an erasure would take and what stays, and the holds that forbid it,
before the supervisor confirms with a reason and a basis. JSON twins: ``/api/v1/holds``,
``/api/v1/erasures/preview``, ``/api/v1/retention/rules``, ``/api/v1/backups``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.context import Services
from kinlink.api.deps import allow, csrf_form
from kinlink.api.errors import status_for
from kinlink.domain.permissions import Action, allowed
from kinlink.domain.retention import (
    DEFAULT_RULES,
    Anchor,
    ErasureBasis,
    ErasureKind,
    FieldGroup,
    HoldTarget,
    RuleSpec,
)
from kinlink.domain.users import UserRole
from kinlink.errors import FieldsRefusedError, HeldError
from kinlink.usecases import backups, erasure, holds, retention
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import pages

__all__ = ["keeping_context", "router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
CSRF = [Depends(csrf_form)]
HoldViewer = Annotated[SessionView, Depends(allow(Action.HOLDS_VIEW))]
HoldManager = Annotated[SessionView, Depends(allow(Action.HOLDS_MANAGE))]
Eraser = Annotated[SessionView, Depends(allow(Action.DATA_ERASE))]
RuleViewer = Annotated[SessionView, Depends(allow(Action.RETENTION_VIEW))]
RuleManager = Annotated[SessionView, Depends(allow(Action.RETENTION_MANAGE))]
Operator = Annotated[SessionView, Depends(allow(Action.STORE_BACKUP))]
Text = Annotated[str, Form(max_length=2000)]
Back = Annotated[str, Form(max_length=200, pattern=r"^/[a-z][a-z0-9/_-]*$")]

_PAGES = {ErasureKind.RECORD: "/records/{id}", ErasureKind.REPORTER: "/records/{id}",
          ErasureKind.DOCUMENT: "/documents/{id}", ErasureKind.SOURCE: "/sources",
          ErasureKind.CASE_NOTES: "/cases/{id}", ErasureKind.CASE_PHOTO: "/cases/{id}"}
"""Where an erasure goes back to: the page of what was erased."""


@router.get("/admin/holds", response_class=HTMLResponse)
def holds_page(request: Request, svc: Svc, view: HoldViewer) -> HTMLResponse:
    """Every legal hold of the agency, in force and lifted; supervisors lift them here."""
    return pages(request).render(request, "holds.html", {
        "holds": holds.list_holds(svc.store, actor_of(view)), "back": "/admin/holds",
        "json_twin": "/api/v1/holds"})


@router.post("/holds", dependencies=CSRF)
def place(svc: Svc, view: HoldManager, target: Annotated[HoldTarget, Form()],
          target_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
          reference: Annotated[str, Form(max_length=300)], reason: Text,
          back: Back = "/admin/holds") -> Response:
    """Place a legal hold, then go back to the page it was placed from."""
    holds.place_hold(svc.store, actor_of(view), target, target_id, reference, reason)
    return see_other(back)


@router.post("/holds/{hold_id}/lift", dependencies=CSRF)
def lift(hold_id: Id, svc: Svc, view: HoldManager, reason: Text,
         back: Back = "/admin/holds") -> Response:
    """Lift a legal hold with the reason, then go back."""
    holds.lift_hold(svc.store, actor_of(view), hold_id, reason)
    return see_other(back)


def _erase_page(request: Request, svc: Svc, view: SessionView, kind: ErasureKind,
                target_id: int, *, error: Any = None, reason: str = "",
                status_code: int = 200) -> HTMLResponse:
    found = erasure.preview_erasure(svc.store, actor_of(view), kind, target_id)
    return pages(request).render(request, "erase.html", {
        "preview": found, "error": error, "reason": reason,
        "bases": [b.value for b in ErasureBasis],
        "back": _PAGES[kind].format(id=target_id),
        "json_twin": f"/api/v1/erasures/preview?kind={kind.value}&id={target_id}"},
        status_code=status_code)


@router.get("/erase", response_class=HTMLResponse)
def erase_page(request: Request, svc: Svc, view: Eraser,
               kind: Annotated[ErasureKind, Query()],
               id: Annotated[int, Query(ge=1, le=2**31 - 1)]) -> HTMLResponse:
    """The confirmation step: what would go, what stays, the holds that forbid it."""
    return _erase_page(request, svc, view, kind, id)


@router.post("/erase", dependencies=CSRF)
def erase(request: Request, svc: Svc, view: Eraser, kind: Annotated[ErasureKind, Form()],
          id: Annotated[int, Form(ge=1, le=2**31 - 1)],
          reason: Text = "", basis: Annotated[ErasureBasis, Form()] = ErasureBasis.REQUEST
          ) -> Response:
    """Erase, then show the erased thing's page; a hold or a missing reason brings the
    confirmation step back with the refusal."""
    try:
        erasure.erase(svc.evidence, actor_of(view), kind, id, reason, basis=basis,
                      compact_after=True)
    except (HeldError, FieldsRefusedError) as refused:
        said = ([refused.text] if isinstance(refused, HeldError)
                else list(refused.fields.values()))
        return _erase_page(request, svc, view, kind, id, error=said, reason=reason,
                           status_code=status_for(refused)[0])
    return see_other(_PAGES[kind].format(id=id))


@router.get("/admin/retention", response_class=HTMLResponse)
def retention_page(request: Request, svc: Svc, view: RuleViewer,
                   ran: Annotated[str, Query(pattern=r"^(|\d{1,9}-\d{1,9})$")] = ""
                   ) -> HTMLResponse:
    """The retention rules; for those who apply them, the plan and "Run now"."""
    actor = actor_of(view)
    manages = allowed(view.role, Action.RETENTION_MANAGE)
    erased, held = (int(n) for n in ran.split("-")) if ran else (None, None)
    rules = retention.retention_rules(svc.store, actor)
    store_wide = view.role is UserRole.ADMIN
    return pages(request).render(request, "retention.html", {
        "rules": rules, "changes_store_wide": store_wide,
        "default_notes": {spec.note for spec in DEFAULT_RULES},
        "changeable": {r.id for r in rules if manages and (r.agency_id is not None
                                                            or store_wide)},
        "plan": retention.plan(svc.store, actor) if manages else None,
        "groups": [g.value for g in FieldGroup], "anchors": [a.value for a in Anchor],
        "ran": ran, "erased": erased, "held": held,
        "json_twin": "/api/v1/retention/rules"})


@router.post("/admin/retention/rules", dependencies=CSRF)
def add_rule(svc: Svc, view: RuleManager, group: Annotated[FieldGroup, Form()],
             anchor: Annotated[Anchor, Form()],
             keep_days: Annotated[int, Form(ge=1, le=36500)],
             note: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Add a retention rule in force."""
    retention.add_rule(svc.store, actor_of(view), RuleSpec(group, anchor, keep_days,
                                                           note=note.strip()))
    return see_other("/admin/retention")


@router.post("/admin/retention/rules/{rule_id}", dependencies=CSRF)
def set_rule(rule_id: Id, svc: Svc, view: RuleManager,
             active: Annotated[bool, Form()] = False) -> Response:
    """Put a rule in force or out of it."""
    retention.set_rule_active(svc.store, actor_of(view), rule_id, active)
    return see_other("/admin/retention")


@router.post("/admin/retention/run", dependencies=CSRF)
def run(svc: Svc, view: RuleManager) -> Response:
    """Apply the rules now (what a hold keeps is skipped), then show the page again."""
    done = retention.run(svc.evidence, actor_of(view))
    return see_other(f"/admin/retention?ran={len(done.erased)}-{len(done.held)}")


@router.get("/admin/backups", response_class=HTMLResponse)
def backups_page(request: Request, svc: Svc, view: Operator) -> HTMLResponse:
    """The backups in the backup folder: name, date, size, verified; no download."""
    return pages(request).render(request, "backups.html", {
        "backups": backups.list_backups(svc.store, svc.settings, actor_of(view)),
        "folder": svc.settings.effective_backup_dir, "json_twin": "/api/v1/backups",
        "restore": Markup('<code translate="no">kinlink restore</code>')})


def keeping_context(svc: Services, view: SessionView, target: HoldTarget, target_id: int,
                    erased: tuple[ErasureKind, int], back: str) -> dict[str, Any]:
    """What a case, document or record page needs for its "Legal holds" section (shown
    to those who see holds) and its "erased on …" notice."""
    shown = allowed(view.role, Action.HOLDS_VIEW)
    return {"holds": holds.holds_of(svc.store, actor_of(view), target, target_id)
            if shown else [], "holds_shown": shown, "hold_target": target.value,
            "hold_id": target_id, "back": back,
            "erased": erasure.erasure_of(svc.store, *erased)}

"""Cases: one case with its owner, its history and the form that moves it (the list of
cases is the caseload, :mod:`kinlink.web.pages.caseload`).

JSON twins: ``/api/v1/cases/{id}`` and
``/api/v1/cases/{id}/transitions``. The form offers only the steps the person's role may
take from the case's status; it carries the version read, so a case someone changed in
the meantime is never overwritten (the page says so, with status 409).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.children import EVIDENCE_KINDS, actor_of, steps_from
from kinlink.api.context import Services
from kinlink.api.deps import allow, csrf_form
from kinlink.api.errors import status_for
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.permissions import Action
from kinlink.domain.retention import ErasureKind, HoldTarget
from kinlink.errors import ConflictError, KinlinkError, TransitionRefusedError
from kinlink.usecases.cases import advance_case, read_case
from kinlink.web.case_work import case_work_context
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import pages
from kinlink.web.pages.keeping import keeping_context
from kinlink.web.pages.owners import owner_context

__all__ = ["case_page_with", "router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
STATUSES = [s.value for s in CaseStatus]


def _case_page(request: Request, svc: Services, view: SessionView, case_id: int,
               extra: dict[str, Any] | None = None, status_code: int = 200,
               sent_version: int | None = None) -> HTMLResponse:
    found = read_case(svc.store, actor_of(view), case_id, with_work=True)
    assert found.work is not None
    stale = found.case.version if sent_version not in (None, found.case.version) else None
    context: dict[str, Any] = {
        "file": found, "records": found.records, "hidden": found.hidden,
        "steps": steps_from(found.case.status, view), "evidence_kinds": EVIDENCE_KINDS,
        "error": None, "stale": stale, "moved": False, "photo": False, "bundle_error": None,
        "form": {"target": "", "evidence_kind": "", "evidence_ref": "", "reason": ""},
        "json_twin": f"/api/v1/cases/{case_id}"}
    context.update(owner_context(svc, view, found.case))
    context.update(case_work_context(svc, view, found.work))  # contacts and tasks
    context.update(keeping_context(svc, view, HoldTarget.CASE, case_id,
                                   (ErasureKind.RECORD, found.case.sought_record_pk),
                                   f"/cases/{case_id}"))
    context.update(extra or {})
    return pages(request).render(request, "case.html", context, status_code=status_code)


def case_page_with(request: Request, svc: Services, view: SessionView, case_id: int,
                   extra: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """The case page with ``extra`` in its context (a form of another module refused)."""
    return _case_page(request, svc, view, case_id, extra, status_code)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: Id, svc: Svc,
              view: Annotated[SessionView, Depends(allow(Action.CASES_VIEW))],
              moved: Annotated[bool, Query()] = False,
              photo: Annotated[bool, Query()] = False,
              claimed: Annotated[bool, Query()] = False,
              assigned: Annotated[bool, Query()] = False,
              logged: Annotated[bool, Query()] = False,
              task_added: Annotated[bool, Query()] = False) -> HTMLResponse:
    """A case: its owner, status, version, history with reasons and evidence, the child's
    records, the form to move it and the one to attach a photograph for dossiers, its
    contact log and tasks with their forms."""
    return _case_page(request, svc, view, case_id, {"moved": moved, "photo": photo,
                                                    "claimed": claimed, "assigned": assigned,
                                                    "logged": logged,
                                                    "task_added": task_added})


@router.post("/cases/{case_id}/advance", dependencies=[Depends(csrf_form)])
def advance_form(
    request: Request, case_id: Id, svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.CASES_TRANSITION))],
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    target: Annotated[CaseStatus, Form()],
    reason: Annotated[str, Form(max_length=2000, pattern=PRINTABLE)] = "",
    evidence_kind: Annotated[str, Form(pattern="^(|" + "|".join(EVIDENCE_KINDS) + ")$")] = "",
    evidence_ref: Annotated[str, Form(max_length=1000, pattern=PRINTABLE)] = "",
) -> Response:
    """Move the case one step; a refusal or a stale version shows the case again with
    the reason and the form as it was sent."""
    try:
        advance_case(svc.store, actor_of(view), case_id, version, target, reason,
                     EvidenceKind(evidence_kind) if evidence_kind else None,
                     evidence_ref.strip() or None)
    except (ConflictError, TransitionRefusedError) as exc:
        return _refused(request, svc, view, case_id, version, exc, status_for(exc)[0],
                        target, reason, evidence_kind, evidence_ref)
    except KinlinkError as exc:
        if type(exc) is not KinlinkError:
            raise
        return _refused(request, svc, view, case_id, version, exc, status_for(exc)[0],
                        target, reason, evidence_kind, evidence_ref)
    return see_other(f"/cases/{case_id}?moved=true")


def _refused(request: Request, svc: Services, view: SessionView, case_id: int,
             version: int, exc: KinlinkError, status_code: int, target: CaseStatus,
             reason: str, evidence_kind: str, evidence_ref: str) -> HTMLResponse:
    return _case_page(request, svc, view, case_id, {
        "error": exc.text,
        "form": {"target": target.value, "evidence_kind": evidence_kind,
                 "evidence_ref": evidence_ref, "reason": reason}}, status_code, version)

"""Imports: upload a list, watch it being read, linked and its cases opened, read the
result and download the error report. JSON twins: ``/api/v1/imports``,
``/api/v1/imports/jobs/{id}``, ``/api/v1/imports/{id}`` (the CSV reports are the same
files for both)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.deps import allow, csrf_form
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.limits import MIB
from kinlink.domain.permissions import Action
from kinlink.domain.progress import Stage
from kinlink.domain.records import Role, SourceKind
from kinlink.usecases.jobs import UploadDescription
from kinlink.usecases.sources import list_runs, read_run
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import pages

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Viewer = Annotated[SessionView, Depends(allow(Action.IMPORTS_VIEW))]
OptionalText = Annotated[str, Form(max_length=300, pattern=PRINTABLE)]


@router.get("/imports", response_class=HTMLResponse)
def imports_page(request: Request, svc: Svc, view: Viewer) -> HTMLResponse:
    """The upload form and the agency's import runs."""
    return pages(request).render(request, "imports.html", {
        "runs": list_runs(svc.store, view.principal.acting),
        "kinds": [k.value for k in SourceKind],
        "json_twin": "/api/v1/imports", "max_mb": svc.settings.limits.upload_mb,
        "uploads": svc.jobs.recent(view.principal.acting), "limits": svc.settings.limits})


@router.post("/imports", dependencies=[Depends(csrf_form)])
async def upload(
    svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.IMPORTS_CREATE))],
    file: Annotated[UploadFile, File()],
    kind: Annotated[SourceKind, Form()] = SourceKind.LIST,
    role: Annotated[str, Form(pattern="^(|sought|found)$")] = "",
    title: OptionalText = "",
    producer: OptionalText = "",
    received_on: Annotated[str, Form(pattern=r"^(|\d{4}-\d{2}-\d{2})$")] = "",
    link: Annotated[str, Form(pattern="^(|1)$")] = "",
    force: Annotated[str, Form(pattern="^(|1)$")] = "",
) -> Response:
    """Start importing the uploaded list (and linking it, when the box is ticked: an
    unticked checkbox sends nothing; again even if the same file was imported before,
    when "import again anyway" is ticked); then watch it on the job's page."""
    data = await file.read(svc.settings.limits.upload_mb * MIB + 1)
    received = dt.date.fromisoformat(received_on) if received_on else None
    about = UploadDescription(kind, Role(role) if role else None, title.strip() or None,
                              producer.strip() or None, received, link=link == "1",
                              force=force == "1")
    state = await run_in_threadpool(svc.jobs.submit, view.principal.acting,
                                    file.filename or "list", data, about)
    return see_other(f"/imports/jobs/{state.id}")


@router.get("/imports/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, svc: Svc, view: Viewer,
             job_id: Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
             ) -> HTMLResponse:
    """Progress of an upload's import, stage by stage (the page refreshes itself while it
    runs), then its counts and the way to its pairs in review."""
    state = svc.jobs.get(view.principal.acting, job_id)
    stages = [s for s in Stage if state.link or s is Stage.READING]
    return pages(request).render(request, "job.html", {
        "job": state, "stages": stages, "current": stages.index(state.stage)
        if state.stage in stages else 0, "json_twin": f"/api/v1/imports/jobs/{job_id}"})


@router.post("/imports/jobs/{job_id}/cancel", dependencies=[Depends(csrf_form)])
def cancel(svc: Svc, view: Annotated[SessionView, Depends(allow(Action.IMPORTS_CREATE))],
           job_id: Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
           ) -> Response:
    """Cancel an upload's import, then show its page (it says when the import stopped)."""
    svc.jobs.cancel(view.principal.acting, job_id)
    return see_other(f"/imports/jobs/{job_id}")


@router.get("/imports/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: Id, svc: Svc, view: Viewer) -> HTMLResponse:
    """One import: counts, the first problems, the error report to download."""
    run, issues, total = read_run(svc.store, view.principal.acting, run_id)
    return pages(request).render(request, "run.html", {
        "run": run, "issues": issues, "issues_total": total,
        "json_twin": f"/api/v1/imports/{run_id}"})

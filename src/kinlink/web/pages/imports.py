"""Imports: upload a list (its kind said, never guessed), preview its first rows with
the field each header maps to and map the headers kinlink does not recognise (saved for
the producer's next list), then watch it being read, linked and its cases opened, read
the result and download the error report. JSON twins: ``/api/v1/imports``,
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
from kinlink.i18n import N_
from kinlink.listfiles.columns import FIELDS
from kinlink.pprl.pairs import MAX_BYTES, PairsRefusedError, Side
from kinlink.usecases.import_preview import (
    cancel_preview,
    confirm_preview,
    read_preview,
    start_preview,
)
from kinlink.usecases.jobs import UploadDescription
from kinlink.usecases.remote_candidates import MAX_PARTY, PairsImported, import_pairs
from kinlink.usecases.sources import list_runs, list_sources, read_run
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import pages

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Viewer = Annotated[SessionView, Depends(allow(Action.IMPORTS_VIEW))]
Creator = Annotated[SessionView, Depends(allow(Action.IMPORTS_CREATE))]
OptionalText = Annotated[str, Form(max_length=300, pattern=PRINTABLE)]
Token = Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("/imports", response_class=HTMLResponse)
def imports_page(request: Request, svc: Svc, view: Viewer) -> HTMLResponse:
    """The upload form and the agency's import runs."""
    return _imports(request, svc, view)


def _imports(request: Request, svc: Svc, view: SessionView, errors: dict[str, str] | None
             = None, status_code: int = 200, *, pairs_refused: PairsRefusedError | None
             = None, pairs_done: PairsImported | None = None) -> HTMLResponse:
    return pages(request).render(request, "imports.html", {
        "runs": list_runs(svc.store, view.principal.acting),
        "own_lists": [s for s in list_sources(svc.store, view.principal.acting) if s.own],
        "pairs_refused": pairs_refused, "pairs_done": pairs_done,
        "kinds": [k.value for k in SourceKind], "errors": errors or {},
        "json_twin": "/api/v1/imports", "max_mb": svc.settings.limits.upload_mb,
        "uploads": svc.jobs.recent(view.principal.acting), "limits": svc.settings.limits},
        status_code=status_code)


@router.post("/imports", dependencies=[Depends(csrf_form)])
async def upload(
    request: Request,
    svc: Svc,
    view: Creator,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form(max_length=40)] = "",
    role: Annotated[str, Form(pattern="^(|sought|found)$")] = "",
    title: OptionalText = "",
    producer: OptionalText = "",
    received_on: Annotated[str, Form(pattern=r"^(|\d{4}-\d{2}-\d{2})$")] = "",
    link: Annotated[str, Form(pattern="^(|1)$")] = "",
    force: Annotated[str, Form(pattern="^(|1)$")] = "",
) -> Response:
    """Keep the uploaded list and show its preview (to be imported, and linked when the
    box is ticked: an unticked checkbox sends nothing; again even if the same file was
    imported before, when "import again anyway" is ticked). Without its kind, the form
    comes back (422) saying so."""
    if kind not in {k.value for k in SourceKind}:
        return _imports(request, svc, view, {"kind": N_("Choose the kind of list.")}, 422)
    data = await file.read(svc.settings.limits.upload_mb * MIB + 1)
    received = dt.date.fromisoformat(received_on) if received_on else None
    about = UploadDescription(SourceKind(kind), Role(role) if role else None,
                              title.strip() or None, producer.strip() or None, received,
                              link=link == "1", force=force == "1")
    preview = await run_in_threadpool(start_preview, svc.store, svc.settings,
                                      view.principal.acting, file.filename or "list", data,
                                      about)
    return see_other(f"/imports/preview/{preview.token}")


@router.post("/imports/pairs", dependencies=[Depends(csrf_form)])
async def upload_pairs(
    request: Request,
    svc: Svc,
    view: Creator,
    file: Annotated[UploadFile, File()],
    list_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    party: Annotated[str, Form(max_length=MAX_PARTY, pattern=PRINTABLE)] = "",
    ours: Annotated[Side, Form()] = Side.LEFT,
) -> Response:
    """Keep a linkage unit's pairs file as records another party holds that may be the
    children of one of the agency's lists (the JSON twin is ``/api/v1/pprl/pairs``): the
    page comes back saying how many, or (422) every row that cannot be used, and nothing
    is kept then."""
    data = await file.read(MAX_BYTES + 1)
    try:
        done = await run_in_threadpool(import_pairs, svc.store, view.principal.acting,
                                       file.filename or "pairs.csv", data, party=party,
                                       source_id=list_id, side=ours)
    except PairsRefusedError as refused:
        return _imports(request, svc, view, status_code=422, pairs_refused=refused)
    return _imports(request, svc, view, pairs_done=done)


@router.get("/imports/preview/{token}", response_class=HTMLResponse)
def preview_page(request: Request, svc: Svc, view: Creator, token: Token) -> HTMLResponse:
    """The upload's first rows under its header, the field each header maps to, a choice
    for each header kinlink does not recognise; then "Import" or "Cancel"."""
    preview = read_preview(svc.store, svc.settings, view.principal.acting, token)
    return pages(request).render(request, "import_preview.html", {
        "preview": preview, "fields": FIELDS})


@router.post("/imports/preview/{token}", dependencies=[Depends(csrf_form)])
async def import_previewed(request: Request, svc: Svc, view: Creator, token: Token
                           ) -> Response:
    """Import the previewed upload with the fields chosen for its unrecognised headers
    (``column_<index>``: a field, or empty to leave the column out), saved for its
    producer; then watch it on the job's page."""
    form = await request.form()
    chosen = {int(key.removeprefix("column_")): str(value)[:40]
              for key, value in form.multi_items()
              if key.startswith("column_") and key.removeprefix("column_").isdigit()}
    state = await run_in_threadpool(confirm_preview, svc.store, svc.settings, svc.jobs,
                                    view.principal.acting, token, chosen)
    return see_other(f"/imports/jobs/{state.id}")


@router.post("/imports/preview/{token}/cancel", dependencies=[Depends(csrf_form)])
def cancel_previewed(svc: Svc, view: Creator, token: Token) -> Response:
    """Forget the previewed upload (its copy is deleted) and go back to the Imports page."""
    cancel_preview(svc.store, svc.settings, view.principal.acting, token)
    return see_other("/imports")


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
def cancel(svc: Svc, view: Creator,
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

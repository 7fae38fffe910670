"""``/api/v1/imports``: upload a list, watch its import, read runs and error reports."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from kinlink.accounts import SessionView
from kinlink.api import convert, schemas
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.imports import RunView
from kinlink.domain.limits import MIB
from kinlink.domain.permissions import Action
from kinlink.domain.records import Role, SourceKind
from kinlink.usecases.jobs import UploadDescription
from kinlink.usecases.sources import error_report, list_runs, read_run, rejected_rows

__all__ = ["csv_download", "router"]

router = APIRouter(tags=["imports"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
OptionalText = Annotated[str | None, Form(max_length=300, pattern=PRINTABLE)]


def csv_download(data: bytes, name: str) -> Response:
    """A CSV file to save (never shown inline, never cached): UTF-8 with its BOM, or the
    Windows-1251 a list came in (:func:`kinlink.ingest.runs.encode_as`)."""
    charset = "utf-8" if data.startswith(b"\xef\xbb\xbf") else "windows-1251"
    return Response(data, media_type=f"text/csv; charset={charset}",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/imports", response_model=list[RunView])
def runs(svc: Svc, view: Annotated[SessionView, Depends(allow(Action.IMPORTS_VIEW))]
         ) -> list[RunView]:
    """The agency's import runs, newest first."""
    return list_runs(svc.store, view.principal.acting)


@router.post("/imports", response_model=schemas.JobOut, status_code=status.HTTP_202_ACCEPTED,
             dependencies=[Depends(csrf_header)])
async def upload(
    svc: Svc,
    view: Annotated[SessionView, Depends(allow(Action.IMPORTS_CREATE))],
    file: Annotated[UploadFile, File(description="A CSV or XLSX list, at most 25 MB "
                                                     "(KINLINK_LIMITS__UPLOAD_MB)")],
    kind: Annotated[SourceKind, Form(description="What the list is (required: kinlink "
                                                 "does not guess whether its children "
                                                 "are sought or found)")],
    role: Annotated[Role | None, Form()] = None,
    title: OptionalText = None,
    producer: OptionalText = None,
    received_on: Annotated[dt.date | None, Form()] = None,
    link: Annotated[bool, Form(description="Link the list with the store and open the "
                                           "cases of the children it reports")] = True,
    force: Annotated[bool, Form(description="Import the file even if the same file was "
                                            "imported before (the job is refused "
                                            "otherwise, with duplicate true)")] = False,
) -> schemas.JobOut:
    """Upload a list; it is imported, linked and its cases opened in the background
    (watch ``/imports/jobs/{id}``)."""
    data = await file.read(svc.settings.limits.upload_mb * MIB + 1)
    about = UploadDescription(kind, role, title or None, producer or None, received_on, link,
                              force)
    state = await run_in_threadpool(svc.jobs.submit, view.principal.acting,
                                    file.filename or "list", data, about)
    return convert.job(state)


@router.get("/imports/jobs/{job_id}", response_model=schemas.JobOut)
def job(job_id: Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9_-]+$")], svc: Svc,
        view: Annotated[SessionView, Depends(allow(Action.IMPORTS_VIEW))]) -> schemas.JobOut:
    """An upload's stage, progress and outcome."""
    return convert.job(svc.jobs.get(view.principal.acting, job_id))


@router.post("/imports/jobs/{job_id}/cancel", response_model=schemas.JobOut,
             status_code=status.HTTP_202_ACCEPTED, dependencies=[Depends(csrf_header)])
def cancel_job(job_id: Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9_-]+$")],
               svc: Svc, view: Annotated[SessionView, Depends(allow(Action.IMPORTS_CREATE))]
               ) -> schemas.JobOut:
    """Cancel an upload's import: a queued one ends at once (``cancelled``); a running
    one stops at its next step (``cancel_requested`` until it has) and keeps nothing of
    the list — or, while linking, keeps the imported list unlinked. 409 once it has
    ended."""
    return convert.job(svc.jobs.cancel(view.principal.acting, job_id))


@router.get("/imports/{run_id}", response_model=schemas.RunDetailOut)
def run(run_id: Id, svc: Svc, view: Annotated[SessionView, Depends(allow(Action.IMPORTS_VIEW))]
        ) -> schemas.RunDetailOut:
    """One run with its first 200 issues and links to the full reports."""
    found, issues, total = read_run(svc.store, view.principal.acting, run_id)
    return schemas.RunDetailOut(
        run=found, issues=issues, issues_total=total,
        errors_csv=f"/api/v1/imports/{run_id}/errors.csv",
        rejected_csv=f"/api/v1/imports/{run_id}/rejected.csv")


@router.get("/imports/{run_id}/errors.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def errors_csv(run_id: Id, svc: Svc,
               view: Annotated[SessionView, Depends(allow(Action.IMPORTS_VIEW))]) -> Response:
    """The error report: file, line, column, severity, code, problem, value."""
    return csv_download(error_report(svc.store, view.principal.acting, run_id),
                        f"import-{run_id}-errors.csv")


@router.get("/imports/{run_id}/rejected.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def rejected_csv(run_id: Id, svc: Svc,
                 view: Annotated[SessionView, Depends(allow(Action.IMPORTS_VIEW))]
                 ) -> Response:
    """The rejected rows under the file's header, to fix and import again."""
    return csv_download(rejected_rows(svc.store, view.principal.acting, run_id),
                        f"import-{run_id}-rejected.csv")

"""Evidence bundles on the pages: the case page's form that makes the bundle of the case
(optionally encrypted with a password) and sends it as a download, and the page that
checks a bundle: upload it (and its password) and read the findings — intact, or every
file missing, added or altered — in the reader's language.

JSON twins: ``POST /api/v1/cases/{id}/bundle`` and ``POST /api/v1/evidence/verify``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.deps import allow, csrf_form
from kinlink.api.errors import status_for
from kinlink.api.evidence import bundle_response, make_bundle, verify_upload
from kinlink.domain.limits import MIB
from kinlink.domain.permissions import Action
from kinlink.errors import InputRefusedError, WrongPassphraseError
from kinlink.evidence.bundle import UNSTAMPED_LABEL, Verification
from kinlink.i18n import recognised
from kinlink.web.forms import Svc
from kinlink.web.i18n import translations
from kinlink.web.messages import say
from kinlink.web.pages.cases import case_page_with
from kinlink.web.pages.common import pages
from kinlink.web.templating import request_language

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Password = Annotated[str, Form(max_length=200)]
Checker = Annotated[SessionView, Depends(allow(Action.DOCUMENTS_VIEW))]


@router.post("/cases/{case_id}/bundle", dependencies=[Depends(csrf_form)])
def bundle_form(request: Request, case_id: Id, svc: Svc,
                view: Annotated[SessionView, Depends(allow(Action.EVIDENCE_BUNDLE))],
                password: Password = "") -> Response:
    """Make the case's evidence bundle and send it as a download; a password too short
    shows the case page again with the reason."""
    try:
        data, receipt = make_bundle(svc.evidence, view, case_id, password or None)
    except InputRefusedError as refused:
        return case_page_with(request, svc, view, case_id,
                              {"bundle_error": refused.text}, status_for(refused)[0])
    return bundle_response(case_id, data, receipt)


def _verify_page(request: Request, svc: Svc, context: dict[str, object],
                 status_code: int = 200) -> HTMLResponse:
    return pages(request).render(request, "evidence_verify.html", {
        "result": None, "error": None, "unstamped": None, "findings": [],
        "max_mb": svc.settings.limits.upload_mb,
        "json_twin": "/api/v1/evidence/verify", **context}, status_code=status_code)


@router.get("/evidence/verify", response_class=HTMLResponse)
def verify_page(request: Request, svc: Svc, view: Checker) -> HTMLResponse:
    """The form: a bundle and, if it is encrypted, its password."""
    return _verify_page(request, svc, {})


@router.post("/evidence/verify", response_class=HTMLResponse,
             dependencies=[Depends(csrf_form)])
async def verify_form(request: Request, svc: Svc, view: Checker,
                      file: Annotated[UploadFile, File()],
                      password: Password = "") -> HTMLResponse:
    """Check the bundle and show the findings (a file that is no bundle, or a wrong or
    missing password, is said on the form)."""
    limit = svc.settings.limits.upload_mb
    data = await file.read(limit * MIB + 1)
    try:
        result = await run_in_threadpool(verify_upload, data, password, limit)
    except (InputRefusedError, WrongPassphraseError) as refused:
        return _verify_page(request, svc, {"error": refused.text}, status_for(refused)[0])
    unstamped = result.bag_info.get(UNSTAMPED_LABEL)
    return _verify_page(request, svc, {
        "result": result, "name": file.filename or "bundle.zip",
        "findings": _findings(result, request_language(request)),
        "unstamped": recognised(unstamped) if unstamped else None})


def _findings(result: Verification, language: str) -> list[tuple[str, str, bool, str]]:
    """Each finding as ``(path, before, named, after)``: its message in ``language`` cut
    around the file's name (``named``: it was found), which the page shows as a name in
    no language (``data/case-history.jsonl`` is not English)."""
    gettext = translations(language).gettext
    rows = []
    for finding in result.findings:
        before, named, after = say(finding.message, gettext).partition(finding.path)
        rows.append((finding.path, before, bool(named), after))
    return rows

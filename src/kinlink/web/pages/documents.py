"""Evidence documents: the agency's document inbox (with filters), the upload form (the
file, its collection record, what to attach it to), a document's page (collection
record, hashes, custody log, the working copy, the original), and the forms that attach
or restrict a document. The case page lists its documents and links to the upload form
with the case chosen.

JSON twins: ``/api/v1/documents`` and ``/api/v1/documents/{id}`` (and its ``original``,
``working-copy``, ``attach`` and ``restriction``). The original is always sent as an
attachment, never shown as a page; a form whose value breaks a rule shows the form again
(422 / 413 / 415) with the message and everything typed kept (but the file).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.deps import allow, csrf_form
from kinlink.api.documents import attachment_of, collection_fields, served
from kinlink.api.errors import status_for
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.documents import Attachment, AttachmentKind, CollectionMethod, DocumentType
from kinlink.domain.permissions import Action
from kinlink.domain.retention import ErasureKind, HoldTarget
from kinlink.domain.users import UserRole
from kinlink.errors import FieldsRefusedError, InputRefusedError
from kinlink.i18n import N_, Wording
from kinlink.usecases import documents, photo_flags
from kinlink.web.forms import Svc, see_other
from kinlink.web.pages.common import pages
from kinlink.web.pages.keeping import keeping_context

_TARGET = Wording("web.documents.target", N_(
    "target: give the id of the case, record or list"))

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Reader = Annotated[SessionView, Depends(allow(Action.DOCUMENTS_VIEW))]
Adder = Annotated[SessionView, Depends(allow(Action.DOCUMENTS_ADD))]
Typed = Annotated[str, Form(max_length=5000, pattern=PRINTABLE)]
IdText = Annotated[str, Form(max_length=12, pattern=r"^[0-9]*$")]
FIELDS = ("collected_at", "collected_by", "method", "source_url", "device", "from_person",
          "languages", "description", "case_id", "record_id", "source_id")


def _number(typed: str) -> int | None:
    return int(typed) if typed.strip() and 0 < int(typed) < 2**31 else None


@router.get("/documents", response_class=HTMLResponse)
def inbox(request: Request, svc: Svc, view: Reader,
          attached_to: Annotated[AttachmentKind | Literal[""] | None, Query()] = None,
          attached_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
          type: Annotated[DocumentType | Literal[""] | None, Query()] = None,
          ) -> HTMLResponse:
    """The documents the person reaches, newest first, filtered by what they are
    attached to (``inbox``: nothing yet) and by type; the filter form's "anything" and
    "any" send an empty value, which filters nothing."""
    attached_to = attached_to or None
    type = type or None
    found = documents.list_documents(svc.evidence, actor_of(view), attached_to, attached_id,
                                     type)
    return pages(request).render(request, "documents.html", {
        "items": found, "attached_to": attached_to.value if attached_to else "",
        "type": type.value if type else "", "kinds": [k.value for k in AttachmentKind],
        "types": [t.value for t in DocumentType], "json_twin": "/api/v1/documents"})


def _form_page(request: Request, form: dict[str, str], errors: dict[str, str],
               status_code: int = 200) -> HTMLResponse:
    return pages(request).render(request, "document_new.html", {
        "form": form, "errors": errors, "methods": [m.value for m in CollectionMethod],
        "json_twin": "/api/v1/documents"}, status_code=status_code)


@router.get("/documents/new", response_class=HTMLResponse)
def new_document(request: Request, view: Adder,
                 case: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None
                 ) -> HTMLResponse:
    """The upload form (the case chosen when it comes from a case's page)."""
    form = dict.fromkeys(FIELDS, "")
    form["case_id"] = str(case) if case else ""
    return _form_page(request, form, {})


@router.post("/documents/new", dependencies=[Depends(csrf_form)])
async def upload_form(request: Request, svc: Svc, view: Adder,
                      file: Annotated[UploadFile, File()], collected_at: Typed = "",
                      collected_by: Typed = "", method: Typed = "", source_url: Typed = "",
                      device: Typed = "", from_person: Typed = "", languages: Typed = "",
                      description: Typed = "", case_id: IdText = "", record_id: IdText = "",
                      source_id: IdText = "") -> Response:
    """Keep the document; a value that breaks a rule shows the form again."""
    sent = {"collected_at": collected_at, "collected_by": collected_by, "method": method,
            "source_url": source_url, "device": device, "from_person": from_person,
            "languages": languages, "description": description, "case_id": case_id,
            "record_id": record_id, "source_id": source_id}
    data = await file.read(svc.evidence.max_bytes + 1)
    moment = collected_at.strip()
    if moment and len(moment) == 16:  # a browser's datetime-local: the server's zone
        moment = _zoned(svc.settings.timezone, moment)
    try:
        made = await run_in_threadpool(
            documents.upload_document, svc.evidence, actor_of(view), data,
            file.filename or "", attachment_of(_number(case_id), _number(record_id),
                                               _number(source_id)),
            collection_fields(moment, collected_by, method, source_url, device, from_person,
                              languages, description))
    except FieldsRefusedError as refused:
        return _form_page(request, sent, refused.fields, status_for(refused)[0])
    except InputRefusedError as refused:
        return _form_page(request, sent, {refused.field or "file": str(refused)},
                          status_for(refused)[0])
    return see_other(f"/documents/{made.id}?added=true")


def _zoned(zone: str, typed: str) -> str:
    """A local date and time typed in a form, with the configured zone's offset."""
    try:
        local = dt.datetime.strptime(typed, "%Y-%m-%dT%H:%M")
    except ValueError:
        return typed
    return local.replace(tzinfo=ZoneInfo(zone)).isoformat()


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: Id, svc: Svc, view: Reader,
                  added: Annotated[bool, Query()] = False) -> HTMLResponse:
    """A document: its collection record, hashes, custody log, working copy, original."""
    page = documents.document_page(svc.evidence, actor_of(view), document_id)
    context: dict[str, Any] = {
        "page": page, "doc": page.document, "added": added,
        "appearances": photo_flags.photo_appearances(svc.evidence, actor_of(view),
                                                     document_id),
        "kinds": [k.value for k in AttachmentKind], "roles": [r.value for r in UserRole],
        "json_twin": f"/api/v1/documents/{document_id}"}
    context.update(keeping_context(svc, view, HoldTarget.DOCUMENT, document_id,
                                   (ErasureKind.DOCUMENT, document_id),
                                   f"/documents/{document_id}"))
    return pages(request).render(request, "document.html", context)


@router.get("/documents/{document_id}/original")
def original(document_id: Id, svc: Svc, view: Reader) -> Response:
    """The original as kept, as an attachment (never rendered as a page)."""
    return served(documents.download_original(svc.evidence, actor_of(view), document_id),
                  inline=False)


@router.get("/documents/{document_id}/working-copy")
def working(document_id: Id, svc: Svc, view: Reader) -> Response:
    """The working copy (an image without metadata)."""
    return served(documents.view_working_copy(svc.evidence, actor_of(view), document_id),
                  inline=True)


@router.post("/documents/{document_id}/attach", dependencies=[Depends(csrf_form)])
def attach_form(document_id: Id, svc: Svc, view: Adder, to: Typed = "inbox",
                target: IdText = "", back: Annotated[str, Form(
                    pattern="^(/documents/[0-9]{1,10}|/cases/[0-9]{1,10})$")] = "") -> Response:
    """Attach the document to a case, record or list (or move it to the inbox)."""
    try:
        kind = AttachmentKind(to)
        attachment = Attachment(kind, _number(target))
    except ValueError:
        raise InputRefusedError(_TARGET(), field="target") from None
    documents.attach_document(svc.evidence, actor_of(view), document_id, attachment)
    return see_other(back or f"/documents/{document_id}")


@router.post("/documents/{document_id}/restrict", dependencies=[Depends(csrf_form)])
def restrict_form(document_id: Id, svc: Svc,
                  view: Annotated[SessionView, Depends(allow(Action.DOCUMENTS_RESTRICT))],
                  roles: Annotated[list[str] | None, Form(max_length=10)] = None) -> Response:
    """Restrict the document to the roles ticked (none: lift the restriction)."""
    documents.restrict_document(svc.evidence, actor_of(view), document_id, roles or [])
    return see_other(f"/documents/{document_id}")

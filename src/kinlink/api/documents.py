"""``/api/v1/documents``: evidence documents with their collection record and custody.

Each route calls one use case of :mod:`kinlink.usecases.documents` as the signed-in
person. An upload is a form: the file and the collection record's fields, and what to
attach it to (``case_id``, ``record_id`` or ``source_id``, or none: the inbox). The
original is always sent as an attachment (``Content-Disposition: attachment``, with the
``nosniff`` every answer carries and a sandboxing CSP), never rendered inline; the
working copy of an image is a PNG made without metadata.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, Query, UploadFile
from fastapi import status as http
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from kinlink.accounts import SessionView
from kinlink.api.children import actor_of
from kinlink.api.context import Services, services
from kinlink.api.deps import allow, csrf_header
from kinlink.api.mentions import MentionOut, SaidOut
from kinlink.api.schemas import PRINTABLE
from kinlink.domain.documents import (
    Attachment,
    AttachmentKind,
    CollectionMethod,
    Document,
    DocumentType,
)
from kinlink.domain.permissions import Action
from kinlink.errors import InputRefusedError
from kinlink.i18n import N_, Wording
from kinlink.usecases import documents
from kinlink.usecases.documents import DocumentPage, Served

_ONE_TARGET = Wording("documents.one_target", N_(
    "attach: give a case, a record or a list, not several"))
_TARGET_ID = Wording("documents.target_id", N_(
    "id: give the id of the case, record or list (none for the inbox)"))

__all__ = ["CollectionOut", "DocumentOut", "attachment_of", "router", "served"]

router = APIRouter(tags=["documents"])
Svc = Annotated[Services, Depends(services)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Reader = Annotated[SessionView, Depends(allow(Action.DOCUMENTS_VIEW))]
Adder = Annotated[SessionView, Depends(allow(Action.DOCUMENTS_ADD))]
Typed = Annotated[str, Form(max_length=5000, pattern=PRINTABLE)]
MaybeId = Annotated[int | None, Form(ge=1, le=2**31 - 1)]


class CollectionOut(BaseModel):
    """The collection record."""

    collected_at: dt.datetime
    collected_by: str
    method: CollectionMethod
    source_url: str | None
    device: str | None
    from_person: str | None
    languages: list[str]
    description: str


class DerivedOut(BaseModel):
    """An artefact made from the original."""

    kind: str
    tool: str
    tool_version: str
    sha256: str
    media_type: str
    created_at: dt.datetime


class CustodyOut(BaseModel):
    """One step of the chain of custody (an audit event)."""

    seq: int
    at: str
    actor: str
    action: str
    details: dict[str, object]


class DocumentOut(BaseModel):
    """A document as kept."""

    id: int
    agency_id: int
    sha256: str
    size: int
    type: DocumentType
    media_type: str
    filename: str
    attached_to: AttachmentKind
    attached_id: int | None
    restricted_to: list[str]
    collection: CollectionOut
    uploaded_by: str
    uploaded_at: dt.datetime

    @classmethod
    def of(cls, doc: Document) -> DocumentOut:
        c = doc.collection
        return cls(id=doc.id, agency_id=doc.agency_id, sha256=doc.sha256, size=doc.size,
                   type=doc.doc_type, media_type=doc.doc_type.media_type,
                   filename=doc.filename, attached_to=doc.attachment.kind,
                   attached_id=doc.attachment.target_id,
                   restricted_to=list(doc.restricted_to),
                   collection=CollectionOut(
                       collected_at=c.collected_at, collected_by=c.collected_by,
                       method=c.method, source_url=c.source_url, device=c.device,
                       from_person=c.from_person, languages=list(c.languages),
                       description=c.description),
                   uploaded_by=doc.uploaded_by, uploaded_at=doc.uploaded_at)


class DocumentPageOut(BaseModel):
    """A document, its artefacts and its custody log."""

    document: DocumentOut
    derived: list[DerivedOut]
    custody: list[CustodyOut]
    text: str | None
    """The extracted text (pages separated by a form feed); ``null``: none kept."""
    mentions: list[MentionOut]
    """The mentions of children in the text that are not rejected."""
    warnings: list[SaidOut]
    """What text extraction warned of (OCR missing, pages not read)."""

    @classmethod
    def of(cls, page: DocumentPage) -> DocumentPageOut:
        text = page.text
        return cls(document=DocumentOut.of(page.document),
                   text="".join(s.text for s in text.segments) if text.text else None,
                   mentions=[MentionOut.of(m) for m in text.mentions],
                   warnings=[SaidOut.of(w) for w in text.warnings],
                   derived=[DerivedOut(kind=d.kind.value, tool=d.tool,
                                       tool_version=d.tool_version, sha256=d.sha256,
                                       media_type=d.media_type, created_at=d.created_at)
                            for d in page.derived],
                   custody=[CustodyOut(seq=e.seq, at=e.at, actor=e.actor, action=e.action,
                                       details=e.details) for e in page.custody])


class AttachIn(BaseModel):
    """Where to attach a document: ``inbox`` (then no id), ``case``, ``record`` or
    ``source`` with the object's id."""

    model_config = ConfigDict(extra="forbid")
    to: AttachmentKind
    id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class RestrictIn(BaseModel):
    """The roles that may reach the document (empty: everyone who reaches what it is
    attached to)."""

    model_config = ConfigDict(extra="forbid")
    roles: list[str] = Field(default=[], max_length=10)


def attachment_of(case_id: int | None, record_id: int | None,
                  source_id: int | None) -> Attachment:
    """The attachment named by at most one of three ids (none: the inbox)."""
    given = [(k, v) for k, v in ((AttachmentKind.CASE, case_id),
                                 (AttachmentKind.RECORD, record_id),
                                 (AttachmentKind.SOURCE, source_id)) if v is not None]
    if len(given) > 1:
        raise InputRefusedError(_ONE_TARGET(), field="attach")
    return Attachment(*given[0]) if given else Attachment(AttachmentKind.INBOX)


def _attachment(body: AttachIn) -> Attachment:
    try:
        return Attachment(body.to, body.id)
    except ValueError:
        raise InputRefusedError(_TARGET_ID(), field="id") from None


def served(item: Served, *, inline: bool) -> Response:
    """The bytes as a response that no browser renders as a page of kinlink's."""
    ascii_name = "".join(c if c.isalnum() or c in "._-" else "_" for c in item.filename)
    disposition = "inline" if inline else "attachment"
    return Response(item.data, media_type=item.media_type, headers={
        "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(item.filename)}",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "Cache-Control": "no-store",
        "Digest": f"sha-256={item.sha256}",
    })


@router.get("/documents", response_model=list[DocumentOut])
def list_documents(svc: Svc, view: Reader,
                   attached_to: Annotated[AttachmentKind | None, Query()] = None,
                   attached_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                   type: Annotated[DocumentType | None, Query()] = None,
                   ) -> list[DocumentOut]:
    """The documents you reach, newest first: filter by what they are attached to
    (``inbox``: nothing yet) and by type."""
    found = documents.list_documents(svc.evidence, actor_of(view), attached_to, attached_id,
                                     type)
    return [DocumentOut.of(d) for d in found]


@router.post("/documents", response_model=DocumentOut, status_code=http.HTTP_201_CREATED,
             dependencies=[Depends(csrf_header)])
async def upload(svc: Svc, view: Adder,
                 file: Annotated[UploadFile, File(description="The original, as found")],
                 collected_at: Typed, collected_by: Typed, method: Typed,
                 source_url: Typed = "", device: Typed = "", from_person: Typed = "",
                 languages: Typed = "", description: Typed = "",
                 case_id: MaybeId = None, record_id: MaybeId = None,
                 source_id: MaybeId = None) -> DocumentOut:
    """Keep a document with its collection record (``collected_at`` in ISO 8601 with a
    time zone; ``languages`` comma-separated codes), attached to a case, a record, a
    list or nothing yet. 415 for a type kinlink does not keep, 413 beyond the size."""
    data = await file.read(svc.evidence.max_bytes + 1)
    made = await run_in_threadpool(
        documents.upload_document, svc.evidence, actor_of(view), data, file.filename or "",
        attachment_of(case_id, record_id, source_id),
        collection_fields(collected_at, collected_by, method, source_url, device,
                          from_person, languages, description))
    return DocumentOut.of(made)


def collection_fields(collected_at: str, collected_by: str, method: str, source_url: str,
                      device: str, from_person: str, languages: str,
                      description: str) -> dict[str, object]:
    """The collection record's fields as typed in a form."""
    return {"collected_at": collected_at.strip(), "collected_by": collected_by,
            "method": method, "source_url": source_url, "device": device,
            "from_person": from_person,
            "languages": [x.strip() for x in languages.split(",") if x.strip()],
            "description": description}


@router.get("/documents/{document_id}", response_model=DocumentPageOut)
def read_document(document_id: Id, svc: Svc, view: Reader) -> DocumentPageOut:
    """A document with its collection record, artefacts and custody log."""
    return DocumentPageOut.of(documents.document_page(svc.evidence, actor_of(view),
                                                      document_id))


@router.get("/documents/{document_id}/original",
            responses={200: {"content": {"application/octet-stream": {}}}})
def original(document_id: Id, svc: Svc, view: Reader) -> Response:
    """The original's bytes exactly as kept, as an attachment."""
    return served(documents.download_original(svc.evidence, actor_of(view), document_id),
                  inline=False)


@router.get("/documents/{document_id}/working-copy",
            responses={200: {"content": {"image/png": {}}}})
def working(document_id: Id, svc: Svc, view: Reader) -> Response:
    """The working copy (an image re-encoded without metadata); 404 if none."""
    return served(documents.view_working_copy(svc.evidence, actor_of(view), document_id),
                  inline=True)


@router.post("/documents/{document_id}/attach", response_model=DocumentOut,
             dependencies=[Depends(csrf_header)])
def attach(document_id: Id, body: AttachIn, svc: Svc, view: Adder) -> DocumentOut:
    """Attach the document to a case, a record or a list, or move it to the inbox."""
    return DocumentOut.of(documents.attach_document(svc.evidence, actor_of(view),
                                                    document_id, _attachment(body)))


@router.post("/documents/{document_id}/restriction", response_model=DocumentOut,
             dependencies=[Depends(csrf_header)])
def restrict(document_id: Id, body: RestrictIn, svc: Svc,
             view: Annotated[SessionView, Depends(allow(Action.DOCUMENTS_RESTRICT))]
             ) -> DocumentOut:
    """Restrict the document to named roles (yours is always kept), or lift it."""
    return DocumentOut.of(documents.restrict_document(svc.evidence, actor_of(view),
                                                      document_id, body.roles))

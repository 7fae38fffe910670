"""Evidence documents, one function per user action: upload a document (with its
collection record, attached to a case, a record, a list or to nothing yet), list the
inbox, read a document's page, view its working copy, download its original, attach or
move it, restrict it to named roles.

Reach follows what a document is attached to (:mod:`kinlink.usecases.scope`): a document
on a case is reached where the case is, on a record where the record is, on a list where
the list is; a document in the inbox by the people of its agency. A restricted document
is reached only by the roles it names. Anything else answers as missing, and the refusal
is audited. Every step of custody — upload, page read, view, download, attach or move,
restriction — is an audit event whose object is the document, with its original's
SHA-256: never a name, a description or a URL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.documents import (
    Attachment,
    AttachmentKind,
    CustodyEntry,
    Derived,
    DerivedKind,
    Document,
    DocumentType,
)
from kinlink.domain.limits import MIB
from kinlink.domain.permissions import Action, require
from kinlink.domain.retention import ErasureKind
from kinlink.domain.users import UserRole
from kinlink.errors import (
    ConflictError,
    ErasedError,
    InputRefusedError,
    NotFoundError,
    OutOfReachError,
)
from kinlink.evidence import check_collection, detect_type, working_copy
from kinlink.evidence.working import TOOL, tool_version
from kinlink.i18n import N_, Wording
from kinlink.storage import Session
from kinlink.storage.documents import DocumentFilter, DocumentRepository
from kinlink.storage.erasure import ErasureRepository
from kinlink.usecases.document_access import Evidence, document_in_reach, target_in_reach
from kinlink.usecases.mentions import DocumentText, read_and_screen, text_of
from kinlink.usecases.photographs import hash_photographs
from kinlink.usecases.scope import Reach, owning_agency, within_reach

_TOO_LARGE = Wording("usecases.documents.too_large", N_(
    "file: the file is larger than {limit} MB (KINLINK_LIMITS__DOCUMENT_MB)"))
_DOCUMENT_ERASED = Wording("usecases.documents.erased", N_(
    "this document was erased on {erased_on}: its files are gone for good"))
_NO_WORKING_COPY = Wording("usecases.documents.no_working_copy", N_(
    "this document has no working copy yet: download the original"))
_ATTACHED_ALREADY = Wording("usecases.documents.attached_already", N_(
    "the document is attached there already"))
_UNKNOWN_ROLE = Wording("usecases.documents.unknown_role", N_("roles: unknown role"))

__all__ = [
    "DocumentPage",
    "Evidence",
    "Served",
    "attach_document",
    "document_in_reach",
    "document_page",
    "download_original",
    "list_documents",
    "refuse_erased",
    "restrict_document",
    "upload_document",
    "view_working_copy",
]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class DocumentPage:
    """What a document's page shows: the document, its artefacts, its custody log."""

    document: Document
    derived: list[Derived]
    custody: list[CustodyEntry]
    text: DocumentText

    @property
    def working(self) -> Derived | None:
        """The working copy, if the document has one."""
        return next((d for d in self.derived if d.kind is DerivedKind.WORKING_COPY), None)


@dataclass(frozen=True)
class Served:
    """Bytes to send: the original or the working copy, checked against their hash."""

    data: bytes
    media_type: str
    filename: str
    sha256: str


def _audit(session: Session, actor: Actor, action: AuditAction, document_id: int,
           details: dict[str, object]) -> None:
    append_event(session, AuditEvent(actor.name, action, "document", str(document_id),
                                     details))


def _where(attachment: Attachment) -> dict[str, object]:
    return {"kind": attachment.kind.value, "id": attachment.target_id}


def _filename(given: str) -> str:
    """The name the file came with, without folders or control characters."""
    base = given.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(c for c in base if c.isprintable()).strip()
    return clean[:255] or "document"


def upload_document(ev: Evidence, actor: Actor, data: bytes, filename: str,
                    attachment: Attachment, collection: dict[str, object]) -> Document:
    """Keep a document: its type told by its bytes (others refused, nothing kept), its
    collection record validated, the original stored under its SHA-256, a working copy
    of an image made without metadata. Audited ``document.uploaded``. Then, once the
    document is kept, its text is extracted and screened for children's names
    (:func:`~kinlink.usecases.mentions.read_and_screen`, in this request: OCR of a scan
    takes seconds)."""
    require(actor, Action.DOCUMENTS_ADD)
    if len(data) > ev.max_bytes:
        raise InputRefusedError(_TOO_LARGE(limit=f"{ev.max_bytes // MIB:,}"), "too_large",
                                field="file")
    doc_type = detect_type(data)
    now = _now()
    record = check_collection(collection, now)
    working = working_copy(data, doc_type)
    with within_reach(ev.store, actor) as (session, reach):
        target_in_reach(session, reach, attachment)
        sha = ev.content.put(data)
        repo = DocumentRepository(session)
        made = repo.add(agency_id=owning_agency(actor), sha256=sha, size=len(data),
                        doc_type=doc_type, filename=_filename(filename),
                        attachment=attachment, collection=record, uploaded_by=actor.name,
                        uploaded_at=now)
        details: dict[str, object] = {"sha256": sha, "size": len(data),
                                      "type": doc_type.value, "to": _where(attachment)}
        if working is not None:
            copy = repo.add_derived(document_id=made.id, kind=DerivedKind.WORKING_COPY,
                                    tool=TOOL, tool_version=tool_version(),
                                    sha256=ev.content.put(working.data),
                                    media_type=working.media_type, created_at=now)
            details["working_sha256"] = copy.sha256
        _audit(session, actor, AuditAction.DOCUMENT_UPLOADED, made.id, details)
        hash_photographs(session, actor.name, data, document_id=made.id)
    read_and_screen(ev, actor, made.id)
    return made


def list_documents(ev: Evidence, actor: Actor, kind: AttachmentKind | None = None,
                   target_id: int | None = None,
                   doc_type: DocumentType | None = None) -> list[Document]:
    """The documents the actor reaches, newest first: those of their agency (the
    operator: all) as filtered, then only those whose attachment and restriction admit
    them. Audited ``documents.listed`` with the filter's kind and the count."""
    require(actor, Action.DOCUMENTS_VIEW)
    with within_reach(ev.store, actor) as (session, reach):
        targeted = kind is not None and kind is not AttachmentKind.INBOX and \
            target_id is not None
        if targeted:
            assert kind is not None
            target_in_reach(session, reach, Attachment(kind, target_id))
        agency = None if targeted else actor.agency_id
        found = DocumentRepository(session).find(DocumentFilter(agency, kind, target_id,
                                                                doc_type))
        shown = [d for d in found if _reaches(session, reach, actor, d)]
        append_event(session, AuditEvent(actor.name, AuditAction.DOCUMENTS_LISTED,
                                         "document", None,
                                         {"kind": kind.value if kind else None,
                                          "target": target_id, "count": len(shown)}))
    return shown


def _reaches(session: Session, reach: Reach, actor: Actor, document: Document) -> bool:
    try:
        document_in_reach(session, reach, actor, document.id)
    except OutOfReachError:
        return False
    return True


def document_page(ev: Evidence, actor: Actor, document_id: int) -> DocumentPage:
    """A document with its artefacts and custody log. Audited ``document.read`` (the
    read is itself the newest step of the log shown)."""
    require(actor, Action.DOCUMENTS_VIEW)
    with within_reach(ev.store, actor) as (session, reach):
        found = document_in_reach(session, reach, actor, document_id)
        _audit(session, actor, AuditAction.DOCUMENT_READ, document_id,
               {"sha256": found.sha256})
        repo = DocumentRepository(session)
        return DocumentPage(found, repo.derived(document_id), repo.custody(document_id),
                            text_of(ev.content, session, reach, document_id))


def view_working_copy(ev: Evidence, actor: Actor, document_id: int) -> Served:
    """The document's working copy, checked against its hash. Audited
    ``document.viewed``. A document without one answers as missing."""
    require(actor, Action.DOCUMENTS_VIEW)
    with within_reach(ev.store, actor) as (session, reach):
        found = document_in_reach(session, reach, actor, document_id)
        refuse_erased(session, document_id)
        copy = next((d for d in DocumentRepository(session).derived(document_id)
                     if d.kind is DerivedKind.WORKING_COPY), None)
        if copy is None:
            raise NotFoundError(_NO_WORKING_COPY())
        data = ev.content.get(copy.sha256)
        _audit(session, actor, AuditAction.DOCUMENT_VIEWED, document_id,
               {"sha256": found.sha256, "working_sha256": copy.sha256})
    stem = found.filename.rsplit(".", 1)[0]
    return Served(data, copy.media_type, f"{stem}-working.png", copy.sha256)


def refuse_erased(session: Session, document_id: int) -> None:
    """An erased document's files answer "erased", never "missing"."""
    gone = ErasureRepository(session).tombstones(ErasureKind.DOCUMENT, document_id)
    if gone:
        raise ErasedError(_DOCUMENT_ERASED(erased_on=gone[0].erased_at.date().isoformat()))


def download_original(ev: Evidence, actor: Actor, document_id: int) -> Served:
    """The original's bytes, exactly as kept (checked against their SHA-256: an altered
    original is refused, never served). Audited ``document.downloaded``."""
    require(actor, Action.DOCUMENTS_VIEW)
    with within_reach(ev.store, actor) as (session, reach):
        found = document_in_reach(session, reach, actor, document_id)
        refuse_erased(session, document_id)
        data = ev.content.get(found.sha256)
        _audit(session, actor, AuditAction.DOCUMENT_DOWNLOADED, document_id,
               {"sha256": found.sha256})
    return Served(data, found.doc_type.media_type, found.filename, found.sha256)


def attach_document(ev: Evidence, actor: Actor, document_id: int,
                    attachment: Attachment) -> Document:
    """Attach the document to a case, a record or a list in the actor's reach, or move
    it back to the inbox. Audited ``document.attached`` with from and to."""
    require(actor, Action.DOCUMENTS_ADD)
    with within_reach(ev.store, actor) as (session, reach):
        found = document_in_reach(session, reach, actor, document_id)
        if found.attachment == attachment:
            raise ConflictError(_ATTACHED_ALREADY())
        target_in_reach(session, reach, attachment)
        repo = DocumentRepository(session)
        repo.attach(document_id, attachment)
        _audit(session, actor, AuditAction.DOCUMENT_ATTACHED, document_id,
               {"sha256": found.sha256, "from": _where(found.attachment),
                "to": _where(attachment)})
        moved = repo.get(document_id)
    assert moved is not None
    return moved


def restrict_document(ev: Evidence, actor: Actor, document_id: int,
                      roles: list[str]) -> Document:
    """Restrict the document to ``roles`` (the actor's own role is always among them, so
    nobody locks themselves out; empty: lift the restriction). Audited
    ``document.restricted`` with the roles."""
    require(actor, Action.DOCUMENTS_RESTRICT)
    try:
        named = {UserRole(r).value for r in roles}
    except ValueError:
        raise InputRefusedError(_UNKNOWN_ROLE(), field="roles") from None
    chosen = tuple(sorted(named | {actor.role.value})) if named else ()
    with within_reach(ev.store, actor) as (session, reach):
        found = document_in_reach(session, reach, actor, document_id)
        repo = DocumentRepository(session)
        repo.restrict(document_id, chosen)
        _audit(session, actor, AuditAction.DOCUMENT_RESTRICTED, document_id,
               {"sha256": found.sha256, "roles": list(chosen),
                "before": list(found.restricted_to)})
        changed = repo.get(document_id)
    assert changed is not None
    return changed

"""The evidence bundle of a case (issue 17.5): everything a prosecutor needs about one
child's case in one file they can check offline.

The bundle holds the documents attached to the case and to the child's records that the
actor reaches (a restricted document only for the roles it names): each original named by
its SHA-256 and byte for byte as kept, its working copy and extracted texts (named by
their own SHA-256), its collection record (JSON), the custody log of every document, the
case history, and the audit events whose object is the case, one of these documents or
one of the child's records the actor's agency sees (never an event about another child).
It is written by :func:`kinlink.evidence.bundle.write_bundle` (a BagIt bag in one ZIP,
optionally AES-encrypted and time-stamped), and the bundle's SHA-256 is recorded in the
audit chain (``evidence.bundle_made`` on the case, ``document.bundled`` on each document,
the custody step of its transfer): hashes and counts, never a name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.documents import AttachmentKind, Derived, DerivedKind, Document
from kinlink.domain.permissions import Action, require
from kinlink.encryption import MIN_PASSPHRASE_LENGTH
from kinlink.errors import InputRefusedError
from kinlink.evidence.bundle import BundleFile, BundleReceipt, TimestampAuthority, write_bundle
from kinlink.i18n import N_, Wording
from kinlink.storage import Session
from kinlink.storage.audit_events import AuditRepository
from kinlink.storage.cases import CaseRepository
from kinlink.storage.documents import DocumentFilter, DocumentRepository
from kinlink.storage.review import ReviewQueries, cluster_of
from kinlink.usecases.documents import Evidence
from kinlink.usecases.scope import Reach, case_in_reach, within_reach

__all__ = ["bundle_case"]

_SHORT_PASSWORD = Wording("usecases.evidence_bundles.short_password", N_(
    "password: give at least {length} characters, or none for a bundle that is not "
    "encrypted"))

_EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "tiff": "tif", "heic": "heic",
               "html": "html", "mhtml": "mhtml", "warc": "warc", "text": "txt", "docx": "docx"}
_MEDIA = {"image/png": "png", "image/jpeg": "jpg", "text/plain": "txt",
          "application/pdf": "pdf"}
_TEXTS = (DerivedKind.TEXT, DerivedKind.OCR)

Progress = Callable[[str, int, int], None]
"""Told ``(step, done, total)`` as the bundle is gathered (a command's progress bar)."""


@dataclass
class _Gathered:
    """What goes into the bundle, as it is gathered."""

    files: dict[str, bytes] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    withheld: int = 0


def _jsonl(items: Iterable[object]) -> bytes:
    return "".join(json.dumps(i, ensure_ascii=False, sort_keys=True, default=str) + "\n"
                   for i in items).encode("utf-8")


def _original_path(doc: Document) -> str:
    return f"originals/{doc.sha256}.{_EXTENSIONS.get(doc.doc_type.value, 'bin')}"


def _derived_path(item: Derived) -> str:
    folder = "working" if item.kind is DerivedKind.WORKING_COPY else "text"
    extension = "txt" if folder == "text" else _MEDIA.get(item.media_type, "bin")
    return f"{folder}/{item.sha256}.{extension}"


def _collection(doc: Document, derived: list[Derived]) -> dict[str, object]:
    c = doc.collection
    return {
        "document": doc.id, "filename": doc.filename, "sha256": doc.sha256,
        "size": doc.size, "type": doc.doc_type.value, "media_type": doc.doc_type.media_type,
        "original": f"data/{_original_path(doc)}",
        "attached_to": {"kind": doc.attachment.kind.value, "id": doc.attachment.target_id},
        "restricted_to": list(doc.restricted_to),
        "collected_at": c.collected_at.isoformat(), "collected_by": c.collected_by,
        "method": c.method.value, "source_url": c.source_url, "device": c.device,
        "from_person": c.from_person, "languages": list(c.languages),
        "description": c.description, "uploaded_by": doc.uploaded_by,
        "uploaded_at": doc.uploaded_at.isoformat(),
        "derived": [{"kind": d.kind.value, "tool": d.tool, "tool_version": d.tool_version,
                     "sha256": d.sha256, "media_type": d.media_type,
                     "created_at": d.created_at.isoformat(),
                     "file": f"data/{_derived_path(d)}"}
                    for d in derived if d.kind is DerivedKind.WORKING_COPY or d.kind in _TEXTS],
    }


def _child_records(session: Session, reach: Reach, sought: int) -> list[int]:
    """The records of the case's child that the actor's agency sees."""
    cluster = cluster_of(session, sought)
    views = ReviewQueries(session).records(list(cluster.records))
    return sorted(pk for pk, view in views.items() if reach.sees(view.source_id))


def _documents(session: Session, actor: Actor, case_id: int,
               records: list[int]) -> tuple[list[Document], int]:
    """The documents on the case and on the child's visible records, and how many of
    them are withheld by their restriction to other roles."""
    repo = DocumentRepository(session)
    found = {d.id: d for d in repo.find(DocumentFilter(None, AttachmentKind.CASE, case_id),
                                        limit=10_000)}
    for pk in records:
        found |= {d.id: d for d in repo.find(DocumentFilter(None, AttachmentKind.RECORD, pk),
                                             limit=10_000)}
    shown = [d for _, d in sorted(found.items())
             if not d.restricted or actor.role.value in d.restricted_to]
    return shown, len(found) - len(shown)


def _gather(ev: Evidence, session: Session, actor: Actor, case_id: int, records: list[int],
            progress: Progress | None) -> _Gathered:
    gathered = _Gathered()
    gathered.documents, gathered.withheld = _documents(session, actor, case_id, records)
    repo = DocumentRepository(session)
    custody: list[dict[str, object]] = []
    total = len(gathered.documents)
    for done, doc in enumerate(gathered.documents, start=1):
        derived = repo.derived(doc.id)
        gathered.files[_original_path(doc)] = ev.content.get(doc.sha256)
        for item in derived:
            if item.kind is DerivedKind.WORKING_COPY or item.kind in _TEXTS:
                gathered.files[_derived_path(item)] = ev.content.get(item.sha256)
        gathered.files[f"collection/document-{doc.id}.json"] = json.dumps(
            _collection(doc, derived), ensure_ascii=False, indent=2,
            sort_keys=True).encode("utf-8")
        custody += [{"document": doc.id, "event": e.seq, "at": e.at, "actor": e.actor,
                     "action": e.action, "details": e.details}
                    for e in repo.custody(doc.id)]
        if progress is not None:
            progress("documents", done, total)
    history = CaseRepository(session).events(case_id)
    gathered.files["custody.jsonl"] = _jsonl(custody)
    gathered.files["case-history.jsonl"] = _jsonl(
        {"event": e.id, "case": e.case_id,
         "from": e.from_status.value if e.from_status else None, "to": e.to_status.value,
         "actor": e.actor, "role": e.role.value, "at": e.at.isoformat(),
         "reason": str(e.reason), "evidence_kind": e.evidence_kind.value
         if e.evidence_kind else None, "evidence_ref": e.evidence_ref} for e in history)
    gathered.files["audit.jsonl"] = _jsonl(AuditRepository(session).about({
        "case": [str(case_id)], "document": [str(d.id) for d in gathered.documents],
        "record": [str(pk) for pk in records]}))
    return gathered


def bundle_case(ev: Evidence, actor: Actor, case_id: int, out: Path,
                password: str | None = None, *, timestamp: TimestampAuthority | None = None,
                progress: Progress | None = None) -> BundleReceipt:
    """Write the evidence bundle of the case ``case_id`` to ``out`` (see the module's
    text) and return its receipt; ``password``: AES-encrypted, ``timestamp``: its tag
    manifest stamped by that authority (by default the configured one,
    ``KINLINK_TSA_URL``; one that cannot be reached leaves the bundle unstamped, said in
    the receipt's ``timestamp_problem``, its bag-info and its audit event). A case out of
    the actor's reach answers as missing (audited); an original that no longer matches
    its hash stops it, nothing written. Audited ``evidence.bundle_made`` with the
    bundle's SHA-256, and ``document.bundled`` for every document in it."""
    require(actor, Action.EVIDENCE_BUNDLE)
    if password is not None and len(password) < MIN_PASSPHRASE_LENGTH:
        raise InputRefusedError(_SHORT_PASSWORD(length=MIN_PASSPHRASE_LENGTH),
                                field="password")
    if timestamp is None and ev.tsa_url is not None:
        timestamp = TimestampAuthority(ev.tsa_url)
    written = False
    try:
        with within_reach(ev.store, actor) as (session, reach):
            case = case_in_reach(session, reach, case_id)
            records = _child_records(session, reach, case.sought_record_pk)
            gathered = _gather(ev, session, actor, case_id, records, progress)
            metadata: dict[str, object] = {
                "made_by": actor.name, "case": f"case {case_id}",
                "documents": len(gathered.documents)}
            if actor.agency_id is not None:
                metadata["agency"] = actor.agency_id
            if progress is not None:
                progress("writing", 0, 1)
            receipt = write_bundle(out, [BundleFile(p, c) for p, c in gathered.files.items()],
                                   metadata, password=password, timestamp=timestamp)
            written = True
            if progress is not None:
                progress("writing", 1, 1)
            _audit(session, actor, case_id, receipt, gathered)
    except BaseException:
        if written:
            out.unlink(missing_ok=True)
        raise
    return receipt


def _audit(session: Session, actor: Actor, case_id: int, receipt: BundleReceipt,
           gathered: _Gathered) -> None:
    for doc in gathered.documents:
        append_event(session, AuditEvent(actor.name, AuditAction.DOCUMENT_BUNDLED, "document",
                                         str(doc.id), {"sha256": doc.sha256,
                                                       "bundle_sha256": receipt.sha256}))
    append_event(session, AuditEvent(actor.name, AuditAction.EVIDENCE_BUNDLE_MADE, "case",
                                     str(case_id), {
                                         "sha256": receipt.sha256, "size": receipt.size,
                                         "files": receipt.files,
                                         "documents": len(gathered.documents),
                                         "withheld": gathered.withheld,
                                         "tagmanifest_sha256": receipt.tagmanifest_sha256,
                                         "encrypted": receipt.encrypted,
                                         "timestamped": receipt.timestamped,
                                         "timestamp_problem": receipt.timestamp_problem.code
                                         if receipt.timestamp_problem else None}))

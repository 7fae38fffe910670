"""A document's text and the children it may mention, one function per action.

After an upload (:func:`read_and_screen`, called by :func:`~kinlink.usecases.documents.
upload_document` in the same request: text extraction, OCR of a scan included, takes
seconds, not minutes, and the uploader waits for the document's page anyway) the text is
extracted and kept as a derived artefact (kind ``text``: the tool, its version and the
SHA-256 of the UTF-8 text in the content store). When OCR is missing (or a file cannot be
read) the document is kept, the warning is kept as a coded message shown on its page, and
no text (or the born-digital pages' only) is kept.

The text is screened (:class:`~kinlink.evidence.screening.Screener`) for the children of
the records the document's agency sees, sought and found; each hit is a **mention**
waiting for a person. The review queue lists the waiting mentions most likely first
(:func:`mention_queue`); :func:`confirm_mention` attaches the document to the case of the
record's child — the record's own case, or for a found record the case of the reported
child it is linked to (a confirmed pair, the same cluster) that the actor reaches — and
to the record when the child has none; :func:`reject_mention` keeps it off the queue.
When a link is confirmed later (:func:`follow_link`, called by the pair decision), the
documents of the confirmed mentions of the child's records that still sit on a record
move to the child's case, each move audited.
:func:`rescreen_documents` (``kinlink documents rescreen``) screens again, and
:func:`rescreen_after_import` screens the agency's documents against a new list's
records only. A mention is reached where both its document and its record are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.documents import Attachment, AttachmentKind, Derived, DerivedKind, Document
from kinlink.domain.mentions import MentionItem, MentionStatus
from kinlink.domain.permissions import Action, require
from kinlink.domain.records import RecordView
from kinlink.errors import ConfigurationError, ConflictError, KinlinkError, OutOfReachError
from kinlink.evidence import ContentStore
from kinlink.evidence.screening import Screener, SoughtPerson
from kinlink.evidence.text import PAGE_BREAK, extract_text
from kinlink.i18n import N_, WORDINGS, Message, Wording
from kinlink.storage import Session
from kinlink.storage.cases import CaseRepository
from kinlink.storage.documents import DocumentFilter, DocumentRepository
from kinlink.storage.mentions import MentionRepository, ScreenedRecord, screenable_records
from kinlink.storage.review import cluster_of
from kinlink.usecases.document_access import Evidence, document_in_reach
from kinlink.usecases.scope import (
    Reach,
    case_in_reach,
    owning_agency,
    record_in_reach,
    within_reach,
)

__all__ = ["DocumentText", "MentionView", "Segment", "confirm_mention", "document_text",
           "follow_link", "mention_queue", "read_and_screen", "reject_mention",
           "rescreen_after_import", "rescreen_documents"]

TEXT_MEDIA_TYPE = "text/plain; charset=utf-8"
AROUND = 120
"""How many characters either side of a mention the review queue shows."""

_DECIDED = Wording("usecases.mentions.decided", N_(
    "this mention was decided already: {status}"))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _coded(message: Message) -> dict[str, Any]:
    return {"code": message.code, "params": message.api_params()}


def message_of(coded: dict[str, Any]) -> Message | str:
    """A kept coded message as a :class:`Message` again (its text when the code is
    unknown)."""
    wording = WORDINGS.get(str(coded.get("code")))
    params = {k: tuple(v) if isinstance(v, list) else v
              for k, v in dict(coded.get("params") or {}).items()}
    if wording is None:
        return str(coded.get("code"))
    try:
        return wording(**params)
    except ValueError:
        return wording.code


@dataclass(frozen=True)
class _Read:
    """What text extraction gave: the text (``None``: none), the tool, the warnings."""

    text: str | None
    tool: str
    tool_version: str
    warnings: tuple[Message, ...]


def _extract(data: bytes, media_type: str) -> _Read:
    """The document's text; OCR missing: the born-digital pages only, with the warning."""
    try:
        found = extract_text(data, media_type)
    except ConfigurationError as missing:
        try:
            found = extract_text(data, media_type, ocr=False)
        except KinlinkError:
            return _Read(None, "", "", _messages(missing))
        return _Read(found.text if found.text.strip() else None, found.tool,
                     found.tool_version, (*_messages(missing), *found.warnings))
    except KinlinkError as refused:  # damaged, OCR failed or too slow: kept, no text
        return _Read(None, "", "", _messages(refused))
    return _Read(found.text if found.text.strip() else None, found.tool, found.tool_version,
                 found.warnings)


def _messages(error: KinlinkError) -> tuple[Message, ...]:
    message = error.message
    return (message,) if message is not None else ()


def _people(records: Iterable[ScreenedRecord]) -> list[SoughtPerson]:
    return [SoughtPerson(str(pk), given, surname, patronymic, birth, place)
            for pk, given, surname, patronymic, birth, place in records]


def _screen(session: Session, document: Document, text: str, screener: Screener,
            actor_name: str, records: int) -> int:
    """Keep the new mentions ``screener`` finds in ``text``; audited ``document.screened``."""
    repo, now, added = MentionRepository(session), _now(), 0
    for found in screener.screen(text):
        kept = repo.add(agency_id=document.agency_id, document_id=document.id,
                        page=text.count(PAGE_BREAK, 0, found.start) + 1, start=found.start,
                        end=found.end, record_pk=int(found.person_id), score=found.score,
                        evidence=[_coded(m) for m in found.evidence], created_at=now)
        added += kept is not None
    append_event(session, AuditEvent(actor_name, AuditAction.DOCUMENT_SCREENED, "document",
                                     str(document.id), {"sha256": document.sha256,
                                                        "records": records, "new": added}))
    return added


def _kept_text(ev: Evidence, derived: list[Derived]) -> str | None:
    text = next((d for d in reversed(derived) if d.kind is DerivedKind.TEXT), None)
    return ev.content.get(text.sha256).decode("utf-8") if text is not None else None


def _store_text(session: Session, ev: Evidence, document: Document, read: _Read,
                actor_name: str) -> None:
    repo, now = DocumentRepository(session), _now()
    details: dict[str, object] = {"sha256": document.sha256,
                                  "warnings": [m.code for m in read.warnings]}
    if read.text is not None:
        sha = ev.content.put(read.text.encode("utf-8"))
        if not any(d.kind is DerivedKind.TEXT and d.sha256 == sha
                   for d in repo.derived(document.id)):
            repo.add_derived(document_id=document.id, kind=DerivedKind.TEXT, tool=read.tool,
                             tool_version=read.tool_version, sha256=sha,
                             media_type=TEXT_MEDIA_TYPE, created_at=now)
        details |= {"text_sha256": sha, "tool": read.tool, "tool_version": read.tool_version}
    MentionRepository(session).add_warnings(
        document.id, [(m.code, m.api_params()) for m in read.warnings], now)
    append_event(session, AuditEvent(actor_name, AuditAction.DOCUMENT_TEXT_EXTRACTED,
                                     "document", str(document.id), details))


def read_and_screen(ev: Evidence, actor: Actor, document_id: int) -> int:
    """Extract the text of a document just kept, keep it, and screen it against every
    record its agency sees; the number of mentions found. Run by the upload's use case
    (the actor's permission was checked there)."""
    with ev.store.transaction() as session:
        document = DocumentRepository(session).get(document_id)
        assert document is not None
    read = _extract(ev.content.get(document.sha256), document.doc_type.media_type)
    with ev.store.transaction() as session:
        _store_text(session, ev, document, read, actor.name)
        if read.text is None:
            return 0
        records = screenable_records(session, document.agency_id)
        return _screen(session, document, read.text, Screener(_people(records)), actor.name,
                       len(records))


def rescreen_documents(ev: Evidence, actor: Actor, *, again: bool = False) -> tuple[int, int]:
    """Screen the documents of the actor's agency (the operator: every agency's) against
    every record their agency sees now; a document without a kept text (OCR was missing)
    is read first, and with ``again`` every document's text is extracted anew. The number
    of documents screened and of new mentions."""
    require(actor, Action.DOCUMENTS_ADD)
    with ev.store.transaction() as session:
        found = DocumentRepository(session).find(DocumentFilter(actor.agency_id),
                                                 limit=1_000_000)
    screened = added = 0
    screeners: dict[int, tuple[Screener, int]] = {}
    for document in found:
        with ev.store.transaction() as session:
            text = _kept_text(ev, DocumentRepository(session).derived(document.id))
        if text is None or again:
            added += read_and_screen(ev, actor, document.id)
        else:
            with ev.store.transaction() as session:
                if document.agency_id not in screeners:
                    records = screenable_records(session, document.agency_id)
                    screeners[document.agency_id] = (Screener(_people(records)),
                                                      len(records))
                screener, count = screeners[document.agency_id]
                added += _screen(session, document, text, screener, actor.name, count)
        screened += 1
    return screened, added


def rescreen_after_import(ev: Evidence, actor: Actor, source_id: int) -> int:
    """Screen the kept texts of the agency's documents against the records of the list
    ``source_id`` only (a list of reported children whose import just finished); the
    number of new mentions."""
    agency = owning_agency(actor)
    with ev.store.transaction() as session:
        records = screenable_records(session, agency, [source_id])
        found = DocumentRepository(session).find(DocumentFilter(agency), limit=1_000_000)
    if not records:
        return 0
    screener, added = Screener(_people(records)), 0
    for document in found:
        with ev.store.transaction() as session:
            text = _kept_text(ev, DocumentRepository(session).derived(document.id))
            if text is not None:
                added += _screen(session, document, text, screener, actor.name, len(records))
    return added


@dataclass(frozen=True)
class MentionView:
    """A mention as the review queue shows it: the words around it, the record, the
    evidence in words."""

    mention: MentionItem
    document: Document
    record: RecordView
    case_id: int | None
    before: str
    span: str
    after: str
    evidence: tuple[Message | str, ...]


def _in_reach(session: Session, reach: Reach, actor: Actor,
              mention_id: int) -> tuple[MentionItem, Document, RecordView]:
    mention = MentionRepository(session).get(mention_id)
    if mention is None:
        raise OutOfReachError("mention", mention_id)
    try:
        document = document_in_reach(session, reach, actor, mention.document_id)
        record = record_in_reach(session, reach, mention.record_pk)
    except OutOfReachError:
        raise OutOfReachError("mention", mention_id) from None
    if not reach.owns(mention.agency_id):
        raise OutOfReachError("mention", mention_id)
    return mention, document, record


def _view(ev: Evidence, session: Session, mention: MentionItem, document: Document,
          record: RecordView, texts: dict[int, str | None]) -> MentionView:
    if document.id not in texts:
        texts[document.id] = _kept_text(ev, DocumentRepository(session).derived(document.id))
    text = texts[document.id] or ""
    cases = CaseRepository(session).for_records([record.id])
    return MentionView(
        mention, document, record, cases[0].id if cases else None,
        text[max(0, mention.start - AROUND):mention.start].replace(PAGE_BREAK, "\n"),
        text[mention.start:mention.end],
        text[mention.end:mention.end + AROUND].replace(PAGE_BREAK, "\n"),
        tuple(message_of(e) for e in mention.evidence))


def mention_queue(ev: Evidence, actor: Actor, limit: int = 200) -> list[MentionView]:
    """The waiting mentions the actor reaches (document and record), most likely first.
    Audited ``mentions.listed`` with the count."""
    require(actor, Action.REVIEW_VIEW)
    with within_reach(ev.store, actor) as (session, reach):
        shown: list[MentionView] = []
        texts: dict[int, str | None] = {}
        for mention in MentionRepository(session).waiting(actor.agency_id):
            try:
                _, document, record = _in_reach(session, reach, actor, mention.id)
            except OutOfReachError:
                continue
            shown.append(_view(ev, session, mention, document, record, texts))
            if len(shown) >= limit:
                break
        append_event(session, AuditEvent(actor.name, AuditAction.MENTIONS_LISTED, "mention",
                                         None, {"count": len(shown)}))
    return shown


def _decide(ev: Evidence, actor: Actor, mention_id: int,
            status: MentionStatus) -> tuple[MentionItem, Attachment | None]:
    require(actor, Action.REVIEW_DECIDE)
    with within_reach(ev.store, actor) as (session, reach):
        mention, document, record = _in_reach(session, reach, actor, mention_id)
        if mention.status is not MentionStatus.WAITING:
            raise ConflictError(_DECIDED(status=mention.status.value))
        now = _now()
        MentionRepository(session).decide(mention_id, status, actor.name, now)
        details: dict[str, object] = {"sha256": document.sha256, "mention": mention_id,
                                      "record": record.id, "score": mention.score}
        attached = None
        if status is MentionStatus.CONFIRMED:
            attached = _attach(session, actor, reach, document, record, details)
        append_event(session, AuditEvent(
            actor.name, AuditAction.MENTION_CONFIRMED if status is MentionStatus.CONFIRMED
            else AuditAction.MENTION_REJECTED, "document", str(document.id), details))
        decided = MentionRepository(session).get(mention_id)
    assert decided is not None
    return decided, attached


def _child_case(session: Session, reach: Reach, record_pk: int) -> int | None:
    """The case of the child ``record_pk`` is a record of: its own case, else the oldest
    case the actor reaches of a reported record linked to it (``None``: no such case)."""
    repository = CaseRepository(session)
    own = repository.for_records([record_pk])
    if own:
        return own[0].id
    for case in repository.for_records(sorted(cluster_of(session, record_pk).records)):
        try:
            return case_in_reach(session, reach, case.id).id
        except OutOfReachError:
            continue
    return None


def _move(session: Session, actor: Actor, document: Document, target: Attachment,
          details: dict[str, object]) -> None:
    """Attach ``document`` to ``target``, audited ``document.attached`` (with
    ``details``: why)."""
    DocumentRepository(session).attach(document.id, target)
    append_event(session, AuditEvent(
        actor.name, AuditAction.DOCUMENT_ATTACHED, "document", str(document.id),
        {"sha256": document.sha256,
         "from": {"kind": document.attachment.kind.value,
                  "id": document.attachment.target_id},
         "to": {"kind": target.kind.value, "id": target.target_id}} | details))


def _attach(session: Session, actor: Actor, reach: Reach, document: Document,
            record: RecordView, details: dict[str, object]) -> Attachment:
    """Attach the document to the case of the record's child (the record when the child
    has no case the actor reaches)."""
    case_id = _child_case(session, reach, record.id)
    target = (Attachment(AttachmentKind.CASE, case_id) if case_id is not None
              else Attachment(AttachmentKind.RECORD, record.id))
    details["to"] = {"kind": target.kind.value, "id": target.target_id}
    if document.attachment != target:
        _move(session, actor, document, target, {"by": "mention"})
    return target


def follow_link(session: Session, actor: Actor, reach: Reach, record_pk: int) -> int:
    """After a link was confirmed on ``record_pk`` (in the caller's transaction): the
    documents of the confirmed mentions of its child's records that are still attached
    to one of those records (where confirming put them while the found record stood
    alone) move to the child's case the actor reaches, audited ``document.attached``
    ``by: link`` with the mention. Returns how many documents moved."""
    case_id = _child_case(session, reach, record_pk)
    if case_id is None:
        return 0
    records = cluster_of(session, record_pk).records
    target, moved = Attachment(AttachmentKind.CASE, case_id), set()
    for mention in MentionRepository(session).confirmed_of_records(records):
        try:
            document = document_in_reach(session, reach, actor, mention.document_id)
        except OutOfReachError:
            continue
        at = document.attachment
        if (document.id in moved or at.kind is not AttachmentKind.RECORD
                or at.target_id not in records):
            continue
        _move(session, actor, document, target, {"by": "link", "mention": mention.id,
                                                 "record": mention.record_pk})
        moved.add(document.id)
    return len(moved)


def confirm_mention(ev: Evidence, actor: Actor,
                    mention_id: int) -> tuple[MentionItem, Attachment | None]:
    """Confirm that the document mentions the record's child: the document is attached to
    the record's case (to the record when it has none). Audited ``mention.confirmed``
    (and ``document.attached`` when it moved)."""
    return _decide(ev, actor, mention_id, MentionStatus.CONFIRMED)


def reject_mention(ev: Evidence, actor: Actor, mention_id: int) -> MentionItem:
    """Reject a mention: it leaves the queue and the document's highlights. Audited
    ``mention.rejected``."""
    return _decide(ev, actor, mention_id, MentionStatus.REJECTED)[0]


@dataclass(frozen=True)
class Segment:
    """A piece of a document's text: plain, or a mention of a record."""

    text: str
    mention: MentionItem | None = None


@dataclass(frozen=True)
class DocumentText:
    """A document's text cut into plain pieces and mentions, what made it, its warnings."""

    segments: tuple[Segment, ...]
    text: Derived | None
    warnings: tuple[Message | str, ...]
    mentions: tuple[MentionItem, ...]


def _segments(text: str, mentions: list[MentionItem]) -> tuple[Segment, ...]:
    pieces, at = [], 0
    for mention in mentions:
        if mention.start < at:
            continue
        pieces += [Segment(text[at:mention.start]), Segment(text[mention.start:mention.end],
                                                            mention)]
        at = mention.end
    pieces.append(Segment(text[at:]))
    return tuple(p for p in pieces if p.text)


def text_of(content: ContentStore, session: Session, reach: Reach,
            document_id: int) -> DocumentText:
    """The document's text with the mentions of records in ``reach`` (the caller checked
    the document is in reach)."""
    derived = DocumentRepository(session).derived(document_id)
    made = next((d for d in reversed(derived) if d.kind is DerivedKind.TEXT), None)
    repo = MentionRepository(session)
    warnings = tuple(message_of({"code": w.code, "params": w.params})
                     for w in repo.warnings(document_id))
    text = content.get(made.sha256).decode("utf-8") if made is not None else ""
    shown = [m for m in repo.of_document(document_id) if _record_seen(session, reach, m)]
    return DocumentText(_segments(text, shown), made, warnings, tuple(shown))


def _record_seen(session: Session, reach: Reach, mention: MentionItem) -> bool:
    try:
        record_in_reach(session, reach, mention.record_pk)
    except OutOfReachError:
        return False
    return True


def document_text(ev: Evidence, actor: Actor, document_id: int) -> DocumentText:
    """The document's text with its mentions highlighted (read with the document's page,
    whose ``document.read`` event covers it)."""
    require(actor, Action.DOCUMENTS_VIEW)
    with within_reach(ev.store, actor) as (session, reach):
        document_in_reach(session, reach, actor, document_id)
        return text_of(ev.content, session, reach, document_id)

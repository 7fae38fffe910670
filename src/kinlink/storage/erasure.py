"""Erasure in the store: personal fields replaced by a tombstone, everything else kept.

What goes (the values; the rows stay, so pairs, decisions and cases keep their shape):

* a **record**: its parsed fields, raw cells (each replaced by ``null``), the list's
  identifier of it (``erased-<id>``), its earlier versions and their reasons, the values
  of its import warnings, its reporter and the reason of a withdrawn consent; its name
  and blocking keys and the mentions of it are deleted; the values shown in its pairs'
  explanations and the notes of decisions on them are cleared; its case's notes,
  photograph, step reasons and the values sent to and answered by mediators; the
  documents attached to it or to its case;
* a **reporter**: name, relationship, contact, language;
* a **case's notes**: the contact log's "with whom" and summary, the tasks' titles;
* a **case's photograph**: its bytes and perceptual hashes;
* a **document**: its file name, where and from whom it came, its description, its
  mentions, text warnings and perceptual hashes; its blobs (original, working copy,
  extracted text) are returned to be removed from disk when no other document uses them;
* a **list** (source): every record of it as above, the values of its import issues, the
  file name it was imported from, and the documents attached to it.

Every erasure writes a tombstone (``erasures``): the kind and id, the fields that held a
value (``table.column``), when, by whom, the basis, rule and reason — never a value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from kinlink.domain.retention import ErasureBasis, ErasureKind, Tombstone
from kinlink.storage.casework_tables import (
    CaseContactRow,
    CaseTaskRow,
    ConsentRow,
    RecordVersionRow,
)
from kinlink.storage.documents import DocumentDerivedRow, DocumentRow
from kinlink.storage.linkage_tables import CandidatePairRow, LinkageKeyRow
from kinlink.storage.mediation_tables import AnswerRowRecord, CasePhotoRow, ListChildRow
from kinlink.storage.mentions import MentionRow, TextWarningRow
from kinlink.storage.photographs import PhotoFlagRow, PhotoHashRow
from kinlink.storage.remote_tables import RemoteCandidateRow, RemoteDecisionRow
from kinlink.storage.retention_tables import ErasureRow
from kinlink.storage.review_tables import CaseEventRow, CaseRow, DecisionRow
from kinlink.storage.tables import (
    AuditEventRow,
    ImportIssueRow,
    ImportJobRow,
    ImportRunRow,
    RecordRow,
    ReporterRow,
    SourceRow,
)
from kinlink.storage.web_tables import SearchKeyRow

__all__ = ["ERASED", "ErasureRepository", "Scrubbed"]

ERASED = "erased"
"""What a text column that may not be empty holds once its value was erased."""

_RECORD_FIELDS = (
    "given_name", "surname", "patronymic", "full_name", "sex", "birth_year", "birth_month",
    "birth_day", "birth_place", "last_known_place", "event_year", "event_month", "event_day",
    "source_text", "notes", "institution", "moved_year", "moved_month", "moved_day", "group",
    "siblings_count")
_REPORTER_FIELDS = ("name", "relationship", "contact", "language")
_DOCUMENT_NULLABLE = ("source_url", "device", "from_person")


@dataclass
class Scrubbed:
    """What one erasure did: the fields that held a value, the blobs no longer needed
    (to remove from disk), the tables written (to compact), the documents erased with it."""

    fields: list[str] = field(default_factory=list)
    blobs: set[str] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)
    documents: list[int] = field(default_factory=list)
    records: list[int] = field(default_factory=list)

    def had(self, table: str, column: str, value: Any) -> None:
        """Note ``table.column`` when ``value`` was there."""
        if value not in (None, "", [], {}):
            self.fields.append(f"{table}.{column}")
        self.tables.add(table)


def _tombstone(row: ErasureRow) -> Tombstone:
    return Tombstone(row.id, ErasureKind(row.kind), row.target_id,
                     tuple(str(f) for f in row.fields), ErasureBasis(row.basis), row.reason,
                     row.erased_by, row.erased_at, row.rule_id)


class ErasureRepository:
    """Erasures and their tombstones, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # Tombstones -------------------------------------------------------------------

    def tombstone(self, kind: ErasureKind, target_id: int, scrubbed: Scrubbed, *,
                  basis: ErasureBasis, reason: str, by: str, at: dt.datetime,
                  rule_id: int | None = None) -> Tombstone:
        """Keep the tombstone of an erasure."""
        row = ErasureRow(kind=kind.value, target_id=target_id,
                         fields=sorted(set(scrubbed.fields)), basis=basis.value,
                         rule_id=rule_id, reason=reason, erased_by=by, erased_at=at)
        self._session.add(row)
        self._session.flush()
        return _tombstone(row)

    def tombstones(self, kind: ErasureKind | None = None,
                   target_id: int | None = None) -> list[Tombstone]:
        """Tombstones (of one kind, of one thing), newest first."""
        query = select(ErasureRow).order_by(ErasureRow.id.desc())
        if kind is not None:
            query = query.where(ErasureRow.kind == kind.value)
        if target_id is not None:
            query = query.where(ErasureRow.target_id == target_id)
        return [_tombstone(r) for r in self._session.execute(query).scalars()]

    def erased(self, kind: ErasureKind) -> set[int]:
        """The ids of the things of ``kind`` erased already."""
        return {int(i) for i in self._session.execute(
            select(ErasureRow.target_id).where(ErasureRow.kind == kind.value)).scalars()}

    def lineage(self) -> str:
        """The hash of the store's first audit event: tells this store and its backups
        from any other (empty for a store with no events yet)."""
        found = self._session.execute(select(AuditEventRow.hash).order_by(
            AuditEventRow.id).limit(1)).scalar()
        return str(found or "")

    # What exists and whose it is --------------------------------------------------

    def agency_of(self, kind: ErasureKind, target_id: int) -> int | None:
        """The agency that owns the thing (``None``: there is no such thing)."""
        if kind is ErasureKind.DOCUMENT:
            doc = self._session.get(DocumentRow, target_id)
            return doc.agency_id if doc is not None else None
        if kind is ErasureKind.SOURCE:
            source = self._session.get(SourceRow, target_id)
            return source.agency_id if source is not None else None
        if kind in (ErasureKind.CASE_NOTES, ErasureKind.CASE_PHOTO):
            case = self._session.get(CaseRow, target_id)
            if case is None:
                return None
            target_id = case.sought_record_pk
        found = self._session.execute(
            select(SourceRow.agency_id).join(RecordRow, RecordRow.source_id == SourceRow.id)
            .where(RecordRow.id == target_id)).scalar()
        return int(found) if found is not None else None

    # Erasing ----------------------------------------------------------------------

    def erase(self, kind: ErasureKind, target_id: int) -> Scrubbed:
        """Erase ``kind`` ``target_id`` (see the module's text); no tombstone yet."""
        done = Scrubbed()
        if kind is ErasureKind.RECORD:
            self._record(target_id, done)
        elif kind is ErasureKind.REPORTER:
            self._reporter(target_id, done)
        elif kind is ErasureKind.CASE_NOTES:
            self._case_notes(target_id, done)
        elif kind is ErasureKind.CASE_PHOTO:
            self._case_photo(target_id, done)
        elif kind is ErasureKind.DOCUMENT:
            self._document(target_id, done)
        else:
            self._source(target_id, done)
        self._session.flush()
        return done

    def _record(self, record_pk: int, done: Scrubbed) -> None:
        row = self._session.get(RecordRow, record_pk)
        assert row is not None
        done.records.append(record_pk)
        for name in _RECORD_FIELDS:
            done.had("records", name, getattr(row, name))
            setattr(row, name, None)
        done.had("records", "extra", row.extra)
        row.extra = {}
        done.fields += [f"records.raw[{i}]" for i, cell in enumerate(row.raw or [])
                        if cell not in (None, "")]
        row.raw = [None] * len(row.raw or [])
        done.had("records", "record_id", row.record_id)
        row.record_id = f"{ERASED}-{record_pk}"
        self._reporter(record_pk, done)
        self._record_papers(record_pk, done)
        self._record_links(record_pk, done)
        case = self._session.execute(select(CaseRow).where(
            CaseRow.sought_record_pk == record_pk)).scalar()
        if case is not None:
            self._case_whole(case.id, done)
        documents = self._session.execute(select(DocumentRow.id).where(or_(
            DocumentRow.record_pk == record_pk,
            DocumentRow.case_id == (case.id if case is not None else -1)))).scalars()
        for document_id in list(documents):
            self._document(int(document_id), done)

    def _reporter(self, record_pk: int, done: Scrubbed) -> None:
        reporter = self._session.execute(select(ReporterRow).where(
            ReporterRow.record_pk == record_pk)).scalar()
        if reporter is not None:
            for name in _REPORTER_FIELDS:
                done.had("reporters", name, getattr(reporter, name))
                setattr(reporter, name, None)
        consent = self._session.get(ConsentRow, record_pk)
        if consent is not None:
            done.had("consents", "withdrawn_reason", consent.withdrawn_reason)
            consent.withdrawn_reason = None

    def _record_papers(self, record_pk: int, done: Scrubbed) -> None:
        for version in self._session.execute(select(RecordVersionRow).where(
                RecordVersionRow.record_pk == record_pk)).scalars():
            done.had("record_versions", "fields", version.fields)
            done.had("record_versions", "reason", version.reason)
            version.fields, version.reason = {}, ERASED
        for issue in self._session.execute(select(ImportIssueRow).where(
                ImportIssueRow.record_pk == record_pk)).scalars():
            self._issue(issue, done)

    def _issue(self, issue: ImportIssueRow, done: Scrubbed) -> None:
        done.had("import_issues", "value", issue.value)
        done.had("import_issues", "raw", issue.raw)
        issue.value = None
        issue.raw = None if issue.raw is None else [None] * len(issue.raw)

    def _record_links(self, record_pk: int, done: Scrubbed) -> None:
        for table, column in ((SearchKeyRow, SearchKeyRow.record_pk),
                              (LinkageKeyRow, LinkageKeyRow.record_id),
                              (MentionRow, MentionRow.record_pk)):
            gone = self._session.execute(delete(table).where(column == record_pk))
            if getattr(gone, "rowcount", 0):
                done.fields.append(f"{table.__tablename__}.*")
            done.tables.add(table.__tablename__)
        either = or_(CandidatePairRow.record_low == record_pk,
                     CandidatePairRow.record_high == record_pk)
        for pair in self._session.execute(select(CandidatePairRow).where(either)).scalars():
            pair.explanation = _without_values(pair.explanation)
            done.had("candidate_pairs", "explanation", "values")
        for decision in self._session.execute(select(DecisionRow).where(or_(
                DecisionRow.record_low == record_pk,
                DecisionRow.record_high == record_pk))).scalars():
            done.had("decisions", "note", decision.note)
            decision.note = None
        self._remote_links(record_pk, done)

    def _remote_links(self, record_pk: int, done: Scrubbed) -> None:
        """A record another party holds stays paired with the erased record (its history of
        decisions too), but its reference — which finds the child in that party's list —
        and the notes of its decisions go."""
        remote = list(self._session.execute(select(RemoteCandidateRow).where(
            RemoteCandidateRow.record_pk == record_pk)).scalars())
        for candidate in remote:
            done.had("remote_candidates", "remote_ref", candidate.remote_ref)
            candidate.remote_ref = f"{ERASED} {candidate.id}"
        for decision in self._session.execute(select(RemoteDecisionRow).where(
                RemoteDecisionRow.candidate_id.in_([c.id for c in remote]))).scalars():
            done.had("remote_decisions", "note", decision.note)
            decision.note = None

    def _case_whole(self, case_id: int, done: Scrubbed) -> None:
        self._case_notes(case_id, done)
        self._case_photo(case_id, done)
        for event in self._session.execute(select(CaseEventRow).where(
                CaseEventRow.case_id == case_id)).scalars():
            done.had("case_events", "reason", event.reason)
            done.had("case_events", "evidence_ref", event.evidence_ref)
            event.reason = ERASED
            event.evidence_ref = None
        children = [int(c) for c in self._session.execute(select(ListChildRow.id).where(
            ListChildRow.case_id == case_id)).scalars()]
        if children:
            for child in self._session.execute(select(ListChildRow).where(
                    ListChildRow.id.in_(children))).scalars():
                done.had("list_children", "sent_values", child.sent_values)
                child.sent_values = None
            for answer in self._session.execute(select(AnswerRowRecord).where(
                    AnswerRowRecord.list_child_id.in_(children))).scalars():
                done.had("answer_rows", "values", answer.values)
                done.had("answer_rows", "status_text", answer.status_text)
                answer.values, answer.status_text, answer.state_note = {}, "", None

    def _case_notes(self, case_id: int, done: Scrubbed) -> None:
        for contact in self._session.execute(select(CaseContactRow).where(
                CaseContactRow.case_id == case_id)).scalars():
            done.had("case_contacts", "with_whom", contact.with_whom)
            done.had("case_contacts", "summary", contact.summary)
            contact.with_whom, contact.summary = ERASED, ERASED
        for task in self._session.execute(select(CaseTaskRow).where(
                CaseTaskRow.case_id == case_id)).scalars():
            done.had("case_tasks", "title", task.title)
            task.title = ERASED

    def _case_photo(self, case_id: int, done: Scrubbed) -> None:
        photo = self._session.execute(select(CasePhotoRow).where(
            CasePhotoRow.case_id == case_id)).scalar()
        if photo is None:
            return
        done.had("case_photos", "content", photo.content)
        photo.content = b""
        self._drop_hashes(PhotoHashRow.case_photo_id == photo.id, done)

    def _drop_hashes(self, where: Any, done: Scrubbed) -> None:
        hashes = [int(h) for h in self._session.execute(
            select(PhotoHashRow.id).where(where)).scalars()]
        if not hashes:
            return
        self._session.execute(delete(PhotoFlagRow).where(or_(
            PhotoFlagRow.new_id.in_(hashes), PhotoFlagRow.old_id.in_(hashes))))
        self._session.execute(delete(PhotoHashRow).where(PhotoHashRow.id.in_(hashes)))
        done.fields.append("photo_hashes.*")
        done.tables |= {"photo_hashes", "photo_flags"}

    def _document(self, document_id: int, done: Scrubbed) -> None:
        row = self._session.get(DocumentRow, document_id)
        assert row is not None
        if document_id in done.documents:
            return
        done.documents.append(document_id)
        done.had("documents", "filename", row.filename)
        done.had("documents", "description", row.description)
        row.filename, row.description = ERASED, ERASED
        for name in _DOCUMENT_NULLABLE:
            done.had("documents", name, getattr(row, name))
            setattr(row, name, None)
        for table, column in ((MentionRow, MentionRow.document_id),
                              (TextWarningRow, TextWarningRow.document_id)):
            self._session.execute(delete(table).where(column == document_id))
            done.tables.add(table.__tablename__)
        self._drop_hashes(PhotoHashRow.document_id == document_id, done)
        derived = list(self._session.execute(select(DocumentDerivedRow.sha256).where(
            DocumentDerivedRow.document_id == document_id)).scalars())
        for sha in {row.sha256, *derived}:
            if not self._blob_used_elsewhere(str(sha), document_id, done.documents):
                done.blobs.add(str(sha))
                done.fields.append("evidence.blob")

    def _blob_used_elsewhere(self, sha: str, document_id: int, erasing: list[int]) -> bool:
        gone = self.erased(ErasureKind.DOCUMENT) | set(erasing) | {document_id}
        users = set(self._session.execute(select(DocumentRow.id).where(
            DocumentRow.sha256 == sha)).scalars())
        users |= set(self._session.execute(select(DocumentDerivedRow.document_id).where(
            DocumentDerivedRow.sha256 == sha)).scalars())
        return bool({int(u) for u in users} - gone)

    def _source(self, source_id: int, done: Scrubbed) -> None:
        source = self._session.get(SourceRow, source_id)
        assert source is not None
        done.had("sources", "original_filename", source.original_filename)
        source.original_filename = ERASED
        records = list(self._session.execute(select(RecordRow.id).where(
            RecordRow.source_id == source_id)).scalars())
        for record_pk in records:
            self._record(int(record_pk), done)
        runs = select(ImportRunRow.id).where(ImportRunRow.source_id == source_id)
        for issue in self._session.execute(select(ImportIssueRow).where(
                ImportIssueRow.import_run_id.in_(runs))).scalars():
            self._issue(issue, done)
        self._session.execute(update(ImportRunRow).where(ImportRunRow.source_id == source_id)
                              .values(original_filename=ERASED))
        self._session.execute(update(ImportJobRow).where(ImportJobRow.source_id == source_id)
                              .values(file=ERASED))
        done.tables |= {"import_runs", "import_jobs"}
        for document_id in list(self._session.execute(select(DocumentRow.id).where(
                DocumentRow.source_id == source_id)).scalars()):
            self._document(int(document_id), done)


def _without_values(explanation: dict[str, Any]) -> dict[str, Any]:
    """A pair's explanation with its fields, levels and weights, and no values."""
    fields = []
    for found in explanation.get("fields", []):
        kept = {k: v for k, v in dict(found).items() if k not in ("args",)}
        kept["left"] = kept["right"] = None
        if "args" in found:
            kept["words"] = ERASED
        fields.append(kept)
    return {**explanation, "fields": fields, "erased": True}


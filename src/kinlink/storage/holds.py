"""Legal holds (revision 0020), and what each thing that may be erased is covered by.

A hold is placed on a case, a record, a list or a document. Erasing something is refused
while a hold is in force on it or on anything that contains it: a record is covered by
holds on itself, its list and its case, and — a hold on a child keeps the whole child —
by holds on every record linked to it (its cluster: people's *same* decisions and the
automatic links no one overruled) and on their cases; a case's notes and photograph by holds on the
case, its reported record and that record's list; a document by holds on itself and on
what it is attached to (and what contains that); a list by holds on itself, on any of its
records, their cases and the documents attached to the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kinlink.domain.retention import ErasureKind, Hold, HoldTarget
from kinlink.storage.documents import DocumentRow
from kinlink.storage.retention_tables import LegalHoldRow
from kinlink.storage.review import clusters_of
from kinlink.storage.review_tables import CaseRow
from kinlink.storage.tables import RecordRow

__all__ = ["HoldRepository", "Target"]

Target = tuple[HoldTarget, int]
"""Something a hold may be placed on: its kind and id."""


def _hold(row: LegalHoldRow) -> Hold:
    return Hold(row.id, row.agency_id, HoldTarget(row.target), row.target_id, row.reference,
                row.reason, row.placed_by, row.placed_at, row.lifted_by, row.lifted_at,
                row.lift_reason)


class HoldRepository:
    """Legal holds and what they cover, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def place(self, *, agency_id: int, target: HoldTarget, target_id: int, reference: str,
              reason: str, placed_by: str, placed_at: dt.datetime) -> Hold:
        """Keep a new hold."""
        row = LegalHoldRow(agency_id=agency_id, target=target.value, target_id=target_id,
                           reference=reference, reason=reason, placed_by=placed_by,
                           placed_at=placed_at)
        self._session.add(row)
        self._session.flush()
        return _hold(row)

    def get(self, hold_id: int) -> Hold | None:
        """The hold, or ``None``."""
        row = self._session.get(LegalHoldRow, hold_id)
        return _hold(row) if row is not None else None

    def lift(self, hold_id: int, *, by: str, at: dt.datetime, reason: str) -> bool:
        """Lift the hold; ``False`` when it was lifted already."""
        row = self._session.get(LegalHoldRow, hold_id, with_for_update=True)
        if row is None or row.lifted_at is not None:
            return False
        row.lifted_by, row.lifted_at, row.lift_reason = by, at, reason
        self._session.flush()
        return True

    def listing(self, agency_id: int | None, *, active_only: bool = False) -> list[Hold]:
        """The holds of ``agency_id`` (``None``: every agency's), newest first."""
        query = select(LegalHoldRow).order_by(LegalHoldRow.placed_at.desc(),
                                              LegalHoldRow.id.desc())
        if agency_id is not None:
            query = query.where(LegalHoldRow.agency_id == agency_id)
        if active_only:
            query = query.where(LegalHoldRow.lifted_at.is_(None))
        return [_hold(r) for r in self._session.execute(query).scalars()]

    def active_on(self, targets: Iterable[Target]) -> list[Hold]:
        """The holds in force on any of ``targets``, oldest first."""
        wanted = set(targets)
        if not wanted:
            return []
        by_kind: dict[HoldTarget, list[int]] = {}
        for kind, ident in sorted(wanted):
            by_kind.setdefault(kind, []).append(ident)
        clauses = [(LegalHoldRow.target == kind.value) & LegalHoldRow.target_id.in_(ids)
                   for kind, ids in by_kind.items()]
        rows = self._session.execute(
            select(LegalHoldRow).where(LegalHoldRow.lifted_at.is_(None), or_(*clauses))
            .order_by(LegalHoldRow.id)).scalars()
        return [_hold(r) for r in rows]

    # What covers what -------------------------------------------------------------

    def covering(self, kind: ErasureKind, target_id: int) -> set[Target]:
        """Everything a hold on which keeps ``kind`` ``target_id`` from erasure."""
        if kind in (ErasureKind.RECORD, ErasureKind.REPORTER):
            return self._of_record(target_id)
        if kind in (ErasureKind.CASE_NOTES, ErasureKind.CASE_PHOTO):
            return self._of_case(target_id)
        if kind is ErasureKind.DOCUMENT:
            return self._of_document(target_id)
        return self._of_source(target_id)

    def _of_record(self, record_pk: int) -> set[Target]:
        return self._of_records([record_pk])

    def _of_records(self, record_pks: list[int]) -> set[Target]:
        """Holds that keep any of ``record_pks``: on them, their lists, and on every
        record of their children (clusters) and those records' cases."""
        linked: set[int] = set(record_pks)
        for cluster in clusters_of(self._session, record_pks).values():
            linked.update(cluster.records)
        found: set[Target] = {(HoldTarget.RECORD, r) for r in linked}
        sources = self._session.execute(select(RecordRow.source_id).where(
            RecordRow.id.in_(record_pks))).scalars()
        found |= {(HoldTarget.SOURCE, int(s)) for s in sources}
        cases = self._session.execute(select(CaseRow.id).where(
            CaseRow.sought_record_pk.in_(linked))).scalars()
        found |= {(HoldTarget.CASE, int(c)) for c in cases}
        return found

    def _of_case(self, case_id: int) -> set[Target]:
        found: set[Target] = {(HoldTarget.CASE, case_id)}
        row = self._session.get(CaseRow, case_id)
        if row is not None:
            found |= self._of_record(row.sought_record_pk)
        return found

    def _of_document(self, document_id: int) -> set[Target]:
        found: set[Target] = {(HoldTarget.DOCUMENT, document_id)}
        row = self._session.get(DocumentRow, document_id)
        if row is None:
            return found
        if row.case_id is not None:
            found |= self._of_case(row.case_id)
        if row.record_pk is not None:
            found |= self._of_record(row.record_pk)
        if row.source_id is not None:
            found.add((HoldTarget.SOURCE, row.source_id))
        return found

    def _of_source(self, source_id: int) -> set[Target]:
        records = [int(r) for r in self._session.execute(
            select(RecordRow.id).where(RecordRow.source_id == source_id)).scalars()]
        return {(HoldTarget.SOURCE, source_id), *self._of_records(records)}

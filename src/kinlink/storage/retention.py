"""Retention rules (revision 0020) and what each rule finds due.

A rule's *subjects* are the records (with their case, list and agency) and the moment its
period counts from: the case's closing (the latest step into its closed status), the
list's receipt (its ``received_on``, else when it was imported) or the withdrawal of the
reporter's consent. A subject is due when that moment plus the rule's days is past. What
is erased for a due subject depends on the rule's group: the record, its reporter, its
case's notes or photograph, or the documents attached to the record or its case (only
where there is something to erase).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from kinlink.domain.cases import CaseStatus
from kinlink.domain.retention import (
    GROUP_KIND,
    Anchor,
    ErasureKind,
    FieldGroup,
    RetentionRule,
    RuleSpec,
)
from kinlink.storage.casework_tables import CaseContactRow, CaseTaskRow, ConsentRow
from kinlink.storage.documents import DocumentRow
from kinlink.storage.mediation_tables import CasePhotoRow
from kinlink.storage.retention_tables import RetentionRuleRow
from kinlink.storage.review_tables import CaseEventRow, CaseRow
from kinlink.storage.tables import RecordRow, ReporterRow, SourceRow

__all__ = ["Due", "RetentionRepository"]

_CLOSED = tuple(s.value for s in CaseStatus if not s.is_open)


@dataclass(frozen=True)
class Due:
    """One thing a rule finds due: what, since when, whose."""

    kind: ErasureKind
    target_id: int
    due_since: dt.date
    agency_id: int


def _rule(row: RetentionRuleRow) -> RetentionRule:
    spec = RuleSpec(FieldGroup(row.field_group), Anchor(row.anchor), row.keep_days,
                    row.source_kind, row.case_status, row.note)
    return RetentionRule(row.id, spec, row.active, row.set_by, row.set_at, row.agency_id)


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class RetentionRepository:
    """Retention rules and what they find due, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def rules(self, *, active_only: bool = False,
              agency_id: int | None = None) -> list[RetentionRule]:
        """The rules, in the order they were set (with ``agency_id``: the store-wide ones
        and that agency's only)."""
        query = select(RetentionRuleRow).order_by(RetentionRuleRow.id)
        if active_only:
            query = query.where(RetentionRuleRow.active.is_(True))
        if agency_id is not None:
            query = query.where(or_(RetentionRuleRow.agency_id.is_(None),
                                    RetentionRuleRow.agency_id == agency_id))
        return [_rule(r) for r in self._session.execute(query).scalars()]

    def get(self, rule_id: int) -> RetentionRule | None:
        """The rule, or ``None``."""
        row = self._session.get(RetentionRuleRow, rule_id)
        return _rule(row) if row is not None else None

    def add(self, spec: RuleSpec, *, by: str, at: dt.datetime,
            agency_id: int | None = None) -> RetentionRule:
        """Keep a new rule, in force (of ``agency_id``'s data; ``None``: store-wide)."""
        row = RetentionRuleRow(agency_id=agency_id, field_group=spec.group.value,
                               anchor=spec.anchor.value, keep_days=spec.keep_days,
                               source_kind=spec.source_kind, case_status=spec.case_status,
                               note=spec.note, active=True,
                               set_by=by, set_at=at)
        self._session.add(row)
        self._session.flush()
        return _rule(row)

    def set_active(self, rule_id: int, active: bool, *, by: str, at: dt.datetime) -> bool:
        """Put a rule in or out of force; ``False`` when there is no such rule."""
        row = self._session.get(RetentionRuleRow, rule_id)
        if row is None:
            return False
        row.active, row.set_by, row.set_at = active, by, at
        self._session.flush()
        return True

    # What a rule finds due ----------------------------------------------------------

    def due(self, rule: RetentionRule, today: dt.date) -> list[Due]:
        """What ``rule`` finds due on ``today`` (erased things included: the caller
        leaves them out)."""
        spec = rule.spec
        found: list[Due] = []
        for record_pk, case_id, agency_id, moment in self._subjects(spec):
            if rule.agency_id is not None and agency_id != rule.agency_id:
                continue
            since = _day(moment) + dt.timedelta(days=spec.keep_days)
            if since > today:
                continue
            for kind, target in self._targets(spec.group, record_pk, case_id):
                found.append(Due(kind, target, since, agency_id))
        return sorted(set(found), key=lambda d: (d.kind.value, d.target_id))

    def _subjects(self, spec: RuleSpec) -> list[tuple[int, int | None, int, Any]]:
        base = (select(RecordRow.id, CaseRow.id, SourceRow.agency_id)
                .join(SourceRow, SourceRow.id == RecordRow.source_id)
                .outerjoin(CaseRow, CaseRow.sought_record_pk == RecordRow.id)
                .where(SourceRow.state == "ready"))
        if spec.source_kind is not None:
            base = base.where(SourceRow.kind == spec.source_kind)
        if spec.case_status is not None:
            base = base.where(CaseRow.status == spec.case_status)
        if spec.anchor is Anchor.CASE_CLOSED:
            closed_at = (select(func.max(CaseEventRow.at))
                         .where(CaseEventRow.case_id == CaseRow.id,
                                CaseEventRow.to_status == CaseRow.status)
                         .scalar_subquery())
            query = base.add_columns(func.coalesce(closed_at, CaseRow.updated_at)).where(
                CaseRow.status.in_(_CLOSED))
        elif spec.anchor is Anchor.RECEIVED:
            query = base.add_columns(SourceRow.received_on, SourceRow.imported_at)
        else:
            query = base.add_columns(ConsentRow.withdrawn_at).join(
                ConsentRow, ConsentRow.record_pk == RecordRow.id).where(
                ConsentRow.withdrawn_at.is_not(None))
        found = []
        for row in self._session.execute(query).all():
            moment = next((m for m in row[3:] if m is not None), None)
            if moment is not None:
                found.append((int(row[0]), None if row[1] is None else int(row[1]),
                              int(row[2]), moment))
        return found

    def _targets(self, group: FieldGroup, record_pk: int,
                 case_id: int | None) -> list[tuple[ErasureKind, int]]:
        kind = GROUP_KIND[group]
        if group is FieldGroup.RECORD:
            return [(kind, record_pk)]
        if group is FieldGroup.REPORTER_CONTACT:
            has = self._session.execute(select(exists().where(
                ReporterRow.record_pk == record_pk))).scalar()
            return [(kind, record_pk)] if has else []
        if group is FieldGroup.DOCUMENTS:
            where = DocumentRow.record_pk == record_pk
            if case_id is not None:
                where = or_(where, DocumentRow.case_id == case_id)
            return [(kind, int(d)) for d in self._session.execute(
                select(DocumentRow.id).where(where)).scalars()]
        if case_id is None:
            return []
        if group is FieldGroup.NOTES:
            has = self._session.execute(select(
                exists().where(CaseContactRow.case_id == case_id)
                | exists().where(CaseTaskRow.case_id == case_id))).scalar()
        else:
            has = self._session.execute(select(exists().where(
                CasePhotoRow.case_id == case_id))).scalar()
        return [(kind, case_id)] if has else []

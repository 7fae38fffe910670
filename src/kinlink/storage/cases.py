"""Reading and writing children's cases and their history, as read models.

Cases are opened one at a time (a decision that finds a child) or many at once (every
reported child of a list just imported): :meth:`CaseRepository.open_many` writes a batch
of cases and their first steps with a few statements, for the use case that opens them
in short transactions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from kinlink.domain.cases import Case, CaseEvent, CaseStatus, EvidenceKind
from kinlink.domain.records import Role
from kinlink.domain.users import UserRole
from kinlink.storage.review_tables import CaseEventRow, CaseRow
from kinlink.storage.tables import RecordRow
from kinlink.storage.visibility import record_in_reach, record_is_visible

__all__ = ["CaseRepository", "FirstStep", "StaleVersionError", "case_of", "event_of"]

_CASES = cast(Table, CaseRow.__table__)
_EVENTS = cast(Table, CaseEventRow.__table__)
_IN_LIST = 5000
"""Ids per ``IN (…)`` list (SQLite allows 32,766 parameters a statement)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    """A stored timestamp as an aware UTC datetime (SQLite gives them back naive)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def case_of(row: CaseRow) -> Case:
    """The read model of a case row."""
    return Case(row.id, row.sought_record_pk, CaseStatus(row.status), row.version,
                _utc(row.opened_at), _utc(row.updated_at), row.owner_id,
                _utc(row.owner_since) if row.owner_since is not None else None,
                _utc(row.last_activity_at) if row.last_activity_at is not None else None)


def event_of(row: CaseEventRow) -> CaseEvent:
    """The read model of a step of a case's history."""
    return CaseEvent(row.id, row.case_id,
                     CaseStatus(row.from_status) if row.from_status else None,
                     CaseStatus(row.to_status), row.actor, UserRole(row.role), _utc(row.at),
                     row.reason,
                     EvidenceKind(row.evidence_kind) if row.evidence_kind else None,
                     row.evidence_ref)


def _in_reach(query: Any, agency_id: int | None) -> Any:
    """``query`` on cases, kept to those ``agency_id`` sees: a case is seen where its
    reported (sought) record is (:func:`~kinlink.storage.visibility.record_in_reach`)."""
    if agency_id is None:
        return query
    return query.where(CaseRow.sought_record_pk.in_(
        select(RecordRow.id).where(record_in_reach(agency_id))))


class StaleVersionError(Exception):
    """The case changed since the caller read it (optimistic locking)."""


@dataclass(frozen=True)
class FirstStep:
    """Who opens a batch of cases, and why (the first step of each one's history)."""

    actor: str
    role: UserRole
    reason: str


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _IN_LIST):
        yield ids[start:start + _IN_LIST]


class CaseRepository:
    """Cases and their history, in the caller's session and transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, case_id: int) -> Case | None:
        """The case, or ``None``."""
        row = self._session.get(CaseRow, case_id, populate_existing=True)
        return case_of(row) if row is not None else None

    def ids_in_reach(self, case_ids: Iterable[int], agency_id: int | None) -> set[int]:
        """Which of ``case_ids`` exist and ``agency_id`` sees (their reported record is
        on a list it sees)."""
        found: set[int] = set()
        for part in _chunks(list(case_ids)):
            found.update(self._session.execute(
                _in_reach(select(CaseRow.id), agency_id).where(CaseRow.id.in_(part))).scalars())
        return found

    def for_records(self, records: Iterable[int]) -> list[Case]:
        """Cases whose sought record is among ``records``, oldest first."""
        found: list[Case] = []
        for part in _chunks(list(records)):
            found += [case_of(r) for r in self._session.execute(
                select(CaseRow).where(CaseRow.sought_record_pk.in_(part))).scalars()]
        return sorted(found, key=lambda c: c.id)

    def records_with_case(self, among: Iterable[int] | None = None, *,
                          agency_id: int | None = None) -> set[int]:
        """The sought records that have a case (optionally only those ``among``) that
        ``agency_id`` sees (every case for ``None``)."""
        query = _in_reach(select(CaseRow.sought_record_pk), agency_id)
        if among is None:
            return set(self._session.execute(query).scalars())
        found: set[int] = set()
        for part in _chunks(list(among)):
            found.update(self._session.execute(
                query.where(CaseRow.sought_record_pk.in_(part))).scalars())
        return found

    def sought_without_case(self, agency_id: int | None = None) -> list[int]:
        """Sought records that ``agency_id`` sees (every one for ``None``) and that have no
        case yet, in id order."""
        return list(self._session.execute(
            select(RecordRow.id).where(RecordRow.role == Role.SOUGHT.value, record_is_visible(),
                                       record_in_reach(agency_id))
            .where(~RecordRow.id.in_(select(CaseRow.sought_record_pk)))
            .order_by(RecordRow.id)).scalars())

    def open_case(self, sought_record_pk: int, status: CaseStatus) -> Case:
        """Create one case for a sought record."""
        now = _now()
        row = CaseRow(sought_record_pk=sought_record_pk, status=status.value, version=1,
                      opened_at=now, updated_at=now)
        self._session.add(row)
        self._session.flush()
        return case_of(row)

    def open_many(self, sought_records: Sequence[int], status: CaseStatus,
                  step: FirstStep) -> list[Case]:
        """Create a case for each of ``sought_records`` with the first step of its
        history, in a few statements; the cases come back in the order given."""
        if not sought_records:
            return []
        now = _now()
        connection = self._session.connection()
        connection.execute(insert(_CASES), [
            {"sought_record_pk": pk, "status": status.value, "version": 1, "opened_at": now,
             "updated_at": now} for pk in sought_records])
        ids = dict(self._ids_of(sought_records))
        connection.execute(insert(_EVENTS), [
            {"case_id": ids[pk], "from_status": None, "to_status": status.value,
             "actor": step.actor, "role": step.role.value, "at": now, "reason": step.reason,
             "evidence_kind": None, "evidence_ref": None} for pk in sought_records])
        return [Case(ids[pk], pk, status, 1, now, now) for pk in sought_records]

    def _ids_of(self, sought_records: Sequence[int]) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for part in _chunks(sought_records):
            found += [(int(pk), int(case_id)) for pk, case_id in self._session.execute(
                select(CaseRow.sought_record_pk, CaseRow.id)
                .where(CaseRow.sought_record_pk.in_(part))).all()]
        return found

    def listing(self, status: str | None, limit: int, *,
                agency_id: int | None = None) -> list[Case]:
        """Cases ``agency_id`` sees (every one for ``None``), oldest first, optionally of
        one status (a :class:`CaseStatus`)."""
        query = _in_reach(select(CaseRow), agency_id).order_by(CaseRow.id).limit(limit)
        if status is not None:
            query = query.where(CaseRow.status == str(status))
        return [case_of(r) for r in self._session.execute(query).scalars()]

    def counts(self, agency_id: int | None = None) -> dict[CaseStatus, int]:
        """How many cases ``agency_id`` sees (every one for ``None``) are in each status
        (statuses without a case are left out)."""
        rows = self._session.execute(_in_reach(
            select(CaseRow.status, func.count(CaseRow.id)), agency_id)
            .group_by(CaseRow.status)).all()
        return {CaseStatus(status): int(count) for status, count in rows}

    def move(self, case: Case, expected_version: int, target: CaseStatus) -> Case:
        """Set the status if the case is still at ``expected_version`` and return it as
        it is now; else :class:`StaleVersionError`."""
        result = self._session.execute(
            update(CaseRow).where(CaseRow.id == case.id, CaseRow.version == expected_version)
            .values(status=target.value, version=expected_version + 1, updated_at=_now())
            .execution_options(synchronize_session=False))
        if getattr(result, "rowcount", 0) != 1:
            raise StaleVersionError(case.id)
        moved = self.get(case.id)
        assert moved is not None
        return moved

    def touch(self, case_id: int, at: dt.datetime) -> None:
        """Note that something happened on the case at ``at`` (a step, a claim, an
        assignment, a call logged, a task): the caseload's last activity."""
        self._session.execute(
            update(CaseRow).where(CaseRow.id == case_id).values(last_activity_at=at)
            .execution_options(synchronize_session=False))

    def set_owner(self, case_id: int, owner_id: int | None, at: dt.datetime) -> None:
        """Give the case to ``owner_id`` (``None``: to nobody) from ``at``, which is also
        its last activity. The version is left alone: owning is not a workflow step, and
        a person moving the case meanwhile must not be refused for it."""
        self._session.execute(
            update(CaseRow).where(CaseRow.id == case_id)
            .values(owner_id=owner_id, owner_since=at if owner_id is not None else None,
                    last_activity_at=at)
            .execution_options(synchronize_session=False))

    def add_event(self, *, case_id: int, from_status: CaseStatus | None,
                  to_status: CaseStatus, actor: str, role: UserRole, reason: str,
                  evidence_kind: EvidenceKind | None, evidence_ref: str | None) -> CaseEvent:
        """Append a step to a case's history."""
        row = CaseEventRow(at=_now(), case_id=case_id,
                           from_status=from_status.value if from_status else None,
                           to_status=to_status.value, actor=actor, role=role.value,
                           reason=reason,
                           evidence_kind=evidence_kind.value if evidence_kind else None,
                           evidence_ref=evidence_ref)
        self._session.add(row)
        self._session.flush()
        return event_of(row)

    def events(self, case_id: int) -> list[CaseEvent]:
        """A case's history, oldest first."""
        return self.histories([case_id]).get(case_id, [])

    def histories(self, case_ids: Iterable[int]) -> dict[int, list[CaseEvent]]:
        """The histories of ``case_ids``, each oldest first (a case without steps is
        left out)."""
        found: dict[int, list[CaseEvent]] = {}
        query: Any = select(CaseEventRow).order_by(CaseEventRow.id)
        for part in _chunks(list(case_ids)):
            for row in self._session.execute(
                    query.where(CaseEventRow.case_id.in_(part))).scalars():
                found.setdefault(row.case_id, []).append(event_of(row))
        return found

"""The caseload as the store reads it: one page of cases with the reported child's name,
the owner and what waits on the case, in one statement; the team's load; a person's work.

Everything is filtered, sorted, counted and paged in SQL, so a page costs the same with
ten cases or a hundred thousand: one statement for the page's ids with the total, one for
their rows, then the candidates waiting of those rows' children only.
The lists the caller's agency sees are passed in as ids (:class:`CaseloadWhere`), read
once by the use case; a case is in them when its reported (sought) record is.

"Candidates waiting" are the pairs the model sent to review that touch any record of the
reported child (the reported record and every record linked to it), whose two records
the agency sees and may trace, and that no person has settled (the decision in force,
the newest on the pair, is neither *same* nor *different*): the pairs the review queue
and the child's page show for that child. The *has candidates* filter keeps the same
cases: the records reachable through links from a waiting pair, kept as rows
(:mod:`kinlink.storage.candidate_reach`) so the filter reads an index, not a walk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from kinlink.domain.cases import CaseStatus
from kinlink.domain.clusters import Cluster
from kinlink.storage.candidate_reach import records_with_candidates
from kinlink.storage.casework_tables import CaseTaskRow
from kinlink.storage.linkage_tables import CandidatePairRow
from kinlink.storage.review import clusters_of
from kinlink.storage.review_tables import CaseRow, DecisionRow
from kinlink.storage.search_keys import KeyQuery, key_condition
from kinlink.storage.tables import RecordRow, SourceRow
from kinlink.storage.visibility import ready_source_ids, record_may_be_traced
from kinlink.storage.web_tables import SearchKeyRow, UserRow

__all__ = ["SORTS", "CaseloadQueries", "CaseloadRow", "CaseloadWhere", "OverdueRow",
           "TeamRow", "pairs_touching", "pairs_waiting_among"]

SORTS = ("name", "birth", "status", "days", "activity", "owner")
"""What the caseload sorts by: the child's name as reported, birth date, status (in the
workflow's order), days in the status, last activity, owner."""

_ROWS = 5000
"""Case ids per ``IN (…)`` list when the rows of a page (or an export) are read."""
_BATCH = 500
"""Record or pair ids per ``IN (…)`` list when the candidates waiting are counted."""
_WAITING = CaseStatus.RETURN_REQUESTED.value
"""A case waits for a mediator's answer while its return is requested."""


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class CaseloadWhere:
    """Which cases: those whose reported record is on one of ``sources`` (the lists the
    agency sees), narrowed by the filters left ``None``/``False`` when unused.

    ``owner_id`` keeps one person's cases, ``unowned`` those nobody owns; ``place`` is
    looked for in the birth place and the last known place as written (any case of the
    first letter); ``names``, when not ``None``, are the search-key lookups of a typed
    name (:class:`~kinlink.storage.search_keys.KeyQuery`), any one matching (none: no case).
    """

    sources: Sequence[int]
    status: str | None = None
    owner_id: int | None = None
    unowned: bool = False
    place: str | None = None
    born_from: int | None = None
    born_to: int | None = None
    has_candidates: bool = False
    waiting: bool = False
    names: Sequence[KeyQuery] | None = None
    case_ids: Sequence[int] | None = field(default=None)


@dataclass(frozen=True)
class CaseloadRow:
    """One case of the caseload: the case, its reported record's name, birth and places,
    its owner, since when it is in its status, its last activity, the pairs waiting."""

    case_id: int
    status: str
    version: int
    record_pk: int
    given_name: str | None
    surname: str | None
    patronymic: str | None
    full_name: str | None
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    birth_place: str | None
    last_known_place: str | None
    in_status_since: dt.datetime
    last_activity_at: dt.datetime
    owner_id: int | None
    owner: str | None
    candidates: int


@dataclass(frozen=True)
class TeamRow:
    """One person of an agency who may work cases, with their open cases by status and
    their overdue tasks."""

    user_id: int
    username: str
    role: str
    by_status: dict[str, int]
    overdue: int


@dataclass(frozen=True)
class OverdueRow:
    """A task past its due date, not done: which case, what, when it was due, whose."""

    task_id: int
    case_id: int
    title: str
    due_on: dt.date
    assignee_id: int | None


def _decided(pair: Any, verdicts: Sequence[str]) -> ColumnElement[bool]:
    """The decision in force on ``pair`` (the newest) is one of ``verdicts``."""
    decision, newer = aliased(DecisionRow), aliased(DecisionRow)
    return exists(select(decision.id).where(
        decision.record_low == pair.record_low, decision.record_high == pair.record_high,
        decision.verdict.in_(list(verdicts)),
        ~exists(select(newer.id).where(newer.record_low == decision.record_low,
                                       newer.record_high == decision.record_high,
                                       newer.id > decision.id))))


def _settled(pair: Any) -> ColumnElement[bool]:
    """The decision in force on ``pair`` (the newest) is *same* or *different*."""
    return _decided(pair, ("same", "different"))


def pairs_touching(records: Sequence[int]) -> Any:
    """The (id, decision) of every candidate pair touching ``records``: the query keeps
    to the two record indexes of ``candidate_pairs`` (the pair's unique index leads with
    ``record_low``, ``record_high`` has its own), the decision read from the rows found."""
    return select(CandidatePairRow.id, CandidatePairRow.decision).where(
        CandidatePairRow.record_low.in_(list(records))
        | CandidatePairRow.record_high.in_(list(records)))


def pairs_waiting_among(pair_ids: Sequence[int], sources: Sequence[int]) -> Any:
    """(id, record_low, record_high) of the pairs ``pair_ids`` (read by primary key) whose
    two records are on ``sources`` and may be traced and that no person has settled."""
    low, high = aliased(RecordRow), aliased(RecordRow)
    return (select(CandidatePairRow.id, CandidatePairRow.record_low,
                   CandidatePairRow.record_high)
            .join(low, low.id == CandidatePairRow.record_low)
            .join(high, high.id == CandidatePairRow.record_high)
            .where(CandidatePairRow.id.in_(list(pair_ids)),
                   low.source_id.in_(list(sources)), high.source_id.in_(list(sources)),
                   record_may_be_traced(low), record_may_be_traced(high),
                   ~_settled(CandidatePairRow)))


def _waiting_of_children(session: Session, children: dict[int, Cluster],
                         sources: Sequence[int]) -> dict[int, int]:
    """For each reported record of ``children`` (record → its child's cluster), how many
    pairs wait for review that touch any record of the child, whose two records are on
    ``sources`` and may be traced, and that no person has settled: the candidates the
    child's page lists and the review queue shows for the child.

    The pairs touching the children's records are found through the two record indexes
    of ``candidate_pairs`` first (500 records a query), then only those are read by
    primary key with their records and decisions (with the records in one query, the
    planner would walk the decision index over every waiting pair of the store)."""
    members = sorted({r for cluster in children.values() for r in cluster.records})
    touching: set[int] = set()
    for start in range(0, len(members), _BATCH):
        touching.update(int(pair_id) for pair_id, decision in session.execute(
            pairs_touching(members[start:start + _BATCH])) if decision == "review")
    pairs: list[tuple[int, int, int]] = []
    ids = sorted(touching)
    for start in range(0, len(ids), _BATCH):
        pairs += [(int(i), int(a), int(b)) for i, a, b in session.execute(
            pairs_waiting_among(ids[start:start + _BATCH], sources)).all()]
    by_record: dict[int, set[int]] = {}
    for pair_id, a, b in pairs:
        by_record.setdefault(a, set()).add(pair_id)
        by_record.setdefault(b, set()).add(pair_id)
    return {pk: len(set().union(*(by_record.get(r, set()) for r in cluster.records)))
            for pk, cluster in children.items()}


def _status_order() -> Any:
    return case({status.value: index for index, status in enumerate(CaseStatus)},
                value=CaseRow.status, else_=len(CaseStatus))


def _row(row: tuple[Any, ...]) -> CaseloadRow:
    now = dt.datetime.now(dt.UTC)
    return CaseloadRow(
        case_id=int(row[0]), status=str(row[1]), version=int(row[2]), record_pk=int(row[3]),
        given_name=row[4], surname=row[5], patronymic=row[6], full_name=row[7],
        birth_year=row[8], birth_month=row[9], birth_day=row[10], birth_place=row[11],
        last_known_place=row[12], in_status_since=_utc(row[13]) or now,
        last_activity_at=_utc(row[14]) or now, owner_id=row[15], owner=row[16],
        candidates=int(row[17] or 0))


class CaseloadQueries:
    """The caseload's reads, in the caller's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _filtered(self, query: Any, where: CaseloadWhere) -> Any:
        query = query.where(RecordRow.source_id.in_(list(where.sources)))
        if where.status is not None:
            query = query.where(CaseRow.status == where.status)
        if where.waiting:
            query = query.where(CaseRow.status == _WAITING)
        if where.owner_id is not None:
            query = query.where(CaseRow.owner_id == where.owner_id)
        if where.unowned:
            query = query.where(CaseRow.owner_id.is_(None))
        if where.born_from is not None:
            query = query.where(RecordRow.birth_year >= where.born_from)
        if where.born_to is not None:
            query = query.where(RecordRow.birth_year <= where.born_to)
        if where.place:
            typed = where.place.strip()
            variants = {typed, typed[:1].upper() + typed[1:], typed.lower()}
            query = query.where(or_(*[column.contains(v, autoescape=True) for v in variants
                                      for column in (RecordRow.birth_place,
                                                     RecordRow.last_known_place)]))
        if where.names is not None:
            if not where.names:
                return query.where(CaseRow.id.is_(None))
            query = query.where(RecordRow.id.in_(
                select(SearchKeyRow.record_pk).where(or_(*[key_condition(q)
                                                           for q in where.names]))))
        if where.case_ids is not None:
            query = query.where(CaseRow.id.in_(list(where.case_ids)))
        if where.has_candidates:
            query = query.where(RecordRow.id.in_(records_with_candidates(where.sources)))
        return query

    def total(self, where: CaseloadWhere) -> int:
        """How many cases ``where`` keeps."""
        query = select(func.count(CaseRow.id)).join(
            RecordRow, RecordRow.id == CaseRow.sought_record_pk)
        return int(self._session.execute(self._filtered(query, where)).scalar_one())

    def page(self, where: CaseloadWhere, sort: str, descending: bool, offset: int,
             limit: int) -> list[CaseloadRow]:
        """The rows ``where`` keeps, sorted by ``sort`` (one of :data:`SORTS`), from
        ``offset``, at most ``limit``.

        Two statements: the page's case ids, sorted and paged over the narrowest join;
        then those cases' columns and pairs waiting (the correlated counts run for the
        rows shown only, never for every case sorted)."""
        keys = self._keys(sort, descending)
        ids = [int(i) for i, _ in self._ids(where, keys, sort, offset, limit, total=False)]
        return self._rows(where, ids)

    def page_and_total(self, where: CaseloadWhere, sort: str, descending: bool,
                       offset: int, limit: int) -> tuple[list[CaseloadRow], int]:
        """:meth:`page` and :meth:`total` with one pass over the cases (the total is
        counted beside the page's ids); a page past the last comes back empty with the
        total counted on its own."""
        keys = self._keys(sort, descending)
        found = self._ids(where, keys, sort, offset, limit, total=True)
        if not found:
            return [], self.total(where)
        return self._rows(where, [int(i) for i, _ in found]), int(found[0][1])

    def _keys(self, sort: str, descending: bool) -> list[Any]:
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        activity = func.coalesce(CaseRow.last_activity_at, CaseRow.updated_at)
        orders: dict[str, list[Any]] = {
            "name": [func.lower(func.coalesce(RecordRow.surname, RecordRow.full_name, "")),
                     func.lower(func.coalesce(RecordRow.given_name, ""))],
            "birth": [RecordRow.birth_year, RecordRow.birth_month, RecordRow.birth_day],
            "status": [_status_order()],
            "activity": [activity],
            "owner": [UserRow.username],
        }
        if sort == "days":
            # Ascending: the most days in the status first, i.e. the oldest change first.
            return [CaseRow.updated_at.desc() if descending else CaseRow.updated_at.asc()]
        return [(k.desc() if descending else k.asc()).nulls_last() for k in orders[sort]]

    def _ids(self, where: CaseloadWhere, keys: list[Any], sort: str, offset: int,
             limit: int, *, total: bool) -> list[tuple[int, int]]:
        """(case id, total or 0) of one page, sorted by ``keys`` then id."""
        counted = func.count().over() if total else literal(0)
        query = (select(CaseRow.id, counted)
                 .join(RecordRow, RecordRow.id == CaseRow.sought_record_pk))
        if sort == "owner":
            query = query.outerjoin(UserRow, UserRow.id == CaseRow.owner_id)
        query = self._filtered(query, where).order_by(*keys, CaseRow.id)
        return [(int(i), int(n)) for i, n in
                self._session.execute(query.offset(offset).limit(limit)).all()]

    def _rows(self, where: CaseloadWhere, ids: list[int]) -> list[CaseloadRow]:
        """The rows of the cases ``ids``, in that order, each with the candidates
        waiting for its whole child (every record linked to the reported one, through
        :func:`~kinlink.storage.review.clusters_of`), not the reported record alone."""
        if not ids:
            return []
        activity = func.coalesce(CaseRow.last_activity_at, CaseRow.updated_at)
        rows: list[CaseloadRow] = []
        for start in range(0, len(ids), _ROWS):
            part = ids[start:start + _ROWS]
            query = (select(CaseRow.id, CaseRow.status, CaseRow.version, RecordRow.id,
                            RecordRow.given_name, RecordRow.surname, RecordRow.patronymic,
                            RecordRow.full_name, RecordRow.birth_year, RecordRow.birth_month,
                            RecordRow.birth_day, RecordRow.birth_place,
                            RecordRow.last_known_place, CaseRow.updated_at, activity,
                            CaseRow.owner_id, UserRow.username, literal(0))
                     .join(RecordRow, RecordRow.id == CaseRow.sought_record_pk)
                     .outerjoin(UserRow, UserRow.id == CaseRow.owner_id)
                     .where(CaseRow.id.in_(part)))
            found = [_row(tuple(row)) for row in self._session.execute(query).all()]
            children = clusters_of(self._session, [row.record_pk for row in found])
            waiting = _waiting_of_children(self._session, children, where.sources)
            rows += [dataclasses.replace(row, candidates=waiting[row.record_pk])
                     for row in found]
        order = {case_id: index for index, case_id in enumerate(ids)}
        return sorted(rows, key=lambda row: order[row.case_id])

    def oldest_waiting(self, sources: Sequence[int], limit: int) -> list[CaseloadRow]:
        """The cases waiting longest for a mediator's answer (return requested, the
        oldest request first)."""
        return self.page(CaseloadWhere(sources, waiting=True), "days", False, 0, limit)

    def by_status(self, sources: Sequence[int], owner_id: int) -> dict[str, int]:
        """How many of ``owner_id``'s cases (reported record on ``sources``) are in each
        status."""
        query = self._filtered(
            select(CaseRow.status, func.count(CaseRow.id))
            .join(RecordRow, RecordRow.id == CaseRow.sought_record_pk),
            CaseloadWhere(sources, owner_id=owner_id)).group_by(CaseRow.status)
        return {str(status): int(n) for status, n in self._session.execute(query).all()}

    def team(self, sources: Sequence[int], agency_id: int | None,
             roles: Sequence[str], today: dt.date) -> list[TeamRow]:
        """Every active person of ``agency_id`` (every agency for ``None``) in one of
        ``roles``, by name, with their open cases by status and their overdue tasks."""
        people = select(UserRow.id, UserRow.username, UserRow.role).where(
            UserRow.role.in_(list(roles)), UserRow.disabled.is_(False))
        if agency_id is not None:
            people = people.where(UserRow.agency_id == agency_id)
        found = self._session.execute(people.order_by(UserRow.username)).all()
        ids = [int(row[0]) for row in found]
        if not ids:
            return []
        open_statuses = [s.value for s in CaseStatus if s.is_open]
        counts = self._session.execute(self._filtered(
            select(CaseRow.owner_id, CaseRow.status, func.count(CaseRow.id))
            .join(RecordRow, RecordRow.id == CaseRow.sought_record_pk),
            CaseloadWhere(sources)).where(CaseRow.owner_id.in_(ids),
                                          CaseRow.status.in_(open_statuses))
            .group_by(CaseRow.owner_id, CaseRow.status)).all()
        load: dict[int, dict[str, int]] = {}
        for owner, status, n in counts:
            load.setdefault(int(owner), {})[str(status)] = int(n)
        late: dict[int, int] = {}
        for row in self.overdue(sources, ids, today, limit=None):
            if row.assignee_id is not None:
                late[row.assignee_id] = late.get(row.assignee_id, 0) + 1
        return [TeamRow(int(i), str(name), str(role), load.get(int(i), {}), late.get(int(i), 0))
                for i, name, role in found]

    def overdue(self, sources: Sequence[int], assignees: Sequence[int], today: dt.date,
                limit: int | None = 20) -> list[OverdueRow]:
        """Tasks of ``assignees`` not done and due before ``today``, on cases whose
        reported record is on ``sources``; the longest overdue first."""
        if not assignees:
            return []
        query = (select(CaseTaskRow.id, CaseTaskRow.case_id, CaseTaskRow.title,
                        CaseTaskRow.due_on, CaseTaskRow.assignee_id)
                 .join(CaseRow, CaseRow.id == CaseTaskRow.case_id)
                 .join(RecordRow, RecordRow.id == CaseRow.sought_record_pk)
                 .where(CaseTaskRow.done_at.is_(None), CaseTaskRow.due_on < today,
                        CaseTaskRow.assignee_id.in_(list(assignees)),
                        RecordRow.source_id.in_(list(sources)))
                 .order_by(CaseTaskRow.due_on, CaseTaskRow.id))
        if limit is not None:
            query = query.limit(limit)
        return [OverdueRow(*row) for row in self._session.execute(query).all()]

    def pairs_waiting(self, sources: Sequence[int], at_most: int) -> int:
        """How many pairs wait for review whose two records are on ``sources`` and may be
        traced (what the review queue holds for the agency), counted up to ``at_most``:
        an exact count reads every waiting pair of the store (170 ms at 30,000)."""
        low, high = aliased(RecordRow), aliased(RecordRow)
        waiting = (select(CandidatePairRow.id)
                   .join(low, low.id == CandidatePairRow.record_low)
                   .join(high, high.id == CandidatePairRow.record_high)
                   .where(CandidatePairRow.decision == "review",
                          low.source_id.in_(list(sources)),
                          high.source_id.in_(list(sources)),
                          record_may_be_traced(low), record_may_be_traced(high),
                          ~_settled(CandidatePairRow))
                   .limit(at_most).subquery())
        return int(self._session.execute(select(func.count()).select_from(waiting))
                   .scalar_one())

    def ready_sources(self) -> list[int]:
        """Every list whose import has finished (what the operator sees)."""
        return [int(i) for i in self._session.execute(
            ready_source_ids().order_by(SourceRow.id)).scalars()]

    def record_source(self, record_pk: int) -> int | None:
        """The list a record is on (``None``: no such record)."""
        found = self._session.execute(
            select(RecordRow.source_id).where(RecordRow.id == record_pk)).scalar()
        return int(found) if found is not None else None

    def colleagues(self, agency_id: int | None, roles: Sequence[str]) -> list[tuple[int, str]]:
        """(id, username) of the active people of ``agency_id`` (every agency for
        ``None``) in one of ``roles``, by name."""
        query = select(UserRow.id, UserRow.username).where(
            UserRow.role.in_(list(roles)), UserRow.disabled.is_(False))
        if agency_id is not None:
            query = query.where(UserRow.agency_id == agency_id)
        return [(int(i), str(n)) for i, n in
                self._session.execute(query.order_by(UserRow.username)).all()]


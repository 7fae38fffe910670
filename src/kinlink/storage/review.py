"""Reading and writing decisions and cases (the review and case workflow's storage)."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from kinlink.domain.clusters import Cluster, build_clusters
from kinlink.domain.decisions import DecisionVerdict, PairKey
from kinlink.storage.linkage_tables import CandidatePairRow
from kinlink.storage.review_tables import CaseEventRow, CaseRow, DecisionRow
from kinlink.storage.tables import RecordRow
from kinlink.storage.visibility import record_is_visible

__all__ = [
    "CaseRepository",
    "DecisionRepository",
    "QueueFilter",
    "QueueItem",
    "ReviewQueries",
    "StaleVersionError",
    "VerdictCount",
    "cluster_of",
    "verdicts_by_band",
]

MAX_CLUSTER = 500
"""A child's records are gathered up to this many (a chain longer than that is a fault
of the links, shown as it is found)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _latest_ids() -> Any:
    """Ids of the decision in force on each pair (the newest; decisions are appended)."""
    return (select(func.max(DecisionRow.id).label("id"))
            .group_by(DecisionRow.record_low, DecisionRow.record_high))


class StaleVersionError(Exception):
    """The case changed since the caller read it (optimistic locking)."""


class DecisionRepository:
    """Append-only decisions about record pairs."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def history(self, pair: PairKey) -> list[DecisionRow]:
        """Every decision on the pair, oldest first."""
        return list(self._session.execute(
            select(DecisionRow).where(DecisionRow.record_low == pair.low,
                                      DecisionRow.record_high == pair.high)
            .order_by(DecisionRow.id)).scalars())

    def current(self, pair: PairKey) -> DecisionRow | None:
        """The decision in force on the pair, if any."""
        history = self.history(pair)
        return history[-1] if history else None

    def add(self, pair: PairKey, verdict: DecisionVerdict, actor: str,
            note: str | None) -> DecisionRow:
        """Append a decision; it supersedes the one in force."""
        previous = self.current(pair)
        row = DecisionRow(record_low=pair.low, record_high=pair.high, verdict=verdict,
                          actor=actor, decided_at=_now(), note=note,
                          supersedes_id=previous.id if previous else None)
        self._session.add(row)
        self._session.flush()
        return row

    def in_force(self, records: Iterable[int] | None = None) -> dict[PairKey, DecisionVerdict]:
        """The verdict in force per pair (optionally only pairs touching ``records``)."""
        query = select(DecisionRow).where(DecisionRow.id.in_(_latest_ids()))
        if records is not None:
            ids = list(records)
            query = query.where(DecisionRow.record_low.in_(ids) | DecisionRow.record_high.in_(ids))
        return {PairKey(r.record_low, r.record_high): DecisionVerdict(r.verdict)
                for r in self._session.execute(query).scalars()}


@dataclass(frozen=True)
class VerdictCount:
    """How many candidate pairs of one band and decision carry one verdict in force."""

    band: int
    decision: str
    verdict: str
    pairs: int


def verdicts_by_band(session: Session, edges: Sequence[float]) -> list[VerdictCount]:
    """Candidate pairs counted by probability band (index of the highest edge the
    probability reaches, -1 below the first), model decision and the people's verdict in
    force (``undecided`` where nobody decided). Counts only: no record is read."""
    band = case(*((CandidatePairRow.match_probability >= edge, i)
                  for i, edge in reversed(list(enumerate(edges)))), else_=-1)
    latest = _latest_ids().subquery()
    verdict = (select(DecisionRow.record_low, DecisionRow.record_high, DecisionRow.verdict)
               .join(latest, latest.c.id == DecisionRow.id).subquery())
    said = func.coalesce(verdict.c.verdict, "undecided")
    query = (select(band, CandidatePairRow.decision, said, func.count())
             .outerjoin(verdict, and_(verdict.c.record_low == CandidatePairRow.record_low,
                                      verdict.c.record_high == CandidatePairRow.record_high))
             .group_by(band, CandidatePairRow.decision, said))
    return [VerdictCount(int(b), str(d), str(v), int(n))
            for b, d, v, n in session.execute(query).all()]


class CaseRepository:
    """Cases and their history."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, case_id: int) -> CaseRow | None:
        """The case, or ``None``."""
        return self._session.get(CaseRow, case_id)

    def for_records(self, records: Iterable[int]) -> list[CaseRow]:
        """Cases whose sought record is among ``records``."""
        return list(self._session.execute(
            select(CaseRow).where(CaseRow.sought_record_pk.in_(list(records)))
            .order_by(CaseRow.id)).scalars())

    def sought_without_case(self) -> list[int]:
        """Sought records that have no case yet."""
        return list(self._session.execute(
            select(RecordRow.id).where(RecordRow.role == "sought", record_is_visible())
            .where(~RecordRow.id.in_(select(CaseRow.sought_record_pk)))
            .order_by(RecordRow.id)).scalars())

    def open_case(self, sought_record_pk: int, status: str) -> CaseRow:
        """Create a case for a sought record."""
        now = _now()
        row = CaseRow(sought_record_pk=sought_record_pk, status=status, version=1,
                      opened_at=now, updated_at=now)
        self._session.add(row)
        self._session.flush()
        return row

    def listing(self, status: str | None, limit: int) -> Sequence[CaseRow]:
        """Cases, oldest first, optionally of one status."""
        query = select(CaseRow).order_by(CaseRow.id).limit(limit)
        if status is not None:
            query = query.where(CaseRow.status == status)
        return self._session.execute(query).scalars().all()

    def counts(self) -> list[tuple[str, int]]:
        """How many cases are in each status, in no particular order."""
        rows = self._session.execute(
            select(CaseRow.status, func.count(CaseRow.id)).group_by(CaseRow.status)).all()
        return [(str(status), int(count)) for status, count in rows]

    def move(self, case: CaseRow, expected_version: int, target: str) -> None:
        """Set the status if the case is still at ``expected_version``; else
        :class:`StaleVersionError`."""
        result = self._session.execute(
            update(CaseRow).where(CaseRow.id == case.id, CaseRow.version == expected_version)
            .values(status=target, version=expected_version + 1, updated_at=_now()))
        if getattr(result, "rowcount", 0) != 1:
            raise StaleVersionError(case.id)
        self._session.refresh(case)

    def add_event(self, **values: object) -> CaseEventRow:
        """Append a step to a case's history."""
        row = CaseEventRow(at=_now(), **values)
        self._session.add(row)
        self._session.flush()
        return row

    def events(self, case_id: int) -> list[CaseEventRow]:
        """A case's history, oldest first."""
        return list(self._session.execute(
            select(CaseEventRow).where(CaseEventRow.case_id == case_id)
            .order_by(CaseEventRow.id)).scalars())


@dataclass(frozen=True)
class QueueFilter:
    """Conditions on the review queue; ``None`` means no condition."""

    source_id: int | None = None
    region: str | None = None
    born_from: int | None = None
    born_to: int | None = None
    min_probability: float | None = None


@dataclass(frozen=True)
class QueueItem:
    """One pair waiting for a person, with both records and the model's view of it."""

    pair: CandidatePairRow
    low: RecordRow
    high: RecordRow
    unsure: bool


class ReviewQueries:
    """The review queue and the links that make children, read from storage."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def auto_links(self, records: Iterable[int] | None = None) -> list[PairKey]:
        """Pairs the model linked without review (``match``), optionally touching
        ``records``."""
        query = select(CandidatePairRow.record_low, CandidatePairRow.record_high).where(
            CandidatePairRow.decision == "match")
        if records is not None:
            ids = list(records)
            query = query.where(CandidatePairRow.record_low.in_(ids)
                                | CandidatePairRow.record_high.in_(ids))
        return [PairKey(low, high) for low, high in self._session.execute(query).all()]

    def records(self, ids: Iterable[int]) -> dict[int, RecordRow]:
        """Records by id (of finished imports only)."""
        wanted = list(ids)
        return {r.id: r for r in self._session.execute(
            select(RecordRow).where(RecordRow.id.in_(wanted), record_is_visible())).scalars()}

    def queue(self, where: QueueFilter, limit: int, offset: int = 0) -> list[QueueItem]:
        """Pairs the model sent to review that no person has settled, most useful first:
        pairs with a reported (sought) child before pairs between found lists, stronger
        before weaker, pairs someone marked unsure after the undecided ones."""
        low, high = aliased(RecordRow), aliased(RecordRow)
        settled = self._settled()
        unsure = self._unsure()
        sought_first = case(((low.role == "sought") | (high.role == "sought"), 0), else_=1)
        unsure_last = case((exists(unsure.where(_same_pair())), 1), else_=0)
        query = (
            select(CandidatePairRow, low, high, unsure_last)
            .join(low, low.id == CandidatePairRow.record_low)
            .join(high, high.id == CandidatePairRow.record_high)
            .where(CandidatePairRow.decision == "review")
            .where(~exists(settled.where(_same_pair())))
            .order_by(unsure_last, sought_first, CandidatePairRow.match_probability.desc(),
                      CandidatePairRow.id)
        )
        query = _filtered(query, where, low, high)
        rows = self._session.execute(query.limit(limit).offset(offset)).all()
        return [QueueItem(pair, a, b, bool(flag)) for pair, a, b, flag in rows]

    def _in_force(self) -> Any:
        return select(DecisionRow.id).where(DecisionRow.id.in_(_latest_ids()))

    def _settled(self) -> Any:
        return self._in_force().where(DecisionRow.verdict.in_(("same", "different")))

    def _unsure(self) -> Any:
        return self._in_force().where(DecisionRow.verdict == "unsure")


def _same_pair() -> Any:
    return and_(DecisionRow.record_low == CandidatePairRow.record_low,
                DecisionRow.record_high == CandidatePairRow.record_high)


def _filtered(query: Any, where: QueueFilter, low: Any, high: Any) -> Any:
    if where.source_id is not None:
        query = query.where((low.source_id == where.source_id)
                            | (high.source_id == where.source_id))
    if where.min_probability is not None:
        query = query.where(CandidatePairRow.match_probability >= where.min_probability)
    if where.born_from is not None:
        query = query.where((low.birth_year >= where.born_from)
                            | (high.birth_year >= where.born_from))
    if where.born_to is not None:
        query = query.where((low.birth_year <= where.born_to)
                            | (high.birth_year <= where.born_to))
    if where.region:
        variants = {where.region, where.region.capitalize(), where.region.lower()}
        places = [col.contains(v) for v in variants
                  for col in (low.birth_place, low.last_known_place, high.birth_place,
                              high.last_known_place)]
        query = query.where(or_(*places))
    return query


def _links(session: Session, records: Iterable[int]) -> tuple[list[PairKey], list[PairKey]]:
    """Links (human same + automatic matches not overruled) and human different pairs
    touching ``records``."""
    ids = list(records)
    in_force = DecisionRepository(session).in_force(ids)
    links = [p for p, v in in_force.items() if v is DecisionVerdict.SAME]
    overruled = {p for p, v in in_force.items() if v is not DecisionVerdict.NONE}
    links += [p for p in ReviewQueries(session).auto_links(ids) if p not in overruled]
    different = [p for p, v in in_force.items() if v is DecisionVerdict.DIFFERENT]
    return links, different


def cluster_of(session: Session, record_pk: int) -> Cluster:
    """The child a record belongs to: every record reachable through links, rebuilt from
    the decisions and automatic links each time (never stored, never edited)."""
    seen, frontier = {record_pk}, deque([record_pk])
    links: set[PairKey] = set()
    different: set[PairKey] = set()
    while frontier and len(seen) < MAX_CLUSTER:
        batch = [frontier.popleft() for _ in range(min(len(frontier), 500))]
        found, against = _links(session, batch)
        links.update(found)
        different.update(against)
        for pair in found:
            for record in (pair.low, pair.high):
                if record not in seen:
                    seen.add(record)
                    frontier.append(record)
    clusters = build_clusters(seen, links, different)
    return next(c for c in clusters if record_pk in c.records)

"""Reading and writing decisions, the review queue and the links that make children.

Everything here returns read models of :mod:`kinlink.domain` (decisions, candidate
pairs, records), never rows. Cases live in :mod:`kinlink.storage.cases` (re-exported here
for the services that read both).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from kinlink.domain.clusters import Cluster, build_clusters
from kinlink.domain.decisions import CandidatePair, Decision, DecisionVerdict, PairKey
from kinlink.domain.records import RecordView, Role, Sex
from kinlink.storage.cases import CaseRepository, StaleVersionError
from kinlink.storage.linkage_tables import CandidatePairRow
from kinlink.storage.review_tables import DecisionRow
from kinlink.storage.tables import RecordRow
from kinlink.storage.visibility import record_in_reach, record_is_visible, record_may_be_traced

__all__ = [
    "CaseRepository",
    "DecisionRepository",
    "Links",
    "QueueFilter",
    "QueueItem",
    "ReviewQueries",
    "StaleVersionError",
    "VerdictCount",
    "cluster_of",
    "clusters_of",
    "links_in_force",
    "links_touching",
    "record_view",
    "record_view_columns",
    "record_view_of",
    "verdicts_by_band",
]

MAX_CLUSTER = 500
"""A child's records are gathered up to this many (a chain longer than that is a fault
of the links, shown as it is found)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def record_view(row: RecordRow) -> RecordView:
    """The read model of a stored record."""
    return RecordView(
        id=row.id, source_id=row.source_id, record_id=row.record_id, line=row.line,
        role=Role(row.role), given_name=row.given_name, surname=row.surname,
        patronymic=row.patronymic, full_name=row.full_name,
        sex=Sex(row.sex) if row.sex else None, birth_year=row.birth_year,
        birth_month=row.birth_month, birth_day=row.birth_day, birth_place=row.birth_place,
        last_known_place=row.last_known_place, event_year=row.event_year,
        event_month=row.event_month, event_day=row.event_day, notes=row.notes,
        institution=row.institution, moved_year=row.moved_year, moved_month=row.moved_month,
        moved_day=row.moved_day, group=row.group, siblings_count=row.siblings_count)


def record_view_columns() -> tuple[Any, ...]:
    """The columns :func:`record_view_of` reads: a record's parsed fields without the raw
    row, its extra fields or its source text (JSON decoded for every row read as a
    whole record: half the time of reading a child's window, issue 15)."""
    r = RecordRow
    return (r.id, r.source_id, r.record_id, r.line, r.role, r.given_name, r.surname,
            r.patronymic, r.full_name, r.sex, r.birth_year, r.birth_month, r.birth_day,
            r.birth_place, r.last_known_place, r.event_year, r.event_month, r.event_day,
            r.notes, r.institution, r.moved_year, r.moved_month, r.moved_day, r.group,
            r.siblings_count)


_ROLES = {role.value: role for role in Role}
_SEXES = {sex.value: sex for sex in Sex}


def record_view_of(row: Sequence[Any]) -> RecordView:
    """The read model of a record read as :func:`record_view_columns` (the same as
    :func:`record_view` of the whole row)."""
    (pk, source_id, record_id, line, role, given, surname, patronymic, full, sex,
     birth_year, birth_month, birth_day, birth_place, last_place, event_year, event_month,
     event_day, notes, institution, moved_year, moved_month, moved_day, group,
     siblings_count) = row
    return RecordView(
        id=pk, source_id=source_id, record_id=record_id, line=line, role=_ROLES[role],
        given_name=given, surname=surname, patronymic=patronymic, full_name=full,
        sex=_SEXES[sex] if sex else None, birth_year=birth_year, birth_month=birth_month,
        birth_day=birth_day, birth_place=birth_place, last_known_place=last_place,
        event_year=event_year, event_month=event_month, event_day=event_day, notes=notes,
        institution=institution, moved_year=moved_year, moved_month=moved_month,
        moved_day=moved_day, group=group, siblings_count=siblings_count)


def _decision(row: DecisionRow) -> Decision:
    return Decision(row.id, row.record_low, row.record_high, DecisionVerdict(row.verdict),
                    row.actor, _utc(row.decided_at), row.note, row.supersedes_id,
                    row.low_version, row.high_version)


def _candidate(row: CandidatePairRow) -> CandidatePair:
    return CandidatePair(row.id, row.record_low, row.record_high, row.match_weight,
                         row.match_probability, row.decision, dict(row.explanation))


def _latest_ids() -> Any:
    """Ids of the decision in force on each pair (the newest; decisions are appended)."""
    return (select(func.max(DecisionRow.id).label("id"))
            .group_by(DecisionRow.record_low, DecisionRow.record_high))


class DecisionRepository:
    """Append-only decisions about record pairs."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def history(self, pair: PairKey) -> list[Decision]:
        """Every decision on the pair, oldest first."""
        return [_decision(r) for r in self._session.execute(
            select(DecisionRow).where(DecisionRow.record_low == pair.low,
                                      DecisionRow.record_high == pair.high)
            .order_by(DecisionRow.id)).scalars()]

    def current(self, pair: PairKey) -> Decision | None:
        """The decision in force on the pair, if any."""
        history = self.history(pair)
        return history[-1] if history else None

    def add(self, pair: PairKey, verdict: DecisionVerdict, actor: str,
            note: str | None) -> Decision:
        """Append a decision; it supersedes the one in force."""
        previous = self.current(pair)
        versions = {row.id: row.version for row in self._session.execute(
            select(RecordRow.id, RecordRow.version).where(
                RecordRow.id.in_((pair.low, pair.high))))}
        row = DecisionRow(record_low=pair.low, record_high=pair.high, verdict=verdict.value,
                          actor=actor, decided_at=_now(), note=note,
                          supersedes_id=previous.id if previous else None,
                          low_version=versions.get(pair.low),
                          high_version=versions.get(pair.high))
        self._session.add(row)
        self._session.flush()
        return _decision(row)

    def in_force(self, records: Iterable[int] | None = None) -> dict[PairKey, DecisionVerdict]:
        """The verdict in force per pair (optionally only pairs touching ``records``)."""
        columns = (DecisionRow.record_low, DecisionRow.record_high, DecisionRow.verdict)
        if records is None:
            query = select(*columns).where(DecisionRow.id.in_(_latest_ids()))
            return {PairKey(low, high): DecisionVerdict(verdict)
                    for low, high, verdict in self._session.execute(query).all()}
        # Every decision on the pairs touching the records, oldest first, the newest
        # kept per pair: bounded by the records' own decisions, where the newest-per-pair
        # subquery would group every decision of the store.
        ids = list(records)
        query = (select(*columns)
                 .where(DecisionRow.record_low.in_(ids) | DecisionRow.record_high.in_(ids))
                 .order_by(DecisionRow.id))
        return {PairKey(low, high): DecisionVerdict(verdict)
                for low, high, verdict in self._session.execute(query).all()}


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


@dataclass(frozen=True)
class QueueFilter:
    """Conditions on the review queue; ``None`` means no condition."""

    source_id: int | None = None
    region: str | None = None
    born_from: int | None = None
    born_to: int | None = None
    min_probability: float | None = None
    records: tuple[int, ...] | None = None
    """Only pairs touching one of these records (a child's records: its candidates)."""
    pair_ids: tuple[int, ...] | None = None
    """Only these candidate pairs (how :attr:`records` is read)."""


@dataclass(frozen=True)
class QueueItem:
    """One pair waiting for a person, with both records and the model's view of it."""

    pair: CandidatePair
    low: RecordView
    high: RecordView
    unsure: bool


class ReviewQueries:
    """The review queue and the links that make children, read from storage."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def auto_links(self, records: Iterable[int] | None = None) -> list[PairKey]:
        """Pairs the model linked without review (``match``), optionally touching
        ``records``."""
        pair = (CandidatePairRow.record_low, CandidatePairRow.record_high)
        if records is None:
            query = select(*pair).where(CandidatePairRow.decision == "match")
            return [PairKey(low, high) for low, high in self._session.execute(query).all()]
        # The pairs touching the records, through the two record indexes, and only then
        # their decision: with ``decision = 'match'`` in the query SQLite walks the
        # decision index instead, every automatic link of the store (0.3 s per child
        # page at 100k records, issue 15).
        ids = list(records)
        touching = select(*pair, CandidatePairRow.decision).where(
            CandidatePairRow.record_low.in_(ids) | CandidatePairRow.record_high.in_(ids))
        return [PairKey(low, high) for low, high, decision in self._session.execute(touching)
                if decision == "match"]

    def records(self, ids: Iterable[int]) -> dict[int, RecordView]:
        """Records by id (of finished imports only)."""
        wanted = list(ids)
        return {r.id: record_view(r) for r in self._session.execute(
            select(RecordRow).where(RecordRow.id.in_(wanted), record_is_visible())).scalars()}

    def born_between(self, role: Role, first_year: int, last_year: int, sex: Sex | None,
                     sources: Sequence[int] | None, *,
                     months: tuple[int, int] | None = None) -> list[RecordView]:
        """Records of ``role`` born from ``first_year`` to ``last_year`` whose sex is
        ``sex`` or unknown (any sex when ``sex`` is ``None``), only from ``sources`` when
        given, in id order. ``months`` (first, last; a month counted as ``year * 12 +
        month - 1``) leaves out records whose birth month is known and outside them (a
        date known to the year only is kept): a child's three months read, not two
        years."""
        # SQLite otherwise walks every record of the finished lists by the source index
        # (0.1 s at 100k records, issue 15): the birth index reads the window only.
        query = (select(*record_view_columns())
                 .with_hint(RecordRow, "INDEXED BY ix_records_birth", "sqlite")
                 .where(RecordRow.role == role.value, record_is_visible())
                 .where(RecordRow.birth_year.between(first_year, last_year)))
        if months is not None:
            month = RecordRow.birth_year * 12 + RecordRow.birth_month - 1
            query = query.where(or_(RecordRow.birth_month.is_(None),
                                    month.between(months[0], months[1])))
        if sex is not None:
            query = query.where(or_(RecordRow.sex == sex.value, RecordRow.sex.is_(None)))
        if sources is not None:
            query = query.where(RecordRow.source_id.in_(list(sources)))
        return [record_view_of(r) for r in
                self._session.execute(query.order_by(RecordRow.id)).all()]

    def sought_among(self, ids: Iterable[int], *, agency_id: int | None = None) -> list[int]:
        """Which of ``ids`` are records of reported (sought) children that ``agency_id``
        sees (every one for ``None``), in id order."""
        return list(self._session.execute(
            select(RecordRow.id).where(RecordRow.id.in_(list(ids)))
            .where(RecordRow.role == Role.SOUGHT.value, record_is_visible(),
                   record_in_reach(agency_id))
            .order_by(RecordRow.id)).scalars())

    def queue(self, where: QueueFilter, limit: int, offset: int = 0, *,
              agency_id: int | None = None) -> list[QueueItem]:
        """Pairs the model sent to review that no person has settled, most useful first:
        pairs with a reported (sought) child before pairs between found lists, stronger
        before weaker (the newer first among equals), pairs someone marked unsure after
        the undecided ones. Only pairs whose two records ``agency_id`` sees (every pair for
        ``None``), filtered in the query so that paging holds.

        Read one group at a time (undecided with a reported child, undecided between
        found lists, then the unsure ones likewise), each strongest first and only as far
        as the page needs: the database walks the pairs down the index on decision and
        probability and stops, instead of sorting every waiting pair of the store for
        the first one (a quarter of a second at 30,000 waiting pairs, issue 15)."""
        wanted = offset + limit
        rows: list[Any] = []
        if where.records is not None:
            # A child's candidates: find its pairs through the two record indexes first,
            # then read only those (by primary key); with the records in the query itself
            # the planner walks the decision index over every waiting pair of the store.
            pairs = self._pairs_of(where.records)
            if not pairs:
                return []
            where = replace(where, records=None, pair_ids=tuple(pairs))
        for unsure in (False, True):
            for sought in (True, False):
                if len(rows) >= wanted:
                    break
                rows += self._queue_group(where, wanted - len(rows), agency_id,
                                          unsure=unsure, sought=sought)
        return [QueueItem(_candidate(pair), record_view(a), record_view(b), flag)
                for pair, a, b, flag in rows[offset:wanted]]

    def _pairs_of(self, records: Sequence[int]) -> list[int]:
        """The ids of the candidate pairs touching ``records``."""
        ids = list(records)
        return list(self._session.execute(select(CandidatePairRow.id).where(
            CandidatePairRow.record_low.in_(ids) | CandidatePairRow.record_high.in_(ids)
        )).scalars())

    def _queue_group(self, where: QueueFilter, limit: int, agency_id: int | None, *,
                     unsure: bool, sought: bool) -> list[Any]:
        """One group of the queue, strongest first: ``(pair, low, high, unsure)`` rows."""
        low, high = _LOW, _HIGH
        marked = exists(self._unsure().where(_same_pair()))
        with_sought = (low.role == "sought") | (high.role == "sought")
        query = (
            self._waiting_pairs(where, agency_id, CandidatePairRow, low, high)
            .where(marked if unsure else ~marked)
            .where(with_sought if sought else ~with_sought)
            .order_by(CandidatePairRow.match_probability.desc(), CandidatePairRow.id.desc())
        )
        return [(pair, a, b, unsure)
                for pair, a, b in self._session.execute(query.limit(limit)).all()]

    def _waiting_pairs(self, where: QueueFilter, agency_id: int | None,
                       *columns: Any) -> Any:
        """``columns`` of the pairs waiting for a person (the model sent them to review
        and nobody settled them) whose two records ``agency_id`` sees, filtered."""
        low, high = _LOW, _HIGH
        query = (
            select(*columns).select_from(CandidatePairRow)
            .join(low, low.id == CandidatePairRow.record_low)
            .join(high, high.id == CandidatePairRow.record_high)
            .where(_waiting(where))
            .where(~exists(self._settled().where(_same_pair())))
            .where(record_in_reach(agency_id, low), record_in_reach(agency_id, high))
            .where(record_may_be_traced(low), record_may_be_traced(high))
        )
        return _filtered(query, where, low, high)

    def waiting(self, where: QueueFilter, *, agency_id: int | None = None) -> int:
        """How many pairs :meth:`queue` holds for these filters (undecided and unsure
        alike): a count, no record read."""
        if where.records is not None:
            pairs = self._pairs_of(where.records)
            if not pairs:
                return 0
            where = replace(where, records=None, pair_ids=tuple(pairs))
        query = self._waiting_pairs(where, agency_id, func.count())
        return int(self._session.execute(query).scalar_one())

    def waiting_by_source(self, *, agency_id: int | None = None) -> dict[int, int]:
        """How many pairs of the queue touch each list (a pair between two lists counts
        for each, a pair inside one list once); lists with none are left out."""
        low, high = _LOW, _HIGH
        query = (self._waiting_pairs(QueueFilter(), agency_id, low.source_id,
                                     high.source_id, func.count())
                 .group_by(low.source_id, high.source_id))
        counts: dict[int, int] = {}
        for first, second, pairs in self._session.execute(query).all():
            for source in {first, second}:
                counts[source] = counts.get(source, 0) + int(pairs)
        return counts

    def _in_force(self) -> Any:
        return select(DecisionRow.id).where(DecisionRow.id.in_(_latest_ids()))

    def _settled(self) -> Any:
        return self._in_force().where(DecisionRow.verdict.in_(("same", "different")))

    def _unsure(self) -> Any:
        return self._in_force().where(DecisionRow.verdict == "unsure")


_LOW, _HIGH = aliased(RecordRow), aliased(RecordRow)
"""The two records of a pair in the queue's statements: made once, because SQLAlchemy
adapts each column of a new alias again in every statement built on it (two fresh
aliases cost the four statements of a child's candidates about 30 ms to build)."""


def _waiting(where: QueueFilter) -> Any:
    """The model sent the pair to review. For a few chosen pairs (``pair_ids``: a
    child's candidates) the condition is written so that it cannot use the index on
    decision and probability: SQLite would walk every waiting pair of the store down that
    index (it gives the order) testing each against the ids, 20-70 ms per group at
    30,000 waiting pairs, where the chosen pairs read by primary key are a handful."""
    if where.pair_ids is None:
        return CandidatePairRow.decision == "review"
    return CandidatePairRow.decision.concat("") == "review"


def _same_pair() -> Any:
    return and_(DecisionRow.record_low == CandidatePairRow.record_low,
                DecisionRow.record_high == CandidatePairRow.record_high)


def _filtered(query: Any, where: QueueFilter, low: Any, high: Any) -> Any:
    if where.pair_ids is not None:
        query = query.where(CandidatePairRow.id.in_(where.pair_ids))
    if where.records is not None:
        query = query.where(CandidatePairRow.record_low.in_(where.records)
                            | CandidatePairRow.record_high.in_(where.records))
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


@dataclass(frozen=True)
class Links:
    """What makes children: links (people's *same* and the model's ``match`` pairs no
    person has overruled) and the pairs people decided are *different*."""

    links: list[PairKey]
    different: list[PairKey]


def _links(session: Session, records: Iterable[int] | None) -> Links:
    """The links and different pairs touching ``records`` (all of them for ``None``).

    Any decision in force on an automatic link but *none* (an undone first decision)
    overrules it: *different* cuts it, *unsure* holds it back until someone decides."""
    ids = None if records is None else list(records)
    in_force = DecisionRepository(session).in_force(ids)
    links = [p for p, v in in_force.items() if v is DecisionVerdict.SAME]
    overruled = {p for p, v in in_force.items() if v is not DecisionVerdict.NONE}
    links += [p for p in ReviewQueries(session).auto_links(ids) if p not in overruled]
    different = [p for p, v in in_force.items() if v is DecisionVerdict.DIFFERENT]
    return Links(links, different)


def links_touching(session: Session, records: Iterable[int]) -> Links:
    """The links and *different* pairs touching ``records`` (for walks over children
    that must not stop at :data:`MAX_CLUSTER`)."""
    return _links(session, records)


def links_in_force(session: Session) -> Links:
    """Every link and every *different* pair of the store, read at once (for a pass over
    all children)."""
    return _links(session, None)


def cluster_of(session: Session, record_pk: int) -> Cluster:
    """The child a record belongs to: every record reachable through links, rebuilt from
    the decisions and automatic links each time (never stored, never edited)."""
    return clusters_of(session, [record_pk])[record_pk]


def clusters_of(session: Session, record_pks: Iterable[int]) -> dict[int, Cluster]:
    """The child each of ``record_pks`` belongs to (by record), as :func:`cluster_of`
    finds it, for many records in one walk: the links touching a batch of records are
    read through the two record indexes of the decisions and the candidate pairs, 500
    records a query, never once per record (the caseload asks for a page of children at
    a time). Each walk stops at :data:`MAX_CLUSTER` records per record asked for."""
    wanted = list(dict.fromkeys(record_pks))
    if not wanted:
        return {}
    seen, frontier = set(wanted), deque(wanted)
    links: set[PairKey] = set()
    different: set[PairKey] = set()
    while frontier and len(seen) < MAX_CLUSTER * len(wanted):
        batch = [frontier.popleft() for _ in range(min(len(frontier), 500))]
        found = _links(session, batch)
        links.update(found.links)
        different.update(found.different)
        for pair in found.links:
            for record in (pair.low, pair.high):
                if record not in seen:
                    seen.add(record)
                    frontier.append(record)
    by_record = {record: cluster for cluster in build_clusters(seen, links, different)
                 for record in cluster.records}
    return {pk: by_record[pk] for pk in wanted}

"""Which records' children have a pair waiting for review, kept as rows (revision 0022c).

The caseload's *has candidates* filter keeps a case when any record reachable from its
reported record through the links in force (people's *same*, the model's links no
decision overruled) is one of the two records of a pair waiting for review — the model
sent it to review, no person settled it, both records may be traced — whose two records
are on the lists the agency sees. Walked at each request (a recursive query,
:func:`records_with_candidates_recursive`) that took 0.3–0.7 s on a 100k store.

``candidate_reach`` holds the walk's answer for every list at once: one row per reported
(sought) record — a case stands on one — and per pair of lists (``low_source``,
``high_source``) of a waiting pair its child touches (found records get no rows: no case
is theirs, and leaving them out makes the filter's read 60% shorter). The filter for an
agency is then the records with a row whose two lists it sees
(:func:`records_with_candidates`), the walk's set less its found records. The rows are
refreshed wherever what they stand on changes: :func:`refresh` for the children of a
few records (a decision or its undoing, one record linked, a consent withdrawn),
:func:`rebuild` for the whole store (the end of a linkage run, the migration).
Both sides of any link or pair that changed must be among the records given to
:func:`refresh`: a child split in two keeps one of them on each side.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, exists, insert, select, text, union_all
from sqlalchemy.orm import Session, aliased

from kinlink.domain.decisions import PairKey
from kinlink.domain.records import Role
from kinlink.storage.linkage_tables import CandidatePairRow
from kinlink.storage.review import links_in_force, links_touching
from kinlink.storage.review_tables import CandidateReachRow, DecisionRow
from kinlink.storage.tables import RecordRow
from kinlink.storage.visibility import record_may_be_traced

__all__ = ["partners", "rebuild", "records_with_candidates",
           "records_with_candidates_recursive", "refresh"]

_REACH = cast(Table, CandidateReachRow.__table__)
_BATCH = 500
"""Record or pair ids per ``IN (…)`` list."""
_WRITE = 5000
"""Rows per insert."""


def records_with_candidates(sources: Sequence[int]) -> Any:
    """The ids of the sought records whose child touches a pair waiting for review whose
    two records are on ``sources`` (a subquery over the kept rows)."""
    return (select(CandidateReachRow.record_pk)
            .where(CandidateReachRow.low_source.in_(list(sources)),
                   CandidateReachRow.high_source.in_(list(sources))))


def _decided(pair: Any, verdicts: Sequence[str]) -> Any:
    """The decision in force on ``pair`` (the newest) is one of ``verdicts``."""
    decision, newer = aliased(DecisionRow), aliased(DecisionRow)
    return exists(select(decision.id).where(
        decision.record_low == pair.record_low, decision.record_high == pair.record_high,
        decision.verdict.in_(list(verdicts)),
        ~exists(select(newer.id).where(newer.record_low == decision.record_low,
                                       newer.record_high == decision.record_high,
                                       newer.id > decision.id))))


def _links_both_ways() -> Any:
    """Every link in force as (``a``, ``b``), once each way."""
    decision = aliased(DecisionRow)
    same = select(decision.record_low, decision.record_high).where(
        _decided(decision, ("same",)), decision.verdict == "same")
    auto = select(CandidatePairRow.record_low, CandidatePairRow.record_high).where(
        CandidatePairRow.decision == "match",
        ~_decided(CandidatePairRow, ("same", "different", "unsure")))
    ways = [select(pairs.c.record_low.label("a"), pairs.c.record_high.label("b"))
            for pairs in (same.subquery(), auto.subquery())]
    ways += [select(pairs.c.record_high.label("a"), pairs.c.record_low.label("b"))
             for pairs in (same.subquery(), auto.subquery())]
    return union_all(*ways).subquery("links")


def records_with_candidates_recursive(sources: Sequence[int]) -> Any:
    """The definition :func:`records_with_candidates` keeps, walked at each call: every
    record reachable through links from a record of a pair waiting for review whose two
    records are on ``sources`` (one recursive query; the equivalence test and the
    benchmark's baseline)."""
    low, high = aliased(RecordRow), aliased(RecordRow)
    waiting = (select(CandidatePairRow.record_low, CandidatePairRow.record_high)
               .join(low, low.id == CandidatePairRow.record_low)
               .join(high, high.id == CandidatePairRow.record_high)
               .where(CandidatePairRow.decision == "review",
                      low.source_id.in_(list(sources)), high.source_id.in_(list(sources)),
                      record_may_be_traced(low), record_may_be_traced(high),
                      ~_decided(CandidatePairRow, ("same", "different")))).subquery("waiting")
    ends = union_all(select(waiting.c.record_low.label("record")),
                     select(waiting.c.record_high)).subquery("ends")
    reached = select(ends.c.record).cte("reached", recursive=True)
    links = _links_both_ways()
    reached = reached.union(select(links.c.b).join(reached, reached.c.record == links.c.a))
    return select(reached.c.record)


def _waiting_query() -> Any:
    """(record_low, record_high, low's list, high's list) of every pair waiting for
    review on any list."""
    low, high = aliased(RecordRow), aliased(RecordRow)
    return (select(CandidatePairRow.record_low, CandidatePairRow.record_high,
                   low.source_id, high.source_id)
            .join(low, low.id == CandidatePairRow.record_low)
            .join(high, high.id == CandidatePairRow.record_high)
            .where(CandidatePairRow.decision == "review",
                   record_may_be_traced(low), record_may_be_traced(high),
                   ~_decided(CandidatePairRow, ("same", "different"))))


_WAITING = _waiting_query()
"""Built once: fresh aliases would cost ~50 ms a refresh (SQLAlchemy adapting the
columns, and a statement cache miss each time)."""
_WAITING_AMONG = _WAITING.where(CandidatePairRow.id.in_(bindparam("ids", expanding=True)))
"""The same, of the pairs ``ids`` only (read by primary key)."""


def partners(session: Session, records: Iterable[int]) -> set[int]:
    """``records`` and every record that shares a candidate pair with one of them (what
    :func:`refresh` needs around a change to those records' pairs or consents)."""
    ids = sorted(set(records))
    found = set(ids)
    for start in range(0, len(ids), _BATCH):
        part = ids[start:start + _BATCH]
        for low, high in session.execute(
                select(CandidatePairRow.record_low, CandidatePairRow.record_high)
                .where(CandidatePairRow.record_low.in_(part)
                       | CandidatePairRow.record_high.in_(part))):
            found.update((int(low), int(high)))
    return found


class _Components:
    """Union-find over record ids: the children the links make (reachability only)."""

    def __init__(self) -> None:
        self._parent: dict[int, int] = {}

    def find(self, record: int) -> int:
        parent = self._parent
        root = record
        while parent.get(root, root) != root:
            root = parent[root]
        while record != root:
            parent[record], record = root, parent.get(record, record)
        return root

    def join(self, pair: PairKey) -> None:
        a, b = self.find(pair.low), self.find(pair.high)
        if a != b:
            self._parent[max(a, b)] = min(a, b)


def _rows(components: _Components, members: Iterable[int],
          waiting: Iterable[tuple[int, int, int, int]]) -> list[dict[str, int]]:
    """The rows of ``members``: each gets the lists of every waiting pair with a record
    in its child."""
    lists: dict[int, set[tuple[int, int]]] = {}
    for low, high, low_source, high_source in waiting:
        for record in (low, high):
            lists.setdefault(components.find(int(record)), set()).add(
                (int(low_source), int(high_source)))
    return [{"record_pk": record, "low_source": a, "high_source": b}
            for record in members for a, b in lists.get(components.find(record), ())]


_LOCK = 0x6B696E6C696E6B22
"""The PostgreSQL advisory lock that serialises refreshes (SQLite's writers are serial
already: ``BEGIN IMMEDIATE``)."""


def _serialise(session: Session) -> None:
    """Hold, until the transaction ends, the lock that keeps two refreshes of the same
    child from interleaving on PostgreSQL (both would drop the rows, then write the same
    ones twice, or each from a store without the other's change). Taken before anything
    is read, so every read of the refresh sees the change of the one before."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})


def _sought(session: Session, records: Sequence[int] | None) -> set[int]:
    """Which of ``records`` (every record for ``None``) are reported (sought) ones."""
    query = select(RecordRow.id).where(RecordRow.role == Role.SOUGHT.value)
    if records is None:
        return {int(r) for r in session.execute(query).scalars()}
    found: set[int] = set()
    for start in range(0, len(records), _BATCH):
        found.update(int(r) for r in session.execute(
            query.where(RecordRow.id.in_(records[start:start + _BATCH]))).scalars())
    return found


def _write(session: Session, rows: list[dict[str, int]]) -> None:
    for start in range(0, len(rows), _WRITE):
        session.execute(insert(_REACH), rows[start:start + _WRITE])


def refresh(session: Session, records: Iterable[int]) -> None:
    """Make the rows of the children of ``records`` true again (in the caller's
    transaction, after the change is flushed): their children are walked in full, their
    rows dropped and written anew from the pairs waiting that touch them."""
    seeds = set(records)
    if not seeds:
        return
    session.flush()
    _serialise(session)
    components, seen, frontier = _Components(), set(seeds), deque(seeds)
    touching: set[int] = set()
    while frontier:
        batch = [frontier.popleft() for _ in range(min(len(frontier), _BATCH))]
        for pair in links_touching(session, batch).links:
            components.join(pair)
            for record in (pair.low, pair.high):
                if record not in seen:
                    seen.add(record)
                    frontier.append(record)
        touching.update(int(i) for i, decision in session.execute(
            select(CandidatePairRow.id, CandidatePairRow.decision).where(
                CandidatePairRow.record_low.in_(batch)
                | CandidatePairRow.record_high.in_(batch))) if decision == "review")
    members = sorted(seen)
    for start in range(0, len(members), _BATCH):
        session.execute(delete(_REACH).where(
            _REACH.c.record_pk.in_(members[start:start + _BATCH])))
    ids = sorted(touching)
    waiting = [tuple(int(v) for v in row) for start in range(0, len(ids), _BATCH)
               for row in session.execute(_WAITING_AMONG,
                                          {"ids": ids[start:start + _BATCH]}).all()]
    _write(session, _rows(components, sorted(_sought(session, members)),
                          cast(list[tuple[int, int, int, int]], waiting)))


def rebuild(session: Session) -> int:
    """Drop every row and write them all again from every link and waiting pair of the
    store (one read of each, one union-find); how many rows were written."""
    _serialise(session)
    components, linked = _Components(), set[int]()
    for pair in links_in_force(session).links:
        components.join(pair)
        linked.update((pair.low, pair.high))
    waiting = [(int(a), int(b), int(c), int(d))
               for a, b, c, d in session.execute(_WAITING).all()]
    ends = {record for low, high, _a, _b in waiting for record in (low, high)}
    roots = {components.find(record) for record in ends}
    members = sorted({record for record in (linked | ends) & _sought(session, None)
                      if components.find(record) in roots})
    session.execute(delete(_REACH))
    rows = _rows(components, members, waiting)
    _write(session, rows)
    return len(rows)

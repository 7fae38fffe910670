"""Possible new identities of a child: the records an adoption may hide it behind.

An adoption may replace a child's surname, patronymic, given name and birthplace and
move the birth date by up to three months (Russian Family Code art. 134–135). What is
left is often too thin for a pair to reach the review queue without flooding it with
strangers: among ten thousand found records, a handful of unrelated children share the
sex and a birth date within three months with any reported child (benchmarks/README.md).
For one child a person can look further. This lists every record of the other role
(found records for a reported child) whose sex does not contradict the child's and whose
birth date lies within three months of the child's (at the precision both dates have,
or of the child's date with day and month swapped: :func:`~kinlink.linkage.ranking.
in_window`), that is not already the child's or decided to be another child, ranked by
the model's own comparisons, each with its explanation: where a case worker starts
comparing photographs and documents. Reading it is audited like a child's file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.permissions import Action, require
from kinlink.errors import KinlinkError, NotFoundError
from kinlink.linkage import Explanation, FeatureBuilder, default_engine, default_spec
from kinlink.linkage.engine import Engine
from kinlink.linkage.ranking import WINDOW_DAYS, in_window, rank_candidates
from kinlink.linkage.tasks import Side
from kinlink.matching import model_in_use
from kinlink.storage import Session, Store
from kinlink.storage.accounts import AccountRepository
from kinlink.storage.review import DecisionRepository, ReviewQueries, cluster_of
from kinlink.storage.tables import RecordRow
from kinlink.storage.visibility import record_is_visible

__all__ = ["MAX_CONSIDERED", "Identities", "Identity", "possible_identities"]

MAX_CONSIDERED = 20_000
"""At most this many records are ranked for one child (20,000 took about 4 s)."""


@dataclass(frozen=True)
class Identity:
    """One record the child may be, with the model's score and reasons."""

    record: RecordRow
    probability: float
    weight: float
    explanation: Explanation


@dataclass(frozen=True)
class Identities:
    """The ranked records for one child, and how many were looked at."""

    child: RecordRow
    candidates: list[Identity]
    considered: int
    in_window: int
    """Records in the window; more than :data:`MAX_CONSIDERED` are not all ranked."""
    model_version: str


def _candidates(session: Session, child: RecordRow, exclude: set[int],
                sources: list[int] | None) -> tuple[list[RecordRow], int]:
    """Records of the other role in the child's window (at most :data:`MAX_CONSIDERED`,
    nearest birth dates first; only from ``sources`` when given), and how many there
    were in all."""
    born = child.birth
    if born is None:
        raise KinlinkError("a child without a birth date has no window to look in")
    window = dt.timedelta(days=WINDOW_DAYS)
    dates = [d for d in (born, born.swapped()) if d is not None]
    first = min(d.earliest() - window for d in dates).year
    last = max(d.latest() + window for d in dates).year
    other_role = "found" if child.role == "sought" else "sought"
    query = (select(RecordRow).where(RecordRow.role == other_role, record_is_visible())
             .where(RecordRow.birth_year.between(first, last)))
    if child.sex:
        query = query.where(or_(RecordRow.sex == child.sex, RecordRow.sex.is_(None)))
    if sources is not None:
        query = query.where(RecordRow.source_id.in_(sources))
    rows = [r for r in session.execute(query.order_by(RecordRow.id)).scalars()
            if r.id not in exclude and in_window(born, r.birth)]
    middle = born.earliest()
    rows.sort(key=lambda r: (abs((r.birth.earliest() - middle).days), r.id))  # type: ignore[union-attr]
    return rows[:MAX_CONSIDERED], len(rows)


def _side(rows: list[RecordRow]) -> Side:
    builder = FeatureBuilder(display=True)
    for uid, r in enumerate(rows):
        builder.add_stored(uid, r)
    return Side(tuple(str(r.id) for r in rows), builder.finish())


def _excluded(session: Session, record_pk: int) -> set[int]:
    """The child's own records, and records a person decided are another child than
    any of them."""
    mine = set(cluster_of(session, record_pk).records)
    decided = DecisionRepository(session).in_force(mine)
    other = {record for pair, verdict in decided.items()
             if verdict is DecisionVerdict.DIFFERENT for record in (pair.low, pair.high)}
    return mine | other


def possible_identities(store: Store, actor: Actor, record_pk: int, *, limit: int = 25,
                        agency_id: int | None = None,
                        engine: Engine | None = None) -> Identities:
    """The records of the other role that ``record_pk``'s child may be under another
    identity, strongest first (at most ``limit``), with explanations (audited). With
    ``agency_id``, only the lists that agency sees are looked in, and a record it does
    not see is not found."""
    require(actor, Action.CHILD_VIEW)
    spec = default_spec()
    with store.transaction() as session:
        sources = (None if agency_id is None
                   else AccountRepository(session).visible_source_ids(agency_id))
        found = ReviewQueries(session).records([record_pk])
        if record_pk not in found or (sources is not None
                                      and found[record_pk].source_id not in sources):
            raise NotFoundError(f"there is no record {record_pk}")
        child = found[record_pk]
        rows, in_all = _candidates(session, child, _excluded(session, record_pk), sources)
        append_event(session, AuditEvent(actor.name, AuditAction.CHILD_IDENTITIES, "record",
                                         str(record_pk), {"considered": len(rows),
                                                          "in_window": in_all}))
    model, _kept = model_in_use(store, spec)
    if not rows:
        return Identities(child, [], 0, in_all, model.version)
    ranked = rank_candidates(engine or default_engine(), spec, model, _side([child]),
                             _side(rows))
    return Identities(child, [
        Identity(rows[r.uid], r.probability, r.weight, r.explanation) for r in ranked[:limit]
    ], len(rows), in_all, model.version)

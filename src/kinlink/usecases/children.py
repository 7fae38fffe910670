"""A child: its records side by side and its cases; the identities it may hide behind.

Both read what the person's agency sees (its lists and those shared with it; an actor
without an agency — a command run on the server — sees every list): a record outside it
is answered like a missing one, and the child's other records there are counted, never
shown. Contacts of the people who reported a child are shown to the roles that may see
them. Each read is one transaction with its one audit event.

Possible new identities: an adoption may replace a child's surname, patronymic, given
name and birthplace and move the birth date by up to three months (Russian Family Code
art. 134–135). What is left is often too thin for a pair to reach the review queue
without flooding it with strangers (benchmarks/README.md). For one child a person can
look further: the records of the other role (found records for a reported child) whose
sex does not contradict the child's, that are not already the child's nor decided to be
another child, and that :mod:`kinlink.linkage.listing` has a reason to list — born
within three months of the child, or, where either record has no birth date, tied to it
by the given name, a place or a brother's or sister's age gap. They are ranked by the
model's own comparisons (every one the spec has, whatever the child lacks), each with
its explanation and the reason it is listed: where a case worker starts comparing
photographs and documents. A child reported with the institution it was moved from (or
a group) also has the children moved with it: a record of the intake their linked
records are in ranks higher, and says so (:func:`_intakes`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from kinlink import cases, review
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.cases import Case, CaseEvent
from kinlink.domain.clusters import Cluster
from kinlink.domain.dates import PartialDate
from kinlink.domain.decisions import DecisionVerdict, PairKey
from kinlink.domain.permissions import Action, allowed, require
from kinlink.domain.records import RecordView, Role
from kinlink.domain.remote import RemoteCandidate
from kinlink.linkage import Explanation, FeatureBuilder, default_spec
from kinlink.linkage.cohorts import Cohorts, Intake
from kinlink.linkage.features import REMEMBERED, family_keys
from kinlink.linkage.listing import BORN_NEAR
from kinlink.linkage.ranking import (
    WINDOW_DAYS,
    Reason,
    Records,
    in_window,
    rank_candidates,
    siblings_matter,
)
from kinlink.matching import model_in_use
from kinlink.search.records import RecordDetail, detail_of
from kinlink.storage import Session, Store
from kinlink.storage.identities import IdentityQueries
from kinlink.storage.review import DecisionRepository, ReviewQueries, cluster_of, clusters_of
from kinlink.usecases.remote_candidates import remote_candidates_of
from kinlink.usecases.scope import Reach, record_in_reach, visible_sources, within_reach

__all__ = ["MAX_CONSIDERED", "ChildFile", "Identities", "Identity", "cases_in_reach",
           "possible_identities", "read_child", "remember_features", "visible_records"]

MAX_CONSIDERED = 20_000
"""At most this many records are compared with one child."""

_WARM_CHUNK = 2_000
"""Records read per transaction by :func:`remember_features`."""


@dataclass(frozen=True)
class ChildFile:
    """A child: the records of it the agency sees, side by side (``hidden``: how many it
    does not), any conflict inside it, its cases and — for roles that may read cases —
    each case's history."""

    record_pk: int
    cluster: Cluster
    records: list[RecordDetail]
    hidden: int
    cases: list[Case]
    histories: dict[int, list[CaseEvent]]
    remote: list[RemoteCandidate] = field(default_factory=list)
    """Records other parties hold that privacy-preserving linkage pairs with the child's
    records (:mod:`kinlink.usecases.remote_candidates`): party and reference only."""

    @property
    def conflicts(self) -> tuple[PairKey, ...]:
        """Pairs joined by links that a person decided are different children."""
        return self.cluster.conflicts


def visible_records(session: Session, actor: Actor, pks: Sequence[int]
                    ) -> tuple[list[RecordDetail], int]:
    """The records among ``pks`` the actor's agency sees, in id order, as the record page
    shows them (contacts by role), and how many it does not see. Not audited: the use
    case that reads them audits its read."""
    sources = visible_sources(session, actor)
    contact = allowed(actor.role, Action.RECORDS_CONTACT)
    views = ReviewQueries(session).records(pks)
    shown = [detail_of(session, pk, with_contact=contact) for pk in sorted(views)
             if sources is None or views[pk].source_id in sources]
    return shown, len(set(pks)) - len(shown)


def cases_in_reach(session: Session, reach: Reach, records: Sequence[int]) -> list[Case]:
    """The cases of a child's ``records`` that the agency sees (a case of the same child
    opened for another agency's reported record is not shown)."""
    opened = cases.cases_of(session, list(records))
    sought = ReviewQueries(session).records([c.sought_record_pk for c in opened])
    return [c for c in opened
            if c.sought_record_pk in sought and reach.sees(sought[c.sought_record_pk].source_id)]


def read_child(store: Store, actor: Actor, record_pk: int) -> ChildFile:
    """Every record of the child ``record_pk`` belongs to that the agency sees, its
    conflicts and the cases it sees (with their histories for roles that may read
    cases): one audited read. A record the agency does not see is answered like a
    missing one (the refusal audited)."""
    require(actor, Action.CHILD_VIEW)
    with within_reach(store, actor) as (session, reach):
        record_in_reach(session, reach, record_pk)
        child = review.child_records(session, record_pk)
        records, hidden = visible_records(session, actor, child.cluster.records)
        opened = cases_in_reach(session, reach, child.cluster.records)
        histories = (cases.histories(session, [c.id for c in opened])
                     if allowed(actor.role, Action.CASES_VIEW) else {})
        remote = remote_candidates_of(session, reach, list(child.cluster.records))
        found = ChildFile(record_pk, child.cluster, records, hidden, opened, histories,
                          remote)
        append_event(session, AuditEvent(actor.name, AuditAction.CHILD_READ, "record",
                                         str(record_pk), {
                                             "records": len(child.cluster.records),
                                             "hidden": hidden,
                                             "conflicts": len(child.cluster.conflicts),
                                             "cases": len(opened),
                                             "remote": len(remote),
                                             "with_contact": allowed(
                                                 actor.role, Action.RECORDS_CONTACT)}))
    return found


@dataclass(frozen=True)
class Identity:
    """One record the child may be, with the model's score and reasons, and why it is
    listed (:mod:`kinlink.linkage.listing`, words marked for translation)."""

    record: RecordView
    probability: float
    weight: float
    explanation: Explanation
    listed_for: tuple[Reason, ...] = ()

    @property
    def by_date(self) -> bool:
        """Listed because both birth dates lie within three months of each other (the
        first section); else listed without a birth date (the second)."""
        return bool(self.listed_for) and self.listed_for[0] == BORN_NEAR


@dataclass(frozen=True)
class Identities:
    """The ranked records for one child — those listed by their birth date, strongest
    first, then those listed without one — how many were compared and listed."""

    child: RecordView
    candidates: list[Identity]
    considered: int
    """Records of the other role read and compared with the child."""
    listed: int
    """Of those, the records with a reason to be listed."""
    model_version: str
    cut: bool = False
    """More records could have been read than :data:`MAX_CONSIDERED`."""
    linked: tuple[int, ...] = ()
    """The child's other records (linked to it already) that the agency sees: a child
    already linked says so before its possible identities."""


def _other(role: Role) -> Role:
    return Role.FOUND if role is Role.SOUGHT else Role.SOUGHT


def _dated(session: Session, child: RecordView, born: PartialDate,
           sources: list[int] | None) -> list[RecordView]:
    """Records of the other role born within three months of the child, nearest first."""
    window = dt.timedelta(days=WINDOW_DAYS)
    dates = [d for d in (born, born.swapped()) if d is not None]
    first = min(d.earliest() - window for d in dates)
    last = max(d.latest() + window for d in dates)
    months = (first.year * 12 + first.month - 1, last.year * 12 + last.month - 1)
    rows = [r for r in IdentityQueries(session).born_in_months(
                _other(child.role), child.sex, sources, months)
            if in_window(born, r.birth)]
    middle = born.earliest()
    rows.sort(key=lambda r: (abs((r.birth.earliest() - middle).days), r.id))  # type: ignore[union-attr]
    return rows


def _window(session: Session, child: RecordView, exclude: set[int],
            sources: list[int] | None) -> tuple[list[RecordView], bool]:
    """The records to compare with the child (at most :data:`MAX_CONSIDERED`), and
    whether more were left unread. A child with a birth date: records born within three
    months of it (nearest first), then records without a birth date whose given name is
    the child's (the search index) or unreadable (missing, or not in the name table). A
    child without one: every record whose given name is the child's or unreadable —
    every record of the other role when the child's own given name is unreadable."""
    queries = IdentityQueries(session)
    other, born = _other(child.role), child.birth
    tokens = queries.given_tokens(child.id)
    readable = any(t.startswith("i:") for t in tokens)
    found: dict[int, RecordView] = {}
    cut = False

    def take(rows: Sequence[RecordView], more: bool) -> None:
        """Add the rows not excluded nor found yet, up to the cap; ``more``: the read
        stopped at its limit."""
        nonlocal cut
        fresh = [r for r in rows if r.id not in exclude and r.id not in found]
        room = MAX_CONSIDERED - len(found)
        cut = cut or more or len(fresh) > room
        found.update((r.id, r) for r in fresh[:room])

    if born is not None:
        take(_dated(session, child, born, sources), more=False)
    def named(limit: int) -> list[RecordView]:
        return queries.sharing_given_name(other, child.sex, sources, tokens,
                                          undated=born is not None, limit=limit)

    def unreadable(limit: int) -> list[RecordView]:
        return queries.unreadable_given_name(other, child.sex, sources,
                                             undated=born is not None, every=not readable,
                                             limit=limit)

    for read in (named, unreadable):
        if len(found) < MAX_CONSIDERED:
            limit = MAX_CONSIDERED + len(exclude) + 1
            rows = read(limit)
            take(rows, more=len(rows) >= limit)
    return list(found.values()), cut


def _excluded(session: Session, mine: set[int]) -> set[int]:
    """The child's own records ``mine``, and records a person decided are another child
    than any of them."""
    decided = DecisionRepository(session).in_force(mine)
    other = {record for pair, verdict in decided.items()
             if verdict is DecisionVerdict.DIFFERENT for record in (pair.low, pair.high)}
    return mine | other


def _kin(session: Session, rows: Sequence[RecordView]) -> list[RecordView]:
    """The records of ``rows``' lists that can give one of them a sibling signature: of
    the families :meth:`IdentityQueries.families` reads, the members that share a family
    key (:func:`~kinlink.linkage.features.family_keys`: the surname, and the father's
    name, last known place or event date) with one of ``rows``. The others are in no
    family of a row, and building them changes nothing (four in five of the records a
    child's window read for its families, at 100k records: issue 15)."""
    wanted = {key for r in rows for key in family_keys(r)}
    return [r for r in IdentityQueries(session).families(rows)
            if any(key in wanted for key in family_keys(r))]


def _records(rows: Sequence[RecordView], kin: Sequence[RecordView] | None) -> Records:
    """The features of ``rows`` (by position), their sibling signatures read from
    ``kin``: the other records of their lists that may be their family (``None``: no
    signatures, for a child whose scores cannot read them). Each record's own features
    are remembered across requests (the next child's window holds mostly the same
    records)."""
    builder = FeatureBuilder(display=True, remember=True)
    for uid, r in enumerate([*rows, *(kin or ())]):
        builder.add_stored(uid, r)
    features, display = builder.finish_rows(siblings=kin is not None)
    return Records(features[:len(rows)], display[:len(rows)] if display else None)


def _intakes(session: Session, child: RecordView, rows: Sequence[RecordView],
             sources: Sequence[int] | None) -> list[Intake | None] | None:
    """What the children moved with ``child`` say of each of ``rows``
    (:meth:`Cohorts.intakes <kinlink.linkage.cohorts.Cohorts.intakes>`): the child's
    group mates are the records of its list that name an institution or a group, their
    links the records of their clusters, and a row of the intake those are in gains
    their count. ``None`` for a child whose record names neither (most children: nothing
    more is read). Groups are formed from the records read here — the child's list's and
    the lists of its mates' linked records (those the reader sees), and the rows — so a
    group's bound (its share of the records around it) is counted among those, not the
    whole store."""
    if child.institution is None and child.group is None:
        return None
    queries = IdentityQueries(session)
    mates = [r for r in queries.moved([child.source_id]) if r.id != child.id]
    if not mates:
        return None
    clusters = clusters_of(session, [m.id for m in mates])
    linked = {m.id: set(clusters[m.id].records) - {m.id} for m in mates}
    seen = ReviewQueries(session).records(sorted(set().union(*linked.values())))
    lists = {r.source_id for r in seen.values() if sources is None or r.source_id in sources}
    if not lists:
        return None
    read = {r.id: r for r in (child, *mates, *queries.moved(sorted(lists)),
                              *(r for r in rows if r.institution or r.group))}
    builder = FeatureBuilder(display=False)
    for pk, record in read.items():
        builder.add_stored(pk, record)
    links = [(m, other) for m, others in linked.items() for other in sorted(others)
             if other in read]
    return Cohorts.single([builder.finish()]).intakes(links, child.id, [r.id for r in rows])


def remember_features(store: Store, limit: int = REMEMBERED * 9 // 10) -> int:
    """Build the features of the newest found records (at most ``limit``: room is left
    for the children and families ranked later) into the process-wide memo that
    :func:`possible_identities` reads, and say how many. The server calls this once at
    start, beside the request threads: a reported child's window holds a thousand to
    three thousand found records, and building their features the first time (two
    thirds hold only a full name, parsed at about 100 µs each) was most of the
    identities page of a newly started server at 100k records (issue 15).

    Nothing is shown to anyone nor leaves the process, so nothing is audited; the
    records are read in chunks so that no transaction stays open for long."""
    done, below = 0, None
    while done < limit:
        with store.transaction() as session:
            rows = IdentityQueries(session).newest(Role.FOUND, min(_WARM_CHUNK, limit - done),
                                                   below=below)
        if not rows:
            break
        _records(rows, None)
        done += len(rows)
        below = rows[-1].id
    return done


def possible_identities(store: Store, actor: Actor, record_pk: int, *,
                        limit: int = 25) -> Identities:
    """The records of the other role that ``record_pk``'s child may be under another
    identity, each with the model's explanation and why it is listed: those listed by
    their birth date strongest first, then those listed without one (at most ``limit`` of
    each; audited as ``child.identities``). Only the lists the actor's agency
    sees are looked in, and a record it does not see is not found."""
    require(actor, Action.CHILD_VIEW)
    spec = default_spec()
    with within_reach(store, actor) as (session, reach):
        child = record_in_reach(session, reach, record_pk)
        sources = sorted(reach.sources) if reach.sources is not None else None
        mine = set(cluster_of(session, record_pk).records)
        linked = tuple(sorted(r.id for r in ReviewQueries(session).records(
            mine - {record_pk}).values() if reach.sees(r.source_id)))
        rows, cut = _window(session, child, _excluded(session, mine), sources)
        own = _records([child], _kin(session, [child]))
        kin = _kin(session, rows) if siblings_matter(spec, own.rows[0]) else None
        intakes = _intakes(session, child, rows, sources)
        append_event(session, AuditEvent(actor.name, AuditAction.CHILD_IDENTITIES, "record",
                                         str(record_pk), {"considered": len(rows),
                                                          "cut": cut}))
    model, _kept = model_in_use(store, spec)
    ranking = rank_candidates(spec, model, own, _records(rows, kin),
                              child_birth=child.birth,
                              candidate_births=[r.birth for r in rows], limit=limit,
                              intakes=intakes)
    return Identities(child, [
        Identity(rows[r.uid], r.probability, r.weight, r.explanation, r.listed_for)
        for r in ranking.ranked], len(rows), ranking.listed, model.version, cut, linked)

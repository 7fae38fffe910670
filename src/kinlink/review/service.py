"""Review and cases: a person decides on each link, and each child's case moves on.

Every function here takes the store and the acting person, checks what their role may
do, changes what it must in one transaction and writes the audit event in that same
transaction. Reads of a child's file (a case, a child's records) are audited too.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from kinlink.audit import AuditEvent, append_event
from kinlink.domain.cases import CaseStatus, EvidenceKind, check_transition
from kinlink.domain.decisions import DecisionVerdict, PairKey
from kinlink.domain.users import UserRole
from kinlink.errors import AccessDeniedError, ConflictError, KinlinkError, NotFoundError
from kinlink.review.clusters import Cluster, build_clusters
from kinlink.storage import Session, Store
from kinlink.storage.review import (
    CaseRepository,
    DecisionRepository,
    QueueFilter,
    QueueItem,
    ReviewQueries,
    StaleVersionError,
)
from kinlink.storage.review_tables import CaseEventRow, CaseRow, DecisionRow
from kinlink.storage.tables import RecordRow

__all__ = [
    "Actor",
    "CaseFile",
    "ChildFile",
    "advance_case",
    "advance_in",
    "case_counts",
    "case_file",
    "case_file_in",
    "child_file",
    "decide",
    "list_cases",
    "next_pairs",
    "open_cases",
    "require",
    "undo",
]

DECIDERS = frozenset({UserRole.REVIEWER, UserRole.CASE_WORKER, UserRole.SUPERVISOR})
READERS = frozenset(set(UserRole) - {UserRole.VIEWER})
_MAX_CLUSTER = 500


@dataclass(frozen=True)
class Actor:
    """Who acts, and in which role."""

    name: str
    role: UserRole


def require(actor: Actor, roles: frozenset[UserRole], what: str) -> None:
    """Refuse, in words, an action the actor's role may not take."""
    if actor.role not in roles:
        raise AccessDeniedError(f"{actor.role} may not {what}")


def _pair(session: Session, a: int, b: int) -> PairKey:
    try:
        pair = PairKey.of(a, b)
    except ValueError as exc:
        raise KinlinkError(str(exc)) from None
    found = ReviewQueries(session).records((pair.low, pair.high))
    missing = [r for r in (pair.low, pair.high) if r not in found]
    if missing:
        raise NotFoundError(f"there is no record {missing[0]}")
    return pair


def decide(store: Store, actor: Actor, a: int, b: int, verdict: DecisionVerdict,
           note: str | None = None) -> DecisionRow:
    """Record a person's decision on records ``a`` and ``b``; it supersedes any earlier
    one on the pair, which stays in history."""
    require(actor, DECIDERS, "decide whether two records are the same child")
    if verdict is DecisionVerdict.NONE:
        raise KinlinkError("decide same, different or unsure; to take a decision back, "
                           "undo it")
    with store.transaction() as session:
        pair = _pair(session, a, b)
        row = DecisionRepository(session).add(pair, verdict, actor.name, note)
        append_event(session, AuditEvent(actor.name, "decision.recorded", "record_pair",
                                         f"{pair.low}-{pair.high}", {
                                             "verdict": verdict.value, "decision_id": row.id,
                                             "supersedes": row.supersedes_id}))
    return row


def undo(store: Store, actor: Actor, a: int, b: int, note: str | None = None) -> DecisionRow:
    """Take back the decision in force on the pair: a new decision restores the one it
    superseded (or no decision at all)."""
    require(actor, DECIDERS, "undo a decision")
    with store.transaction() as session:
        pair = _pair(session, a, b)
        decisions = DecisionRepository(session)
        history = decisions.history(pair)
        if not history:
            raise KinlinkError("there is no decision on these records to undo")
        current = history[-1]
        previous = next((d for d in history if d.id == current.supersedes_id), None)
        restored = DecisionVerdict(previous.verdict) if previous else DecisionVerdict.NONE
        row = decisions.add(pair, restored, actor.name, note or f"undo of decision {current.id}")
        append_event(session, AuditEvent(actor.name, "decision.undone", "record_pair",
                                         f"{pair.low}-{pair.high}", {
                                             "undone": current.id, "decision_id": row.id,
                                             "restored": restored.value}))
    return row


def next_pairs(store: Store, actor: Actor, where: QueueFilter | None = None,
               limit: int = 20) -> list[QueueItem]:
    """The review queue, most useful first (audited: it shows children's records)."""
    require(actor, DECIDERS, "see the review queue")
    with store.transaction() as session:
        items = ReviewQueries(session).queue(where or QueueFilter(), limit)
        append_event(session, AuditEvent(actor.name, "review.queue_read", "record_pair", None,
                                         {"shown": len(items)}))
    return items


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
    while frontier and len(seen) < _MAX_CLUSTER:
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


@dataclass(frozen=True)
class ChildFile:
    """A child: its records (each with its source), and any conflict inside it."""

    cluster: Cluster
    records: list[RecordRow]
    cases: list[CaseRow]


def child_file(store: Store, actor: Actor, record_pk: int) -> ChildFile:
    """Every record of the child ``record_pk`` belongs to, and its cases (audited)."""
    require(actor, READERS, "read a child's file")
    with store.transaction() as session:
        if not ReviewQueries(session).records([record_pk]):
            raise NotFoundError(f"there is no record {record_pk}")
        cluster = cluster_of(session, record_pk)
        records = ReviewQueries(session).records(cluster.records)
        cases = CaseRepository(session).for_records(cluster.records)
        append_event(session, AuditEvent(actor.name, "child.read", "record", str(record_pk), {
            "records": len(cluster.records), "conflicts": len(cluster.conflicts)}))
    return ChildFile(cluster, [records[r] for r in cluster.records], cases)


def open_cases(store: Store, actor: Actor) -> int:
    """Open a case for every reported child that has none yet: one per child, so a
    sought record already joined to a child with a case gets none. Returns how many."""
    require(actor, DECIDERS, "open cases")
    opened = 0
    with store.transaction() as session:
        repository = CaseRepository(session)
        for record in repository.sought_without_case():
            cluster = cluster_of(session, record)
            if repository.for_records(cluster.records):
                continue
            case = repository.open_case(record, CaseStatus.REPORTED)
            repository.add_event(case_id=case.id, from_status=None,
                                 to_status=CaseStatus.REPORTED, actor=actor.name,
                                 role=actor.role, reason="reported child", evidence_kind=None,
                                 evidence_ref=None)
            append_event(session, AuditEvent(actor.name, "case.opened", "case", str(case.id),
                                             {"sought_record": record}))
            opened += 1
    return opened


def list_cases(store: Store, actor: Actor, status: CaseStatus | None = None,
               limit: int = 100) -> list[CaseRow]:
    """Cases, oldest first, optionally of one status."""
    require(actor, READERS, "list cases")
    with store.transaction() as session:
        cases = list(CaseRepository(session).listing(status.value if status else None, limit))
        append_event(session, AuditEvent(actor.name, "cases.listed", "case", None,
                                         {"status": status.value if status else None,
                                          "shown": len(cases)}))
    return cases


def case_counts(store: Store, actor: Actor) -> list[tuple[CaseStatus, int]]:
    """How many cases are in each status, in the workflow's order (counts only: no
    child is shown, so nothing is audited)."""
    require(actor, READERS, "count cases")
    with store.transaction() as session:
        found = dict(CaseRepository(session).counts())
    return [(status, found[status.value]) for status in CaseStatus if found.get(status.value)]


@dataclass(frozen=True)
class CaseFile:
    """A case with its history and the child's records."""

    case: CaseRow
    history: list[CaseEventRow]
    child: Cluster
    records: list[RecordRow]

    @property
    def found_records(self) -> list[RecordRow]:
        """The child's records from lists of found children."""
        return [r for r in self.records if r.role == "found"]


def case_file_in(session: Session, case_id: int) -> CaseFile:
    """A case with its history and records, in a transaction the caller holds (not
    audited: the caller audits what it does with it)."""
    repository = CaseRepository(session)
    case = repository.get(case_id)
    if case is None:
        raise NotFoundError(f"there is no case {case_id}")
    cluster = cluster_of(session, case.sought_record_pk)
    records = ReviewQueries(session).records(cluster.records)
    return CaseFile(case, repository.events(case_id), cluster,
                    [records[r] for r in cluster.records])


def case_file(store: Store, actor: Actor, case_id: int) -> CaseFile:
    """One case with its history and records (audited read)."""
    require(actor, READERS, "read a case")
    with store.transaction() as session:
        found = case_file_in(session, case_id)
        append_event(session, AuditEvent(actor.name, "case.read", "case", str(case_id)))
    return found


def advance_case(store: Store, actor: Actor, case_id: int, expected_version: int,
                 target: CaseStatus, reason: str, evidence: EvidenceKind | None = None,
                 evidence_ref: str | None = None) -> CaseRow:
    """Move a case one step, if the workflow, the role and the evidence allow it and
    nobody changed the case since ``expected_version`` was read."""
    with store.transaction() as session:
        return advance_in(session, actor, case_id, expected_version, target, reason,
                          evidence, evidence_ref)


def advance_in(session: Session, actor: Actor, case_id: int, expected_version: int,
               target: CaseStatus, reason: str, evidence: EvidenceKind | None = None,
               evidence_ref: str | None = None) -> CaseRow:
    """:func:`advance_case` inside a transaction the caller holds (mediation moves the
    cases of a whole list, or none of them)."""
    current = case_file_in(session, case_id)
    case = current.case
    if case.version != expected_version:
        raise ConflictError(f"case {case_id} was changed by someone else (now version "
                            f"{case.version}, you had {expected_version}); reload it")
    if current.child.in_conflict and target is CaseStatus.LOCATED:
        raise ConflictError("the child's records are in conflict (linked and decided "
                            "different): resolve the conflict in review first")
    check_transition(CaseStatus(case.status), target, actor.role, evidence, reason,
                     found_record_linked=bool(current.found_records))
    if evidence is not None and not (evidence_ref or "").strip():
        raise KinlinkError("say where the evidence is (a document number, a file, a "
                           "reference)")
    source = case.status
    try:
        CaseRepository(session).move(case, expected_version, target)
    except StaleVersionError:
        raise ConflictError(f"case {case_id} was changed by someone else; reload "
                            f"it") from None
    CaseRepository(session).add_event(
        case_id=case.id, from_status=source, to_status=target, actor=actor.name,
        role=actor.role, reason=reason, evidence_kind=evidence, evidence_ref=evidence_ref)
    append_event(session, AuditEvent(actor.name, "case.advanced", "case", str(case.id), {
        "from": source, "to": target.value, "version": case.version,
        "evidence": evidence.value if evidence else None}))
    return case

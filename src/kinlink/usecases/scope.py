"""Need to know: what an actor may see and act on, one rule for every object.

An actor's agency sees its own lists and those shared with it (an actor without an
agency — a command run on the server by its operator — sees every list). Everything else
stands on records, and is in the actor's reach only where the agency sees **every record
involved**:

* a record: its list;
* a pair, a decision on it, a review item: both records;
* a child: the record it is asked by (the child's other records are shown where the
  agency sees them, and only counted where it does not);
* a case, its history, its evidence and its photograph: the case's reported (sought)
  record — the child's other records again shown or only counted;
* a channel: it belongs to one agency (``channels.agency_id``), whose people alone see
  it; a list, its children, exports and answers belong to their channel's agency, and a
  list holds only cases the agency sees (reading one that holds another is refused).

Lists of things (the review queue, the cases, the candidates for a list, the channels)
are filtered in the store's queries (:mod:`kinlink.storage.visibility`), so that paging
and counts hold. One thing asked for by its id that is out of reach raises
:class:`~kinlink.errors.OutOfReachError` — a :class:`~kinlink.errors.NotFoundError`,
answered exactly like a missing thing (404, existence is sensitive) — and
:func:`within_reach` audits the refusal (``scope.refused``, the kind and id only) in a
transaction of its own after the use case's transaction was rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import HOME_AGENCY_ID, Actor
from kinlink.domain.cases import Case
from kinlink.domain.mediation import Channel
from kinlink.domain.records import RecordView
from kinlink.errors import OutOfReachError
from kinlink.storage import Session, Store
from kinlink.storage.accounts import AccountRepository
from kinlink.storage.cases import CaseRepository
from kinlink.storage.mediation import MediationRepository
from kinlink.storage.mediation_answers import AnswerRepository
from kinlink.storage.review import ReviewQueries

__all__ = ["Reach", "answer_in_reach", "audit_refusal", "case_in_reach", "channel_in_reach",
           "list_in_reach", "owning_agency", "pair_in_reach", "reach_of", "record_in_reach",
           "visible_sources", "within_reach"]


@dataclass(frozen=True)
class Reach:
    """What one actor's agency sees: ``agency_id`` (``None``: the operator, everything)
    and the ids of the lists it sees (``None``: every list)."""

    agency_id: int | None
    sources: frozenset[int] | None

    @property
    def everything(self) -> bool:
        """The operator on the server: no agency, every list."""
        return self.agency_id is None

    def sees(self, source_id: int) -> bool:
        """Whether the agency sees the list ``source_id``."""
        return self.sources is None or source_id in self.sources

    def sees_all(self, records: Iterable[RecordView]) -> bool:
        """Whether the agency sees every one of ``records``."""
        return all(self.sees(r.source_id) for r in records)

    def owns(self, agency_id: int) -> bool:
        """Whether something of ``agency_id`` (a channel, a list) is the actor's."""
        return self.agency_id is None or self.agency_id == agency_id


def visible_sources(session: Session, actor: Actor) -> set[int] | None:
    """The ids of the lists the actor's agency sees (``None``: every list)."""
    if actor.agency_id is None:
        return None
    return set(AccountRepository(session).visible_source_ids(actor.agency_id))


def reach_of(session: Session, actor: Actor) -> Reach:
    """The actor's reach, read now (a share given or taken back applies at once)."""
    sources = visible_sources(session, actor)
    return Reach(actor.agency_id, frozenset(sources) if sources is not None else None)


def owning_agency(actor: Actor) -> int:
    """The agency what the actor creates belongs to (the operator's: the home agency)."""
    return actor.agency_id if actor.agency_id is not None else HOME_AGENCY_ID


def audit_refusal(store: Store, actor: Actor, refused: OutOfReachError) -> None:
    """Write the ``scope.refused`` event of ``refused`` in a transaction of its own (the
    refused use case's transaction was rolled back): kind and id, nothing else."""
    with store.transaction() as session:
        append_event(session, AuditEvent(actor.name, AuditAction.SCOPE_REFUSED, refused.kind,
                                         refused.entity_id, {"reason": "out_of_reach"}))


@contextmanager
def within_reach(store: Store, actor: Actor) -> Iterator[tuple[Session, Reach]]:
    """A transaction of a use case with the actor's reach. If the use case refuses
    something out of reach (:class:`OutOfReachError`), its transaction is rolled back,
    the refusal audited, and the error raised on (to be answered as missing)."""
    try:
        with store.transaction() as session:
            yield session, reach_of(session, actor)
    except OutOfReachError as refused:
        audit_refusal(store, actor, refused)
        raise


def record_in_reach(session: Session, reach: Reach, record_pk: int) -> RecordView:
    """The record, if it exists (finished import) and the agency sees it."""
    found = ReviewQueries(session).records([record_pk]).get(record_pk)
    if found is None or not reach.sees(found.source_id):
        raise OutOfReachError("record", record_pk)
    return found


def pair_in_reach(session: Session, reach: Reach, a: int, b: int) -> None:
    """Both records of a pair exist and the agency sees both (else the pair is out of
    reach, named by its two ids)."""
    found = ReviewQueries(session).records([a, b])
    if a not in found or b not in found or not reach.sees_all(found.values()):
        raise OutOfReachError("record_pair", f"{min(a, b)}-{max(a, b)}")


def case_in_reach(session: Session, reach: Reach, case_id: int) -> Case:
    """The case, if it exists and the agency sees its reported record."""
    case = CaseRepository(session).get(case_id)
    if case is None:
        raise OutOfReachError("case", case_id)
    sought = ReviewQueries(session).records([case.sought_record_pk]).get(case.sought_record_pk)
    if sought is None or not reach.sees(sought.source_id):
        raise OutOfReachError("case", case_id)
    return case


def channel_in_reach(session: Session, reach: Reach, channel_id: int) -> Channel:
    """The channel, if it exists and belongs to the actor's agency."""
    channel = MediationRepository(session).channel(channel_id)
    if channel is None or not reach.owns(channel.agency_id):
        raise OutOfReachError("channel", channel_id)
    return channel


def list_in_reach(session: Session, reach: Reach, list_id: int) -> None:
    """The list exists and belongs (through its channel) to the actor's agency."""
    agency = MediationRepository(session).list_agency(list_id)
    if agency is None or not reach.owns(agency):
        raise OutOfReachError("mediation_list", list_id)


def answer_in_reach(session: Session, reach: Reach, answer_id: int) -> int:
    """The id of the list an answer row came back for, if the row exists and that list
    is the actor's agency's."""
    line = AnswerRepository(session).line(answer_id)
    if line is None:
        raise OutOfReachError("answer", answer_id)
    try:
        list_in_reach(session, reach, line.list_id)
    except OutOfReachError:
        raise OutOfReachError("answer", answer_id) from None
    return line.list_id

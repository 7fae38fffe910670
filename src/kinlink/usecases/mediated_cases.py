"""The cases mediation works on: read through the case service, moved through its workflow.

Mediation neither reads nor moves cases (services do not import each other): the
mediation use cases hand it a reader built here on :func:`kinlink.cases.case_file`, and
make the moves it asks for (:class:`~kinlink.domain.mediation_cases.CaseMove`) with
:func:`kinlink.cases.advance` — in the transaction of the list or the answer, so that
both happen or neither does.

The reader reads within the actor's reach (:mod:`kinlink.usecases.scope`): a case the
agency does not see is refused like a missing one, and of a case it sees, only the
child's records it sees are handed over — what another agency holds never goes on a list,
into a file or a dossier.
"""

from __future__ import annotations

from kinlink import cases
from kinlink.cases import CaseFile
from kinlink.domain.access import Actor
from kinlink.domain.cases import CaseStatus
from kinlink.domain.decisions import DecisionVerdict
from kinlink.domain.mediation_cases import CaseChild, CaseMove, CaseReader
from kinlink.storage import Session
from kinlink.usecases.remote_candidates import remote_candidates_of
from kinlink.usecases.scope import Reach, case_in_reach

__all__ = ["case_child", "case_reader", "make_move", "remote_matches"]


def case_child(found: CaseFile, reach: Reach, remote: tuple[str, ...] = ()) -> CaseChild:
    """A case file as mediation needs it: status, version, the child's records the
    agency sees (and its matches on other parties' lists, ``remote``)."""
    records = tuple(r for r in found.records if reach.sees(r.source_id))
    sought = next(r for r in records if r.id == found.case.sought_record_pk)
    return CaseChild(found.case.id, CaseStatus(found.case.status), found.case.version,
                     sought, records, remote)


def remote_matches(session: Session, reach: Reach, records: list[int]) -> tuple[str, ...]:
    """``party: reference`` of each record another party holds that a person decided is
    the child of ``records`` (the agency's own remote candidates only)."""
    return tuple(f"{c.party}: {c.remote_ref}"
                 for c in remote_candidates_of(session, reach, records)
                 if c.verdict is DecisionVerdict.SAME)


def case_reader(session: Session, reach: Reach) -> CaseReader:
    """Reads cases within ``reach``, as they stand in ``session``, for mediation (not
    audited: the use case audits what mediation does with them; a case out of reach
    raises :class:`~kinlink.errors.OutOfReachError`)."""

    def read(case_id: int) -> CaseChild:
        case_in_reach(session, reach, case_id)
        found = cases.case_file(session, case_id)
        seen = [r.id for r in found.records if reach.sees(r.source_id)]
        return case_child(found, reach, remote_matches(session, reach, seen))

    return read


def make_move(session: Session, actor: Actor, move: CaseMove) -> None:
    """Make each step of ``move`` through the workflow, as ``actor``: each checked
    against the table, the role and the evidence, each with its event and audit. A
    refused step raises, leaving the steps before it made in ``session``."""
    version = move.version
    for step in move.steps:
        moved = cases.advance(session, actor, move.case_id, version, step.target, move.reason,
                              step.evidence, move.evidence_ref)
        version = moved.version

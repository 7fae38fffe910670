"""What mediation needs of a case, and what it asks the case workflow to do.

Mediation neither reads nor moves cases: the use case reads each case through the case
service (:mod:`kinlink.cases`) and hands mediation a :class:`CaseChild`; mediation answers
with the :class:`CaseMove` a sent list or an answer calls for, and the use case makes it
through the workflow — in the same transaction, so a list is sent, or an answer applied,
with its cases or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kinlink.domain.cases import CaseStatus, EvidenceKind
from kinlink.domain.records import RecordView, Role

__all__ = ["CaseChild", "CaseMove", "CaseReader", "Step"]


@dataclass(frozen=True)
class CaseChild:
    """A case as mediation sees it: where it stands (status, version) and every record of
    its child, the reported one (``sought``) among them. Read through the case service by
    the use case, and handed to mediation, which does not read cases itself."""

    case_id: int
    status: CaseStatus
    version: int
    sought: RecordView
    records: tuple[RecordView, ...]
    remote: tuple[str, ...] = ()
    """The child's matches on other parties' lists (``party: reference``), each a record
    another party holds that a person decided is this child (issue 21.4)."""

    @property
    def found(self) -> tuple[RecordView, ...]:
        """The child's records from lists of found children, oldest first."""
        return tuple(sorted((r for r in self.records if r.role is Role.FOUND),
                            key=lambda r: r.id))


CaseReader = Callable[[int], CaseChild]
"""Reads one case, by id, for mediation (raises :class:`~kinlink.errors.NotFoundError`
for a case that does not exist)."""


@dataclass(frozen=True)
class Step:
    """One step of the workflow, and the evidence it is made on (``None``: none needed)."""

    target: CaseStatus
    evidence: EvidenceKind | None


@dataclass(frozen=True)
class CaseMove:
    """The steps mediation asks the workflow to make on one case, from ``version``, with
    the reason and where the evidence is (a list number, an answer's line)."""

    case_id: int
    version: int
    steps: tuple[Step, ...]
    reason: str
    evidence_ref: str

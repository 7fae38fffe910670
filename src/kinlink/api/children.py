"""What the child page, review and cases show, built once for the pages and their JSON
twins: the signed-in person as the review services' :class:`Actor`, a child's records
read the way the record page reads them (scoped to the agency's lists, contacts only
for roles allowed to see them, every read audited), and the steps a case may take next.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kinlink.accounts import SessionView
from kinlink.api.context import Services
from kinlink.cases import CaseFile
from kinlink.domain.access import Actor
from kinlink.domain.cases import TRANSITIONS, CaseStatus, EvidenceKind, Transition
from kinlink.domain.decisions import PairKey
from kinlink.domain.permissions import Action, allowed
from kinlink.errors import NotFoundError
from kinlink.search.records import RecordDetail
from kinlink.storage.review_tables import CaseEventRow, CaseRow
from kinlink.usecases.cases import read_case as case_file
from kinlink.usecases.children import read_child as child_file

__all__ = ["ChildView", "Explanation", "FieldReason", "actor_of", "explanation", "read_case",
           "read_child", "steps_from", "visible_records"]


def actor_of(view: SessionView) -> Actor:
    """The signed-in person as the use cases see them: user name, role and agency."""
    return view.principal.acting


def visible_records(svc: Services, view: SessionView,
                    pks: tuple[int, ...] | list[int]) -> tuple[list[RecordDetail], int]:
    """The records among ``pks`` the agency sees (contacts by role), and how many it does
    not see (counted, never shown)."""
    contact = allowed(view.role, Action.RECORDS_CONTACT)
    shown: list[RecordDetail] = []
    hidden = 0
    for pk in pks:
        try:
            shown.append(svc.records.read(view.principal, pk, with_contact=contact))
        except NotFoundError:
            hidden += 1
    return shown, hidden


@dataclass(frozen=True)
class ChildView:
    """One child: its records side by side, conflicts, and its cases with history."""

    record_pk: int
    records: list[RecordDetail]
    hidden: int
    conflicts: tuple[PairKey, ...]
    cases: list[CaseRow]
    histories: dict[int, list[CaseEventRow]]


def read_child(svc: Services, view: SessionView, record_pk: int) -> ChildView:
    """The child of ``record_pk``; 404 when the agency does not see that record."""
    contact = allowed(view.role, Action.RECORDS_CONTACT)
    first = svc.records.read(view.principal, record_pk, with_contact=contact)
    found = child_file(svc.store, actor_of(view), record_pk)
    others, hidden = visible_records(svc, view, [r for r in found.cluster.records
                                                 if r != record_pk])
    records = sorted([first, *others], key=lambda r: r.id)
    histories: dict[int, list[CaseEventRow]] = {}
    if allowed(view.role, Action.CASES_VIEW):
        for case in found.cases:
            histories[case.id] = case_file(svc.store, actor_of(view), case.id).history
    return ChildView(record_pk, records, hidden, found.cluster.conflicts, found.cases,
                     histories)


def read_case(svc: Services, view: SessionView,
              case_id: int) -> tuple[CaseFile, list[RecordDetail], int]:
    """A case, and its child's records the agency sees (and how many it does not)."""
    found = case_file(svc.store, actor_of(view), case_id)
    records, hidden = visible_records(svc, view, found.child.records)
    return found, records, hidden


def steps_from(status: str, view: SessionView) -> list[Transition]:
    """The steps the person's role may take from ``status`` (the workflow still checks
    evidence, the reason and the child's records when they submit)."""
    current = CaseStatus(status)
    return [t for t in TRANSITIONS if t.source is current and view.role in t.roles]


EVIDENCE_KINDS = [kind.value for kind in EvidenceKind]


@dataclass(frozen=True)
class FieldReason:
    """One field compared by the model, in words, with its weight."""

    field: str
    level: str | None
    left: str | None
    right: str | None
    words: str
    weight: float


@dataclass(frozen=True)
class Explanation:
    """Why the model scored a pair as it did."""

    fields: list[FieldReason]
    prior_weight: float | None
    match_weight: float | None
    probability: float | None
    decision: str | None
    veto: str | None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def explanation(data: dict[str, Any]) -> Explanation:
    """The stored explanation of a pair, read tolerantly (older runs kept fewer keys)."""
    fields = [FieldReason(str(f.get("field", "")), _text(f.get("level")), _text(f.get("left")),
                          _text(f.get("right")), str(f.get("words", "")),
                          _number(f.get("weight")) or 0.0)
              for f in data.get("fields", []) if isinstance(f, dict)]
    veto = data.get("veto")
    return Explanation(fields, _number(data.get("prior_weight")),
                       _number(data.get("match_weight")), _number(data.get("probability")),
                       _text(data.get("decision")), _text(veto) if veto else None)

"""Applying ready answers to their cases — through the case workflow, never around it.

An answer's status points to a case status (:data:`~kinlink.domain.mediation.ANSWER_TARGETS`);
the way there is the workflow's forward path (:func:`~kinlink.domain.cases.forward_path`),
and each step of it is made on the evidence an answer is — an official record of the
other side, or the channel's list — only where the workflow's table accepts that evidence
for the step. A step that needs more (documents, DNA, the family, the handover record)
stops the way there; closing a case is left to a supervisor. This module only says what
should happen (:class:`AnswerPlan`); the use case makes the moves through the workflow,
then records here what each answer did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.cases import (
    CLOSING,
    CaseStatus,
    EvidenceKind,
    Transition,
    forward_path,
    transition,
)
from kinlink.domain.mediation import (
    ANSWER_TARGETS,
    AnswerLine,
    AnswerState,
    ApplyResult,
    list_number,
)
from kinlink.domain.mediation_cases import CaseChild, CaseMove, Step
from kinlink.i18n import N_, Wording
from kinlink.mediation.lists import get_list
from kinlink.storage import Session
from kinlink.storage.mediation_answers import AnswerRepository

_NEEDS_EVIDENCE = Wording("mediation.apply.needs_evidence", N_(
    "the case is {status}; the step to {target} needs evidence an answer is not: one of "
    "{evidence}"), {"status": CaseStatus, "target": CaseStatus, "evidence": EvidenceKind})
_NOT_FOUND = Wording("mediation.apply.not_found", N_(
    "the other side did not find the child: the case stays open"))
_WOULD_CLOSE = Wording("mediation.apply.would_close", N_(
    "the answer would close the case as {target}: closing is a supervisor's decision on the "
    "case page"), {"target": CaseStatus})
_ALREADY = Wording("mediation.apply.already", N_("the case is already {status}"),
                   {"status": CaseStatus})
_MOVED = Wording("mediation.apply.moved", N_("the case moved from {status} to {target}"),
                 {"status": CaseStatus, "target": CaseStatus})

__all__ = ["ANSWER_EVIDENCE", "AnswerPlan", "AppliedAnswer", "plan_answer", "ready_answers",
           "record_applied", "record_applying"]

ANSWER_EVIDENCE = (EvidenceKind.OFFICIAL_RECORD, EvidenceKind.CHANNEL_LIST)
"""What an answer that came back through a channel is evidence of, in the order it is
named for a step that accepts either: an official record of the other side, the
channel's list."""


@dataclass(frozen=True)
class AnswerPlan:
    """What applying one answer should do: the move to make (if any), the result it
    stands for and the words saying so."""

    result: ApplyResult
    words: str
    move: CaseMove | None = None


@dataclass(frozen=True)
class AppliedAnswer:
    """What applying one answer did to its case: the result, and in words."""

    answer_id: int
    line: int
    reference: str
    case_id: int
    result: ApplyResult
    words: str


def ready_answers(session: Session, list_id: int) -> list[AnswerLine]:
    """The answers of a list that are ready to apply, each tied to a child."""
    listed = get_list(session, list_id)
    return [a for a in AnswerRepository(session).lines(listed.id)
            if a.state is AnswerState.READY and a.case_id is not None]


def _answer_can(rule: Transition) -> bool:
    """Whether an answer is enough for the step: it needs no evidence, or accepts one an
    answer is."""
    return not rule.evidence or any(kind in rule.evidence for kind in ANSWER_EVIDENCE)


def _evidence(rule: Transition) -> EvidenceKind | None:
    """The evidence an answer gives for the step (``None`` when it needs none)."""
    return next((kind for kind in ANSWER_EVIDENCE if kind in rule.evidence), None)


def _steps(current: CaseStatus, path: Sequence[CaseStatus]) -> tuple[list[Step], str | None]:
    """The steps of ``path`` an answer can make, and the words for the first it cannot."""
    steps: list[Step] = []
    source = current
    for target in path:
        rule = transition(source, target)
        assert rule is not None  # a forward path is made of the table's steps
        if not _answer_can(rule):
            return steps, _NEEDS_EVIDENCE(status=str(source), target=str(target),
                                          evidence=tuple(sorted(rule.evidence)))
        steps.append(Step(target, _evidence(rule)))
        source = target
    return steps, None


def plan_answer(answer: AnswerLine, case: CaseChild) -> AnswerPlan:
    """What applying ``answer`` to ``case`` (as it stands now) should do."""
    target = ANSWER_TARGETS.get(answer.status) if answer.status else None
    if target is None:
        return AnswerPlan(ApplyResult.NO_CHANGE, _NOT_FOUND())
    if target in CLOSING:
        return AnswerPlan(ApplyResult.PENDING, _WOULD_CLOSE(target=str(target)))
    path = forward_path(case.status, target)
    if not path:
        return AnswerPlan(ApplyResult.NO_CHANGE, _ALREADY(status=str(case.status)))
    steps, stopped = _steps(case.status, path)
    if not steps:
        return AnswerPlan(ApplyResult.PENDING, stopped or "")
    number = list_number(answer.list_id)
    move = CaseMove(case.case_id, case.version, tuple(steps),
                    f"answer to list {number}, line {answer.line}: {answer.status_text}",
                    f"{number} answer {answer.import_id}:{answer.line} ({answer.reference})")
    return AnswerPlan(ApplyResult.APPLIED,
                      stopped or _MOVED(status=str(case.status), target=str(target)), move)


def record_applied(session: Session, actor: Actor, answer: AnswerLine, result: ApplyResult,
                   words: str) -> AppliedAnswer:
    """Keep what applying ``answer`` did (a pending one stays for a person)."""
    AnswerRepository(session).decide(answer.id, AnswerState(result.value), words, actor.name)
    assert answer.reference is not None
    assert answer.case_id is not None
    return AppliedAnswer(answer.id, answer.line, answer.reference, answer.case_id, result,
                         words)


def record_applying(session: Session, actor: Actor, list_id: int,
                    applied: Sequence[AppliedAnswer]) -> None:
    """Audit one round of applying a list's answers: how many of each result."""
    append_event(session, AuditEvent(actor.name, AuditAction.ANSWERS_APPLIED, "mediation_list",
                                     str(list_id), {
                                         result.value: sum(a.result is result for a in applied)
                                         for result in ApplyResult}))

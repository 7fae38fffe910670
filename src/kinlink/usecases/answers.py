"""The other side's answers to a list: import and reconcile one, read the reconciliation,
settle an answer, apply the ready ones to their cases through the workflow.

Answers belong to their list's agency (:mod:`kinlink.usecases.scope`): another agency's
list or answer is answered like a missing one, and the refusal audited.
"""

from __future__ import annotations

from kinlink import mediation
from kinlink.audit import AuditAction, AuditEvent, append_event
from kinlink.domain.access import Actor
from kinlink.domain.mediation import AnswerAction, AnswerLine, ApplyResult
from kinlink.domain.permissions import Action, require
from kinlink.errors import KinlinkError
from kinlink.linkage import Engine
from kinlink.mediation import AnswerSummary, AppliedAnswer, ListAnswers
from kinlink.storage import Store
from kinlink.usecases.mediated_cases import case_reader, make_move
from kinlink.usecases.scope import answer_in_reach, list_in_reach, within_reach

__all__ = ["apply_answers", "import_answers", "read_reconciliation", "resolve_answer"]


def import_answers(store: Store, actor: Actor, list_id: int, file_name: str, content: bytes,
                   *, force: bool = False, engine: Engine | None = None) -> AnswerSummary:
    """Read the other side's answer to a sent list (CSV or XLSX bytes) and reconcile it:
    by reference, else by names with the linkage engine. Nothing is applied to cases."""
    require(actor, Action.MEDIATION_ANSWERS)
    with within_reach(store, actor) as (session, reach):
        list_in_reach(session, reach, list_id)
    upload = mediation.read_upload(file_name, content)
    with within_reach(store, actor) as (session, reach):
        list_in_reach(session, reach, list_id)
        return mediation.import_answers(session, actor, list_id, upload,
                                        case_reader(session, reach), force=force,
                                        engine=engine, memory_limit=store.duckdb_memory)


def read_reconciliation(store: Store, actor: Actor, list_id: int) -> ListAnswers:
    """Every answer row of a list in its place — matched, contradiction, not on the list,
    rejected — and the children no answer mentions (audited)."""
    require(actor, Action.MEDIATION_VIEW)
    with within_reach(store, actor) as (session, reach):
        list_in_reach(session, reach, list_id)
        found = mediation.list_answers(session, list_id)
        append_event(session, AuditEvent(actor.name, AuditAction.ANSWERS_READ,
                                         "mediation_list", str(list_id)))
    return found


def resolve_answer(store: Store, actor: Actor, answer_id: int, action: AnswerAction,
                   reference: str | None = None, note: str | None = None) -> AnswerLine:
    """Settle an answer reconciliation could not: confirm it, assign it to a reference
    on the list, or dismiss it saying why."""
    require(actor, Action.MEDIATION_ANSWERS)
    with within_reach(store, actor) as (session, reach):
        answer_in_reach(session, reach, answer_id)
        return mediation.resolve_answer(session, actor, answer_id, action, reference, note)


def apply_answers(store: Store, actor: Actor, list_id: int) -> list[AppliedAnswer]:
    """Apply every ready answer of a list to its case through the workflow, in one
    transaction. What needs a person (a closing, a step the workflow refuses) is left
    pending, said why."""
    require(actor, Action.MEDIATION_ANSWERS)
    applied: list[AppliedAnswer] = []
    with within_reach(store, actor) as (session, reach):
        list_in_reach(session, reach, list_id)
        read = case_reader(session, reach)
        for answer in mediation.ready_answers(session, list_id):
            assert answer.case_id is not None
            plan = mediation.plan_answer(answer, read(answer.case_id))
            result, words = plan.result, plan.words
            if plan.move is not None:
                try:
                    make_move(session, actor, plan.move)
                except KinlinkError as refused:
                    result, words = ApplyResult.PENDING, str(refused)
            applied.append(mediation.record_applied(session, actor, answer, result, words))
        mediation.record_applying(session, actor, list_id, applied)
    return applied
